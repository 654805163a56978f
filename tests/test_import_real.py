"""Importers against the real files in ../shared/data (read in place, never copied).

Data: ACLED (acleddata.com, ACLED terms of use); UCDP GED (CC BY 4.0, Sundberg &
Melander 2013; Davies et al.); Airwars (airwars.org) and the original publishers.
Totals are summed independently with Python's csv module, not through the importers.
"""

from __future__ import annotations

import csv
import os
from functools import partial
from pathlib import Path

import pytest

from ceasefire import importers
from ceasefire.store import data_version, integrity_problems
from ceasefire.store.bootstrap import ensure_store

#: imports are writes: they need an editor (ceasefire/auth.py)
import_file = partial(importers.import_file, editor="tests")

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ACLED = DATA / "acled" / "acled_syria_nw_battles_2018_2019.csv"
UCDP = DATA / "ucdp" / "ged_syria_nw_2018_2019.csv"
AIRWARS = DATA / "airwars" / "airwars_syria_nw_2018_2019.csv"
MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "airwars.toml"

pytestmark = pytest.mark.slow


def _require_data():
    if not DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real data missing at {DATA} (CI must not skip)")
        pytest.skip(f"real data not found at {DATA}")


def _csv_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _n(value: str) -> int:
    return int(float(value)) if value.strip() else 0


@pytest.fixture(scope="module")
def store():
    _require_data()
    con = ensure_store(":memory:", with_demo=False)
    reports = {
        "acled": import_file(con, "acled", ACLED),
        "ucdp": import_file(con, "ucdp", UCDP),
        "airwars": import_file(con, "table", AIRWARS, mapping=MAPPING),
    }
    return con, reports


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def _dataset_sum(con, origin, source, column, agg="min"):
    """Sum over the origin's incidents of the dataset's own figure (one per incident)."""
    return q(
        con,
        f"""SELECT sum(v) FROM (SELECT i.incident_id, {agg}(c.{column}) AS v
                       FROM incident i JOIN claim c USING (incident_id) JOIN source s USING (source_id)
                       WHERE i.origin = ? AND s.name = ? GROUP BY 1)""",
        [origin, source],
    )[0][0]


def test_rows_in_equal_rows_out(store):
    con, reports = store
    for origin, path in (("acled", ACLED), ("ucdp", UCDP), ("airwars", AIRWARS)):
        n_file = len(_csv_rows(path))
        r = reports[origin]
        assert r.rows_in == n_file and r.rows_imported + r.rows_rejected == n_file
        assert r.rows_rejected == 0, r.problems_text(10)
        assert q(con, "SELECT count(*) FROM incident WHERE origin = ?", [origin])[0][0] == n_file
    assert (reports["acled"].rows_in, reports["ucdp"].rows_in, reports["airwars"].rows_in) == (
        3728,
        2405,
        1330,
    )
    assert integrity_problems(con) == []


def test_every_id_findable(store):
    con, _ = store
    for origin, path, col in (
        ("acled", ACLED, "event_id_cnty"),
        ("ucdp", UCDP, "id"),
        ("airwars", AIRWARS, "code"),
    ):
        ids = {r[col] for r in _csv_rows(path)}
        stored = {r[0] for r in q(con, "SELECT origin_id FROM incident WHERE origin = ?", [origin])}
        assert stored == ids


def test_acled_fatalities_reconcile(store):
    con, _ = store
    total = sum(_n(r["fatalities"]) for r in _csv_rows(ACLED))
    assert total == 10108
    assert _dataset_sum(con, "acled", "ACLED", "killed_min") == total
    assert _dataset_sum(con, "acled", "ACLED", "killed_max", "max") == total


