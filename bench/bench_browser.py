"""Speed as the researcher feels it: the tracker against a bare Streamlit app (the floor,
bench/floor_app.py), in headless Chromium, interleaved, at one or more stores.

    .venv/bin/python bench/bench_browser.py --stores default,1000000,10000000 --runs 5

What is measured (bench/README.md, "The browser benchmark", has the table and its
reading), each as the median of ``--runs`` rounds after a warm-up round; in every round
the floor app is measured next to the tracker, and each ratio is the median of the
per-round ratios, so the load of a shared machine hits both sides alike:

- **cold start**: from launching ``streamlit run`` (a new server process, a new browser
  profile) to the last change of the first page once every chart is drawn; the
  tracker's Overview against the floor app. The store exists and is published (its
  first creation is timed once, on its own line).
- **first chart export**: in that cold server, a click on "Timeline as PNG" until the
  browser has the file (the first export of the process starts the renderer); then a
  second export.
- **a shared link in a new tab**: a new tab on a link with a view (an actor, a year,
  the grouping) to each page of the tracker, server warm and the view computed once
  before (the sender's session did it), against a new tab of the floor app.
- **a change in the open page**: the grouping, an actor added, the start year of the
  date range, a governorate added, each from the click that sent it to the page's last
  change; against a click on the floor app's radio (a full rerun that redraws its four
  charts). Every round starts from a view not computed before, so no change is a cache
  hit.
- **Incidents**: the next page, a sort by place, a search, in a view not computed before.

For each action the websocket messages and bytes, the charts made anew (``newPlot``)
and redrawn (``plotly_afterplot`` events) and the page's element count are kept in the
JSON results (``--out``), with the machine's load.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import browser as B  # noqa: E402

FLOOR = ROOT / "bench" / "floor_app.py"
APP = ROOT / "app.py"
from make_store import OUT_DIR as STORES  # noqa: E402

#: Every chart on the page drawn, no error shown.
DRAWN = (
    "!document.querySelector('[data-testid=stException]') && "
    "Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))"
    ".every(c => c.querySelector('.main-svg'))"
)
#: The tracker's pages (address, what must be on it once done besides DRAWN).
PAGES = {
    "Overview": ("", B.charts_say("(per", 1, 4)),
    "Incidents": ("incidents", "document.querySelector('h1')"),
    "Compare periods": ("compare", "document.querySelector('h1')"),
    "What changed": ("changes", "document.querySelector('h1')"),
    "Import": ("import", "document.querySelector('h1')"),
    "Draft from article": ("draft", "document.querySelector('h1')"),
    "New / edit incident": ("edit", "document.querySelector('h1')"),
    "Actors & sources": ("actors", "document.querySelector('h1')"),
    "History": ("history", "document.querySelector('h1')"),
    "About the rules": ("about", "document.querySelector('h1')"),
}
#: The view a shared link carries.
SHARED_VIEW = "?actor=Russia&from=2019-01-01&to=2019-12-31&by=month"
#: Per round: an actor, a start year, a governorate and a search word to change to.
ACTORS = [
    "Russia",
    "Turkey",
    "Syrian government",
    "Hayat Tahrir al-Sham",
    "National Liberation Front",
    "Pro-government militias",
    "Russia",
]
YEARS = ["2019", "2018", "2020", "2019", "2018", "2020", "2019"]
GOVERNORATES = ["Idleb", "Aleppo", "Hama", "Lattakia", "Idleb", "Aleppo", "Hama"]
SEARCHES = ["Saraqib", "Ariha", "Jisr", "Maarrat", "Kafr", "Khan", "Sarmin"]


def url_has(text: str) -> str:
    return f"decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes({json.dumps(text)})"


def ensure_store(name: str, log=print) -> Path:
    """The store for ``name``: "default" (what ``make app`` creates: reference data, the
    seed, 3,015 demo incidents) or a size (bench/make_store.py), published."""
    from ceasefire import store

    if name == "default":
        path = STORES / "default" / "ceasefire.duckdb"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            with store.writer(path):
                pass
            log(f"default store created in {time.perf_counter() - started:.1f} s")
    else:
        from make_store import ensure_bench_store

        path = ensure_bench_store(int(name))
    store.current_snapshot(path)  # published before any timing
    return path


# --- actions -------------------------------------------------------------------------------


def click_text(text: str):
    return lambda page: page.get_by_text(text, exact=True).first.click()


def pick(label: str, option: str):
    """Add ``option`` to the sidebar multiselect ``label``: typed into its field (the
    list is virtualised: an option far down is not in the page until scrolled to), then
    clicked; the list closes after."""

    def action(page):
        box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
        box.locator("input").click()
        page.keyboard.type(option)
        page.get_by_role("option", name=option, exact=True).click()
        page.keyboard.press("Escape")

    return action


def start_year(year: str):
    """Type a start year into the date range's first field; leaving it commits it."""

    def action(page):
        page.locator('[data-testid="stDateInput"] [role="spinbutton"]').first.click()
        page.keyboard.type(year)
        page.locator("h1").first.click()

    return action


