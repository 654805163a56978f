"""What sharing a store costs: publishing a snapshot after a write, at 100k-10M incidents.

For each size: copy the benchmark store (bench/make_store.py) to a scratch directory,
publish it once, then time ``runs`` small writes through ``store.writer()`` (one manual
incident each, ``records.write_records``: the write itself, derived-table refresh
included) and the publish that follows, split into checkpoint+close, the file copy
(fsync'd) and the pointer; plus ``store.current_snapshot()`` (what every app run calls)
and opening a reader::

    .venv/bin/python bench/bench_publish.py --sizes 100000,1000000 --runs 3
    .venv/bin/python bench/bench_publish.py --sizes 1000000 --full-refresh   # as before

A small write rebuilds only the written incidents' derived rows
(``records.INCREMENTAL_MAX``); ``--full-refresh`` makes it rebuild every derived row, as
every write did before, for the comparison in docs/architecture.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_store import ensure_bench_store  # noqa: E402

from ceasefire import records, store  # noqa: E402
from ceasefire.records import ClaimRecord, IncidentRecord, write_records  # noqa: E402
from ceasefire.store import snapshots  # noqa: E402


def one_incident(i: int) -> IncidentRecord:
    return IncidentRecord(
        origin_id=f"publish-bench-{i}",
        occurred_on=date(2020, 3, 10),
        weapon="airstrike",
        target_type="civilian residential",
        governorate="Idleb",
        district="Al Ma'ra",
        claims=[ClaimRecord(source_name="Bench source", alleged_actor="Russia", killed_min=1)],
    )


def measure(size: int, runs: int, scratch: Path) -> dict:
    src = ensure_bench_store(size)
    path = scratch / f"publish-{size}.duckdb"
    shutil.copyfile(src, path)
    t = time.perf_counter()
    store.current_snapshot(path)  # first publish
    first = time.perf_counter() - t
    write_s, publish_s, copy_s, total_s, how = [], [], [], [], []
    real_make = snapshots._make_snapshot_file

    def timed_make(a, b):
        t0 = time.perf_counter()
        how.append(real_make(a, b))  # "patch" (the spare) or "copy"
        copy_s.append(time.perf_counter() - t0)
        return how[-1]

    snapshots._make_snapshot_file = timed_make
    real_publish = snapshots._publish_locked

    def timed_publish(p, known=None):
        t0 = time.perf_counter()
        out = real_publish(p, known)
        publish_s.append(time.perf_counter() - t0)
        return out

    snapshots._publish_locked = timed_publish
    try:
        # two writes first, not counted: the first records the data version's bucket
        # digests (a store built without them), the second leaves a spare to patch
        for i in range(runs + 2):
            t_all = time.perf_counter()
            with store.writer(path) as con:
                t0 = time.perf_counter()
                write_records(con, "manual", [one_incident(i)])
                write_s.append(time.perf_counter() - t0)
            total_s.append(time.perf_counter() - t_all)
    finally:
        snapshots._make_snapshot_file = real_make
        snapshots._publish_locked = real_publish
    write_s, publish_s, copy_s, total_s, how = (
        write_s[2:],
        publish_s[-runs:],
        copy_s[-runs:],
        total_s[2:],
        how[-runs:],
    )
    t = time.perf_counter()
    for _ in range(1000):
        store.current_snapshot(path)
    check_ms = (time.perf_counter() - t) / 1000 * 1000
    t = time.perf_counter()
    con = store.reader(path)
    con.execute("SELECT count(*) FROM incident_fact").fetchone()
    open_ms = (time.perf_counter() - t) * 1000
    con.close()
    mb = path.stat().st_size / 1e6
    return {
        "size": size,
        "file_mb": mb,
        "first_publish_s": first,
        "write_s": statistics.median(write_s),
        "publish_s": statistics.median(publish_s),
        "copy_s": statistics.median(copy_s),
        "total_s": statistics.median(total_s),
        "how": ",".join(how),
        "check_ms": check_ms,
        "open_reader_ms": open_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scratch", help="scratch directory (default: a temporary one)")
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="every write rebuilds all derived rows (the behaviour before incremental refresh)",
    )
    args = parser.parse_args()
    if args.full_refresh:
        records.INCREMENTAL_MAX = -1
    with tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        print(
            "| incidents | store file | small write, all (lock, open, write, publish) | the write "
            "(incl. derive, data version) | publish | of which the snapshot file (how) | "
            "current_snapshot() | open reader + first query |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in (int(s) for s in args.sizes.split(",")):
            r = measure(size, args.runs, Path(tmp))
            print(
                f"| {size:,} | {r['file_mb']:.0f} MB | {r['total_s']:.2f} s | {r['write_s']:.2f} s | "
                f"{r['publish_s']:.2f} s | {r['copy_s']:.2f} s ({r['how']}) | "
                f"{r['check_ms']:.3f} ms | {r['open_reader_ms']:.0f} ms |",
                flush=True,
            )
            for f in Path(tmp).glob(f"publish-{size}*"):
                if f.is_dir():
                    shutil.rmtree(f)
                else:
                    f.unlink()


if __name__ == "__main__":
    main()
