"""From a news article to a draft incident with its claims (deterministic rules).

``draft_article(text, outlet=..., published=date(...))`` reads an article and proposes
an incident, one claim per source, and any second act (a retaliation) as a separate
incident. Every proposed value is ``{"value": ..., "span": [start, end]}``: the
character offsets (Python string indices) in ``text`` of the words it came from, so a
reviewer sees why. Nothing is written; the proposal goes to the incident editor
(``to_editor_proposal`` gives the shape ``editing.py`` takes), and only an editor's
confirmation saves it.

The rules, in order (the README's "Drafting an incident from an article" says the same
with their limits; the words they use are data, ``data/lexicon.toml``):

1. **Text.** HTML is stripped with BeautifulSoup (``article_text``). Paragraphs are
   lines; sentences are split at ``.!?`` followed by a capital, not after a title
   (Capt., Gen. ...). Page furniture ("Logo", "Helpful keywords") is skipped. A short
   line without final punctuation is a heading; the first is the title.
2. **Who speaks.** Each sentence belongs to one speaker, by its first cue: a named
   outlet (lexicon, or a capitalised name next to "newspaper", "channel", "news
   agency"...), a named person with an organisation ("Capt. Naji Mustafa, the National
   Liberation Front's official military spokesperson"; later "Mustafa said"), an
   unnamed source ("a military source said"), or a continuation ("He added", "The
   source added", "A news article reported") which keeps the previous speaker. Anything
   else is the outlet's own text. If the lead says the story is another outlet's
   ("... writes Baladi News") that outlet is the reporting outlet. Unnamed sources are
   relayed by the reporting outlet: their words are its claim (``source_detail`` keeps
   "a military source"). One claim per source (outlet, named outlet, organisation).
3. **Other acts.** A sentence reporting a retaliation or response with a weapon
   ("began responding ... using mortars and missiles") is a second act: offered as a
   separate incident (its own date only if the sentence gives one) and left out of the
   first. A sentence about an earlier event ("a few days ago") is left out.
4. **Blame.** An actor is blamed by a phrase naming a force or weapon ("Russian
   warplanes", "the regime's warplanes"; lexicon ``actor_phrases``) or by a plain name
   (data/actors.csv aliases, lexicon ``actor_names``) in an agentive context ("carried
   out by X", "breach by X", "X launched", "X's targeting"), unless the words before it
   make it the target ("the sites of the Russian forces"). A claim's alleged actor is
   its most often blamed actor (first mention breaks ties), as the source wrote it when
   that is a known alias, else the canonical name; others are listed for review. An
   actor name nobody knows goes to review (the store flags it when saved). Role:
   ``perpetrator`` (``party`` for "clashes between X and Y").
5. **Figures.** A number with its qualifier, bound to the casualty word before it
   ("killing 43", "wounded more than 30") or after it within ten words ("more than 60
   fighters ... were killed or wounded"). Qualifiers and vague words map to min/max
   by the lexicon (more than 30 -> min 31; up to 75 -> max 75; dozens -> 24-99).
   "Neutralized N" is at most N killed, the word kept. "Killed or wounded N" stays a
   combined figure (``killed_or_wounded_min/max``), never split. Civilian nouns also
   fill ``civilians_killed``. One source's several statements combine as constraints
   (largest minimum, smallest maximum); if they contradict, the range spans both and
   the claim is marked for review.
6. **Date.** An explicit date ("26 October 2020", "October 26") in the incident's
   sentences wins; else relative words resolved against the publication date:
   "yesterday" and "last night" are the day before, "today", "this morning", "at dawn"
   the day itself, "N days ago" N days before (dateparser), a weekday ("on Monday", "at
   dawn on Tuesday") the latest such day on or before the publication date (a Monday
   in a Tuesday article is the day before; "on Tuesday" in a Tuesday article is that
   day). Precision day. No date: None, for the editor.
7. **Place.** Place names after in/near/at/of/outside (not "from": a base planes took
   off from is not the target), mountains ("Jabal X"), areas ("al-X area") and
   "countryside of X" are looked up in the gazetteer (exact, else fuzzy >= 88).
   "X, near Y" with Y known gives place "X, near Y" at Y's coordinates, precision near;
   otherwise the most specific known place (town/village > mountain/area > district >
   governorate), precision from its kind or "near" after "near". Places in a
   governorate the article names win over places elsewhere.
8. **Weapon and target type**: the lexicon word named most often in the incident's
   sentences (first mention breaks ties); none -> "other" / "unknown".
9. **Verification**: "disputed" when two claims blame actors with nothing in common;
   else "reported". The outlet's caveats ("has not verified") are listed.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from . import gazetteer
from .store import PROJECT_ROOT

LEXICON_TOML = PROJECT_ROOT / "data" / "lexicon.toml"
ACTORS_CSV = PROJECT_ROOT / "data" / "actors.csv"

_TITLES_ABBREV = {
    "capt",
    "col",
    "gen",
    "lt",
    "maj",
    "brig",
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "sgt",
    "no",
    "u.s",
    "u.n",
    "mt",
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_APOS = "['’]"


# --- lexicon and actors --------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    raw: dict

    def words(self, table: str, key: str | None = None) -> list[str]:
        value = self.raw[table] if key is None else self.raw[table][key]
        return list(value)

    def regex(self, patterns, flags=re.I) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", flags)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(LEXICON_TOML, "rb") as handle:
        return Lexicon(tomllib.load(handle))


@lru_cache(maxsize=1)
def _actor_aliases() -> dict[str, str]:
    """alias as written -> canonical actor, from data/actors.csv and the lexicon."""
    import csv

    stop = set(lexicon().raw["actor_alias_stoplist"]["aliases"])
    out: dict[str, str] = {}
    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for alias in [row["actor"], *filter(None, row["aliases"].split("|"))]:
                alias = alias.strip()
                if alias and alias not in stop and ":" not in alias and "(" not in alias:
                    out[alias] = row["actor"]
    for actor, names in lexicon().raw["actor_names"].items():
        for name in names:
            out[name] = actor
    return out


@lru_cache(maxsize=1)
def _alias_regex() -> re.Pattern:
    aliases = sorted(_actor_aliases(), key=len, reverse=True)
    parts = []
    for alias in aliases:
        body = re.escape(alias).replace(r"\-", "[- ]").replace(r"\ ", r"\s+")
        parts.append(body if (len(alias) <= 4 and alias.isupper()) else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def canonical_actor(name: str | None) -> str | None:
    """The canonical actor for a name as written (actors.csv aliases), or None."""
    if not name:
        return None
    key = re.sub(r"\s+", " ", name.strip().lower())
    for alias, actor in _actor_aliases().items():
        if alias.lower() == key:
            return actor
    import csv

    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if key in {a.strip().lower() for a in [row["actor"], *row["aliases"].split("|")]}:
                return row["actor"]
    return None


def _is_alias(name: str) -> bool:
    import csv

    key = name.strip().lower()
    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        return any(
            key in {a.strip().lower() for a in [row["actor"], *row["aliases"].split("|")]}
            for row in csv.DictReader(handle)
        )


# --- text ----------------------------------------------------------------------------


def article_text(data: bytes | str, filename: str = "") -> str:
    """The article's text: HTML stripped with BeautifulSoup (script/style dropped, block
    elements on their own lines); plain text decoded (UTF-8, else charset-normalizer)."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("latin-1")
    else:
        text = data
    looks_html = filename.lower().endswith((".html", ".htm")) or re.match(
        r"\s*(<!doctype html|<html|<body|<p[ >]|<div[ >]|<article)", text, re.I
    )
    if looks_html:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form"]):
            tag.decompose()
        text = soup.get_text("\n")
        lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
        text = "\n\n".join(line for line in lines if line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int
    heading: bool = False
    speaker: str | None = None  # key into Draft.speakers
    cue: tuple[int, int] | None = None  # span of the words that name the speaker
    kind: str = "incident"  # incident | second | earlier | caveat | furniture
    continued: bool = False  # "He added ...": the previous speaker goes on


def split_sentences(text: str) -> list[Sentence]:
    furniture = lexicon().regex(lexicon().raw["furniture"]["patterns"])
    out: list[Sentence] = []
    para = 0
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not line.strip():
            continue
        para += 1
        base = m.start()
        stripped = line.strip()
        if furniture.search(stripped.lower()) and furniture.match(stripped.lower()):
            out.append(Sentence(base, m.end(), line, para, kind="furniture"))
            continue
        heading = len(stripped.split()) <= 14 and not re.search(r"[.!?:\"”]$", stripped)
        start = 0
        for b in re.finditer(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])", line):
            before = line[start : b.start()]
            last = re.search(r"([\w.]+)\.$", before)
            if last and last.group(1).lower().rstrip(".") in _TITLES_ABBREV:
                continue
            if re.search(r"\b[A-Z]\.$", before):  # an initial
                continue
            seg_end = b.start() + len(re.match(r"[\"”’)]*", b.group()).group())
            out.append(_sentence(base, start, seg_end, line, para, heading))
            start = b.end()
        out.append(_sentence(base, start, len(line), line, para, heading))
    return [s for s in out if s.text.strip()]


