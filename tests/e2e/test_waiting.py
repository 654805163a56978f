"""The browser tests wait for the run, not for a status widget the app hides.

On a deliberately slowed app (every page with the filter sidebar sleeps before drawing
it, as a slow query would: the test-only $CEASEFIRE_TEST_SLOW_RUN, app_pages/_shared.py),
the old wait (no status widget, no stale element) returns while a page just opened shows
only its title, and the run-marker wait (tests/e2e/waiting.py) returns only once the
page shows the run's result."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from app_pages._shared import SLOW_RUN_VARIABLE

from .conftest import CHROMIUM, CHROMIUM_ARGS, serve_app
from .waiting import goto, next_run, runs, wait_run

pytestmark = pytest.mark.browser

SLOW_S = 2.0
METRIC = '[data-testid="stMetricValue"]'


def old_wait_idle(page) -> None:
    """What the tests waited for before: Streamlit's status widget gone (the app hides
    it, so it always is) and no stale element."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=60_000,
    )


def first_metric(page) -> str | None:
    return page.evaluate(f"(document.querySelector('{METRIC}') || {{}}).innerText || null")


def test_a_slow_run_is_waited_for(store_path, expected, pw):
    env = {SLOW_RUN_VARIABLE: str(SLOW_S)}
    with serve_app(store_path, "streamlit-slow.log", env) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # the old wait returns while the first run still sleeps: nothing on the page
            page.goto(f"{url}/?actor=Russia")
            old_wait_idle(page)
            assert runs(page) == 0 and first_metric(page) is None

            started = time.monotonic()
            goto(page, f"{url}/?actor=Russia")
            assert time.monotonic() - started >= SLOW_S
            assert first_metric(page) == f"{expected['russia']['incidents']:,}"
            assert runs(page) == 1

            # in the open page: the grouping changes, and the chart says so once waited
            started = time.monotonic()
            with next_run(page):
                page.get_by_text("month", exact=True).click()
            assert time.monotonic() - started >= SLOW_S
            title = page.evaluate("document.querySelector('.js-plotly-plot').layout.title.text")
            assert "(per month)" in title
            assert "by=month" in page.url

            # a sidebar page link (the app's own, carrying the view): the wait returns
            # once the new page has slept and drawn its table
            before, started = runs(page), time.monotonic()
            page.locator(".st-key-page_links").get_by_role("link", name="Incidents").click()
            wait_run(page, before)
            assert time.monotonic() - started >= SLOW_S
            table = page.locator('[data-testid="stDataFrame"]')
            assert table.count() == 1 and urlparse(page.url).path == "/incidents"
            assert "by=month" in page.url and "actor=Russia" in page.url
        finally:
            browser.close()
