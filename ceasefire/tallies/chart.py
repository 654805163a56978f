"""The side-by-side figure: what the parties counted above, the incidents on record
below, one governorate, the same periods.

Two panels on one time axis, never one scale: a tally is a party's count in its own
unit, not an incident, so the two are drawn apart and the figure says so in its
subtitle (``reads.TALLY_NOTE``). Pure: a frame (``reads.side_by_side(...).frame``) and
a ``ChartText`` in, a Plotly figure out; the page, the downloads and the CLI draw it
with this one function.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..charts.layout import (
    KINDS,
    LINE,
    MIN_PLOT_FRACTION,
    ChartText,
    Frame,
    _empty,
    _figure,
    _generic,
    _layout,
    esc,
)
from ..charts.textsize import wrap
from .reads import INCIDENTS, VIOLATIONS, reporter_label

#: Reporters' colours (Okabe-Ito, colour-blind safe), the parts of the commission first.
REPORTER_COLORS = ("#D55E00", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#F0E442")
INCIDENT_COLORS = {INCIDENTS: "#8C8C8C", VIOLATIONS: "#0072B2"}
#: Panel titles: short, so they fit a journal column; the subtitle says the rest.
TOP = "Parties' own counts (their units)"
BOTTOM = "Incidents in the store"
NO_TALLIES = "Nothing on record for these dates."
#: The panels' shares of the plot area's height (a gap between them for the title)
TOP_DOMAIN, BOTTOM_DOMAIN = (0.56, 0.96), (0.0, 0.44)


def side_by_side_chart(frame: pd.DataFrame, text: ChartText, by: str = "month") -> go.Figure:
    """Top: each reporter's tally per period (bars side by side, hover: units, tallies,
    days covered). Bottom: incidents and alleged violations per period."""
    layout = _layout(text, height=560, axis_space=60, kind=KIND)
    if frame.empty:
        return _empty(layout, NO_TALLIES)
    tallies = frame[frame.kind == "tally"]
    incidents = frame[frame.kind == "incidents"]
    data = []
    for i, (series, part) in enumerate(tallies.groupby("series", sort=False)):
        label = esc(reporter_label(series))
        covered = [
            f"{esc(u)}<br>{int(t)} tallies on {int(d)} days"
            + (f"; {int(w)} without a count" if w else "")
            for u, t, d, w in zip(
                part.units, part.tallies, part.days_covered, part.without_count, strict=True
            )
        ]
        data.append(
            {
                "type": "bar",
                "x": part.period.to_numpy(),
                "y": part.value.astype("float").to_numpy(),
                "name": label,
                "marker": {"color": REPORTER_COLORS[i % len(REPORTER_COLORS)]},
                "customdata": covered,
                "hovertemplate": f"{label}<br>%{{x|%d %b %Y}}: %{{y}} %{{customdata}}<extra></extra>",
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    unnamed = tallies[tallies.value.isna() & (tallies.without_count > 0)]
    if not unnamed.empty:  # named, no number: said, never drawn as 0
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": unnamed.period.to_numpy(),
                "y": [0] * len(unnamed),
                "name": "Province named, no count",
                "marker": {
                    "symbol": "x-thin",
                    "size": 9,
                    "line": {"width": 2, "color": "#444444"},
                    "color": "#444444",
                },
                "customdata": [esc(reporter_label(s)) for s in unnamed.series],
                "hovertemplate": "%{customdata}<br>%{x|%b %Y}: named without a count"
                "<extra></extra>",
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    for series, part in incidents.groupby("series", sort=False):
        data.append(
            {
                "type": "bar",
                "x": part.period.to_numpy(),
                "y": part.value.astype("float").to_numpy(),
                "name": esc(series),
                "marker": {"color": INCIDENT_COLORS.get(series, "#8C8C8C")},
                "hovertemplate": f"{esc(series)}<br>%{{x|%d %b %Y}}: %{{y}}<extra></extra>",
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
    axis = {"type": "date", "showgrid": False}
    if frame.period.notna().any():
        first, last = pd.to_datetime(frame.period.min()), pd.to_datetime(frame.period.max())
        # a whole period of room on each side: the first date label, centred on its
        # period's start, stays clear of the count axis's labels at every width
        pad = pd.Timedelta(days=31 if by == "month" else 7 if by == "week" else 1)
        axis["range"] = [(first - pad).isoformat(), (last + pad).isoformat()]
    layout.update(
        barmode="group",
        bargap=0.15,
        showlegend=True,
        xaxis={**axis, "anchor": "y", "showticklabels": False},
        xaxis2={**axis, "anchor": "y2", "matches": "x"},
        yaxis={
            "domain": [TOP_DOMAIN[0], TOP_DOMAIN[1]],
            "title": {"text": "Count, reporter's unit"},
            "rangemode": "tozero",
        },
        yaxis2={
            "domain": [BOTTOM_DOMAIN[0], BOTTOM_DOMAIN[1]],
            "title": {"text": f"Incidents per {by}"},
            "rangemode": "tozero",
        },
    )
    layout["annotations"] = [
        *layout["annotations"],
        _panel_title(TOP if not tallies.empty else f"{TOP}: none on record", TOP_DOMAIN[1]),
        _panel_title(BOTTOM, BOTTOM_DOMAIN[1]),
    ]
    return _figure(data, layout)


KIND = "tallies"


def _arrange(spec: dict, frame: Frame) -> None:
    """As any chart, with the panel titles in the width's font (one size above the
    ticks), and a plot tall enough that the two panels, not counting the gap between
    them, hold ``MIN_PLOT_FRACTION`` of the height (``arrange`` ensures it for one plot;
    the text above and below is estimated as ``arrange`` lays it out)."""
    _generic(spec, frame)
    for note in spec["layout"].get("annotations", []):
        if note.get("name") == "panel":
            note["font"] = {**note.get("font", {}), "size": round(frame.fonts.base + 1, 1)}
    meta, fonts = spec["layout"]["meta"], frame.fonts
    inner = frame.width - 2 * frame.side
    lines = {
        key: len(wrap(meta.get(key, ""), inner, size, bold=key == "title"))
        for key, size in (
            ("title", fonts.title),
            ("subtitle", fonts.subtitle),
            ("footer", fonts.footer),
        )
    }
    if frame.page:
        lines["subtitle"] = lines["footer"] = 0
    top = (
        fonts.title + 2 + LINE * (fonts.title * lines["title"] + fonts.subtitle * lines["subtitle"])
    )
    bottom = frame.axis + frame.legend_height + LINE * fonts.footer * lines["footer"] + 40
    share = (TOP_DOMAIN[1] - TOP_DOMAIN[0]) + (BOTTOM_DOMAIN[1] - BOTTOM_DOMAIN[0])
    wanted = MIN_PLOT_FRACTION + 0.02
    frame.plot_height = max(frame.plot_height, wanted * (top + bottom) / (share - wanted))


KINDS[KIND] = _arrange


def _panel_title(text: str, y: float) -> dict:
    return {
        "name": "panel",
        "text": f"<b>{esc(text)}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",  # just above its panel
        "yshift": 4,
        "showarrow": False,
        "align": "left",
        "font": {"size": 12},
    }
