"""Import progress (ceasefire/progress.py): on a file of some thousands of rows the
callback's fractions only grow, pass through the import's stages in order and end at
exactly 100 %, and the rows reconcile with the file (counted here with pandas)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ceasefire import importers, progress, store

FIX = Path(__file__).resolve().parent / "fixtures"
COPIES = 3000


@pytest.fixture(scope="module")
def bigger_csv(tmp_path_factory) -> Path:
    """acled_quirks.csv (multi-line quoted notes, both date layouts) repeated with new
    event ids: the same rows, many times."""
    base = pd.read_csv(FIX / "acled_quirks.csv", dtype=str, keep_default_na=False)
    copies = []
    for n in range(COPIES):
        copy = base.copy()
        copy["event_id_cnty"] = copy["event_id_cnty"] + f"-{n}"
        copies.append(copy)
    path = tmp_path_factory.mktemp("progress") / "acled_many.csv"
    pd.concat(copies).to_csv(path, index=False)
    return path


def test_progress_grows_through_the_stages_to_100_percent_and_rows_reconcile(bigger_csv, tmp_path):
    expected = pd.read_csv(bigger_csv, dtype=str).event_id_cnty.nunique()
    assert expected == 3 * COPIES
    reports: list[tuple[float, str]] = []
    db = tmp_path / "progress.duckdb"
    with store.writer(db, editor="tests", with_demo=False) as con:
        before = con.execute("SELECT count(*) FROM incident").fetchone()[0]
        with progress.tracking(lambda f, s: reports.append((f, s)), con, interval=0.01):
            report = importers.import_file(con, "acled", bigger_csv, editor="tests")
        after = con.execute("SELECT count(*) FROM incident").fetchone()[0]
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions), reports
    assert fractions[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in fractions)
    assert len(reports) >= 5
    order = [name for name, _ in progress.IMPORT_STAGES]
    seen = list(dict.fromkeys(s for _, s in reports))
    assert seen == [s for s in order if s in seen], seen
    assert {"check encoding", "read", "check and map", "write", "derive"} <= set(seen)
    # the rows reconcile: every event in the file is one new incident
    assert report.rows_in == expected and report.rows_imported == expected
    assert report.summary.added == expected and after - before == expected


def test_without_tracking_the_marks_do_nothing_and_a_failed_block_stops_short():
    progress.stage("read")  # outside tracking: no error, no effect
    progress.within(0.5)
    reports: list[float] = []
    with pytest.raises(RuntimeError):
        with progress.tracking(lambda f, s: reports.append(f)):
            progress.stage("read")
            progress.within(0.5)
            progress.within(0.25)  # never backwards
            raise RuntimeError("boom")
    weights = dict(progress.IMPORT_STAGES)
    total = sum(weights.values())
    start = weights["check encoding"] / total
    assert reports == [pytest.approx(start), pytest.approx(start + 0.5 * weights["read"] / total)]
