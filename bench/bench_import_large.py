"""A 100 MB CSV import: its progress and its peak memory.

    .venv/bin/python bench/bench_import_large.py [--mb 100] [--keep]

Generates (under bench/out/, git-ignored) an ACLED-layout CSV of about ``--mb``
megabytes (bench_import.generate: invented values from the real vocabularies), then
imports it in a child process, as the CLI does (``store.writer``, ``import_file`` inside
``progress.tracking``), and prints

- the time, the rows, and the child's peak resident memory (``ru_maxrss`` of the child,
  from ``resource.getrusage(RUSAGE_CHILDREN)``, so the parent's own memory is not in it);
- the progress reports: fraction, stage and seconds since the start, and each stage's
  share of the time (what ``progress.IMPORT_STAGES`` weights are set from).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

OUT = ROOT / "bench" / "out"
BYTES_PER_ROW = 344  # about, in bench_import.generate's layout


def child(path: str, db: str) -> None:
    from ceasefire import importers, progress, store
    from ceasefire.cli.importing import IMPORT_MEMORY_LIMIT

    reports: list[tuple[float, str, float]] = []
    t0 = time.perf_counter()
    with store.writer(Path(db), editor="bench", with_demo=False) as con:
        limit = os.environ.get("CEASEFIRE_MEMORY_LIMIT")
        if limit != "default":  # as the CLI: its cap unless the variable sets one
            con.execute("SET memory_limit = ?", [limit or IMPORT_MEMORY_LIMIT])
        with progress.tracking(
            lambda f, s: reports.append((f, s, time.perf_counter() - t0)), con, step=0.01
        ):
            report = importers.import_file(con, "acled", path, editor="bench", link=False)
    elapsed = time.perf_counter() - t0
    print(
        json.dumps(
            {"seconds": elapsed, "rows": report.rows_imported, "progress": reports},
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="approximate file size")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument(
        "--memory-limit",
        help="DuckDB's memory cap for the import, e.g. 400MB (default: the CLI's, "
        "cli.importing.IMPORT_MEMORY_LIMIT; 'default': DuckDB's own, 80 %% of RAM)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from bench_import import generate

    OUT.mkdir(parents=True, exist_ok=True)
    rows = args.mb * 1_000_000 // BYTES_PER_ROW
    path = OUT / f"acled_{args.mb}mb.csv"
    if not path.exists():
        generate(path, rows)
    size_mb = path.stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "large.duckdb"
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path), str(db)],
            capture_output=True,
            text=True,
            check=True,
            env={
                **os.environ,
                **({"CEASEFIRE_MEMORY_LIMIT": args.memory_limit} if args.memory_limit else {}),
            },
        )
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"file: {size_mb:.0f} MB, {result['rows']:,} rows imported in {result['seconds']:.1f} s; "
        f"peak RSS of the importing process: {peak_mb:.0f} MB; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print("progress reports (fraction, stage, seconds):")
    marks = result["progress"]
    for fraction, stage, seconds in marks:
        print(f"  {fraction:6.1%}  {stage:15} {seconds:7.1f} s")
    fractions = [m[0] for m in marks]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    starts: dict[str, float] = {}
    for _, stage, seconds in marks:
        starts.setdefault(stage, seconds)
    names = list(starts)
    total = result["seconds"]
    print("share of the time by stage:")
    for i, name in enumerate(names):
        end = starts[names[i + 1]] if i + 1 < len(names) else total
        print(f"  {name:15} {(end - starts[name]) / total:6.1%}")
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
