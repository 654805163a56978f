"""Waiting for the app in a real browser: until the run an action started has finished.

The app hides Streamlit's status widget (``toolbarMode = "minimal"``), so waiting for it
to disappear waits for nothing. Instead the app writes a hidden marker at the end of
every run, carrying how many runs the session has finished (app_pages/_shared.py,
``run_marker``). A wait reads that count *before* the action and then waits until

1. a marker with a higher count is on the page (a run that started after the action
   has reached its end; a run that asked for another, ``st.rerun`` or ``st.switch_page``,
   writes none, so the wait goes on to the run that ends the chain),
2. Streamlit says the script is not running and the connection is up (the
   ``data-test-script-state`` and ``data-test-connection-state`` attributes of the
   app's root, which Streamlit keeps for its own browser tests), and
3. no element is stale (left over from the previous run and not yet removed), none is
   still a loading placeholder (Streamlit draws a skeleton until an element's code has
   loaded: the run can be over before its table or metric is on the page), and every
   Plotly chart has been drawn (Plotly draws after the element is placed).

Read the count first, act, then wait; the context manager does the three in order::

    with next_run(page):
        page.get_by_text("month", exact=True).click()

    goto(page, url)  # a new page load: a new session, counting from 0

``wait_run(page, before)`` is the same wait for a count read earlier. An action that
starts no run (clicking a widget already in that state) times out, with the state seen.

Plain Playwright, no pytest: the benchmarks (bench/) import it too.
"""

from __future__ import annotations

from contextlib import contextmanager

#: The highest run count on the page (0 before the first run has finished).
_COUNT = """Math.max(0, ...Array.from(
    document.querySelectorAll('[data-run-marker]'), e => Number(e.dataset.runMarker)))"""
RUNS_JS = "() => " + _COUNT

#: The three conditions of the module's docstring, for runs numbered above ``after``.
_FINISHED_JS = (
    """(after) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning'
        || app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    if (Array.from(charts).some(c => !c.querySelector('.js-plotly-plot .main-svg'))) return false;
    return """
    + _COUNT
    + """ > after;
}"""
)

#: What the page showed, for the message of a wait that timed out.
_STATE_JS = (
    """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return {script: app && app.dataset.testScriptState,
            connection: app && app.dataset.testConnectionState,
            stale: document.querySelectorAll('[data-stale="true"]').length,
            skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
            undrawn_charts: Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                .filter(c => !c.querySelector('.js-plotly-plot .main-svg'))
                .map(c => c.outerHTML.slice(0, 300)),
            runs: """
    + _COUNT
    + """, url: location.href};
}"""
)

#: Generous: on a loaded machine a fresh browser took two minutes to draw the Overview;
#: a wait ends as soon as the page is done.
TIMEOUT_MS = 180_000


def runs(page) -> int:
    """How many runs of this page's session have finished (as the markers say)."""
    return int(page.evaluate(RUNS_JS))


def wait_run(page, after: int, timeout: float = TIMEOUT_MS) -> int:
    """Wait until a run numbered above ``after`` has finished and the page is idle;
    return the new count. ``timeout`` in milliseconds, as Playwright's."""
    try:
        page.wait_for_function(_FINISHED_JS, arg=after, timeout=timeout)
    except Exception as error:  # Playwright's TimeoutError: say what the page showed
        if type(error).__name__ != "TimeoutError":
            raise
        state = page.evaluate(_STATE_JS)
        raise AssertionError(
            f"no run after run {after} finished within {timeout / 1000:.0f} s: {state}"
        ) from error
    return runs(page)


@contextmanager
def next_run(page, timeout: float = TIMEOUT_MS):
    """Around an action that starts a run: reads the count before the action and, on
    leaving the block, waits for a later run to finish (``wait_run``)."""
    before = runs(page)
    yield
    wait_run(page, before, timeout)


#: Every Plotly chart as wide as its box (Plotly redraws a chart for a new window width
#: a moment after the window changed).
_SIZED_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => {
    const svg = g.querySelector('.main-svg');
    return svg && Math.abs(svg.getBoundingClientRect().width - g.getBoundingClientRect().width) < 2;
})"""


def wait_settled(page, timeout: float = TIMEOUT_MS) -> None:
    """For a change that starts no run (the window resized): wait until no run is going
    on, the page is drawn (the conditions of ``wait_run`` without a new run) and every
    chart has been redrawn at its box's width."""
    wait_run(page, -1, timeout)
    page.wait_for_function(_SIZED_JS, timeout=timeout)


def goto(page, url: str, timeout: float = TIMEOUT_MS):
    """Open ``url`` in ``page`` and wait for the new session's first finished run."""
    page.goto(url, timeout=timeout)
    wait_run(page, 0, timeout)
    return page
