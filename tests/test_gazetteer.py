"""The gazetteer: rule-made spellings, exact and fuzzy lookup, nearest place, provenance."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest

from ceasefire import gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _rows() -> list[dict]:
    with open(ROOT / "data" / "gazetteer.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Idlib", {"Idleb", "Edlib"}),
        ("Jabal az Zawiyah", {"Jebel al-Zawiyah", "Jabal az-Zawiyah", "Jabal Zawiyah"}),
        ("Duwaila", {"Dweila"}),
        ("Jisr ash-Shughur", {"Jisr al-Shughur", "Jisr el-Shughur", "Jisr Shughur"}),
        ("Ma`arrat an Nu`man", {"Maarrat an-Numan", "Marat al-Numan"}),
        ("Harim", {"Harem"}),
    ],
)
def test_variants_by_rule(name, expected):
    assert expected <= set(gazetteer.variants(name))
    assert name not in gazetteer.variants(name)


@pytest.mark.parametrize(
    "spellings",
    [
        ("Idlib", "Idleb", "Edlib", "IDLIB"),
        ("Duwaila", "Dweila", "al-Duwaila"[3:]),
        ("Maarat al-Numan", "Ma'arrat an-Nu'man", "Maarat al Numaan", "Ma`arrat an Nu`man"),
        ("Jabal al-Zawiya", "Jebel az-Zawiyah", "Jabal az Zawiyah"),
        ("Saraqib", "Saraqeb"),
    ],
)
def test_key_folds_spellings(spellings):
    assert len({gazetteer.key(s) for s in spellings}) == 1


def test_exact_lookup_idlib_spellings():
    for spelling in ("Idlib", "Idleb", "Edlib", "idleb"):
        found = gazetteer.lookup(spelling)
        kinds = {(p.kind, p.governorate_pcode) for p in found}
        assert ("governorate", "SY07") in kinds
        assert ("town", "SY07") in kinds


def test_fuzzy_haram_is_harim_in_idleb():
    top = gazetteer.search("Haram", limit=3)
    assert top and top[0].place.name == "Harim"
    harim = [m.place for m in top if m.place.kind == "town"][0]
    assert (harim.governorate, harim.governorate_pcode) == ("Idleb", "SY07")
    assert (harim.district, harim.district_pcode) == ("Harim", "SY0703")
    assert harim.lat == pytest.approx(36.21, abs=0.02)
    assert harim.lon == pytest.approx(36.52, abs=0.02)
    assert gazetteer.resolve("Haram", kinds=("town",)) == harim


def test_fuzzy_search_other_spellings():
    assert gazetteer.search("Maarat al-Numan")[0].place.district == "Al Ma'ra"
    assert gazetteer.search("Jebel al-Zawiya")[0].place.name == "Jabal az Zawiyah"
    assert gazetteer.search("Kafranbel", limit=1)[0].place.name.startswith("Kafr N")
    assert gazetteer.search("Monday") == []
    assert gazetteer.search("") == []


def test_nearest():
    match = gazetteer.nearest(36.211, 36.521)
    assert match.place.name == "Harim" and match.score < 1
    gov = gazetteer.nearest(35.9, 36.6, kinds=("governorate",))
    assert gov.place.name == "Idleb"


def test_file_contents_are_open_sources_only_and_consistent_with_places_csv():
    rows = _rows()
    assert len(rows) > 500
    assert {r["source"] for r in rows} == {"GeoNames", "UCDP GED", "OCHA COD-AB"}
    assert {r["kind"] for r in rows} <= set(gazetteer.KINDS)
    assert {"mountain", "village", "town", "district", "governorate"} <= {r["kind"] for r in rows}
    with open(ROOT / "data" / "places.csv", newline="", encoding="utf-8") as handle:
        ocha = {r["pcode"]: r["name"] for r in csv.DictReader(handle)}
    for r in rows:
        assert r["governorate_pcode"], r
        if r["governorate_pcode"] in ocha:
            assert ocha[r["governorate_pcode"]] == r["governorate"]
        if r["district_pcode"] in ocha:
            assert ocha[r["district_pcode"]] == r["district"], r
        assert 34.5 < float(r["latitude"]) < 37.5 and 35.5 < float(r["longitude"]) < 39.5


def test_districts_agree_with_ucdp_own_coding(shared_data):
    """The point-in-polygon district of each UCDP-sourced place against UCDP's own adm_2
    for the same place (same name, same coordinates)."""
    from ceasefire import places

    coded: dict[tuple[str, float, float], str] = {}
    path = shared_data / "ucdp" / "ged_syria_nw_2018_2019.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["where_prec"] in ("1", "2") and row["adm_2"]:
                name = row["where_coordinates"].rsplit(" ", 1)[0].split("/")[0].strip()
                at = (round(float(row["latitude"]), 3), round(float(row["longitude"]), 3))
                district = places.district(row["adm_2"], places.governorate(row["adm_1"]))
                coded[(gazetteer.key(name), *at)] = district.name
    checked = agree = 0
    for r in _rows():
        at = (round(float(r["latitude"]), 3), round(float(r["longitude"]), 3))
        ucdp = coded.get((gazetteer.key(r["name"]), *at))
        if r["source"] == "UCDP GED" and ucdp:
            checked += 1
            agree += ucdp == r["district"]
    assert checked > 200
    # 19 of 461 differ, all near a district border (UCDP coded older boundaries).
    assert agree / checked > 0.95, (agree, checked)


def test_build_is_reproducible(shared_data, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "g.csv"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_gazetteer.py"),
            "--shared",
            str(shared_data),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert filecmp.cmp(out, ROOT / "data" / "gazetteer.csv", shallow=False)