def test_ucdp_deaths_reconcile(store):
    con, _ = store
    rows = _csv_rows(UCDP)
    civilians = sum(_n(r["deaths_civilians"]) for r in rows)
    low = sum(min(_n(r["low"]), _n(r["best"]), _n(r["high"])) for r in rows)
    high = sum(max(_n(r["low"]), _n(r["best"]), _n(r["high"])) for r in rows)
    assert _dataset_sum(con, "ucdp", "UCDP GED", "civilians_killed_min") == civilians
    assert _dataset_sum(con, "ucdp", "UCDP GED", "killed_min") == low
    assert _dataset_sum(con, "ucdp", "UCDP GED", "killed_max", "max") == high
    # where low <= best <= high holds (all but 18 rows), the range is exactly low..high
    assert sum(_n(r["low"]) for r in rows) == 10643


def test_airwars_casualties_reconcile_without_double_counting(store):
    con, _ = store
    rows = _csv_rows(AIRWARS)
    kmin = sum(_n(r["civilians_killed_min"]) for r in rows)
    kmax = sum(_n(r["civilians_killed_max"]) for r in rows)
    assert (kmin, kmax) == (2573, 3741)
    # several belligerents -> several claims with the same range; per-incident min/max is exact
    assert _dataset_sum(con, "airwars", "Airwars", "civilians_killed_min") == kmin
    assert _dataset_sum(con, "airwars", "Airwars", "civilians_killed_max", "max") == kmax
    multi = sum(1 for r in rows if "," in (r["belligerents_original"] or ""))
    assert multi == 5
    assert (
        q(
            con,
            "SELECT count(*) FROM incident i WHERE origin='airwars' AND (SELECT count(DISTINCT "
            "alleged_actor_id) FROM claim c WHERE c.incident_id = i.incident_id) > 1",
        )[0][0]
        == multi
    )


def test_places_normalised(store):
    con, _ = store
    govs = q(
        con,
        "SELECT DISTINCT governorate, governorate_pcode FROM incident WHERE origin IN "
        "('acled','ucdp','airwars') ORDER BY 1 NULLS LAST",
    )
    assert govs == [
        ("Aleppo", "SY02"),
        ("Hama", "SY05"),
        ("Idleb", "SY07"),
        ("Lattakia", "SY06"),
        (None, None),
    ]


def test_links_counted_once(store):
    con, reports = store
    linked = q(con, "SELECT count(*) FROM incident WHERE linked_to IS NOT NULL")[0][0]
    assert linked == reports["ucdp"].links_added + reports["airwars"].links_added > 0
    assert (
        q(con, "SELECT count(*) FROM incident_fact")[0][0]
        == q(con, "SELECT count(*) FROM incident")[0][0] - linked
    )
    assert (
        q(
            con,
            "SELECT count(*) FROM incident i JOIN incident t ON t.incident_id = i.linked_to "
            "WHERE t.linked_to IS NOT NULL",
        )[0][0]
        == 0
    )  # never chained


def test_reimport_changes_nothing(store):
    con, _ = store
    before = data_version(con)
    for fmt, path, m in (("acled", ACLED, None), ("ucdp", UCDP, None), ("table", AIRWARS, MAPPING)):
        r = import_file(con, fmt, path, mapping=m)
        assert (r.summary.added, r.summary.updated, r.links_added) == (0, 0, 0)
    assert data_version(con) == before


def test_one_broken_line_leaves_store_unchanged_and_is_named(store, tmp_path):
    con, _ = store
    before = data_version(con)
    lines = UCDP.read_text(encoding="utf-8").splitlines(keepends=True)
    # a one-line record in the middle: make its date_start unparseable
    records = {r["id"]: r for r in _csv_rows(UCDP)}
    for target in range(1200, len(lines)):
        rec = records.get(lines[target].split(",", 1)[0])
        pair = f",{rec['date_start']},{rec['date_end']}," if rec else None
        if pair and lines[target].count(pair) == 1:
            break
    lines[target] = lines[target].replace(pair, f",{rec['date_start']}T99,{rec['date_end']},")
    broken = tmp_path / "ged_broken.csv"  # a temporary copy, deleted with tmp_path
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(importers.ImportRejected) as err:
        import_file(con, "ucdp", broken)
    problems = err.value.report.problems
    assert {p.line for p in problems} == {target + 1}
    assert data_version(con) == before
