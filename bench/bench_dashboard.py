"""Benchmark: the Overview at 100k, 1M and 10M incidents (see bench/README.md).

For each size it builds (or reuses) a store with ``make_store.py`` and measures

1. ``overview.compute_overview`` in-process for three filter changes (the server-side
   work of a filter change: every query and every figure), through the app's own
   ``st.cache_data`` wrapper: "cold" = a filter state not in the cache (compute and
   store), "warm" = the same filter again (a cache hit);
2. the pandas baseline: the tables loaded once into DataFrames (load time reported
   apart, as the app would cache it), then each filter change filtered and aggregated
   in pandas and drawn with the same chart functions;
3. the floor: the same aggregations as raw DuckDB queries (the SQL of ``queries.py``,
   each run once, rows fetched, nothing else);
4. the peak RSS of the real app (``streamlit run app.py``, process and children) while
   it starts, renders the Overview and applies two filter changes from the URL;
5. the time from launching the app to the rendered Overview ("Incidents" metric shown,
   then all four charts drawn) in headless Chromium;
6. how each number grows from the smallest to the largest size.

Every number is a median of ``--runs`` runs after one warm-up run; 1-3 are measured
interleaved (one call of each per round) and their ratios are medians of the per-round
ratios, so drifting load on a shared machine hits both sides of a ratio alike.

    .venv/bin/python bench/bench_dashboard.py --sizes 100000,1000000,10000000
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import warnings
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_store import OUT_DIR, ensure_bench_store  # noqa: E402

from ceasefire import queries  # noqa: E402
from ceasefire.analysis import overview  # noqa: E402
from ceasefire.filters import UNKNOWN_ACTOR, Filter  # noqa: E402
from ceasefire.provenance import Provenance  # noqa: E402
from ceasefire.store import data_version  # noqa: E402
from ceasefire.taxonomy import CASUALTY_FIELDS  # noqa: E402
from tests.e2e.waiting import runs, wait_run, wait_settled  # noqa: E402  (the tests' wait)

#: The filter changes measured: everything, a year of one actor, a few targets in one
#: governorate. They cover the 'any' attribution join with and without an actor filter.
SCENARIOS = {
    "all incidents": Filter(),
    "2019, Russia": Filter(start=date(2019, 1, 1), end=date(2019, 12, 31), actors=("Russia",)),
    "3 targets, Idleb": Filter(
        target_types=("market", "medical", "school/education"), governorates=("Idleb",)
    ),
}
BY = "week"


def median_ms(fn, runs: int, setup=None) -> float:
    """Median wall time of ``fn`` in ms over ``runs`` runs, after one warm-up run."""
    times = []
    for i in range(runs + 1):
        if setup:
            setup()
        started = time.perf_counter()
        fn()
        if i:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- 1. ours, through the app's cache ------------------------------------------------


def quiet_streamlit() -> None:
    """st.cache_data outside `streamlit run` works but warns on every call."""
    warnings.filterwarnings("ignore")
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("STREAMLIT_GLOBAL_SHOW_WARNING_ON_DIRECT_EXECUTION", "false")


def measure_ours(f: Filter, runs: int) -> dict:
    from ceasefire import cache

    cold = median_ms(lambda: cache.cached_overview(f, BY), runs, setup=cache.clear_query_caches)
    cache.cached_overview(f, BY)
    warm = median_ms(lambda: cache.cached_overview(f, BY), runs)
    return {"cold": cold, "warm": warm}


def breakdown(con, f: Filter, runs: int) -> dict:
    """Where the time of one compute_overview goes (queries, provenance, figures).

    Diagnostic only, so fewer runs than the headline numbers (keeps 10M affordable)."""
    from ceasefire import provenance as prov_mod

    out = {
        "query headline": median_ms(lambda: queries.headline(con, f), runs),
        "query timeline + actor_target (one query)": median_ms(
            lambda: queries.attributed_counts(con, f, BY), runs
        ),
        "query target_types": median_ms(lambda: queries.target_types(con, f), runs),
        "query map (count + frame)": median_ms(lambda: queries.map_frame(con, f), runs),
        "query origins": median_ms(lambda: queries.origins_in_view(con, f), runs),
        "data_version": median_ms(lambda: data_version(con), runs),
        "provenance (dates, origins, data_version)": median_ms(
            lambda: prov_mod.provenance(con, f), runs
        ),
    }
    view = overview.compute_overview(con, f, BY)
    markers = overview.agreement_markers(con)
    for name, frame in view.frames.items():
        out[f"figure {name}"] = median_ms(
            lambda n=name, fr=frame: overview.build_figure(
                n, fr, view.provenance, by=BY, markers=markers, binned=view.map_binned
            ),
            runs,
        )
    return out


# --- 3. the floor: raw DuckDB ----------------------------------------------------------


def floor_queries(con, f: Filter) -> list[tuple[str, list]]:
    """The SQL behind the Overview's numbers, as queries.py writes it and the Overview
    runs it: one summary scan, the attributed counts in one query, the map."""
    where, params = f.where("f")
    with_coords = con.execute(
        f"SELECT count(*) FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL "
        "AND f.longitude IS NOT NULL",
        params,
    ).fetchone()[0]
    return [
        queries.summary_sql(f),  # headline, target types and origins, as the Overview asks
        queries.attributed_counts_sql(f, BY),
        queries.map_sql(f, with_coords > queries.MAP_POINT_LIMIT),
    ]


def floor_run(con, f: Filter):
    """One run of the floor: the Overview's statements, rows fetched, nothing else."""
    statements = floor_queries(con, f)

    def run():
        for sql, params in statements:
            con.execute(sql, params).fetchall()

    return run


