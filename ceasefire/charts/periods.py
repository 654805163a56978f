"""Charts over periods: before/after an agreement (``compare_chart``) and the week's
small multiples (``changes_small_multiples``)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .layout import (
    KINDS,
    LINE,
    NO_DATA,
    ChartText,
    Frame,
    base_layout,
    empty_figure,
    esc,
    make_figure,
    wrap_words,
)
from .textsize import text_width, wrap

#: The panels of the before/after chart: measures that exist on both sides of a date.
COMPARE_PANELS = {
    "incidents": "All incidents",
    "meets_terms": "Meeting the agreement's where/how/who terms",
}


def _ratio_text(row) -> str:
    ratio = row.rate_ratio
    if ratio is None or pd.isna(ratio):
        return "no events"
    if math.isinf(ratio):
        return "none before"
    high = "∞" if math.isinf(row.ci_high) else f"{row.ci_high:.2f}"
    return f"×{ratio:.2f}\n({row.ci_low:.2f}–{high})"


def compare_chart(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """Rates per 30 days before and after a date, with 95% intervals, per window.

    ``frame``: ``compare.compare(...).frame`` (rows of breakdown 'all' are drawn): one
    panel per measure in ``COMPARE_PANELS``, a pair of bars (before, after) per window,
    exact Poisson intervals as error bars, and the after/before rate ratio with its
    interval above each pair. Every panel has the same y scale (one range, one height),
    so a bar's height compares across panels as its tick labels say."""
    rows = frame[(frame.breakdown == "all") & frame.measure.isin(list(COMPARE_PANELS))]
    panels = [m for m in COMPARE_PANELS if (rows.measure == m).any()]
    layout = base_layout(text, height=460, axis_space=70)
    if rows.empty or (rows.before_count.sum() + rows.after_count.sum()) == 0:
        return empty_figure(layout, NO_DATA)
    data = []
    # one top for every panel: each had its own, so equal tick labels (0-250) stood at
    # different heights in the two panels
    top = float(
        max(
            rows.before_rate_ci_high.astype(float).max(),
            rows.after_rate_ci_high.astype(float).max(),
        )
    )
    gap = 0.08
    width = (1 - gap * (len(panels) - 1)) / len(panels)
    for i, measure in enumerate(panels):
        part = rows[rows.measure == measure].sort_values("window_days")
        labels = [f"{d} days" for d in part.window_days]
        suffix = "" if i == 0 else str(i + 1)
        for period, color in (("before", "#56B4E9"), ("after", "#D55E00")):
            rate = part[f"{period}_rate_per_30d"].astype(float)
            low = part[f"{period}_rate_ci_low"].astype(float)
            high = part[f"{period}_rate_ci_high"].astype(float)
            data.append(
                {
                    "type": "bar",
                    "x": labels,
                    "y": rate.to_numpy(),
                    "name": period.capitalize(),
                    "legendgroup": period,
                    "showlegend": i == 0,
                    "marker": {"color": color},
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "error_y": {
                        "type": "data",
                        "symmetric": False,
                        "array": (high - rate).to_numpy(),
                        "arrayminus": (rate - low).to_numpy(),
                        "color": "#333333",
                        "thickness": 1,
                    },
                    "customdata": part[[f"{period}_count", f"{period}_days"]].to_numpy(),
                    "hovertemplate": f"{period}: %{{customdata[0]}} in %{{customdata[1]}} days"
                    "<br>%{y:.1f} per 30 days<extra></extra>",
                }
            )
        for label, row in zip(labels, part.itertuples(), strict=True):
            layout["annotations"].append(
                {
                    "x": label,
                    "y": top * 1.03,
                    "xref": f"x{suffix}",
                    "yref": f"y{suffix}",
                    "text": "<br>".join(esc(t) for t in _ratio_text(row).split("\n")),
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"size": 10},
                }
            )
        start = i * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [start, start + width],
            "anchor": f"y{suffix}",
            "title": {"text": "<br>".join(esc(x) for x in wrap_words(COMPARE_PANELS[measure], 24))},
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "rangemode": "tozero",
            "range": [0, top * 1.3 if top > 0 else 1],
            "domain": [0, 1],
            "title": {"text": "Per 30 days (95% interval)" if i == 0 else ""},
        }
    layout.update(barmode="group", bargap=0.25, showlegend=True)
    return make_figure(data, layout)


