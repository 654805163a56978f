"""The address is the view (issue 21), in a real browser: twenty sidebar navigations
between pages from a filtered view, each landing at once on the address of what it
shows (path, the whole view, the page's own options), which a new tab reopens with the
same numbers, and on the way every page as a viewer at 1400 and 900 px without cut or
raw text (``readable.py``, screenshots in test-artifacts/); a year typed in the date
filter applies on Enter and keeps 31 December; a click on a row's text opens its
incident, whose row is then ticked."""

from __future__ import annotations

import json
import random
import re
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import ARTIFACTS
from .grid import grids
from .readable import store_column_names, walk_check
from .waiting import goto, next_run, runs, wait_run, wait_settled

pytestmark = pytest.mark.browser

#: sidebar link -> the page's path
PAGES = {
    "Overview": "/",
    "Incidents": "/incidents",
    "Compare periods": "/compare",
    "What changed": "/changes",
    "What the parties counted": "/tallies",
    "Import": "/import",
    "Draft from article": "/draft",
    "New / edit incident": "/edit",
    "Actors & sources": "/actors",
    "History": "/history",
    "About the rules": "/about",
}
VIEW = {"actor": ["Russia"], "by": ["month"]}
#: the address keys that belong to the view (app_pages/_shared.py): any other is a page's own
VIEW_KEYS = {
    "from", "to", "agreement", "attribution", "source", "actor", "side", "target",
    "weapon", "gov", "district", "verification", "origin", "violations", "stated",
    "demo", "by",
}  # fmt: skip
#: What a page shows that a reader would cite: the Overview's metrics, the Incidents
#: page's count line, the Compare and What-changed tables.
HEADLINE_JS = """() => ({
    metrics: Array.from(document.querySelectorAll('[data-testid="stMetricValue"]'),
                        m => m.innerText),
    count: Array.from(document.querySelectorAll(
        '.st-key-incident_controls [data-testid="stCaptionContainer"]'), c => c.innerText),
    table: Array.from(document.querySelectorAll('[data-testid="stTable"]'),
                      t => t.innerText).slice(0, 1),
    heading: (document.querySelector('[data-testid="stMain"] h1') || {}).innerText || '',
})"""


def split(url: str) -> tuple[str, dict, dict]:
    """(path, view, the page's own options) of an address."""
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    view = {k: v for k, v in query.items() if k in VIEW_KEYS}
    own = {k: v for k, v in query.items() if k not in VIEW_KEYS}
    return parsed.path, view, own


def follow(page, title: str) -> None:
    """Click the sidebar's link to ``title``: the address is the target's at once (before
    the page has run), then wait for the page's run."""
    before = runs(page)
    page.locator(".st-key-page_links").get_by_role("link", name=title, exact=True).click()
    page.wait_for_function(
        "([path, actor]) => location.pathname === path"
        " && new URLSearchParams(location.search).get('actor') === actor"
        " && new URLSearchParams(location.search).get('by') === 'month'",
        arg=[PAGES[title], "Russia"],
        timeout=10_000,
    )
    wait_run(page, before)


def test_twenty_sidebar_navigations_keep_the_address_the_view(app_url, context, store_path):
    """On the first visit of each page, the viewer's guard against cut and raw text runs
    at 1400 and 900 px (``readable.py``; the editor's is on test_accessibility's walk):
    the walk has every page open already, so no page is loaded twice for it."""
    names = store_column_names(store_path)
    page = goto(context.new_page(), f"{app_url}/?actor=Russia&by=month&map=district&size=column")
    options = {"Overview": {"map": ["district"], "size": ["column"]}}
    assert split(page.url) == ("/", VIEW, options["Overview"])
    # every page once (What changed before the Overview: it turned by=month into week),
    # then at random
    walk = ["What changed", "Overview", "Incidents", "Compare periods", "New / edit incident"]
    walk += ["History", "About the rules", "Import", "Actors & sources"]
    walk += ["What the parties counted", "Draft from article"]
    rng = random.Random(21)
    while len(walk) < 20:
        walk.append(rng.choice([t for t in PAGES if t != walk[-1]]))
    problems, reopened, cut_or_raw = [], {}, {}
    for step, title in enumerate(walk, 1):
        follow(page, title)
        path, view, own = split(page.url)
        if (path, view) != (PAGES[title], VIEW):
            problems.append((step, title, "address", page.url))
        if title in options and own != options[title]:
            problems.append((step, title, "own options", options[title], own))
        # a page's own options, set once: they must come back on the next visit
        if title == "Incidents" and "page" not in own:
            with next_run(page):
                page.get_by_role("button", name="Next page").click()
            own = split(page.url)[2]
            assert own.get("page") == ["2"], page.url
        if title == "Compare periods" and "breakdown" not in own:
            with next_run(page):
                page.get_by_text("actor", exact=True).click()
            own = split(page.url)[2]
            assert own.get("breakdown") == ["actor"], page.url
        if title == "What changed" and own.get("group") != ["district"]:
            with next_run(page):
                page.get_by_text("district", exact=True).click()
            own = split(page.url)[2]
            assert own.get("group") == ["district"], page.url
        options[title] = own
        shown = page.evaluate(HEADLINE_JS)
        # the same address in a new tab: the same numbers, and the address stays (an
        # address already opened in a new tab is compared with what that tab showed)
        if page.url not in reopened:
            other = goto(page.context.new_page(), page.url)
            try:
                reopened[page.url] = (other.evaluate(HEADLINE_JS), other.url)
            finally:
                other.close()
        headline, address = reopened[page.url]
        if headline != shown:
            problems.append((step, title, "new tab", shown, headline))
        if split(address) != split(page.url):
            problems.append((step, title, "new tab's address", page.url, address))
        if step <= len(PAGES):  # the first visit of each page: no cut or raw text
            for width in (1400, 900):
                found = walk_check(page, "viewer", PAGES[title], width, names)
                if found:
                    cut_or_raw[f"{page.url} at {width} px"] = found
            page.set_viewport_size({"width": 1400, "height": 1000})
            wait_settled(page)
    page.screenshot(path=str(ARTIFACTS / "navigation-last.png"))
    (ARTIFACTS / "readable-viewer.json").write_text(json.dumps(cut_or_raw, indent=1))
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert not cut_or_raw, json.dumps(cut_or_raw, indent=1, ensure_ascii=False)


