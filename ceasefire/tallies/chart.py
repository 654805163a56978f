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
    ChartText,
    Frame,
    arrange_generic,
    base_layout,
    empty_figure,
    esc,
    integer_ticks,
    make_figure,
)
from ..editing.tallies import known_reporters
from ..text import plural
from .reads import INCIDENTS, VIOLATIONS, reporter_label

#: Reporters' colours (Okabe-Ito, colour-blind safe), in the order of the registry
#: (``data/tallies/reporters.csv``: the parts of the commission first).
REPORTER_COLORS = ("#D55E00", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#F0E442")
INCIDENT_COLORS = {INCIDENTS: "#8C8C8C", VIOLATIONS: "#0072B2"}
#: Panel titles: short, so they fit a journal column; the subtitle says the rest.
TOP = "Parties' own counts (their units)"
BOTTOM = "Incidents in the store"
NO_TALLIES = "Nothing on record for these dates."
#: The panels' shares of the plot area's height (a gap between them for the title)
TOP_DOMAIN, BOTTOM_DOMAIN = (0.56, 0.96), (0.0, 0.44)


def reporter_colors(names) -> dict[str, str]:
    """Each reporter's colour, the same in every figure: a reporter the tracker knows
    keeps its place in the registry's order; others take the colours left, by name."""
    known = [name.casefold() for name in known_reporters()]
    fixed = {}
    for name in names:
        rank = known.index(name.casefold()) if name.casefold() in known else None
        if rank is not None and rank < len(REPORTER_COLORS):
            fixed[name] = REPORTER_COLORS[rank]
    free = [c for c in REPORTER_COLORS if c not in fixed.values()] or list(REPORTER_COLORS)
    others = sorted(n for n in names if n not in fixed)
    return {**fixed, **{n: free[i % len(free)] for i, n in enumerate(others)}}


def side_by_side_chart(frame: pd.DataFrame, text: ChartText, by: str = "month") -> go.Figure:
    """Top: each reporter's tally per period (bars side by side, hover: units, tallies,
    days covered). Bottom: incidents and alleged violations per period."""
    layout = base_layout(text, height=560, axis_space=60, kind=KIND)
    if frame.empty:
        return empty_figure(layout, NO_TALLIES)
    tallies = frame[frame.kind == "tally"]
    incidents = frame[frame.kind == "incidents"]
    data = (
        _tally_traces(tallies, by) + _no_count_traces(tallies, by) + _incident_traces(incidents, by)
    )
    axis = _time_axis(frame, by)
    layout.update(
        barmode="overlay",  # the bars are placed side by side by ``bar_place``
        showlegend=True,
        xaxis={**axis, "anchor": "y", "showticklabels": False},
        xaxis2={**axis, "anchor": "y2", "matches": "x"},
        yaxis={  # counts: never a fractional tick
            "domain": [TOP_DOMAIN[0], TOP_DOMAIN[1]],
            "title": {"text": "Count, reporter's unit"},
            **integer_ticks(_top(tallies)),
        },
        yaxis2={
            "domain": [BOTTOM_DOMAIN[0], BOTTOM_DOMAIN[1]],
            "title": {"text": f"Incidents per {by}"},
            **integer_ticks(_top(incidents)),
        },
    )
    layout["annotations"] = [
        *layout["annotations"],
        _panel_title(TOP if not tallies.empty else f"{TOP}: none on record", TOP_DOMAIN[1]),
        _panel_title(BOTTOM, BOTTOM_DOMAIN[1]),
    ]
    return make_figure(data, layout)


def _tally_traces(tallies: pd.DataFrame, by: str) -> list[dict]:
    """One bar trace per reporter, in the registry's order (the colours' order: the same
    place and legend in every figure), hover: units, tallies and days covered."""
    reporters = tallies.series.nunique()
    colors = reporter_colors(tallies.series.unique())
    order = sorted(colors, key=lambda name: REPORTER_COLORS.index(colors[name]))
    data = []
    for i, series in enumerate(order):
        part = tallies[tallies.series == series]
        label = esc(reporter_label(series))
        covered = [
            f"{esc(u)}<br>{plural(int(t), 'tally')} on {plural(int(d), 'day')}"
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
                "marker": {"color": colors[series]},
                "customdata": covered,
                "hovertemplate": f"{label}<br>%{{x|%d %b %Y}}: %{{y}} %{{customdata}}<extra></extra>",
                "xaxis": "x",
                "yaxis": "y",
                **bar_place(part.period, by, i, reporters),
            }
        )
    return data