def _sentence(base, a, b, line, para, heading) -> Sentence:
    seg = line[a:b]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg.rstrip())
    return Sentence(base + a + lead, base + a + trail, seg.strip(), para, heading)


# --- proposal building blocks --------------------------------------------------------


def _v(value, span=None, **extra) -> dict:
    out = {"value": value, "span": list(span) if span else None}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


@dataclass
class Speaker:
    key: str
    source_name: str
    source_kind: str = "media"
    source_affiliation: str = "unknown"
    source_url: str | None = None
    span: tuple[int, int] | None = None
    detail: str | None = None  # "a military source", "Capt. Naji Mustafa, spokesperson"
    person: str | None = None
    known: bool = True
    relayed: list[str] = field(default_factory=list)


@dataclass
class Figure:
    field: str  # killed | wounded | civilians_killed | killed_or_wounded
    low: int | None
    high: int | None
    span: tuple[int, int]
    qualifier: str | None
    words: str
    attributed: bool


# --- the draft -------------------------------------------------------------------------


class _Drafter:
    def __init__(self, text: str, outlet: str, published: date, url: str | None, con=None):
        self.text = text
        self.outlet = outlet
        self.published = published
        self.url = url
        self.con = con
        self.lex = lexicon()
        self.sentences = split_sentences(text)
        self.speakers: dict[str, Speaker] = {}
        self.review: list[str] = []
        self.persons: dict[str, str] = {}  # surname -> speaker key

    # -- sources --
    def _outlet_entry(self, name: str) -> dict | None:
        low = name.lower().strip()
        for entry in self.lex.raw["outlets"]:
            if low in {a.lower() for a in entry["aliases"]} or low == entry["name"].lower():
                return entry
        return None

    def _registry(self, name: str) -> dict | None:
        if self.con is None:
            return None
        try:
            row = self.con.execute(
                "SELECT name, kind, affiliation, url FROM source WHERE lower(name) = lower(?)",
                [name],
            ).fetchone()
        except Exception:  # noqa: BLE001 - a store without the table: no registry
            return None
        return dict(zip(("name", "kind", "affiliation", "url"), row, strict=True)) if row else None

    def _speaker_for_outlet(self, name: str, span, described: str | None = None) -> str:
        entry = self._outlet_entry(name)
        canonical = entry["name"] if entry else name.strip()
        key = f"outlet:{canonical.lower()}"
        if key not in self.speakers:
            affiliation = None
            if described:
                for aff, pats in self.lex.raw["outlet_affiliation"].items():
                    if self.lex.regex(pats).search(described):
                        affiliation = aff
                        break
            reg = self._registry(canonical)
            sp = Speaker(
                key,
                canonical,
                source_kind=(reg or {}).get("kind") or (entry or {}).get("kind", "media"),
                source_affiliation=(reg or {}).get("affiliation")
                or affiliation
                or (entry or {}).get("affiliation", "unknown"),
                source_url=(reg or {}).get("url") or (entry or {}).get("url"),
                span=span,
                known=bool(entry or reg),
            )
            if not sp.known:
                self.review.append(
                    f"Outlet {canonical!r} is not in the source registry: check its kind and affiliation."
                )
            self.speakers[key] = sp
        return key

    def _speaker_for_org(self, org: str, span, person: str | None, post: str | None) -> str:
        actor = canonical_actor(org)
        entry = self._outlet_entry(org)
        if entry and not actor:
            key = self._speaker_for_outlet(org, span)
        else:
            name = actor or org.strip()
            key = f"org:{name.lower()}"
            if key not in self.speakers:
                side = self._actor_side(actor) if actor else None
                affiliation = {
                    "pro-government coalition": "pro-government",
                    "opposition factions": "opposition",
                    "Turkey": "Turkish state",
                }.get(side or "", "unknown")
                reg = self._registry(name)
                self.speakers[key] = Speaker(
                    key,
                    (reg or {}).get("name") or name,
                    source_kind=(reg or {}).get("kind") or ("military" if actor else "NGO"),
                    source_affiliation=(reg or {}).get("affiliation") or affiliation,
                    source_url=(reg or {}).get("url"),
                    span=span,
                    known=bool(actor or reg),
                )
                if not (actor or reg):
                    self.review.append(
                        f"Organisation {name!r} is not a known actor or source: check it."
                    )
        sp = self.speakers[key]
        if person and not sp.person:
            sp.person = person
            sp.detail = f"{person}, {post}" if post else person
        return key

    @staticmethod
    @lru_cache(maxsize=64)
    def _actor_side(actor: str) -> str | None:
        import csv

        with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["actor"] == actor:
                    return row["side"]
        return None

    def _default_speaker(self) -> str:
        return self._speaker_for_outlet(self.reporting_outlet, self.reporting_span)

    def find_reporting_outlet(self) -> None:
        """The outlet whose story this is: "... writes X" / "X reports" in the lead, else
        the outlet given."""
        self.reporting_outlet = self.outlet
        self.reporting_span = None
        for s in self.sentences[:8]:
            if s.kind == "furniture" or s.heading:
                continue
            m = re.search(
                r"(?:,|\s)\s*(?:writes|reports|reported|according to|said)\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\.?\s*$",
                s.text,
            )
            if m and m.group(1).strip() != self.outlet:
                self.reporting_outlet = m.group(1).strip()
                a = s.start + m.start(1)
                self.reporting_span = (a, a + len(m.group(1)))
                break

    def attribute(self) -> None:
        lex = self.lex
        speech = "|".join(v for v in lex.raw["speech"]["verbs"])
        outlets = sorted(
            {a for e in lex.raw["outlets"] for a in e["aliases"]}, key=len, reverse=True
        )
        outlet_re = re.compile(
            r"(?<![\w-])("
            + "|".join(re.escape(a).replace(r"\-", "[- ]") for a in outlets)
            + r")(?![\w-])"
        )
        nouns = "|".join(re.escape(n) for n in lex.raw["outlet_words"]["nouns"])
        cap = r"[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|al-[A-Z][\w'’-]*))*"
        generic_outlet = re.compile(
            rf"(?:\b(?i:{nouns})\s+(?P<a>{cap}))"
            r"|(?P<b>(?:[A-Z][\w'’-]*\s+){1,3}(?:News Agency|Agency|News|TV|Channel|Network|Radio|Daily|Times|Post|Media))\b"
            rf"|(?P<c>{cap})\s+(?:{nouns})\b"
        )
        titles = "|".join(lex.raw["people"]["titles"])
        posts = "|".join(lex.raw["people"]["posts"])
        person_a = re.compile(
            rf"(?P<person>(?:(?:{titles})\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}}),\s+(?:the|a|an)\s+"
            rf"(?P<org>{cap})(?:{_APOS}s)?\s+(?P<post>(?:[a-z]+\s+){{0,3}}(?:{posts}))\b"
        )
        person_d = re.compile(
            rf"(?P<person>(?:(?:{titles})\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}}),\s+(?:the|a|an)\s+"
            rf"(?P<post>(?:[a-z]+\s+){{0,3}}(?:{posts}))\s+(?:of|for|in|at|with)\s+(?:the\s+)?(?P<org>{cap})"
        )
        person_b = re.compile(
            rf"\b(?P<post>(?:{posts}))\s+(?:for|of)\s+(?:the\s+)?(?P<org>{cap})(?:,\s+|\s+)(?P<person>(?:(?:{titles})\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}})?"
        )
        person_c = re.compile(
            rf"(?P<org>{cap})(?:{_APOS}s)?\s+(?P<post>(?:{posts}))\s+(?P<person>(?:(?:{titles})\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){{1,2}})"
        )
        unnamed = re.compile(
            "|".join(f"(?:{p})" for p in lex.raw["unnamed_sources"]["patterns"]), re.I
        )
        continuation = re.compile(
            r"^(?:(?:In turn|Meanwhile|Later|Also),?\s+)?(?:He|She|They|It|The source|The sources|The spokes(?:man|person|woman)|The (?:agency|newspaper|channel|outlet|website|statement|report)|(?:A|The) (?:news )?(?:article|report|statement))\b[^.]{0,60}?\b(?:"
            + speech
            + r")\b"
        )
        outlet_desc = re.compile(r"([\w-]+(?:\s+[\w-]+){0,3})\s*$")

        previous: str | None = None
        for s in self.sentences:
            if s.kind == "furniture":
                continue
            t = s.text
            cues: list[tuple[int, str, tuple[int, int]]] = []  # (position, speaker key, span)
            for m in person_a.finditer(t):
                org = re.sub(f"{_APOS}s$", "", m.group("org"))
                if (
                    canonical_actor(org)
                    or self._outlet_entry(org)
                    or re.search(
                        r"(Front|Army|Forces|Ministry|Organi[sz]ation|Council|Directorate|Defence|Defense|Corps|Brigade|Division|Movement)$",
                        org,
                    )
                ):
                    person = m.group("person")
                    key = self._speaker_for_org(
                        org,
                        (s.start + m.start(), s.start + m.end()),
                        person,
                        m.group("post").strip(),
                    )
                    self.persons[person.split()[-1]] = key
                    cues.append((m.start(), key, (s.start + m.start(), s.start + m.end())))
            for rx in (person_d, person_b, person_c):
                for m in rx.finditer(t):
                    org = re.sub(f"{_APOS}s$", "", m.group("org"))
                    if canonical_actor(org) or self._outlet_entry(org):
                        person = m.group("person")
                        key = self._speaker_for_org(
                            org, (s.start + m.start(), s.start + m.end()), person, m.group("post")
                        )
                        if person:
                            self.persons[person.split()[-1]] = key
                        cues.append((m.start(), key, (s.start + m.start(), s.start + m.end())))
            for surname, key in self.persons.items():
                m = re.search(rf"\b{re.escape(surname)}\b(?=[^.]{{0,40}}\b(?:{speech})\b)", t)
                if m:
                    cues.append((m.start(), key, (s.start + m.start(), s.start + m.end())))
            for m in outlet_re.finditer(t):
                if m.group(1) == self.outlet or (
                    self.reporting_span and s.start + m.start() == self.reporting_span[0]
                ):
                    continue
                if not re.search(rf"\b(?:{speech}|through|via|told|quoted|cited)\b", t):
                    continue
                desc = outlet_desc.search(t[: m.start()])
                described = (desc.group(1) if desc else "") + " " + t[m.end() : m.end() + 30]
                key = self._speaker_for_outlet(
                    m.group(1), (s.start + m.start(), s.start + m.end()), described
                )
                cues.append((m.start(), key, (s.start + m.start(), s.start + m.end())))
            known_outlet = any(
                m.group(1) not in (self.outlet, self.reporting_outlet)
                for m in outlet_re.finditer(t)
            )
            for m in [] if known_outlet else generic_outlet.finditer(t):
                name = (m.group("a") or m.group("b") or m.group("c") or "").strip()
                name = re.sub(
                    r"^(?:[\w]+-(?:affiliated|backed|run|linked|aligned|based|owned)\s+)+", "", name
                )
                if (
                    not name
                    or self._outlet_entry(name)
                    or canonical_actor(name)
                    or name in (self.outlet, self.reporting_outlet)
                ):
                    continue
                if not re.search(rf"\b(?:{speech})\b", t):
                    continue
                desc = outlet_desc.search(t[: m.start()])
                key = self._speaker_for_outlet(
                    name,
                    (s.start + m.start(), s.start + m.end()),
                    (desc.group(1) if desc else "") + " " + m.group(),
                )
                cues.append((m.start(), key, (s.start + m.start(), s.start + m.end())))
            for m in unnamed.finditer(t):
                if re.match(r"the\s", m.group().strip(), re.I):
                    continue
                key = self._default_speaker()
                sp = self.speakers[key]
                words = re.sub(
                    r"\s+(?:said|told|reported|added|stated|confirmed)$", "", m.group().strip()
                )
                words = re.sub(r"^according to\s+", "", words, flags=re.I)
                if words.lower() not in [r.lower() for r in sp.relayed]:
                    sp.relayed.append(words)
                lead = len(m.group()) - len(m.group().lstrip())
                cues.append(
                    (m.start() + lead, key, (s.start + m.start() + lead, s.start + m.end()))
                )
            if cues:
                cues.sort(key=lambda c: c[0])
                s.speaker, s.cue = cues[0][1], cues[0][2]
            elif previous and continuation.search(t):
                s.speaker = previous
                s.continued = True
            else:
                s.speaker = self._default_speaker()
            previous = s.speaker

    # -- sentence kinds --
    def classify(self) -> None:
        lex = self.lex
        weapons = lex.regex([p for ps in lex.raw["weapons"].values() for p in ps])
        retaliation = lex.regex(lex.raw["other_acts"]["retaliation"])
        earlier = lex.regex(lex.raw["other_acts"]["earlier"])
        caveat = lex.regex(lex.raw["caveats"]["patterns"])
        for s in self.sentences:
            if s.kind == "furniture":
                continue
            if caveat.search(s.text):
                s.kind = "caveat"
            elif retaliation.search(s.text) and weapons.search(s.text):
                s.kind = "second"
            elif earlier.search(s.text):
                s.kind = "earlier"

    # -- actors --
    def blamed(self, s: Sentence) -> list[tuple[str, str, tuple[int, int], str]]:
        """(canonical actor, as written, span, role) blamed in a sentence."""
        lex = self.lex
        t = s.text
        found: list[tuple[int, int, str, str, str]] = []
        before_target = re.compile(
            r"(?:" + "|".join(lex.raw["target_context"]["before"]) + r")$", re.I
        )
        for actor, pats in lex.raw["actor_phrases"].items():
            for m in lex.regex(pats).finditer(t):
                if before_target.search(t[max(0, m.start() - 40) : m.start()]):
                    continue
                found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))
        after = "|".join(lex.raw["agentive"]["after"])
        before = "|".join(re.escape(b) for b in lex.raw["agentive"]["before"])
        for m in _alias_regex().finditer(t):
            if any(a <= m.start() < b for a, b, *_ in found):
                continue
            actor = canonical_actor(m.group()) or _actor_aliases().get(m.group())
            if not actor:
                continue
            head = t[max(0, m.start() - 40) : m.start()]
            tail = t[m.end() : m.end() + 40]
            agentive = re.search(rf"\b(?:{before})\s+(?:the\s+)?$", head, re.I) or re.match(
                rf"(?:{_APOS}s\s+(?:targeting|attack|attacks|bombing|strikes?|raids?|shelling))|(?:\s+(?:\w+\s+){{0,2}}?(?:{after})\b)",
                tail,
                re.I,
            )
            passive = re.match(r"\s+(?:\w+\s+){0,2}?(?:were|was|been|being|is|are)\s", tail)
            if before_target.search(head) or not agentive or passive:
                continue
            found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))
        if s.kind == "second":
            # a retaliation's author is the actor named before the words of retaliation
            cue = self.lex.regex(self.lex.raw["other_acts"]["retaliation"]).search(t)
            for m in _alias_regex().finditer(t[: cue.start()] if cue else ""):
                actor = canonical_actor(m.group()) or _actor_aliases().get(m.group())
                if actor and not any(a <= m.start() < b for a, b, *_ in found):
                    found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))
        if s.kind == "second" and not found and s.speaker and s.speaker.startswith("org:"):
            actor = canonical_actor(self.speakers[s.speaker].source_name)
            cue = self.lex.regex(self.lex.raw["other_acts"]["retaliation"]).search(t)
            if actor and cue:
                found.append((cue.start(), cue.end(), actor, actor, "perpetrator"))
        # actors nobody knows ("Terrorist organizations fired..."): as written, for review
        if not found:
            unknown = self.lex.regex(self.lex.raw["unknown_actors"]["patterns"])
            for m in unknown.finditer(t):
                found.append((m.start(), m.end(), None, m.group(), "perpetrator"))
                break
        clash = re.search(
            r"\bclash(?:es|ed)?\s+between\s+(.+?)\s+and\s+(.+?)(?:[,.]|\s+in\b|$)", t, re.I
        )
        out = [(a, w, (s.start + x, s.start + y), role) for x, y, a, w, role in sorted(found)]
        if clash:
            out = []
            for g in (1, 2):
                m = _alias_regex().search(clash.group(g))
                if m:
                    actor = canonical_actor(m.group()) or _actor_aliases().get(m.group())
                    x = s.start + clash.start(g) + m.start()
                    out.append((actor, m.group(), (x, x + len(m.group())), "party"))
        return out

    # -- figures --
    def figures(self, s: Sentence) -> list[Figure]:
        lex = self.lex
        cw = lex.raw["casualty_words"]
        quals = lex.raw["qualifiers"]
        vague = lex.raw["vague"]
        qual_re = "|".join(sorted((re.escape(q) for q in quals), key=len, reverse=True))
        vague_re = "|".join(sorted((re.escape(v) for v in vague), key=len, reverse=True))
        words_re = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
        qty = re.compile(
            rf"\b(?:(?P<qual>{qual_re})\s+)?(?P<num>\d[\d,]*|(?:{vague_re})|(?:{words_re})(?:[- ](?:{words_re}))?)\b(?!\s*(?:%|percent|km|kilomet|days?|hours?|years?|months?|weeks?|o'clock|am|pm|{_MONTHS})\b)",
            re.I,
        )
        combined = re.compile(r"(?:" + "|".join(cw["combined"]) + r")", re.I)
        killed = re.compile(r"(?:" + "|".join(cw["killed"]) + r")", re.I)
        wounded = re.compile(r"(?:" + "|".join(cw["wounded"]) + r")", re.I)
        upper = re.compile(r"(?:" + "|".join(cw["upper_bound_killed"]) + r")", re.I)
        civil = re.compile(r"\b(?:" + "|".join(cw["civilians"]) + r")\b", re.I)
        t = s.text
        out: list[Figure] = []
        for m in qty.finditer(t):
            raw = m.group("num").lower()
            if raw in vague:
                low, high = vague[raw]
                high = high or None
                n = None
            else:
                n = _number(raw)
                if n is None:
                    continue
                low = high = n
            left = t[max(0, m.start() - 40) : m.start()]
            lm = re.search(
                rf"\b((?:{cw_join(cw['combined'])})|(?:{cw_join(cw['upper_bound_killed'])})|(?:{cw_join(cw['killed'])})|(?:{cw_join(cw['wounded'])}))\s+(?:of\s+)?(?:the\s+)?$",
                left,
                re.I,
            )
            verb = lm.group(1) if lm else None
            right_words = None
            if verb is None:
                tail = t[m.end() : m.end() + 120]
                rm = re.match(
                    rf"((?:[\s,()]+(?!(?:and|or)\s+(?:\d|more than|at least))[\w'’()-]+){{0,10}}?)\s+(?:(?:were|was|have been|had been|are|got|been)\s+)?((?:{cw_join(cw['combined'])})|(?:{cw_join(cw['killed'])})|(?:{cw_join(cw['wounded'])}))\b",
                    tail,
                    re.I,
                )
                skipped = rm.group(1) if rm else ""
                if (
                    rm
                    and not rm.group(2).lower().endswith("ing")
                    and not re.search(r"\d|[.;]", skipped)
                    and not re.search(rf"\b(?:{words_re}|{vague_re})\b", skipped, re.I)
                    and not re.search(
                        rf"\b(?:{cw_join(cw['killed'])}|{cw_join(cw['wounded'])})\b", skipped, re.I
                    )
                ):
                    verb = rm.group(2)
                    right_words = rm
            if verb is None:
                continue
            qualifier = (m.group("qual") or "").lower() or None
            if n is not None and qualifier:
                rule = quals[qualifier]
                low, high = {
                    "more": (n + 1, None),
                    "least": (n, None),
                    "most": (None, n),
                    "fewer": (None, n - 1),
                    "exact": (n, n),
                }[rule]
            noun_zone = t[m.end() : m.end() + 25]
            is_civ = bool(civil.match(noun_zone.strip()))
            end = m.end() + (right_words.end() if right_words else 0)
            start = min(m.start(), m.start() - (len(left) - lm.start()) if lm else m.start())
            span = (s.start + start, s.start + end)
            words = t[start:end]
            attributed = s.cue is not None or s.continued
            if combined.fullmatch(verb) or (
                re.search(r"\b(?:or|and)\b", verb) and combined.search(verb)
            ):
                fld = "killed_or_wounded"
            elif upper.fullmatch(verb):
                fld = "killed"
                low, high = None, (high if high is not None else low)
                qualifier = verb.lower()
            elif killed.fullmatch(verb):
                fld = "killed"
            elif wounded.fullmatch(verb):
                fld = "wounded"
            else:
                continue
            out.append(Figure(fld, low, high, span, qualifier, words, attributed))
            if is_civ and fld == "killed":
                out.append(
                    Figure("civilians_killed", low, high, span, qualifier, words, attributed)
                )
        return out

    # -- date --
    def occurred_on(self, sentences: list[Sentence]) -> dict:
        explicit = re.compile(
            rf"\b(?P<d>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?)|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)|(?:\d{{4}}-\d{{2}}-\d{{2}}))\b"
        )
        days = "|".join(d.capitalize() for d in _WEEKDAYS)
        relative = re.compile(
            rf"\b(?P<r>(?:the day before yesterday)|yesterday|last night|overnight|today|this (?:morning|afternoon|evening)|tonight|(?:at dawn|at dusk|in the early hours|early)?\s*(?:on|last)\s+(?:{days})(?:\s+(?:morning|night|evening|afternoon))?|(?:{days})(?:\s+(?:morning|night|evening|afternoon))|(?:\w+|\d+)\s+days\s+ago|at dawn)\b",
            re.I,
        )
        sentences = [s for s in sentences if not s.heading]
        for s in sentences:
            m = explicit.search(s.text)
            if m:
                parsed = _parse_date(m.group("d"), self.published)
                if parsed:
                    a = s.start + m.start("d")
                    return _v(parsed.isoformat(), (a, a + len(m.group("d"))), rule="explicit date")
        for s in sentences:
            m = relative.search(s.text)
            if m:
                words = m.group("r").strip()
                resolved, rule = _resolve_relative(words, self.published)
                if resolved:
                    a = s.start + m.start("r") + (len(m.group("r")) - len(m.group("r").lstrip()))
                    return _v(resolved.isoformat(), (a, a + len(words)), rule=rule)
        return _v(None, None, rule="no date in the text: the editor sets it")

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

    # -- lexicon choice --
    def choose(self, table: str, sentences: list[Sentence], default: str) -> dict:
        counts: Counter = Counter()
        first: dict[str, tuple[int, int, int]] = {}
        for vocab, pats in self.lex.raw[table].items():
            rx = self.lex.regex(pats)
            for s in sentences:
                for m in rx.finditer(s.text):
                    counts[vocab] += 1
                    pos = (s.start + m.start(), s.start + m.end())
                    if vocab not in first or pos[0] < first[vocab][0]:
                        first[vocab] = pos
        if not counts:
            return _v(default, None, rule="no word of the lexicon found")
        best = sorted(counts, key=lambda v: (-counts[v], first[v][0]))[0]
        return _v(
            best,
            first[best],
            rule=f"named {counts[best]} time(s)",
            words=self.text[first[best][0] : first[best][1]],
        )

    # -- claims --
    def claims(self, sentences: list[Sentence]) -> list[dict]:
        by_speaker: dict[str, list[Sentence]] = {}
        for s in sentences:
            if not s.heading:
                by_speaker.setdefault(s.speaker or self._default_speaker(), []).append(s)
        out = []
        for key, group in by_speaker.items():
            sp = self.speakers[key]
            per = {id(s): (self.blamed(s), self.figures(s)) for s in group}
            blames = [b for s in group for b in per[id(s)][0]]
            with_figures = {b[2] for s in group if per[id(s)][1] for b in per[id(s)][0]}
            figs = [f for s in group for f in per[id(s)][1]]
            if not blames and not figs and not any(s.cue for s in group):
                continue
            claim: dict[str, Any] = {
                "source_name": _v(
                    sp.source_name, sp.span or (group[0].cue if group[0].cue else None)
                ),
                "source_kind": _v(sp.source_kind),
                "source_affiliation": _v(sp.source_affiliation),
                "source_url": _v(sp.source_url),
            }
            if sp.detail or sp.relayed:
                claim["source_detail"] = _v("; ".join(filter(None, [sp.detail, *sp.relayed])))
            if blames:
                count = Counter(b[0] for b in blames)
                firsts = {}
                for b in blames:
                    firsts.setdefault(b[0], b)
                actor = sorted(
                    count, key=lambda a: (a is None, -count[a], blames.index(firsts[a]))
                )[0]
                mentions = [b for b in blames if b[0] == actor]
                # as written: a known alias, preferably in a sentence that states figures
                written = sorted(
                    mentions,
                    key=lambda b: (not _is_alias(b[1]), b[2] not in with_figures, b[2][0]),
                )[0]
                value = written[1] if (_is_alias(written[1]) or actor is None) else actor
                claim["alleged_actor"] = _v(value, written[2], actor=actor, as_written=written[1])
                if actor is None:
                    self.review.append(
                        f"{sp.source_name} blames {written[1]!r}, which is no known actor: "
                        "it goes to the actor review queue when saved (or pick an actor)."
                    )
                claim["role"] = _v(written[3], written[2])
                others = sorted(a for a in set(count) - {actor} if a is not None)
                clash = len({b[0] for b in blames if b[3] == "party" and b[0]}) > 1
                if others and not clash:
                    claim["also_named"] = _v(others)
                    self.review.append(
                        f"{sp.source_name} also blames {', '.join(others)}: one claim per actor?"
                    )
            else:
                claim["alleged_actor"] = _v(None, None)
                claim["role"] = _v("perpetrator")
            claim.update(self._combine(sp.source_name, figs))
            spans = [[s.start, s.end] for s in group if s.cue or per[id(s)][0] or per[id(s)][1]]
            quote = " … ".join(self.text[a:b] for a, b in spans)
            claim["quote"] = _v(quote, spans[0] if spans else None, spans=spans)
            claim["published_on"] = _v(self.published.isoformat())
            parties = []
            for b in blames:
                if b[3] == "party" and b[0] and b[0] not in [p[0] for p in parties]:
                    parties.append(b)
            if len(parties) > 1:
                # a clash: one claim per party, each with the source's figures (an
                # incident's range is the lowest minimum to the highest maximum, so the
                # figures are not counted twice)
                for actor, written, span, role in parties:
                    one = dict(claim)
                    value = written if _is_alias(written) else actor
                    one["alleged_actor"] = _v(value, span, actor=actor, as_written=written)
                    one["role"] = _v(role, span)
                    one.pop("also_named", None)
                    out.append(one)
                continue
            out.append(claim)
        return out

    def _combine(self, source: str, figs: list[Figure]) -> dict:
        out: dict[str, dict] = {}
        for fld in ("killed", "wounded", "civilians_killed", "killed_or_wounded"):
            fs = [f for f in figs if f.field == fld]
            if not fs:
                continue
            lows = [f for f in fs if f.low is not None]
            highs = [f for f in fs if f.high is not None]
            lo = max(lows, key=lambda f: (f.low, f.attributed, -f.span[0])) if lows else None
            hi = min(highs, key=lambda f: (f.high, not f.attributed, f.span[0])) if highs else None
            low = lo.low if lo else None
            high = hi.high if hi else None
            if low is not None and high is not None and low > high:
                self.review.append(
                    f"{source} gives contradictory {fld.replace('_', ' ')} figures: kept the range spanning both."
                )
                low = min(f.low for f in lows)
                high = max(f.high for f in highs)
                lo = min(lows, key=lambda f: f.low)
                hi = max(highs, key=lambda f: f.high)
            if lo is None and hi is None:
                continue
            if lo is not None:
                out[f"{fld}_min"] = _v(low, lo.span, qualifier=lo.qualifier, words=lo.words)
            if hi is not None:
                out[f"{fld}_max"] = _v(high, hi.span, qualifier=hi.qualifier, words=hi.words)
        return out

    # -- incident --
    def incident(
        self, sentences: list[Sentence], claims: list[dict], title: Sentence | None
    ) -> dict:
        inc: dict[str, Any] = {}
        when = self.occurred_on(sentences)
        inc["occurred_on"] = when
        inc["date_precision"] = _v("day")
        inc.update(self.place(sentences))
        inc["weapon"] = self.choose("weapons", sentences, "other")
        inc["target_type"] = self.choose("targets", sentences, "unknown")
        actor_sets = [
            {c["alleged_actor"]["actor"]} for c in claims if c["alleged_actor"].get("actor")
        ]
        disputed = any(not (a & b) for i, a in enumerate(actor_sets) for b in actor_sets[i + 1 :])
        inc["verification"] = _v(
            "disputed" if disputed else "reported",
            None,
            rule="sources blame actors with nothing in common"
            if disputed
            else "no conflicting blame",
        )
        lead = next((s for s in sentences if not s.heading and s.kind == "incident"), None)
        if lead is not None:
            inc["description"] = _v(lead.text, (lead.start, lead.end))
        return inc

    def run(self) -> dict:
        self.find_reporting_outlet()
        self.classify()
        self.attribute()
        body = [s for s in self.sentences if s.kind == "incident"]
        title = next((s for s in self.sentences if s.heading and s.kind != "furniture"), None)
        claims = self.claims(body)
        incident = self.incident(body, claims, title)
        if incident["occurred_on"]["value"] is None:
            self.review.append("No date found: set the date.")
        caveats = [_v(s.text, (s.start, s.end)) for s in self.sentences if s.kind == "caveat"]
        others = []
        for s in self.sentences:
            if s.kind != "second":
                continue
            claims2 = self.claims([s])
            inc2 = self.incident([s], claims2, None)
            inc2["verification"] = _v("reported", None, rule="one source")
            others.append(
                {
                    "why": _v(
                        "a second act reported in the same article (a retaliation): offered separately for review",
                        (s.start, s.end),
                    ),
                    "incident": inc2,
                    "claims": claims2,
                }
            )
        sha = text_sha256(self.text)
        return {
            "article": {
                "outlet": self.outlet,
                "reporting_outlet": _v(self.reporting_outlet, self.reporting_span),
                "published": self.published.isoformat(),
                "url": self.url,
                "title": _v(title.text, (title.start, title.end)) if title else _v(None),
                "sha256": sha,
                "chars": len(self.text),
            },
            "incident": incident,
            "claims": claims,
            "caveats": caveats,
            "other_incidents": others,
            "review": self.review,
        }


