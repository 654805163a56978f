"""Progress of a long write (an import of a 100 MB file): a fraction from 0 to 1 that
only grows, reported by stage to a callback (the CLI's bar, the Import page's
``st.progress``).

The importers mark where they are with ``stage(name)`` (and ``within(fraction)`` when
they know how far into a stage they are, e.g. bytes of the encoding check); while a
DuckDB query runs, a watcher thread reads the connection's own progress
(``query_progress()``, the percentage of the running query) into the current stage.
Each stage has a weight (its share of the whole, measured on a 100 MB ACLED-layout
file: bench/README.md); a stage's progress never goes back, a later stage starts
where the earlier ones end, and ``tracking`` reports 1.0 when its block completes.
Without ``tracking`` the calls do nothing, so library code marks stages freely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import duckdb

#: an import's stages and their weights (share of the time, 100 MB CSV, bench/README.md)
IMPORT_STAGES: tuple[tuple[str, float], ...] = (
    ("check encoding", 0.01),
    ("read", 0.06),
    ("check and map", 0.22),
    ("write", 0.28),
    ("link", 0.03),
    ("derive", 0.40),
)

Callback = Callable[[float, str], None]


class Tracker:
    """The fraction done, from stage weights; reports only increases (by at least
    ``step``, and every change of stage)."""

    def __init__(self, callback: Callback, stages: Sequence[tuple[str, float]], step: float):
        total = sum(w for _, w in stages)
        self.callback = callback
        self.starts: dict[str, tuple[float, float]] = {}
        at = 0.0
        for name, weight in stages:
            self.starts[name] = (at, weight / total)
            at += weight / total
        self.step = step
        self.stage_name: str | None = None
        self.done = 0.0
        self.reported = -1.0
        self.lock = threading.Lock()

    def stage(self, name: str) -> None:
        if name not in self.starts:
            return
        with self.lock:
            start, _ = self.starts[name]
            if start < self.done:  # a stage met again (a second query): stay where we are
                self.stage_name = name
                return
            self.stage_name = name
            self._report(start, force=True)

    def within(self, fraction: float) -> None:
        with self.lock:
            if self.stage_name is None:
                return
            start, weight = self.starts[self.stage_name]
            self._report(start + weight * min(max(fraction, 0.0), 1.0))

    def finish(self) -> None:
        with self.lock:
            self._report(1.0, force=True)

    def _report(self, value: float, force: bool = False) -> None:
        if value < self.done:
            return
        self.done = value
        if value - self.reported >= self.step or (force and value > self.reported):
            self.reported = value
            self.callback(value, self.stage_name or "")


_current: ContextVar[Tracker | None] = ContextVar("ceasefire_progress", default=None)


def stage(name: str) -> None:
    """Mark the start of a stage (nothing happens outside ``tracking``)."""
    tracker = _current.get()
    if tracker is not None:
        tracker.stage(name)


def within(fraction: float) -> None:
    """How far (0-1) into the current stage the caller is."""
    tracker = _current.get()
    if tracker is not None:
        tracker.within(fraction)


@contextmanager
def tracking(
    callback: Callback,
    con: duckdb.DuckDBPyConnection | None = None,
    stages: Sequence[tuple[str, float]] = IMPORT_STAGES,
    *,
    interval: float = 0.2,
    step: float = 0.005,
    on_thread: Callable[[threading.Thread], None] | None = None,
) -> Iterator[Tracker]:
    """Report progress to ``callback(fraction, stage)`` during the block; with ``con``
    a watcher thread reads the running DuckDB query's progress every ``interval``
    seconds into the current stage (so ``callback`` is called from that thread too;
    ``on_thread(thread)`` runs before it starts, e.g. to give it Streamlit's script
    context). Reports 1.0 when the block ends without error."""
    tracker = Tracker(callback, stages, step)
    token = _current.set(tracker)
    stop = threading.Event()
    watcher = None
    if con is not None:
        try:
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        except duckdb.Error:  # an old DuckDB: stage marks only
            con = None
    if con is not None:
        watched = con

        def watch() -> None:
            while not stop.wait(interval):
                try:
                    percent = watched.query_progress()
                except duckdb.Error:
                    continue
                if percent >= 0:
                    tracker.within(percent / 100)

        watcher = threading.Thread(target=watch, name="ceasefire-progress", daemon=True)
        if on_thread is not None:
            on_thread(watcher)
        watcher.start()
    try:
        yield tracker
        tracker.finish()
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        _current.reset(token)
