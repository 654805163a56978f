"""Charts: pure functions from a small result frame to a Plotly figure.

The same function draws the page's chart, the downloaded PNG/SVG/PDF and the CLI's
figure, so the three always match. Each takes the frame a query in ``queries.py``
returned and a ``ChartText`` (title, subtitle stating filters and attribution, footer
with data origins, date range, date made and data version) built by ``provenance.py``.

Text that comes from data (actor, place or source names) is HTML-escaped before it
reaches Plotly, which would otherwise interpret tags such as <a> in labels.

Maps are drawn on plain longitude/latitude axes with no background tiles: tile and
topojson servers are on the internet, and the tracker must work offline.
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import geo
from .colors import SEQUENTIAL, actor_color
from .filters import CLASH_GROUP, NO_MAJORITY, UNKNOWN_ACTOR

FONT = "Arial, Helvetica, sans-serif"
TEMPLATE = "plotly_white"


@dataclass(frozen=True)
class ChartText:
    title: str
    subtitle: str = ""
    footer: str = ""


@dataclass(frozen=True)
class Marker:
    """A date to mark on a timeline (an agreement's signature or milestone)."""

    on: date
    label: str


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


#: The width (CSS px) a figure is laid out for unless told otherwise (the export's).
DEFAULT_WIDTH = 1100
#: Export widths for journals: one column (~85 mm) and the full text width (~175 mm),
#: in CSS pixels at 96 per inch.
PRINT_WIDTHS = {"column": round(85 / 25.4 * 96), "full": round(175 / 25.4 * 96)}


def _chars(width: int, font_px: float) -> int:
    """About how many characters of Arial at ``font_px`` fit in ``width`` pixels (an
    average glyph is ~0.55 em; 0.7 leaves room for wide letters and bold)."""
    return max(16, int(width / (font_px * 0.7)))


def _scale(width: int) -> float:
    """Font scale for a layout width: 1 at the default width, 0.7 for a journal column
    (9 px text at 85 mm is about 7 pt in print)."""
    return min(1.0, max(0.7, 0.55 + width / 2000)) if width < DEFAULT_WIDTH else 1.0


#: Plotly spaces the lines of a text block 1.3 em of the block's font apart.
LINE = 1.3


def _text_block(
    text: ChartText,
    width: int,
    plot_height: float,
    axis_space: int,
    *,
    subtitle: bool = True,
    footer: bool = True,
    legend_rows: int = 0,
) -> dict:
    """Title (with subtitle), footer, margins and height for ``width``: every line
    wrapped to the width, the margins sized to the lines, ``legend_rows`` rows of a
    horizontal legend placed under the title block (in the top margin)."""
    k = _scale(width)
    title_px, sub_px, foot_px = 17 * k, 12 * k, 10 * k
    title_lines = _wrap(text.title, _chars(width, title_px))
    subtitle_lines = _wrap(text.subtitle, _chars(width, sub_px * 1.0066)) if subtitle else []
    # narrow: the footer starts at the plot's left edge, which long tick labels push right
    room = width if width >= DEFAULT_WIDTH else width * 0.75
    footer_lines = _wrap(text.footer, _chars(room, foot_px * 1.047)) if footer else []
    title = "<br>".join(f"<b>{esc(line)}</b>" for line in title_lines)
    if subtitle_lines:
        title += (
            f"<br><span style='font-size:{sub_px:.3g}px'>"
            + "<br>".join(esc(line) for line in subtitle_lines)
            + "</span>"
        )
    pad = round(30 * k)
    title_height = pad + LINE * title_px * (len(title_lines) + len(subtitle_lines))
    legend_height = 20 * k * legend_rows
    top = round(title_height + 12 * k + legend_height)
    axis_space = round(axis_space * (k if width < DEFAULT_WIDTH else 1))
    bottom = round(axis_space + LINE * foot_px * len(footer_lines) + 12)
    out = {
        "title": {
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": pad},
            "font": {"size": round(title_px, 1)},
        },
        "height": round(plot_height + top + bottom),
        "margin": {"t": top, "b": bottom},
        "font": {"family": FONT, "size": round(12 * k, 1)},
        "footer": None,
    }
    if footer_lines:
        out["footer"] = {
            "name": "footer",
            "text": "<br>".join(esc(line) for line in footer_lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -axis_space,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
            "font": {"size": round(foot_px, 1), "color": "#444444"},
        }
    if legend_rows:
        out["legend"] = {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - (title_height + 6 * k) / out["height"],
            "yanchor": "top",
        }
    return out


def _layout(
    text: ChartText,
    height: int = 480,
    axis_space: int = 60,
    width: int = DEFAULT_WIDTH,
    **more,
) -> dict:
    """Title, subtitle and footer in the figure itself, so an export stands alone.

    The title block is anchored to the top of the figure and the footer sits
    ``axis_space`` pixels below the plot area (room for tick labels and the axis title);
    title, subtitle and footer are wrapped to ``width`` and the margins grow with their
    number of lines, so none is ever cut off. ``height`` is the figure's height with a
    one-line title and no subtitle or footer. The text and sizes are kept in
    ``layout.meta`` so the figure can be laid out again for another width
    (``fit_width``, ``page_figure``). Returns the layout as a plain dict (``more``:
    further layout keys) for ``_figure``."""
    plot_height = height - 70 - (axis_space + 12)
    block = _text_block(text, width, plot_height, axis_space)
    layout = {
        "title": block["title"],
        "font": block["font"],
        "height": block["height"],
        "margin": {**block["margin"], "l": 60, "r": 20},
        "legend": {"title": {"text": ""}},
        "annotations": [block["footer"]] if block["footer"] else [],
        "meta": {
            "title": text.title,
            "subtitle": text.subtitle,
            "footer": text.footer,
            "plot_height": plot_height,
            "axis_space": axis_space,
        },
        **more,
    }
    return layout


#: Category tick labels longer than this are abbreviated in narrow layouts (the full
#: name stays in the hover and in the data).
SHORT_LABEL = 18


def _abbreviate(label: str) -> str:
    return label if len(label) <= SHORT_LABEL else label[: SHORT_LABEL - 1].rstrip() + "…"


def _narrow_axes(spec: dict) -> None:
    """Abbreviate long category labels of heatmap axes (tickvals keep the full names,
    so the hover and the data still show them) and let Plotly pick the tick angle."""
    layout = spec["layout"]
    for trace in spec.get("data", []):
        if trace.get("type") != "heatmap":
            continue
        for axis, values in (("yaxis", trace.get("y")), ("xaxis", trace.get("x"))):
            if values is None:
                continue
            labels = [str(v) for v in values]
            if any(len(v) > SHORT_LABEL for v in labels):
                layout[axis] = {
                    **layout.get(axis, {}),
                    "tickmode": "array",
                    "tickvals": labels,
                    "ticktext": [_abbreviate(v) for v in labels],
                }
        # vertical labels never overlap (a slanted label's box would cross its neighbour's)
        layout["xaxis"] = {**layout.get("xaxis", {}), "tickangle": -90}


def _legend_rows(spec: dict, width: int) -> int:
    """Rows a horizontal legend of the figure's named traces takes at ``width``."""
    k = _scale(width)
    items = [
        t.get("name", "")
        for t in spec.get("data", [])
        if t.get("showlegend", True) is not False and t.get("name") and t.get("type") != "heatmap"
    ]
    if not items or spec["layout"].get("showlegend") is False:
        return 0
    rows, used = 1, 0.0
    for name in items:
        item = 40 * k + 0.6 * 12 * k * len(name)
        if used and used + item > width - 20:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _relayout(fig: go.Figure, width: int, *, subtitle: bool, footer: bool) -> dict:
    """The figure's dict with its text block laid out again for ``width``."""
    spec = fig.to_dict()
    layout = spec["layout"]
    meta = layout.get("meta") or {}
    text = ChartText(meta["title"], meta.get("subtitle", ""), meta.get("footer", ""))
    k = _scale(width)
    narrow = width < 700
    rows = _legend_rows(spec, width) if narrow else 0
    block = _text_block(
        text,
        width,
        meta["plot_height"] * (0.55 + 0.45 * k if narrow else 1),
        meta["axis_space"],
        subtitle=subtitle,
        footer=footer,
        legend_rows=rows,
    )
    layout.update(title=block["title"], height=block["height"], font=block["font"])
    layout["margin"] = {**layout.get("margin", {}), **block["margin"]}
    others = [a for a in layout.get("annotations", []) if a.get("name") != "footer"]
    layout["annotations"] = others + ([block["footer"]] if block["footer"] else [])
    if rows:
        layout["legend"] = {**layout.get("legend", {}), **block["legend"]}
    if narrow:
        _narrow_axes(spec)
        layout["margin"]["l"] = round(60 * k)
    return spec


def fit_width(fig: go.Figure, width: int) -> go.Figure:
    """The figure laid out again for ``width`` pixels (an export size, e.g.
    ``PRINT_WIDTHS``): fonts scaled, title, subtitle and footer re-wrapped, margins and
    height recomputed; below 700 px the legend goes in rows under the title and long
    category labels are abbreviated. Figures without ``layout.meta`` are unchanged."""
    if "title" not in (fig.layout.meta or {}):
        return fig
    spec = _relayout(fig, width, subtitle=True, footer=True)
    spec["layout"]["width"] = width
    return go.Figure(spec, _validate=False)


def page_figure(fig: go.Figure, narrow: bool = False) -> tuple[go.Figure, str, str]:
    """The figure as the page shows it, with (subtitle, footer) to show under it.

    In the page the subtitle and the footer are page text (they wrap to the chart's
    real width, which the server does not know); the figure keeps its title, wrapped
    for a column (``narrow``: half the page), its legend in rows under the title and
    abbreviated long category labels (full names in the hover). The downloads use the
    full figure, which carries all its text."""
    meta = fig.layout.meta or {}
    if "title" not in meta:
        return fig, "", ""
    spec = _relayout(fig, 300 if narrow else 600, subtitle=False, footer=False)
    # the page keeps the app's font size; only the layout of the text is narrower
    spec["layout"]["font"] = {"family": FONT, "size": 12}
    return go.Figure(spec, _validate=False), meta.get("subtitle", ""), meta.get("footer", "")


#: The trace types the charts draw; the template keeps only their defaults.
TRACE_TYPES = ("bar", "heatmap", "scatter", "scattergl")


@functools.lru_cache(maxsize=1)
def _template_json() -> dict:
    """``TEMPLATE`` as Plotly validates it into a figure, computed once per process.

    Its trace defaults are cut to ``TRACE_TYPES``: the other two dozen types' (pie,
    surface, ...) never apply to these charts, and Plotly deep-copies the template into
    every figure (half the cost of making one)."""
    template = go.Figure(layout={"template": TEMPLATE}).to_dict()["layout"]["template"]
    template["data"] = {k: v for k, v in template["data"].items() if k in TRACE_TYPES}
    return template


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure from plain trace and layout dicts, with the template, not re-validated.

    Why: Plotly's validation of a figure (each property checked, every array copied,
    the whole template re-validated) cost 8-35 ms a chart, about a third of a filter
    change at a million incidents, to check dicts that this module writes and that only
    change with its code. So validation moved from run time to the tests:
    ``tests/test_charts.py`` validates every chart function's output on real frames
    and checks that Plotly's validated figure has exactly the same JSON. The template,
    validated once per process, is shared read-only (``_validate=False`` copies what a
    figure modifies). The old way: ``go.Figure()`` and ``add_trace``/``update_layout``,
    each call re-validating."""
    if not layout.get("annotations"):
        layout = {k: v for k, v in layout.items() if k != "annotations"}
    return go.Figure(
        {"data": data, "layout": {**layout, "template": _template_json()}}, _validate=False
    )


def figure_from_json(spec: dict) -> go.Figure:
    """A figure from the JSON dict of a figure Plotly has already validated
    (``fig.to_dict()``), without validating it again: the same figure, in about 1 ms
    instead of 10-35 ms. Only for dicts made by Plotly, never for hand-written ones."""
    return go.Figure(spec, _validate=False)


def _wrap(text: str, width: int) -> list[str]:
    """Split long text into lines at word boundaries (Plotly does not wrap)."""
    if not text:
        return []
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def _empty(layout: dict, message: str) -> go.Figure:
    """A figure with no traces that says why, axes hidden."""
    layout["annotations"].append(
        {
            "text": esc(message),
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 16, "color": "#666666"},
        }
    )
    layout["xaxis"] = {**layout.get("xaxis", {}), "visible": False}
    layout["yaxis"] = {**layout.get("yaxis", {}), "visible": False}
    return _figure([], layout)


NO_DATA = "No incidents match these filters."


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


def _area_trace(shapes, name: str, **style) -> dict:
    lons: list = []
    lats: list = []
    for _, _, x, y in shapes:
        if lons:
            lons.append(None)
            lats.append(None)
        lons += list(x)
        lats += list(y)
    return {"type": "scatter", "x": lons, "y": lats, "name": name, "hoverinfo": "skip", **style}


def _base_map(shade_area: bool = True) -> list[dict]:
    """The offline reference layers: the agreements' area shaded, district and
    governorate boundaries (OCHA COD-AB, simplified, ``data/boundaries_nw.geojson``)."""
    traces = []
    if shade_area:
        area = [s for s in geo.shapes("district") if geo.in_area(s[1], s[0])]
        traces.append(
            _area_trace(
                area,
                "De-escalation area (by district)",
                mode="lines",
                fill="toself",
                fillcolor="rgba(230, 159, 0, 0.16)",
                line={"width": 0},
            )
        )
    traces.append(
        _area_trace(
            geo.shapes("district"),
            "District boundaries",
            mode="lines",
            line={"width": 0.6, "color": "#9A9A9A"},
            showlegend=False,
        )
    )
    traces.append(
        _area_trace(
            geo.shapes("governorate"),
            "Governorate boundaries",
            mode="lines",
            line={"width": 1.4, "color": "#555555"},
            showlegend=False,
        )
    )
    return traces


def _town_trace() -> dict:
    towns = geo.towns()
    return {
        "type": "scatter",
        "x": [t[1] for t in towns],
        "y": [t[2] for t in towns],
        "text": [esc(t[0]) for t in towns],
        "mode": "markers+text",
        "textposition": "top center",
        "textfont": {"size": 10, "color": "#222222"},
        "marker": {"size": 4, "color": "#222222", "symbol": "square"},
        "name": "Towns",
        "showlegend": False,
        "hoverinfo": "text",
    }


def _map_axes(layout: dict, lons, lats) -> None:
    """Equal-aspect longitude/latitude axes (one km east = one km north at the mean
    latitude) covering the region and every point shown."""
    lon_lo, lon_hi = geo.REGION["lon"]
    lat_lo, lat_hi = geo.REGION["lat"]
    if len(lons):
        lon_lo, lon_hi = min(lon_lo, float(min(lons)) - 0.05), max(lon_hi, float(max(lons)) + 0.05)
        lat_lo, lat_hi = min(lat_lo, float(min(lats)) - 0.05), max(lat_hi, float(max(lats)) + 0.05)
    mid_lat = (lat_lo + lat_hi) / 2
    layout["xaxis"] = {
        "title": {"text": "Longitude (°E)"},
        "range": [lon_lo, lon_hi],
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
    }
    layout["yaxis"] = {
        "title": {"text": "Latitude (°N)"},
        "range": [lat_lo, lat_hi],
        "showgrid": False,
        "zeroline": False,
        "scaleanchor": "x",
        "scaleratio": 1 / max(math.cos(math.radians(mid_lat)), 0.1),
        "constrain": "domain",
    }
    layout["plot_bgcolor"] = "#FFFFFF"
    layout["legend"] = {**layout.get("legend", {}), "itemsizing": "constant"}


def _with_boundary_credit(text: ChartText) -> ChartText:
    return ChartText(text.title, text.subtitle, f"{text.footer} {geo.BOUNDARY_CREDIT}.".strip())


def map_chart(frame: pd.DataFrame, text: ChartText, binned: bool) -> go.Figure:
    """Incidents on an offline map: the agreements' area shaded, governorate and
    district boundaries, main towns labelled, equal-aspect axes (no tiles: works with
    no network, in the page and in every export).

    Points when few, coloured by the alleged actor under the filter's attribution
    (``actor``; an incident with several is "Several actors"), crosses where disputed;
    grid cells sized by count when many (``queries.map_frame``)."""
    layout = _layout(_with_boundary_credit(text), height=620)
    data = _base_map()
    if frame.empty:
        layout["annotations"].append(
            {
                "text": esc("No incidents with coordinates match these filters."),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 16, "color": "#666666"},
            }
        )
    elif binned:
        size = 6 + 24 * (frame.incidents / frame.incidents.max()) ** 0.5
        data.append(
            {
                "type": "scattergl",
                "x": frame.longitude.to_numpy(),
                "y": frame.latitude.to_numpy(),
                "mode": "markers",
                "name": "Incidents per cell",
                "marker": {
                    "size": size.to_numpy(),
                    "color": frame.incidents.to_numpy(),
                    "colorscale": SEQUENTIAL,
                    "showscale": True,
                    "colorbar": {"title": {"text": "Incidents"}},
                },
                "hovertemplate": "%{marker.color} incidents near %{y:.2f}°N %{x:.2f}°E<extra></extra>",
            }
        )
    else:
        data += _point_traces(frame)
    data.append(_town_trace())
    _map_axes(layout, frame.longitude if len(frame) else [], frame.latitude if len(frame) else [])
    layout["showlegend"] = True
    return _figure(data, layout)


SEVERAL_ACTORS = "Several actors"


def _point_traces(frame: pd.DataFrame) -> list[dict]:
    """One trace per alleged actor (the nine with most incidents; the rest summed as
    "Other actors (N)"), disputed incidents drawn as crosses (hover text escaped)."""
    if "actor" not in frame.columns:
        frame = frame.assign(actor=UNKNOWN_ACTOR)
    frame = frame.assign(actor=frame.actor.fillna(UNKNOWN_ACTOR))
    totals = frame.actor.value_counts()
    named = [a for a in totals.index if a not in _ALWAYS_SHOWN]
    if len(named) > MAX_ACTORS:
        minor = set(named[MAX_ACTORS - 1 :])
        label = f"{OTHER_ACTORS} ({len(minor)})"
        frame = frame.assign(actor=frame.actor.where(~frame.actor.isin(minor), label))
        totals = frame.actor.value_counts()
    traces = []
    for actor in totals.index:
        group = frame[frame.actor == actor]
        marker = _actor_marker(actor) if actor != SEVERAL_ACTORS else {"color": "#444444"}
        traces.append(
            {
                "type": "scattergl",
                "x": group.longitude.to_numpy(),
                "y": group.latitude.to_numpy(),
                "mode": "markers",
                "name": f"{esc(actor)} ({len(group)})",
                "marker": {
                    "size": 7,
                    "color": marker.get("color", "#BBBBBB"),
                    "symbol": ["x" if d else "circle" for d in group.is_disputed],
                    "opacity": 0.75,
                    "line": {"width": 0},
                },
                "customdata": group[["incident_id", "weapon", "target_type"]]
                .astype(str)
                .map(esc)
                .values,
                "hovertemplate": f"{esc(actor)}<br>#%{{customdata[0]}}: %{{customdata[1]}} on "
                "%{customdata[2]}<extra></extra>",
            }
        )
    return traces


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


def district_map_chart(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """A choropleth of incidents per district on the offline boundaries (the map's
    second view), the agreements' area outlined, towns labelled.

    ``frame``: governorate, district, incidents (``queries.district_counts``).
    Incidents whose district is unknown, or outside the mapped governorates, cannot be
    placed: the figure says how many."""
    from plotly.colors import sample_colorscale

    layout = _layout(_with_boundary_credit(text), height=620)
    counts = {
        (g, d): int(n)
        for g, d, n in zip(frame.governorate, frame.district, frame.incidents, strict=True)
        if d is not None and not pd.isna(d)
    }
    districts = geo.shapes("district")
    mapped = {(g, name) for name, g, _, _ in districts}
    top = max([counts.get(k, 0) for k in mapped] + [1])
    data = []
    for name, governorate, lons, lats in districts:
        n = counts.get((governorate, name), 0)
        color = sample_colorscale(SEQUENTIAL, [n / top])[0] if n else "#FFFFFF"
        data.append(
            {
                "type": "scatter",
                "x": list(lons),
                "y": list(lats),
                "mode": "lines",
                "fill": "toself",
                "fillcolor": color,
                "line": {"width": 0.6, "color": "#777777"},
                "name": esc(f"{name} ({governorate})"),
                "text": esc(f"{name} ({governorate}): {n:,} incidents"),
                "hoveron": "fills",
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    area = [s for s in districts if geo.in_area(s[1], s[0])]
    data.append(
        _area_trace(
            area,
            "De-escalation area (by district)",
            mode="lines",
            line={"width": 2, "color": "#E69F00", "dash": "dot"},
        )
    )
    data.append(
        _area_trace(
            geo.shapes("governorate"),
            "Governorate boundaries",
            mode="lines",
            line={"width": 1.4, "color": "#333333"},
            showlegend=False,
        )
    )
    data.append(
        {  # the colour scale, on an invisible point
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "showlegend": False,
            "hoverinfo": "skip",
            "marker": {
                "color": [0],
                "cmin": 0,
                "cmax": top,
                "colorscale": SEQUENTIAL,
                "showscale": True,
                "colorbar": {"title": {"text": "Incidents"}, "x": 1.02, "len": 0.6, "y": 0.4},
            },
        }
    )
    data.append(_town_trace())
    unplaced = int(frame.incidents.sum()) - sum(counts.get(k, 0) for k in mapped)
    if unplaced:
        layout["annotations"].append(
            {
                "text": esc(
                    f"{unplaced:,} incidents with no district, or outside the mapped "
                    "governorates, are not shown."
                ),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 10, "color": "#444444"},
            }
        )
    _map_axes(layout, [], [])
    layout["showlegend"] = True
    layout["legend"] = {**layout["legend"], "orientation": "h", "y": -0.02, "yanchor": "top"}
    return _figure(data, layout)