def cw_join(patterns: list[str]) -> str:
    return "|".join(patterns)


def _number(raw: str) -> int | None:
    raw = raw.lower().replace(",", "")
    if raw.isdigit():
        return int(raw)
    parts = re.split(r"[- ]", raw)
    if all(p in _NUMBER_WORDS for p in parts):
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def _parse_date(words: str, published: date) -> date | None:
    import dateparser

    parsed = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(published.year, published.month, published.day),
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "DMY",
        },
    )
    return parsed.date() if parsed else None


def _resolve_relative(words: str, published: date) -> tuple[date | None, str]:
    low = words.lower()
    for i, day in enumerate(_WEEKDAYS):
        if day in low:
            back = (published.weekday() - i) % 7
            if low.startswith("last") and back == 0:
                back = 7
            return (
                published - timedelta(days=back),
                f"{day.capitalize()}: the latest {day.capitalize()} on or before the publication date",
            )
    if "day before yesterday" in low:
        return published - timedelta(days=2), "the day before yesterday: publication date - 2"
    if low in ("yesterday", "last night", "overnight"):
        return published - timedelta(days=1), f"{low}: the day before the publication date"
    if low in ("today", "tonight", "at dawn") or low.startswith("this "):
        return published, f"{low}: the publication date"
    if low.endswith("days ago"):
        parsed = _parse_date(low, published)
        return parsed, f"{low}: counted back from the publication date (dateparser)"
    return None, ""


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


