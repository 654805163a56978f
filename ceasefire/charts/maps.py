"""The maps, on plain longitude/latitude axes over the offline boundaries: incidents as
points or grid cells (``map_chart``), and incidents per district (``district_map_chart``).

Laid out for each width (``_arrange_map``): the map fills the plot area at equal aspect
(one km east = one km north), widening its latitude range when the figure is taller
than the region, and each town's name is placed where it meets no incident marker, no
other town and no other name (above, below, beside or diagonally off its town; left
unlabelled, its square still shown and named on hover, when no place is free).

The legend counts incidents as the chart's attribution does: under "any claim" an
incident blamed on several actors is drawn, and counted, under each of them (their
markers coincide), as the timeline counts it; under "majority" each incident under one.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import geo
from ..colors import SEQUENTIAL, scale_color
from ..filters import UNKNOWN_ACTOR
from .counts import ALWAYS_SHOWN, MAX_ACTORS, OTHER_ACTORS, actor_marker
from .layout import (
    KINDS,
    LINE,
    MESSAGE,
    ChartText,
    Frame,
    base_layout,
    esc,
    integer_ticks,
    make_figure,
    message,
    values,
)
from .textsize import text_width, widest

#: Incident markers' size (px) when drawn as points.
POINT_SIZE = 7
#: The uid prefix of traces whose markers are data (the geometry guard reads it).
DATA_UID = "incidents"
#: The incident markers' trace type: SVG, not WebGL ("scattergl"). The map holds at most
#: ``queries.MAP_POINT_LIMIT`` markers (beyond it, grid cells), and in a browser without
#: a GPU (headless, remote desktops, many laptops' software fallback) WebGL is drawn in
#: software: a new tab's map took 1.3-1.7 s to draw as WebGL and 0.25-0.8 s as SVG
#: (bench/README.md, issue 23). The exports already drew it as SVG (export._static).
POINTS = "scatter"


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


def base_map(shade_area: bool = True) -> list[dict]:
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


#: A white halo round each town label, so it stays readable over boundaries.
TOWN_LABEL_HALO = ", ".join(f"{x}px {y}px 1px #FFFFFF" for x in (-1, 1) for y in (-1, 1))


def town_trace() -> dict:
    """The towns' markers (named on hover); their names are placed by ``_town_labels``."""
    towns = geo.towns()
    return {
        "type": "scatter",
        "uid": "towns",
        "x": [t[1] for t in towns],
        "y": [t[2] for t in towns],
        "text": [esc(t[0]) for t in towns],
        "mode": "markers",
        "marker": {"size": 4, "color": "#222222", "symbol": "square"},
        "name": "Towns",
        "showlegend": False,
        "hoverinfo": "text",
    }


def map_axes(layout: dict, lons, lats) -> None:
    """Equal-aspect longitude/latitude axes (one km east = one km north at the mean
    latitude) covering the region and every point shown; ``_arrange_map`` fits them to
    the plot area of each width."""
    lon_lo, lon_hi = geo.REGION["lon"]
    lat_lo, lat_hi = geo.REGION["lat"]
    if len(lons):
        lon_lo, lon_hi = min(lon_lo, float(min(lons)) - 0.05), max(lon_hi, float(max(lons)) + 0.05)
        lat_lo, lat_hi = min(lat_lo, float(min(lats)) - 0.05), max(lat_hi, float(max(lats)) + 0.05)
    mid_lat = (lat_lo + lat_hi) / 2
    # where the region lies: _arrange_map fits it to the plot area of each width (the
    # editor's pick map has no other meta)
    layout.setdefault("meta", {})["region"] = [lon_lo, lon_hi, lat_lo, lat_hi]
    layout["xaxis"] = {
        "range": [lon_lo, lon_hi],
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "ticksuffix": "°E",
    }
    layout["yaxis"] = {
        "range": [lat_lo, lat_hi],
        "showgrid": False,
        "zeroline": False,
        "scaleanchor": "x",
        "scaleratio": 1 / max(math.cos(math.radians(mid_lat)), 0.1),
        "constrain": "domain",
        "ticksuffix": "°N",
    }
    layout["plot_bgcolor"] = "#FFFFFF"
    layout["legend"] = {**layout.get("legend", {}), "itemsizing": "constant"}


