"""Load: many sessions change filters while a 100k-row import runs from the CLI.

    .venv/bin/python bench/bench_load.py                       # 20 sessions, 120 s, 100k rows
    .venv/bin/python bench/bench_load.py --sessions 3 --seconds 15 --rows 2000   # smoke

Starts ``streamlit run app.py`` on a loopback port against a fresh store (reference
data, the seed and the demo set), opens ``--sessions`` sessions that speak Streamlit's
own protocol over its websocket (``/_stcore/stream``: ``BackMsg.rerun_script`` with the
widgets' states, ``ForwardMsg`` deltas until ``script_finished``), as the browser does,
and lets each change a sidebar filter at random (actor, side, weapon, governorate,
attribution, grouping), one after another, for ``--seconds``. A quarter of the way in,
``python -m ceasefire import acled FILE`` writes a generated ``--rows``-row ACLED-layout
file (bench/bench_import.generate) into the same store. Reported:

- errors: a session whose rerun ends with an exception element, a script error, a
  closed socket or no answer within ``--timeout`` seconds (must be 0);
- p50/p95 of a filter change (send to ``script_finished``) during the import and
  outside it;
- after the import: each session reruns its last view, and its headline figures (the
  Overview's metrics) must equal a fresh query (``queries.headline`` on a new reader of
  the newest snapshot, formatted as the page does), and the store's incident count
  must equal the rows before plus the file's distinct event ids (pandas);
- the import completes (exit status 0) within the run.

Why a protocol client and not 20 browser contexts: on the 2-core machine this runs on,
20 Chromiums rendering Plotly would measure the browsers, not the server; the protocol
client makes the server do all its work per session (script run, queries, figures,
deltas) and is what one browser tab asks of it. bench/README.md has the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

# each session keeps its socket open across calls (no ``with`` block around it)
warnings.filterwarnings("ignore", message=r"connect\(\) must be used", category=DeprecationWarning)

#: the sidebar widgets a session changes (keys as app_pages/_shared.filter_sidebar gives
#: them) and the Filter field each sets
MULTI = {"actors": "actors", "sides": "sides", "weapons": "weapons", "governorates": "governorates"}
RADIO = ("attribution", "by")


class SessionError(RuntimeError):
    pass


@dataclass
class Session:
    """One app session over the websocket, as a browser tab."""

    url: str
    timeout: float
    ws: object = None
    page_hash: str = ""
    widgets: dict[str, object] = field(default_factory=dict)  # key -> element proto
    state: dict[str, object] = field(default_factory=dict)  # key -> value sent
    metrics: dict[str, str] = field(default_factory=dict)

    def open(self) -> float:
        port = self.url.rsplit(":", 1)[1]
        self.ws = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{port}",
            max_size=None,
            open_timeout=self.timeout,
        )
        return self.rerun()

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()

    def rerun(self) -> float:
        """Send the widgets' states, read until the run finishes; seconds taken."""
        msg = BackMsg()
        run = msg.rerun_script
        run.query_string = ""
        run.page_script_hash = self.page_hash
        for key, value in self.state.items():
            element = self.widgets[key]
            w = run.widget_states.widgets.add()
            w.id = element.id
            if isinstance(value, list):
                w.string_array_value.data.extend(value)
            else:
                w.string_value = value
        t = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        metrics: dict[str, str] = {}
        deadline = t + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise SessionError(f"no answer within {self.timeout:.0f} s")
            try:
                raw = self.ws.recv(timeout=left)
            except TimeoutError:
                raise SessionError(f"no answer within {self.timeout:.0f} s") from None
            except Exception as error:  # closed socket
                raise SessionError(f"socket: {error}") from None
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                etype = element.WhichOneof("type")
                if etype == "exception":
                    raise SessionError(f"exception: {element.exception.message[:300]}")
                if etype == "metric":
                    metrics[element.metric.label] = element.metric.body
                elif etype in ("multiselect", "radio"):
                    widget = getattr(element, etype)
                    self.widgets[widget.id.rsplit("-", 1)[-1]] = widget
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == 3:  # a fragment's run; the page's run goes on
                    continue
                if status != 0:  # compile error, or cut short by another rerun
                    raise SessionError(f"script finished with status {status}")
                break
        self.metrics = metrics
        return time.perf_counter() - t

    def change_filter(self, rng: random.Random) -> str:
        """Set one widget to a random value; returns what changed."""
        key = rng.choice([k for k in (*MULTI, *RADIO) if k in self.widgets])
        options = list(self.widgets[key].options)
        if key in MULTI:
            value = rng.sample(options, k=rng.choice([0, 1, 1, 2]))
        else:
            choices = [o for o in options if key != "attribution" or o != "a named source"]
            value = rng.choice(choices)
        self.state[key] = value
        return f"{key}={value}"

    def current_filter(self):
        from ceasefire.filters import ATTRIBUTION_MODES, Filter

        modes = {label: key for key, label in ATTRIBUTION_MODES.items()}
        kwargs = {MULTI[k]: tuple(v) for k, v in self.state.items() if k in MULTI}
        if "attribution" in self.state:
            kwargs["attribution"] = modes[self.state["attribution"]]
        return Filter(**kwargs)


