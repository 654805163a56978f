"""Reverting an import and the demo removal (``editing.undo``): the revert is a logged
change, and the store's content afterwards equals the content before, by a hash over
every row of every table computed here with plain SQL (the change log, which records
the revert, and the kept before-state itself left out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire import backup, demo, editing, importers, seed, store
from ceasefire.store import bootstrap

FIX = Path(__file__).resolve().parent / "fixtures"
ACLED = FIX / "acled_quirks.csv"
ED = "Test Editor"


def content(con) -> str:
    """A hash over every row of every table of the store but the change log (the kept
    copy lives in its own schema)."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_catalog = current_database() AND table_schema = 'main' "
            "AND table_name <> 'change_log' ORDER BY 1"
        ).fetchall()
    ]
    assert {"incident", "claim", "source", "actor", "incident_fact"} <= set(tables)
    return "\n".join(
        con.execute(
            f"SELECT '{t}:' || count(*) || ':' || "
            f"coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM {t} x"
        ).fetchone()[0]
        for t in tables
    )


def last_import(con) -> int:
    return max(e["change_id"] for e in editing.history(con) if e["entity"] == "import")


@pytest.fixture
def seeded_store(tmp_path):
    con = store.connect(tmp_path / "revert.duckdb")
    bootstrap.load_reference(con)
    seed.load_seed(con)
    yield con
    con.close()


def test_import_then_revert_gives_back_the_content_before(seeded_store):
    con = seeded_store
    before = content(con)
    report = importers.import_file(con, "acled", ACLED, editor=ED)
    assert report.summary.added == 3
    assert content(con) != before
    change = last_import(con)
    reverted = editing.revert(con, change, editor=ED, note="wrong file")
    assert content(con) == before
    entry = editing.history(con)[0]
    assert (entry["change_id"], entry["entity"], entry["action"], entry["reverts"]) == (
        reverted,
        "import",
        "revert",
        change,
    )
    assert entry["note"] == "wrong file" and entry["editor"] == ED
    assert con.execute("SELECT count(*) FROM incident WHERE origin = 'acled'").fetchone()[0] == 0
    assert store.integrity_problems(con) == []
    # the copy is gone: the same import cannot be reverted twice
    with pytest.raises(ValueError, match="no longer keeps"):
        editing.revert(con, change, editor=ED)
    # an import's revert is a kind of change with no reverse: refused in words, not undone
    with pytest.raises(ValueError, match=rf"change {reverted} \(import revert\) cannot be"):
        editing.revert(con, reverted, editor=ED)
    assert content(con) == before


def test_a_backup_after_an_import_restores_without_the_kept_copy(seeded_store, tmp_path):
    con = seeded_store
    importers.import_file(con, "acled", ACLED, editor=ED)
    manifest = backup.backup(con, tmp_path / "bk")
    assert not any(name.startswith("undo") for name in manifest["tables"])
    backup.restore(tmp_path / "bk", tmp_path / "restored.duckdb")
    restored = store.connect(tmp_path / "restored.duckdb")
    try:
        assert content(restored) == content(con)
        with pytest.raises(ValueError, match="no longer keeps"):
            editing.revert(restored, last_import(restored), editor=ED)
    finally:
        restored.close()


def test_a_reimport_with_overrides_and_conflicts_reverts_to_the_state_before_it(
    seeded_store, tmp_path
):
    con = seeded_store
    importers.import_file(con, "acled", ACLED, editor=ED)
    syr1 = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'SYR1'").fetchone()[0]
    editing.edit_incident(con, syr1, {"place_name": "Kafr Nabl (corrected)"}, editor=ED)
    before = content(con)
    lines = ACLED.read_text().splitlines(keepends=True)
    newer = tmp_path / "newer.csv"
    newer.write_text(lines[0] + lines[1].replace(",Kafr Nabel,35.6136", ",Kafranbel,35.6136")
                     + "".join(lines[2:]))  # fmt: skip
    report = importers.import_file(con, "acled", newer, editor=ED)
    assert report.summary.updated == 1 and len(report.summary.conflicts) == 1
    editing.revert(con, last_import(con), editor=ED)
    assert content(con) == before
    assert editing.conflicts(con).empty


def test_demo_removal_then_revert_gives_back_the_content_before(tmp_path):
    con = store.connect(tmp_path / "demo.duckdb")
    try:
        bootstrap.load_reference(con)
        seed.load_seed(con)
        demo.load_demo(con, size=300)
        n_demo = con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0]
        assert n_demo >= 300
        before = content(con)
        assert demo.remove_demo(con, editor=ED) == n_demo
        assert con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0] == 0
        change = editing.history(con)[0]["change_id"]
        editing.revert(con, change, editor=ED)
        assert content(con) == before
        assert con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0] == n_demo
    finally:
        con.close()


def test_a_later_change_must_be_reverted_first(seeded_store):
    con = seeded_store
    importers.import_file(con, "acled", ACLED, editor=ED)
    change = last_import(con)
    syr2 = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'SYR2'").fetchone()[0]
    edit = editing.edit_incident(con, syr2, {"place_name": "Hish (edited)"}, editor=ED)
    with pytest.raises(ValueError, match=f"still stand \\({edit}\\)"):
        editing.revert(con, change, editor=ED)
    editing.revert(con, edit, editor=ED)  # the edit undone: the import can go
    editing.revert(con, change, editor=ED)
    assert con.execute("SELECT count(*) FROM incident WHERE origin = 'acled'").fetchone()[0] == 0


def test_only_the_latest_import_keeps_its_before_state(seeded_store, tmp_path):
    con = seeded_store
    importers.import_file(con, "acled", ACLED, editor=ED)
    first = last_import(con)
    lines = ACLED.read_text().splitlines(keepends=True)
    other = tmp_path / "other.csv"
    other.write_text(lines[0] + lines[1].replace("SYR1,", "SYR9,", 1))
    importers.import_file(con, "acled", other, editor=ED)
    with pytest.raises(ValueError, match="only the latest import or demo removal"):
        editing.revert(con, first, editor=ED)
    editing.revert(con, last_import(con), editor=ED)
    assert con.execute(
        "SELECT list(origin_id ORDER BY origin_id) FROM incident WHERE origin = 'acled'"
    ).fetchone()[0] == ["SYR1", "SYR2", "SYR3"]