def measure_floor(con, f: Filter, runs: int) -> float:
    return median_ms(floor_run(con, f), runs)


def interleaved(fns: dict, runs: int) -> dict[str, list[float]]:
    """Times (ms) of each function over ``runs`` rounds, one call of each per round,
    after one warm-up round. Alternating keeps the ratios fair on a machine whose load
    drifts: a slow minute slows ours, pandas and the floor alike, and the per-round
    ratios cancel it (measured one after the other, one view's ratio once came out
    at 0.98 and another's at 1.79 in the same run)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for i in range(runs + 1):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            if i:
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """The median of the per-round ratios of two interleaved measurements."""
    return statistics.median(n / d for n, d in zip(numerator, denominator, strict=True))


# --- 2. the pandas baseline ------------------------------------------------------------


def load_pandas(con) -> dict:
    """The common way: every table the page needs, loaded once (and cached by the app)."""
    fact = con.execute(
        """SELECT incident_id, occurred_on, governorate, district, latitude, longitude, weapon,
                  target_type, verification, array_to_string(origins, ';') AS origins, is_demo,
                  n_alleged_actors, is_disputed, len(violated_agreements) > 0 AS is_violation,
                  killed_min, killed_max, wounded_min, wounded_max,
                  civilians_killed_min, civilians_killed_max
           FROM incident_fact"""
    ).df()
    fact["occurred_on"] = pd.to_datetime(fact["occurred_on"])
    for column in ("governorate", "district", "weapon", "target_type", "verification", "origins"):
        fact[column] = fact[column].astype("category")
    ia = con.execute(
        "SELECT ia.incident_id, a.name AS actor, a.side FROM incident_actor ia JOIN actor a USING (actor_id)"
    ).df()
    return {"fact": fact, "ia": ia, "version": data_version(con)}


def pandas_filter(data: dict, f: Filter) -> pd.DataFrame:
    fact, mask = data["fact"], pd.Series(True, index=data["fact"].index)
    if f.start:
        mask &= fact.occurred_on >= pd.Timestamp(f.start)
    if f.end:
        mask &= fact.occurred_on <= pd.Timestamp(f.end)
    for column, values in (
        ("target_type", f.target_types),
        ("weapon", f.weapons),
        ("governorate", f.governorates),
        ("district", f.districts),
    ):
        if values:
            mask &= fact[column].isin(values)
    if f.actors:
        ia = data["ia"]
        mask &= fact.incident_id.isin(ia.incident_id[ia.actor.isin(f.actors)])
    return fact[mask]


def pandas_overview(data: dict, f: Filter) -> dict:
    """The Overview's frames and figures, computed in pandas (attribution 'any')."""
    sub = pandas_filter(data, f)
    sums = {c: int(sub[c].sum()) for c in CASUALTY_FIELDS}
    headline = {
        "incidents": len(sub),
        "alleged_violations": int(sub.is_violation.sum()),
        "disputed": int(sub.is_disputed.sum()),
        **sums,
        "without_coordinates": int((sub.latitude.isna() | sub.longitude.isna()).sum()),
        "first_date": sub.occurred_on.min(),
        "last_date": sub.occurred_on.max(),
    }
    att = sub[["incident_id", "occurred_on", "target_type"]].merge(
        data["ia"], on="incident_id", how="left"
    )
    att["actor"] = att["actor"].fillna(UNKNOWN_ACTOR)
    att["side"] = att["side"].fillna("unknown")
    if f.actors:
        att = att[att.actor.isin(f.actors)]
    # Monday of the week, as DuckDB's date_trunc('week'); vectorised (dt.to_period makes
    # a Python object per row and would make the baseline needlessly slow)
    att["period"] = att.occurred_on - pd.to_timedelta(att.occurred_on.dt.dayofweek, unit="D")
    timeline = (
        att.groupby(["period", "actor", "side"], observed=True)
        .incident_id.nunique()
        .rename("incidents")
        .reset_index()
        .sort_values(["period", "actor"])
    )
    actor_target = (
        att.groupby(["actor", "side", "target_type"], observed=True)
        .incident_id.nunique()
        .rename("incidents")
        .reset_index()
        .sort_values(["actor", "target_type"])
    )
    sub_v = sub.assign(v=sub.is_violation)
    target_types = (
        sub_v.groupby("target_type", observed=True)
        .agg(
            incidents=("incident_id", "size"),
            alleged_violations=("v", "sum"),
            killed_min=("killed_min", "sum"),
            killed_max=("killed_max", "sum"),
        )
        .reset_index()
        .sort_values(["incidents", "target_type"], ascending=[False, True])
    )
    located = sub[sub.latitude.notna() & sub.longitude.notna()]
    binned = len(located) > queries.MAP_POINT_LIMIT
    if binned:
        g = queries.MAP_GRID_DEGREES
        map_frame = (
            located.assign(
                latitude=(located.latitude / g).round() * g,
                longitude=(located.longitude / g).round() * g,
            )
            .groupby(["latitude", "longitude"])
            .agg(incidents=("incident_id", "size"), any_disputed=("is_disputed", "any"))
            .reset_index()
        )
    else:
        map_frame = located.sort_values("occurred_on")[
            [
                "incident_id",
                "occurred_on",
                "latitude",
                "longitude",
                "weapon",
                "target_type",
                "is_disputed",
            ]
        ].assign(incidents=1)
    origins = sorted({o for key in sub.origins.unique() for o in str(key).split(";")})
    prov = Provenance(
        f.describe(),
        f.attribution_text(),
        tuple(origins),
        headline["first_date"],
        headline["last_date"],
        datetime.now().strftime("%Y-%m-%d %H:%M UTC"),
        data["version"],
    )
    frames = {
        "timeline": timeline,
        "target_types": target_types,
        "actor_target": actor_target,
        "map": map_frame,
    }
    figures = {
        n: overview.build_figure(n, fr, prov, by=BY, markers=data["markers"], binned=binned)
        for n, fr in frames.items()
    }
    return {"headline": headline, "frames": frames, "figures": figures}


