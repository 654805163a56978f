"""The Incidents page's queries on a bench store: counting, paging, sorting, searching,
finding a linked incident's page, and the claims download.

Every figure is the median of --runs runs after a warm-up, in-process, on the store's
own connection (DuckDB's default memory; the app caps it at 600 MB), without the cache.

    .venv/bin/python bench/bench_incidents.py --size 1000000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboard import SCENARIOS, median_ms  # noqa: E402
from make_store import store_path  # noqa: E402

from ceasefire import queries, store  # noqa: E402
from ceasefire.filters import Filter  # noqa: E402

PER_PAGE = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, help="default: bench/out/store-SIZE-sSEED.duckdb")
    args = parser.parse_args()
    con = store.connect(args.store or store_path(args.size), read_only=True)
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs, medians in ms")
    total = queries.incident_count(con, Filter())
    (middle,) = con.execute(
        "SELECT incident_id FROM incident_fact ORDER BY occurred_on LIMIT 1 OFFSET ?",
        [total // 2],
    ).fetchone()
    rows = []
    for label, f in {**SCENARIOS, "all, majority": Filter(attribution="majority")}.items():
        n = queries.incident_count(con, f)
        last = max(0, (n - 1) // PER_PAGE * PER_PAGE)
        cases = {
            "count": lambda f=f: queries.incident_count(con, f),
            "page 1, newest": lambda f=f: queries.incidents(con, f, PER_PAGE, 0, "newest"),
            "last page, newest": lambda f=f, last=last: queries.incidents(
                con, f, PER_PAGE, last, "newest"
            ),
            "page 1, most killed": lambda f=f: queries.incidents(con, f, PER_PAGE, 0, "killed"),
            "page 1, place A-Z": lambda f=f: queries.incidents(con, f, PER_PAGE, 0, "place"),
            "search 'Saraqib': count": lambda f=f: queries.incident_count(con, f, "Saraqib"),
            "search 'Saraqib': page 1": lambda f=f: queries.incidents(
                con, f, PER_PAGE, 0, "newest", "Saraqib"
            ),
            "search 'synthetic' (every row): page 1": lambda f=f: queries.incidents(
                con, f, PER_PAGE, 0, "newest", "synthetic"
            ),
            "search 'demo airstrike' (2 words): count": lambda f=f: queries.incident_count(
                con, f, "demo airstrike"
            ),
            "a link's page (position)": lambda f=f: queries.incident_position(
                con, f, middle, "newest"
            ),
        }
        for case, fn in cases.items():
            rows.append((label, n, case, median_ms(fn, args.runs)))
        if label != "all incidents":  # every claim of a million incidents: measured once below
            rows.append(
                (
                    label,
                    n,
                    "claims download (frame)",
                    median_ms(lambda f=f: queries.claims(con, f), 3),
                )
            )
    rows.append(
        (
            "all incidents",
            total,
            "claims download (frame)",
            median_ms(lambda: queries.claims(con, Filter()), 1),
        )
    )
    width = max(len(r[2]) for r in rows)
    for label, n, case, ms in rows:
        print(f"{label:<18} {n:>9,}  {case:<{width}}  {ms:8.1f}")


if __name__ == "__main__":
    main()
