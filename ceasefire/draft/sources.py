"""Who speaks (rule 2 of the package docstring): the grammar of reported speech.

A sentence is cut into **segments**, each owned by one speaker, at its attribution
clauses. An attribution clause is a verb of speech (``[speech] verbs`` in the lexicon:
said, told, reported, according to, put the toll at...) with its subject:

- *leading* ("The White Helmets said that ...", "According to Kupchishin, ..."): the
  words after the verb are the subject's;
- *trailing* ("..., a war monitor said", "..., said Observatory head Rami Abdel Rahman"):
  the words before the subject are the subject's (and a participle clause after it,
  "..., told AP, calling it a targeted attack");
- *embedded* ("Claims by the White Helmets of a strike by Russian aircraft are false"):
  the words after "of" are the named source's, inside the sentence's speaker's words.

Chains: the **innermost** speaker owns the words ("The White Helmets said X, Anadolu
Agency reported": the White Helmets'; Anadolu is a relay, kept in ``source_detail``). An
unnamed inner speaker ("According to Kupchishin, local residents reported ...") is
relayed by the nearest named speaker around it, else by the outlet.

A subject resolves, in order, to: a person with an office ("Rear Admiral Vadim Kulit,
deputy chief of the Russian Center for Reconciliation") - the office, never the person
or the country; an outlet or organisation the lexicon names (its aliases, or a country
plus a ministry: "Turkey's defence ministry"); the outlet's own journalists ("SANA's
reporter", "an AFP photographer") - the outlet; a named organisation's people ("SOHR
activists", "civil defence sources") - the organisation; an organisation named by its
words ("The Syrian American Medical Society", "the town's local council") - as written;
a description of a kind ("a war monitor", "the Britain-based monitor", "rescuers", "the
ministry") - the source of that kind the article names, if any; a pronoun or "the
source", "a news article" - the previous speaker; an unnamed source (activists,
witnesses, residents, medical or local sources) - relayed; a country or its capital
("Moscow denied") - the outlet it spoke through ("through Sputnik"), else that
country's office named in the article, else no source (the outlet's words). A relative
pronoun ("which says") is no speaker. A place after the subject ("the Russian Centre for
Reconciliation at Hmeimim said") is where it sits: part of the subject. Words with no attribution are the outlet's own.

The words of every attribution clause (subject, verb, relay) are masked before blame
and figures are read, so "the Russian military said" never blames Russia.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import ACTORS_CSV, APOS, MONTHS, WEEKDAYS, canonical_actor, lexicon
from .sentences import Sentence, dateline

#: a prepositional phrase running to the end of the sentence after a verb of speech
#: ("said in a series of tweets.", "said on its Telegram channel."): an adjunct of the
#: verb, not reported words (a "that" opens a clause: "said in a statement that ...")
_ADJUNCT_TO_END = re.compile(
    r"\s*(?:in|on|at|via|through|during|over|from|with)\s+(?:(?!that\b)[^\s,;:]+\s*){1,8}[.!?\"”’]*\s*$",
    re.I,
)
#: quotation marks: a sentence with an odd number of them opens or closes a quotation
_QUOTES = re.compile(r"[\"“”]")


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
    kinds: tuple[str, ...] = ()  # "monitor", "rescue", "ministry", "centre" (coreference)
    country: str | None = None


@dataclass
class Segment:
    """Words of a sentence owned by one speaker (absolute offsets in the article)."""

    start: int
    end: int
    speaker: str
    cue: tuple[int, int] | None = None
    relays: list[str] = field(default_factory=list)  # outer speakers' names (detail)
    detail: str | None = None  # unnamed inner source's words ("local residents")


class _Cand:
    """A speaker candidate in a sentence: (start, end, priority) and its keys, resolved
    only when the candidate is chosen (resolving registers a speaker)."""

    __slots__ = ("start", "end", "prio", "_resolve", "_keys", "detail")

    def __init__(self, start, end, prio, resolve, detail=None):
        self.start, self.end, self.prio = start, end, prio
        self._resolve, self._keys, self.detail = resolve, None, detail

    def __getitem__(self, i):
        if i == 3:
            if self._keys is None:
                self._keys = (
                    list(self._resolve()) if callable(self._resolve) else list(self._resolve)
                )
            return self._keys
        if i == 4:
            return self.detail
        return (self.start, self.end, self.prio)[i]


@dataclass
class _Subject:
    start: int  # relative to the sentence
    end: int
    keys: list[str]  # speaker keys; [] = unnamed (relayed); None in keys never
    detail: str | None = None  # words of an unnamed source
    named: bool = True


_PRONOUNS = re.compile(
    r"(?:he|she|it|they|the (?:source|sources|official|officials|general|rear admiral|admiral|"
    r"spokes(?:man|person|woman)|colonel|major general|commander|director|statement|group)|"
    r"(?:a|the) (?:news )?(?:article|report|statement))",
    re.I,
)
_SELF = re.compile(r"(?:we|our (?:teams?|volunteers|correspondents?|activists|sources))", re.I)
_RELATIVE = re.compile(r"(?:which|who|that)", re.I)
_ORG_NOUNS = (
    r"Society|Cent(?:re|er)|Council|Directorate|Team|Network|Observatory|Committee|"
    r"Organi[sz]ation|Coordinators|Ministry|Agency|Office|Commission|Union|Foundation|"
    r"Association|Authority|Command|Corps|Front|Army|Movement|Brigade|Division|Room|"
    r"Coalition|Forces|Department|Institute"
)
_LOWER_ORG = (
    r"(?:council|directorate|ministry|committee|office|agency|observatory|authority|command|"
    r"province|governorate|municipality)"
)
_PRONOUN_WORD = re.compile(r"\b" + _PRONOUNS.pattern + r"\b", re.I)
_SELF_WORD = re.compile(r"\b" + _SELF.pattern + r"\b", re.I)
_RELATIVE_WORD = re.compile(r"\b" + _RELATIVE.pattern + r"\b", re.I)
#: a person's name after an office's title: "Turkish Defence Minister Hulusi Akar"
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]+(?:\s+(?:al-)?[A-Z][a-z'-]+){0,3}")
_TITLE_END = re.compile(r"(?:minister|spokes\w+|head|chief)$", re.I)
_AFFILIATION = re.compile(r"^(?:[\w]+-(?:affiliated|backed|run|linked|aligned|based|owned)\s+)+")
#: "a source in Hama police command": an unnamed source, whatever it is in
_SOURCE_IN = re.compile(r"sources?\s+(?:in|at|close\s+to|from|with|inside|on)\s", re.I)
# where the subject of "according to" and of an inverted "..., said X" ends
_ACCORDING_TO_END = re.compile(r"[,;.:]|\s+(?:that|who)\s")
_INVERTED_END = re.compile(r"[,;.:]|\s+(?:that|who|on|in|at|to)\s")
#: "According to Kupchishin, the head of the centre, ...": the subject's apposition
_APPOSITION_COMMA = re.compile(r",\s+(?:the|a|an)\s+[^,;.]{3,120}?,")
#: '..., said Rami Abdel Rahman, the head of the Observatory.'
_APPOSITION_END = re.compile(r",\s+(?:the|a|an)\s+[^,;.]{3,120}?(?=[,;.]|$)")
#: at most three words before "according to": it leads the sentence
_FEW_WORDS = re.compile(r"(?:[\w-]+\s*,?\s*){0,3}")
_THAT = re.compile(r"\bthat\s")
#: words before a verb ending in a comma or a closing quote: '"...," said X' (inverted)
_BEFORE_INVERTED = re.compile(r"[,”\"’]\s*$")
#: who was told: "told reporters", "told the Anadolu Agency"
_TOLD_WHOM = re.compile(
    r"\s+(?:the\s+|The\s+)?(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}|reporters|journalists)"
)
_CLAUSE = re.compile(r"[^.;]*")
_EMBEDDED_END = re.compile(r"\s(?:are|is|were|was)\s|[;,.]")
_RELAY = re.compile(
    r"(?:,?\s*(?:in a statement |in statements )?(?:carried|published|relayed|quoted|cited) by|"
    r"\s+(?:through|via))\s+(?P<r>(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}))(?=\s*[,.;]|\s*$)"
)


@lru_cache(maxsize=1)
def _lexicon_patterns() -> dict:
    """The patterns built from the lexicon's words, compiled once (the lexicon is read
    once): speech verbs, people's posts, outlets' names, unnamed sources..."""
    lex = lexicon()
    speech = "|".join(lex.raw["speech"]["verbs"])
    titles = "|".join(lex.raw["people"]["titles"])
    posts = "|".join(lex.raw["people"]["posts"])
    name = rf"(?:(?:(?:{titles})\.?\s+)*[A-Z][a-z]+(?:\s+(?:al-|el-|bin\s+)?[A-Z][a-z'-]+){{1,3}})"
    cap = r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|the|and|in|on)\s+)*(?:al-)?[A-Z][\w'’-]*)*"
    org = rf"(?:(?:[\w'’-]+\s+){{0,3}}{_LOWER_ORG}\b|{cap})"
    aliases = sorted(
        {a for e in lex.raw["outlets"] for a in [e["name"], *e["aliases"]]},
        key=len,
        reverse=True,
    )
    alias_parts = []
    for a in aliases:  # with their case ("A News" is not "a news article")
        alias_parts.append(re.escape(a).replace(r"\-", "[- ]").replace(r"\ ", r"\s+"))
    entry_patterns = [p for e in lex.raw["outlets"] for p in e.get("patterns", [])]
    kinds = lex.raw["coreference"]
    pat = {
        "anchor": re.compile(rf"\b(?P<v>{speech})\b", re.I),
        "person_post_org": re.compile(
            rf"(?P<person>{name}|(?<![\w-])[A-Z][a-z]+),\s+(?:the\s+|a\s+|an\s+)?(?P<post>(?:[a-z]+\s+){{0,3}}(?:{posts}))\s+(?:of|for|at|with|in)\s+(?:the\s+)?(?P<org>{org})"
        ),
        "person_org_post": re.compile(
            rf"(?P<person>{name}),\s+(?:the|a|an)\s+(?P<org>{cap}){APOS}s\s+(?P<post>(?:[a-z]+\s+){{0,3}}(?:{posts}))\b"
        ),
        "post_org_person": re.compile(
            rf"\b(?:the\s+)?(?P<post>(?:[a-z]+\s+){{0,2}}(?:{posts}))\s+(?:of|for)\s+(?:the\s+)?(?P<org>{cap})[,\s]+(?P<person>{name})"
        ),
        "org_post_person": re.compile(
            rf"(?P<org>{cap})(?:{APOS}s)?\s+(?P<post>(?:[a-z]+\s+){{0,2}}(?:{posts}))\s+(?P<person>{name})"
        ),
        "person_of_org": re.compile(rf"(?P<person>{name})\s+of\s+(?:the\s+)?(?P<org>{cap})"),
        "alias": re.compile(r"(?<![\w-])(?:" + "|".join(alias_parts) + r")(?![\w-])"),
        "entry_pattern": re.compile(
            r"(?i)(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in entry_patterns) + r")(?![\w-])"
        )
        if entry_patterns
        else None,
        "org_np": re.compile(
            rf"(?:(?<![\w-])[\w'’-]+{APOS}s\s+(?:[a-z][\w-]*\s+){{0,2}}{_LOWER_ORG}\b"
            # "the Turkish foreign ministry", "Idlib's health directorate"
            rf"|(?<![\w-])[A-Z][a-z]+\s+(?:[a-z][\w-]*\s+){{1,2}}{_LOWER_ORG}\b"
            rf"|(?<![\w-])(?:[A-Z][\w'’-]*\s+(?:(?:of|for|the|and)\s+)*){{1,6}}(?:{_ORG_NOUNS})\b)"
        ),
        "generic_outlet": re.compile(
            rf"(?:\b(?i:{'|'.join(re.escape(n) for n in lex.raw['outlet_words']['nouns'])})\s+(?P<a>{cap}))"
            r"|(?P<b>(?:[A-Z][\w'’-]*\s+){1,3}(?:News Agency|Agency|News|TV|Channel|Network|Radio|Daily|Times|Post|Media))\b"
        ),
        "unnamed": re.compile(
            r"(?<![\w-])(?:"
            + "|".join(f"(?:{p})" for p in lex.raw["unnamed_sources"]["patterns"])
            + r")(?![\w-])",
            re.I,
        ),
        "journalist": re.compile(
            r"(?:(?P<owner>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}){apos}s\s+|(?:an?|the)\s+(?P<owner2>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,2}})\s+)"
            r"(?:own\s+)?(?:correspondents?|reporters?|photographers?|journalists?|crew|team)\b"
            r"(?:\s+(?:in|at|on)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?|\s+there|\s+(?:on|at)\s+the\s+scene)?".replace(
                "{apos}", APOS
            )
        ),
        "people_of": re.compile(
            r"\s+(?:activists|sources|researchers|teams?|volunteers|correspondents|officials|workers|spokes(?:man|person|woman))\b"
            r"(?:\s+(?:in|at|on|inside)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?"
        ),
        "kinds": {
            k: re.compile(rf"(?<![\w-])(?:{'|'.join(v)})(?![\w-])", re.I) for k, v in kinds.items()
        },
        "country": {
            c: re.compile(rf"(?:{'|'.join(v['words'])})", re.I)
            for c, v in lex.raw["countries"].items()
        },
        # a country's name as a word of its own ("Russia", not "Russian-backed")
        "country_word": {
            c: re.compile(rf"(?<![\w-])(?:{'|'.join(v['words'])})(?![\w-])", re.I)
            for c, v in lex.raw["countries"].items()
        },
        "other_event": re.compile(
            "|".join(f"(?:{p})" for p in lex.raw["other_event_clauses"]["patterns"]), re.I
        ),
        "continuation": re.compile(
            "|".join(f"(?:{p})" for p in lex.raw["continuation"]["openers"]), re.I
        ),
        "embedded": re.compile(
            r"\b(?i:claims?|allegations?|accusations?|reports?|statements?)\s+(?:by|of|from)\s+(?P<src>(?:the\s+)?[A-Z][^,;:]{1,60}?)\s+(?:of|that|about)\s+"
        ),
    }
    return pat


def _owners(anchors: list[dict], length: int) -> list[tuple[int, int, dict]]:
    """The spans of a sentence each anchor owns: an embedded claim its clause, a leading
    attribution the rest of the sentence (a clause nested inside overrides it), a
    trailing one the words before it (back to the last trailing attribution) and after
    it up to the next attribution."""
    owners: list[tuple[int, int, dict]] = []
    for i, a in enumerate(anchors):
        if not a["keys"]:
            continue
        nxt = next((b["s0"] for b in anchors[i + 1 :] if b["s0"] >= a["cut"]), length)
        if a.get("embedded"):
            owners.append((a["v1"], a["embedded"], a))
        elif a["leading"]:
            owners.append((a["cut"], length, a))
        else:
            prev = [b for b in anchors[:i] if b["keys"]]
            start = max([0] + [max(b["s1"], b["cut"]) for b in prev if not b["leading"]])
            owners.append((start, a["s0"], a))
            owners.append((a["cut"], nxt, a))
    return owners


class SourceRules:
    """Mixin of ``_Drafter``: sources and the attribution of sentences to them."""

    # -- the registry of outlets and organisations --------------------------------------
    def _outlet_entry(self, name: str) -> dict | None:
        """The lexicon entry a name means: an alias (with its case, or any case for a
        name of several words), an alias the name starts with ("Russian Center for
        Reconciliation of the Opposing Sides in Syria"), or a country plus an office
        ("Turkey's defence ministry")."""
        low = re.sub(r"^(?:the\s+)", "", name.lower().strip().replace("’", "'"))
        low = re.sub(r"\s+", " ", low)
        if not low:
            return None
        for entry in self.lex.raw["outlets"]:
            aliases = [entry["name"], *entry["aliases"]]
            for alias in aliases:
                a = re.sub(r"^(?:the\s+)", "", alias.lower())
                if low == a and (" " in a or name.strip() in (alias, "the " + alias)):
                    return entry
                if low == a and a.isupper():
                    return entry
                if (
                    " " in a
                    and low.startswith(a + " ")
                    and re.match(r"(?:of|for|in|on|at|and)\b", low[len(a) + 1 :])
                ):
                    return entry
            for pattern in entry.get("patterns", []):
                if re.fullmatch(pattern, low, re.I):
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
        canonical = entry["name"] if entry else re.sub(r"^(?:the|The)\s+", "", name.strip())
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
                kinds=tuple((entry or {}).get("kinds", ())),
                country=(entry or {}).get("country"),
            )
            if not sp.known:
                self.review.append(
                    f"Outlet {canonical!r} is not in the source registry: check its kind and affiliation."
                )
            self.speakers[key] = sp
        return key

    def _state_office(self, org: str) -> tuple[str, str] | None:
        """(name, affiliation) of a state's ministry named by country and portfolio
        (lexicon [state_offices])."""
        tab = self.lex.raw["state_offices"]
        cs = "|".join(re.escape(c) for c in sorted(tab["countries"], key=len, reverse=True))
        ps = "|".join(re.escape(p) for p in sorted(tab["portfolios"], key=len, reverse=True))
        m = (
            re.fullmatch(rf"(?P<c>{cs})(?:{APOS}s?)?\s+(?P<p>{ps})\s+ministry", org, re.I)
            or re.fullmatch(rf"(?P<c>{cs})(?:{APOS}s?)?\s+ministry\s+of\s+(?P<p>{ps})", org, re.I)
            or re.fullmatch(rf"ministry\s+of\s+(?P<p>{ps})\s+of\s+(?P<c>{cs})", org, re.I)
        )
        if not m:
            return None
        adj = tab["countries"][m.group("c").lower()]
        return f"{adj} Ministry of {tab['portfolios'][m.group('p').lower()]}", tab[
            "affiliations"
        ].get(adj, "unknown")

    def _speaker_for_org(self, org: str, span, person: str | None, post: str | None) -> str:
        org = re.sub(rf"^(?:the\s+)|{APOS}s$", "", org.strip(), flags=re.I).strip()
        if org.lower() in (self.outlet.lower(), self.reporting_outlet.lower()):
            # the outlet naming itself ("The Syrian Coalition condemned ...")
            return self._default_speaker()
        office = self._state_office(org)
        if office and not self._outlet_entry(org):
            org = office[0]
            if self._outlet_entry(org) is None and f"org:{org.lower()}" not in self.speakers:
                self.speakers[f"org:{org.lower()}"] = Speaker(
                    f"org:{org.lower()}",
                    org,
                    source_kind="government",
                    source_affiliation=office[1],
                    span=span,
                    known=True,
                    kinds=("ministry",),
                    country={"Syrian": "Syria", "Russian": "Russia", "Turkish": "Turkey"}.get(
                        org.split()[0]
                    ),
                )
        entry = self._outlet_entry(org)
        actor = None if entry else canonical_actor(org)
        if entry:
            key = self._speaker_for_outlet(entry["name"], span)
        else:
            name = actor or org
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
        if person:
            self.persons[person.split()[-1]] = key
            if not sp.person:
                sp.person = person
                sp.detail = f"{person}, {post.strip()}" if post else person
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
        the outlet given ("said Thursday" names a day, not an outlet)."""
        self.reporting_outlet = self.outlet
        self.reporting_span = None
        for s in self.sentences[:8]:
            if s.kind == "furniture" or s.heading:
                continue
            m = re.search(
                r"(?:,|\s)\s*(?:writes|reports|reported|according to|said)\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\.?\s*$",
                s.text,
            )
            when = m and re.match(
                rf"(?:{'|'.join(WEEKDAYS)}|{MONTHS}|today|yesterday|tonight)\b",
                m.group(1),
                re.I,
            )
            if m and not when and m.group(1).strip() != self.outlet:
                self.reporting_outlet = m.group(1).strip()
                a = s.start + m.start(1)
                self.reporting_span = (a, a + len(m.group(1)))
                break

    # -- patterns ---------------------------------------------------------------------------
    def _patterns(self) -> dict:
        return _lexicon_patterns()

    def _prescan(self) -> None:
        """Every source the article names (for "a war monitor" before the monitor is
        named, and for a country's office)."""
        pat = self._patterns()
        self.named_in_article: list[str] = []
        for rx in (pat["alias"], pat["entry_pattern"]):
            if rx is None:
                continue
            for m in rx.finditer(self.text):
                entry = self._outlet_entry(m.group())
                if entry and entry["name"] not in self.named_in_article:
                    self.named_in_article.append(entry["name"])

    # -- subjects ------------------------------------------------------------------------
    def _candidates(self, s: Sentence, lo: int, hi: int) -> list[_Cand]:
        """Speaker candidates in s.text[lo:hi]; keys [] mean an unnamed source; a lower
        priority number wins where candidates overlap: a named person or organisation
        (0-1), a description of an outlet or office (2-3), then words that point to a
        speaker named elsewhere or to none (4-6)."""
        w = s.text[lo:hi]
        out: list[_Cand] = []

        def add(a, b, prio, resolve, detail=None):
            out.append(_Cand(lo + a, lo + b, prio, resolve, detail))

        at = s.start + lo
        self._named_candidates(w, at, add)
        self._described_candidates(w, at, add)
        self._pointing_candidates(w, add)
        return out

    def _named_candidates(self, w: str, at: int, add) -> None:
        """People with their office ("X, a spokesman for Y"), outlets and organisations
        by name, and people already named by their surname."""
        pat = self._patterns()
        for name in ("person_post_org", "person_org_post", "post_org_person", "org_post_person"):
            for m in pat[name].finditer(w):
                if self._org_ok(m.group("org")):
                    add(
                        m.start(),
                        m.end(),
                        0,
                        lambda m=m: self._org_keys(
                            m.group("org"), at + m.start(), m.group("person"), m.group("post")
                        ),
                    )
        for m in pat["person_of_org"].finditer(w):
            org = m.group("org")
            if self._outlet_entry(org) or canonical_actor(org):
                add(
                    m.start(),
                    m.end(),
                    0,
                    lambda m=m: self._org_keys(
                        m.group("org"), at + m.start(), m.group("person"), None
                    ),
                )
        for m in pat["journalist"].finditer(w):
            owner = (m.group("owner") or m.group("owner2") or "").strip()
            if owner and (
                owner.lower() in (self.outlet.lower(), self.reporting_outlet.lower())
                or (self._outlet_entry(owner) or {}).get("name")
                in (self.outlet, self.reporting_outlet)
            ):
                add(m.start(), m.end(), 0, lambda: [self._default_speaker()])
        for rx in (pat["alias"], pat["entry_pattern"]):
            if rx is None:
                continue
            for m in rx.finditer(w):
                entry = self._outlet_entry(m.group())
                if not entry:
                    continue
                end = m.end()
                people = pat["people_of"].match(w, end)
                if people:
                    end = people.end()
                named = _NAME_AFTER.match(w[end:])
                if named and _TITLE_END.search(m.group()):
                    end += named.end()  # "Turkish Defence Minister Hulusi Akar"
                desc = w[max(0, m.start() - 40) : m.start()] + " " + w[m.end() : m.end() + 30]
                add(
                    m.start(),
                    end,
                    1,
                    lambda e=entry, m=m, d=desc: [
                        self._speaker_for_outlet(e["name"], (at + m.start(), at + m.end()), d)
                    ],
                )
        for surname, key in self.persons.items():
            for m in re.finditer(rf"\b{re.escape(surname)}\b", w):
                add(m.start(), m.end(), 1, [key])

    def _described_candidates(self, w: str, at: int, add) -> None:
        """Outlets and offices described rather than named ("the state news agency
        SANA", "Idlib's health directorate") and kinds of source ("a war monitor")."""
        pat = self._patterns()
        for m in pat["generic_outlet"].finditer(w):
            nm = _AFFILIATION.sub("", (m.group("a") or m.group("b") or "").strip())
            if not nm or canonical_actor(nm) or self._outlet_entry(nm):
                continue
            if nm in (self.outlet, self.reporting_outlet):
                add(m.start(), m.end(), 2, lambda: [self._default_speaker()])
            else:
                add(
                    m.start(),
                    m.end(),
                    2,
                    lambda nm=nm, m=m: [
                        self._speaker_for_outlet(nm, (at + m.start(), at + m.end()), m.group())
                    ],
                )
        for m in pat["org_np"].finditer(w):
            words = m.group().strip()
            if self._outlet_entry(words) or canonical_actor(words):
                continue
            add(
                m.start(),
                m.end(),
                2,
                lambda words=words, m=m: self._org_keys(words, at + m.start(), None, None),
            )
        for kind, rx in pat["kinds"].items():
            for m in rx.finditer(w):
                target = self._by_kind(kind)
                if target:
                    add(m.start(), m.end(), 3, [target])

    def _pointing_candidates(self, w: str, add) -> None:
        """Unnamed sources ("activists"), pronouns for the last speaker, the outlet's
        "we", a country (its office, later) and a relative pronoun (a subject that is
        the clause before)."""
        pat = self._patterns()
        for m in pat["unnamed"].finditer(w):
            words = m.group().strip()
            if not words:
                continue
            prio = 1.5 if _SOURCE_IN.search(words) else 4
            add(m.start(), m.start() + len(m.group().rstrip()), prio, [], words)
        for m in _PRONOUN_WORD.finditer(w):
            if self._previous:
                add(m.start(), m.end(), 4, [self._previous])
            elif self._previous == "":  # "Activists said ... , they said": still unnamed
                add(m.start(), m.end(), 4, [], self._previous_detail or m.group())
        for m in _SELF_WORD.finditer(w):
            add(m.start(), m.end(), 4, lambda: [self._default_speaker()])
        for country, rx in pat["country_word"].items():
            for m in rx.finditer(w):
                add(m.start(), m.end(), 5, [f"country:{country}"])
        for m in _RELATIVE_WORD.finditer(w):
            add(m.start(), m.end(), 6, ["relative"])

    def _org_ok(self, org: str) -> bool:
        org = re.sub(rf"^(?:the\s+)|{APOS}s$", "", org.strip(), flags=re.I).strip()
        return bool(
            self._outlet_entry(org)
            or canonical_actor(org)
            or re.search(rf"(?:{_ORG_NOUNS})$", org)
            or re.search(rf"{_LOWER_ORG}$", org)
        )

    def _org_keys(self, org: str, at: int, person, post) -> list[str]:
        key = self._org_key(org, at, person, post)
        return [key] if key else []

    def _org_key(self, org: str, at: int, person: str | None, post: str | None) -> str | None:
        org = org.strip()
        entry = self._outlet_entry(org)
        looks_org = re.search(rf"(?:{_ORG_NOUNS})$", org) or re.search(rf"{_LOWER_ORG}$", org)
        if not (entry or canonical_actor(org) or looks_org):
            return None
        return self._speaker_for_org(org, (at, at + len(org)), person, post)

    def _by_kind(self, kind: str) -> str | None:
        """The named source of a kind ("monitor", "rescue") in the article: the latest
        speaker of that kind, else the first the article names."""
        for key in reversed(self._order):
            if kind in self.speakers[key].kinds:
                return key
        for name in self.named_in_article:
            entry = self._outlet_entry(name)
            if entry and kind in entry.get("kinds", ()):
                return self._speaker_for_outlet(entry["name"], None)
        return None

    def _office_of(self, country: str) -> str | None:
        for key in reversed(self._order):
            if self.speakers[key].country == country:
                return key
        for name in self.named_in_article:
            entry = self._outlet_entry(name)
            if entry and entry.get("country") == country and entry.get("kind") != "media":
                return self._speaker_for_outlet(entry["name"], None)
        return None

    _FILLER = re.compile(
        r"(?:\s*\([^)]{1,60}\))?"  # (SAMS)
        # where the speaker sits: "the Russian Centre for Reconciliation at Hmeimim said"
        r"(?:\s*,?\s*(?:at|in|based\s+in)\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’-]+\s*){1,3}"
        r"(?:air\s*base|base)?)?"
        r"(?:\s*,\s*(?:which|who|whose|an?|the|also|known|its|one|part|based|itself)\b[^,;]{0,90},)*"
        r"\s*(?:(?:rescue|civil|defen[cs]e|war|news|monitoring|activist|media|state|opposition|"
        r"local|group|service|agency|monitor|organi[sz]ation|channel|newspaper|website|collective|"
        r"network|team|teams|volunteers|activists|sources|researchers|correspondents?|also|later|"
        r"earlier|again|then|too|previously|meanwhile|separately|have|has|had|on\s+twitter|"
        r"in\s+a\s+statement)\s*)*,?\s*$",
        re.I,
    )

    def _subject_before(self, s: Sentence, lo: int, verb_at: int) -> _Subject | None:
        """The subject ending just before the verb: every candidate whose gap to the verb
        is filler (an appositive, a parenthesis, "also", "rescue service") is part of it;
        then names joined to it by "and" / "," are added ("Activists and the
        Britain-based Syrian Observatory", "The Observatory and the Civil Defense")."""
        cands = self._kept(self._candidates(s, lo, verb_at))
        t = s.text
        chain = [c for c in cands if c[1] <= verb_at and self._FILLER.fullmatch(t[c[1] : verb_at])]
        if not chain:
            return None
        start = min(c[0] for c in chain)
        for c in sorted((c for c in cands if c[1] <= start), key=lambda c: -c[1]):
            gap = t[c[1] : start] + " "
            joined = re.fullmatch(
                r"\s*(?:,\s*)?(?:and|or|nor)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}", gap, re.I
            )
            # a bare comma joins two names of one source ("the war monitor, the
            # Syrian Observatory"), never an unnamed source to a named one
            listed = re.fullmatch(r"\s*,\s+", gap) and c[3] and all(x[3] for x in chain)
            if joined or listed:
                chain.append(c)
                start = c[0]
            else:
                break
        return self._subject(s, start, verb_at, chain)

    @staticmethod
    def _kept(cands: list) -> list:
        """Candidates overlapping no better one (lower priority number, then longer)."""
        cands = sorted(cands, key=lambda c: (c[2], -(c[1] - c[0])))
        kept: list = []
        for c in cands:
            if not any(k[0] < c[1] and c[0] < k[1] for k in kept):
                kept.append(c)
        return sorted(kept, key=lambda c: c[0])

    def _subject(self, s: Sentence, start: int, end: int, chain: list) -> _Subject | None:
        """Keys of a subject chain: one per appositive run (a named source over its
        description), each conjoined name its own; "" for an unnamed member (relayed);
        a country only when nothing else names the speaker."""
        keys: list[str] = []
        detail = None
        for c in sorted(chain, key=lambda c: c[2]):
            for k in c[3]:
                if k == "relative":
                    return None
                if not k.startswith("country:") and k not in keys:
                    keys.append(k)
        unnamed = [c for c in chain if not c[3]]
        if unnamed:
            detail = "; ".join(s.text[c[0] : c[1]] for c in sorted(unnamed, key=lambda c: c[0]))
        conjoined = bool(re.search(r"\band\b|\bnor\b|\bor\b", s.text[start:end]))
        if len(keys) > 1 and not conjoined:
            keys = keys[:1]
        if unnamed and (conjoined or not keys):
            keys.append("")
        if not keys:
            countries = [k for c in chain for k in c[3] if k.startswith("country:")]
            if not countries:
                return None
            keys = countries[:1]
        return _Subject(start, end, keys, detail, named=any(keys))

    def _subject_after(self, s: Sentence, lo: int, hi: int) -> _Subject | None:
        """The subject of an inverted or "according to" clause: the candidates filling
        s.text[lo:hi]."""
        cands = self._kept(self._candidates(s, lo, hi))
        if not cands:
            return None
        first = cands[0]
        gap = s.text[lo : first[0]].strip(" ,")
        person_of = re.fullmatch(
            r"(?:[A-Z][\w'’-]+\s+){1,4}(?:of|from)(?:\s+the)?(?:\s+[\w'’-]+){0,2}", gap
        )
        if len(gap.split()) > 3 and not person_of:
            # the subject starts right after the verb (its article, adjectives); a
            # person "of" an organisation speaks for it ("said Rami Abdel-Rahman of
            # the Britain-based Syrian Observatory")
            return None
        chain = [c for c in cands if c[0] < first[1] + 60]
        return self._subject(s, first[0], max(c[1] for c in chain), chain)

    # -- anchors and segments ------------------------------------------------------------
    _ADVERBIAL = re.compile(
        r"\s*(?:,\s*)?(?:(?:on|late on|early on|late|early)\s+\w+day(?:\s+(?:night|morning|evening|afternoon))?|"
        r"in a statement(?: on \w+day)?|at a (?:news )?briefing(?: on \w+day(?: night)?)?|on twitter|"
        r"to reporters|reporters|yesterday|today|earlier|later|in statements relayed by [^,]+,?)",
        re.I,
    )

    def _is_leading(self, after: str) -> bool:
        """Whether the words after a verb of speech are its content (a clause)."""
        rest = after
        while True:
            m = self._ADVERBIAL.match(rest)
            if not m or not m.group().strip(" ,"):
                break
            rest = rest[m.end() :]
        rest = rest.lstrip(" ,") if re.match(r"\s*,\s*that\b", rest) else rest
        if re.match(r"\s*(?:[,.;:]|as\b|while\b|but\b|when\b|$)", rest):
            return False
        if _ADJUNCT_TO_END.match(rest):
            return False  # "said in a series of tweets.": where it was said, no content
        return len(rest.split()) >= 3

    def _anchors(self, s: Sentence) -> list[dict]:
        """The sentence's attributions, in order: each verb of speech with its subject
        ("X said", "said X", "according to X") and each embedded claim ("claims by X
        that"). An anchor is a dict: the verb's offsets (v0, v1), the subject's (s0,
        s1), ``cut`` (where the reported words may begin), ``subj``, ``leading`` (the
        words follow it), ``keys`` (its speakers, settled as soon as it is found, so a
        pronoun later in the sentence refers to them), and perhaps ``relay`` (a match:
        "carried by TASS") or ``embedded`` (where the claim's words end)."""
        pat = self._patterns()
        anchors: list[dict] = []
        for m in pat["anchor"].finditer(s.text):
            if any(a["s0"] <= m.start() < max(a["s1"], a["cut"]) for a in anchors):
                continue  # a verb inside an attribution found before
            if m.group("v").lower().startswith("according to"):
                anchor = self._according_to(s, m)
            else:
                anchor = self._speech_anchor(s, m, anchors)
            if anchor is not None:
                anchors.append(anchor)
                self._settle(anchor, s)
        for m in pat["embedded"].finditer(s.text):
            anchor = self._embedded_anchor(s, m)
            if anchor is not None:
                anchors.append(anchor)
                self._settle(anchor, s)
        anchors.sort(key=lambda a: a["v0"])
        return anchors

    def _according_to(self, s: Sentence, m: re.Match) -> dict | None:
        """ "according to X": X up to the next punctuation or "that"/"who", and its
        apposition ("According to Kupchishin, the head of the centre, ..."); it leads
        the sentence when at most three words come before it."""
        t = s.text
        v0, v1 = m.start(), m.end()
        stop = _ACCORDING_TO_END.search(t[v1:])
        hi = v1 + (stop.start() if stop else len(t) - v1)
        appositive = _APPOSITION_COMMA.match(t[hi:])
        if appositive:
            hi += appositive.end() - 1
        subj = self._subject_after(s, v1, hi)
        if not subj:
            return None
        leading = bool(_FEW_WORDS.fullmatch(t[:v0]))
        return dict(v0=v0, v1=v1, s0=v0, s1=subj.end, cut=subj.end, subj=subj, leading=leading)

    def _speech_anchor(self, s: Sentence, m: re.Match, anchors: list[dict]) -> dict | None:
        """A verb of speech with its subject before it ("X said") - from the last
        punctuation, "that" or attribution before - else after it, inverted ('"...,"
        said X', not a country: "said Moscow" is no source's words)."""
        t = s.text
        verb = m.group("v").lower()
        v0, v1 = m.start(), m.end()
        before = t[:v0]
        lo = max(
            [0]
            + [i + 1 for i, ch in enumerate(before) if ch in ';:"“”']
            + [mm.end() for mm in _THAT.finditer(before)]
            + [max(a["s1"], a["cut"]) for a in anchors]
        )
        subj = self._subject_before(s, lo, v0)
        if not subj and _BEFORE_INVERTED.search(before):
            return self._inverted(s, v0, v1)
        if not subj:
            return None
        cut = v0 if "toll" in verb else v1  # "put the toll at nine": the verb is content
        if verb in ("told", "tells"):
            obj = _TOLD_WHOM.match(t[v1:])
            if obj:
                cut = v1 + obj.end()
        clause = _CLAUSE.match(t[cut:]).group()
        relay = _RELAY.search(t, cut, cut + len(clause))
        after = t[cut:]
        if relay is not None:  # "it said in a statement carried by TASS."
            after = t[cut : relay.start()] + t[relay.end() :]
        return dict(
            v0=v0,
            v1=v1,
            s0=subj.start,
            s1=subj.end,
            cut=cut,
            subj=subj,
            leading=self._is_leading(after),
            relay=relay,
        )

    def _inverted(self, s: Sentence, v0: int, v1: int) -> dict | None:
        """'..., said X': X up to the next punctuation or preposition, and its apposition
        ('..., said Rami Abdel Rahman, the head of the Observatory.')."""
        t = s.text
        stop = _INVERTED_END.search(t[v1:])
        hi = v1 + (stop.start() if stop else len(t) - v1)
        appositive = _APPOSITION_END.match(t[hi:])
        if appositive:
            hi += appositive.end()
        inv = self._subject_after(s, v1, hi)
        if not inv or any(k.startswith("country:") for k in inv.keys):
            return None
        return dict(v0=v0, v1=v1, s0=v0, s1=inv.end, cut=inv.end, subj=inv, leading=False)

    def _embedded_anchor(self, s: Sentence, m: re.Match) -> dict | None:
        """ "claims by X that ...": X's words, up to the clause's verb or punctuation,
        whoever reports the claim."""
        t = s.text
        cands = self._kept(self._candidates(s, m.start("src"), m.end("src")))
        named = [c for c in cands if c[3] and not c[3][0].startswith(("country:", "relative"))]
        if not named:
            return None
        sub = _Subject(named[0][0], named[0][1], named[0][3])
        stop = _EMBEDDED_END.search(t[m.end() :])
        end = m.end() + (stop.start() if stop else len(t) - m.end())
        return dict(
            v0=m.start(),
            v1=m.end(),
            s0=sub.start,
            s1=sub.end,
            cut=m.end(),
            subj=sub,
            leading=True,
            embedded=end,
        )

    def _settle(self, a: dict, s: Sentence) -> None:
        """Resolve an anchor's speakers now, so that a pronoun later in the same sentence
        ("which they said were carried out by ...") refers to them."""
        a["keys"] = self._resolve(a, s)
        named = [k for k in a["keys"] if k and not k.startswith("nobody:")]
        if named:
            self._previous = named[0]
        elif "" in a["keys"]:  # an unnamed source: a pronoun after it is unnamed too
            self._previous = ""
            self._previous_detail = a["subj"].detail

    def _resolve(self, a: dict, s: Sentence) -> list[str]:
        """Speaker keys of an anchor's subject; "" = unnamed (relayed by the speaker
        around it, else by the outlet)."""
        keys = []
        relay = a.get("relay")
        for k in a["subj"].keys:
            if k.startswith("country:"):
                country = k.split(":", 1)[1]
                if relay is not None:
                    keys.append(
                        self._speaker_for_outlet(
                            relay.group("name"),
                            (s.start + relay.start("name"), s.start + relay.end("name")),
                            relay.group("r"),
                        )
                    )
                    a["relay"] = None
                    continue
                office = self._office_of(country)
                keys.append(office or f"nobody:{country}")
                # a country with no channel and no office names no source: its words
                # are no one's claim (not the outlet's either)
                continue
            keys.append(k)
        return keys

    def attribute(self) -> None:
        """Cut every sentence into segments owned by speakers (see the module docstring)."""
        self._prescan()
        self._order: list[str] = []
        self._previous: str | None = None
        self._previous_detail: str | None = None
        self._last_segments: list[Segment] = []
        self._last_para = -1
        for s in self.sentences:
            if s.kind == "furniture":
                continue
            if s.heading:
                self._attribute_heading(s)
            else:
                self._attribute_sentence(s)
        self._quotations()

    def _attribute_sentence(self, s: Sentence) -> None:
        """A sentence's segments, speaker and cue; one with no attribution of its own
        that points back goes on with the previous sentence's last words."""
        anchors = self._anchors(s)
        s.masked = self._masked(s, anchors)
        s.segments = self._segments(s, _owners(anchors, len(s.text)))
        if not anchors and self._continues(s):
            s.segments = [
                Segment(s.start, s.end, g.speaker, g.cue, g.relays, g.detail)
                for g in self._last_segments
            ]
            s.continued = True
        first = s.segments[0] if s.segments else None
        s.speaker = first.speaker if first else self._default_speaker()
        s.cue = first.cue if first else None
        s.continued = bool(getattr(s, "continued", False) and not anchors)
        self._remember(s)

    def _masked(self, s: Sentence, anchors: list[dict]) -> list[tuple[int, int]]:
        """Spans no later rule reads as the act's words: the dateline, clauses about
        another event (lexicon [other_event_clauses]), the attributions' subjects and
        relays."""
        masked = [dateline(s)] if dateline(s) else []
        masked += [(m.start(), m.end()) for m in self._patterns()["other_event"].finditer(s.text)]
        for a in anchors:
            masked.append((a["s0"], a["s1"]))
            if a.get("relay") is not None:
                masked.append((a["relay"].start(), a["relay"].end()))
        return masked

    def _remember(self, s: Sentence) -> None:
        """What the next sentences refer back to: the words a continuation goes on with
        (the sentence's last run, if a named or relayed speaker owns it), the last named
        speaker (for a pronoun) and the order speakers were last named in."""
        tail = max(s.segments, key=lambda g: g.end, default=None)
        self._last_segments = [
            g for g in s.segments if tail and g.end == tail.end and (g.cue or g.detail or g.relays)
        ]
        self._last_para = s.para
        named = [g.speaker for g in s.segments if g.cue and g.speaker != "nobody"]
        if named:
            self._previous = named[-1]
            for k in named:
                if k in self._order:
                    self._order.remove(k)
                self._order.append(k)

    def _quotations(self) -> None:
        """A quotation of several sentences attributed after its last one ('"A. B," the
        statement said'): its earlier sentences are the attributed speaker's too. The
        quotation opens a sentence and closes in a later one of the same paragraph;
        only sentences with no attribution of their own are given to the speaker."""
        body = [s for s in self.sentences if s.kind != "furniture" and not s.heading]
        opened: list[Sentence] = []
        for s in body:
            n = len(_QUOTES.findall(s.text))
            if opened and s.para != opened[0].para:
                opened = []
            if not opened:
                if n % 2 == 1 and re.match(r"[\"“]", s.text):
                    opened = [s]
                continue
            if n == 0:
                opened.append(s)
                continue
            closing = re.search(r"[\"”]", s.text)
            first = s.segments[0] if s.segments else None
            trailing = (
                n % 2 == 1
                and first is not None
                and first.cue is not None
                and first.start == s.start
                and closing is not None
                and first.cue[0] >= s.start + closing.end()
            )
            if trailing:
                for q in opened:
                    if all(g.cue is None and not g.relays for g in q.segments):
                        q.segments = [
                            Segment(
                                q.start, q.end, first.speaker, first.cue, first.relays, first.detail
                            )
                        ]
                        q.speaker, q.cue = first.speaker, first.cue
                        q.continued = False
            opened = []

    def _continues(self, s: Sentence) -> bool:
        """A sentence going on with the previous one's reported words (lexicon
        [continuation]): same paragraph, the previous sentence's words had a named or
        relayed speaker, and this one opens with a partitive or pronoun pointing back."""
        if s.para != self._last_para or not self._last_segments:
            return False
        return bool(self._patterns()["continuation"].match(s.text.lstrip(' "“')))

    def _segments(self, s: Sentence, owners: list[tuple[int, int, dict]]) -> list[Segment]:
        """Each character's innermost owner (an embedded claim inside a leading clause
        inside a trailing one); runs of one owner are segments."""
        t = s.text
        owner: list[dict | None] = [None] * len(t)
        depth = [-1] * len(t)
        for a0, b0, anchor in owners:
            inner = 2 if anchor.get("embedded") else (1 if anchor["leading"] else 0)
            for i in range(max(0, a0), min(len(t), b0)):
                if inner >= depth[i]:  # the later (inner) clause of equal rank wins
                    owner[i], depth[i] = anchor, inner
        segs: list[Segment] = []
        default = self._default_speaker()
        self.speakers.setdefault("nobody", Speaker("nobody", "", known=False))
        i = 0
        while i < len(t):
            j = i
            while j < len(t) and owner[j] is owner[i]:
                j += 1
            if t[i:j].strip():
                anchor = owner[i]
                if anchor is None:
                    segs.append(Segment(s.start + i, s.start + j, default))
                else:
                    relays = self._relays_of(anchor, owners)
                    for k in anchor["keys"]:
                        detail = anchor["subj"].detail
                        if k.startswith("nobody:"):
                            segs.append(Segment(s.start + i, s.start + j, "nobody"))
                        elif k:
                            cue = (s.start + anchor["s0"], s.start + anchor["s1"])
                            segs.append(Segment(s.start + i, s.start + j, k, cue, relays, None))
                        else:
                            outer = self._outer_named(anchor, owners)
                            segs.append(
                                Segment(
                                    s.start + i, s.start + j, outer or default, None, relays, detail
                                )
                            )
            i = j
        return segs

    @staticmethod
    def _outer_named(anchor: dict, owners) -> str | None:
        """For an unnamed inner source: the named speaker whose words contain it."""
        for a0, b0, other in owners:
            if other is anchor:
                continue
            if a0 <= anchor["s0"] < b0:
                named = [k for k in other["keys"] if k]
                if named:
                    return named[0]
        return None

    def _relays_of(self, anchor: dict, owners) -> list[str]:
        """Outer speakers around this anchor's words (a chain's relays), and the outlet
        a statement was carried by."""
        out = []
        for a0, b0, other in owners:
            if other is anchor:
                continue
            around = a0 <= anchor["s0"] < b0
            wraps = anchor["leading"] and not other["leading"] and other["s0"] >= anchor["cut"]
            if around or wraps:
                for k in other["keys"]:
                    if k and k not in anchor["keys"]:
                        nm = self.speakers[k].source_name
                        if nm not in out:
                            out.append(nm)
        rel = anchor.get("relay")
        if rel is not None:
            out.append(rel.group("r").strip())
        return out

    def _attribute_heading(self, s: Sentence) -> None:
        """A headline's attribution ("— Russian centre", ": monitor", "X says ...")."""
        t = s.text
        s.segments = []
        s.masked = []
        s.speaker = None
        m = re.search(
            r"(?:\s[—–-]\s*|:\s*|,\s*)(?P<x>[^—–:,-]{2,60}?)(?:\s+(?:says?|said))?\s*$", t
        ) or re.match(r"^(?P<x>[^,]{2,60}?)\s+(?:says?|said)\s+", t)
        if not m:
            return
        cands = self._candidates(s, m.start("x"), m.end("x"))
        keys = []
        for c in sorted(cands, key=lambda c: c[2]):
            for k in c[3]:
                if k.startswith("country:"):
                    k = self._office_of(k.split(":", 1)[1]) or ""
                if k and k != "relative" and k not in keys:
                    keys.append(k)
        unnamed = [c for c in cands if not c[3]]
        if not keys and unnamed:
            words = t[unnamed[0][0] : unnamed[0][1]]
            kind = next(
                (k for k, rx in self._patterns()["kinds"].items() if rx.fullmatch(words.strip())),
                None,
            )
            target = self._by_kind(kind) if kind else None
            keys = [target] if target else []
        if not keys:
            return
        content = (0, m.start()) if m.start() > 0 else (m.end(), len(t))
        s.segments = [
            Segment(
                s.start + content[0],
                s.start + content[1],
                keys[0],
                (s.start + m.start("x"), s.start + m.end("x")),
            )
        ]
        s.masked = [(m.start(), m.end())]
        s.speaker = keys[0]
        s.cue = s.segments[0].cue
