"""The guard against cut and raw text (``readable.py``) finds what it looks for.

The guard itself runs on every page at 1400 and 900 px on walks that open every page
anyway, so no page is loaded twice for it: as a viewer on the twenty navigations of
test_view_address.py, as an editor on test_accessibility.py's walk (each saves the
pages' screenshots in test-artifacts/, readable-<role>-<page>-<width>.png, for a person
to look at, and the problems found in readable-<role>.json).
"""

from __future__ import annotations

import pytest

from .readable import problems

pytestmark = pytest.mark.browser

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
