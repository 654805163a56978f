"""Script and image tags in text fields never render as HTML (issue 15, bad input).

A store holds one incident whose description, claim quote, source name, actor name,
place name and change-log note carry ``<img src=x onerror=...>`` and ``<script>``
payloads; each payload, if it ever ran, would set ``window.__xss``. Every page that
shows them - the Overview, the Incidents table and the incident page, History, the
Actors review queue - is opened in Chromium: the variable stays undefined, the DOM has
no ``<img src="x">`` and no script carrying the payload, and the text appears literally
where the page prints text (the incident page, the table's accessible cells).

Runs its own server on its own store, so it does not disturb the other tests' numbers.
"""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_chromium, serve_app

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
DESCRIPTION = f"Shelling {IMG} of the market {SCRIPT} at noon"
QUOTE = f"The source said {SCRIPT} and {IMG}"
SOURCE = f"Outlet {IMG}"
ACTOR = f"Brigade {SCRIPT}"
PLACE = f"Kafr {IMG}"
NOTE = f"re-read {IMG} {SCRIPT}"
EDITOR = "XSS Tester"

CHECK = """() => ({
  xss: window.__xss === undefined ? null : String(window.__xss),
  imgs: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
})"""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    from ceasefire import editing, seed, store
    from ceasefire.records import ClaimRecord, IncidentRecord, write_records
    from ceasefire.store import bootstrap

    path = tmp_path_factory.mktemp("xss") / "xss.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    write_records(
        con,
        "manual",
        [
            IncidentRecord(
                origin_id="xss-1",
                occurred_on=date(2020, 3, 10),
                weapon="airstrike",
                target_type="civilian residential",
                governorate="Idleb",
                district="Ariha",
                place_name=PLACE,
                latitude=35.81,
                longitude=36.61,
                location_precision="near",
                description="placeholder",
                claims=[
                    ClaimRecord(
                        source_name=SOURCE,
                        alleged_actor=ACTOR,
                        killed_min=2,
                        quote=QUOTE,
                    )
                ],
            )
        ],
    )
    incident_id = con.execute(
        "SELECT incident_id FROM incident WHERE origin_id = 'xss-1'"
    ).fetchone()[0]
    # the description arrives through an edit, so History shows it (old -> new) and a note
    editing.edit_incident(con, incident_id, {"description": DESCRIPTION}, editor=EDITOR, note=NOTE)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    return path, incident_id


def assert_inert(page, where: str) -> None:
    state = page.evaluate(CHECK)
    assert state == {"xss": None, "imgs": 0, "scripts": 0}, f"{where}: {state}"


def grid_cells(page) -> list[str]:
    """The text of every dataframe's cells: the grid draws on a canvas and keeps the
    cells' text in an accessible table for screen readers."""
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    cells.first.wait_for(state="attached")
    return cells.all_text_contents()


def table_cells(page) -> list[str]:
    """The text of every st.table's cells (the Actors page lists actors in a table that
    wraps, not in a grid)."""
    cells = page.locator('[data-testid="stTable"] td, [data-testid="stTable"] th')
    cells.first.wait_for(state="attached")
    return [text.strip() for text in cells.all_text_contents()]


def test_script_and_image_tags_show_as_text_and_never_run(hostile_store, pw):
    _require_chromium()
    from playwright.sync_api import expect

    from .test_browser import open_overview
    from .waiting import goto

    path, incident_id = hostile_store
    with serve_app(path, "streamlit-xss.log", {"CEASEFIRE_EDITOR": EDITOR}) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
            ctx.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)

            page = open_overview(ctx, f"{url}/")
            # hover over every plotted point: hover labels are drawn from actor names
            for point in page.locator(".js-plotly-plot .point").all()[:40]:
                try:
                    point.hover(timeout=2_000)
                except Exception:  # noqa: BLE001 - points under others cannot be hovered
                    pass
            assert_inert(page, "Overview")
            page.screenshot(path=str(ARTIFACTS / "xss-overview.png"), full_page=True)

            goto(page, f"{url}/incidents?incident={incident_id}")
            record = page.locator(".st-key-incident_record")
            expect(record.get_by_text(DESCRIPTION, exact=True)).to_be_visible()
            expect(record.get_by_text(f"Claim 1: {SOURCE}", exact=True)).to_be_visible()
            expect(record.get_by_text(QUOTE, exact=True)).to_be_visible()
            expect(record.get_by_role("heading", name=PLACE)).to_be_visible()
            assert PLACE in grid_cells(page), grid_cells(page)
            assert_inert(page, "Incidents")
            page.screenshot(path=str(ARTIFACTS / "xss-incident.png"), full_page=True)

            # the grid keeps only the columns in view in its accessible table: widen the
            # window so the old, new and note columns are all drawn
            page.set_viewport_size({"width": 3200, "height": 1200})
            goto(page, f"{url}/history?incident={incident_id}")
            expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
            cells = grid_cells(page)
            assert DESCRIPTION in cells and NOTE in cells, cells
            assert_inert(page, "History")
            page.screenshot(path=str(ARTIFACTS / "xss-history.png"), full_page=True)
            page.set_viewport_size({"width": 1400, "height": 1200})

            goto(page, f"{url}/actors")
            expect(page.get_by_role("heading", name="Actors and sources")).to_be_visible()
            # the actors are in a table that wraps (their other names run long)
            cells = table_cells(page)
            assert ACTOR in cells, cells
            assert_inert(page, "Actors")
            page.screenshot(path=str(ARTIFACTS / "xss-actors.png"), full_page=True)
        finally:
            browser.close()
