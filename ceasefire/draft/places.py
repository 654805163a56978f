"""Places (rule 7): place names in an article looked up in the gazetteer."""

from __future__ import annotations

import re

from .. import gazetteer
from .lexicon import _actor_aliases, canonical_actor
from .text import Sentence, _v

_POINT_KINDS = ("city", "town", "village", "site", "mountain", "area", "camp")


def resolve_place(name: str, admin: bool = False) -> gazetteer.Place | None:
    """The gazetteer place a name in an article means.

    A governorate's name means the governorate (Idleb, Aleppo, Hama: "in Idleb" is the
    province); a name shared by a district and its town means the town, unless
    ``admin`` (the words around it say "countryside of", "district"). Exact key matches
    first; else fuzzy (score >= 88), never for a word shaped like a nationality
    adjective (Russian, Turkish, Syrian).
    """
    found = gazetteer.lookup(name)
    if not found:
        if re.fullmatch(r"[A-Z][a-z]+(?:ian|ish|ese|ic)", name) or len(name) < 4:
            return None
        top = gazetteer.search(name, limit=6, score_cutoff=88)
        found = [m.place for m in top if m.score == top[0].score] if top else []
    if not found:
        return None
    govs = [p for p in found if p.kind == "governorate"]
    if govs:
        return govs[0]
    if admin:
        districts = [p for p in found if p.kind == "district"]
        if districts:
            return districts[0]
    points = [p for p in found if p.kind in _POINT_KINDS]
    return points[0] if points else found[0]


def _place_fields(name: str, p: gazetteer.Place, precision: str, span, rule: str) -> dict:
    lat = round(p.lat, 5) if precision not in ("district", "governorate") else None
    lon = round(p.lon, 5) if precision not in ("district", "governorate") else None
    return {
        "place_name": _v(name, span, rule=rule),
        "governorate": _v(p.governorate, span),
        "governorate_pcode": _v(p.governorate_pcode),
        "district": _v(p.district, span),
        "district_pcode": _v(p.district_pcode),
        "latitude": _v(lat, span),
        "longitude": _v(lon, span),
        "location_precision": _v(precision, span),
    }


