"""The timeline and the matrix laid out for every size, without rendering (issues 21
and 22): months the data does not cover are shown as not covered, never as zeros;
milestones are numbered above the plot and named in the footnote; date ticks never
show a time of day and counts tick by whole numbers, at any span; the matrix's numbers
contrast with their cells; the plot keeps its share of the height.

The geometry of the rendered SVGs is checked in tests/e2e/test_figure_geometry.py.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ceasefire import charts, colors, demo, figures, queries, seed, store
from ceasefire.charts.layout import fonts_for
from ceasefire.filters import Filter
from ceasefire.store import bootstrap
from conftest import incident, write

WIDTHS = (charts.DEFAULT_WIDTH, *charts.PRINT_WIDTHS.values())


@pytest.fixture(scope="module")
def gap_con():
    """The demo set (Jan 2018 to Dec 2022) and a 2023 import from June: January to May
    2023 hold no incident at all."""
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con)
    write(
        con,
        *[incident(f"imp-2023-{m}", date(2023, m, 10), "Russia") for m in range(6, 13)],
        origin="acled",
    )
    yield con
    con.close()


def test_months_the_data_does_not_cover_are_not_drawn_as_zeros(gap_con):
    """Issue 21: after a 2023 import the time chart drew January-May 2023 as months with
    no incident. They are shaded, named in the legend and in the footnote."""
    months = [date(2023, m, 1) for m in range(1, 6)]
    assert queries.uncovered_months(gap_con, Filter()) == months
    for by in ("month", "week"):
        fig = figures.figure(gap_con, "timeline", Filter(), by=by)
        shaded = [
            s
            for s in fig.layout.shapes
            if s.type == "rect" and s.fillcolor == charts.timeline.SPAN_COLORS["uncovered"]
        ]
        assert [
            (pd.Timestamp(s.x0, unit="ms").date(), pd.Timestamp(s.x1, unit="ms").date())
            for s in shaded
        ] == [(date(2023, 1, 1), date(2023, 6, 1))], by
        # named in the legend by the shaded shape itself (the traces stay the actors)
        assert [s.name for s in fig.layout.shapes if s.showlegend] == [charts.UNCOVERED]
        assert charts.UNCOVERED not in {t.name for t in fig.data}
        assert "not covered by the data (Jan 2023 to May 2023)" in fig.layout.meta["footer"]
        # no bar stands in the gap
        for trace in fig.data:
            inside = [
                x
                for x in (() if trace.x is None else trace.x)
                if x is not None
                and pd.Timestamp("2023-01-01") <= pd.Timestamp(x) < pd.Timestamp("2023-06-01")
            ]
            assert not inside, (by, trace.name)


def test_a_quiet_month_inside_the_data_is_a_real_zero(gap_con):
    """Only months with no incident of any kind are not covered: a month without
    Turkey's incidents under a Turkey filter is a zero, not a gap."""
    f = Filter(actors=("Turkey",), end=date(2022, 12, 31))
    assert queries.uncovered_months(gap_con, f) == [date(2023, m, 1) for m in range(1, 6)]
    fig = figures.figure(gap_con, "timeline", f, by="month")
    assert not [s for s in (fig.layout.shapes or ()) if s.type == "rect"]
    assert "not covered" not in fig.layout.meta["footer"]


def test_an_origin_filter_reads_its_own_coverage(gap_con):
    assert queries.uncovered_months(gap_con, Filter(origins=("acled",))) == []


@pytest.fixture(scope="module")
def seed_con():
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    seed.load_seed(con)
    yield con
    con.close()


@pytest.mark.parametrize("by", ["day", "week", "month"])
@pytest.mark.parametrize("which", ["one month", "five years"])
def test_date_ticks_never_show_a_time_of_day_and_counts_are_whole(
    request, seed_con, demo_con, by, which
):
    """Issue 22: with the seed only the x axis read '00:00:00 Oct 1, 2020' and the
    count stepped by 0.5."""
    con = seed_con if which == "one month" else demo_con
    fig = figures.figure(con, "timeline", Filter(), by=by)
    for width in WIDTHS:
        laid = charts.fit_width(fig, width)
        x = laid.layout.xaxis
        assert x.tickmode == "array" and len(x.ticktext) >= 1
        assert not any(":" in t for t in x.ticktext), x.ticktext
        assert len(set(x.ticktext)) == len(x.ticktext)
        assert list(x.tickvals) == sorted(x.tickvals)
        y = laid.layout.yaxis
        assert y.tickformat == ",d"
        if which == "one month":
            assert y.dtick == 1  # 0, 1, 2: never 0.5


