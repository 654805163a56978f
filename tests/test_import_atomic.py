"""A killed import leaves the store exactly as it was (one transaction, nothing half-written).

``python -m ceasefire --db STORE import acled BIG.csv`` runs in a subprocess and gets
SIGKILL while it is writing; the store is then reopened and must be unchanged: the same
incident and claim counts, the same data version, no integrity problems.

Two kill points:

- the plain command, killed as soon as the store file starts to grow: DuckDB writes
  the row groups of a large uncommitted insert to the file before COMMIT, so this is
  the write phase with uncommitted data on disk;
- the same command with ``linking.apply_links`` wrapped to stop after linking, which
  runs inside the write transaction after every incident, claim and link is written
  (only the derived tables and COMMIT are left): a kill point that does not depend
  on timing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ceasefire import store
from ceasefire.store import bootstrap

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).resolve().parent / "fixtures"
ROWS = 150_000  # a few seconds of import: long enough to be killed while writing
TIMEOUT = 60

pytestmark = pytest.mark.slow

# `python -m ceasefire`, with linking wrapped to say it is inside the write and wait
STALL_AFTER_LINKING = """
import runpy, sys, time
from ceasefire.importers import linking
real = linking.apply_links
def stall(con):
    added = real(con)
    print("INSIDE-WRITE", flush=True)
    time.sleep(120)
    return added
linking.apply_links = stall
sys.argv = ["ceasefire", *sys.argv[1:]]
runpy.run_module("ceasefire", run_name="__main__", alter_sys=True)
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """An ACLED-layout export of ROWS rows: the hand-made fixture's first row, repeated
    with fresh ids and spread over dates and places."""
    path = tmp_path_factory.mktemp("atomic") / "acled_big.csv"
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE row1 AS SELECT * FROM read_csv(?, all_varchar = true) LIMIT 1",
        [str(FIX / "acled_quirks.csv")],
    )
    con.execute(
        """CREATE TABLE big AS SELECT * REPLACE (
               'SYRX' || i AS event_id_cnty,
               strftime(DATE '2018-01-01' + CAST(i % 700 AS INTEGER), '%Y-%m-%d') AS event_date,
               CAST(round(35.0 + (i % 1000) / 1000.0, 4) AS VARCHAR) AS latitude,
               CAST(round(36.0 + (i % 997) / 997.0, 4) AS VARCHAR) AS longitude,
               CAST(i % 7 AS VARCHAR) AS fatalities)
           FROM row1, range(?) t(i)""",
        [ROWS],
    )
    con.execute("COPY big TO ? (HEADER, DELIMITER ',')", [str(path)])
    con.close()
    return path


@pytest.fixture
def store_path(tmp_path) -> Path:
    """A store with reference data, the seed incidents and the 3-row ACLED fixture."""
    from ceasefire import importers

    path = tmp_path / "atomic.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    importers.import_file(con, "acled", FIX / "acled_quirks.csv", editor="tests")
    con.close()
    return path


def state(path: Path) -> dict:
    con = store.connect(path)
    try:
        return {
            "incidents": con.execute("SELECT count(*) FROM incident").fetchone()[0],
            "claims": con.execute("SELECT count(*) FROM claim").fetchone()[0],
            "facts": con.execute("SELECT count(*) FROM incident_fact").fetchone()[0],
            "data_version": store.data_version(con),
            "computed_version": store.compute_data_version(con),
            "integrity_problems": store.integrity_problems(con),
        }
    finally:
        con.close()


def start(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()


def test_killed_while_writing_rows_leaves_store_unchanged(store_path, big_file):
    before = state(store_path)
    size = store_path.stat().st_size
    proc = start(
        [
            sys.executable,
            "-m",
            "ceasefire",
            "--db",
            str(store_path),
            "import",
            "acled",
            str(big_file),
            "--editor",
            "tests",
        ]
    )
    deadline = time.monotonic() + TIMEOUT
    while store_path.stat().st_size == size:  # uncommitted row groups reach the file
        assert proc.poll() is None, f"import ended before writing: {proc.communicate()}"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.005)
    kill(proc)
    assert state(store_path) == before


def test_killed_inside_the_write_transaction_after_linking_leaves_store_unchanged(
    store_path, big_file
):
    before = state(store_path)
    size = store_path.stat().st_size
    proc = start(
        [
            sys.executable,
            "-c",
            STALL_AFTER_LINKING,
            "--db",
            str(store_path),
            "import",
            "acled",
            str(big_file),
            "--editor",
            "tests",
        ]
    )
    seen = threading.Event()

    def watch() -> None:
        for line in proc.stdout:
            if "INSIDE-WRITE" in line:
                seen.set()
                return

    threading.Thread(target=watch, daemon=True).start()
    if not seen.wait(TIMEOUT):
        proc.kill()
        pytest.fail(f"the import never reached linking: {proc.communicate()}")
    assert store_path.stat().st_size > size  # uncommitted rows are in the file
    kill(proc)
    assert state(store_path) == before
