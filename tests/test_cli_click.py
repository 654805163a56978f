"""The click CLI's mechanics: ``--db`` is passed, not put into the environment; the
import's memory cap is passed explicitly; the console script points at ``main``."""

from __future__ import annotations

import importlib
import os
import tomllib
from pathlib import Path

import pytest

from ceasefire.cli import importing as cli_import
from ceasefire.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"


def test_db_is_passed_to_the_store_not_written_to_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CEASEFIRE_DB", raising=False)
    path = tmp_path / "given.duckdb"
    assert main(["--db", str(path), "init", "--no-demo"]) == 0
    assert "CEASEFIRE_DB" not in os.environ
    assert path.exists()
    assert capsys.readouterr().out == f"Store {path}: 1 incidents (0 demo).\n"
    # the environment variable names the store when --db is absent
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "ok\n"
    assert os.environ["CEASEFIRE_DB"] == str(path)


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [(None, [], "600MB"), ("300MB", [], "300MB"), ("300MB", ["--memory-limit", "200MB"], "200MB")],
)
def test_the_import_memory_cap_is_passed_explicitly(tmp_path, monkeypatch, env, flag, expected):
    seen = {}

    def fake_import(con, options):
        seen["limit"] = options.memory_limit
        seen["db"] = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        return 0

    monkeypatch.setattr(cli_import, "_import", fake_import)
    if env is None:
        monkeypatch.delenv("CEASEFIRE_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("CEASEFIRE_MEMORY_LIMIT", env)
    db = tmp_path / "s.duckdb"
    args = ["--db", str(db), "import", "acled", str(FIX / "acled_quirks.csv"), "--dry-run"]
    assert main([*args, *flag]) == 0
    assert seen["limit"] == expected
    assert "CEASEFIRE_MEMORY_LIMIT" not in os.environ or os.environ["CEASEFIRE_MEMORY_LIMIT"] == env


def test_the_import_sets_its_memory_cap_on_the_connection(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CEASEFIRE_MEMORY_LIMIT", raising=False)
    seen = {}
    real = cli_import._import

    def spy(con, options):
        code = real(con, options)
        seen["limit"] = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        return code

    monkeypatch.setattr(cli_import, "_import", spy)
    db = tmp_path / "s.duckdb"
    args = ["--db", str(db), "import", "acled", str(FIX / "acled_quirks.csv"), "--dry-run"]
    assert main([*args, "--memory-limit", "123MB"]) == 0
    assert seen["limit"].replace(" ", "").upper().startswith(("117", "123"))  # MiB or MB


def test_usage_errors_exit_with_2_and_help_with_0(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["summary", "--no-such-flag"])
    assert exit_info.value.code == 2
    assert "No such option '--no-such-flag'" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "summary" in capsys.readouterr().out


def test_the_console_script_is_main():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        target = tomllib.load(handle)["project"]["scripts"]["ceasefire"]
    module, _, name = target.partition(":")
    assert getattr(importlib.import_module(module), name) is main


def test_draft_names_an_act_the_article_does_not_have(tmp_path, capsys):
    """--act beyond the article's other acts was an IndexError traceback; now one line."""
    article = FIX / "articles" / "sana-2019-08-mhardeh-rockets.txt"
    args = ["--db", str(tmp_path / "none.duckdb"), "draft", str(article), "--outlet", "SANA"]
    args += ["--published", "2019-08-20", "--format", "editor"]
    # the army's response is the article's one other act (--act 1)
    assert main([*args, "--act", "2"]) == 2
    assert capsys.readouterr().err == (
        "error: --act 2: the article has 1 other act besides the main one (--act 0)\n"
    )
    assert main([*args, "--act", "0"]) == 0
    assert '"occurred_on"' in capsys.readouterr().out
    assert not (tmp_path / "none.duckdb").exists()  # a draft writes nothing
