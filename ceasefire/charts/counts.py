"""The Overview's by-actor charts: the timeline (agreement dates marked), the
target-type bars and the actor x target heatmap; minor actors grouped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..colors import SEQUENTIAL, actor_color
from ..filters import CLASH_GROUP, NO_MAJORITY, UNKNOWN_ACTOR
from .layout import (
    NO_DATA,
    ChartText,
    Marker,
    _empty,
    _figure,
    _layout,
    esc,
)


def timeline_chart(
    frame: pd.DataFrame,
    text: ChartText,
    by: str = "week",
    markers: list[Marker] | tuple[Marker, ...] = (),
    clash_pairs: pd.DataFrame | None = None,
) -> go.Figure:
    """Stacked bars of incidents per period and alleged actor, agreement dates marked.

    ``frame``: period, actor, incidents (from ``queries.timeline``). ``clash_pairs``:
    period, clash_pair, incidents (``queries.clash_pairs``): the hover of the clash
    group names the pairs of parties in each period."""
    layout = _layout(text)
    if frame.empty:
        return _empty(layout, NO_DATA)
    frame = group_minor_actors(frame, ["period"])
    totals = frame.groupby("actor")["incidents"].sum().sort_values(ascending=False)
    data = []
    for actor, part in sorted(
        frame.groupby("actor", sort=False), key=lambda item: totals.index.get_loc(item[0])
    ):
        trace = {
            "type": "bar",
            "x": part.period.to_numpy(),
            "y": part.incidents.to_numpy(),
            "name": esc(actor),
            "marker": _actor_marker(actor),
            "hovertemplate": f"{esc(actor)}<br>%{{x|%d %b %Y}}: %{{y}} incidents<extra></extra>",
        }
        if actor == CLASH_GROUP and clash_pairs is not None and not clash_pairs.empty:
            trace["customdata"] = _pair_lines(part.period, clash_pairs)
            trace["hovertemplate"] = (
                f"{esc(actor)}<br>%{{x|%d %b %Y}}: %{{y}} incidents<br>%{{customdata}}"
                "<extra></extra>"
            )
        data.append(trace)
    layout.update(
        barmode="stack",
        bargap=0.1,
        yaxis={"title": {"text": f"Incidents per {by}"}},
        showlegend=True,
    )  # name the actor even when there is one
    _add_markers(
        layout, markers, pd.to_datetime(frame.period.min()), pd.to_datetime(frame.period.max())
    )
    return _figure(data, layout)


def _pair_lines(periods: pd.Series, pairs: pd.DataFrame, most: int = 5) -> np.ndarray:
    """Per period, the pairs of parties of its clashes with their counts, as hover lines
    (the ``most`` commonest, then how many more pairs)."""
    by_period = {
        pd.Timestamp(period): group
        for period, group in pairs.groupby(pd.to_datetime(pairs["period"]), sort=False)
    }
    lines = []
    for period in periods:
        group = by_period.get(pd.Timestamp(period))
        if group is None:
            lines.append("")
            continue
        shown = [
            f"{esc(str(p))}: {n}" for p, n in zip(group.clash_pair, group.incidents, strict=True)
        ]
        more = len(shown) - most
        lines.append("<br>".join(shown[:most]) + (f"<br>… {more} more pairs" if more > 0 else ""))
    return np.array(lines, dtype=object)


#: Most actors a chart names; the rest are summed as "Other actors (N)". Beyond about
#: nine, stacked colours stop being distinguishable and the legend no longer fits a page.
MAX_ACTORS = 9
MAX_MATRIX_ACTORS = 15  # a matrix row stays readable further than a stacked colour
OTHER_ACTORS = "Other actors"
_ALWAYS_SHOWN = (UNKNOWN_ACTOR, NO_MAJORITY, CLASH_GROUP)


def group_minor_actors(
    frame: pd.DataFrame, keys: list[str], limit: int = MAX_ACTORS
) -> pd.DataFrame:
    """Keep the ``limit`` actors with most incidents (plus Unknown / No majority, which
    always show) and sum the rest, per ``keys``, as "Other actors (N)".

    Only the drawing is grouped: counts are unchanged, and the data download keeps every
    actor. ``frame``: keys..., actor, incidents."""
    totals = frame.groupby("actor")["incidents"].sum().sort_values(ascending=False)
    named = [a for a in totals.index if a not in _ALWAYS_SHOWN]
    if len(named) <= limit:
        return frame
    minor = set(named[limit - 1 :])
    label = f"{OTHER_ACTORS} ({len(minor)})"
    grouped = frame.assign(actor=frame.actor.where(~frame.actor.isin(minor), label))
    return grouped.groupby([*keys, "actor"], as_index=False, sort=False)["incidents"].sum()


def _actor_marker(actor: str) -> dict:
    """An actor's stable colour; the grouped minor actors are hatched grey."""
    if actor.startswith(OTHER_ACTORS):
        return {"color": "#BBBBBB", "pattern": {"shape": "/"}}
    if actor == CLASH_GROUP:  # not an actor: the clashes whose initiator no source states
        return {"color": actor_color(actor), "pattern": {"shape": "x"}}
    return {"color": actor_color(actor)}


