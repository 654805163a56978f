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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .. import gazetteer
from .lexicon import actor_aliases, canonical_actor, lexicon
from .sentences import Sentence, spanned

_POINT_KINDS = ("city", "town", "village", "site", "mountain", "area", "camp")
_SPECIFIC = ("city", "town", "village", "site", "mountain", "area", "camp")
_ARTICLE = r"(?:al|el|an|ad|as|ash|ar|at|az)"
#: a place name as articles write it: up to three capitalised words, each perhaps after an
#: Arabic article ("Kafr Nabl", "Jisr al-Shughur", "as-Safsafah")
_NAME = rf"(?:{_ARTICLE}[-\s])?[A-Z][\w'’`-]+(?:\s+(?:{_ARTICLE}[-\s])?[A-Z][\w'’`-]+){{0,2}}"
_RANK = {
    "city": 0, "town": 0, "village": 0, "site": 0, "mountain": 1, "area": 1, "camp": 1,
    "unknown": 1, "district": 2, "governorate": 3,
}  # fmt: skip

# The patterns the rules read places with, compiled once (they were compiled on every
# sentence). Those built from the lexicon's words are in _lexicon_patterns().
_MOUNTAIN_WORD = r"(?:Jabal|Jebel|Jbel|Mount|Mt\.?)\s+"
#: "Jabal al-Zawiya", "Mount Nabi Yunis"
_MOUNTAIN = re.compile(rf"\b{_MOUNTAIN_WORD}{_NAME}")
_LEADING_MOUNTAIN_WORD = re.compile(rf"^{_MOUNTAIN_WORD}")
#: "the al-Ghab plain", "the Wadi al-Zuhur area"
_AREA = re.compile(
    rf"\b(?:the\s+)?(?P<n>(?:[A-Z][a-z]+\s+)?{_ARTICLE}-[A-Z][\w'’-]+)\s+(?:area|region|mountain|hills?|plain)\b"
)
#: "X, near Y"
_NEAR_AFTER = re.compile(
    rf"(?P<x>(?:Jabal|Jebel|Mount)\s+{_NAME}|{_NAME}),?\s+near\s+(?P<y>{_NAME})"
)
#: a name after a preposition: "in Idlib", "near the northern town of Saraqib"
_PREPOSITION = re.compile(
    rf"\b(?P<p>in|near|at|of|outside|around|on|into|towards|to|inside|within|across|throughout)\s+(?:the\s+)?"
    rf"(?:(?:(?:north|south|east|west)(?:ern|-?(?:east|west)(?:ern)?)?|nearby|border|rebel-held|opposition-held|Christian|strategic)\s+)*"
    # a country's possessive before its province: "in northwest Syria's Idlib region"
    rf"(?:(?:Syria|Turkey|Lebanon|Iraq)['’]s\s+)?"
    rf"(?:(?P<w>town|village|city|settlement|area|areas|outskirts|countryside|vicinity|villages|towns|surroundings)\s+of\s+)?(?P<n>{_NAME})"
)
_SETTLEMENT_OF = r"\b(?:village|town|settlement|villages|towns|city)\s+of\s+"
#: "the village of X" (and "the villages of X and Y")
_NAMED_VILLAGE = re.compile(
    rf"{_SETTLEMENT_OF}(?P<n>{_NAME})(?:\s+and\s+(?:the\s+(?:village|town)\s+of\s+)?(?P<n2>{_NAME}))?"
)
_NAMED_VILLAGE_ONE = re.compile(rf"{_SETTLEMENT_OF}(?P<n>{_NAME})")
_COUNTRYSIDE = re.compile(rf"\bcountryside\s+of\s+(?:neighbou?ring\s+)?(?P<n>{_NAME})")
_PROVINCE = re.compile(rf"\b(?P<n>{_NAME})\s+(?:province|governorate)\b")
_LEADING_THE = re.compile(r"^(?:the)\s+")
#: a town's preposition word: "the town of X", "the villages of X"
_TOWN_WORDS = ("town", "village", "city", "settlement", "towns", "villages")
_CITY_AFTER = re.compile(r"\s+(?:city|town)\b")
#: "north of", "south-eastern of" just before a preposition's name: in lower case it makes
#: the place near; in any case, unless "the north of", it makes the name a landmark
_COMPASS_OF = r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of$"
_NEAR_COMPASS = re.compile(_COMPASS_OF)
_LANDMARK_COMPASS = re.compile(_COMPASS_OF, re.I)
_THE_PART_OF = re.compile(r"\bthe\s+\w+\s+of$", re.I)
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:ian|ish|ese|ic)")
_WORD = re.compile(r"\w")
#: where an origin's words end: punctuation or the preposition of what was hit
_ORIGIN_END = re.compile(r"[,.;:()]|\s(?:at|on|against|toward|towards|targeting|into)\s")


