"""The command line shares the core with the app: same store, same numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire import queries, store
from ceasefire.cli import main
from ceasefire.filters import Filter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.duckdb"
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    return path


def test_python_dash_m_runs_and_creates_the_store(tmp_path):
    path = tmp_path / "fresh.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", str(path), "init", "--no-demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 incidents (0 demo)" in result.stdout
    assert path.exists()


def test_summary_prints_the_founding_example_as_the_readme_states_it(db, capsys):
    """The seed alone (no demo): Jabal al-Duwaila, 26 Oct 2020, "31-75 killed" (docs/pages.md, Incidents),
    blamed on Russia by three sources and on the Syrian air force by Sputnik: disputed.
    Literals, not the query layer the command calls."""
    assert main(["init", "--no-demo"]) == 0
    capsys.readouterr()
    assert main(["summary", "--actor", "Russia", "--agreement", "moscow-2020"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Incidents while the Moscow Additional Protocol to the Sochi memorandum was in "
        "force; alleged against Russia."
    )
    assert "Clashes, initiator not stated" in out.split("\n{")[0]
    printed = json.loads(out[out.index("\n{") + 1 :])  # the sentences, then the JSON
    assert (printed["incidents"], printed["alleged_violations"], printed["disputed"]) == (1, 1, 1)
    assert (printed["killed_min"], printed["killed_max"]) == (31, 75)
    assert {"awaiting_review", "clashes_direction_undetermined"} <= printed.keys()
    for args in (["--actor", "Iran"], ["--to", "2020-10-25"]):  # nobody / the day before
        assert main(["summary", *args]) == 0
        text = capsys.readouterr().out
        assert json.loads(text[text.index("\n{") + 1 :])["incidents"] == 0


def test_sql_prints_a_query_a_researcher_can_run(db, capsys):
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["sql", "timeline", "--actor", "Russia", "--by", "month"]) == 0
    out = capsys.readouterr().out
    sql, params = out.split("-- parameters, in order:\n")
    con = store.connect(db)
    rows = con.execute(sql, json.loads(params)).df()
    assert rows.equals(queries.timeline(con, Filter(actors=("Russia",)), "month"))


def test_demo_remove_and_check(db, capsys):
    assert main(["init"]) == 0
    assert main(["demo", "remove", "--editor", "tests"]) == 0
    assert "Removed" in capsys.readouterr().out
    assert main(["check"]) == 0
    con = store.connect(db)
    assert queries.demo_row_count(con) == 0


def test_bad_filter_values_are_clear_errors(db, capsys):
    assert main(["init", "--no-demo"]) == 0
    with pytest.raises(SystemExit) as exit_info:
        main(["summary", "--target", "castle"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err  # click's wording: Invalid value for '--target': 'castle' ...
    assert "'--target'" in err and "'castle' is not one of" in err
    assert main(["summary", "--from", "2021-01-01", "--to", "2020-01-01"]) == 2
    assert "is after end" in capsys.readouterr().err
