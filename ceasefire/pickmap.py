"""The incident editor's map for picking coordinates with a click.

Plotly reports clicks on data points only, so the map carries a grid of faint points
(the "pick grid") under the boundaries and towns: a click lands on the nearest grid
point (or on a town) and the editor takes its coordinates. The whole region is a grid
of ``REGION_STEP`` degrees (about 2 km); once the incident has coordinates the map
zooms to ``ZOOM_SPAN`` degrees (longitude, latitude) around them with a grid of ``ZOOM_STEP`` (about 500 m),
so a second click refines the first. Offline like the Overview's map (no tiles).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from . import geo
from .charts import maps

REGION_STEP = 0.02
ZOOM_STEP = 0.005
ZOOM_SPAN = (0.3, 0.15)  # degrees of longitude and latitude either side of the incident
GRID_NAME = "Click to pick"


def _grid(lon_range: tuple[float, float], lat_range: tuple[float, float], step: float):
    lons = np.round(np.arange(lon_range[0], lon_range[1] + step / 2, step), 5)
    lats = np.round(np.arange(lat_range[0], lat_range[1] + step / 2, step), 5)
    lon_grid, lat_grid = np.meshgrid(lons, lats)
    return lon_grid.ravel(), lat_grid.ravel()


def pick_range(lat: float | None, lon: float | None) -> tuple[tuple, tuple, float]:
    """(lon range, lat range, grid step) the map shows: the region, or around a point."""
    if lat is None or lon is None:
        return geo.REGION["lon"], geo.REGION["lat"], REGION_STEP
    return (
        (round(lon - ZOOM_SPAN[0], 3), round(lon + ZOOM_SPAN[0], 3)),
        (round(lat - ZOOM_SPAN[1], 3), round(lat + ZOOM_SPAN[1], 3)),
        ZOOM_STEP,
    )


def pick_map(lat: float | None = None, lon: float | None = None) -> go.Figure:
    """The map to click: boundaries, towns, the pick grid, and the current point."""
    lon_range, lat_range, step = pick_range(lat, lon)
    grid_lon, grid_lat = _grid(lon_range, lat_range, step)
    traces = [
        {
            "type": "scattergl",
            "x": grid_lon,
            "y": grid_lat,
            "mode": "markers",
            "marker": {
                "size": 6,
                "color": "rgba(0,0,0,0.05)" if step == REGION_STEP else "rgba(0,0,0,0.03)",
            },
            "name": GRID_NAME,
            "showlegend": False,
            "hovertemplate": "%{y:.3f}°N, %{x:.3f}°E<extra>click to use</extra>",
        },
        *maps.base_map(shade_area=False),
        _towns(lon_range, lat_range),
    ]
    if lat is not None and lon is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [lon],
                "y": [lat],
                "mode": "markers",
                "marker": {"size": 13, "color": "#D55E00", "symbol": "x"},
                "name": "The incident",
                "showlegend": False,
                "hovertemplate": "The incident: %{y:.4f}°N, %{x:.4f}°E<extra></extra>",
            }
        )
    layout: dict = {
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "height": 420,
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": "pan",
        "showlegend": False,
    }
    maps.map_axes(layout, [], [])
    layout["xaxis"]["range"] = list(lon_range)
    layout["yaxis"]["range"] = list(lat_range)
    return go.Figure(data=traces, layout=layout)


def _towns(lon_range: tuple, lat_range: tuple) -> dict:
    """The Overview map's towns, labelled only where the label fits inside the map (a
    town near the edge of a zoomed map keeps its marker, not a cut-off name)."""
    trace = maps.town_trace()
    lon_margin = (lon_range[1] - lon_range[0]) * 0.15
    lat_margin = (lat_range[1] - lat_range[0]) * 0.08
    trace["text"] = [
        name
        if lon_range[0] + lon_margin <= lon <= lon_range[1] - lon_margin
        and lat_range[0] <= lat <= lat_range[1] - lat_margin
        else ""
        for name, lon, lat in zip(trace["text"], trace["x"], trace["y"], strict=True)
    ]
    trace["hovertext"] = maps.town_trace()["text"]
    trace.update(mode="markers+text", textposition="top center")
    trace["textfont"] = {"size": 10, "color": "#222222"}
    return trace


def picked(selection: dict | None) -> tuple[float, float] | None:
    """(lat, lon) of the first point a map selection holds (grid point, town or the
    incident's own mark), rounded to 5 decimals; None when nothing is selected."""
    points = ((selection or {}).get("selection") or {}).get("points") or []
    for point in points:
        x, y = point.get("x"), point.get("y")
        if isinstance(x, int | float) and isinstance(y, int | float):
            return round(float(y), 5), round(float(x), 5)
    return None