def _no_count_traces(tallies: pd.DataFrame, by: str) -> list[dict]:
    """Periods whose tallies name a province with no number: a mark on the zero line,
    said, never drawn as a bar of 0."""
    unnamed = tallies[tallies.value.isna() & (tallies.without_count > 0)]
    if unnamed.empty:
        return []
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "x": [p + _length(p, by) / 2 for p in pd.to_datetime(unnamed.period)],
            "y": [0] * len(unnamed),
            "name": "Province named, no count",
            "cliponaxis": False,  # on the zero line: half of it is under the plot
            "marker": {
                "symbol": "x-thin",
                "size": 9,
                "line": {"width": 2, "color": "#444444"},
                "color": "#444444",
            },
            "customdata": [esc(reporter_label(s)) for s in unnamed.series],
            "hovertemplate": "%{customdata}<br>%{x|%b %Y}: named without a count<extra></extra>",
            "xaxis": "x",
            "yaxis": "y",
        }
    ]


def _incident_traces(incidents: pd.DataFrame, by: str) -> list[dict]:
    """The bottom panel: incidents and alleged violations on record per period."""
    data = []
    for i, (series, part) in enumerate(incidents.groupby("series", sort=False)):
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
                **bar_place(part.period, by, i, incidents.series.nunique()),
            }
        )
    return data


def _time_axis(frame: pd.DataFrame, by: str) -> dict:
    """The shared date axis, with a whole period of room on each side: the first date
    label, centred on its period's start, stays clear of the count axis's labels at
    every width, and the last period's bars end inside the plot."""
    axis = {"type": "date", "showgrid": False}
    if frame.period.notna().any():
        first, last = pd.to_datetime(frame.period.min()), pd.to_datetime(frame.period.max())
        pad = pd.Timedelta(days=31 if by == "month" else 7 if by == "week" else 1)
        axis["range"] = [(first - pad).isoformat(), (last + pad).isoformat()]
    return axis


KIND = "tallies"
#: The share of a period its group of bars leaves empty (half on each side).
BAR_GAP = 0.15


def _length(start: pd.Timestamp, by: str) -> pd.Timedelta:
    """The length of the period (day, week or month) that begins at ``start``."""
    if by == "month":
        return (start + pd.offsets.MonthBegin(1)) - start
    return pd.Timedelta(days=7 if by == "week" else 1)


def bar_place(periods: pd.Series, by: str, i: int, n: int) -> dict:
    """Bar ``i`` of ``n`` side by side inside each period, not centred on its first
    day: its width and its offset from the period's start, in ms (a date axis's unit).
    Plotly would size bars by the closest two dates in the trace, so two bulletins a
    fortnight apart would each get a bar two weeks wide, the last one cut by the axis."""
    widths, offsets = [], []
    for start in pd.to_datetime(periods):
        length = _length(start, by) / pd.Timedelta(milliseconds=1)
        width = length * (1 - BAR_GAP) / n
        widths.append(width)
        offsets.append(length * BAR_GAP / 2 + i * width)
    return {"width": widths, "offset": offsets}


def _top(part: pd.DataFrame) -> float:
    """The panel's highest bar (bars side by side, not stacked); 0 when it has none."""
    top = part.value.max() if not part.empty else None
    return 0.0 if top is None or pd.isna(top) else float(top)


def _arrange(spec: dict, frame: Frame) -> None:
    """As any chart, with the panel titles in the width's font (one size above the
    ticks); the two panels, not counting the gap between them, hold
    ``MIN_PLOT_FRACTION`` of the height (``arrange`` makes the plot tall enough, from
    the panels' share of it)."""
    arrange_generic(spec, frame)
    for note in spec["layout"].get("annotations", []):
        if note.get("name") == "panel":
            note["font"] = {**note.get("font", {}), "size": round(frame.fonts.base + 1, 1)}
    frame.plot_share = (TOP_DOMAIN[1] - TOP_DOMAIN[0]) + (BOTTOM_DOMAIN[1] - BOTTOM_DOMAIN[0])


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
