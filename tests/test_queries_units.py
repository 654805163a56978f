"""The queries package on three small hand-made stores, with literal expectations.

Fast tests for what the Overview tests do not reach: the Incidents table (its orders,
paging from either end, the search, the count, an incident's position), the claims
download, one incident's record, the sidebar's options, the map's switch to a grid,
clash pairs, per-district counts, the data coverage, what changed this week and whom each
attribution mode counts an incident under (with actor, side and stated-only filters). Every
expected value is a literal worked out by hand from the tables drawn below (or plain
SQL over the fact tables), never a call of ``queries``. They are in the mutation-test
selection (tests/MUTATION.md), so each is kept to a few hundred milliseconds.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pandas as pd
import pytest

from ceasefire import queries, store
from ceasefire.filters import CLASH_GROUP, Filter
from ceasefire.queries import counts, listing
from ceasefire.records import ClaimRecord
from ceasefire.store import bootstrap
from ceasefire.tallies import reference as tallies_reference
from conftest import import_records, incident, write


def fresh_store():
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    return con


def claim(source: str, actor: str | None = "Russia", lo=None, hi=None, **kw) -> ClaimRecord:
    return ClaimRecord(source_name=source, alleged_actor=actor, killed_min=lo, killed_max=hi, **kw)


# --- the "book": eight incidents and one linked record, all in Idleb governorate -------
#
#  id  date        place             district  claims (source: actor killed)       killed  claims
#  B1  2020-06-01  Ariha             Ariha     S0: Russia 1-2                       1-2     1
#  B2  2020-06-02  Sarmin            Idleb     S0: Russia 5-9, S1: Russia 3-4       3-9     2
#                  (description "Shelling near the BAKERY")
#  B3  2020-06-03  (none)            Idleb     S0: Local militia X (no figure)      -       1
#  B4  2020-06-04  Binnish           Idleb     S0, S1, S2: Russia 1-2               1-2     3
#  B5  2020-06-05  Ariha             Ariha     S0: Russia 9-9                       9-9     1
#  B6  2020-06-06  Kafr Nabl         Al Ma'ra  S0: Russia (quote "a strike_report"),
#                                              S1: Russia (no figures)              -       2
#  B7  2020-06-07  Maarrat al-Numan  Al Ma'ra  S0: Russia 20-20                     1-20    2
#  B8  2020-06-08  Zardana           Harim     Idlib Observatory: Russia 2-2        2-2     1
#  L1  2020-06-07  Hish (acled)      Al Ma'ra  Linked Monitor: Russia 1-2, quote "barrel bombs"
#      -> linked to B7 (same day, same point, same actor): B7 gathers its claim
#
# S0, S1, S2 = "Test source 0/1/2". Every incident is at the same point (35.643, 36.674).

BOOK_ORDERS = {
    "newest": ["B8", "B7", "B6", "B5", "B4", "B3", "B2", "B1"],
    "oldest": ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"],
    # killed_max desc, no figure last; then newest first
    "killed": ["B7", "B5", "B2", "B8", "B4", "B1", "B6", "B3"],
    # claims (B7 with L1's: 2) desc; then newest first
    "claims": ["B4", "B7", "B6", "B2", "B8", "B5", "B3", "B1"],
    # place A to Z, no place last; then newest first
    "place": ["B5", "B1", "B4", "B6", "B7", "B2", "B8", "B3"],
}


@pytest.fixture(scope="module")
def book():
    con = fresh_store()
    s0, s1, s2 = "Test source 0", "Test source 1", "Test source 2"
    rows = [
        ("B1", 1, "Ariha", "Ariha", [claim(s0, lo=1, hi=2)], None),
        ("B2", 2, "Sarmin", "Idleb", [claim(s0, lo=5, hi=9), claim(s1, lo=3, hi=4)], "BAKERY"),
        ("B3", 3, None, "Idleb", [claim(s0, "Local militia X")], None),
        ("B4", 4, "Binnish", "Idleb", [claim(s, lo=1, hi=2) for s in (s0, s1, s2)], None),
        ("B5", 5, "Ariha", "Ariha", [claim(s0, lo=9, hi=9)], None),
        ("B6", 6, "Kafr Nabl", "Al Ma'ra", [claim(s0, quote="a strike_report"), claim(s1)], None),
        ("B7", 7, "Maarrat al-Numan", "Al Ma'ra", [claim(s0, lo=20, hi=20)], None),
        ("B8", 8, "Zardana", "Harim", [claim("Idlib Observatory", lo=2, hi=2)], None),
    ]
    write(
        con,
        *(
            incident(
                key,
                date(2020, 6, day),
                place_name=place,
                district=district,
                claims=claims,
                description=None if word is None else f"Shelling near the {word}",
            )
            for key, day, place, district, claims, word in rows
        ),
    )
    linked = claim("Linked Monitor", lo=1, hi=2, quote="barrel bombs")
    assert (
        import_records(
            con,
            incident("L1", date(2020, 6, 7), place_name="Hish", claims=[linked]),
            origin="acled",
        )
        == 1
    )
    yield con
    con.close()


def ids(con) -> dict[str, int]:
    """origin_id -> incident_id (plain SQL over the incident table)."""
    return dict(con.execute("SELECT origin_id, incident_id FROM incident").fetchall())


def page(con, *args, **kw) -> list[str]:
    return list(queries.incidents(con, Filter(), *args, **kw).origin_id)


def test_the_fixture_is_as_drawn(book):
    # B7 gathers L1's claim: the claims order depends on it
    rows = book.execute(
        "SELECT i.origin_id, f.n_claims, f.killed_min, f.killed_max FROM incident_fact f "
        "JOIN incident i USING (incident_id) ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("B1", 1, 1, 2),
        ("B2", 2, 3, 9),
        ("B3", 1, None, None),
        ("B4", 3, 1, 2),
        ("B5", 1, 9, 9),
        ("B6", 2, None, None),
        ("B7", 2, 1, 20),
        ("B8", 1, 2, 2),
    ]


# --- orders and paging -----------------------------------------------------------------


@pytest.mark.parametrize("order", BOOK_ORDERS)
def test_every_page_of_every_order_from_either_end(book, order):
    """Pages of 3 at every offset, up to and past the end: without the total (cut from
    the start) and with it (a page past half the total is cut from the end, in the
    reverse order): the same rows either way, in the order drawn above."""
    expected = BOOK_ORDERS[order]
    for offset in range(0, 10):
        for total in (None, 8):
            got = page(book, 3, offset, order, total=total)
            assert got == expected[offset : offset + 3], (order, offset, total)


def test_a_page_in_the_second_half_is_cut_from_the_end():
    """With the total known, a page past half of it is cut with LIMIT/OFFSET counted
    from the end (so the last page costs what the first does); up to half, from the
    start. 10 rows, pages of 3."""
    f = Filter()
    assert f.where("f")[1] == {}  # so the parameters below are LIMIT and OFFSET only

    def page_of(*args, **kw) -> tuple[int, int]:
        params = listing.incidents_sql(f, *args, **kw)[1]
        assert set(params) == {"limit", "offset"}
        return params["limit"], params["offset"]

    assert page_of() == (1000, 0)  # the default page
    assert page_of(3, 4, total=10) == (3, 4)  # rows 5-7: from the start
    assert page_of(3, 5, total=10) == (3, 5)  # offset = half: still
    assert page_of(3, 6, total=10) == (3, 1)  # rows 7-9 = 2-4 from the end
    assert page_of(3, 8, total=10) == (2, 0)  # the last 2 rows
    assert page_of(3, 12, total=10) == (0, 0)  # past the end: nothing
    assert page_of(3, 8) == (3, 8)  # no total: from the start
    forward, _ = listing.incidents_sql(f, 3, 4, "killed", total=10)
    backward, _ = listing.incidents_sql(f, 3, 6, "killed", total=10)
    assert "F.KILLED_MAX ASC NULLS FIRST" in backward.upper()
    assert "F.KILLED_MAX ASC NULLS FIRST" not in forward.upper()


class _Recorder:
    """A connection that records what it is asked to run."""

    def __init__(self):
        self.calls = []

    def execute(self, sql, params=None):
        self.calls.append((sql, params))
        return self

    def df(self):
        return pd.DataFrame()


def test_the_default_page_is_the_first_thousand_newest():
    con = _Recorder()
    queries.incidents(con, Filter())
    sql, params = con.calls[0]
    assert params == {"limit": 1000, "offset": 0}
    assert "f.occurred_on DESC NULLS LAST, f.incident_id DESC NULLS LAST" in sql


def test_order_sql_reverses_direction_and_nulls_and_renames_the_table():
    keys = [("f.killed_max", False, True), ("i.place_name", True, False)]

    def norm(sql: str) -> str:  # keywords in any case name the same order
        for word in ("ASC", "DESC", "NULLS", "LAST", "FIRST"):
            sql = sql.replace(word.lower(), word)
        return sql

    assert (
        norm(listing._order_sql(keys))
        == "f.killed_max DESC NULLS LAST, i.place_name ASC NULLS FIRST"
    )
    assert (
        norm(listing._order_sql(keys, reverse=True))
        == "f.killed_max ASC NULLS FIRST, i.place_name DESC NULLS LAST"
    )
    assert (
        norm(listing._order_sql(keys, alias="x"))
        == "x.killed_max DESC NULLS LAST, x.place_name ASC NULLS FIRST"
    )
    # only the table qualifier is replaced (a struct field keeps its path)
    assert (
        norm(listing._order_sql([("f.s.day", True, True)], alias="x")) == "x.s.day ASC NULLS LAST"
    )


def test_order_names_and_the_refusal_of_an_unknown_one():
    assert listing._order_keys("date") == listing._order_keys("newest")  # the old name
    assert listing._order_keys("oldest")[0] == ("f.occurred_on", True, True)
    with pytest.raises(
        ValueError,
        match=r"^order_by must be one of newest, oldest, killed, claims, place, not 'x'$",
    ):
        listing._order_keys("x")
    with pytest.raises(ValueError, match=r"^by must be one of day, week, month, not 'year'$"):
        counts._check_by("year")


# --- the search ------------------------------------------------------------------------


def test_search_words_are_lower_case_and_at_most_eight():
    assert queries.search_words(None) == []
    assert queries.search_words("  ") == []
    assert queries.search_words("Ariha  BAKERY") == ["ariha", "bakery"]
    assert queries.search_words("a b c d e f g h i") == ["a", "b", "c", "d", "e", "f", "g", "h"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, ["B8", "B7", "B6", "B5", "B4", "B3", "B2", "B1"]),
        ("", ["B8", "B7", "B6", "B5", "B4", "B3", "B2", "B1"]),
        ("ariha", ["B5", "B1"]),  # place name
        ("BINNISH", ["B4"]),  # place name, any case
        ("bakery", ["B2"]),  # description
        ("Strike_Report", ["B6"]),  # a claim's quote
        ("observatory", ["B8"]),  # a source's name
        ("barrel", ["B7"]),  # the linked record's quote counts for B7
        ("hish", ["B7"]),  # ... and its place
        ("monitor", ["B7"]),  # ... and its source
        ("sarmin bakery", ["B2"]),  # every word, each in any field
        ("ariha bakery", []),
        # the ninth word is dropped: eight words found in B2
        ("sarmin bakery sarmin sarmin sarmin sarmin sarmin sarmin nowhere", ["B2"]),
    ],
)
def test_the_search_finds_every_word_in_any_of_the_four_fields(book, text, expected):
    assert page(book, 20, 0, "newest", text) == expected
    assert queries.incident_count(book, Filter(), text) == len(expected)


def test_the_search_combines_with_the_filter(book):
    ariha, idleb = Filter(districts=("Ariha",)), Filter(districts=("Idleb",))
    assert queries.incident_count(book, ariha, "ariha") == 2
    assert queries.incident_count(book, idleb, "ariha") == 0
    assert queries.incident_count(book, idleb) == 3  # B2, B3, B4
    got = queries.incidents(book, idleb, 10, 0, "oldest", "shelling")
    assert list(got.origin_id) == ["B2"]
    # a page from the end of a searched list
    assert page(book, 1, 1, "oldest", "ariha", total=2) == ["B5"]


def test_a_search_condition_reads_the_alias_it_is_given(book):
    sql, params = queries.search_condition("Bakery")
    assert params == {"word_1": "bakery"} and sql.count("$word_1") == 4
    assert (
        book.execute(f"SELECT count(*) FROM incident_fact f WHERE {sql}", params).fetchone()[0] == 1
    )
    sql, params = queries.search_condition("ariha sarmin", "x")
    assert params == {"word_1": "ariha", "word_2": "sarmin"}
    got = book.execute(f"SELECT count(*) FROM incident_fact x WHERE {sql}", params).fetchone()[0]
    assert got == 0
    sql, params = queries.search_condition("  ")
    assert params == {}
    assert book.execute(f"SELECT count(*) FROM incident_fact f WHERE {sql}").fetchone()[0] == 8


# --- an incident's position ------------------------------------------------------------


def test_an_incidents_position_in_the_filtered_searched_list(book):
    n = ids(book)
    assert queries.incident_position(book, Filter(), n["B8"]) == 0
    assert queries.incident_position(book, Filter(), n["B1"]) == 7
    assert queries.incident_position(book, Filter(), n["L1"]) == 1  # its canonical, B7
    assert queries.incident_position(book, Filter(), n["B3"], "killed") == 7
    assert queries.incident_position(book, Filter(), n["B5"], "oldest", "ariha") == 1
    assert queries.incident_position(book, Filter(), n["B2"], "oldest", "ariha") is None
    ariha = Filter(districts=("Ariha",))
    assert queries.incident_position(book, ariha, n["B1"], "killed") == 1
    assert queries.incident_position(book, ariha, n["B8"]) is None
    assert queries.incident_position(book, Filter(), 999_999) is None


# --- the claims download and one incident ----------------------------------------------


def test_the_claims_download_lists_every_claim_of_the_selected_incidents(book):
    got = queries.claims(book, Filter(districts=("Al Ma'ra",)))
    n = ids(book)
    assert list(got.incident_id) == [n["B7"], n["B7"], n["B6"], n["B6"]]
    assert list(got.origin) == ["acled", "manual", "manual", "manual"]
    assert list(got.source) == ["Linked Monitor", "Test source 0", "Test source 0", "Test source 1"]
    assert list(got.place_name) == ["Maarrat al-Numan"] * 2 + ["Kafr Nabl"] * 2
    assert got.quote.iloc[0] == "barrel bombs"
    assert len(queries.claims(book, Filter())) == 13


def test_an_incidents_detail_and_claims(book):
    n = ids(book)
    detail = queries.incident_detail(book, n["L1"])
    assert detail["origin_id"] == "L1" and detail["place_name"] == "Hish"
    assert detail["canonical_id"] == n["B7"]
    assert sorted(detail["origins"]) == ["acled", "manual"]
    assert (detail["range_killed_min"], detail["range_killed_max"]) == (1, 20)
    assert queries.incident_detail(book, n["B3"])["range_killed_max"] is None
    assert queries.incident_detail(book, 999_999) is None
    claims = queries.incident_claims(book, n["B7"])
    assert list(zip(claims.origin, claims.source, strict=True)) == [
        ("acled", "Linked Monitor"),
        ("manual", "Test source 0"),
    ]
    assert list(claims.record_id) == [n["L1"], n["B7"]]
    assert queries.incident_claims(book, n["L1"]).claim_id.tolist() == claims.claim_id.tolist()
    records = queries.incident_records(book, n["L1"])
    assert list(records.origin_id) == ["B7", "L1"] and list(records.is_canonical) == [True, False]
    checks = queries.violation_checks(book, n["B7"])
    assert set(checks.agreement_id) == set(
        r[0] for r in book.execute("SELECT agreement_id FROM agreement").fetchall()
    )


def test_an_incident_for_editing(book):
    n = ids(book)
    fields, claims = queries.incident_for_editing(book, n["B2"])
    assert (fields["origin_id"], fields["place_name"]) == ("B2", "Sarmin")
    assert [(c["source_name"], c["killed_min"], c["killed_max"]) for c in claims] == [
        ("Test source 0", 5, 9),
        ("Test source 1", 3, 4),
    ]
    _, claims = queries.incident_for_editing(book, n["B3"])
    assert claims[0]["alleged_actor"] == "Local militia X"
    assert claims[0]["killed_min"] is None and claims[0]["quote"] is None
    assert queries.incident_for_editing(book, 999_999) is None


# --- counts per district, options, sources, actors --------------------------------------


def test_district_counts(book):
    got = queries.district_counts(book, Filter())
    assert list(got.itertuples(index=False, name=None)) == [
        ("Idleb", "Idleb", 3, 4, 11),  # B2 3-9, B3 -, B4 1-2
        ("Idleb", "Al Ma'ra", 2, 1, 20),  # B6 -, B7 1-20
        ("Idleb", "Ariha", 2, 10, 11),  # B1 1-2, B5 9-9
        ("Idleb", "Harim", 1, 2, 2),  # B8
    ]
    harim = queries.district_counts(book, Filter(districts=("Harim",)))
    assert list(harim.itertuples(index=False, name=None)) == [("Idleb", "Harim", 1, 2, 2)]


def test_filter_options_are_read_from_the_store(book):
    o = queries.filter_options(book)
    assert (o.first_date, o.last_date) == (date(2020, 6, 1), date(2020, 6, 8))
    assert o.governorates == ["Idleb"]
    assert o.districts == ["Al Ma'ra", "Ariha", "Harim", "Idleb"]
    assert o.origins == ["acled", "manual"]
    assert o.sources == [
        "Idlib Observatory",
        "Linked Monitor",
        "Test source 0",
        "Test source 1",
        "Test source 2",
    ]
    names = [r[0] for r in book.execute("SELECT name FROM actor ORDER BY name").fetchall()]
    assert o.actors == names and "Local militia X" in names
    agreements = dict(book.execute("SELECT agreement_id, name FROM agreement").fetchall())
    assert o.agreements == agreements
    assert queries.last_incident_date(book) == date(2020, 6, 8)
    # the editor offers every source the store knows, those of the reference tallies
    # (issue 25) too: a claim may cite a reporter that so far only counted; the filter
    # offers only sources that have claims (filtering by any other would show nothing)
    with open(tallies_reference.REFERENCE_CSV, encoding="utf-8", newline="") as f:
        reporters = {row["reporter"] for row in csv.DictReader(f)}
    assert "SNHR" in reporters and not reporters & set(o.sources)
    assert queries.source_names(book) == sorted(set(o.sources) | reporters)
    actors = queries.actor_names(book)
    assert actors[-1] == "Local militia X"  # awaiting review: last
    assert actors[:-1] == [a for a in names if a != "Local militia X"]
    assert queries.origins_in_view(book, Filter()) == ["acled", "manual"]
    assert queries.origins_in_view(book, Filter(districts=("Harim",))) == ["manual"]
    table = queries.source_table(book).set_index("name")
    assert table.loc["Test source 0", "claims"] == 7
    assert table.loc["Linked Monitor", "claims"] == 1
    assert (queries.demo_row_count(book), queries.demo_claim_count(book)) == (0, 0)


# --- the map ---------------------------------------------------------------------------


def test_the_map_switches_to_a_grid_above_the_point_limit(book, monkeypatch):
    frame, binned = queries.map_frame(book, Filter())
    assert not binned and len(frame) == 8 and set(frame.actor) == {"Russia", "Local militia X"}
    monkeypatch.setattr(queries.mapping, "MAP_POINT_LIMIT", 8)
    frame, binned = queries.map_frame(book, Filter())  # 8 located: not above the limit
    assert not binned and len(frame) == 8
    frame, binned = queries.map_frame(book, Filter(), located=9)  # the caller's count
    assert binned
    assert list(frame.itertuples(index=False, name=None)) == [(35.65, 36.65, 8, False)]
    frame, binned = queries.map_frame(book, Filter(districts=("Harim",)), located=0)
    assert not binned and len(frame) == 1


def test_the_default_alias_for_filter_conditions():
    sql, params = Filter(districts=("Harim",)).where()
    assert "f.district IN ($districts_1)" in sql and params == {"districts_1": "Harim"}


# --- the "weeks" store: what changed in the week of Monday 7 Jun 2021 -------------------
#
#  id    date               week     district          actor(s)
#  w53   2020-06-07 (Sun)   W-53     Harim             Turkey           before the 52 weeks
#  w52   2020-06-08 (Mon)   W-52     Harim             Russia
#  w5    2021-05-03         W-5      Idleb             Russia
#  w4    2021-05-10         W-4      Idleb             Russia
#  w1    2021-05-31         W-1      Ariha             Russia
#  w0a   2021-06-07 (Mon)   W        Ariha             Russia
#  wc    2021-06-09         W        Ariha             a clash: SAA and NLF (party claims)
#  w0b   2021-06-13 (Sun)   W        Ariha             Turkey
#  wnext 2021-06-14 (Mon)   W+1      Jisr-Ash-Shugur   Turkey           after the week
#  demo  2020-05-03 (demo origin), acled 2021-07-07 (acled): outside the 52 weeks

W = date(2021, 6, 7)
PAIR = "National Liberation Front – Syrian government"  # SAA is a name of it


@pytest.fixture(scope="module")
def weeks():
    con = fresh_store()
    rows = [
        ("w53", W - timedelta(days=365), "Harim", "Turkey"),
        ("w52", W - timedelta(weeks=52), "Harim", "Russia"),
        ("w5", W - timedelta(weeks=5), "Idleb", "Russia"),
        ("w4", W - timedelta(weeks=4), "Idleb", "Russia"),
        ("w1", W - timedelta(weeks=1), "Ariha", "Russia"),
        ("w0a", W, "Ariha", "Russia"),
        ("w0b", W + timedelta(days=6), "Ariha", "Turkey"),
        ("wnext", W + timedelta(days=7), "Jisr-Ash-Shugur", "Turkey"),
    ]
    write(con, *(incident(k, d, a, district=district) for k, d, district, a in rows))
    parties = [
        claim("Test source 0", "Syrian Arab Army", role="party"),
        claim("Test source 1", "National Liberation Front", role="party"),
    ]
    write(con, incident("wc", W + timedelta(days=2), district="Ariha", claims=parties))
    write(con, incident("d1", date(2020, 5, 3), "Russia", is_demo=True), origin="demo")
    write(con, incident("a1", date(2021, 7, 7), "Russia", district="Harim"), origin="acled")
    yield con
    con.close()


def test_weekly_changes_by_district(weeks):
    groups, pairs = queries.weekly_changes(weeks, Filter(), W, "district")
    assert list(groups.sort_values("grp").itertuples(index=False, name=None)) == [
        ("Ariha", 3, 1, 1),  # this week w0a, wc, w0b; w1 in the 4 and 52 weeks before
        ("Harim", 0, 0, 1),  # w52 (w53 is before the 52 weeks)
        ("Idleb", 0, 1, 2),  # w4 in the 4 weeks before, w5 only in the 52
    ]
    assert list(groups.index) == [0, 1, 2]
    assert sorted(pairs.itertuples(index=False, name=None)) == [
        ("Russia", "Ariha", 1, 1),
        ("Russia", "Harim", 0, 1),
        ("Russia", "Idleb", 0, 2),
        ("Turkey", "Ariha", 1, 0),
    ]  # the clash (no perpetrator) is no actor's
    assert list(pairs.columns) == ["actor", "area", "this_week", "before"]


def test_weekly_changes_by_actor_and_governorate(weeks):
    groups, _ = queries.weekly_changes(weeks, Filter(), W, "actor")
    assert sorted(groups.itertuples(index=False, name=None)) == [
        (CLASH_GROUP, 1, 0, 0),
        ("Russia", 1, 2, 4),  # w0a; w1, w4; w1, w4, w5, w52
        ("Turkey", 1, 0, 0),  # w0b (w53 before, wnext after)
    ]
    groups, _ = queries.weekly_changes(weeks, Filter(), W, "governorate")
    assert list(groups.itertuples(index=False, name=None)) == [("Idleb", 3, 2, 4)]
    with pytest.raises(
        ValueError, match=r"^by must be one of governorate, district, actor, not 'x'$"
    ):
        queries.weekly_changes(weeks, Filter(), W, "x")


def test_weekly_counts(weeks):
    got = queries.weekly_counts(
        weeks, Filter(), W - timedelta(weeks=4), W + timedelta(days=7), "district"
    )
    assert list(got.itertuples(index=False, name=None)) == [
        ("Ariha", W - timedelta(weeks=1), 1),
        ("Ariha", W, 3),
        ("Idleb", W - timedelta(weeks=4), 1),
    ]
    assert all(type(w) is date for w in got.week)
    got = queries.weekly_counts(weeks, Filter(), W, W + timedelta(days=14), "actor")
    assert list(got.itertuples(index=False, name=None)) == [
        (CLASH_GROUP, W, 1),
        ("Russia", W, 1),
        ("Turkey", W, 1),
        ("Turkey", W + timedelta(weeks=1), 1),
    ]


def test_data_coverage_is_of_the_origins_and_demo_choice_only(weeks):
    assert queries.data_coverage(weeks, Filter()) == (date(2020, 5, 3), date(2021, 7, 7))
    manual = Filter(origins=("manual",), districts=("Ariha",), actors=("Turkey",))
    assert queries.data_coverage(weeks, manual) == (date(2020, 6, 7), date(2021, 6, 14))
    no_demo = Filter(include_demo=False, start=date(2021, 1, 1))
    assert queries.data_coverage(weeks, no_demo) == (date(2020, 6, 7), date(2021, 7, 7))


def test_clash_pairs(weeks):
    got = queries.clash_pairs(weeks, Filter())
    assert list(got.itertuples(index=False, name=None)) == [(pd.Timestamp(W), PAIR, 1)]
    got = queries.clash_pairs(weeks, Filter(), "month")
    assert list(got.itertuples(index=False, name=None)) == [(pd.Timestamp(2021, 6, 1), PAIR, 1)]
    for f in (Filter(actors=("Russia",)), Filter(sides=("Turkey",))):
        empty = queries.clash_pairs(weeks, f)
        assert empty.empty and list(empty.columns) == ["period", "clash_pair", "incidents"]


def test_demo_rows_are_counted(weeks):
    assert (queries.demo_row_count(weeks), queries.demo_claim_count(weeks)) == (1, 1)


def test_a_semi_join_in_the_filter_is_recognised():
    assert not counts._filter_has_semi_join(Filter())
    assert counts._filter_has_semi_join(Filter(actors=("Russia",)))
    assert counts._filter_has_semi_join(Filter(sides=("Turkey",)))
    assert counts._filter_has_semi_join(Filter(attribution="source", attribution_source="X"))
    assert not counts._filter_has_semi_join(Filter(attribution="majority"))


# --- the "mixed" store: who an incident counts under, per attribution mode ---------------
#
#  id  date        claims (source: actor, role/basis)
#  X1  2020-06-01  S0: Russia; S1: Turkey                      (a tie)
#  X2  2020-06-02  S0: Russia; S1: Russia; S1: Turkey          (Russia, 2 of 3)
#  X3  2020-06-03  S0: Turkey (inferred); S1: HTS
#  X4  2020-06-04  S0: Syrian Arab Army, party; S1: National Liberation Front, party (a clash)
#  X5  2020-06-05  S0: no actor named
#  X6  2020-06-06  S0: Turkey (inferred)                       (Turkey, only inferred)
#
# HTS is stored as Hayat Tahrir al-Sham, the Syrian Arab Army as the Syrian government.


@pytest.fixture(scope="module")
def mixed():
    con = fresh_store()
    s0, s1 = "Test source 0", "Test source 1"
    inferred = dict(attribution_basis="inferred", attribution_rule="acled-other-actor-civilians")
    rows = {
        "X1": [claim(s0), claim(s1, "Turkey")],
        "X2": [claim(s0), claim(s1), claim(s1, "Turkey")],
        "X3": [claim(s0, "Turkey", **inferred), claim(s1, "HTS")],
        "X4": [
            claim(s0, "Syrian Arab Army", role="party"),
            claim(s1, "National Liberation Front", role="party"),
        ],
        "X5": [claim(s0, None)],
        "X6": [claim(s0, "Turkey", **inferred)],
    }
    write(
        con,
        *(incident(k, date(2020, 6, n), claims=c) for n, (k, c) in enumerate(rows.items(), 1)),
    )
    yield con
    con.close()


def by_actor(con, f: Filter) -> dict:
    """Incidents per actor group: from the timeline, the matrix and both in one query."""
    timeline = queries.timeline(con, f, "month").groupby("actor").incidents.sum().to_dict()
    matrix = queries.actor_target(con, f).groupby("actor").incidents.sum().to_dict()
    both_timeline, both_matrix = queries.attributed_counts(con, f)
    assert both_timeline.groupby("actor").incidents.sum().to_dict() == timeline
    assert both_matrix.groupby("actor").incidents.sum().to_dict() == matrix == timeline
    return timeline


S1 = "Test source 1"


HTS, NONE = "Hayat Tahrir al-Sham", "No majority (tie)"


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, {"Russia": 2, "Turkey": 4, HTS: 1, CLASH_GROUP: 1, "Unknown": 1}),
        # X3 and X6 lose their inferred Turkey; X6 then names no one
        ({"stated_only": True}, {"Russia": 2, "Turkey": 2, HTS: 1, CLASH_GROUP: 1, "Unknown": 2}),
        ({"actors": ("Russia",)}, {"Russia": 2}),  # X1, X2: their Turkey rows are not shown
        ({"sides": ("Turkey",)}, {"Turkey": 4}),
        ({"sides": ("Turkey",), "stated_only": True}, {"Turkey": 2}),
        (
            {"attribution": "majority"},
            {NONE: 2, "Russia": 1, "Turkey": 1, CLASH_GROUP: 1, "Unknown": 1},
        ),
        (  # X6's majority actor is only inferred: not named
            {"attribution": "majority", "stated_only": True},
            {NONE: 2, "Russia": 1, CLASH_GROUP: 1, "Unknown": 2},
        ),
        ({"attribution": "majority", "actors": ("Russia",)}, {"Russia": 1}),  # X2 (X1: a tie)
        (
            {"attribution": "source", "attribution_source": S1},
            {"Turkey": 2, "Russia": 1, HTS: 1, CLASH_GROUP: 1},
        ),
        # X2, where S1 also names Turkey: only the Russia row is shown
        ({"attribution": "source", "attribution_source": S1, "actors": ("Russia",)}, {"Russia": 1}),
        (
            {"attribution": "source", "attribution_source": "Test source 0"},
            {"Russia": 2, "Turkey": 2, CLASH_GROUP: 1, "Unknown": 1},
        ),
        (
            {"attribution": "source", "attribution_source": "Test source 0", "stated_only": True},
            {"Russia": 2, CLASH_GROUP: 1, "Unknown": 3},
        ),
    ],
)
def test_who_an_incident_counts_under(mixed, fields, expected):
    assert by_actor(mixed, Filter(**fields)) == expected


def test_the_map_and_the_table_name_whom_each_incident_counts_under(mixed):
    frame, binned = queries.map_frame(mixed, Filter())
    several = "Several actors"
    assert not binned
    assert list(frame.actor) == [several, several, several, CLASH_GROUP, "Unknown", "Turkey"]
    frame, _ = queries.map_frame(mixed, Filter(attribution="majority"))
    assert list(frame.actor) == [NONE, "Russia", NONE, CLASH_GROUP, "Unknown", "Turkey"]
    rows = queries.incidents(mixed, Filter(), 10, 0, "oldest")
    assert list(rows.counted_under) == [
        "Russia; Turkey",
        "Russia; Turkey",
        f"{HTS}; Turkey",
        CLASH_GROUP,
        "Unknown",
        "Turkey",
    ]
    assert pd.isna(rows.alleged_actors.iloc[3])  # party claims only: no perpetrator
    assert rows.parties.iloc[3] == "National Liberation Front; Syrian government"


def test_the_default_time_unit_is_the_week(mixed, weeks):
    sql, params = counts.clash_pairs_sql(Filter())
    assert weeks.execute(sql, params).fetchall() == [(W, PAIR, 1)]
    timeline, _ = queries.attributed_counts(mixed, Filter())
    assert set(timeline.period) == {pd.Timestamp(2020, 6, 1)}  # Mon 1 Jun to Sat 6 Jun
    assert len(timeline) == 5 and list(timeline.columns) == ["period", "actor", "side", "incidents"]


def test_compare_counts_without_an_agreement(weeks):
    """7 days before and from Monday W: w1 before; w0a, wc, w0b after (wnext is a day
    past the window). With no agreement nothing meets its terms and no clash is set
    apart."""
    got = queries.compare_counts(weeks, Filter(), W, 7)
    columns = ["breakdown", "group", "period", "incidents", "meets_terms", "killed_min"]
    assert list(got[columns].itertuples(index=False, name=None)) == [
        ("actor", CLASH_GROUP, "after", 1, 0, 0),
        ("actor", "Russia", "after", 1, 0, 1),
        ("actor", "Russia", "before", 1, 0, 1),
        ("actor", "Turkey", "after", 1, 0, 1),
        ("all", "All", "after", 3, 0, 2),
        ("all", "All", "before", 1, 0, 1),
        ("side", "Turkey", "after", 1, 0, 1),
        ("side", "clash", "after", 1, 0, 0),
        ("side", "pro-government coalition", "after", 1, 0, 1),
        ("side", "pro-government coalition", "before", 1, 0, 1),
    ]


def test_an_agreements_terms_without_its_dates(book):
    sql, params = queries.meets_terms_sql("moscow-2020")
    assert params == {"terms_agreement": "moscow-2020"}
    got = book.execute(
        f"SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) "
        f"WHERE {sql} ORDER BY 1",
        params,
    ).fetchall()
    # in Idleb, an airstrike, by Russia (bound); B3's actor awaits review (no side)
    assert [r[0] for r in got] == ["B1", "B2", "B4", "B5", "B6", "B7", "B8"]


def test_weekly_changes_and_clash_pairs_under_a_filter(weeks):
    """The same counts with a condition in the filter (its alias is read)."""
    two = Filter(districts=("Ariha", "Idleb"))
    groups, pairs = queries.weekly_changes(weeks, two, W, "district")
    assert sorted(groups.itertuples(index=False, name=None)) == [
        ("Ariha", 3, 1, 1),
        ("Idleb", 0, 1, 2),
    ]
    assert len(pairs) == 3  # Russia/Ariha, Russia/Idleb, Turkey/Ariha
    got = queries.weekly_counts(
        weeks, Filter(districts=("Ariha",)), W, W + timedelta(days=7), "actor"
    )
    assert list(got.itertuples(index=False, name=None)) == [
        (CLASH_GROUP, W, 1),
        ("Russia", W, 1),
        ("Turkey", W, 1),
    ]
    got = queries.clash_pairs(weeks, Filter(districts=("Ariha",)))
    assert list(got.itertuples(index=False, name=None)) == [(pd.Timestamp(W), PAIR, 1)]
    assert queries.clash_pairs(weeks, Filter(districts=("Idleb",))).empty


def test_clash_pairs_under_an_actor_or_side_filter_are_empty_without_a_query():
    for f in (Filter(actors=("Russia",)), Filter(sides=("Turkey",))):
        con = _Recorder()
        empty = queries.clash_pairs(con, f)
        assert con.calls == [] and empty.empty


def test_sql_for_passes_its_options(book):
    sql, params = queries.sql_for("timeline", Filter(), by="month")
    periods = {r[0] for r in book.execute(sql, params).fetchall()}
    assert periods == {date(2020, 6, 1)}  # by week: 1 and 8 Jun
    sql, params = queries.sql_for("timeline", Filter())
    assert {r[0] for r in book.execute(sql, params).fetchall()} == {
        date(2020, 6, 1),
        date(2020, 6, 8),
    }


def test_a_late_page_is_asked_for_from_the_end_when_the_total_is_known():
    con = _Recorder()
    queries.incidents(con, Filter(), 3, 8, total=10)
    assert con.calls[0][1] == {"limit": 2, "offset": 0}  # the last 2 rows, from the end
    queries.incidents(con, Filter(), 3, 8)
    assert con.calls[1][1] == {"limit": 3, "offset": 8}


def test_the_time_unit_reaches_the_by_actor_counts(book):
    by_month = {pd.Timestamp(2020, 6, 1)}
    by_week = {pd.Timestamp(2020, 6, 1), pd.Timestamp(2020, 6, 8)}
    assert set(queries.timeline(book, Filter(), "month").period) == by_month
    assert set(queries.timeline(book, Filter(), "week").period) == by_week
    timeline, _ = queries.attributed_counts(book, Filter(), "month")
    assert set(timeline.period) == by_month
    timeline, _ = queries.attributed_counts(book, Filter(attribution="majority"), "month")
    assert set(timeline.period) == by_month
    sql, params = counts.attributed_counts_sql(Filter(attribution="majority"))  # by week
    periods = {r[0] for r in book.execute(sql, params).fetchall() if r[0] is not None}
    assert periods == {date(2020, 6, 1), date(2020, 6, 8)}


def test_compare_counts_under_a_filter_condition(weeks):
    got = queries.compare_counts(weeks, Filter(districts=("Ariha",), weapons=("airstrike",)), W, 7)
    rows = got[got.breakdown == "all"][["period", "incidents"]]
    assert list(rows.itertuples(index=False, name=None)) == [("after", 3), ("before", 1)]
