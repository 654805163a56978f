"""The browser side of the benchmarks: a Streamlit server, headless Chromium, and a clock
that stops when the page is really done.

**When is a page done?** The tracker hides Streamlit's status widget, so waiting for it
to vanish waits for nothing. Instead a script injected into every page before Streamlit's
own (``INSTRUMENT``) records, on the page's clock (``performance.now()``):

- every websocket message from the server: its size and its top-level protobuf fields,
  so a script run's start (``new_session``, field 4) and end (``script_finished``,
  field 6) are seen as the server sends them;
- the time of the last change to the page (a ``MutationObserver`` on the whole
  document: Streamlit's React updates and Plotly's SVG drawing both mutate it);
- the time of the last trusted user input (``pointerdown``/``keydown``), which is when
  a click or a key press reached the page, not when Playwright started moving to it;
- Plotly's drawing: ``.js-plotly-plot`` elements created (a ``newPlot``) and every
  ``plotly_afterplot`` event (a ``react`` of an existing chart fires it too).

A page is done when the run the action started has finished (a ``script_finished``
after the action), a content check holds (the charts' titles name the new state...)
and nothing has changed for ``QUIET_MS``. Its time is *the last change*, not the end of
the quiet wait: from the input event (or the navigation's start) to the last mutation.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CEASEFIRE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Nothing may change on the page for this long before it counts as done (the time
#: measured ends at the last change, before this wait).
QUIET_MS = 700
VIEWPORT = {"width": 1400, "height": 1000}

INSTRUMENT = r"""
(() => {
  if (window.__bench) return;
  const rec = window.__bench = {
    runs: 0, finished: 0, lastStart: -1, lastFinish: -1, finishStatus: null,
    lastMutation: 0, lastMessage: 0, lastInput: -1, messages: [], plotsCreated: 0,
    afterplots: 0,
  };
  function fields(buffer) {  // the top-level protobuf fields of one ForwardMsg
    const b = new Uint8Array(buffer);
    let i = 0;
    const out = [];
    const varint = () => {
      let x = 0, s = 1, c;
      do { c = b[i++]; x += (c & 0x7f) * s; s *= 128; } while (c & 0x80 && i < b.length);
      return x;
    };
    while (i < b.length) {
      const tag = varint(), number = Math.floor(tag / 8), type = tag & 7;
      let value = null;
      if (type === 0) value = varint();
      else if (type === 2) { const n = varint(); i += n; }
      else if (type === 1) i += 8;
      else if (type === 5) i += 4;
      else break;
      out.push([number, value]);
    }
    return out;
  }
  const Native = window.WebSocket;
  function Instrumented(...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (event) => {
      const t = performance.now();
      const data = event.data;
      const size = data.byteLength ?? data.size ?? data.length ?? 0;
      let kind = "other";
      if (data instanceof ArrayBuffer) {
        for (const [number, value] of fields(data)) {
          if (number === 4) { kind = "new_session"; rec.runs++; rec.lastStart = t; }
          else if (number === 6) {
            kind = "script_finished"; rec.finished++; rec.lastFinish = t; rec.finishStatus = value;
          } else if (number === 5) kind = "delta";
          else if (number === 26) kind = "heartbeat";
        }
      }
      if (kind !== "heartbeat") { rec.lastMessage = t; rec.messages.push([t, size, kind]); }
    });
    return ws;
  }
  Instrumented.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Instrumented[k] = Native[k];
  window.WebSocket = Instrumented;
  rec.log = [];
  const describe = (n) => {
    const e = n.nodeType === 1 ? n : n.parentElement;
    if (!e) return "?";
    const holder = e.closest("[data-testid]");
    return e.tagName + "." + String(e.className && e.className.baseVal !== undefined
      ? e.className.baseVal : e.className).slice(0, 30) + " in " +
      (holder ? holder.getAttribute("data-testid") : "-");
  };
  new MutationObserver((records) => {
    const t = performance.now();
    rec.lastMutation = t;
    rec.log.push([Math.round(t), records.length, records[0].type, describe(records[0].target),
                  records[0].attributeName || ""]);
    if (rec.log.length > 400) rec.log.splice(0, 200);
    for (const p of document.querySelectorAll(".js-plotly-plot")) {
      if (!p.__benchSeen) { p.__benchSeen = true; rec.plotsCreated++; }  // a newPlot
      if (!p.__benchListening && typeof p.on === "function") {
        p.__benchListening = true;
        p.on("plotly_afterplot", () => { rec.afterplots++; });
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  rec.inputs = []; rec.sends = [];
  for (const type of ["pointerdown", "keydown"])
    window.addEventListener(type, (e) => {
      if (e.isTrusted) { rec.lastInput = performance.now(); rec.inputs.push(rec.lastInput); }
    }, true);
  const send = Native.prototype.send;
  Native.prototype.send = function (data) { rec.sends.push(performance.now()); return send.call(this, data); };
})();
"""

#: True when the page is done (see the module docstring); ``args``: the run count
#: before the action, the quiet time, and a content check (a JS expression).
_DONE = """(args) => {
  const r = window.__bench;
  if (!r || r.finished <= args.finished || r.lastFinish < r.lastStart) return false;
  if (performance.now() - Math.max(r.lastMutation, r.lastMessage) < args.quiet) return false;
  return Boolean(eval(args.check));
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """``streamlit run SCRIPT`` on a loopback port (headless, no file watcher)."""

    script: Path
    env: dict = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen | None = None
    started: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Server:
        self.port = self.port or free_port()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(self.script),
                "--server.headless=true",
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
            ],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def wait_healthy(self, timeout: float = 300) -> float:
        """Seconds from launch until the server answers its health check."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.script.name} exited with {self.proc.returncode}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            time.sleep(0.02)
        raise TimeoutError(f"{self.script.name} did not start in {timeout} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_browser(playwright):
    if not CHROMIUM.exists():
        raise SystemExit(f"the browser benchmark needs Debian's chromium at {CHROMIUM}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_context(browser):
    """A browser context (its own cache and cookies) whose pages are instrumented."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.add_init_script(INSTRUMENT)
    return context


def state(page) -> dict:
    return page.evaluate(
        "() => { const r = window.__bench; return r ? {...r, messages: undefined, log: undefined,"
        " inputs: undefined, sends: undefined,"
        " plots: document.querySelectorAll('.js-plotly-plot').length,"
        " dom: document.getElementsByTagName('*').length} : null; }"
    )


def wait_done(page, finished_before: int, check: str = "true", timeout: float = 600) -> dict:
    """Wait until the page is done (module docstring); returns the recorder's state."""
    page.wait_for_function(
        _DONE,
        arg={"finished": finished_before, "quiet": QUIET_MS, "check": check},
        timeout=timeout * 1000,
        polling=50,
    )
    return state(page)


def messages_since(page, t0: float) -> tuple[int, int]:
    """(count, bytes) of the server's messages received after ``t0`` (page clock)."""
    n, size = page.evaluate(
        "(t0) => { const m = window.__bench.messages.filter(x => x[0] >= t0);"
        " return [m.length, m.reduce((a, x) => a + x[1], 0)]; }",
        t0,
    )
    return n, size


@dataclass
class Timing:
    """One measured action: seconds, and what the page did meanwhile."""

    seconds: float
    messages: int = 0
    bytes: int = 0
    plots_created: int = 0
    afterplots: int = 0
    dom: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def open_page(context, url: str, check: str = "true", timeout: float = 600):
    """Open ``url`` in a new tab; the time from the navigation's start (the page clock's
    zero) to its last change once done. Returns (page, Timing)."""
    page = context.new_page()
    page.goto(url, timeout=timeout * 1000)
    done = wait_done(page, 0, check, timeout)
    end = max(done["lastMutation"], done["lastFinish"])
    n, size = messages_since(page, 0)
    return page, Timing(end / 1000, n, size, done["plotsCreated"], done["afterplots"], done["dom"])


def act(page, action, check: str = "true", timeout: float = 600, settle: bool = True) -> Timing:
    """Do ``action(page)`` (a click, typing...) and time it: from the user input that made
    the page ask the server for a run (the last trusted input event before the first
    message the page sent after the action began: the click on an option, the Enter in
    a field, not the click that opened a list) to the page's last change once done."""
    # a page in a background tab gets no animation frames, and Plotly draws in them: a
    # chart there is never redrawn (the wait would time out)
    page.bring_to_front()
    if settle:
        wait_done(page, 0, timeout=timeout)
    before = state(page)
    t0 = page.evaluate("() => performance.now()")
    action(page)
    done = wait_done(page, before["finished"], check, timeout)
    start = page.evaluate(
        """(t0) => {
          const r = window.__bench, sent = r.sends.find(t => t >= t0);
          if (sent === undefined) return null;
          const inputs = r.inputs.filter(t => t >= t0 && t <= sent);
          return inputs.length ? inputs[inputs.length - 1] : sent;
        }""",
        t0,
    )
    if start is None:
        raise RuntimeError("the action sent nothing to the server")
    end = max(done["lastMutation"], done["lastFinish"])
    n, size = messages_since(page, start)
    return Timing(
        (end - start) / 1000,
        n,
        size,
        done["plotsCreated"] - before["plotsCreated"],
        done["afterplots"] - before["afterplots"],
        done["dom"],
    )


def charts_say(text: str, count: int = 1, least: int = 4) -> str:
    """A content check: at least ``least`` charts on the page, and the first ``count``
    charts' titles include ``text``."""
    return (
        f"document.querySelectorAll('.js-plotly-plot').length >= {least} && "
        f"Array.from(document.querySelectorAll('.js-plotly-plot')).slice(0, {count})"
        f".every(p => ((p.layout && p.layout.title && p.layout.title.text) || '')"
        f".includes({json.dumps(text)}))"
    )
