"""The Incidents page's queries on a bench store: counting, paging, sorting, searching,
finding a linked incident's page, and the claims download.

Every figure is the median of --runs runs after a warm-up, in-process, on the store's
own connection (DuckDB's default memory; the app caps it at 600 MB), without the cache.

    .venv/bin/python bench/bench_incidents.py --size 1000000 --runs 5 [--baseline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
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
    parser.add_argument(
        "--baseline", action="store_true", help="also ours vs pandas and a raw DuckDB floor"
    )
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
            "last page, newest": lambda f=f, last=last, n=n: queries.incidents(
                con, f, PER_PAGE, last, "newest", total=n
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
    if args.baseline:
        baselines(con, total, args.runs)


def baselines(con, total: int, runs: int) -> None:
    """Ours against two baselines on all incidents, interleaved (each round runs the
    three once; ratios are medians of the per-round ratios, as bench_dashboard does):

    - pandas: the incidents (with place and description), claim quotes and source names
      loaded into DataFrames once (load time printed on its own), then sorted with
      ``sort_values`` and cut with ``iloc``; the search is ``str.contains`` over the four
      texts, case-insensitive;
    - floor: the least DuckDB statement for the same answer (ids only, no actors, no
      ranges, no frame): ORDER BY ... LIMIT, and for the search a count over the place
      names and descriptions alone (fewer texts than ours searches: a lower bound)."""
    started = time.perf_counter()
    frame = con.execute(
        "SELECT f.incident_id, f.occurred_on, f.killed_max, f.n_claims, i.place_name, "
        "i.description FROM incident_fact f JOIN incident i USING (incident_id)"
    ).df()
    texts = con.execute(
        "SELECT coalesce(i.linked_to, i.incident_id) AS incident_id, c.quote, s.name "
        "FROM claim c JOIN incident i USING (incident_id) JOIN source s USING (source_id)"
    ).df()
    load = (time.perf_counter() - started) * 1000
    last = (total - 1) // PER_PAGE * PER_PAGE
    newest = ["occurred_on", "incident_id"]

    def pandas_search(word: str) -> int:
        hit = set(
            frame.incident_id[
                frame.place_name.str.contains(word, case=False, regex=False, na=False)
                | frame.description.str.contains(word, case=False, regex=False, na=False)
            ]
        )
        hit |= set(
            texts.incident_id[
                texts.quote.str.contains(word, case=False, regex=False, na=False)
                | texts.name.str.contains(word, case=False, regex=False, na=False)
            ]
        )
        return int(frame.incident_id.isin(hit).sum())

    def floor(sql: str, params=()):
        return lambda: con.execute(sql, list(params)).fetchall()

    cases = {
        "page 1, newest": (
            lambda: queries.incidents(con, Filter(), PER_PAGE, 0, "newest", total=total),
            lambda: frame.sort_values(newest, ascending=False).iloc[:PER_PAGE],
            floor(
                "SELECT incident_id FROM incident_fact "
                "ORDER BY occurred_on DESC, incident_id DESC LIMIT ?",
                [PER_PAGE],
            ),
        ),
        "last page, newest": (
            lambda: queries.incidents(con, Filter(), PER_PAGE, last, "newest", total=total),
            lambda: frame.sort_values(newest, ascending=False).iloc[last : last + PER_PAGE],
            floor(
                "SELECT incident_id FROM incident_fact "
                "ORDER BY occurred_on DESC, incident_id DESC LIMIT ? OFFSET ?",
                [PER_PAGE, last],
            ),
        ),
        "page 1, most killed": (
            lambda: queries.incidents(con, Filter(), PER_PAGE, 0, "killed", total=total),
            lambda: frame.sort_values(
                ["killed_max", *newest], ascending=False, na_position="last"
            ).iloc[:PER_PAGE],
            floor(
                "SELECT incident_id FROM incident_fact ORDER BY killed_max DESC NULLS LAST, "
                "occurred_on DESC, incident_id DESC LIMIT ?",
                [PER_PAGE],
            ),
        ),
        "page 1, place A-Z": (
            lambda: queries.incidents(con, Filter(), PER_PAGE, 0, "place", total=total),
            lambda: frame.sort_values(
                ["place_name", *newest], ascending=[True, False, False], na_position="last"
            ).iloc[:PER_PAGE],
            floor(
                "SELECT f.incident_id FROM incident_fact f JOIN incident i USING (incident_id) "
                "ORDER BY i.place_name NULLS LAST, f.occurred_on DESC, f.incident_id DESC "
                "LIMIT ?",
                [PER_PAGE],
            ),
        ),
        "search 'Saraqib': count": (
            lambda: queries.incident_count(con, Filter(), "Saraqib"),
            lambda: pandas_search("saraqib"),
            floor(
                "SELECT count(*) FROM incident WHERE strpos(lower(place_name), ?) > 0 "
                "OR strpos(lower(description), ?) > 0",
                ["saraqib", "saraqib"],
            ),
        ),
    }
    print(f"\nbaselines, all incidents ({total:,}); pandas one-off load {load:,.0f} ms")
    print(f"{'case':<26} {'ours':>8} {'pandas':>8} {'floor':>8}  ours÷pandas  ours÷floor")
    for case, fns in cases.items():
        for fn in fns:  # warm-up
            fn()
        times: list[list[float]] = [[], [], []]
        for _ in range(runs):
            for k, fn in enumerate(fns):
                started = time.perf_counter()
                fn()
                times[k].append((time.perf_counter() - started) * 1000)
        ours, pand, low = (statistics.median(t) for t in times)
        to_pandas = statistics.median(a / b for a, b in zip(times[0], times[1], strict=True))
        to_floor = statistics.median(a / b for a, b in zip(times[0], times[2], strict=True))
        print(f"{case:<26} {ours:8.1f} {pand:8.1f} {low:8.1f}  {to_pandas:11.2f}  {to_floor:10.2f}")


if __name__ == "__main__":
    main()
