"""One spelling for every governorate and district, with OCHA P-codes.

Sources spell places differently: ACLED writes ``Idleb`` / ``Al Mara``, UCDP
``Idlib Governorate`` / ``Maarat al-Numaan district``, Airwars ``Idlib`` (and, in a
few hand-typed rows, ``idlib``, ``Idib`` or ``Idlin``). ``data/places.csv`` lists the
OCHA COD-AB names and P-codes for north-west Syria with the spellings seen in the
real exports; matching is case- and punctuation-insensitive. A name that is not in
the table is kept as written (title-cased) with no P-code, never dropped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .tables.db import PROJECT_ROOT

PLACES_CSV = PROJECT_ROOT / "data" / "places.csv"


@dataclass(frozen=True)
class Place:
    name: str
    pcode: str | None


def _key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Ma'arat al-Numan" -> "maaratalnuman"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Place], dict[tuple[str, str], Place], dict[str, str]]:
    governorates: dict[str, Place] = {}
    districts: dict[tuple[str, str], Place] = {}
    district_parent: dict[str, str] = {}
    with open(PLACES_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            place = Place(row["name"], row["pcode"])
            names = [row["name"], *filter(None, row["aliases"].split("|"))]
            for name in names:
                if row["level"] == "governorate":
                    governorates[_key(name)] = place
                else:
                    districts[(row["parent_pcode"], _key(name))] = place
            if row["level"] == "district":
                district_parent[row["pcode"]] = row["parent_pcode"]
    return governorates, districts, district_parent


def governorate(name: str | None) -> Place | None:
    """The canonical governorate for a name as written in any source; None if blank."""
    if name is None or not name.strip() or _key(name) in ("syria", ""):
        return None
    found = _tables()[0].get(_key(name))
    return found or Place(name.strip().title() if name.islower() else name.strip(), None)


def district(name: str | None, governorate_place: Place | None) -> Place | None:
    """The canonical district, looked up within its governorate when that is known."""
    if name is None or not name.strip():
        return None
    _, districts, _ = _tables()
    key = _key(name)
    if governorate_place and governorate_place.pcode:
        found = districts.get((governorate_place.pcode, key))
        if found:
            return found
    matches = {p for (parent, k), p in districts.items() if k == key}
    if len(matches) == 1:
        return matches.pop()
    return Place(name.strip(), None)