def detect_published(text: str) -> date | None:
    """A publication date the text states in a line of its own near the top
    ("Published 27 October 2020", "October 27, 2020"), else None."""
    for line in text.splitlines()[:12]:
        m = re.fullmatch(
            rf"\s*(?:(?:Published|Posted|Date|Updated)(?: on)?:?\s*)?((?:\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}})|(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})|\d{{4}}-\d{{2}}-\d{{2}})\s*",
            line,
            re.I,
        )
        if m:
            parsed = _parse_date(m.group(1), date.today())
            if parsed:
                return parsed
    return None


def draft_article(
    text: str,
    *,
    outlet: str,
    published: date | None = None,
    url: str | None = None,
    con=None,
) -> dict:
    """The proposal for an article (see the module docstring). ``published`` may be
    omitted when the text states its date; otherwise ValueError. ``con``: a store whose
    source registry is consulted (read only)."""
    if published is None:
        published = detect_published(text)
        if published is None:
            raise ValueError(
                "the article states no publication date: give one (--published YYYY-MM-DD)"
            )
    return _Drafter(text, outlet, published, url, con).run()


def plain(value: Any) -> Any:
    """A proposal with every {"value": ..., "span": ...} replaced by its value."""
    if isinstance(value, dict):
        if "value" in value and "span" in value:
            return plain(value["value"])
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_INCIDENT_KEYS = (
    "occurred_on", "date_precision", "place_name", "governorate", "governorate_pcode",
    "district", "district_pcode", "latitude", "longitude", "location_precision", "weapon",
    "target_type", "description", "verification",
)  # fmt: skip
_CLAIM_KEYS = (
    "source_name", "source_kind", "source_affiliation", "source_url", "alleged_actor", "role",
    "killed_min", "killed_max", "wounded_min", "wounded_max", "civilians_killed_min",
    "civilians_killed_max", "quote", "published_on",
)  # fmt: skip