def fresh_metrics(store: Path, f) -> dict[str, str]:
    """The Overview's headline for ``f`` by a fresh query on a new reader, formatted as
    app_pages/overview.py formats it."""
    from ceasefire import queries
    from ceasefire import store as st
    from ceasefire.text import range_text

    con = st.reader(store)
    try:
        h = queries.headline(con, f)
    finally:
        con.close()
    return {
        "Incidents": f"{h['incidents']:,}",
        "Alleged violations": f"{h['alleged_violations']:,}",
        "Killed (range)": range_text(h["killed_min"], h["killed_max"]),
        "Wounded (range)": range_text(h["wounded_min"], h["wounded_max"]),
        "Disputed": f"{h['disputed']:,}",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(store: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "CEASEFIRE_DB": str(store)}
    env.pop("CEASEFIRE_EDITOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.terminate()
    raise RuntimeError(f"streamlit did not start; see {log}")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(sessions: int, seconds: float, rows: int, timeout: float, seed: int, workdir: Path) -> dict:
    """The benchmark; returns its figures (``errors`` and ``mismatches`` must be empty)."""
    import pandas as pd
    from bench_import import generate

    from ceasefire import store as st

    db = workdir / "load.duckdb"
    subprocess.run(
        [sys.executable, "-m", "ceasefire", "--db", str(db), "init"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    csv = workdir / f"acled_{rows}.csv"
    generate(csv, rows)
    new_events = pd.read_csv(csv, usecols=["event_id_cnty"]).event_id_cnty.nunique()
    con = st.reader(db)
    before = con.execute("SELECT count(*) FROM incident").fetchone()[0]
    con.close()

    proc, url = serve(db, workdir / "streamlit.log")
    errors: list[str] = []
    changes: list[tuple[float, float, str]] = []  # (start, seconds, what)
    headlines: set[tuple] = set()  # distinct figures seen: the filters change the view
    lock = threading.Lock()
    clients = [Session(url, timeout) for _ in range(sessions)]
    window: dict[str, float] = {}
    try:
        # open every session (first run: cold caches), a few at a time
        openers = [threading.Thread(target=c.open) for c in clients]
        for t in openers:
            t.start()
        for t in openers:
            t.join()
        stop_at = time.perf_counter() + seconds

        def work(i: int, client: Session) -> None:
            rng = random.Random(seed + i)
            while time.perf_counter() < stop_at:
                what = client.change_filter(rng)
                start = time.perf_counter()
                try:
                    took = client.rerun()
                except SessionError as error:
                    with lock:
                        errors.append(f"session {i}: {what}: {error}")
                    return
                with lock:
                    changes.append((start, took, what))
                    headlines.add(tuple(sorted(client.metrics.items())))

        workers = [
            threading.Thread(target=work, args=(i, c), daemon=True) for i, c in enumerate(clients)
        ]
        for t in workers:
            t.start()
        time.sleep(seconds / 4)
        window["start"] = time.perf_counter()
        imp = subprocess.run(
            [sys.executable, "-m", "ceasefire", "--db", str(db), "import", "acled", str(csv),
             "--editor", "bench", "--no-link"],
            cwd=ROOT, capture_output=True, text=True, timeout=max(seconds * 4, 600),
        )  # fmt: skip
        window["end"] = time.perf_counter()
        for t in workers:
            t.join(timeout=max(0.0, stop_at - time.perf_counter()) + timeout + 5)
        if imp.returncode != 0:
            errors.append(f"import failed ({imp.returncode}): {imp.stderr[-1500:]}")
        # every session's figures after the import equal a fresh query
        mismatches = []
        con = st.reader(db)
        after = con.execute("SELECT count(*) FROM incident").fetchone()[0]
        con.close()
        for i, client in enumerate(clients):
            try:
                client.rerun()
            except SessionError as error:
                errors.append(f"session {i}: final rerun: {error}")
                continue
            want = fresh_metrics(db, client.current_filter())
            if client.metrics != want:
                mismatches.append(f"session {i} {client.state}: {client.metrics} != {want}")
    finally:
        for client in clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing only
                pass
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    during = [s for t0, s, _ in changes if window["start"] <= t0 <= window["end"]]
    outside = [s for t0, s, _ in changes if not window["start"] <= t0 <= window["end"]]
    return {
        "sessions": sessions,
        "seconds": seconds,
        "rows": rows,
        "new_incidents_expected": int(new_events),
        "incidents_before": before,
        "incidents_after": after,
        "import_seconds": round(window["end"] - window["start"], 1),
        "import_exit": imp.returncode,
        "changes": len(changes),
        "distinct_headlines": len(headlines),
        "during": {"n": len(during), "p50": pct(during, 0.5), "p95": pct(during, 0.95)},
        "outside": {"n": len(outside), "p50": pct(outside, 0.5), "p95": pct(outside, 0.95)},
        "median_all": statistics.median([s for _, s, _ in changes]) if changes else None,
        "errors": errors,
        "mismatches": mismatches,
        "load_average": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the imported file")
    parser.add_argument("--timeout", type=float, default=180, help="per rerun, seconds")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceasefire-load-") as tmp:
        result = run(args.sessions, args.seconds, args.rows, args.timeout, args.seed, Path(tmp))
    print(json.dumps(result, indent=2, default=str))
    ok = (
        not result["errors"]
        and not result["mismatches"]
        and result["import_exit"] == 0
        and result["incidents_after"]
        == result["incidents_before"] + result["new_incidents_expected"]
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
