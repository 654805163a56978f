"""Importers against small hand-made fixtures, one quirk each (tests/fixtures/)."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ceasefire import importers
from ceasefire.importers.table import MappingError, load_mapping
from ceasefire.store import data_version, integrity_problems
from ceasefire.store.bootstrap import ensure_store

#: imports are writes: they need an editor (ceasefire/auth.py)
import_file = partial(importers.import_file, editor="tests")

FIX = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def con():
    return ensure_store(":memory:", with_demo=False)


def rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_acled_quirks_dates_sources_places_weapon(con):
    report = import_file(con, "acled", FIX / "acled_quirks.csv", link=False)
    assert report.rows_in == report.rows_imported == 3
    got = dict(
        (r[0], r[1:])
        for r in rows(
            con,
            "SELECT origin_id, occurred_on::VARCHAR, date_precision, governorate, governorate_pcode, "
            "district_pcode, weapon, target_type, location_precision FROM incident WHERE origin='acled'",
        )
    )
    # both date layouts; week precision; OCHA spelling and P-codes from three spellings
    assert got["SYR1"][:5] == ("2019-03-01", "day", "Idleb", "SY07", "SY0702")
    assert got["SYR2"][:5] == ("2019-03-02", "week", "Idleb", "SY07", "SY0702")
    assert got["SYR3"][2:4] == ("Idleb", "SY07")
    # Battles stay ground clashes, territory changes included
    assert {g[5] for g in got.values()} == {"ground clash"}
    assert got["SYR3"][6] == "convoy/patrol" and got["SYR1"][6] == "armed-group position"
    assert got["SYR3"][7] == "governorate"
    # two outlets from one '; ' cell, plus ACLED's own claim with the fatality figure
    # an armed clash: ACLED names two actors without direction, so one party claim each
    srcs = rows(
        con,
        "SELECT s.name, c.killed_min, c.killed_max, a.name, c.role FROM claim c JOIN incident i "
        "USING (incident_id) LEFT JOIN source s USING (source_id) LEFT JOIN actor a "
        "ON a.actor_id = c.alleged_actor_id WHERE i.origin_id = 'SYR1' ORDER BY 1, 4",
    )
    assert srcs == [
        ("ACLED", 4, 4, "Hayat Tahrir al-Sham", "party"),
        ("ACLED", 4, 4, "Syrian government", "party"),
        ("SOHR", None, None, None, "perpetrator"),
        ("Step News Agency", None, None, None, "perpetrator"),
    ]
    # an unknown actor is kept, flagged for review
    assert rows(con, "SELECT needs_review FROM actor WHERE name = 'Brand New Brigade'") == [(True,)]


def test_ucdp_multiline_fields_actors_figures_precision(con):
    report = import_file(con, "ucdp", FIX / "ucdp_multiline.csv", link=False)
    assert report.rows_imported == 3
    inc = {
        r[0]: r[1:]
        for r in rows(
            con,
            "SELECT origin_id, weapon, verification, date_precision, location_precision, district, governorate "
            "FROM incident WHERE origin='ucdp'",
        )
    }
    assert inc["900001"][:4] == ("airstrike", "corroborated", "day", "exact")
    assert inc["900002"][:4] == ("ground clash", "reported", "week", "near")
    assert (
        inc["900003"][0] == "other"
    )  # "Car bomb" names no category of the heuristic: kept 'other'
    assert inc["900003"][3:] == ("district", "A'zaz", "Aleppo")
    # side_a lists two groups -> two claims with the same figures; the incident range is not
    # doubled. A non-state (type 2) event: three parties (side_a's two and HTS), no perpetrator
    fact = rows(
        con,
        "SELECT f.killed_min, f.killed_max, f.n_alleged_actors, f.is_clash, f.killed_best "
        "FROM incident_fact f JOIN incident i USING (incident_id) WHERE i.origin_id = '900002'",
    )
    assert fact == [(3, 3, 0, True, 3)]
    roles = rows(
        con,
        "SELECT i.origin_id, a.name, c.role, c.killed_best FROM claim c JOIN incident i "
        "USING (incident_id) JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE i.origin = 'ucdp' "
        "ORDER BY 1, 2",
    )
    assert roles == [
        ("900001", "Opposition rebels", "party", 3),  # type 1: Syrian insurgents
        ("900001", "Syrian government", "party", 3),
        ("900002", "Hayat Tahrir al-Sham", "party", 3),
        ("900002", "National Liberation Front", "party", 3),
        ("900002", "Syrian National Army", "party", 3),
        ("900003", "Islamic State", "perpetrator", 2),  # one-sided: side_a; civilians no claim
    ]
    one = rows(
        con,
        "SELECT f.killed_min, f.killed_max, f.civilians_killed_min FROM incident_fact f "
        "JOIN incident i USING (incident_id) WHERE i.origin_id = '900001'",
    )
    assert one == [(3, 5, 3)]
    # SOHR;SOHR;Airwars -> two outlets, de-duplicated
    outlets = rows(
        con,
        "SELECT s.name FROM claim c JOIN incident i USING (incident_id) JOIN source s "
        "USING (source_id) WHERE i.origin_id='900001' AND c.killed_min IS NULL ORDER BY 1",
    )
    assert outlets == [("Airwars",), ("SOHR",)]


def test_ucdp_current_layout(con):
    report = import_file(con, "ucdp", FIX / "ucdp_current.csv", link=False)
    assert report.rows_imported == 1
    assert rows(
        con, "SELECT place_name, weapon, governorate_pcode FROM incident WHERE origin_id='910001'"
    ) == [("Khan Shaykhun town", "shelling/artillery", "SY07")]


@pytest.mark.parametrize("name", ["own_sheet.csv", "own_sheet.xlsx"])
def test_own_sheet_csv_and_xlsx(con, name):
    report = import_file(con, "table", FIX / name, mapping=FIX / "own_sheet.toml", link=False)
    assert report.rows_imported == 3, report.problems_text()
    got = {
        r[0]: r[1:]
        for r in rows(
            con,
            "SELECT origin_id, occurred_on::VARCHAR, governorate, weapon, verification, latitude FROM incident",
        )
    }
    assert got["A-1"] == ("2019-03-02", "Idleb", "airstrike", "corroborated", 35.6141)
    assert got["A-2"] == ("2019-03-05", "Idleb", "shelling/artillery", "disputed", None)
    assert got["A-3"][1:4] == ("Hama", "other", "reported")
    claims = rows(
        con,
        "SELECT a.name, c.killed_min, c.killed_max FROM claim c JOIN incident i USING (incident_id) "
        "JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE i.origin_id='A-1' ORDER BY 1",
    )
    assert claims == [("Iran", 2, 6), ("Russia", 2, 6)]
    assert rows(
        con,
        "SELECT killed_min, killed_max FROM incident_fact f JOIN incident i USING (incident_id) "
        "WHERE origin_id='A-1'",
    ) == [(2, 6)]


def test_bad_mapping_is_refused(tmp_path):
    bad = tmp_path / "m.toml"
    bad.write_text(
        'origin="x"\nsource="y"\n[columns]\norigin_id="a"\noccurred_on="b"\n'
        '[values.weapon]\ncolumn="w"\n[values.weapon.map]\nBomb="bomb"\n'
    )
    with pytest.raises(MappingError, match="bomb"):
        load_mapping(bad)


def _broken_copy(tmp_path, src: Path, line_no: int, new_line: str) -> Path:
    lines = src.read_text().splitlines(keepends=True)
    lines[line_no - 1] = new_line
    out = tmp_path / src.name
    out.write_text("".join(lines))
    return out


def test_problem_report_names_editor_lines_after_multiline_fields(con, tmp_path):
    # ucdp_multiline.csv: 900001 spans lines 2-3, 900002 lines 4-6, 900003 is line 7
    src = FIX / "ucdp_multiline.csv"
    text = src.read_text().replace(
        "2019-03-05,2019-03-08,1,2,0,0,3,3,3", "2019-13-05,2019-03-08,1,2,0,0,-3,3,3"
    )
    text = text.replace("36.58,37.05", "136.58,37.05")
    bad = tmp_path / "ucdp_bad.csv"
    bad.write_text(text)
    before = data_version(con)
    with pytest.raises(importers.ImportRejected) as err:
        import_file(con, "ucdp", bad)
    problems = err.value.report.problems
    by_col = {(p.line, p.column): p for p in problems}
    assert (4, "date_start") in by_col and by_col[(4, "date_start")].value == "2019-13-05"
    assert (4, "low") in by_col and "negative" in by_col[(4, "low")].reason
    assert (7, "latitude") in by_col and "out of range" in by_col[(7, "latitude")].reason
    assert all(p.file == str(bad) for p in problems)
    assert data_version(con) == before  # nothing written


def test_structural_error_and_keep_good_rows_writes_rejects_unchanged(con, tmp_path):
    src = FIX / "acled_quirks.csv"
    lines = src.read_text().splitlines(keepends=True)
    broken = lines[2].rstrip("\n") + ",EXTRA,FIELD\n"  # too many columns on line 3
    bad = tmp_path / "acled_bad.csv"
    bad.write_text(lines[0] + lines[1] + broken + lines[3])
    with pytest.raises(importers.ImportRejected) as err:
        import_file(con, "acled", bad)
    assert [p.line for p in err.value.report.problems] == [3]
    assert "too many columns" in err.value.report.problems[0].reason
    assert rows(con, "SELECT count(*) FROM incident WHERE origin='acled'") == [(0,)]
    rejects = tmp_path / "rejects.csv"
    report = import_file(con, "acled", bad, keep_good_rows=True, rejects_path=rejects)
    assert report.rows_in == 3 and report.rows_imported == 2 and report.rows_rejected == 1
    assert rejects.read_text() == lines[0] + broken
    assert rows(con, "SELECT origin_id FROM incident WHERE origin='acled' ORDER BY 1") == [
        ("SYR1",),
        ("SYR3",),
    ]


def test_missing_required_column_rejects_even_with_keep_good_rows(con, tmp_path):
    text = (FIX / "acled_quirks.csv").read_text().replace("fatalities", "deaths", 1)
    bad = tmp_path / "a.csv"
    bad.write_text(text)
    with pytest.raises(importers.ImportRejected) as err:
        import_file(con, "acled", bad, keep_good_rows=True)
    p = err.value.report.problems[0]
    assert (p.line, p.column, p.reason) == (
        1,
        "fatalities",
        "required column missing from the header",
    )


def test_duplicate_id_is_a_problem(con, tmp_path):
    lines = (FIX / "acled_quirks.csv").read_text().splitlines(keepends=True)
    bad = tmp_path / "dup.csv"
    bad.write_text(lines[0] + lines[1] + lines[1])
    with pytest.raises(importers.ImportRejected) as err:
        import_file(con, "acled", bad)
    assert {p.line for p in err.value.report.problems} == {2, 3}


def test_reimport_and_newer_export(con, tmp_path):
    src = FIX / "acled_quirks.csv"
    import_file(con, "acled", src)
    version = data_version(con)
    again = import_file(con, "acled", src)
    assert (again.summary.added, again.summary.updated, again.summary.unchanged) == (0, 0, 3)
    assert data_version(con) == version
    lines = src.read_text().splitlines(keepends=True)
    newer = tmp_path / "newer.csv"
    new_row = lines[1].replace("SYR1,", "SYR9,")
    newer.write_text(lines[0] + lines[1].replace('",4,,1', '",5,,1') + lines[2] + new_row)
    r = import_file(con, "acled", newer)
    s = r.summary
    assert (s.added, s.updated, s.unchanged, s.removed_from_source) == (1, 1, 1, ["SYR3"])
    assert rows(
        con,
        "SELECT killed_min FROM incident_fact f JOIN incident i USING (incident_id) "
        "WHERE origin_id='SYR1'",
    ) == [(5,)]
    assert integrity_problems(con) == []


def test_linking_same_event_counted_once(con):
    import_file(con, "acled", FIX / "acled_quirks.csv")
    n_before = rows(con, "SELECT count(*) FROM incident_fact")[0][0]
    report = import_file(con, "ucdp", FIX / "ucdp_multiline.csv")
    # UCDP 900001 (Government of Syria, Kafr Nabel, 2019-03-01, airstrike) vs ACLED SYR1
    # (Syrian government, 60 m away, same day) has incompatible means (ground clash vs
    # airstrike): not linked. The Airwars-like sheet's A-1 (Russia, 2019-03-02, airstrike,
    # 10 m from UCDP 900001) is linked to it.
    assert report.links_added == 0
    assert rows(con, "SELECT count(*) FROM incident_fact")[0][0] == n_before + 3
    r2 = import_file(con, "table", FIX / "own_sheet.csv", mapping=FIX / "own_sheet.toml")
    assert r2.links_added == 1
    link = rows(
        con,
        "SELECT i.origin_id, t.origin_id FROM incident i JOIN incident t ON t.incident_id = i.linked_to",
    )
    assert link == [("A-1", "900001")]
    origins = rows(
        con,
        "SELECT f.origins FROM incident_fact f JOIN incident i USING (incident_id) "
        "WHERE i.origin_id='900001'",
    )
    assert origins == [(["mysheet", "ucdp"],)]
    assert rows(con, "SELECT count(*) FROM incident_fact")[0][0] == n_before + 3 + 2
    # idempotent: a second run (the same file again) links nothing more
    r3 = import_file(con, "table", FIX / "own_sheet.csv", mapping=FIX / "own_sheet.toml")
    assert r3.links_added == 0


def test_cli_rejects_and_reports(tmp_path, capsys, monkeypatch):
    from ceasefire.cli.importing import main

    db = tmp_path / "s.duckdb"
    bad = tmp_path / "b.csv"
    shutil.copy(FIX / "acled_quirks.csv", bad)
    bad.write_text(bad.read_text().replace("01 March 2019", "1st of March"))
    assert main(["acled", str(bad), "--db", str(db), "--editor", "tests"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: column 'event_date' value '1st of March'" in err and "REJECTED" in err
    assert main(["acled", str(FIX / "acled_quirks.csv"), "--db", str(db), "--editor", "tests"]) == 0
    out = capsys.readouterr().out
    assert "3 incidents added, 0 updated, 0 unchanged." in out.splitlines()


def test_a_date_in_form_but_not_real_is_named_as_such(tmp_path, capsys):
    """'31 February 2021' has the expected form; the report says it is no real date,
    and counts agree with their nouns ('1 problem in 1 of 3 rows')."""
    from ceasefire.cli.importing import main

    bad = tmp_path / "b.csv"
    bad.write_text(
        (FIX / "acled_quirks.csv").read_text().replace("01 March 2019", "31 February 2021")
    )
    assert main(["acled", str(bad), "--db", str(tmp_path / "s.duckdb"), "--editor", "tests"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{bad}:2: column 'event_date' value '31 February 2021': 31 February 2021 is not a "
        "real date: February 2021 has 28 days"
    ) in err
    assert "1 problem in 1 of 3 rows." in err


def test_the_import_report_is_one_fact_per_line(con):
    report = import_file(con, "acled", FIX / "acled_quirks.csv")
    assert report.as_lines()[:3] == [
        f"{FIX / 'acled_quirks.csv'}: 3 rows read.",
        "3 rows imported; none rejected.",
        "3 incidents added, 0 updated, 0 unchanged.",
    ]
    assert report.as_lines()[-1] == "0 incidents linked to the same event in another dataset."


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_spreadsheet_rejects_come_back_as_a_spreadsheet_or_as_asked(con, tmp_path, suffix):
    """A spreadsheet's rejected rows go to FILE.rejects.xlsx by default (to fix and
    import again); a rejects path ending in .csv gets a CSV."""
    book = openpyxl.load_workbook(FIX / "own_sheet.xlsx")
    book.active["B3"] = "the day before yesterday"  # A-2's date
    sheet = tmp_path / "own_sheet_bad.xlsx"
    book.save(sheet)
    wanted = None if suffix == ".xlsx" else tmp_path / "set_aside.csv"
    report = import_file(
        con,
        "table",
        sheet,
        mapping=FIX / "own_sheet.toml",
        link=False,
        keep_good_rows=True,
        rejects_path=wanted,
    )
    assert (report.rows_imported, report.rows_rejected) == (2, 1)
    out = Path(report.rejects_path)
    assert out == (wanted or tmp_path / "own_sheet_bad.rejects.xlsx")
    rejected = pd.read_excel(out, dtype=str) if suffix == ".xlsx" else pd.read_csv(out, dtype=str)
    assert list(rejected.columns)[:3] == ["ref", "date", "gov"]
    assert rejected[["ref", "date"]].values.tolist() == [["A-2", "the day before yesterday"]]


@pytest.mark.parametrize(
    "value, reason",
    [
        ("31 February 2021", "31 February 2021 is not a real date: February 2021 has 28 days"),
        ("2019-13-02", "2019-13-02 is not a real date: there is no month 13"),
        ("31/04/2020", "31/04/2020 is not a real date: April 2020 has 30 days"),
        ("2020-02-29", None),  # a leap day is real
        ("1st of March", None),  # not in a date's form: the general reason stands
    ],
)
def test_impossible_dates_are_named(value, reason):
    from ceasefire.text import impossible_date

    assert impossible_date(value) == reason


def test_counts_agree_with_their_nouns():
    from ceasefire.text import plural

    assert [plural(0, "row"), plural(1, "problem"), plural(1204, "row")] == [
        "0 rows",
        "1 problem",
        "1,204 rows",
    ]
    # the tallies' notes and hover text: "SNHR: 1 tally on 1 day", never "1 tallies on 1 days"
    assert [plural(1, "tally"), plural(2, "tally"), plural(1, "day")] == [
        "1 tally",
        "2 tallies",
        "1 day",
    ]
