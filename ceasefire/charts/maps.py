"""The maps, on plain longitude/latitude axes over the offline boundaries: incidents as
points or grid cells (``map_chart``), and incidents per district (``district_map_chart``)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .. import geo
from ..colors import SEQUENTIAL
from ..filters import UNKNOWN_ACTOR
from .counts import _ALWAYS_SHOWN, MAX_ACTORS, OTHER_ACTORS, _actor_marker
from .layout import (
    ChartText,
    _figure,
    _layout,
    esc,
)


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


#: Where a town's label sits, for towns whose labels would meet another's if centred
#: above them (Maarat al-Numan and Kafr Nabl, Idlib and Ariha); the others are centred
#: above. (x anchor, y anchor, x shift, y shift in px)
TOWN_LABEL_POSITION = {
    "Maarat al-Numan": ("left", "middle", 5, 0),
    "Kafr Nabl": ("right", "middle", -5, 0),
    "Saraqib": ("left", "middle", 5, 0),
    "Ariha": ("center", "top", 0, -4),
    "Jisr al-Shughur": ("right", "middle", -5, 0),
}
#: A white halo round each town label, so it stays readable where incident markers
#: crowd round the town
TOWN_LABEL_HALO = ", ".join(f"{x}px {y}px 1px #FFFFFF" for x in (-1, 1) for y in (-1, 1))


def _town_trace() -> dict:
    """The towns' markers (named on hover); their names are ``_town_labels``."""
    towns = geo.towns()
    return {
        "type": "scatter",
        "x": [t[1] for t in towns],
        "y": [t[2] for t in towns],
        "text": [esc(t[0]) for t in towns],
        "mode": "markers",
        "marker": {"size": 4, "color": "#222222", "symbol": "square"},
        "name": "Towns",
        "showlegend": False,
        "hoverinfo": "text",
    }


def _town_labels() -> list[dict]:
    """The towns' names as annotations: drawn above every trace (incident points are
    WebGL, drawn above a scatter trace's text, which hid the names where points crowd),
    each with a white halo, placed so that no two names meet."""
    labels = []
    for name, lon, lat in geo.towns():
        xanchor, yanchor, xshift, yshift = TOWN_LABEL_POSITION.get(name, ("center", "bottom", 0, 4))
        labels.append(
            {
                "text": esc(name),
                "x": lon,
                "y": lat,
                "xref": "x",
                "yref": "y",
                "xanchor": xanchor,
                "yanchor": yanchor,
                "xshift": xshift,
                "yshift": yshift,
                "showarrow": False,
                "font": {"size": 10, "color": "#222222", "shadow": TOWN_LABEL_HALO},
                "name": "town",
            }
        )
    return labels


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
    layout["annotations"] += _town_labels()
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
    layout["annotations"] += _town_labels()
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