FLAG_COLORS = {
    "large increase": "#D55E00",
    "moderate increase": "#E69F00",
    "limited change": "#999999",
    "large decrease": "#0072B2",
}


def changes_small_multiples(
    series: pd.DataFrame, flags: dict[str, str], text: ChartText, columns: int = 3
) -> go.Figure:
    """One small panel per group: weekly counts over the past year, the chosen (last)
    week coloured by its 52-week flag, every panel on the same scales so they compare
    (the same weeks, the same counts).

    ``series``: group, week, incidents (``changes.weekly_series``); ``flags``: group ->
    flag_52w. Groups keep the order of ``flags``; ``columns`` is the most panels in a
    row (fewer where the figure is narrow). Each panel's title is the group's full name,
    wrapped to the panel's width (never cut), over its flag, in the panel's top above
    the bars (``_arrange_small_multiples``), so no title meets the bars or the dates of
    the panel above."""
    groups = [g for g in flags if (series.group == g).any()]
    rows = max(1, math.ceil(len(groups) / columns))
    kind = "small_multiples" if groups else ""  # an empty chart is laid out as any other
    layout = base_layout(text, height=150 + 150 * rows, axis_space=30, kind=kind)
    if not groups:
        return empty_figure(layout, NO_DATA)
    top = max(1, int(series.incidents.max()))
    weeks = pd.to_datetime(pd.Series(sorted(series.week.unique())))
    first, last = weeks.iloc[0], weeks.iloc[-1]
    layout["meta"]["panels"] = {
        "groups": [str(g) for g in groups],
        "flags": [flags[g] for g in groups],
        "columns": columns,
        "top": top,
    }
    data = []
    for i, group in enumerate(groups):
        part = series[series.group == group].sort_values("week")
        n = "" if i == 0 else str(i + 1)
        colors = [
            FLAG_COLORS.get(flags[group], "#999999") if pd.Timestamp(w) == last else "#C8C8C8"
            for w in part.week
        ]
        data.append(
            {
                "type": "bar",
                "x": [pd.Timestamp(w) + WEEK / 2 for w in part.week],  # the middle of its week
                "y": part.incidents.to_numpy(),
                "width": WEEK.total_seconds() * 1000 * 0.8,
                "marker": {"color": colors},
                "showlegend": False,
                "name": esc(group),
                "xaxis": f"x{n}",
                "yaxis": f"y{n}",
                "customdata": [f"{pd.Timestamp(w):%d %b %Y}" for w in part.week],
                "hovertemplate": f"{esc(group)}<br>week of %{{customdata}}: %{{y}}<extra></extra>",
            }
        )
        layout[f"xaxis{n}"] = {
            "anchor": f"y{n}",
            # every panel the same year, the chosen week included (a group with one
            # busy week drew a sliver at the panel's edge on an axis of its own)
            "range": [first, last + WEEK],
            "tickvals": _date_ticks(first, last + WEEK),
            "tickformat": "%b %Y",
            "ticks": "outside",
            "ticklen": 3,
            "tickfont": {"size": 9},
            "showgrid": False,
        }
        layout[f"yaxis{n}"] = {
            "anchor": f"x{n}",
            "range": [0, top * 1.05],  # the arranger adds the title's room above
            "tickvals": _count_ticks(top),  # whole numbers: these are counts
            "tickformat": ",d",
            "tickfont": {"size": 9},
        }
    layout.update(bargap=0.1, showlegend=False)
    return make_figure(data, layout)


WEEK = pd.Timedelta(days=7)


def _count_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at most ``top``, no more than five (steps of 1, 2,
    5, 10, 20, 50...): the gridlines stop under the panel's title."""
    step = next(m * 10**k for k in range(9) for m in (1, 2, 5) if top <= 4 * m * 10**k)
    return list(range(0, top + 1, step))