def test_milestones_are_numbered_above_the_plot_and_named_in_the_footnote(demo_con):
    fig = figures.figure(demo_con, "timeline", Filter(), by="month")
    rows = demo_con.execute(
        "SELECT on_date, label FROM agreement_milestone WHERE on_date BETWEEN '2018-01-01' "
        "AND '2022-12-31' ORDER BY on_date"
    ).fetchall()
    footer = fig.layout.meta["footer"]
    for n, (on, label) in enumerate(rows, start=1):
        assert f"{n} {label}, {on.day} {on:%b %Y}" in footer
    for width in WIDTHS:
        laid = charts.fit_width(fig, width)
        boxes = [a for a in laid.layout.annotations if a.name == "milestone"]
        numbers = []
        for box in boxes:
            # above the plot (in the band), never in it
            assert box.yref == "paper" and box.y == 1 and box.yanchor == "bottom"
            first, _, last = box.text.partition("–")
            numbers += list(range(int(first), int(last or first) + 1))
        assert numbers == list(range(1, len(rows) + 1)), (width, [b.text for b in boxes])
        # nothing of a milestone is drawn in the plot: a tick from the plot's top edge
        # up into the band, at each milestone's date
        ticks = [s for s in laid.layout.shapes if s.type == "line"]
        assert [pd.Timestamp(s.x0, unit="ms").date() for s in ticks] == [r[0] for r in rows]
        for tick in ticks:
            assert (tick.yref, tick.ysizemode, tick.yanchor) == ("paper", "pixel", 1)
            assert 0 <= tick.y0 < tick.y1 <= box.yshift


@pytest.mark.parametrize("name", ["timeline", "actor-target", "map", "target-types"])
def test_legend_below_at_journal_sizes_and_the_plot_keeps_its_share(demo_con, name):
    fig = figures.figure(demo_con, name, Filter(), by="month")
    for width in WIDTHS:
        laid = charts.fit_width(fig, width)
        layout = laid.layout
        plot = layout.height - layout.margin.t - layout.margin.b
        assert plot / layout.height >= charts.MIN_PLOT_FRACTION - 0.005, (width, plot)
        if layout.showlegend is not False and width < 900:
            assert layout.legend.orientation == "h" and layout.legend.y < 0


def test_matrix_numbers_are_black_or_white_by_their_cell_and_at_least_8_points(demo_con):
    fig = figures.figure(demo_con, "actor-target", Filter())
    for width in WIDTHS:
        laid = charts.fit_width(fig, width)
        heat, cells = laid.data
        top = heat.zmax
        assert heat.zmin == 0
        values = [v for row in heat.z for v in row]
        assert [f"{v:,}" for v in values] == list(cells.text)
        for value, color in zip(values, cells.textfont.color, strict=True):
            background = colors.scale_color(value / top)
            assert color in ("#000000", "#FFFFFF")
            assert colors.contrast(color, background) >= 4.5, (value, background, color)
        assert cells.textfont.size >= 8 / 0.75  # 8 pt
        assert cells.textfont.size == fonts_for(width).cell
        # every label in full
        labels = " ".join([*heat.x, *heat.y])
        assert "…" not in labels and "Hayat Tahrir al-Sham" in labels.replace("<br>", " ")


def test_the_cells_of_the_screenshot_read_at_4_5_to_1():
    """The cells of issue 22's screenshot (white on tan, 178 and 295 of 396), and the
    worst case of any scale colour."""
    for value in (178, 295):
        cell = colors.scale_color(value / 396)
        assert colors.contrast(colors.cell_text_color(cell), cell) >= 4.5
    assert colors.cell_text_color(colors.scale_color(295 / 396)) == "#000000"
    worst = min(
        colors.contrast(colors.cell_text_color(c), c)
        for c in (colors.scale_color(i / 200) for i in range(201))
    )
    assert worst >= 4.5


def test_scale_color_matches_plotly(demo_con):
    from plotly.colors import sample_colorscale

    for fraction in (0, 0.05, 0.33, 0.5, 0.77, 1):
        ours = colors._rgb(colors.scale_color(fraction))
        theirs = colors._rgb(sample_colorscale(colors.SEQUENTIAL, [fraction])[0])
        assert all(abs(a - b) <= 1 for a, b in zip(ours, theirs, strict=True))


def test_one_actor_keeps_one_colour_in_every_chart(demo_con):
    f = Filter(start=date(2019, 5, 1), end=date(2019, 5, 31))
    for name in ("timeline", "map"):
        fig = figures.figure(demo_con, name, f)
        for trace in fig.data:
            base = (trace.name or "").split(" (")[0].replace("<br>", " ")
            if base in colors.FIXED:
                assert trace.marker.color == colors.actor_color(base), (name, base)


def test_bars_a_few_pixels_wide_keep_no_white_outline(demo_con):
    """Five years of weeks at 85 mm are about 1 px a bar: a 0.5 px white outline on each
    side left more white than colour; 60 months at 1100 px keep theirs."""
    weekly = charts.fit_width(figures.figure(demo_con, "timeline", Filter(), by="week"), 321)
    assert {t.marker.line.width for t in weekly.data if t.type == "bar"} == {0}
    monthly = figures.figure(demo_con, "timeline", Filter(), by="month")
    assert {t.marker.line.width for t in monthly.data if t.type == "bar"} == {0.5}
