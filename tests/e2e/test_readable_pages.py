"""Every page at 1400 and 900 px, as a viewer and as an editor, has no cut or raw text
(``readable.py``: text cut by its box or scrolled out of sight, grid cells wider than
their column, a store column name or field name as a header, nan/None/midnight
timestamps as values). A screenshot of every page at both widths is saved in
test-artifacts/ (readable-<role>-<page>-<width>.png), for a person to look at.

The viewer walks the session's app; the editor's walk is the accessibility test's
(test_accessibility.py: the same pages on its editor server), which calls
``walk_check`` at each width of each page it opens, so no page is opened twice for the
two guards.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ARTIFACTS
from .readable import problems, store_column_names, walk_check
from .waiting import goto

pytestmark = pytest.mark.browser

#: address -> a heading that says the page has drawn (as test_accessibility.PAGES)
PAGES = {
    "/": "Alleged ceasefire violations",
    "/incidents": "Incidents",
    "/incidents?incident={duwaila}": "Jabal al-Duwaila",
    "/compare?compare=sochi-2018&days=30&days=90": "Before and after",
    "/changes?week=2020-03-02&group=district": "What changed this week",
    "/tallies": "What the parties counted",
    "/import": "Import data",
    "/draft": "Draft an incident from an article",
    "/edit": "New incident",
    "/edit?incident={duwaila}": "Edit incident",
    "/actors": "Actors and sources",
    "/history": "History",
    "/about": "How the tracker counts",
}
WIDTHS = (1400, 900)


def test_no_page_shows_cut_or_raw_text_to_a_viewer(app_url, browser, store_path, expected):
    names = store_column_names(store_path)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    found = {}
    try:
        page = ctx.new_page()
        for address, heading in PAGES.items():
            address = address.format(duwaila=expected["duwaila"])
            goto(page, f"{app_url}{address}")
            main = page.locator('[data-testid="stMain"]')
            assert main.locator("h1, h2").filter(has_text=heading).count(), address
            for width in WIDTHS:
                got = walk_check(page, "viewer", address, width, names)
                if got:
                    found[f"{address} at {width} px"] = got
    finally:
        ctx.close()
        (ARTIFACTS / "readable-viewer.json").write_text(json.dumps(found, indent=1))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


PLANTED = """<!doctype html><html><body><div data-testid="stMain">
<div class="st-key-planted">
  <button style="width: 60px; overflow: hidden; white-space: nowrap">Edit this incident</button>
  <table><tr><th>incident_id</th><th>before_rate_per_30d</th><th>Killed</th></tr>
         <tr><td>nan</td><td>2023-06-02 00:00:00</td><td>12</td></tr></table>
  <div style="width: 120px; overflow: auto"><table><tr>
    <td style="white-space: nowrap">Rate ratio, after ÷ before, off to the right</td></tr></table></div>
  <label>Hayat Tahrir al-S…</label>
  <input type="text" style="width: 90px" value="26 Oct 2020: Jabal al-Duwaila, near Haram">
  <table><tr><th>Governorate</th></tr><tr><td>Idleb</td></tr></table>
  <button>Reset filters</button>
</div></div></body></html>"""


def test_the_guard_finds_planted_cut_and_raw_text(browser):
    """A cut button, store column and field names as headers, nan and a midnight
    timestamp, a cell scrolled out of sight, a label with an ellipsis, a cut field: each
    is reported, and the readable parts are not."""
    page = browser.new_page()
    try:
        page.set_content(PLANTED)
        found = "\n".join(problems(page, {"incident_id", "governorate"}))
    finally:
        page.close()
    for expected in (
        'cut: "Edit this incident"',
        'field name as a header: "incident_id"',
        'field name as a header: "before_rate_per_30d"',
        'raw value: "nan"',
        'raw value: "2023-06-02 00:00:00"',
        'cut: "Rate ratio, after ÷ before, off to the right"',
        'ellipsis: "Hayat Tahrir al-S…"',
        'cut input: "26 Oct 2020: Jabal al-Duwaila, near Haram"',
    ):
        assert expected in found, (expected, found)
    assert "Governorate" not in found and "Idleb" not in found and "Reset" not in found