def _with_boundary_credit(text: ChartText) -> ChartText:
    return ChartText(text.title, text.subtitle, f"{text.footer} {geo.BOUNDARY_CREDIT}.".strip())


def map_chart(frame: pd.DataFrame, text: ChartText, binned: bool) -> go.Figure:
    """Incidents on an offline map: the agreements' area shaded, governorate and
    district boundaries, main towns named, equal-aspect axes (no tiles: works with no
    network, in the page and in every export).

    Points when few, coloured by the alleged actor under the filter's attribution
    (``actors``: the actors each incident counts under), crosses where disputed; grid
    cells sized by count when many (``queries.map_frame``)."""
    several = (
        not binned
        and "actors" in frame.columns
        and bool(
            (
                frame.actors.map(lambda a: len(a) if isinstance(a, list | np.ndarray) else 1) > 1
            ).any()
        )
    )
    note = (
        "An incident blamed on several actors has one marker per actor, at the same place."
        if several
        else ""
    )
    layout = base_layout(_with_boundary_credit(text), height=620, kind="map", notes=note)
    data = base_map()
    if frame.empty:
        layout["annotations"].append(message("No incidents with coordinates match these filters."))
    elif binned:
        top = int(frame.incidents.max())
        size = 6 + 24 * (frame.incidents / top) ** 0.5
        data.append(
            {
                "type": POINTS,
                "uid": f"{DATA_UID}-cells",
                "x": frame.longitude.to_numpy(),
                "y": frame.latitude.to_numpy(),
                "mode": "markers",
                "name": "Incidents per cell",
                "showlegend": False,
                "marker": {
                    "size": size.to_numpy(),
                    "color": frame.incidents.to_numpy(),
                    "cmin": 0,
                    "cmax": top,
                    "colorscale": SEQUENTIAL,
                    "showscale": True,
                    "colorbar": {
                        "title": {"text": "Incidents"},
                        "thickness": 14,
                        **_bar_ticks(top),
                    },
                },
                "hovertemplate": "%{marker.color:,} incidents near %{y:.2f}°N %{x:.2f}°E"
                "<extra></extra>",
            }
        )
    else:
        data += _point_traces(frame)
    data.append(town_trace())
    map_axes(layout, frame.longitude if len(frame) else [], frame.latitude if len(frame) else [])
    layout["showlegend"] = True
    return make_figure(data, layout)


def _bar_ticks(top: int) -> dict:
    return {k: v for k, v in integer_ticks(top).items() if k in ("tick0", "dtick", "tickformat")}


SEVERAL_ACTORS = "Several actors"


def _actor_lists(frame: pd.DataFrame) -> pd.Series:
    """Per incident, the actors it counts under (``actors``; else its ``actor``)."""
    if "actors" in frame.columns:
        return frame.actors.map(
            lambda a: (
                [str(x) for x in a]
                if isinstance(a, list | np.ndarray) and len(a)
                else [UNKNOWN_ACTOR]
            )
        )
    if "actor" in frame.columns:
        return frame.actor.fillna(UNKNOWN_ACTOR).map(lambda a: [a])
    return pd.Series([[UNKNOWN_ACTOR]] * len(frame), index=frame.index)


