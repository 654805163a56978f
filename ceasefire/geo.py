"""The map's offline reference layers: boundaries, towns and the agreements' area.

``data/boundaries_nw.geojson`` is a simplified copy of the OCHA COD-AB governorate and
district boundaries (CC BY-IGO 3.0, redistributed with attribution) for the four
governorates the tracker maps, plus the main towns; ``tools/build_boundaries.py``
builds it from ``../shared/data/boundaries``. Nothing is fetched at run time: the
page, the PNG/SVG/PDF export and the CLI draw the same shapes from this file.
"""

from __future__ import annotations

import functools
import json

from .tables.db import PROJECT_ROOT

BOUNDARIES = PROJECT_ROOT / "data" / "boundaries_nw.geojson"
#: What the map's footer credits.
BOUNDARY_CREDIT = "Boundaries: OCHA COD-AB (CC BY-IGO 3.0), simplified"


@functools.lru_cache(maxsize=1)
def boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


@functools.lru_cache(maxsize=4)
def shapes(level: str) -> tuple[tuple[str, str, tuple, tuple], ...]:
    """(name, governorate, longitudes, latitudes) per area of ``level``; a None
    separates the rings of a multi-part area (as Plotly draws a broken line)."""
    out = []
    for feature in boundaries()["features"]:
        p = feature["properties"]
        if p["level"] != level:
            continue
        lons: list[float | None] = []
        lats: list[float | None] = []
        for ring in _rings(feature["geometry"]):
            if lons:
                lons.append(None)
                lats.append(None)
            lons += [c[0] for c in ring]
            lats += [c[1] for c in ring]
        out.append((p["name"], p["governorate"], tuple(lons), tuple(lats)))
    return tuple(out)


def towns() -> list[tuple[str, float, float]]:
    """(name, longitude, latitude) of the labelled towns."""
    return [
        (f["properties"]["name"], *f["geometry"]["coordinates"])
        for f in boundaries()["features"]
        if f["properties"]["level"] == "town"
    ]


@functools.lru_cache(maxsize=1)
def agreement_area() -> tuple[tuple[str, str | None], ...]:
    """The agreements' area as (governorate, district or None for all of it)."""
    from .agreements import read_toml

    return tuple(read_toml()[1])


def in_area(governorate: str, district: str) -> bool:
    return any(g == governorate and (d is None or d == district) for g, d in agreement_area())


#: The region the map shows at least (the Idlib de-escalation area and its edges).
REGION = {"lon": (35.6, 37.7), "lat": (34.95, 36.75)}