def select(label: str, option: str):
    def action(page):
        page.get_by_label(label, exact=True).click()
        page.get_by_role("option", name=option, exact=True).click()

    return action


def search(words: str):
    def action(page):
        box = page.get_by_role("textbox", name=re.compile(r"^Search")).first
        box.fill(words)
        box.press("Enter")

    return action


# --- measurements --------------------------------------------------------------------------


def cold_start(browser, script: Path, env: dict, url_path: str, check: str) -> tuple:
    """(seconds from launch to done, Timing of the page, server, context, page)."""
    context = B.new_context(browser)
    server = B.Server(script, env=env).start()
    server.wait_healthy()
    navigated = time.perf_counter()
    page, timing = B.open_page(context, server.url + url_path, check)
    return navigated - server.started + timing.seconds, timing, server, context, page


def export_seconds(page, what: str = "Timeline as PNG (300 dpi)") -> float:
    button = page.get_by_role("button", name=what).first
    button.scroll_into_view_if_needed()
    started = time.perf_counter()
    with page.expect_download(timeout=120_000) as download:
        button.click()
    download.value.path()
    return time.perf_counter() - started


def load() -> float:
    return os.getloadavg()[0]


class Results:
    """Pairs of (ours, floor) per measurement, and the extra numbers of each action."""

    def __init__(self):
        self.pairs: dict[str, list[tuple[float, float | None]]] = {}
        self.details: dict[str, list[dict]] = {}
        self.failures: list[str] = []

    def attempt(self, name: str, measure):
        """``measure()``, or None (the failure kept and printed) when it fails: one
        page that never finishes must not lose a run's other measurements."""
        try:
            return measure()
        except Exception as error:  # noqa: BLE001  (a timeout, a page error: reported)
            self.failures.append(f"{name}: {type(error).__name__}: {str(error)[:200]}")
            print(f"    {name}: FAILED ({type(error).__name__})", flush=True)
            return None

    def add(self, name: str, ours, floor=None) -> None:
        seconds = ours.seconds if isinstance(ours, B.Timing) else ours
        floor_s = floor.seconds if isinstance(floor, B.Timing) else floor
        self.pairs.setdefault(name, []).append((seconds, floor_s))
        if isinstance(ours, B.Timing):
            self.details.setdefault(name, []).append(ours.as_dict())
        print(
            f"    {name}: {seconds:.2f} s" + (f" (floor {floor_s:.2f} s)" if floor_s else ""),
            flush=True,
        )

    def summary(self) -> dict:
        out = {}
        for name, pairs in self.pairs.items():
            ours = [a for a, _ in pairs]
            floors = [b for _, b in pairs if b]
            row = {"median_s": statistics.median(ours), "n": len(ours)}
            if floors:
                row["floor_median_s"] = statistics.median(floors)
                row["ratio"] = statistics.median(a / b for a, b in pairs if b)
            if name in self.details:
                d = self.details[name]
                for key in ("messages", "bytes", "plots_created", "afterplots", "dom"):
                    row[key] = statistics.median(x[key] for x in d)
            out[name] = row
        return out


