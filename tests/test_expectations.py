"""Rules checked against numbers worked out by hand, never against the code under test.

Each store here is small and hand-made; every expected count is a literal, derived in
the comment beside it from the rule as docs/counting.md states it. Counts are read with plain
SQL or ``queries.headline`` (the code under test, whose answer must match the literal).
These tests exist so that breaking one condition of one rule (dropping a filter, moving
a date boundary by a day, a linking limit) makes at least one test fail; see
tests/MUTATION.md.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from ceasefire import queries, store, taxonomy
from ceasefire.analysis import compare
from ceasefire.filters import Filter
from ceasefire.records import ClaimRecord
from ceasefire.store import bootstrap, transaction
from ceasefire.tables import derive
from conftest import import_records, incident, write


def fresh_store():
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    return con


def add_agreement(con, agreement_id: str, start: datetime, end: datetime | None) -> None:
    """A test agreement covering all of Idleb, binding the three sides."""
    with transaction(con):
        con.execute(
            "INSERT INTO agreement (agreement_id, name, signed_on, in_force_from, in_force_to, "
            "parties, bound_sides, area, citation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                agreement_id,
                f"Test agreement {agreement_id}",
                start.date(),
                start,
                end,
                ["Russia", "Turkey"],
                ["pro-government coalition", "opposition factions", "Turkey"],
                "Idleb governorate",
                "test",
            ],
        )
        con.execute(
            "INSERT INTO agreement_area (agreement_id, governorate, district) "
            "VALUES (?, 'Idleb', NULL)",
            [agreement_id],
        )
        derive.refresh(con)


def count(con, **filter_fields) -> int:
    return int(queries.headline(con, Filter(**filter_fields))["incidents"])


# --- one literal count per Filter field ----------------------------------------------
#
#  id  date        origin  actors (one claim each, Test source 0, 1...)  weapon          target          district         verification
#  M1  2020-06-01  manual  Russia, Syrian Arab Army (tie)               airstrike       market          Harim            verified
#  M2  2020-06-02  manual  Syrian Arab Army                             shelling/art.   medical         Al Ma'ra         reported
#  M3  2020-06-03  manual  Turkey                                       drone strike    civ. resid.     Idleb            disputed
#  M4  2020-06-04  manual  HTS                                          IED             civ. resid.     Ariha            reported
#  A1  2020-06-05  acled   National Liberation Front                    rocket/missile  civ. resid.     Jisr-Ash-Shugur  reported
#  D1  2020-06-06  demo    Russia                                       airstrike       civ. resid.     Al Ma'ra         reported
#  H1  2020-06-07  manual  Russia                                       airstrike       civ. resid.     As-Suqaylabiyah  reported  (Hama)


@pytest.fixture(scope="module")
def six():
    con = fresh_store()
    write(
        con,
        incident(
            "M1",
            date(2020, 6, 1),
            "Russia",
            "Syrian Arab Army",
            target_type="market",
            district="Harim",
            verification="verified",
        ),
        incident(
            "M2",
            date(2020, 6, 2),
            "Syrian Arab Army",
            weapon="shelling/artillery",
            target_type="medical",
        ),
        incident(
            "M3",
            date(2020, 6, 3),
            "Turkey",
            weapon="drone strike",
            district="Idleb",
            verification="disputed",
        ),
        incident("M4", date(2020, 6, 4), "HTS", weapon="IED", district="Ariha"),
        incident(
            "H1",
            date(2020, 6, 7),
            "Russia",
            governorate="Hama",
            district="As-Suqaylabiyah",
            latitude=35.4,
            longitude=36.4,
        ),
    )
    write(
        con,
        incident(
            "A1",
            date(2020, 6, 5),
            "National Liberation Front",
            weapon="rocket/missile",
            district="Jisr-Ash-Shugur",
            latitude=35.8,
            longitude=36.3,
        ),
        origin="acled",
    )
    write(con, incident("D1", date(2020, 6, 6), "Russia", is_demo=True), origin="demo")
    yield con
    con.close()


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, 7),
        ({"districts": ("Harim",)}, 1),  # M1
        ({"districts": ("Harim", "Ariha")}, 2),  # M1, M4
        ({"governorates": ("Hama",)}, 1),  # H1
        ({"verification": ("disputed",)}, 1),  # M3
        ({"verification": ("verified", "disputed")}, 2),  # M1, M3
        ({"weapons": ("IED",)}, 1),  # M4
        ({"weapons": ("airstrike",)}, 3),  # M1, D1, H1
        ({"target_types": ("market",)}, 1),  # M1
        ({"origins": ("acled",)}, 1),  # A1
        ({"origins": ("manual",)}, 5),  # M1-M4, H1
        ({"include_demo": False}, 6),  # all but D1
        ({"sides": ("Turkey",)}, 1),  # M3
        ({"sides": ("pro-government coalition",)}, 4),  # M1, M2, D1, H1
        ({"sides": ("other",)}, 1),  # M4 (HTS)
        ({"actors": ("Russia",)}, 3),  # M1, D1, H1 under 'any'
        ({"actors": ("Russia",), "attribution": "majority"}, 2),  # D1, H1 (M1 is a tie)
        ({"attribution": "source", "attribution_source": "Test source 1"}, 1),  # M1
        ({"attribution": "source", "attribution_source": "Test source 0"}, 7),
        (
            {
                "attribution": "source",
                "attribution_source": "Test source 1",
                "actors": ("Russia",),
            },
            0,  # source 1 names the Syrian Arab Army, not Russia
        ),
        ({"start": date(2020, 6, 3)}, 5),  # M3 (on the boundary: counted), M4, A1, D1, H1
        ({"end": date(2020, 6, 3)}, 3),  # M1, M2, M3 (on the boundary: counted)
        ({"start": date(2020, 6, 2), "end": date(2020, 6, 2)}, 1),  # M2
        ({"violations_only": True}, 6),  # all but M4 (HTS: outside the agreements)
        ({"violations_only": True, "include_demo": False}, 5),
    ],
)
def test_each_filter_field_selects_the_incidents_worked_out_by_hand(six, fields, expected):
    assert count(six, **fields) == expected


def test_the_violations_in_the_small_store_are_those_of_the_rule(six):
    # In force (Moscow protocol from 6 Mar 2020), in the area (Idleb; Hama's
    # As-Suqaylabiyah), kinetic, blamed on a bound side: all but M4 (HTS, side "other").
    rows = six.execute(
        "SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) "
        "WHERE f.is_alleged_violation ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["A1", "D1", "H1", "M1", "M2", "M3"]


# --- an agreement with an end date; date precision windows -----------------------------
#
# "test-july" is in force from 1 Jul 2020 00:00 to 31 Jul 2020 (its last day counts).
# An incident violates it when its whole window lies inside: the day (day precision),
# 7 days from the stored date (week), the calendar month (month).


@pytest.fixture(scope="module")
def july():
    con = fresh_store()
    add_agreement(con, "test-july", datetime(2020, 7, 1), datetime(2020, 7, 31))
    rows = [
        ("day-jun30", date(2020, 6, 30), "day"),  # before: no
        ("day-jul01", date(2020, 7, 1), "day"),  # first day: yes
        ("day-jul31", date(2020, 7, 31), "day"),  # last day: yes
        ("day-aug01", date(2020, 8, 1), "day"),  # after: no
        ("week-jul25", date(2020, 7, 25), "week"),  # 25-31 Jul: yes
        ("week-jul26", date(2020, 7, 26), "week"),  # 26 Jul-1 Aug: no
        ("week-jun30", date(2020, 6, 30), "week"),  # starts before: no
        ("month-jul", date(2020, 7, 1), "month"),  # the whole of July: yes
        ("month-jun", date(2020, 6, 1), "month"),  # June: no
    ]
    write(con, *(incident(k, d, "Russia", date_precision=p) for k, d, p in rows))
    yield con
    con.close()


def violators(con, agreement_id: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) "
            "WHERE list_contains(f.violated_agreements, ?) ORDER BY 1",
            [agreement_id],
        ).fetchall()
    ]


def test_an_agreement_with_an_end_date_ends_on_its_last_day(july):
    assert violators(july, "test-july") == ["day-jul01", "day-jul31", "month-jul", "week-jul25"]


def test_the_agreement_filter_keeps_the_period_in_force(july):
    # by date only (the filter reads the stored date): 1 Jul to 31 Jul inclusive
    assert count(july, agreement="test-july") == 5  # day-jul01, day-jul31, week-jul25/26, month-jul
    assert count(july, agreement="test-july", violations_only=True) == 4


def test_a_month_precision_window_runs_to_the_months_last_day():
    # An agreement in force 1-30 July 2020: the month of July (1-31) does not lie inside
    # it (a window ending on the 30th would); 30 July does. In February 2020 (29 days)
    # an agreement ending on the 28th leaves the month out, one ending on the 29th not.
    con = fresh_store()
    add_agreement(con, "to-jul30", datetime(2020, 7, 1), datetime(2020, 7, 30))
    add_agreement(con, "to-feb28", datetime(2020, 2, 1), datetime(2020, 2, 28))
    add_agreement(con, "to-feb29", datetime(2020, 2, 1), datetime(2020, 2, 29))
    write(
        con,
        incident("month-jul", date(2020, 7, 1), "Russia", date_precision="month"),
        incident("day-jul30", date(2020, 7, 30), "Russia"),
        incident("month-feb", date(2020, 2, 1), "Russia", date_precision="month"),
    )
    assert violators(con, "to-jul30") == ["day-jul30"]
    assert violators(con, "to-feb28") == []
    assert violators(con, "to-feb29") == ["month-feb"]
    con.close()


def test_an_ied_attack_is_kinetic_and_counts():
    # rule 3: the kinetic weapons, IED among them; "other" is not kinetic
    assert set(taxonomy.KINETIC_WEAPONS) == {
        "airstrike", "drone strike", "shelling/artillery", "rocket/missile", "ground clash",
        "IED",
    }  # fmt: skip
    con = fresh_store()
    add_agreement(con, "test-ied", datetime(2020, 7, 1), None)
    write(
        con,
        incident("ied", date(2020, 7, 10), "Russia", weapon="IED"),
        incident("other", date(2020, 7, 10), "Russia", weapon="other"),
    )
    assert violators(con, "test-ied") == ["ied"]
    con.close()


def test_a_claim_giving_only_a_minimum_has_it_as_its_maximum_in_the_claim_facts():
    # "more than 30" is coded 31 with no maximum; the claim facts count it as 31-31 (a
    # range reaches no higher than what a source said), for every figure
    con = fresh_store()
    claim = ClaimRecord(
        source_name="S", alleged_actor="Russia", killed_min=31, wounded_min=5,
        civilians_killed_min=2,
    )  # fmt: skip
    write(con, incident("min-only", date(2020, 7, 10), claims=[claim]))
    facts = con.execute(
        "SELECT killed_min, killed_max, wounded_min, wounded_max, civilians_killed_min, "
        "civilians_killed_max FROM claim_fact"
    ).fetchall()
    assert facts == [(31, 31, 5, 5, 2, 2)]
    con.close()


# --- Compare: N days before and after the agreement enters into force ------------------


def test_compare_windows_hold_exactly_n_days_on_each_side(july):
    """The Compare page's numbers (``ceasefire/analysis/compare.py``), around 11 Jul 2020 with
    10-day windows: before = 1 to 10 Jul, after = 11 to 20 Jul (both edges inclusive)."""
    con = fresh_store()
    add_agreement(con, "test-cmp", datetime(2020, 7, 11), None)
    days = [date(2020, 6, 30), date(2020, 7, 1), date(2020, 7, 10), date(2020, 7, 11)]
    days += [date(2020, 7, 20), date(2020, 7, 21)]
    write(con, *(incident(f"c{i}", d, "Russia") for i, d in enumerate(days)))
    ref = compare.reference(con, "test-cmp", "in_force")
    assert ref.on == date(2020, 7, 11)
    result = compare.compare(con, Filter(), ref, windows=(10,))
    assert result.spans[10] == {
        "before": {"from": "2020-07-01", "days": 10},
        "after": {"from": "2020-07-11", "days": 10},
    }
    rows = result.frame[result.frame.breakdown == "all"].set_index("measure")
    assert rows.loc["incidents", "before_count"] == 2  # 1 Jul and 10 Jul (30 Jun is out)
    assert rows.loc["incidents", "after_count"] == 2  # 11 Jul and 20 Jul (21 Jul is out)
    assert rows.loc["meets_terms", "before_count"] == 2  # where/how/who hold on any date
    assert rows.loc["meets_terms", "after_count"] == 2
    # a window of 11 days takes in 30 Jun (not 21 Jul: the data end there, so it is cut)
    wider = compare.compare(con, Filter(), ref, windows=(11,)).frame
    wider = wider[wider.breakdown == "all"].set_index("measure")
    assert wider.loc["incidents", "before_count"] == 3
    assert wider.loc["incidents", "after_count"] == 3  # 11, 20 and 21 Jul
    con.close()


# --- cross-dataset linking ---------------------------------------------------------------
# The rule runs as an import runs it (``import_records``: the linking inside the write;
# with no records, a re-import that changes no row and still links over the store).

EARTH_KM = 6371.0
BASE_LAT, BASE_LON = 35.90, 36.60


def north(km: float) -> float:
    """Degrees of latitude for ``km`` along a meridian."""
    return math.degrees(km / EARTH_KM)


def linked(con) -> dict[str, str | None]:
    """origin_id -> origin_id of the incident it is linked to (None when canonical)."""
    rows = con.execute(
        "SELECT i.origin_id, t.origin_id FROM incident i "
        "LEFT JOIN incident t ON t.incident_id = i.linked_to ORDER BY 1"
    ).fetchall()
    return dict(rows)


def pair(key: str, slot: int, *, km=0.0, gap=0, lo_actor="Russia", hi_actor="Russia", **kw):
    """A manual incident and an ACLED one, ``km`` apart and ``gap`` days apart, in their
    own place (slots are 0.5 degrees apart: far beyond any linking distance)."""
    lat = BASE_LAT - 0.5 * slot
    day = date(2020, 6, 10)
    hi = incident(
        f"{key}-hi", day, *([hi_actor] if hi_actor else []), latitude=lat, longitude=BASE_LON, **kw
    )
    lo = incident(
        f"{key}-lo",
        date.fromordinal(day.toordinal() + gap),
        *([lo_actor] if lo_actor else []),
        latitude=lat + north(km),
        longitude=BASE_LON,
        **kw,
    )
    return hi, lo


@pytest.fixture(scope="module")
def links():
    con = fresh_store()
    cases = [
        pair("near-4.9km", 0, km=4.9),
        pair("far-5.1km", 1, km=5.1),
        pair("gap-1day", 2, gap=1),
        pair("gap-2days", 3, gap=2),
        pair("same-side", 4, lo_actor="Syrian Arab Army"),  # Russia / Syrian government
        pair("other-side", 5, lo_actor="Turkey"),  # pro-government vs Turkey
        pair("hts", 6, lo_actor="HTS"),  # side "other" shares nothing
        pair("unnamed", 7, lo_actor=None),  # one names no one
        pair("other-weapon", 8, weapon="airstrike"),
    ]
    write(con, *(hi for hi, _ in cases), origin="manual")
    write(con, *(lo for _, lo in cases), origin="acled")
    # a chain that must not form: UCDP 3 km from the ACLED one that links to manual,
    # and 6 km from the manual one
    lat = BASE_LAT - 0.5 * 9
    write(con, incident("chain-m", date(2020, 6, 10), "Russia", latitude=lat, longitude=BASE_LON))
    write(
        con,
        incident(
            "chain-a", date(2020, 6, 10), "Russia", latitude=lat + north(3), longitude=BASE_LON
        ),
        origin="acled",
    )
    write(
        con,
        incident(
            "chain-u", date(2020, 6, 10), "Russia", latitude=lat + north(6), longitude=BASE_LON
        ),
        origin="ucdp",
    )
    import_records(con, origin="acled")
    yield linked(con)
    con.close()


@pytest.mark.parametrize(
    "key, expected",
    [
        ("near-4.9km", True),
        ("far-5.1km", False),
        ("gap-1day", True),
        ("gap-2days", False),
        ("same-side", True),
        ("other-side", False),
        ("hts", False),
        ("unnamed", True),
        ("other-weapon", True),
    ],
)
def test_linking_pairs(links, key, expected):
    assert links[f"{key}-hi"] is None  # the manual record stays canonical
    assert links[f"{key}-lo"] == (f"{key}-hi" if expected else None)


def test_links_never_chain(links):
    assert links["chain-a"] == "chain-m"
    assert links["chain-u"] is None  # 3 km from chain-a, which is linked away
    assert links["chain-m"] is None


def test_different_weapons_do_not_link():
    con = fresh_store()
    write(con, incident("w-hi", date(2020, 6, 10), "Russia", weapon="airstrike"))
    write(con, incident("w-lo", date(2020, 6, 10), "Russia", weapon="IED"), origin="acled")
    write(
        con,
        incident("o-lo", date(2020, 6, 10), "Russia", weapon="other", latitude=35.0),
        origin="ucdp",
    )
    write(con, incident("o-hi", date(2020, 6, 10), "Russia", weapon="IED", latitude=35.0))
    import_records(con, origin="acled")
    assert linked(con) == {"o-hi": None, "o-lo": "o-hi", "w-hi": None, "w-lo": None}
    con.close()


def test_a_link_that_a_first_round_frees_is_made_in_a_second_and_all_are_counted():
    # On one meridian: manual M at 0 km, ACLED A at 3 km, UCDP U at 6 km, ACLED A2 at
    # 9.5 km. Round 1: A -> M (3 km, mutual); U's nearest ACLED is A (3 km, mutual),
    # but A is being linked away, so U -> A would chain and is dropped; A2's nearest
    # UCDP is U, U's is A: not mutual. Round 2: A is gone, U and A2 (3.5 km) are each
    # other's nearest: U -> A2. Two links in all; a third round finds nothing.
    con = fresh_store()
    day = date(2020, 6, 10)
    at = lambda key, km: incident(key, day, "Russia", latitude=BASE_LAT + north(km))  # noqa: E731
    write(con, at("M", 0))
    write(con, at("A", 3), at("A2", 9.5), origin="acled")
    write(con, at("U", 6), origin="ucdp")
    assert import_records(con, origin="acled") == 2
    assert linked(con) == {"A": "M", "A2": None, "M": None, "U": "A2"}
    # the work table is gone from the caller's connection, and a second run adds nothing
    with pytest.raises(Exception, match="_links"):
        con.execute("SELECT * FROM _links")
    assert import_records(con, origin="acled") == 0
    con.close()


def test_a_pair_an_editor_marked_distinct_is_never_linked_either_way_round():
    # M (manual) and A (acled) 1 km apart on one day: linked, unless an editor said they
    # are distinct events (incident_distinct, in either order)
    day = date(2020, 6, 10)
    for order in ("manual first", "acled first"):
        con = fresh_store()
        write(con, incident("M", day, "Russia", latitude=BASE_LAT))
        write(con, incident("A", day, "Russia", latitude=BASE_LAT + north(1)), origin="acled")
        ids = dict(con.execute("SELECT origin_id, incident_id FROM incident").fetchall())
        pair = [ids["M"], ids["A"]] if order == "manual first" else [ids["A"], ids["M"]]
        con.execute("INSERT INTO incident_distinct VALUES (?, ?, 1)", pair)
        assert import_records(con, origin="acled") == 0, order
        assert linked(con) == {"A": None, "M": None}
        con.execute("DELETE FROM incident_distinct")
        assert import_records(con, origin="acled") == 1
        assert linked(con) == {"A": "M", "M": None}
        con.close()


# --- mapped spreadsheets: a maximum below its minimum is refused -------------------------


def test_a_mapped_sheet_with_max_below_min_is_refused(tmp_path):
    from pathlib import Path

    from ceasefire import importers

    fixtures = Path(__file__).resolve().parent / "fixtures"
    lines = (fixtures / "own_sheet.csv").read_text().splitlines(keepends=True)
    assert ",2,6,Fair," in lines[1]
    lines[1] = lines[1].replace(",2,6,Fair,", ",6,2,Fair,")  # max 2 below min 6
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("".join(lines))
    con = fresh_store()
    prepared = importers.prepare_file(con, "table", sheet, mapping=fixtures / "own_sheet.toml")
    assert [(p.line, p.column, p.reason) for p in prepared.report.problems] == [
        (2, "max_dead", "maximum below its minimum (min_dead)")
    ]
    equal = tmp_path / "equal.csv"
    equal.write_text("".join(lines).replace(",6,2,Fair,", ",6,6,Fair,"))
    assert (
        importers.prepare_file(
            con, "table", equal, mapping=fixtures / "own_sheet.toml"
        ).report.problems
        == []
    )
    con.close()


# --- removing one origin ------------------------------------------------------------------


def test_removing_an_origin_removes_its_incidents_and_claims_and_frees_those_linked_to_them():
    from ceasefire.records import delete_origin

    con = fresh_store()
    day = date(2020, 6, 10)
    write(con, incident("M1", day, "Russia"), incident("M2", day, "Turkey", latitude=35.0))
    write(con, incident("A1", day, "Russia"), origin="acled")  # same place and day as M1
    write(con, incident("D1", day, "HTS", latitude=36.0), origin="demo")
    import_records(con, origin="acled")
    assert linked(con)["A1"] == "M1"
    seen = []
    assert delete_origin(con, "manual", on_commit=lambda c, n: seen.append(n)) == 2
    assert seen == [2]
    assert linked(con) == {"A1": None, "D1": None}
    # 2 claims left (one each for A1 and D1), none pointing at a removed incident
    assert con.execute("SELECT count(*) FROM claim").fetchone()[0] == 2
    assert (
        con.execute(
            "SELECT count(*) FROM claim WHERE incident_id NOT IN (SELECT incident_id FROM incident)"
        ).fetchone()[0]
        == 0
    )
    # the derived tables are rebuilt: A1 counts again on its own
    facts = con.execute(
        "SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) ORDER BY 1"
    ).fetchall()
    assert facts == [("A1",), ("D1",)]
    assert delete_origin(con, "ucdp") == 0
    assert delete_origin(con, "demo") == 1
    assert linked(con) == {"A1": None}
    con.close()


def test_a_scoped_refresh_leaves_no_work_table_behind():
    con = fresh_store()
    write(con, incident("S1", date(2020, 6, 10), "Russia"))
    [(incident_id,)] = con.execute("SELECT incident_id FROM incident").fetchall()
    with transaction(con):
        derive.refresh(con, [incident_id])
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "_derive_scope" not in tables
    assert con.execute("SELECT count(*) FROM incident_fact").fetchone()[0] == 1
    con.close()