@dataclass(frozen=True)
class _LexiconPatterns:
    origin: re.Pattern  # "from", "stationed in": where fire came from
    attack: re.Pattern  # an attack verb, where an origin's words end
    attack_object: re.Pattern  # "rockets hit X"
    not_places: frozenset[str]  # actors' and outlets' names, lower case


@lru_cache(maxsize=1)
def _lexicon_patterns() -> _LexiconPatterns:
    """The patterns built from the lexicon's words (read once, like the lexicon)."""
    lex = lexicon()
    verbs = "|".join(lex.raw["place_context"]["object_verbs"])
    outlets = {a.lower() for e in lex.raw["outlets"] for a in [e["name"], *e["aliases"]]}
    return _LexiconPatterns(
        origin=lex.regex(lex.raw["place_context"]["origin"]),
        attack=lex.regex(lex.raw["agentive"]["after"]),
        attack_object=re.compile(
            rf"\b(?:{verbs})\s+(?P<n>{_NAME})(?!\s+(?:province|governorate)\b)"
        ),
        not_places=frozenset({a.lower() for a in actor_aliases()} | outlets),
    )


def _lookup(name: str, admin: bool = False) -> tuple[list[gazetteer.Place], bool]:
    """(places, exact): every place a name means, exact key matches first, else the best
    fuzzy matches (score >= 88), never for a word shaped like a nationality adjective."""
    found = gazetteer.lookup(name)
    if found:
        return found, True
    if _NATIONALITY.fullmatch(name) or len(name) < 4:
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
    """The place a name means among those it may: a governorate first (a province's name
    is the province), then with ``admin`` a district, then a town or other point."""
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
    """The proposal's place fields for a gazetteer place, each value with the words it
    came from; a district or governorate has no coordinates (its centre is nowhere hit)."""
    lat = round(p.lat, 5) if precision not in ("district", "governorate") else None
    lon = round(p.lon, 5) if precision not in ("district", "governorate") else None
    return {
        "place_name": spanned(name, span, rule=rule),
        "governorate": spanned(p.governorate, span),
        "governorate_pcode": spanned(p.governorate_pcode),
        "district": spanned(p.district, span),
        "district_pcode": spanned(p.district_pcode),
        "latitude": spanned(lat, span),
        "longitude": spanned(lon, span),
        "location_precision": spanned(precision, span),
    }


def _named_governorates(cands: list[dict]) -> dict[str, dict]:
    """The governorates the text names exactly, by P-code: the first candidate of each."""
    named: dict[str, dict] = {}
    for c in cands:
        p = c["place"]
        if p is not None and p.kind == "governorate" and c["exact"]:
            named.setdefault(p.governorate_pcode or "", c)
    return named


def _drop(c: dict) -> None:
    """The candidate is no gazetteer place: a name kept as written."""
    c["place"] = None
    c["kind"] = "unknown"


def _keep_fuzzy_inside(c: dict, named_govs: dict[str, dict]) -> None:
    """A fuzzy match is kept only inside the governorates the text names (Birnas "in
    Idlib" is not Birnah in Aleppo)."""
    inside = [p for p in c["found"] if p.governorate_pcode in named_govs]
    if inside:
        c["place"] = _pick(inside)
    else:
        _drop(c)


def _homonym_far_away(c: dict, named_govs: dict[str, dict]) -> bool:
    """Whether a town of another province than the text names lies so far from it that
    it is another place of the same name the gazetteer lacks (Safsafa "in the Latakia
    governorate" is not As Safsafah of Tartous, 56 km from any Latakia place); a town
    near the border is the gazetteer's, the text misplacing it (Atareb "in Idlib")."""
    p = c["place"]
    if not (
        p is not None
        and c["exact"]
        and named_govs
        and p.kind in _SPECIFIC
        and p.governorate_pcode not in named_govs
    ):
        return False
    far = _distance_to_governorates(p, set(named_govs))
    if far is None or far <= _HOMONYM_KM:
        return False
    c["homonym"] = (p, far)
    _drop(c)
    return True