def bench_store(name: str, runs: int, browser, skip_cold: bool = False) -> dict:
    path = ensure_store(name)
    env = {"CEASEFIRE_DB": str(path)}
    res = Results()
    loads = [load()]
    print(f"[{name}] cold starts", flush=True)
    for r in range(0 if skip_cold else runs + 1):
        floor_s, floor_t, fs, fc, _ = cold_start(
            browser, FLOOR, {}, "", B.charts_say("(per week)", 4) + " && " + DRAWN
        )
        fs.stop()
        fc.close()
        ours_s, ours_t, ts, tc, page = cold_start(browser, APP, env, "", PAGES["Overview"][1])
        try:
            first = export_seconds(page)
            second = export_seconds(page)
        finally:
            ts.stop()
            tc.close()
        if r:  # round 0 warms the OS caches
            res.add("cold start", ours_s, floor_s)
            res.add("cold start: page part", ours_t, floor_t)
            res.add("first chart export", first)
            res.add("second chart export", second)
    loads.append(load())

    print(f"[{name}] warm servers", flush=True)
    floor_server = B.Server(FLOOR).start()
    app_server = B.Server(APP, env=env).start()
    context = B.new_context(browser)
    try:
        floor_server.wait_healthy()
        app_server.wait_healthy()
        floor_page, _ = B.open_page(context, floor_server.url, DRAWN)
        for _title, (address, check) in PAGES.items():  # warm: each page and view once
            page, _ = B.open_page(
                context, app_server.url + address + SHARED_VIEW, check + " && " + DRAWN
            )
            page.close()
        for r in range(runs + 1):
            print(f"  round {r}", flush=True)
            for title, (address, check) in PAGES.items():
                # the floor's new tab right before each page's, so both see the same load
                floor_tab, floor_new = B.open_page(context, floor_server.url, DRAWN)
                floor_tab.close()
                opened = res.attempt(
                    f"new tab: {title}",
                    lambda a=address, c=check: B.open_page(
                        context, app_server.url + a + SHARED_VIEW, c + " && " + DRAWN
                    ),
                )
                for extra in context.pages[1:]:  # every tab but the floor's
                    if extra is not floor_page:
                        extra.close()
                if opened and r:
                    res.add(f"new tab: {title}", opened[1], floor_new)
            # a view not computed before: a start date of its own in every round
            base = f"?from=2017-01-{r + 5:02d}"
            page, _ = B.open_page(
                context, app_server.url + base, PAGES["Overview"][1] + " && " + DRAWN
            )
            changes = [
                ("change: grouping", click_text("month"), url_has("by=month")),
                (
                    "change: an actor",
                    pick("Alleged actor", ACTORS[r]),
                    url_has(f"actor={ACTORS[r]}"),
                ),
                ("change: start year", start_year(YEARS[r]), url_has(f"from={YEARS[r]}-")),
                (
                    "change: a governorate",
                    pick("Governorate", GOVERNORATES[r]),
                    url_has(f"gov={GOVERNORATES[r]}"),
                ),
            ]
            for i, (label, action, check) in enumerate(changes):
                by = ["month", "day", "week", "day"][i]
                floor_t = B.act(floor_page, click_text(by), B.charts_say(f"(per {by})", 4))
                timing = res.attempt(
                    label, lambda a=action, c=check, p=page: B.act(p, a, c + " && " + DRAWN)
                )
                if timing and r:
                    res.add(label, timing, floor_t)
            page.close()
            page, _ = B.open_page(
                context, app_server.url + "incidents" + base, "document.querySelector('h1')"
            )
            steps = [
                (
                    "Incidents: next page",
                    lambda p: p.get_by_role("button", name="Next page").click(),
                    url_has("page=2"),
                ),
                (
                    "Incidents: sort by place",
                    select("Order", "Place, A to Z"),
                    url_has("order=place"),
                ),
                ("Incidents: search", search(SEARCHES[r]), url_has(f"q={SEARCHES[r]}")),
            ]
            for label, action, check in steps:
                timing = res.attempt(
                    label, lambda a=action, c=check, p=page: B.act(p, a, c + " && " + DRAWN)
                )
                if timing and r:
                    res.add(label, timing)
            page.close()
    finally:
        context.close()
        floor_server.stop()
        app_server.stop()
    loads.append(load())
    return {
        "store": name,
        "path": str(path),
        "load": loads,
        "results": res.summary(),
        "failures": res.failures,
    }


