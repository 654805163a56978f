"""The geometry guard (issue 22): every chart, at the three export sizes and as the page
lays it out for a 1400 and a 900 px window, on the demo store and on a one-month store,
read back from its SVG (``geometry.py``): no text over text or over a data mark, no
label cut with an ellipsis, no text outside the figure, the plot at least 60 % of the
height. A deliberately overlapping label makes the guard fail.

The page sizes are the chart widths the Overview gives at those windows (940 and
440 px, measured in the app; ``charts.PAGE_WIDTH`` is the narrower), drawn from
``page_figure`` by the same plotly.js. Each SVG is kaleido's export (the file a
researcher downloads); about 70 renders, 40-60 s in all.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ceasefire import charts, export, figures, seed, store
from ceasefire.filters import Filter
from ceasefire.store import bootstrap

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_chromium
from .geometry import GEOMETRY_JS, MIN_PLOT_FRACTION, measure, problems
from .test_browser import open_overview

pytestmark = pytest.mark.browser

#: Chart widths in the Overview at a 1400 and a 900 px window (measured in Chromium).
PAGE_WIDTHS = {"page-1400": 940, "page-900": charts.PAGE_WIDTH}
SIZES = ("screen", "full", "column", *PAGE_WIDTHS)
FIGURES = (
    "timeline",
    "target-types",
    "actor-target",
    "map",
    "district-map",
    "compare",
    "tallies",  # what the parties counted beside the incidents (issue 25), Idleb by month
    "changes",  # What changed's small multiples: titles in the panels' tops, bars below
)
#: 8 pt in CSS pixels: the least size of a matrix cell's number in an export.
EIGHT_POINT_PX = 8 / 0.75


@pytest.fixture(scope="module")
def one_month_con():
    """A store with the seed incident only: one day of data (26 Oct 2020)."""
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    seed.load_seed(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def svg_page(pw):
    _require_chromium()
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    page = browser.new_page()
    yield page
    browser.close()
    export.close_renderer()


def _figure(con, name: str, week: date):
    if name == "tallies":
        from ceasefire.tallies.figure import side_by_side_view

        return side_by_side_view(con, Filter(), "Idleb", "month")[2]
    if name == "changes":
        return figures.changes_view(con, Filter(), week, "district")[2]
    return figures.figure(con, name, Filter(), by="month", agreement="moscow-2020", days=90)


def _svg(fig, size: str) -> str:
    if size in PAGE_WIDTHS:
        shown = charts.page_figure(fig)[0]
        return export.figure_bytes(shown, "svg", width=PAGE_WIDTHS[size]).decode()
    if size != "screen":
        fig = charts.fit_width(fig, charts.PRINT_WIDTHS[size])
    return export.figure_bytes(fig, "svg").decode()


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("store_name", ["demo", "one month"])
def test_no_text_over_text_or_data_and_room_for_the_plot(request, svg_page, store_name, name):
    con = request.getfixturevalue("demo_con" if store_name == "demo" else "one_month_con")
    week = date(2020, 3, 2) if store_name == "demo" else date(2020, 10, 26)
    fig = _figure(con, name, week)
    found = {}
    for size in SIZES:
        svg = _svg(fig, size)
        wrong = problems(svg_page, svg)
        if wrong:
            found[size] = wrong
        if name == "actor-target" and size in ("screen", "full", "column"):
            cells = measure(svg_page, svg)["cell_font_px"]
            assert cells and min(cells) >= EIGHT_POINT_PX, (size, min(cells or [0]))
    assert not found, found


def test_an_empty_map_says_so_inside_the_figure(demo_con, svg_page):
    """A view with no incident: the map's message sized to the figure and wrapped to the
    plot at every size (at 16 px it ran out of an 85 mm figure), the towns' names clear
    of it (tests/test_figure_sizes.py: every chart's message, without a browser)."""
    nothing = Filter(start=date(2031, 1, 1), end=date(2031, 1, 31))
    fig = figures.figure(demo_con, "map", nothing)
    found = {size: problems(svg_page, _svg(fig, size)) for size in SIZES}
    assert not any(found.values()), found
    assert "No incidents" in _svg(fig, "column")


def test_the_guard_fails_on_a_planted_overlap(demo_con, svg_page):
    """A label over the bars, a label over the title, a cut label, a line through the
    bars and a plot squeezed by a tall margin: each is reported (the timeline's own
    milestone ticks are not: they end at the plot's top)."""
    fig = charts.fit_width(figures.figure(demo_con, "timeline", Filter(), by="month"), 661)
    bars = fig.data[0]  # the biggest actor's bars: every month has more than 5
    peak = bars.x[list(bars.y).index(max(bars.y))]
    fig.add_annotation(
        x=peak, y=5, xref="x", yref="y", text="planted over the bars", showarrow=False
    )
    title = fig.layout.title.text.split("<br>")[0]  # the title's first line, again
    fig.add_annotation(
        x=0, y=1, xref="paper", yref="paper", yanchor="bottom", yshift=fig.layout.margin.t - 30,
        text=f"planted {title}", showarrow=False, font={"size": 16},
    )  # fmt: skip
    fig.add_annotation(
        x=0.5, y=0.5, xref="paper", yref="paper", text="Hayat Tahrir al-S…", showarrow=False
    )
    # the milestone line of before (dotted, the plot's height, behind the bars) in the
    # middle of the peak month's bar
    middle = pd.Timestamp(peak) + pd.Timedelta(days=15)
    fig.add_shape(
        type="line", x0=middle, x1=middle, xref="x", y0=0, y1=1, yref="y domain",
        layer="below", line={"dash": "dot", "width": 1},
    )  # fmt: skip
    fig.update_layout(height=fig.layout.height + 600, margin_b=fig.layout.margin.b + 600)
    wrong = problems(svg_page, export.figure_bytes(fig, "svg").decode())
    text = "\n".join(wrong)
    assert 'text over a bar: "planted over the bars"' in text
    assert "text over text" in text and "planted <b>" not in text and "planted Incidents" in text
    assert 'ellipsis: "Hayat Tahrir al-S…"' in text
    assert f"(< {MIN_PLOT_FRACTION:.0%})" in text
    assert text.count("a line across a bar") == 1


PAGE_JS = f"""() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => ({{
    title: (g.layout && g.layout.title && g.layout.title.text) || '',
    found: ({GEOMETRY_JS})(g.querySelector('.svg-container'))}}))"""


@pytest.mark.parametrize("width", [1400, 900])
def test_the_overview_charts_as_the_page_draws_them(app_url, browser, width):
    """The same guard on the Overview's charts as the browser draws them, at a 1400 and
    a 900 px window (the page's own plotly.js; the map's markers are WebGL there, so its
    text is checked here and its markers in the exports above)."""
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        page = open_overview(ctx, f"{app_url}/?by=month")
        page.wait_for_timeout(500)  # Plotly's resize to the column's width
        charts_found = page.evaluate(PAGE_JS)
        assert len(charts_found) >= 4
        plots = page.locator("[data-testid='stPlotlyChart']")
        ARTIFACTS.mkdir(exist_ok=True)
        for i in range(plots.count()):
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).screenshot(path=str(ARTIFACTS / f"geometry-overview-{width}-{i}.png"))
        for chart in charts_found:
            found = chart["found"]
            assert not found["problems"], (chart["title"], found["problems"])
            assert found["plot_fraction"] >= MIN_PLOT_FRACTION, (chart["title"], found)
    finally:
        ctx.close()