def origin_note(proposal: dict) -> str:
    """'Drafted from article …' with the article's text hash, for the change log."""
    a = proposal["article"]
    title = plain(a.get("title")) or "untitled"
    via = plain(a.get("reporting_outlet"))
    by = a["outlet"] + (f" (reporting {via})" if via and via != a["outlet"] else "")
    url = f", {a['url']}" if a.get("url") else ""
    return (
        f"Drafted from article {title!r} ({by}, {a['published']}{url}); text sha256 {a['sha256']}"
    )


def to_editor_proposal(proposal: dict, which: int = 0) -> dict:
    """The shape the incident editor and ``incident add --json`` take (editing.py):
    incident fields at the top, ``claims`` with the store's names, values still
    ``{"value", "span"}``; ``origin_id`` from the article hash (a second act gets
    ``-2``...), ``note`` = origin_note (also appended to the description, so the saved
    incident keeps it). ``which`` 0 is the main incident, 1.. the other acts."""
    part = proposal if which == 0 else proposal["other_incidents"][which - 1]
    out: dict[str, Any] = {k: part["incident"][k] for k in _INCIDENT_KEYS if k in part["incident"]}
    out["claims"] = [{k: c[k] for k in _CLAIM_KEYS if k in c} for c in part["claims"]]
    suffix = "" if which == 0 else f"-{which + 1}"
    out["origin_id"] = f"article-{proposal['article']['sha256'][:12]}{suffix}"
    out["note"] = origin_note(proposal)
    description = out.get("description") or {"value": None, "span": None}
    text = "\n\n".join(filter(None, [plain(description), out["note"]]))
    out["description"] = {**description, "value": text}
    return out