def _fuzzy_far_away(c: dict, cands: list[dict]) -> bool:
    """Whether a fuzzy match lies far from every place the text names exactly: then it is
    another place ("the Wadi al-Zuhur area on the outskirts of Binnish" is not an
    "al-Zuhur" near A'zaz)."""
    p = c["place"]
    if p is None or c["exact"]:
        return False
    exact = [
        q["place"]
        for q in cands
        if q["exact"] and q["place"] is not None and q["place"].kind in _SPECIFIC
    ]
    if (
        not exact
        or min(gazetteer.distance_km(p.lat, p.lon, q.lat, q.lon) for q in exact) <= _HOMONYM_KM
    ):
        return False
    _drop(c)
    return True


@dataclass
class _SentenceReader:
    """The place candidates of one sentence, in the order the rules below find them.

    Each candidate is a dict: ``order`` (across the act's sentences, a tie-break: first
    named wins), ``kind`` (the rule that found it: x_near_y, mountain, area,
    countryside, province, prep or unknown), ``text`` (the words), ``found`` (every
    gazetteer place they may mean), ``exact``, ``place`` (the one picked), ``span``
    (offsets in the article) and ``precision`` (None: the place's own)."""

    s: Sentence
    text: str  # the sentence's words, attribution clauses and origins blanked
    order: list[int]  # the next candidate's order, shared by an act's sentences
    unknown_towns: Callable[[], set[str]]
    out: list[dict] = field(default_factory=list)

    def read(self) -> list[dict]:
        for rule in (
            self.x_near_y,
            self.mountains,
            self.areas,
            self.countrysides,
            self.provinces,
            self.named_villages,
            self.attack_objects,
            self.prepositions,
        ):
            rule()
        return self.out

    def resolve(self, name: str, admin: bool = False) -> tuple[list[gazetteer.Place], bool]:
        """A name's places; an actor's or an outlet's name is none ("in Russia" said of
        the Russian side, "in Reuters' count")."""
        name = _LEADING_THE.sub("", name)
        if name.lower() in _lexicon_patterns().not_places or canonical_actor(name):
            return [], False
        return _lookup(name, admin)

    def add(self, kind, text, found, exact, a, b, precision=None, admin=False) -> None:
        self.out.append(
            dict(
                order=self.order[0], kind=kind, text=text, found=found, exact=exact,
                place=_pick(found, admin), span=(self.s.start + a, self.s.start + b),
                precision=precision,
            )
        )  # fmt: skip
        self.order[0] += 1

    def x_near_y(self) -> None:
        """ "X, near Y" with Y known: Y's place, and X's when the gazetteer holds it."""
        for m in _NEAR_AFTER.finditer(self.text):
            yf, yx = self.resolve(m.group("y"))
            if not yf:
                continue
            x = m.group("x")
            if x.lower() in _lexicon_patterns().not_places or canonical_actor(x):
                continue
            xf, xx = self.resolve(x)
            self.add("x_near_y", f"{x}, near {m.group('y')}", yf, yx, m.start(), m.end(), "near")
            self.out[-1]["x"] = _pick(xf) if xf and xx else None

    def mountains(self) -> None:
        """ "Jabal X" / "Mount X": the mountain, or X; one the gazetteer lacks ("Mount Nabi
        Yunis") is kept as written."""
        for m in _MOUNTAIN.finditer(self.text):
            f, x = self.resolve(m.group())
            if not f:
                f, x = self.resolve(_LEADING_MOUNTAIN_WORD.sub("", m.group()))
            if f:
                self.add("mountain", m.group(), f, x, m.start(), m.end(), "near")
            else:
                self.add("unknown", m.group(), [], False, m.start(), m.end())

    def areas(self) -> None:
        """ "the al-X area": an area, unless the gazetteer's X is a town (then "the Jisr
        al-Shughur area" is the town's region, not a place hit)."""
        for m in _AREA.finditer(self.text):
            f, x = self.resolve(m.group("n"))
            if f and not any(q.kind in ("area", "mountain") for q in f):
                continue
            self.add("area", m.group("n") + " area", f, x, m.start("n"), m.end())

    def countrysides(self) -> None:
        """ "the countryside of X": X's district (or governorate), never the town X."""
        for m in _COUNTRYSIDE.finditer(self.text):
            f, x = self.resolve(m.group("n"), admin=True)
            if f:
                p = _pick(f, admin=True)
                self.add(
                    "countryside", m.group("n"), f, x, m.start("n"), m.end("n"),
                    "district" if p.kind == "district" else "governorate", admin=True,
                )  # fmt: skip

    def provinces(self) -> None:
        """ "X province": the governorate X."""
        for m in _PROVINCE.finditer(self.text):
            f, x = self.resolve(m.group("n"), admin=True)
            if f and any(p.kind == "governorate" for p in f):
                self.add("province", m.group("n"), f, x, m.start("n"), m.end("n"), "governorate")

    def named_villages(self) -> None:
        """ "the village of X" the gazetteer lacks: kept as written (one it holds is read
        by the preposition rule)."""
        for m in _NAMED_VILLAGE.finditer(self.text):
            for g in ("n", "n2"):
                if m.group(g) and not self.resolve(m.group(g))[0]:
                    self.add("unknown", m.group(g), [], False, m.start(g), m.end(g))

    def attack_objects(self) -> None:
        """The object of an attack verb ("rockets hit X"), only when the gazetteer holds
        it exactly: a capitalised object is as often a side as a place."""
        for m in _lexicon_patterns().attack_object.finditer(self.text):
            f, x = self.resolve(m.group("n"))
            at = self.s.start + m.start("n")
            if f and x and not any(at == c["span"][0] for c in self.out):
                p = _pick(f)
                self.add("prep", m.group("n"), f, x, m.start("n"), m.end("n"), p.precision_default)

    def prepositions(self) -> None:
        """A name after in / near / at / of ...: a town's word ("the town of X") prefers
        the town; "near", "outskirts", "north of" make it near; "north of X" after
        other words is a landmark, not the place ("South of Idlib city, raids on X"),
        but "in the north of X province" is inside X."""
        t = self.text
        for m in _PREPOSITION.finditer(t):
            if m.group("n").split()[0] in ("Jabal", "Jebel", "Mount"):
                continue
            f, x = self.resolve(m.group("n"))
            if not f:
                if gazetteer.key(m.group("n")) in self.unknown_towns():
                    self.add("unknown", m.group("n"), [], False, m.start("n"), m.end("n"))
                continue
            townish = m.group("w") in _TOWN_WORDS or _CITY_AFTER.match(t[m.end("n") :])
            if townish and any(q.kind in _POINT_KINDS for q in f):
                f = [q for q in f if q.kind in _POINT_KINDS]
            p = _pick(f)
            around = t[max(0, m.start() - 25) : m.start() + len(m.group("p"))]
            is_near = (
                m.group("p") == "near"
                or _NEAR_COMPASS.search(around)
                or m.group("w") in ("outskirts", "vicinity", "surroundings")
            )
            precision = "near" if is_near else p.precision_default
            self.add("prep", m.group("n"), f, x, m.start("n"), m.end("n"), precision)
            if _LANDMARK_COMPASS.search(around) and not _THE_PART_OF.search(around):
                self.out[-1]["reference"] = True


