"""In a real browser: an editor clicks the incident editor's map and the coordinates
(and, from the nearest gazetteer place, the governorate and district) fill in; a second
click on the zoomed map refines them.

The click goes to the screen position of a chosen longitude/latitude, worked out from
the chart's own axes in the page; the expected values are that point's coordinates
(literals), within the pick grid's step."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_chromium, serve_app
from tests.e2e.waiting import goto, next_run, wait_settled

pytestmark = pytest.mark.browser

#: a point in open country west of Idlib city (on the 0.02-degree grid of the region map)
TARGET = (35.93, 36.56)  # lat, lon
#: the second, finer click on the zoomed map (0.005-degree grid)
REFINED = (35.945, 36.575)


def click_at(page, chart, lat: float, lon: float) -> None:
    """Click the chart where (lat, lon) is drawn (Plotly's axes give the pixels)."""
    x, y = chart.evaluate(
        """(el, [lon, lat]) => {
            const gd = el.closest('.js-plotly-plot') || el.querySelector('.js-plotly-plot');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.getBoundingClientRect();
            return [box.left + xa._offset + xa.l2p(lon), box.top + ya._offset + ya.l2p(lat)];
        }""",
        [lon, lat],
    )
    page.mouse.move(x, y)
    page.wait_for_timeout(300)  # Plotly's hover, which the click selects
    with next_run(page):
        page.mouse.click(x, y)


def wait_near(page, label: str, want: float, tolerance: float) -> None:
    """Wait until the number input labelled ``label`` holds ``want`` (within tolerance)."""
    page.wait_for_function(
        """([label, want, tolerance]) => {
            const input = [...document.querySelectorAll('input')].find(
                i => i.getAttribute('aria-label') === label);
            return input && input.value !== ''
                && Math.abs(parseFloat(input.value) - want) <= tolerance;
        }""",
        arg=[label, want, tolerance],
    )


def value(page, label: str) -> float | None:
    text = page.get_by_label(label, exact=True).input_value()
    return float(text) if text else None


def test_click_the_map_to_fill_the_coordinates(tmp_path, pw):
    _require_chromium()
    from playwright.sync_api import expect

    from ceasefire import store

    path = tmp_path / "pick-map.duckdb"
    with store.writer(path, with_demo=False):
        pass
    env = {"CEASEFIRE_EDITOR": "Map Editor"}
    with serve_app(path, "streamlit-pick-map.log", env, drop=("CEASEFIRE_ACCOUNTS",)) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            # through the navigation: a cold server opening /edit directly shows
            # Streamlit's page-not-found dialog
            goto(page, url)
            with next_run(page):
                page.get_by_role("link", name="New / edit incident").click()
            expect(page.get_by_role("heading", name="New incident")).to_be_visible()
            assert value(page, "Latitude") is None and value(page, "Longitude") is None

            with next_run(page):
                page.get_by_text("Pick the coordinates on the map").click()  # the toggle
            chart = page.locator(".st-key-ed_map .js-plotly-plot")
            expect(chart).to_be_visible()
            chart.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            click_at(page, chart, *TARGET)
            expect(page.get_by_text("Coordinates from the map")).to_be_visible()
            wait_near(page, "Latitude", TARGET[0], 0.011)
            wait_near(page, "Longitude", TARGET[1], 0.011)
            lat, lon = value(page, "Latitude"), value(page, "Longitude")
            assert lat == pytest.approx(TARGET[0], abs=0.011), lat
            assert lon == pytest.approx(TARGET[1], abs=0.011), lon
            # the nearest gazetteer place gave the district (typed fields stay empty no more)
            assert page.get_by_label("Governorate", exact=True).input_value() == "Idleb"
            assert page.get_by_label("District", exact=True).input_value() != ""
            page.screenshot(path=str(ARTIFACTS / "pick-map-first-click.png"), full_page=True)

            # the map now zooms around the point: a second click refines it
            chart = page.locator(".st-key-ed_map .js-plotly-plot")
            expect(chart).to_be_visible()
            chart.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            click_at(page, chart, *REFINED)
            wait_near(page, "Latitude", REFINED[0], 0.003)
            wait_near(page, "Longitude", REFINED[1], 0.003)
            assert value(page, "Latitude") == pytest.approx(REFINED[0], abs=0.003)
            assert value(page, "Longitude") == pytest.approx(REFINED[1], abs=0.003)
            page.screenshot(path=str(ARTIFACTS / "pick-map-refined.png"), full_page=True)
            # the editor at 900 px: the map, a claim's qualifier and link fields
            page.set_viewport_size({"width": 900, "height": 1100})
            wait_settled(page)
            expect(page.get_by_label("Link to this claim's report", exact=True)).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "pick-map-editor-900.png"), full_page=True)
        finally:
            browser.close()
