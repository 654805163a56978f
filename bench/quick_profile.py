"""Quick profile of one filter change (compute_overview and its parts) on a bench store.

A faster loop than bench_dashboard.py for trying changes: in-process only, no app, no
pandas baseline. Medians of --runs runs after a warm-up.

    .venv/bin/python bench/quick_profile.py --size 1000000 --runs 7
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboard import BY, SCENARIOS, measure_floor, median_ms, quiet_streamlit  # noqa: E402
from make_store import store_path  # noqa: E402

from ceasefire import queries  # noqa: E402
from ceasefire.analysis import overview  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--parts", action="store_true", help="also time each query and figure")
    args = parser.parse_args()
    quiet_streamlit()
    os.environ["CEASEFIRE_DB"] = str(store_path(args.size))
    from ceasefire import cache

    con = cache.get_connection()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for label, f in SCENARIOS.items():
        compute = median_ms(lambda f=f: overview.compute_overview(con, f, BY), args.runs)
        cold = median_ms(
            lambda f=f: cache.cached_overview(f, BY), args.runs, setup=cache.clear_query_caches
        )
        warm = median_ms(lambda f=f: cache.cached_overview(f, BY), args.runs)
        floor = measure_floor(con, f, args.runs)
        view = overview.compute_overview(con, f, BY)
        size = len(pickle.dumps(view))
        print(
            f"{label}: compute {compute:.0f} ms, cold cache {cold:.0f}, warm {warm:.1f}, "
            f"floor {floor:.0f} (ratio {compute / floor:.2f}); pickle {size / 1e3:.0f} kB"
        )
        if args.parts:
            for name, fn in {
                "headline": lambda f=f: queries.headline(con, f),
                "frames": lambda f=f: overview.compute_frames(con, f, BY, None),
            }.items():
                print(f"    {name}: {median_ms(fn, args.runs):.1f}")
            markers = overview.agreement_markers(con)
            for name, frame in view.frames.items():
                ms = median_ms(
                    lambda n=name, fr=frame, v=view, m=markers: overview.build_figure(
                        n, fr, v.provenance, by=BY, markers=m, binned=v.map_binned
                    ),
                    args.runs,
                )
                print(f"    figure {name}: {ms:.1f}")


if __name__ == "__main__":
    main()