def as_text(proposal: dict, text: str) -> str:
    """A readable summary: each proposed value with the words it came from."""

    def line(label: str, v: Any) -> str:
        if not isinstance(v, dict) or "value" not in v:
            return f"  {label}: {v}"
        words = ""
        if v.get("span"):
            a, b = v["span"]
            snippet = text[a:b]
            words = f'   <- "{snippet[:90]}{"…" if len(snippet) > 90 else ""}"'
        return f"  {label}: {v['value']}{words}"

    out = [
        f"Article: {plain(proposal['article'].get('title'))} ({proposal['article']['outlet']}, "
        f"{proposal['article']['published']}), sha256 {proposal['article']['sha256'][:12]}…"
    ]
    parts = [("Incident", proposal)] + [
        (f"Other act {i}", o) for i, o in enumerate(proposal["other_incidents"], 1)
    ]
    for title, part in parts:
        out.append(f"{title}:")
        out += [line(k, v) for k, v in part["incident"].items()]
        for i, claim in enumerate(part["claims"], 1):
            out.append(f" Claim {i}:")
            out += [line(k, v) for k, v in claim.items() if k != "quote"]
    for c in proposal["caveats"]:
        out.append(f"Caveat: {c['value']}")
    for r in proposal["review"]:
        out.append(f"Review: {r}")
    return "\n".join(out)
