"""Faults: a writer killed (``kill -9``) at random moments of an import, an edit and a demo
removal leaves a store that opens and equals the state before or the state after, never
a mix; a full disk (a file-size limit) gives a clear error and an unchanged store.

States are compared by a hash over every row of every table, computed here with plain
DuckDB (not the code under test), of both the working file and the published snapshot."""

from __future__ import annotations

import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ceasefire import demo, seed, store
from ceasefire.store import bootstrap

ROOT = Path(__file__).resolve().parents[1]
ACLED = ROOT / "tests" / "fixtures" / "acled_quirks.csv"
KILLS = {"import": 8, "edit": 6, "demo remove": 6}  # 20 in all

EDIT = (
    "import sys; sys.path.insert(0, sys.argv[1])\n"
    "from datetime import date\n"
    "from ceasefire import store\n"
    "from ceasefire.records import ClaimRecord, IncidentRecord, write_records\n"
    "rec = IncidentRecord(origin_id='edit-1', occurred_on=date(2020, 3, 9), weapon='airstrike',\n"
    "    target_type='market', governorate='Idleb', district='Ariha', claims=[\n"
    "    ClaimRecord(source_name='Edit source', alleged_actor='Russia', killed_min=2)])\n"
    "with store.writer(sys.argv[2], editor='tester') as con:\n"
    "    write_records(con, 'manual', [rec])\n"
)


def state(path: Path) -> str:
    """A hash over every row of every table of the DuckDB file at ``path``."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            f"{r[0]}.{r[1]}"  # every schema's (an import's kept copy lives in "undo")
            for r in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY 1, 2"
            ).fetchall()
        ]
        parts = []
        for t in tables:
            # the change log records when ("at"): every other column must match
            rows = f'(SELECT * EXCLUDE ("at") FROM {t})' if t == "main.change_log" else t
            parts.append(
                con.execute(
                    f"SELECT '{t}:' || count(*) || ':' || "
                    f"coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') "
                    f"FROM {rows} x"
                ).fetchall()[0][0]
            )
        return "\n".join(parts)
    finally:
        con.close()


def published_state(path: Path) -> str:
    """Open the store as a reader does (publishing a pending write), hash its snapshot."""
    return state(store.current_snapshot(path).file)


@pytest.fixture(autouse=True)
def editor(monkeypatch):
    monkeypatch.setenv("CEASEFIRE_EDITOR", "tester")  # the writes name who writes


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The starting store (reference, seed, 100 demo incidents) and a 300-row ACLED file."""
    d = tmp_path_factory.mktemp("faults")
    path = d / "base.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con, size=100)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.execute("CHECKPOINT")
    con.close()
    rows = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    big = pd.concat([rows] * 100, ignore_index=True)
    big["event_id_cnty"] = [f"SYRK{i}" for i in range(len(big))]
    big.to_csv(d / "acled.csv", index=False)
    return path


def command(op: str, path: Path, csv: Path) -> list[str]:
    if op == "import":
        return [sys.executable, "-m", "ceasefire", "--db", str(path), "import", "acled", str(csv)]
    if op == "demo remove":
        return [sys.executable, "-m", "ceasefire", "--db", str(path), "demo", "remove"]
    return [sys.executable, "-c", EDIT, str(ROOT), str(path)]


def fresh_copy(base: Path, where: Path) -> Path:
    where.mkdir(parents=True)
    path = where / "store.duckdb"
    shutil.copyfile(base, path)
    return path


@pytest.mark.parametrize("op", list(KILLS))
def test_a_killed_write_leaves_the_state_before_or_after(base, tmp_path, op):
    before = state(base)
    # the state after: the same write, run to its end on a copy
    done_path = fresh_copy(base, tmp_path / "done" / "x")
    started = time.monotonic()
    finished = subprocess.run(
        command(op, done_path, base.parent / "acled.csv"), cwd=ROOT, capture_output=True, text=True
    )
    duration = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    after = state(done_path)
    assert after != before
    assert published_state(done_path) == after

    rng = random.Random(f"{op}-20261126")
    seen = {"before": 0, "after": 0}
    for i in range(KILLS[op]):
        path = fresh_copy(base, tmp_path / "kill" / str(i))
        proc = subprocess.Popen(
            command(op, path, base.parent / "acled.csv"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.1) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        working = state(path)  # the working file opens (DuckDB replays or drops its WAL)...
        assert working in (before, after), f"kill {i}: the working file is a mix"
        published = published_state(path)  # ...and readers get the same state
        assert published == working, f"kill {i}: the snapshot differs from the working file"
        seen["before" if working == before else "after"] += 1
        assert not list(store.snapshot_dir(path).glob("*.tmp"))
    print(f"{op}: {seen} over {KILLS[op]} kills; the write takes {duration:.1f} s")


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_gives_a_clear_error_and_an_unchanged_store(base, tmp_path):
    path = fresh_copy(base, tmp_path / "full")
    store.current_snapshot(path)  # published before the attempt
    before = state(path)
    csv = base.parent / "acled.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", str(path), "import", "acled", str(csv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size(64 * 1024),
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "could not write" in done.stderr.lower(), done.stderr[-2000:]
    assert "unchanged" in done.stderr.lower()
    assert state(path) == before
    assert published_state(path) == before