def machine() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": datetime.now().isoformat(timespec="minutes"),
        "commit": commit + ("+changes" if dirty else ""),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


#: The issue's targets: a ratio to the floor app, or seconds.
TARGETS = {
    "cold start": ("ratio", 1.3),
    "new tab": ("ratio", 1.2),
    "change": ("ratio", 1.0),
    "Incidents": ("seconds", 0.5),
    "first chart export": ("seconds", 1.5),
}


def target(name: str) -> tuple[str, float] | None:
    for prefix, goal in TARGETS.items():
        if name.startswith(prefix) and name != "cold start: page part":
            return goal
    return None


def table(runs: list[dict]) -> str:
    """The README's table: per measurement and store, the median, the floor's median
    and the median of the per-round ratios, and whether the target is met."""
    names = list(dict.fromkeys(k for run in runs for k in run["results"]))
    head = "| measurement | target | " + " | ".join(r["store"] for r in runs) + " |"
    lines = [head, "|---|---|" + "---|" * len(runs)]
    for name in names:
        goal = target(name)
        cells = []
        for run in runs:
            row = run["results"].get(name)
            if row is None:
                cells.append("")
                continue
            if "ratio" in row:
                text = f"{row['median_s']:.2f} / {row['floor_median_s']:.2f} s = {row['ratio']:.2f}"
                value = row["ratio"]
            else:
                text, value = f"{row['median_s']:.2f} s", row["median_s"]
            if goal is not None:
                text += " ✓" if value <= goal[1] else f" ✗ ({value / goal[1]:.1f}×)"
            cells.append(text)
        shown = (
            "" if goal is None else (f"≤ {goal[1]}×" if goal[0] == "ratio" else f"≤ {goal[1]} s")
        )
        lines.append(f"| {name} | {shown} | " + " | ".join(cells) + " |")
    loads = " | ".join(", ".join(f"{x:.1f}" for x in r["load"]) for r in runs)
    lines.append(f"| 1-minute load average (start, middle, end) | | {loads} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="default,1000000", help="default and/or sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--out", type=Path, default=STORES / f"browser-{datetime.now():%Y%m%d-%H%M%S}.json"
    )
    parser.add_argument("--skip-cold", action="store_true", help="no cold starts (faster)")
    parser.add_argument(
        "--table", nargs="+", type=Path, help="print the table of earlier results (JSON files)"
    )
    args = parser.parse_args(argv)
    if args.table:
        done = [json.loads(p.read_text()) for p in args.table]
        print(json.dumps([d["machine"] for d in done]))
        print(table([run for d in done for run in d["runs"]]))
        return
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        browser = B.launch_browser(pw)
        try:
            for name in args.stores.split(","):
                runs.append(bench_store(name, args.runs, browser, args.skip_cold))
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=1))
        finally:
            with contextlib.suppress(Exception):
                browser.close()
    print(json.dumps(machine()))
    print(table(runs))
    print(f"raw results: {args.out}")


if __name__ == "__main__":
    main()
