"""Build data/boundaries_nw.geojson: the map's offline boundaries and town labels.

Source: OCHA Common Operational Dataset, administrative boundaries of Syria (COD-AB,
valid 2020-12-17; ``../shared/data/boundaries/syr_adm1.geojson`` and
``syr_adm2.geojson``), licensed CC BY-IGO 3.0, which allows redistribution with
attribution. Only the four governorates the tracker maps (Idleb, Aleppo, Hama,
Lattakia) are kept, simplified with shapely (topology-preserving, tolerance
``TOLERANCE`` degrees, about 1 km) and rounded to 4 decimals, so the file stays small
and the app never fetches tiles or topojson from the internet.

Towns: the main towns of the Idlib area, labelled on the map (approximate centres,
public gazetteer coordinates; GeoNames, CC BY 4.0).

    python tools/build_boundaries.py [--source ../shared/data/boundaries]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "boundaries_nw.geojson"
GOVERNORATES = {"SY02": "Aleppo", "SY05": "Hama", "SY06": "Lattakia", "SY07": "Idleb"}
TOLERANCE = 0.01
TOWNS = [
    ("Idlib", 35.9306, 36.6339),
    ("Aleppo", 36.2012, 37.1612),
    ("Hama", 35.1318, 36.7578),
    ("Latakia", 35.5317, 35.7901),
    ("Maarat al-Numan", 35.6480, 36.6730),
    ("Saraqib", 35.8645, 36.8059),
    ("Jisr al-Shughur", 35.8143, 36.3206),
    ("Ariha", 35.8137, 36.6096),
    ("Khan Shaykhun", 35.4421, 36.6510),
    ("Kafr Nabl", 35.6140, 36.5607),
    ("Sarmada", 36.1855, 36.7223),
    ("Afrin", 36.5119, 36.8695),
    ("Azaz", 36.5859, 37.0457),
    ("Al-Bab", 36.3710, 37.5160),
    ("Muhradah", 35.2479, 36.5725),
]


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 4), round(coords[1], 4)]
    return [_round(c) for c in coords]


def _feature(geometry, **properties) -> dict:
    geom = mapping(shape(geometry).simplify(TOLERANCE, preserve_topology=True))
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geom["type"], "coordinates": _round(geom["coordinates"])},
    }


def build(source: Path) -> dict:
    adm1 = json.loads((source / "syr_adm1.geojson").read_text(encoding="utf-8"))
    adm2 = json.loads((source / "syr_adm2.geojson").read_text(encoding="utf-8"))
    features = [
        _feature(
            f["geometry"],
            level="governorate",
            name=f["properties"]["ADM1_EN"],
            pcode=f["properties"]["ADM1_PCODE"],
            governorate=f["properties"]["ADM1_EN"],
        )
        for f in adm1["features"]
        if f["properties"]["ADM1_PCODE"] in GOVERNORATES
    ]
    features += [
        _feature(
            f["geometry"],
            level="district",
            name=f["properties"]["ADM2_EN"],
            pcode=f["properties"]["ADM2_PCODE"],
            governorate=f["properties"]["ADM1_EN"],
        )
        for f in adm2["features"]
        if f["properties"]["ADM1_PCODE"] in GOVERNORATES
    ]
    features += [
        {
            "type": "Feature",
            "properties": {"level": "town", "name": name},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for name, lat, lon in TOWNS
    ]
    return {
        "type": "FeatureCollection",
        "attribution": "Boundaries: OCHA COD-AB Syria (valid 2020-12-17), CC BY-IGO 3.0, "
        f"simplified ({TOLERANCE} degrees). Towns: GeoNames, CC BY 4.0.",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared/data/boundaries")
    args = parser.parse_args()
    doc = build(args.source)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"Wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(doc['features'])} features)")


if __name__ == "__main__":
    main()
