"""The load benchmark's smoke run (bench/bench_load.py), so its harness cannot rot:
3 sessions change filters for 15 s while a 2,000-row import runs from the CLI on the
same store. No session errors, the import completes, every session's figures after the
import equal a fresh query, and the store gained one incident per event id of the file."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_sessions_change_filters_while_an_import_runs(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    bench = importlib.import_module("bench_load")
    result = bench.run(3, 15, 2000, 240, 15, tmp_path)
    assert result["errors"] == [] and result["mismatches"] == []
    assert result["import_exit"] == 0
    assert result["new_incidents_expected"] == 2000  # distinct event ids, by pandas
    assert result["incidents_after"] == result["incidents_before"] + 2000
    assert result["changes"] >= 3 and result["distinct_headlines"] >= 2
