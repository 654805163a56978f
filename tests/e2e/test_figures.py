"""Figures in a real browser: the map works with the network blocked, and no chart text
is clipped (rendered SVG text boxes inside the chart's box) at 1400 and 900 px."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import ARTIFACTS
from .test_browser import open_overview, wait_idle

pytestmark = pytest.mark.browser

MAP_JS = """(title) => {
    const g = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(p => p.layout && p.layout.title && p.layout.title.text.includes(title));
    if (!g) return null;
    const names = (g._fullData || []).map(t => t.name);
    const paths = Array.from(g.querySelectorAll('.scatterlayer .trace path.js-line, '
        + '.scatterlayer .trace path.js-fill'))
        .filter(p => (p.getAttribute('d') || '').length > 100).length;
    return {names: names, paths: paths};
}"""


def _offline_context(browser, width: int):
    """A browser context that lets only the app's own loopback address through."""
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    blocked: list[str] = []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx, blocked


def test_map_shows_boundaries_with_the_network_blocked(app_url, browser):
    ctx, blocked = _offline_context(browser, 1400)
    try:
        page = open_overview(ctx, f"{app_url}/")
        found = page.evaluate(MAP_JS, "Where the incidents took place")
        assert found, "no map on the Overview"
        assert {"Governorate boundaries", "District boundaries", "Towns"} <= set(found["names"])
        assert found["paths"] >= 3  # area, districts and governorates drawn as SVG paths
        page.locator("[data-testid='stPlotlyChart']").last.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-offline.png"), full_page=True)
        page.get_by_text("Incidents per district", exact=True).click()
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.js-plotly-plot')).some(g => g.layout"
            " && g.layout.title.text.includes('Incidents per district'))",
            timeout=60_000,
        )
        wait_idle(page)
        found = page.evaluate(MAP_JS, "Incidents per district")
        assert found["paths"] >= 20  # one filled path per district
        page.screenshot(path=str(ARTIFACTS / "district-map-offline.png"), full_page=True)
        assert not [u for u in blocked if any(k in u for k in ("topojson", "tile", "mapbox"))]
    finally:
        ctx.close()