class _Places:
    """Mixin of ``_Drafter``: the incident's place."""

    # -- place --
    def place(self, sentences: list[Sentence]) -> dict[str, dict]:
        stop = {a.lower() for a in _actor_aliases()} | {
            a.lower() for e in self.lex.raw["outlets"] for a in e["aliases"]
        }
        name = r"(?:(?:al|el|an|ad|as|ash|ar|at|az)[-\s])?[A-Z][\w'’`-]+(?:\s+(?:(?:al|el|an|ad|as|ash|ar|at|az)[-\s])?[A-Z][\w'’`-]+){0,2}"
        mountain = re.compile(rf"\b(?:Jabal|Jebel|Jbel|Mount|Mt\.?)\s+{name}")
        area = re.compile(
            r"\b(?:the\s+)?(?P<n>(?:al|el|an|ad|as|ash|ar|at|az)-[A-Z][\w'’-]+)\s+(?:area|region|mountain|hills?|plain)\b"
        )
        near_after = re.compile(
            rf"(?P<x>(?:Jabal|Jebel|Mount)\s+{name}|{name}),?\s+near\s+(?P<y>{name})"
        )
        prep = re.compile(
            rf"\b(?P<p>in|near|at|of|outside|around|on|into|towards|to)\s+(?:the\s+)?(?:(?:town|village|city|area|outskirts|countryside|vicinity)\s+of\s+)?(?P<n>{name})"
        )
        country = re.compile(rf"\bcountryside\s+of\s+(?P<n>{name})")
        cands: list[dict] = []
        named_govs: set[str] = set()

        def resolve(text_name: str, admin: bool = False):
            if text_name.lower() in stop or canonical_actor(text_name):
                return None
            return resolve_place(re.sub(r"^(?:the)\s+", "", text_name), admin=admin)

        order = 0
        for s in sentences:
            t = s.text
            for m in near_after.finditer(t):
                y = resolve(m.group("y"))
                if y is None:
                    continue
                x = m.group("x")
                if x.lower() in stop or canonical_actor(x):
                    continue
                xp = resolve(x)
                cands.append(
                    dict(
                        order=order,
                        kind="x_near_y",
                        text=f"{x}, near {m.group('y')}",
                        place=y,
                        x=xp,
                        span=(s.start + m.start(), s.start + m.end()),
                        precision="near",
                    )
                )
                order += 1
            for m in mountain.finditer(t):
                p = resolve(m.group())
                cands.append(
                    dict(
                        order=order,
                        kind="mountain",
                        text=m.group(),
                        place=p,
                        span=(s.start + m.start(), s.start + m.end()),
                        precision="near",
                    )
                )
                order += 1
            for m in area.finditer(t):
                p = resolve(m.group("n"))
                cands.append(
                    dict(
                        order=order,
                        kind="area",
                        text=m.group("n") + " area",
                        place=p,
                        span=(s.start + m.start("n"), s.start + m.end()),
                        precision="near",
                    )
                )
                order += 1
            for m in country.finditer(t):
                p = resolve(m.group("n"), admin=True)
                if p:
                    named_govs.add(p.governorate_pcode or "")
                    cands.append(
                        dict(
                            order=order,
                            kind="countryside",
                            text=m.group("n"),
                            place=p,
                            span=(s.start + m.start("n"), s.start + m.end("n")),
                            precision="district" if p.kind == "district" else "governorate",
                        )
                    )
                    order += 1
            for m in prep.finditer(t):
                if m.group("n").split()[0] in ("Jabal", "Jebel", "Mount"):
                    continue
                p = resolve(m.group("n"))
                if p is None:
                    continue
                if p.kind == "governorate":
                    named_govs.add(p.governorate_pcode or "")
                around = t[max(0, m.start() - 25) : m.start() + len(m.group("p"))]
                is_near = m.group("p") == "near" or re.search(
                    r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of$", around
                )
                precision = "near" if is_near else p.precision_default
                cands.append(
                    dict(
                        order=order,
                        kind="prep",
                        text=m.group("n"),
                        place=p,
                        span=(s.start + m.start("n"), s.start + m.end("n")),
                        precision=precision,
                    )
                )
                order += 1
        if not cands:
            return {"location_precision": _v("unknown", None, rule="no place found")}

        def in_named(c):
            p = c["place"]
            return p is not None and (not named_govs or p.governorate_pcode in named_govs)

        best = next((c for c in cands if c["kind"] == "x_near_y" and in_named(c)), None)
        if best and best["x"] is None:
            p = best["place"]
            return _place_fields(
                best["text"], p, "near", best["span"], "X, near Y: Y's coordinates"
            )
        rank = {
            "city": 0,
            "town": 0,
            "village": 0,
            "site": 0,
            "mountain": 1,
            "area": 1,
            "camp": 1,
            "district": 2,
            "governorate": 3,
        }
        known = [c for c in cands if c["place"] is not None and in_named(c)] or [
            c for c in cands if c["place"] is not None
        ]
        if best and best["x"] is not None:
            known.insert(
                0,
                dict(
                    best,
                    place=best["x"],
                    text=best["text"].split(", near")[0],
                    precision=best["x"].precision_default,
                ),
            )
        if known:
            known.sort(key=lambda c: (rank.get(c["place"].kind, 4), c["order"]))
            c = known[0]
            p = c["place"]
            unknown_local = [
                u for u in cands if u["place"] is None and u["kind"] in ("mountain", "area")
            ]
            if rank.get(p.kind, 4) >= 2 and unknown_local:
                u = unknown_local[0]
                fields = _place_fields(
                    u["text"],
                    p,
                    p.precision_default,
                    u["span"],
                    f"{u['text']!r} is not in the gazetteer; located by {p.kind}",
                )
                fields["latitude"] = _v(None, None)
                fields["longitude"] = _v(None, None)
                return fields
            return _place_fields(
                c["text"], p, c["precision"], c["span"], f"gazetteer {p.kind} {p.name!r}"
            )
        u = cands[0]
        return {
            "place_name": _v(u["text"], u["span"]),
            "location_precision": _v("unknown", None, rule="not in the gazetteer"),
        }
