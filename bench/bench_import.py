"""Benchmark: import a generated one-million-row ACLED-layout file.

    .venv/bin/python bench/bench_import.py [--rows 1000000] [--repeat 3] [--warmup 1] [--keep]

Generates (under bench/out/, git-ignored) a CSV in ACLED's 31-column layout whose values
are drawn from the real file's vocabularies (event types, actors, admin names; dates in
both layouts; several sources per cell), then times

- DuckDB's own ``read_csv`` of the file into a table (the floor: reading alone), and
- ``importers.import_file(con, "acled", ...)`` into a fresh store: reading with
  rejects, staging, validation, mapping, upsert, derived tables, linking,

and prints rows per second for both and their ratio: medians of ``--repeat`` runs after
``--warmup`` untimed ones (the machine may be shared; the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ceasefire import importers  # noqa: E402
from ceasefire.store.bootstrap import ensure_store  # noqa: E402

OUT = ROOT / "bench" / "out"
HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
)


def generate(path: Path, rows: int) -> None:
    """Write the file with DuckDB (fast, deterministic)."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (
        SELECT 'SYR' || (1000000 + i) AS event_id_cnty,
               CASE WHEN i % 5 = 0 THEN strftime(DATE '2018-01-01' + (i % 700)::INT, '%Y-%m-%d')
                    ELSE strftime(DATE '2018-01-01' + (i % 700)::INT, '%d %B %Y') END AS event_date,
               2018 + (i % 700 > 364)::INT AS year, 1 + (i % 50 = 0)::INT AS time_precision,
               'Political violence' AS disorder_type, 'Battles' AS event_type,
               ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'][1 + i % 3] AS sub_event_type,
               ['Military Forces of Syria (2000-)', 'HTS: Hayat Tahrir al Sham', 'Unidentified Armed Group (Syria)',
                'Military Forces of Turkey (2016-)', 'Operation Olive Branch', 'Opposition Rebels (Syria)'][1 + i % 6] AS actor1,
               CASE WHEN i % 3 = 0 THEN 'Militia (Pro-Government); Military Forces of Russia (2000-)' END AS assoc_actor_1,
               1 AS inter1, 'Opposition Rebels (Syria)' AS actor2, NULL AS assoc_actor_2, 2 AS inter2, 12 AS interaction,
               NULL AS civilian_targeting, 760 AS iso, 'Middle East' AS region, 'Syria' AS country,
               ['Idleb', 'Aleppo', 'Hama', 'Lattakia'][1 + i % 4] AS admin1,
               ['Al Mara', 'Jebel Saman', 'Hama', 'Al Haffa'][1 + i % 4] AS admin2,
               'Place ' || (i % 997) AS admin3, 'Place ' || (i % 997) AS location,
               round(35.0 + (i % 1000) / 1000.0, 4) AS latitude, round(36.0 + (i % 997) / 997.0, 4) AS longitude,
               1 + i % 3 AS geo_precision,
               CASE WHEN i % 2 = 0 THEN 'SOHR; Step News Agency' ELSE 'SOHR' END AS source,
               'Other' AS source_scale,
               'On this day, clashes took place between forces near place ' || (i % 997) || '.' AS notes,
               i % 7 AS fatalities, NULL AS tags, 1624916559 AS timestamp
        FROM range({rows}) t(i)
    ) TO '{path}' (HEADER, DELIMITER ',')"""
    )


def _time_read(path: Path) -> tuple[float, int]:
    """DuckDB's own read_csv into a table: the floor."""
    raw = duckdb.connect()
    t = time.perf_counter()
    raw.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    elapsed = time.perf_counter() - t
    return elapsed, raw.execute("SELECT count(*) FROM t").fetchone()[0]


def _time_import(path: Path, n: int) -> tuple[float, float, int]:
    """An import into a fresh store, then the same file again (nothing changed)."""
    db = OUT / "bench_import.duckdb"
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    con = ensure_store(db, with_demo=False)
    t = time.perf_counter()
    report = importers.import_file(con, "acled", path, editor="bench")
    t_imp = time.perf_counter() - t
    assert report.rows_imported == n, report.as_text()
    t = time.perf_counter()
    again = importers.import_file(con, "acled", path, editor="bench")
    t_again = time.perf_counter() - t
    con.close()
    return t_imp, t_again, again.summary.unchanged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (medians reported)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    parser.add_argument("--keep", action="store_true", help="keep the generated file and store")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"acled_{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
    samples: dict[str, list[float]] = {"read": [], "import": [], "again": []}
    for run in range(args.warmup + args.repeat):
        t_duck, n = _time_read(path)
        t_imp, t_again, unchanged = _time_import(path, n)
        assert unchanged == n
        if run >= args.warmup:
            for key, value in zip(samples, (t_duck, t_imp, t_again), strict=True):
                samples[key].append(value)
    med = {k: statistics.median(v) for k, v in samples.items()}
    print(
        f"rows: {n:,}; median of {args.repeat} runs after {args.warmup} warm-up; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for key, label in (
        ("read", "DuckDB read_csv"),
        ("import", "ceasefire import"),
        ("again", "re-import (unchanged)"),
    ):
        runs = ", ".join(f"{v:.2f}" for v in samples[key])
        print(f"{label + ':':23} {med[key]:8.2f} s  {n / med[key]:12,.0f} rows/s  [{runs}]")
    print(
        f"ratio import / read_csv: {med['import'] / med['read']:.1f}x slower "
        f"({med['read'] / med['import']:.3f} of DuckDB's rate)"
    )
    if not args.keep:
        path.unlink()
        (OUT / "bench_import.duckdb").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
