"""Who speaks: the reporting outlet, named outlets, organisations and their spokespeople
(rule 2 of the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import _APOS, ACTORS_CSV, canonical_actor


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


class _Sources:
    """Mixin of ``_Drafter``: sources and the attribution of sentences to them."""

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
