"""Paging to the oldest incident of a 100,000-incident store in a real browser: the
Incidents page pages in the store (the page never loads the whole set), shows the total,
and its "Last page" holds the oldest incident, which opens as a record.

The store is built by bench/make_store.py (about 15 s); the expectations come from plain
SQL over its ``incident`` table, not from the app's queries."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb
import pytest

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, serve_app
from .waiting import goto, next_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZE = 100_000
PER_PAGE = 50  # the page's default number of rows


@pytest.fixture(scope="module")
def large_store(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import make_store
    finally:
        sys.path.remove(str(ROOT / "bench"))
    out = tmp_path_factory.mktemp("large") / "store-100k.duckdb"
    return make_store.build(SIZE, out, log=lambda *_: None)


def fmt(day) -> str:
    return f"{day.day} {day:%b %Y}"


def test_page_to_the_oldest_incident_of_a_100k_store(large_store, pw):
    con = duckdb.connect(str(large_store), read_only=True)
    try:
        # every incident that is not a linked duplicate, oldest first (ties: lowest id)
        total = con.execute("SELECT count(*) FROM incident WHERE linked_to IS NULL").fetchone()[0]
        oldest_id, oldest_day = con.execute(
            "SELECT incident_id, occurred_on FROM incident WHERE linked_to IS NULL "
            "ORDER BY occurred_on, incident_id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    assert total > 90_000
    last_page = -(-total // PER_PAGE)
    first_row = (last_page - 1) * PER_PAGE + 1

    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        with serve_app(large_store, "streamlit-large.log") as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(90_000)
            goto(page, f"{url}/incidents", timeout=90_000)
            page.get_by_text(f"1–{PER_PAGE} of {total:,} incidents, newest first").wait_for()
            page.get_by_text(f"Page (of {last_page:,})").wait_for()  # the page count

            with next_run(page, timeout=90_000):
                page.get_by_role("button", name="Last page").click()
            caption = f"{first_row:,}–{total:,} of {total:,} incidents, newest first"
            page.get_by_text(caption).wait_for()
            assert f"page={last_page}" in page.url
            page.screenshot(path=str(ARTIFACTS / "incidents-last-page.png"))

            # the oldest incident is on this page; open it from the labelled list
            box = page.get_by_role("combobox", name=re.compile("^Open an incident"))
            box.click()
            box.fill(f"(incident {oldest_id})")
            option = page.get_by_role("option", name=re.compile(rf"\(incident {oldest_id}\)$"))
            assert option.inner_text().startswith(f"{fmt(oldest_day)}: ")
            with next_run(page, timeout=90_000):
                option.click()
            assert f"incident={oldest_id}" in page.url
            heading = page.locator('[data-testid="stMain"] h2').first
            assert heading.inner_text().endswith(fmt(oldest_day)), heading.inner_text()
            # still the last page, with the oldest incident selected
            assert page.get_by_text(caption).count() == 1
            assert f"page={last_page}" in page.url
    finally:
        browser.close()
