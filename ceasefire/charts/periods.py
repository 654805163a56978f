"""Charts over periods: before/after an agreement (``compare_chart``) and the week's
small multiples (``changes_small_multiples``)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .layout import (
    NO_DATA,
    ChartText,
    _abbreviate,
    _empty,
    _figure,
    _layout,
    _wrap,
    esc,
)

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
    interval above each pair."""
    rows = frame[(frame.breakdown == "all") & frame.measure.isin(list(COMPARE_PANELS))]
    panels = [m for m in COMPARE_PANELS if (rows.measure == m).any()]
    layout = _layout(text, height=460, axis_space=70)
    if rows.empty or (rows.before_count.sum() + rows.after_count.sum()) == 0:
        return _empty(layout, NO_DATA)
    data = []
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
        top = float(
            max(part.before_rate_ci_high.astype(float).max(), part.after_rate_ci_high.max())
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
            "title": {"text": "<br>".join(esc(x) for x in _wrap(COMPARE_PANELS[measure], 24))},
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "rangemode": "tozero",
            "range": [0, top * 1.3 if top > 0 else 1],
            "title": {"text": "Per 30 days (95% interval)" if i == 0 else ""},
        }
    layout.update(barmode="group", bargap=0.25, showlegend=True)
    return _figure(data, layout)


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
    week coloured by its 52-week flag, every panel on the same y scale so they compare.

    ``series``: group, week, incidents (``changes.weekly_series``); ``flags``: group ->
    flag_52w. Groups keep the order of ``flags``."""
    groups = [g for g in flags if (series.group == g).any()]
    rows = max(1, math.ceil(len(groups) / columns))
    layout = _layout(text, height=150 + 150 * rows, axis_space=30)
    if not groups:
        return _empty(layout, NO_DATA)
    top = max(1, int(series.incidents.max()))
    # each row is 150 px: 32 at its top for the panel's two-line title, 22 at its
    # bottom for the date labels, the bars in between
    gap_x, row_px, title_px, ticks_px = 0.06, 150, 32, 22
    width = (1 - gap_x * (columns - 1)) / columns
    total_px = row_px * rows
    data = []
    last_week = series.week.max()
    for i, group in enumerate(groups):
        part = series[series.group == group].sort_values("week")
        row, col = divmod(i, columns)
        n = "" if i == 0 else str(i + 1)
        colors = [
            FLAG_COLORS.get(flags[group], "#999999") if w == last_week else "#C8C8C8"
            for w in part.week
        ]
        data.append(
            {
                "type": "bar",
                "x": [pd.Timestamp(w) for w in part.week],
                "y": part.incidents.to_numpy(),
                "marker": {"color": colors},
                "showlegend": False,
                "name": esc(group),
                "xaxis": f"x{n}",
                "yaxis": f"y{n}",
                "hovertemplate": f"{esc(group)}<br>week of %{{x|%d %b %Y}}: %{{y}}<extra></extra>",
            }
        )
        x0 = col * (width + gap_x)
        y1 = 1 - (row * row_px + title_px) / total_px
        y0 = 1 - ((row + 1) * row_px - ticks_px) / total_px
        layout[f"xaxis{n}"] = {
            "domain": [x0, x0 + width],
            "anchor": f"y{n}",
            "tickformat": "%b %Y",
            "nticks": 4,
            "tickfont": {"size": 9},
        }
        layout[f"yaxis{n}"] = {
            "domain": [y0, y1],
            "anchor": f"x{n}",
            "range": [0, top * 1.1],
            "tickfont": {"size": 9},
        }
        layout["annotations"].append(
            {
                "text": f"<b>{esc(_abbreviate(str(group)))}</b><br>{esc(flags[group])}",
                "x": x0,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
    layout.update(bargap=0.1, showlegend=False)
    return _figure(data, layout)