def _point_traces(frame: pd.DataFrame) -> list[dict]:
    """One trace per actor an incident counts under (the nine with most incidents; the
    rest summed as "Other actors (N)"), disputed incidents drawn as crosses, the legend
    naming each with its count."""
    pairs = frame.assign(actor=_actor_lists(frame)).explode("actor")
    totals = pairs.actor.value_counts()
    named = [a for a in totals.index if a not in ALWAYS_SHOWN]
    if len(named) > MAX_ACTORS:
        minor = set(named[MAX_ACTORS - 1 :])
        label = f"{OTHER_ACTORS} ({len(minor)})"
        pairs = pairs.assign(actor=pairs.actor.where(~pairs.actor.isin(minor), label))
        pairs = pairs.drop_duplicates(["incident_id", "actor"])
        totals = pairs.actor.value_counts()
    traces = []
    for i, actor in enumerate(totals.index):
        group = pairs[pairs.actor == actor]
        marker = actor_marker(actor)
        traces.append(
            {
                "type": POINTS,
                "uid": f"{DATA_UID}-{i}",
                "x": group.longitude.to_numpy(),
                "y": group.latitude.to_numpy(),
                "mode": "markers",
                "name": f"{esc(actor)} ({len(group):,})",
                "marker": {
                    "size": POINT_SIZE,
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


def district_map_chart(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """A choropleth of incidents per district on the offline boundaries (the map's
    second view), the agreements' area outlined, towns named.

    ``frame``: governorate, district, incidents (``queries.district_counts``).
    Incidents whose district is unknown, or outside the mapped governorates, cannot be
    placed: the footnote says how many."""
    counts = {
        (g, d): int(n)
        for g, d, n in zip(frame.governorate, frame.district, frame.incidents, strict=True)
        if d is not None and not pd.isna(d)
    }
    districts = geo.shapes("district")
    mapped = {(g, name) for name, g, _, _ in districts}
    top = max([counts.get(k, 0) for k in mapped] + [1])
    unplaced = int(frame.incidents.sum()) - sum(counts.get(k, 0) for k in mapped)
    note = (
        f"{unplaced:,} incidents with no district, or outside the mapped governorates, are "
        "not shown."
        if unplaced
        else ""
    )
    layout = base_layout(_with_boundary_credit(text), height=620, kind="map", notes=note)
    data = []
    for name, governorate, lons, lats in districts:
        n = counts.get((governorate, name), 0)
        data.append(
            {
                "type": "scatter",
                "x": list(lons),
                "y": list(lats),
                "mode": "lines",
                "fill": "toself",
                "fillcolor": scale_color(n / top) if n else "#FFFFFF",
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
                "colorbar": {"title": {"text": "Incidents"}, "thickness": 14, **_bar_ticks(top)},
            },
        }
    )
    data.append(town_trace())
    map_axes(layout, [], [])
    layout["showlegend"] = True
    return make_figure(data, layout)


# --- laying a map out for a width -------------------------------------------------------

#: Where a town's name may go, tried in order: (x anchor, y anchor, x shift, y shift).
LABEL_PLACES = (
    ("center", "bottom", 0, 4),
    ("left", "middle", 5, 0),
    ("right", "middle", -5, 0),
    ("center", "top", 0, -4),
    ("left", "bottom", 4, 3),
    ("right", "bottom", -4, 3),
    ("left", "top", 4, -3),
    ("right", "top", -4, -3),
    ("center", "bottom", 0, 12),
    ("center", "top", 0, -12),
    ("left", "middle", 14, 0),
    ("right", "middle", -14, 0),
)


def _arrange_map(spec: dict, frame: Frame) -> None:
    layout = spec["layout"]
    fonts = frame.fonts
    lon_lo, lon_hi, lat_lo, lat_hi = layout["meta"]["region"]
    frame.left = frame.side + text_width("35.5°N", fonts.base) + 10
    frame.axis = LINE * fonts.base + 10
    ratio = layout["yaxis"]["scaleratio"]
    natural = frame.plot_width * (lat_hi - lat_lo) * ratio / (lon_hi - lon_lo)
    frame.plot_height = natural
    frame.after.append(_fit_map)


#: The share of the planned plot width the map's ranges are made for.
FIT_SLACK = 0.94


def _fit_map(spec: dict, frame: Frame, plot_h: float) -> None:
    """The latitude range widened so the map fills ``plot_h`` at equal aspect; the
    towns' names placed for this size. The range is made for a plot a little narrower
    than planned (``FIT_SLACK``), so that if Plotly's automatic margins take a few
    pixels the map narrows (the longitude axis keeps the region) instead of getting
    shorter."""
    layout = spec["layout"]
    lon_lo, lon_hi, lat_lo, lat_hi = layout["meta"]["region"]
    ratio = layout["yaxis"]["scaleratio"]
    lat_span = plot_h * (lon_hi - lon_lo) / (frame.plot_width * FIT_SLACK * ratio)
    middle = (lat_lo + lat_hi) / 2
    lat_lo, lat_hi = middle - lat_span / 2, middle + lat_span / 2
    layout["xaxis"]["range"] = [lon_lo, lon_hi]
    layout["yaxis"]["range"] = [lat_lo, lat_hi]
    # the map as drawn: the full height, the width the equal aspect gives it (centred)
    drawn_w = frame.plot_width * FIT_SLACK
    to_px = _pixels(lon_lo, lon_hi, lat_lo, lat_hi, drawn_w, plot_h)
    others = [a for a in layout.get("annotations", []) if a.get("name") != "town"]
    layout["annotations"] = others + _town_labels(spec, to_px, drawn_w, plot_h, frame)


def _pixels(lon_lo, lon_hi, lat_lo, lat_hi, width, height):
    def to_px(lon, lat):
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        return (lon - lon_lo) / (lon_hi - lon_lo) * width, (lat_hi - lat) / (
            lat_hi - lat_lo
        ) * height

    return to_px


def _obstacles(spec: dict, to_px) -> np.ndarray:
    """Incident markers and town squares as circles (x, y, radius) in plot pixels."""
    circles = []
    for trace in spec.get("data", []):
        uid = str(trace.get("uid", ""))
        if not (uid.startswith(DATA_UID) or uid == "towns"):
            continue
        x, y = to_px(values(trace["x"]), values(trace["y"]))
        size = values((trace.get("marker") or {}).get("size", POINT_SIZE))
        radius = np.broadcast_to(size.astype(float) / 2 + 1.5, x.shape)
        circles.append(np.column_stack([x, y, radius]))
    return np.vstack(circles) if circles else np.zeros((0, 3))


def _box(x, y, w, h, xanchor, yanchor, dx, dy) -> tuple[float, float, float, float]:
    """A label's box (left, top, right, bottom) in plot pixels, y down."""
    left = x + dx - {"left": 0, "center": w / 2, "right": w}[xanchor]
    top = y - dy - {"bottom": h, "middle": h / 2, "top": 0}[yanchor]
    return left, top, left + w, top + h


def _town_labels(spec: dict, to_px, width: float, plot_h: float, frame: Frame) -> list[dict]:
    """Each town's name where it meets no marker, no other name and stays in the plot."""
    px = frame.fonts.base
    circles = _obstacles(spec, to_px)
    # the plot's message (an empty map's "No incidents ..."), in the middle: no name under it
    placed: list[tuple[float, float, float, float]] = [
        _message_box(note, width, plot_h)
        for note in spec["layout"].get("annotations", [])
        if note.get("name") == MESSAGE
    ]
    labels = []
    for name, lon, lat in geo.towns():
        x, y = (float(v) for v in to_px(lon, lat))
        if not (0 <= x <= width and 0 <= y <= plot_h):
            continue
        w, h = text_width(name, px) + 2, LINE * px
        for xanchor, yanchor, dx, dy in LABEL_PLACES:
            box = _box(x, y, w, h, xanchor, yanchor, dx, dy)
            if _free(box, circles, placed, width, plot_h):
                placed.append(box)
                labels.append(
                    {
                        "name": "town",
                        "text": esc(name),
                        "x": lon,
                        "y": lat,
                        "xref": "x",
                        "yref": "y",
                        "xanchor": xanchor,
                        "yanchor": yanchor,
                        "xshift": dx,
                        "yshift": dy,
                        "showarrow": False,
                        "font": {"size": px, "color": "#222222", "shadow": TOWN_LABEL_HALO},
                    }
                )
                break
    return labels


def _message_box(note: dict, width: float, height: float) -> tuple[float, float, float, float]:
    """The box of a ``MESSAGE`` annotation (wrapped by ``arrange``) in plot pixels."""
    px = note["font"]["size"]
    lines = [html.unescape(line) for line in note["text"].split("<br>")]
    w, h = widest(lines, px) + 12, LINE * px * len(lines) + 8
    return (width - w) / 2, (height - h) / 2, (width + w) / 2, (height + h) / 2


def _free(box, circles: np.ndarray, placed, width: float, height: float) -> bool:
    left, top, right, bottom = box
    if left < 1 or top < 1 or right > width - 1 or bottom > height - 1:
        return False
    if any(left < r and l < right and top < b and t < bottom for l, t, r, b in placed):  # noqa: E741
        return False
    if len(circles):
        cx = np.clip(circles[:, 0], left, right)
        cy = np.clip(circles[:, 1], top, bottom)
        near = (circles[:, 0] - cx) ** 2 + (circles[:, 1] - cy) ** 2 < circles[:, 2] ** 2
        if near.any():
            return False
    return True


KINDS["map"] = _arrange_map
