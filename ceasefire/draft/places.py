"""Places (rule 7): place names in an act's sentences looked up in the gazetteer.

- **Where fire came from is not the place hit.** The words after "from", "stationed
  in/at", "positioned in", "holed up in", "took off from", "withdrew to", "displaced
  from", "taken to" ... (``[place_context] origin``) up to the next clause, attack verb or
  "at / on / against" are blanked before places are read.
- Names after in / near / at / of / on, "Jabal X", "the al-X area", "countryside of X",
  "the village / town / settlement of X", and the object of an attack verb ("rockets
  hit X", ``[place_context] object_verbs``; only a name the gazetteer holds exactly)
  are candidates; names are looked up exactly in
  the gazetteer, else fuzzily (score >= 88). A fuzzy match in another governorate than
  the one the text names is dropped (Birnas "in Idlib" is not Birnah in Aleppo).
- **A town the gazetteer knows decides the governorate and district**, also when the
  text names another province; the proposal then says so beside the value (Atareb "in
  Idlib province" is in Aleppo) - when the town lies within 25 km of a place of the
  province the text names (a border town the text misplaces). Farther, the name is taken
  as another place the gazetteer lacks (Safsafa "in the Latakia governorate" is not the
  As Safsafah of Tartous): kept as written in the text's province, for review. A name
  the gazetteer holds twice is the one in a governorate the text names. A fuzzy match
  more than 25 km from every place the text names exactly is dropped.
- The most specific place wins (town or village, then mountain, area or camp, then
  district, then governorate; first named breaks ties). "X, near Y" with Y known gives
  "X, near Y" at Y's coordinates. "near Y", "east of Y" give precision near.
- A village or mountain the gazetteer lacks ("the village of Mashoun", "Mount Nabi
  Yunis") is kept as written, in the
  governorate the text names, with no coordinates; the proposal says it was not found.
"""

from __future__ import annotations

import re

from .. import gazetteer
from .lexicon import _actor_aliases, canonical_actor
from .text import Sentence, _v

_POINT_KINDS = ("city", "town", "village", "site", "mountain", "area", "camp")
_SPECIFIC = ("city", "town", "village", "site", "mountain", "area", "camp")
_NAME = r"(?:(?:al|el|an|ad|as|ash|ar|at|az)[-\s])?[A-Z][\w'’`-]+(?:\s+(?:(?:al|el|an|ad|as|ash|ar|at|az)[-\s])?[A-Z][\w'’`-]+){0,2}"
_RANK = {
    "city": 0, "town": 0, "village": 0, "site": 0, "mountain": 1, "area": 1, "camp": 1,
    "unknown": 1, "district": 2, "governorate": 3,
}  # fmt: skip


def _lookup(name: str, admin: bool = False) -> tuple[list[gazetteer.Place], bool]:
    """(places, exact): every place a name means, exact key matches first, else the best
    fuzzy matches (score >= 88), never for a word shaped like a nationality adjective."""
    found = gazetteer.lookup(name)
    if found:
        return found, True
    if re.fullmatch(r"[A-Z][a-z]+(?:ian|ish|ese|ic)", name) or len(name) < 4:
        return [], False
    top = gazetteer.search(name, limit=6, score_cutoff=88)
    return ([m.place for m in top if m.score == top[0].score] if top else []), False


#: a town the gazetteer puts in another governorate than the text names is the
#: gazetteer's when it lies within this distance of a place of the text's governorate
#: (the text misplaces a border town), else another place of the same name
_HOMONYM_KM = 25.0


def _distance_to_governorates(p: gazetteer.Place, pcodes: set[str]) -> float | None:
    """Kilometres from a place to the nearest gazetteer town or village of the given
    governorates (None when the gazetteer holds none)."""
    pts = [
        q
        for q in gazetteer.places()
        if q.governorate_pcode in pcodes and q.kind in ("city", "town", "village")
    ]
    if not pts:
        return None
    return min(gazetteer.distance_km(p.lat, p.lon, q.lat, q.lon) for q in pts)


def _pick(found: list[gazetteer.Place], admin: bool = False) -> gazetteer.Place | None:
    govs = [p for p in found if p.kind == "governorate"]
    if govs:
        return govs[0]
    if admin:
        districts = [p for p in found if p.kind == "district"]
        if districts:
            return districts[0]
    points = [p for p in found if p.kind in _POINT_KINDS]
    return points[0] if points else (found[0] if found else None)