class PlaceRules:
    """Mixin of ``_Drafter``: places read from sentences, and an act's place."""

    def _origin_blanked(self, s: Sentence) -> str:
        """The sentence's words with attribution clauses and origins blanked: where fire
        came from ("shelling from Kafr Nabl") is not where it hit."""
        chars = list(s.text)
        for x, y in s.masked:
            chars[x:y] = " " * (y - x)
        t = "".join(chars)
        pats = _lexicon_patterns()
        for m in pats.origin.finditer(t):
            rest = t[m.end() :]
            first = _WORD.search(rest)
            begin = first.start() if first else 0
            stop = _ORIGIN_END.search(rest[begin:])
            verb = pats.attack.search(rest[begin:])
            ends = [x.start() for x in (stop, verb) if x]
            end = m.end() + begin + (min(ends) if ends else len(rest) - begin)
            chars[m.start() : end] = " " * (end - m.start())
            t = "".join(chars)
        return t

    def _sentence_candidates(self, s: Sentence, order: list[int]) -> list[dict]:
        """A sentence's place candidates (see _SentenceReader); ``order`` is shared by
        the sentences of one act and advanced."""
        return _SentenceReader(s, self._origin_blanked(s), order, self._unknown_towns).read()

    def _unknown_towns(self) -> set[str]:
        """Keys of the villages the article names as "the village of X" that the
        gazetteer lacks (so that a later "in X" is the same place)."""
        if getattr(self, "_unknown_cache", None) is None:
            self._unknown_cache = set()
            for m in _NAMED_VILLAGE_ONE.finditer(self.text):
                if not _lookup(m.group("n"))[0]:
                    self._unknown_cache.add(gazetteer.key(m.group("n")))
        return self._unknown_cache

    def article_governorates(self) -> set[str]:
        """P-codes of the governorates the article names anywhere (for a village the
        gazetteer lacks, and for a name the gazetteer holds twice)."""
        if getattr(self, "_govs_cache", None) is None:
            self._govs_cache = set()
            for c in self._article_candidates():
                p = c["place"]
                if p is not None and p.kind == "governorate" and c["exact"]:
                    self._govs_cache.add(p.governorate_pcode or "")
        return self._govs_cache

    def _article_candidates(self) -> Iterator[dict]:
        """The place candidates of every sentence of the article's body (not its
        furniture or caveats)."""
        for s in self.sentences:
            if s.kind not in ("furniture", "caveat"):
                yield from self._sentence_candidates(s, [0])

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
        """An act's place fields: its sentences' candidates settled against the
        provinces the text names, then the most specific one (see the module's
        docstring)."""
        cands = self._act_candidates(sentences)
        named_govs = _named_governorates(cands)
        for c in cands:  # in order: a later candidate sees the earlier ones settled
            self._settle_place(c, cands, named_govs)
        if not any(c["place"] is not None or c["kind"] == "unknown" for c in cands):
            return {"location_precision": spanned("unknown", None, rule="no place found")}
        best = next((c for c in cands if c["kind"] == "x_near_y"), None)
        if best and best.get("x") is None:
            fields = _place_fields(
                best["text"], best["place"], "near", best["span"], "X, near Y: Y's coordinates"
            )
            return self._with_note(fields, best["place"], named_govs)
        known = [c for c in cands if c["place"] is not None]
        if best and best.get("x") is not None:  # "X, near Y" with X known: X
            x = best["x"]
            text = best["text"].split(", near")[0]
            known.insert(0, dict(best, place=x, text=text, precision=x.precision_default))
        if known:
            return self._most_specific(known, cands, named_govs)
        return self._not_in_gazetteer([c for c in cands if c["kind"] == "unknown"] or cands)

    def _act_candidates(self, sentences: list[Sentence]) -> list[dict]:
        """The candidates of an act's sentences, a sentence's landmarks left out when it
        names any other place ("South of Idlib city, raids on X": X)."""
        order = [0]
        cands: list[dict] = []
        for s in sentences:
            found = self._sentence_candidates(s, order)
            if any(not c.get("reference") for c in found):
                found = [c for c in found if not c.get("reference")]
            cands += found
        return cands

    def _settle_place(self, c: dict, cands: list[dict], named_govs: dict[str, dict]) -> None:
        """Decide which place a candidate is, if any, given the provinces the text names
        and the other candidates; a name found to be no gazetteer place becomes
        ``unknown`` (kept as written)."""
        if c["place"] is not None and not c["exact"] and named_govs:
            _keep_fuzzy_inside(c, named_govs)
        if _homonym_far_away(c, named_govs) or _fuzzy_far_away(c, cands):
            return
        same = [p for p in c["found"] if c["place"] is not None and p.kind == c["place"].kind]
        if len(same) > 1:
            # a name the gazetteer holds twice: the one in a governorate the text
            # names, else the one nearest the other places the article names
            article = set(named_govs) | self.article_governorates()
            inside = [p for p in same if p.governorate_pcode in article]
            c["place"] = inside[0] if len(inside) == 1 else self._nearest(inside or same)

    def _most_specific(self, known: list[dict], cands: list[dict], named_govs) -> dict:
        """The fields of the most specific known place (first named breaks ties); when
        that is only a district or a governorate, a village or mountain the gazetteer
        lacks is the place, located by it."""
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
                why = (
                    f"{u['text']!r} is not in the gazetteer; located by the {p.kind} the text names"
                )
                fields = _place_fields(u["text"], p, p.precision_default, u["span"], why)
                fields["latitude"] = spanned(None, None)
                fields["longitude"] = spanned(None, None)
                self._review_unknown(u)
                return fields
        rule = f"gazetteer {p.kind} {p.name!r}"
        fields = _place_fields(c["text"], p, c["precision"] or p.precision_default, c["span"], rule)
        return self._with_note(fields, p, named_govs)

    def _not_in_gazetteer(self, cands: list[dict]) -> dict:
        """The fields of a place the gazetteer lacks: kept as written, in the article's
        one governorate when it names only one (else in none), for review."""
        u = cands[0]
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
            "place_name": spanned(u["text"], u["span"], rule="not in the gazetteer"),
            "location_precision": spanned("unknown", None, rule="not in the gazetteer"),
        }

    def _review_unknown(self, u: dict) -> None:
        """Ask the reviewer to check a place kept as written, saying why it was."""
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
        for c in self._article_candidates():
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
