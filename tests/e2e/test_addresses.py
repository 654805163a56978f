"""Every page's address, opened directly as the very first request of a fresh server
(a shared link, a bookmark after a restart), shows that page and no "Page not found"."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, serve_app

pytestmark = pytest.mark.browser

# address -> the page's heading
ADDRESSES = {
    "/": "Alleged ceasefire violations",
    "/overview": "Alleged ceasefire violations",
    "/incidents": "Incidents",
    "/compare": "Before and after",
    "/changes": "What changed this week",
    "/import": "Import data",
    "/draft": "Draft an incident from an article",
    "/edit": "New incident",
    "/actors": "Actors and sources",
    "/history": "History",
    "/about": "How the tracker counts",
}


def test_every_address_opens_its_page_on_a_fresh_server(pw, store_path):
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    problems = []
    try:
        for address, heading in ADDRESSES.items():
            # a new server for each address: only a server's first request is affected
            with serve_app(store_path, "streamlit-addresses.log") as url:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}{address}")
                h1 = page.locator('[data-testid="stMain"] h1').first
                h1.wait_for(timeout=90_000)
                # a page-not-found message arrives before the page's first element
                dialogs = page.get_by_role("dialog").all_inner_texts()
                got = h1.inner_text()
                if dialogs or not got.startswith(heading):
                    problems.append((address, got, dialogs))
                page.close()
    finally:
        browser.close()
    assert not problems, problems
