"""The importers' rule fragments on one-line inputs, with literal expectations.

Fast tests (no store, one in-memory DuckDB table each) that pin the SQL the importers
are written with: the row checks (``importers.checks``) and the attribution rules that
decide claim roles (``acled.roles_sql``, ``ucdp.roles_sql``). Every expected value is a
literal worked out from the rule as the module docstrings state it. They are the
mutation-test selection's quickest way to reach these functions (tests/MUTATION.md).
"""

from __future__ import annotations

import duckdb
import pytest

from ceasefire.importers import acled, checks, ucdp
from ceasefire.importers.checks import (
    Check,
    blank_to_null,
    case_map,
    check_count,
    check_date,
    check_min_max,
    check_number,
    check_required,
    check_unique_id,
    col_or_null,
    lit,
    num,
    q,
    split_list,
)


def table(rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory table ``t`` of text columns, one row per dict, in order (column ``n``
    numbers the rows from 1)."""
    con = duckdb.connect()
    columns = list(rows[0])
    con.execute("CREATE TABLE t (n INTEGER, " + ", ".join(f"{q(c)} VARCHAR" for c in columns) + ")")
    for n, row in enumerate(rows, start=1):
        con.execute(
            f"INSERT INTO t VALUES (?, {', '.join('?' for _ in columns)})",
            [n, *(row[c] for c in columns)],
        )
    return con


def value(expr: str, **cols) -> object:
    """One SQL expression over a one-row table of the given text columns."""
    con = table([cols or {"x": None}])
    return con.execute(f"SELECT {expr} FROM t").fetchone()[0]


def bad_rows(check: Check, rows: list[dict]) -> list[int]:
    """The numbers of the rows the check rejects."""
    con = table(rows)
    got = con.execute(
        f"SELECT n, coalesce(({check.bad}), false) AS bad FROM t ORDER BY n"
    ).fetchall()
    return [n for n, bad in got if bad]


# --- quoting and helpers ---------------------------------------------------------------


def test_identifiers_and_literals_are_quoted_with_doubled_quotes():
    assert q("fatalities") == '"fatalities"'
    assert q('a"b') == '"a""b"'
    assert lit("x") == "'x'"
    assert lit("it's") == "'it''s'"
    assert lit(None) == "NULL"
    assert lit(3) == "'3'"
    # and DuckDB reads them back as the same text
    assert value(lit("it's 'quoted'")) == "it's 'quoted'"
    assert value(q('we"ird'), **{'we"ird': "v"}) == "v"


def test_blank_and_number_helpers():
    assert value(blank_to_null(q("x")), x="  ") is None
    assert value(blank_to_null(q("x")), x=" a ") == "a"
    assert value(num(q("x")), x=" 12.5 ") == 12.5
    assert value(num(q("x")), x="") is None
    assert value(num(q("x")), x="twelve") is None


def test_split_list_trims_drops_blanks_and_duplicates():
    got = value(split_list(q("x"), ";"), x=" SOHR; ;Airwars;SOHR ")
    assert sorted(got) == ["Airwars", "SOHR"]
    assert value(split_list(q("x"), ";"), x=None) == []
    # the separator is the one given, not a default
    assert sorted(value(split_list(q("x"), ","), x="a;b, c")) == ["a;b", "c"]


def test_case_map_is_case_insensitive_and_trimmed_with_a_default():
    mapping = {" Air Strike ": "airstrike", "Shelling": "shelling/artillery"}
    expr = case_map(q("x"), mapping, "other")
    assert value(expr, x="  AIR STRIKE") == "airstrike"
    assert value(expr, x="shelling") == "shelling/artillery"
    assert value(expr, x="mortar") == "other"
    assert value(case_map(q("x"), mapping, None), x="mortar") is None
    assert case_map(q("x"), {}, "other") == "'other'"
    assert value(case_map(q("x"), {}, None), x="a") is None


def test_col_or_null():
    assert col_or_null({"a", "b"}, "a") == '"a"'
    assert col_or_null({"a", "b"}, "c") == "NULL::VARCHAR"


# --- row checks: which rows each rejects, and the reason it gives ------------------------


def test_required_rejects_blank_and_missing_values():
    c = check_required("id")
    assert (c.column, c.value, c.reason) == ("id", '"id"', "required value is blank")
    rows = [{"id": "1"}, {"id": ""}, {"id": "  "}, {"id": None}, {"id": " 0 "}]
    assert bad_rows(c, rows) == [2, 3, 4]


def test_date_check_rejects_a_value_that_does_not_parse_and_names_the_forms():
    c = check_date("day", "TRY_CAST(nullif(trim(\"day\"), '') AS DATE)", "YYYY-MM-DD")
    assert (c.column, c.value) == ("day", '"day"')
    assert c.reason == "not a date in the expected form (YYYY-MM-DD)"
    assert c.reason.startswith(checks.DATE_REASON)
    rows = [{"day": "2020-03-06"}, {"day": "6 March"}, {"day": ""}, {"day": None}]
    assert bad_rows(c, rows) == [2]


def test_number_check_without_a_range_only_rejects_non_numbers():
    [c] = check_number("lat")
    assert (c.column, c.value, c.reason) == ("lat", '"lat"', "not a number")
    rows = [{"lat": "35.9"}, {"lat": "north"}, {"lat": ""}, {"lat": "-1000"}]
    assert bad_rows(c, rows) == [2]
    # a range needs both ends
    assert len(check_number("lat", -90, None)) == 1
    assert len(check_number("lat", None, 90)) == 1


def test_number_check_with_a_range_keeps_both_edges():
    not_number, out_of_range = check_number("latitude", -90, 90, "latitude")
    assert not_number.reason == "not a number"
    assert out_of_range.column == "latitude"
    assert out_of_range.value == '"latitude"'
    assert out_of_range.reason == "latitude out of range [-90, 90]"
    rows = [{"latitude": v} for v in ("-90", "90", "-90.5", "90.01", "0", "x", "")]
    assert bad_rows(out_of_range, rows) == [3, 4]
    # the label defaults to the column name; bounds print without trailing zeros
    assert check_number("lon", -180.0, 180.5)[1].reason == "lon out of range [-180, 180.5]"


def test_count_check_wants_a_whole_number_at_least_zero():
    not_number, negative, fraction = check_count("killed")
    assert [c.reason for c in (not_number, negative, fraction)] == [
        "not a number",
        "negative casualty figure",
        "not a whole number",
    ]
    assert {c.column for c in (not_number, negative, fraction)} == {"killed"}
    assert {c.value for c in (not_number, negative, fraction)} == {'"killed"'}
    rows = [{"killed": v} for v in ("0", "3", "-1", "2.5", "-0.5", "many", "", "7.0")]
    assert bad_rows(not_number, rows) == [6]
    assert bad_rows(negative, rows) == [3, 5]
    assert bad_rows(fraction, rows) == [4]


def test_max_below_min_is_rejected_equal_is_not():
    c = check_min_max("killed_min", "killed_max")
    assert (c.column, c.value) == ("killed_max", '"killed_max"')
    assert c.reason == "maximum below its minimum (killed_min)"
    rows = [
        {"killed_min": "3", "killed_max": "2"},
        {"killed_min": "3", "killed_max": "3"},
        {"killed_min": "3", "killed_max": "4"},
        {"killed_min": "", "killed_max": "4"},
        {"killed_min": "10", "killed_max": "9.5"},
    ]
    assert bad_rows(c, rows) == [1, 5]


def test_a_repeated_id_rejects_every_row_that_has_it():
    c = check_unique_id("id")
    assert (c.column, c.value) == ("id", '"id"')
    assert c.reason == "id repeats within the file (a row would be counted twice)"
    rows = [{"id": v} for v in ("a", "b", " a", "c", "", "", None, None)]
    # "a" and " a" are the same id once trimmed; blanks are the required check's job
    assert bad_rows(c, rows) == [1, 3]


# --- attribution rules: who is the perpetrator, who a party -----------------------------

ACLED_COLS = ("event_type", "sub_event_type", "actor1", "inter1", "actor2", "inter2")
SYRIA = "Military Forces of Syria (2000-2024)"
RUSSIA = "Military Forces of Russia (2000-)"
HTS = "Hayat Tahrir al-Sham"
NLF = "National Liberation Front"
CIVILIANS = "Civilians (Syria)"

# (event_type, sub_event_type, actor1, inter1, actor2, inter2) -> (perpetrators, parties, rule)
ACLED_CASES = {
    "battle: both sides are parties": (
        ("Battles", "Armed clash", SYRIA, "1", HTS, "2"),
        ([], [SYRIA, HTS], None),
    ),
    "battle with one actor": (("Battles", "Armed clash", HTS, "2", "", ""), ([], [HTS], None)),
    "battle between units of one name": (
        ("Battles", "Armed clash", HTS, "2", HTS, "2"),
        ([], [HTS], None),
    ),
    "shelling of civilians (inter 7)": (
        (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            SYRIA,
            "1",
            "Civilians (International)",
            "7",
        ),
        ([SYRIA], [], "acled-other-actor-civilians"),
    ),
    "civilians named first (by name, inter blank)": (
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", CIVILIANS, "", HTS, "2"),
        ([HTS], [], "acled-other-actor-civilians"),
    ),
    "violence against civilians": (
        ("Violence against civilians", "Attack", HTS, "2", "someone", "7"),
        ([HTS], [], "acled-other-actor-civilians"),
    ),
    "grenade at civilians": (
        ("Explosions/Remote violence", "Grenade", NLF, "2", "x", "7"),
        ([NLF], [], "acled-other-actor-civilians"),
    ),
    "suicide bomb at civilians": (
        ("explosions/remote violence", " SUICIDE BOMB ", NLF, "2", CIVILIANS, "7"),
        ([NLF], [], "acled-other-actor-civilians"),
    ),
    "chemical weapon at civilians": (
        ("Explosions/Remote violence", "Chemical weapon", SYRIA, "1", CIVILIANS, "7"),
        ([SYRIA], [], "acled-other-actor-civilians"),
    ),
    "a battle against civilians is still a battle": (
        ("Battles", "Armed clash", HTS, "2", CIVILIANS, "7"),
        ([], [HTS], None),
    ),
    "strike: only actor 1 can fly": (
        ("Explosions/Remote violence", "Air/drone strike", RUSSIA, "8", HTS, "2"),
        ([RUSSIA], [], "acled-strike-one-side-capable"),
    ),
    "strike: only actor 2 can fly": (
        ("Explosions/Remote violence", "Air/drone strike", NLF, "2", "Operation Olive Branch", "8"),
        (["Operation Olive Branch"], [], "acled-strike-one-side-capable"),
    ),
    "strike: coalition against IS": (
        (
            "Explosions/Remote violence",
            "Air/drone strike",
            "US-led Coalition",
            "8",
            "Islamic State",
            "2",
        ),
        (["US-led Coalition"], [], "acled-strike-one-side-capable"),
    ),
    "strike: both can fly": (
        (
            "Explosions/Remote violence",
            "Air/drone strike",
            SYRIA,
            "1",
            "Military Forces of Turkey (2016-)",
            "8",
        ),
        ([], [SYRIA, "Military Forces of Turkey (2016-)"], None),
    ),
    "strike: neither can fly": (
        ("Explosions/Remote violence", "Air/drone strike", HTS, "2", NLF, "2"),
        ([], [HTS, NLF], None),
    ),
    "strike with one actor who can fly": (
        ("Explosions/Remote violence", "Air/drone strike", RUSSIA, "8", None, None),
        ([RUSSIA], [], "acled-strike-one-side-capable"),
    ),
    "shelling between two armed actors: no inference": (
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", SYRIA, "1", HTS, "2"),
        ([], [SYRIA, HTS], None),
    ),
    "a capable name not at the start does not count": (
        (
            "Explosions/Remote violence",
            "Air/drone strike",
            "Unit of the Military Forces of Russia",
            "3",
            HTS,
            "2",
        ),
        ([], ["Unit of the Military Forces of Russia", HTS], None),
    ),
    "civilians on both sides: nobody inferred": (
        ("Violence against civilians", "Attack", CIVILIANS, "7", CIVILIANS, "7"),
        ([], [], None),
    ),
    "nobody named": (("Strategic developments", "Other", "", "", "", ""), ([], [], None)),
}


@pytest.mark.parametrize("case", ACLED_CASES, ids=list(ACLED_CASES))
def test_acled_roles(case):
    row, (perpetrators, parties, rule) = ACLED_CASES[case]
    cols = dict(zip(ACLED_COLS, row, strict=True))
    sql = acled.roles_sql(*(q(c) for c in ACLED_COLS))
    con = table([cols])
    got = con.execute(
        f"SELECT {sql['actors']}, {sql['parties']}, {sql['attribution_rule']} FROM t"
    ).fetchone()
    assert (got[0], sorted(got[1]), got[2]) == (perpetrators, sorted(parties), rule)


# type_of_violence, side_a, side_b -> (perpetrators, parties)
UCDP_CASES = {
    "state-based: both sides parties": (
        ("1", "Government of Syria, Government of Russia (Soviet Union)", "HTS"),
        ([], ["Government of Syria", "Government of Russia (Soviet Union)", "HTS"]),
    ),
    "non-state: both sides parties": (("2", "HTS", "NLF, SNA"), ([], ["HTS", "NLF", "SNA"])),
    "one-sided: side_a the perpetrator, civilians no claim": (
        ("3", "Government of Syria, Government of Russia (Soviet Union)", "Civilians"),
        (["Government of Syria", "Government of Russia (Soviet Union)"], []),
    ),
    "one-sided with spaces around the type": ((" 3 ", "IS", "Civilians"), (["IS"], [])),
    "the same group on both sides counts once": (("2", "HTS", "HTS"), ([], ["HTS"])),
}


@pytest.mark.parametrize("case", UCDP_CASES, ids=list(UCDP_CASES))
def test_ucdp_roles(case):
    (tov, side_a, side_b), (perpetrators, parties) = UCDP_CASES[case]
    sql = ucdp.roles_sql(q("type_of_violence"), q("side_a"), q("side_b"))
    con = table([{"type_of_violence": tov, "side_a": side_a, "side_b": side_b}])
    got = con.execute(f"SELECT {sql['actors']}, {sql['parties']} FROM t").fetchone()
    assert (sorted(got[0]), sorted(got[1])) == (sorted(perpetrators), sorted(parties))


# --- what a write reports ---------------------------------------------------------------


def test_a_write_summary_is_one_fact_per_line_in_agreement_with_its_nouns():
    from ceasefire.records import WriteSummary

    one = WriteSummary(origin="acled", added=1, updated=1, unchanged=1, claims_written=1)
    assert one.as_lines() == ["1 incident added, 1 updated, 1 unchanged.", "1 claim written."]
    assert one.as_text() == "acled: 1 incident added, 1 updated, 1 unchanged.\n1 claim written."

    many = WriteSummary(
        origin="ucdp",
        added=1204,
        updated=2000,
        unchanged=3000,
        removed_from_source=["u1", "u2"],
        claims_written=5000,
        new_actors=["Group A", "Group B"],
        overrides_kept=2,
        conflicts=["incident 7: weapon", "incident 9: district"],
    )
    assert many.as_lines() == [
        "1,204 incidents added, 2,000 updated, 3,000 unchanged.",
        "2 incidents in the store are not in this file (kept, not deleted).",
        "5,000 claims written.",
        "2 new actors flagged for review: Group A, Group B.",
        "2 editor overrides kept.",
        "CONFLICTS (2): the file changed a value an editor overrode; the editor's value "
        "is kept until an editor decides:",
        "  incident 7: weapon",
        "  incident 9: district",
    ]

    single = WriteSummary(
        origin="manual",
        removed_from_source=["m1"],
        new_actors=["Group A"],
        overrides_kept=1,
        conflicts=["incident 7: weapon"],
    )
    assert single.as_lines() == [
        "0 incidents added, 0 updated, 0 unchanged.",
        "1 incident in the store is not in this file (kept, not deleted).",
        "0 claims written.",
        "1 new actor flagged for review: Group A.",
        "1 editor override kept.",
        "CONFLICTS (1): the file changed a value an editor overrode; the editor's value "
        "is kept until an editor decides:",
        "  incident 7: weapon",
    ]