def test_a_typed_year_applies_on_enter_and_keeps_31_december(app_url, context):
    """Enter applies a year typed into the date filter (it did nothing: only leaving the
    whole field did); changing only the end year keeps the last day of the month (the
    data end on 30 December, and "all dates" ended there: to=2021-12-30)."""
    page = goto(context.new_page(), f"{app_url}/incidents?actor=Russia")
    end = page.get_by_role("spinbutton", name="year, Dates end date")
    day = page.get_by_role("spinbutton", name="day, Dates end date")
    assert day.inner_text() == "31"  # "all dates" ends on a month's last day
    end.click()
    page.keyboard.type("2021")
    with next_run(page):
        page.keyboard.press("Enter")
    query = parse_qs(urlparse(page.url).query)
    assert query["to"] == ["2021-12-31"], page.url
    caption = page.locator('.st-key-incident_controls [data-testid="stCaptionContainer"]')
    assert "31 Dec 2021" in caption.inner_text(), caption.inner_text()


TICKED_JS = """() => Array.from(document.querySelectorAll(
    '.st-key-incident_table_box tr[aria-selected="true"]'), r => r.getAttribute('aria-rowindex'))"""


def ticked_rows(page, expect: list[str], timeout_ms: int = 15_000) -> list[str]:
    """The grid's ticked rows, once they are ``expect`` or after ``timeout_ms``: the data
    grid applies a selection set by the run in the frame after the run has finished."""
    try:
        page.wait_for_function(
            f"() => JSON.stringify(({TICKED_JS})()) === {json.dumps(json.dumps(expect))}",
            timeout=timeout_ms,
        )
    except Exception:  # noqa: BLE001 - the assertion below reports what is ticked
        pass
    return page.evaluate(TICKED_JS)


def test_a_click_on_a_rows_text_opens_it_and_ticks_its_row(app_url, context):
    page = goto(context.new_page(), f"{app_url}/incidents?actor=Russia")
    (grid,) = [g for g in grids(page, rows=3) if "incident_table_box" in g["key"]]
    titles = [c["title"] for c in grid["columns"]]
    place, ids = titles.index("Place"), grid["columns"][titles.index("Incident")]["cells"]
    first_id, second_id = ids[:2]
    # a click on the place name of the second row (its text, not the checkbox)
    x = grid["left"] + sum(c["width"] for c in grid["columns"][:place]) + 30
    y = grid["top"] + grid["header_height"] + grid["row_height"] * 1.5
    assert second_id != first_id
    with next_run(page):
        page.mouse.click(x, y)
    assert parse_qs(urlparse(page.url).query).get("incident") == [second_id], page.url
    heading = page.locator(".st-key-incident_record h2").first
    assert heading.inner_text()
    # the header is row 1: the second data row is 3
    assert ticked_rows(page, expect=["3"]) == ["3"]
    # opened from the labelled list instead, its row is ticked too
    box = page.get_by_role("combobox", name=re.compile("^Open an incident"))
    box.click()
    with next_run(page):
        page.get_by_role("option", name=re.compile(rf"\(incident {first_id}\)$")).click()
    assert ticked_rows(page, expect=["2"]) == ["2"]