def check_same(ours: overview.Overview, theirs: dict) -> list[str]:
    """Cheap agreement check between our numbers and the baseline's."""
    problems = []
    for key in ("incidents", "alleged_violations", "disputed", "killed_max", "without_coordinates"):
        if int(ours.headline[key]) != int(theirs["headline"][key]):
            problems.append(f"headline {key}: {ours.headline[key]} vs {theirs['headline'][key]}")
    for name in ("timeline", "actor_target", "target_types"):
        a, b = ours.frames[name]["incidents"].sum(), theirs["frames"][name]["incidents"].sum()
        if int(a) != int(b):
            problems.append(f"{name} total: {a} vs {b}")
    return problems


# --- 4 and 5. the real app ---------------------------------------------------------------


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measure_app(store: Path, port: int, timeout: float = 600) -> dict:
    """Launch `streamlit run app.py`, render the Overview in Chromium, apply two filters."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "CEASEFIRE_DB": str(store)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "streamlit"),
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ps, peak, stop = psutil.Process(proc.pid), [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(ps))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: dict = {}
    base = f"http://127.0.0.1:{port}/"  # the Overview is the default page
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            while True:
                try:
                    page.goto(base, timeout=5000)
                    break
                except Exception:
                    if time.perf_counter() - started > timeout:
                        raise
                    time.sleep(0.2)
            metric = page.get_by_test_id("stMetricLabel").filter(has_text="Incidents").first
            metric.wait_for(timeout=timeout * 1000)
            out["first_render_s"] = time.perf_counter() - started
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4",
                timeout=timeout * 1000,
            )
            out["charts_drawn_s"] = time.perf_counter() - started
            changes = []
            for query in (
                "?actor=Russia&from=2019-01-01&to=2019-12-31",
                "?target=market&target=medical&target=school%2Feducation&gov=Idleb",
            ):
                t0 = time.perf_counter()
                page.goto(base + query, timeout=timeout * 1000)
                page.get_by_test_id("stMetricLabel").filter(has_text="Incidents").first.wait_for(
                    timeout=timeout * 1000
                )
                page.wait_for_function(
                    "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4",
                    timeout=timeout * 1000,
                )
                changes.append(time.perf_counter() - t0)
            out["filter_change_in_browser_s"] = statistics.median(changes)
            out.update(in_page_changes(page, timeout))
            time.sleep(1.0)
            out["rss_settled_mb"] = _tree_rss(ps) / 2**20
            browser.close()
    finally:
        stop.set()
        sampler.join()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    out["peak_rss_mb"] = peak[0] / 2**20
    return out


#: True when the first ``{count}`` charts' titles all include ``{text}``.
_CHARTS_SAY = (
    "Array.from(document.querySelectorAll('.js-plotly-plot')).length >= 4 && "
    "Array.from(document.querySelectorAll('.js-plotly-plot')).slice(0, {count})"
    ".every(p => ((p.layout && p.layout.title && p.layout.title.text) || '').includes({text}))"
)


def in_page_changes(page, timeout: float) -> dict:
    """What a researcher waits for when changing the view in the open page: from the
    click in the sidebar until the charts are redrawn for the new state and the app is
    idle. On the Idleb view opened last: the dates grouped by month (a state not yet
    computed), back to week (computed before: a cache hit), then an actor added (not
    yet computed; includes opening the multiselect and picking the option)."""

    def timed(click, text: str, count: int) -> float:
        """Click, then wait until the run the click started has finished (the app's
        end-of-run marker, tests/e2e/waiting.py) and check that the first ``count``
        charts' titles say ``text`` (only the new state's charts do)."""
        condition = _CHARTS_SAY.format(text=json.dumps(text), count=count)
        wait_settled(page, timeout=timeout * 1000)
        time.sleep(1.0)  # let the previous run settle completely
        assert not page.evaluate(condition), f"the charts say {text!r} before the change"
        before = runs(page)
        started = time.perf_counter()
        click()
        wait_run(page, before, timeout=timeout * 1000)
        elapsed = time.perf_counter() - started
        assert page.evaluate(condition), f"the charts do not say {text!r} after the change"
        return elapsed

    def add_actor():
        box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Alleged actor")
        box.locator("input").click()
        page.get_by_role("option", name="Russia", exact=True).click()
        page.keyboard.press("Escape")

    month = timed(lambda: page.get_by_text("month", exact=True).click(), "(per month)", 1)
    week = timed(lambda: page.get_by_text("week", exact=True).click(), "(per week)", 1)
    actor = timed(add_actor, "alleged against Russia", 4)
    return {"in_page_by_month_s": month, "in_page_back_to_week_s": week, "in_page_actor_s": actor}


# --- one size ------------------------------------------------------------------------------


def bench_size(size: int, runs: int, with_app: bool, port: int) -> dict:
    store = ensure_bench_store(size)
    result: dict = {"size": size, "store_mb": store.stat().st_size / 2**20}
    if with_app:  # first: the app needs the store's write lock, which this process takes below
        print(f"[{size:,}] app: cold start, render, two filter changes ...", flush=True)
        result["app"] = measure_app(store, port)
    os.environ["CEASEFIRE_DB"] = str(store)
    from ceasefire import cache

    con = cache.get_connection()
    result["incidents"] = con.execute("SELECT count(*) FROM incident_fact").fetchone()[0]
    print(f"[{size:,}] {result['incidents']:,} incidents; in-process measurements ...", flush=True)
    started = time.perf_counter()
    data = load_pandas(con)
    data["markers"] = overview.agreement_markers(con)
    result["pandas_load_ms"] = (time.perf_counter() - started) * 1000
    result["scenarios"] = {}
    for label, f in SCENARIOS.items():
        ours = measure_ours(f, runs)
        times = interleaved(
            {
                "compute": lambda f=f: overview.compute_overview(con, f, BY),
                "pandas": lambda f=f, data=data: pandas_overview(data, f),
                "floor": floor_run(con, f),
            },
            runs,
        )
        row = {
            "ours_compute": statistics.median(times["compute"]),
            "ours_cold": ours["cold"],
            "ours_warm": ours["warm"],
            "pandas": statistics.median(times["pandas"]),
            "floor": statistics.median(times["floor"]),
            "ours_over_floor": paired_ratio(times["compute"], times["floor"]),
            "ours_over_pandas": paired_ratio(times["compute"], times["pandas"]),
            "breakdown": breakdown(con, f, min(runs, 2)),
        }
        problems = check_same(overview.compute_overview(con, f, BY), pandas_overview(data, f))
        row["mismatches"] = problems
        if problems:
            print(f"  WARNING {label}: ours and pandas disagree: {problems}")
        result["scenarios"][label] = row
        print(
            f"  {label}: ours {row['ours_compute']:.0f} ms (cold cache {row['ours_cold']:.0f}, warm {row['ours_warm']:.1f}), "
            f"pandas {row['pandas']:.0f} ms, floor {row['floor']:.0f} ms",
            flush=True,
        )
    del data
    gc.collect()
    cache.clear_query_caches()
    cache._connection(str(store)).close()
    cache._connection.clear()
    return result


# --- the table ---------------------------------------------------------------------------


#: The app measurements in the table: (label, key in measure_app's result, format).
APP_ROWS = (
    ("app: peak RSS, process + children (MB)", "peak_rss_mb", "{:.0f}"),
    ("app: RSS after settling (MB)", "rss_settled_mb", "{:.0f}"),
    ("app: cold start → Overview metrics shown (s)", "first_render_s", "{:.1f}"),
    ("app: cold start → all 4 charts drawn (s)", "charts_drawn_s", "{:.1f}"),
    ("app: in-page change, dates by month (new state) (s)", "in_page_by_month_s", "{:.2f}"),
    ("app: in-page change, back to week (cache hit) (s)", "in_page_back_to_week_s", "{:.2f}"),
    ("app: in-page change, an actor added (new state) (s)", "in_page_actor_s", "{:.2f}"),
    (
        "app: opening a filtered link (new session), end to end (s)",
        "filter_change_in_browser_s",
        "{:.2f}",
    ),
)


def table(results: list[dict]) -> str:
    """One markdown table: rows are measurements, columns sizes, plus growth and ratios."""
    sizes = [r["size"] for r in results]
    head = "| measurement | " + " | ".join(f"{r['incidents']:,} incidents" for r in results)
    growth = len(results) > 1
    head += f" | growth {sizes[0]:,} → {sizes[-1]:,} |" if growth else " |"
    lines = [head, "|" + "---|" * (len(results) + 1 + growth)]

    def row(label, values, fmt="{:.0f}"):
        cells = [fmt.format(v) if v is not None else "–" for v in values]
        line = f"| {label} | " + " | ".join(cells)
        if growth and values[0] and values[-1]:
            line += f" | ×{values[-1] / values[0]:.1f}"
        elif growth:
            line += " | –"
        lines.append(line + " |")

    for label in SCENARIOS:
        sc = [r["scenarios"][label] for r in results]
        row(f"**{label}**: ours, compute_overview (ms)", [s.get("ours_compute") for s in sc])
        row(f"{label}: ours, cold cache: compute + cache store (ms)", [s["ours_cold"] for s in sc])
        row(f"{label}: ours, warm cache (ms)", [s["ours_warm"] for s in sc], "{:.1f}")
        row(f"{label}: pandas baseline (ms)", [s["pandas"] for s in sc])
        row(f"{label}: raw DuckDB floor (ms)", [s["floor"] for s in sc])
        row(
            f"{label}: ours ÷ pandas (compute; median of paired runs)",
            [s["ours_over_pandas"] for s in sc],
            "{:.2f}",
        )
        row(
            f"{label}: ours ÷ floor (compute; median of paired runs)",
            [s["ours_over_floor"] for s in sc],
            "{:.2f}",
        )
        row(
            f"{label}: ours ÷ floor (cold cache)",
            [s["ours_cold"] / s["floor"] for s in sc],
            "{:.2f}",
        )
    row("pandas: one-off load of the tables (ms)", [r["pandas_load_ms"] for r in results])
    app = [r.get("app", {}) for r in results]
    for label, key, fmt in APP_ROWS:
        row(label, [a.get(key) for a in app], fmt)
    row("store file (MB)", [r["store_mb"] for r in results])
    return "\n".join(lines)


def breakdown_table(results: list[dict], label: str) -> str:
    """Per-part medians (ms) for one scenario: where the time goes."""
    parts = list(results[0]["scenarios"][label]["breakdown"])
    lines = [
        f"| {label}: part (ms) | " + " | ".join(f"{r['incidents']:,}" for r in results) + " |",
        "|" + "---|" * (len(results) + 1),
    ]
    for part in parts:
        lines.append(
            f"| {part} | "
            + " | ".join(f"{r['scenarios'][label]['breakdown'][part]:.1f}" for r in results)
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100000,1000000,10000000",
        help="comma-separated incident counts (default: 100000,1000000,10000000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement after a warm-up")
    parser.add_argument(
        "--no-app", action="store_true", help="skip the real-app measurements (4, 5)"
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    quiet_streamlit()
    started, load_before = time.perf_counter(), os.getloadavg()
    results = [
        bench_size(int(s), args.runs, not args.no_app, args.port) for s in args.sizes.split(",")
    ]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    meta = {
        "date": stamp,
        "machine": f"{platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM",
        "python": platform.python_version(),
        "runs": args.runs,
        "total_s": time.perf_counter() - started,
        "load_average_before_after": [load_before[0], os.getloadavg()[0]],
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"results-{stamp}.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1, default=str)
    )
    print(
        f"\n{meta['machine']}; median of {args.runs} runs after a warm-up; "
        f"total {meta['total_s']:.0f} s; 1-min load average before/after "
        f"{meta['load_average_before_after'][0]:.1f}/{meta['load_average_before_after'][1]:.1f}\n"
    )
    print(table(results))
    for label in SCENARIOS:
        print()
        print(breakdown_table(results, label))


if __name__ == "__main__":
    main()