def _close_together(markers: list[Marker], gap: pd.Timedelta) -> list[list[Marker]]:
    """Markers in date order, grouped when closer than ``gap``, so their labels share
    one line instead of printing over each other."""
    groups: list[list[Marker]] = []
    for marker in sorted(markers, key=lambda m: m.on):
        if groups and pd.Timestamp(marker.on) - pd.Timestamp(groups[-1][-1].on) < gap:
            groups[-1].append(marker)
        else:
            groups.append([marker])
    return groups


def _add_markers(layout: dict, markers, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """Dotted lines and labels at the markers near the shown period (into ``layout``).

    The shapes are exactly those ``add_vline`` makes; added as plain dicts because one
    ``add_vline``/``add_annotation`` per marker re-validates the layout each time."""
    shapes, labels = [], []
    shown = [
        m
        for m in markers
        if first - pd.Timedelta(days=31) <= pd.Timestamp(m.on) <= last + pd.Timedelta(days=31)
    ]
    for group in _close_together(shown, (last - first) / 40):
        when = pd.Timestamp(group[0].on)
        label = group[0].label
        if len(group) > 1:  # e.g. Sochi's signature and its two deadlines, weeks apart
            label += f"; +{len(group) - 1} more to {group[-1].on.day} {group[-1].on:%b %Y}"
        for marker in group:
            when_line = pd.Timestamp(marker.on)
            shapes.append(
                {
                    "type": "line",
                    "x0": when_line.timestamp() * 1000,
                    "x1": when_line.timestamp() * 1000,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "y domain",
                    "line": {"width": 1, "dash": "dot", "color": "#333333"},
                }
            )
        labels.append(
            {
                "x": when,
                "y": 1,
                "yref": "paper",
                "text": esc(label),
                "showarrow": False,
                "textangle": -90,
                "xanchor": "right",
                "yanchor": "top",
                "font": {"size": 9, "color": "#333333"},
            }
        )
    if shapes:
        layout["shapes"] = [*layout.get("shapes", []), *shapes]
        layout["annotations"] = [*layout["annotations"], *labels]


def target_type_chart(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """Horizontal bars: incidents per target type, alleged violations beside them.

    ``frame``: target_type, incidents, alleged_violations (from ``queries.target_types``)."""
    layout = _layout(text, height=max(360, 140 + 28 * len(frame)))
    if frame.empty:
        return _empty(layout, NO_DATA)
    ordered = frame.sort_values("incidents")
    data = [
        {
            "type": "bar",
            "y": ordered.target_type.to_numpy(),
            "x": ordered.incidents.to_numpy(),
            "orientation": "h",
            "name": "Incidents",
            "marker": {"color": "#0072B2"},
        },
        {
            "type": "bar",
            "y": ordered.target_type.to_numpy(),
            "x": ordered.alleged_violations.to_numpy(),
            "orientation": "h",
            "name": "Alleged violations",
            "marker": {"color": "#E69F00"},
        },
    ]
    layout.update(barmode="group", xaxis={"title": {"text": "Incidents"}})
    return _figure(data, layout)


def actor_target_heatmap(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """Actor x target-type matrix of incident counts, numbers printed in the cells.

    ``frame``: actor, target_type, incidents (from ``queries.actor_target``)."""
    if frame.empty:
        return _empty(_layout(text), NO_DATA)
    frame = group_minor_actors(frame, ["target_type"], limit=MAX_MATRIX_ACTORS)
    # groupby + unstack: the same matrix as pivot_table(aggfunc="sum"), 4x cheaper
    matrix = frame.groupby(["actor", "target_type"])["incidents"].sum().unstack(fill_value=0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values().index]
    layout = _layout(
        text, height=max(360, 160 + 30 * len(matrix)), axis_space=120, xaxis={"tickangle": -30}
    )
    data = [
        {
            "type": "heatmap",
            "z": matrix.values,
            "x": [esc(c) for c in matrix.columns],
            "y": [esc(i) for i in matrix.index],
            "colorscale": SEQUENTIAL,
            "text": matrix.values,
            "texttemplate": "%{text}",
            "hovertemplate": "%{y} / %{x}: %{z} incidents<extra></extra>",
            "colorbar": {"title": {"text": "Incidents"}},
        }
    ]
    return _figure(data, layout)