def _date_ticks(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """Two dates to label a year's panel: the first of the months nearest a quarter and
    three quarters of the way (labels away from the panel's edges, where they would
    meet the counts' labels or the next panel)."""
    ticks = []
    for share in (0.25, 0.75):
        day = start + (end - start) * share
        month = day.to_period("M").start_time
        following = month + pd.offsets.MonthBegin(1)
        ticks.append(month if day - month <= following - day else following)
    return ticks


#: The small multiples' geometry (px): the least width of a panel, each panel's bars
#: (at least; they grow with the plot), the dates under them and the space between
#: rows.
PANEL_MIN_PX, PANEL_BARS_PX, PANEL_TICKS_PX, PANEL_ROW_GAP_PX = 120.0, 90.0, 20.0, 10.0
#: The small multiples' tick labels (px), set by ``changes_small_multiples``.
PANEL_TICK_FONT = 9


def _arrange_small_multiples(spec: dict, frame: Frame) -> None:
    """Panels in as many columns as fit (at most the figure's), titles wrapped to the
    panels' width at this figure width, each title in its panel's top above the bars
    (the panel's y range leaves it that room), then domains placed in the final plot
    height: any height the plot gets beyond the planned one goes to the bars."""
    layout = spec["layout"]
    panels = layout["meta"]["panels"]
    groups = panels["groups"]
    px = frame.fonts.base
    frame.left = frame.side + text_width("000", PANEL_TICK_FONT) + 8
    frame.axis = 8.0
    gap_px = text_width("000", PANEL_TICK_FONT) + 16  # the next panel's count labels
    fit = int((frame.plot_width + gap_px) // (PANEL_MIN_PX + gap_px))
    columns = max(1, min(panels["columns"], len(groups), fit))
    gap = gap_px / frame.plot_width
    width = (1 - gap * (columns - 1)) / columns
    titles = [wrap(g, frame.plot_width * width - 4, px, bold=True) for g in groups]
    title_px = LINE * px * (max(len(t) for t in titles) + 1) + 4  # the name, then the flag
    rows = math.ceil(len(titles) / columns)
    below_px = PANEL_TICKS_PX + PANEL_ROW_GAP_PX  # the dates, then the gap to the next row

    def row_px(bars: float) -> float:
        return title_px + bars + below_px

    frame.plot_height = rows * row_px(PANEL_BARS_PX) - PANEL_ROW_GAP_PX
    # the panels (titles and bars) are the plot; the dates between the rows are not
    frame.plot_share = rows * (title_px + PANEL_BARS_PX) / frame.plot_height

    def place(spec: dict, frame: Frame, plot_h: float) -> None:
        bars = PANEL_BARS_PX + (plot_h - frame.plot_height) / rows
        notes = [a for a in layout.get("annotations", []) if a.get("name") != "panel"]
        for i, (lines, flag) in enumerate(zip(titles, panels["flags"], strict=True)):
            row, col = divmod(i, columns)
            n = "" if i == 0 else str(i + 1)
            x0 = col * (width + gap)
            y1 = 1 - row * row_px(bars) / plot_h
            y0 = y1 - (title_px + bars) / plot_h
            layout[f"xaxis{n}"]["domain"] = [x0, x0 + width]
            layout[f"yaxis{n}"]["domain"] = [max(0.0, y0), y1]
            # the counts' range grows by the title's share, so the bars stay under it
            layout[f"yaxis{n}"]["range"] = [0, panels["top"] * 1.05 * (title_px + bars) / bars]
            notes.append(
                {
                    "name": "panel",
                    "text": "<br>".join(f"<b>{esc(line)}</b>" for line in lines)
                    + f"<br>{esc(flag)}",
                    "x": x0,
                    "y": y1,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "top",
                    "align": "left",
                    "showarrow": False,
                    "font": {"size": px},
                }
            )
        layout["annotations"] = notes

    frame.after.append(place)


KINDS["small_multiples"] = _arrange_small_multiples
