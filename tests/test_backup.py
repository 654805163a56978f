"""Backup and restore: every table as Parquet with a manifest; a restore rebuilds the
same store (table by table), refuses to overwrite a store with incidents unless forced,
and brings a backup of an older schema version through the migrations."""

from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pytest
from test_store import _old_store

from ceasefire import backup, demo, seed, store
from ceasefire.cli import main
from ceasefire.store import bootstrap


def tables_of(path) -> dict[str, pd.DataFrame]:
    """Every table, rows sorted, read with plain DuckDB (not the code under test)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        return {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").df() for n in sorted(names)}
    finally:
        con.close()


def sequences_of(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(
            con.execute(
                "SELECT sequence_name, coalesce(last_value + increment_by, start_value) "
                "FROM duckdb_sequences()"  # the next id each sequence gives
            ).fetchall()
        )
    finally:
        con.close()


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "orig.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con, size=200)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    return path


def test_backup_then_restore_gives_the_same_store(filled, tmp_path):
    out = tmp_path / "bk"
    assert main(["--db", str(filled), "backup", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    original = tables_of(filled)
    assert set(manifest["tables"]) == set(original)
    for name, frame in original.items():
        assert manifest["tables"][name]["rows"] == len(frame), name
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(frame), name
    assert manifest["schema_version"] == store.SCHEMA_VERSION

    restored_path = tmp_path / "restored.duckdb"
    assert main(["--db", str(restored_path), "restore", str(out)]) == 0
    restored = tables_of(restored_path)
    assert set(restored) == set(original)
    for name, frame in original.items():
        pd.testing.assert_frame_equal(restored[name], frame, check_dtype=True, obj=name)
    assert sequences_of(restored_path) == sequences_of(filled)  # new ids continue
    con = store.reader(restored_path)  # published: readers see it
    assert store.content_hash(con) == manifest["content_hash"]
    assert store.data_version(con) == manifest["data_version"]
    con.close()


def test_restore_refuses_a_store_with_incidents_unless_forced(filled, tmp_path, capsys):
    out = tmp_path / "bk"
    assert main(["--db", str(filled), "backup", str(out)]) == 0
    other = tmp_path / "other.duckdb"
    con = store.connect(other)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    con.close()
    before = tables_of(other)
    assert main(["--db", str(other), "restore", str(out)]) == 2
    assert "holds 1 incident" in capsys.readouterr().err
    for name, frame in tables_of(other).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)  # untouched
    assert main(["--db", str(other), "restore", str(out), "--force"]) == 0
    assert len(tables_of(other)["incident"]) == len(tables_of(filled)["incident"])


def test_a_damaged_backup_is_refused(filled, tmp_path):
    out = tmp_path / "bk"
    assert main(["--db", str(filled), "backup", str(out)]) == 0
    with open(out / "claim.parquet", "r+b") as handle:
        handle.seek(100)
        handle.write(b"XXXX")
    with pytest.raises(ValueError, match="does not match its hash"):
        backup.restore(out, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()


@pytest.mark.parametrize("version", [1, 2])
def test_a_backup_of_an_older_schema_is_restored_through_the_migrations(tmp_path, version):
    current = tmp_path / "current.duckdb"
    con = store.connect(current)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con, size=50)
    # the words of schema 5 (qualifiers, links) cannot live in an older store: compare the
    # facts an older version could hold
    con.execute(
        "UPDATE claim SET killed_qualifier = NULL, wounded_qualifier = NULL, "
        "civilians_killed_qualifier = NULL, url = NULL"
    )
    con.execute("DELETE FROM tally")  # nor the parties' tallies of schema 7
    version_now = store.compute_data_version(con)
    con.close()
    old = tmp_path / f"v{version}.duckdb"
    _old_store(old, version, current)
    con = duckdb.connect(str(old), read_only=True)
    manifest = backup.backup(con, tmp_path / "bk")
    con.close()
    assert manifest["schema_version"] == version

    direct = tmp_path / "direct.duckdb"  # the same old store, migrated by opening it
    shutil.copyfile(old, direct)
    store.connect(direct).close()
    restored = tmp_path / "restored.duckdb"
    backup.restore(tmp_path / "bk", restored)
    a, b = tables_of(restored), tables_of(direct)
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    with store.reader(restored) as r:
        assert store.schema_version(r) == store.SCHEMA_VERSION
        assert store.data_version(r) == version_now
