"""Figures in a real browser: the map works with the network blocked, and no chart text
is clipped (rendered SVG text boxes inside the chart's box) at 1400 and 900 px."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import ARTIFACTS
from .test_browser import open_overview
from .waiting import goto, next_run

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
        with next_run(page):
            page.get_by_text("Incidents per district", exact=True).click()
        found = page.evaluate(MAP_JS, "Incidents per district")
        assert found["paths"] >= 20  # one filled path per district
        page.screenshot(path=str(ARTIFACTS / "district-map-offline.png"), full_page=True)
        assert not [u for u in blocked if any(k in u for k in ("topojson", "tile", "mapbox"))]
    finally:
        ctx.close()


TEXT_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {
    const box = g.getBoundingClientRect();
    const visible = t => {
        if (!(t.textContent || '').trim()) return false;
        for (let e = t; e && e !== g; e = e.parentElement) {
            const s = window.getComputedStyle(e);
            if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
        }
        const r = t.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
    };
    const texts = Array.from(g.querySelectorAll('svg text')).filter(visible);
    const clipped = texts.map(t => [t.textContent.trim().slice(0, 50), t.getBoundingClientRect()])
        .filter(([_, r]) => r.left < box.left - 1 || r.right > box.right + 1
            || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        .map(([s, r]) => `${s} [${r.left|0},${r.top|0},${r.right|0},${r.bottom|0}]`);
    const overlaps = [];
    const meet = texts => {
        const rs = texts.filter(visible).map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
        for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) {
            const [a, p] = rs[i], [b, q] = rs[j];
            if (p.left < q.right - 1 && q.left < p.right - 1
                && p.top < q.bottom - 1 && q.top < p.bottom - 1) overlaps.push(`${a} / ${b}`);
        }
    };
    g.querySelectorAll('g.xaxislayer-above, g.yaxislayer-above')
        .forEach(axis => meet(Array.from(axis.querySelectorAll('text'))));
    // a map's town names (annotations named 'town') never meet each other
    const towns = ((g.layout && g.layout.annotations) || [])
        .map((a, i) => a.name === 'town' ? i : -1).filter(i => i >= 0);
    meet(towns.map(i => g.querySelector(`g.annotation[data-index="${i}"] text`)).filter(t => t));
    return {title: (g.layout && g.layout.title && g.layout.title.text) || '',
            box: [box.width|0, box.height|0], texts: texts.length, clipped, overlaps,
            towns: towns.length};
})"""

PAGES = {
    "overview": ("/", 4),
    "compare": ("/compare?compare=sochi-2018&days=30&days=90&days=180", 1),
    "changes": ("/changes?week=2019-05-06&by=district", 1),
}


@pytest.mark.parametrize("width", [1400, 900])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_no_chart_text_is_clipped(app_url, browser, page_name, width):
    """Every rendered SVG text box lies inside its chart's box, and no two tick labels
    of an axis overlap, at a wide and a narrow browser; screenshots for a person."""
    path, charts_expected = PAGES[page_name]
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        page = goto(ctx.new_page(), f"{app_url}{path}", timeout=90_000)
        page.wait_for_timeout(500)  # Plotly's resize to the column's width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{page_name}-{width}.png"), full_page=True)
        found = page.evaluate(TEXT_JS)
        assert len(found) >= charts_expected
        plots = page.locator("[data-testid='stPlotlyChart']")
        for i in range(plots.count()):
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).screenshot(path=str(ARTIFACTS / f"{page_name}-{width}-chart{i}.png"))
        if page_name == "overview":  # the map names its towns
            assert max(chart["towns"] for chart in found) >= 10
        for chart in found:
            assert chart["texts"] > 0, chart
            assert not chart["clipped"], (chart["title"], chart["box"], chart["clipped"])
            assert not chart["overlaps"], (chart["title"], chart["overlaps"])
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        for value in values:  # headline metrics are never cut ("4,627–8,…")
            assert "…" not in value
    finally:
        ctx.close()
