"""One store, many processes: writers publish read-only snapshots that any number of
readers (the app, the read commands) open while a writer writes (store.writer/reader)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ceasefire import store
from conftest import incident, write

ROOT = Path(__file__).resolve().parents[1]


def count(con, table: str = "incident") -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def path(tmp_path) -> Path:
    p = tmp_path / "shared.duckdb"
    with store.writer(p, with_demo=False):
        pass  # reference data and the seed incident, published
    return p


def hold_writer(path: Path, seconds: float = 30) -> subprocess.Popen:
    """Another process holding the store's write lock (inside ``store.writer``)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, sys.argv[1]); from ceasefire import store\n"
            "with store.writer(sys.argv[2]) as con:\n"
            "    print('ready', flush=True); time.sleep(float(sys.argv[3]))",
            str(ROOT),
            str(path),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def cli(*args: str, db: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_write_is_published_and_readers_keep_their_snapshot(path):
    before = store.reader(path)
    n = count(before)
    version = store.current_snapshot(path).data_version
    with store.writer(path, editor="tester") as con:
        assert store.editor_of(con) == "tester"
        write(con, incident("new-1", date(2020, 3, 10), "Russia"))
    after = store.reader(path)
    assert count(after) == n + 1
    assert count(before) == n  # an open reader keeps reading the snapshot it opened
    assert store.current_snapshot(path).data_version != version
    assert store.data_version(after) == store.current_snapshot(path).data_version
    before.close()
    after.close()


def test_old_snapshots_are_pruned(path):
    for i in range(4):
        with store.writer(path) as con:
            write(con, incident(f"p-{i}", date(2020, 3, 10), "Russia"))
    files = sorted(store.snapshot_dir(path).glob("*.duckdb"))
    assert len(files) == store.KEEP_SNAPSHOTS
    assert store.current_snapshot(path).file == files[-1]


def _published_how(monkeypatch) -> list[str]:
    """Which way each publish made its snapshot file: "patch" (the spare) or "copy"."""
    from ceasefire.store import snapshots

    how: list[str] = []
    real = snapshots._make_snapshot_file
    monkeypatch.setattr(snapshots, "_make_snapshot_file", lambda a, b: how.append(real(a, b)))
    return how


def test_a_snapshot_made_from_the_spare_equals_the_working_file(path, monkeypatch):
    how = _published_how(monkeypatch)
    for i in range(4):
        with store.writer(path) as con:
            write(con, incident(f"s-{i}", date(2020, 3, 10 + i), "Russia"))
        snap = store.current_snapshot(path)
        assert snap.file.read_bytes() == path.read_bytes(), f"write {i}"
        with store.reader(path) as r:
            assert store.compute_data_version(r) == snap.data_version
    assert how == ["copy", "copy", "patch", "patch"]  # a spare exists from the third on


def test_a_spare_still_read_is_never_patched(path, monkeypatch):
    """A connection (here in this same process, like an app's) keeps reading an old
    snapshot after it became the spare: that publish copies, and what it reads stays
    the same; the next spare (nobody reads it) is patched."""
    how = _published_how(monkeypatch)
    old = store.reader(path)
    n, version = count(old), store.compute_data_version(old)
    for i in range(5):
        with store.writer(path) as con:
            write(con, incident(f"r-{i}", date(2020, 4, 1 + i), "Russia"))
        assert (count(old), store.compute_data_version(old)) == (n, version)
        assert store.current_snapshot(path).file.read_bytes() == path.read_bytes()
    assert how == ["copy", "copy", "copy", "patch", "patch"]  # the third: old's file
    old.close()


def test_a_file_in_use_fails_every_probe(path):
    """Closing a probe's descriptor would drop this process's own DuckDB lock on the
    file (POSIX record locks go with any close), and a second probe would pass."""
    from ceasefire.store import snapshots

    file = store.current_snapshot(path).file
    reader = store.reader(path)
    assert snapshots._claim_spare(file) is None
    assert snapshots._claim_spare(file) is None
    reader.close()
    fd = snapshots._claim_spare(file)
    assert fd is not None
    os.close(fd)


def test_a_write_through_a_bare_connection_is_published_by_the_next_reader(path):
    con = store.connect(path)
    write(con, incident("bare-1", date(2020, 3, 11), "Russia"))
    con.close()
    with store.reader(path) as r:
        assert r.execute("SELECT count(*) FROM incident WHERE origin_id = 'bare-1'").fetchone() == (
            1,
        )


def test_reads_run_while_another_process_writes(path):
    holder = hold_writer(path)
    try:
        started = time.monotonic()
        done = cli("summary", "--actor", "Russia", db=path)
        assert done.returncode == 0, done.stderr
        assert '"incidents": 1' in done.stdout  # the seed incident (Jabal al-Duwaila)
        done = cli("check", db=path)
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_waits_and_says_for_whom(path):
    holder = hold_writer(path)
    messages = []
    try:
        with pytest.raises(store.StoreBusy, match="still held"):
            with store.writer(path, timeout=0.3, on_wait=messages.append):
                pass
    finally:
        holder.kill()  # the kernel releases the lock of a killed process
        holder.wait()
    assert len(messages) == 1
    assert f"process {holder.pid}" in messages[0] and "Readers are not held up" in messages[0]
    with store.writer(path) as con:  # free again
        write(con, incident("after-kill", date(2020, 3, 12), "Russia"))
    with store.reader(path) as r:
        assert count(r) == 2


def test_a_waiting_cli_import_goes_ahead_when_the_writer_is_done(path, tmp_path):
    # The holder keeps the lock until the import has said it is waiting (no fixed sleep:
    # on a loaded machine the import's start-up alone can outlast one), then lets go.
    holder = hold_writer(path, seconds=300)
    fixture = ROOT / "tests" / "fixtures" / "acled_quirks.csv"
    importer = subprocess.Popen(
        [sys.executable, "-m", "ceasefire", "--db", str(path), "import", "acled", str(fixture)]
        + ["--no-link", "--editor", "tests"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = []
    try:
        while line := importer.stderr.readline():
            said.append(line)
            if "Waiting for the store's write lock" in line:
                break
    finally:
        holder.kill()  # the kernel releases the lock of a killed process
        holder.wait()
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, "".join(said) + err
    assert any("Waiting for the store's write lock" in line for line in said), said
    import pandas as pd

    expected = pd.read_csv(fixture).event_id_cnty.nunique()
    with store.reader(path) as r:
        assert count(r) == 1 + expected


def test_the_pointer_names_an_existing_complete_snapshot(path):
    pointer = json.loads((store.snapshot_dir(path) / store.POINTER).read_text())
    snap = store.snapshot_dir(path) / pointer["file"]
    con = duckdb.connect(str(snap), read_only=True)
    assert store.data_version(con) == pointer["data_version"]
    assert store.compute_data_version(con) == pointer["data_version"]
    con.close()
    assert not list(store.snapshot_dir(path).glob("*.tmp"))
    assert os.path.exists(store.lock_path(path))