def resolve_place(name: str, admin: bool = False) -> gazetteer.Place | None:
    """The gazetteer place a name in an article means.

    A governorate's name means the governorate (Idleb, Aleppo, Hama: "in Idleb" is the
    province); a name shared by a district and its town means the town, unless
    ``admin`` (the words around it say "countryside of", "district"). Exact key matches
    first; else fuzzy (score >= 88), never for a word shaped like a nationality
    adjective (Russian, Turkish, Syrian).
    """
    found, _ = _lookup(name, admin)
    return _pick(found, admin)


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
    """Mixin of ``_Drafter``: places read from sentences, and an act's place."""

    def _origin_blanked(self, s: Sentence) -> str:
        """The sentence's words with attribution clauses and origins blanked."""
        chars = list(s.text)
        for x, y in s.masked:
            chars[x:y] = " " * (y - x)
        t = "".join(chars)
        cues = self.lex.regex(self.lex.raw["place_context"]["origin"])
        attack = self.lex.regex(self.lex.raw["agentive"]["after"])
        for m in cues.finditer(t):
            rest = t[m.end() :]
            first = re.search(r"\w", rest)
            begin = first.start() if first else 0
            stop = re.search(
                r"[,.;:()]|\s(?:at|on|against|toward|towards|targeting|into)\s", rest[begin:]
            )
            verb = attack.search(rest[begin:])
            ends = [x.start() for x in (stop, verb) if x]
            end = m.end() + begin + (min(ends) if ends else len(rest) - begin)
            chars[m.start() : end] = " " * (end - m.start())
            t = "".join(chars)
        return t

    def _sentence_candidates(self, s: Sentence, order: list[int]) -> list[dict]:
        stop = {a.lower() for a in _actor_aliases()} | {
            a.lower() for e in self.lex.raw["outlets"] for a in [e["name"], *e["aliases"]]
        }
        name = _NAME
        mountain = re.compile(rf"\b(?:Jabal|Jebel|Jbel|Mount|Mt\.?)\s+{name}")
        area = re.compile(
            r"\b(?:the\s+)?(?P<n>(?:[A-Z][a-z]+\s+)?(?:al|el|an|ad|as|ash|ar|at|az)-[A-Z][\w'’-]+)\s+(?:area|region|mountain|hills?|plain)\b"
        )
        near_after = re.compile(
            rf"(?P<x>(?:Jabal|Jebel|Mount)\s+{name}|{name}),?\s+near\s+(?P<y>{name})"
        )
        prep = re.compile(
            rf"\b(?P<p>in|near|at|of|outside|around|on|into|towards|to|inside|within|across|throughout)\s+(?:the\s+)?"
            rf"(?:(?:(?:north|south|east|west)(?:ern|-?(?:east|west)(?:ern)?)?|nearby|border|rebel-held|opposition-held|Christian|strategic)\s+)*"
            # a country's possessive before its province: "in northwest Syria's Idlib region"
            rf"(?:(?:Syria|Turkey|Lebanon|Iraq)['’]s\s+)?"
            rf"(?:(?P<w>town|village|city|settlement|area|areas|outskirts|countryside|vicinity|villages|towns|surroundings)\s+of\s+)?(?P<n>{name})"
        )
        named_village = re.compile(
            rf"\b(?:village|town|settlement|villages|towns|city)\s+of\s+(?P<n>{name})(?:\s+and\s+(?:the\s+(?:village|town)\s+of\s+)?(?P<n2>{name}))?"
        )
        country = re.compile(rf"\bcountryside\s+of\s+(?:neighbou?ring\s+)?(?P<n>{name})")
        province = re.compile(rf"\b(?P<n>{name})\s+(?:province|governorate)\b")
        verbs = "|".join(self.lex.raw["place_context"]["object_verbs"])
        obj = re.compile(rf"\b(?:{verbs})\s+(?P<n>{name})(?!\s+(?:province|governorate)\b)")
        t = self._origin_blanked(s)
        out: list[dict] = []

        def resolve(text_name: str, admin: bool = False):
            text_name = re.sub(r"^(?:the)\s+", "", text_name)
            if text_name.lower() in stop or canonical_actor(text_name):
                return [], False
            return _lookup(text_name, admin)

        def add(kind, text, found, exact, a, b, precision=None, admin=False):
            out.append(
                dict(
                    order=order[0], kind=kind, text=text, found=found, exact=exact,
                    place=_pick(found, admin), span=(s.start + a, s.start + b), precision=precision,
                )
            )  # fmt: skip
            order[0] += 1

        for m in near_after.finditer(t):
            yf, yx = resolve(m.group("y"))
            if not yf:
                continue
            x = m.group("x")
            if x.lower() in stop or canonical_actor(x):
                continue
            xf, xx = resolve(x)
            add("x_near_y", f"{x}, near {m.group('y')}", yf, yx, m.start(), m.end(), "near")
            out[-1]["x"] = _pick(xf) if xf and xx else None
        for m in mountain.finditer(t):
            f, x = resolve(m.group())
            if not f:  # "Mount Nabi Yunis", not in the gazetteer: kept as written
                f, x = resolve(re.sub(r"^(?:Jabal|Jebel|Jbel|Mount|Mt\.?)\s+", "", m.group()))
            if f:
                add("mountain", m.group(), f, x, m.start(), m.end(), "near")
            else:
                add("unknown", m.group(), [], False, m.start(), m.end())
        for m in area.finditer(t):
            f, x = resolve(m.group("n"))
            if f and not any(q.kind in ("area", "mountain") for q in f):
                continue  # "the Jisr al-Shughur area": the town's region, not a place hit
            add("area", m.group("n") + " area", f, x, m.start("n"), m.end())
        for m in country.finditer(t):
            f, x = resolve(m.group("n"), admin=True)
            if f:
                p = _pick(f, admin=True)
                add(
                    "countryside", m.group("n"), f, x, m.start("n"), m.end("n"),
                    "district" if p.kind == "district" else "governorate", admin=True,
                )  # fmt: skip
        for m in province.finditer(t):
            f, x = resolve(m.group("n"), admin=True)
            if f and any(p.kind == "governorate" for p in f):
                add("province", m.group("n"), f, x, m.start("n"), m.end("n"), "governorate")
        for m in named_village.finditer(t):
            for g in ("n", "n2"):
                if not m.group(g):
                    continue
                f, x = resolve(m.group(g))
                if not f:
                    add("unknown", m.group(g), [], False, m.start(g), m.end(g))
        for m in obj.finditer(t):
            # the object of an attack verb, when the gazetteer holds it exactly
            f, x = resolve(m.group("n"))
            if f and x and not any(m.start("n") == c["span"][0] - s.start for c in out):
                p = _pick(f)
                add("prep", m.group("n"), f, x, m.start("n"), m.end("n"), p.precision_default)
        for m in prep.finditer(t):
            if m.group("n").split()[0] in ("Jabal", "Jebel", "Mount"):
                continue
            f, x = resolve(m.group("n"))
            if not f:
                if gazetteer.key(m.group("n")) in self._unknown_towns():
                    add("unknown", m.group("n"), [], False, m.start("n"), m.end("n"))
                continue
            townish = m.group("w") in (
                "town",
                "village",
                "city",
                "settlement",
                "towns",
                "villages",
            ) or re.match(r"\s+(?:city|town)\b", t[m.end("n") :])
            if townish and any(q.kind in _POINT_KINDS for q in f):
                f = [q for q in f if q.kind in _POINT_KINDS]
            p = _pick(f)
            around = t[max(0, m.start() - 25) : m.start() + len(m.group("p"))]
            is_near = (
                m.group("p") == "near"
                or re.search(
                    r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of$", around
                )
                or m.group("w") in ("outskirts", "vicinity", "surroundings")
            )
            precision = "near" if is_near else p.precision_default
            add("prep", m.group("n"), f, x, m.start("n"), m.end("n"), precision)
            if re.search(
                r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of$", around, re.I
            ) and not re.search(r"\bthe\s+\w+\s+of$", around, re.I):
                # "South of Idlib city, raids on X": a landmark ("in the north of
                # Latakia province" is inside it)
                out[-1]["reference"] = True
        return out

    def _unknown_towns(self) -> set[str]:
        """Keys of the villages the article names as "the village of X" that the
        gazetteer lacks (so that a later "in X" is the same place)."""
        if getattr(self, "_unknown_cache", None) is None:
            self._unknown_cache = set()
            rx = re.compile(
                rf"\b(?:village|town|settlement|villages|towns|city)\s+of\s+(?P<n>{_NAME})"
            )
            for m in rx.finditer(self.text):
                if not _lookup(m.group("n"))[0]:
                    self._unknown_cache.add(gazetteer.key(m.group("n")))
        return self._unknown_cache

    def article_governorates(self) -> set[str]:
        """P-codes of the governorates the article names anywhere (for a village the
        gazetteer lacks, and for a name the gazetteer holds twice)."""
        if getattr(self, "_govs_cache", None) is None:
            self._govs_cache = set()
            for s in self.sentences:
                if s.kind in ("furniture", "caveat"):
                    continue
                for c in self._sentence_candidates(s, [0]):
                    p = c["place"]
                    if p is not None and p.kind == "governorate" and c["exact"]:
                        self._govs_cache.add(p.governorate_pcode or "")
        return self._govs_cache

    def sentence_places(self, s: Sentence) -> tuple[list[tuple[str, str]], bool]:
        """(specific places as (gazetteer key, words), whether the sentence names only
        provinces): the places acts are told apart by (acts.py). A district's name used
        as a place, not as "the countryside of X" or "X district", is its main town (a
        district is named after it): specific."""
        cands = self._sentence_candidates(s, [0])
        if any(not c.get("reference") for c in cands):
            cands = [c for c in cands if not c.get("reference")]
        specific = []
        for c in cands:
            p = c["place"]
            town = p is not None and (
                p.kind in _SPECIFIC or (p.kind == "district" and c["kind"] == "prep")
            )
            if c["kind"] == "unknown" or town:
                key = gazetteer.key(c["text"].split(", near")[0])
                if key not in [k for k, _ in specific]:
                    specific.append((key, c["text"]))
        return specific, bool(cands) and not specific

    def sentence_governorates(self, s: Sentence) -> set[str]:
        """P-codes of the governorates a sentence's places lie in (acts.py)."""
        out = set()
        for c in self._sentence_candidates(s, [0]):
            if c["place"] is not None and not c.get("reference"):
                out.add(c["place"].governorate_pcode or "")
        return out

    # -- an act's place --
    def place(self, sentences: list[Sentence]) -> dict[str, dict]:
        order = [0]
        cands: list[dict] = []
        for s in sentences:
            found = self._sentence_candidates(s, order)
            if any(not c.get("reference") for c in found):  # a landmark is not the place
                found = [c for c in found if not c.get("reference")]
            cands += found
        named_govs: dict[str, dict] = {}
        for c in cands:
            p = c["place"]
            if p is not None and p.kind == "governorate" and c["exact"]:
                named_govs.setdefault(p.governorate_pcode or "", c)
        # a fuzzy match outside the governorates the text names is dropped
        for c in cands:
            if c["place"] is not None and not c["exact"] and named_govs:
                inside = [p for p in c["found"] if p.governorate_pcode in named_govs]
                if inside:
                    c["place"] = _pick(inside)
                else:
                    c["place"] = None
                    c["kind"] = "unknown"
            # a town far from the province the text names is another place of the same
            # name the gazetteer lacks (Safsafa "in the Latakia governorate" is not As
            # Safsafah of Tartous, 56 km from any Latakia place); a town near the border
            # is the gazetteer's, the text misplacing it (Atareb "in Idlib")
            p = c["place"]
            if (
                p is not None
                and c["exact"]
                and named_govs
                and p.kind in _SPECIFIC
                and p.governorate_pcode not in named_govs
            ):
                far = _distance_to_governorates(p, set(named_govs))
                if far is not None and far > _HOMONYM_KM:
                    c["homonym"] = (p, far)
                    c["place"] = None
                    c["kind"] = "unknown"
                    continue
            # a fuzzy match far from every place the text names exactly is another
            # place ("the Wadi al-Zuhur area on the outskirts of Binnish" is not an
            # "al-Zuhur" near A'zaz)
            if c["place"] is not None and not c["exact"]:
                exact = [
                    q["place"]
                    for q in cands
                    if q["exact"] and q["place"] is not None and q["place"].kind in _SPECIFIC
                ]
                if (
                    exact
                    and min(
                        gazetteer.distance_km(c["place"].lat, c["place"].lon, q.lat, q.lon)
                        for q in exact
                    )
                    > _HOMONYM_KM
                ):
                    c["place"] = None
                    c["kind"] = "unknown"
                    continue
            # a name the gazetteer holds twice: the one in a governorate the text names,
            # else the one nearest the other places the article names
            same = [p for p in c["found"] if c["place"] is not None and p.kind == c["place"].kind]
            if len(same) > 1:
                article = set(named_govs) | self.article_governorates()
                inside = [p for p in same if p.governorate_pcode in article]
                c["place"] = inside[0] if len(inside) == 1 else self._nearest(inside or same)
        if not cands:
            return {"location_precision": _v("unknown", None, rule="no place found")}
        if not any(c["place"] is not None or c["kind"] == "unknown" for c in cands):
            return {"location_precision": _v("unknown", None, rule="no place found")}
        best = next((c for c in cands if c["kind"] == "x_near_y"), None)
        if best and best.get("x") is None:
            fields = _place_fields(
                best["text"], best["place"], "near", best["span"], "X, near Y: Y's coordinates"
            )
            return self._with_note(fields, best["place"], named_govs)
        known = [c for c in cands if c["place"] is not None]
        if best and best.get("x") is not None:
            known.insert(
                0,
                dict(
                    best,
                    place=best["x"],
                    text=best["text"].split(", near")[0],
                    precision=best["x"].precision_default,
                ),
            )
        unknown = [c for c in cands if c["kind"] == "unknown"]
        if known:
            known.sort(key=lambda c: (_RANK.get(c["place"].kind, 4), c["order"]))
            c = known[0]
            p = c["place"]
            if _RANK.get(p.kind, 4) >= 2:
                local = [
                    u
                    for u in cands
                    if u["place"] is None and u["kind"] in ("mountain", "area", "unknown")
                ]
                if local:
                    u = local[0]
                    why = f"{u['text']!r} is not in the gazetteer; located by the {p.kind} the text names"
                    fields = _place_fields(u["text"], p, p.precision_default, u["span"], why)
                    fields["latitude"] = _v(None, None)
                    fields["longitude"] = _v(None, None)
                    self._review_unknown(u)
                    return fields
            fields = _place_fields(
                c["text"],
                p,
                c["precision"] or p.precision_default,
                c["span"],
                f"gazetteer {p.kind} {p.name!r}",
            )
            return self._with_note(fields, p, named_govs)
        u = (unknown or cands)[0]
        self._review_unknown(u)
        govs = self.article_governorates()
        if len(govs) == 1:
            gov = next(
                p
                for p in gazetteer.places()
                if p.kind == "governorate" and p.governorate_pcode in govs
            )
            why = f"{u['text']!r} is not in the gazetteer; located by the governorate the article names"
            fields = _place_fields(u["text"], gov, "governorate", u["span"], why)
            fields["governorate"] = {**fields["governorate"], "span": None}
            return fields
        return {
            "place_name": _v(u["text"], u["span"], rule="not in the gazetteer"),
            "location_precision": _v("unknown", None, rule="not in the gazetteer"),
        }

    def _review_unknown(self, u: dict) -> None:
        if u.get("homonym"):
            h, far = u["homonym"]
            self.review.append(
                f"Place: {u['text']!r} is taken as a place the gazetteer lacks: the gazetteer's "
                f"{h.name} is in {h.governorate}, {far:.0f} km from the province the text names."
            )
        else:
            self.review.append(f"{u['text']!r} is not in the gazetteer: check the place.")

    def _nearest(self, options: list) -> gazetteer.Place:
        """Of places sharing a name, the one nearest the article's other places."""
        others = []
        for s in self.sentences:
            if s.kind in ("furniture", "caveat"):
                continue
            for c in self._sentence_candidates(s, [0]):
                p = c["place"]
                if (
                    p is not None
                    and c["exact"]
                    and len(c["found"]) == 1
                    or (p is not None and p.kind == "governorate")
                ):
                    others.append(p)
        if not others:
            return options[0]
        return min(
            options,
            key=lambda o: min(gazetteer.distance_km(o.lat, o.lon, q.lat, q.lon) for q in others),
        )

    def _with_note(self, fields: dict, p, named_govs: dict) -> dict:
        """Say so beside the governorate when the text names another province."""
        others = [c for pc, c in named_govs.items() if pc and pc != p.governorate_pcode]
        if p.kind in ("governorate",) or not others or p.governorate_pcode in named_govs:
            return fields
        said = others[0]["text"]
        note = (
            f"the text places it in {said}; the gazetteer puts {p.name} in {p.governorate}"
            f" ({p.district or 'no district'}), which is kept"
        )
        fields["governorate"] = {**fields["governorate"], "note": note}
        fields["place_name"] = {**fields["place_name"], "note": note}
        self.review.append(f"Place: {note}.")
        return fields
