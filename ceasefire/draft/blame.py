"""Sentence kinds (rule 3) and the actors a speaker's words blame (rule 4).

Kinds: a caveat ("has not verified"); a sentence telling what a retaliation answered
("the HTS attack came in retaliation for government shelling of Idlib city, which
wounded 14") is about the act answered, its author the one named after "for"; a
*second* act (a retaliation or response with a weapon or an attack verb); an *earlier*
event ("a few days ago", "The strike came a day after ...", "over the weekend", an act
told in the past perfect on a day of its own: "On Sunday, the regime had shelled ...");
*background* (totals over a period: "since April",
"over the past five days", "in two weeks", "a total of"; counts of attacks; an
agreement and its date: "a ceasefire agreed ... took effect on January 12"). Earlier
and background sentences are not about the act: no blame, figure, place or date is read
from them.

Blame, in the words one speaker owns (``sentences.View``; attribution clauses are already
blanked):

- **Identifying phrases name no perpetrator**: an appositive ("Russia, a top ally of
  Syrian President Bashar Assad, ..."), a prenominal description ("regime ally Russia",
  "rebel backer Turkey"), a compound ("Turkish-backed", "Turkish-controlled",
  "HTS-affiliated"), "held/controlled/backed/supported/brokered by X", "an agreement
  between X and Y" (``[identifying]``) are blanked first - unless they are part of an
  actor's own name ("Iran-backed militias", "Turkish-backed rebels").
- **Weapon phrases** ("Russian warplanes", "regime artillery"; ``[actor_phrases]``) blame
  their actor by themselves. **Force phrases and plain names** ("Russian forces", "the
  regime", "HTS"; ``[actor_forces]``, actors.csv aliases, ``[actor_names]``) blame only
  in an agentive context: the subject of an attack verb later in the same clause
  ("Regime forces and Iran-backed groups stationed at a base in X shelled ..."), after
  an agentive "by" ("carried out by", "shelling by", "fire from"; a bare "by" is not
  agentive: "brokered by Russia"), "X's attack" (the possessor of anything else is no
  author: "one of Turkey's observation posts"), "blamed X", "holds X responsible", "X
  bears responsibility".
- Never when the words before make it the target ("the sites of the Russian forces"),
  when the verb is passive ("Russian troops were hit"), or when the clause is negated
  ("aircraft of X did not carry out strikes", "X denied").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import APOS, actor_aliases, alias_regex, canonical_actor, lexicon
from .sentences import Sentence

_BOUNDARY = re.compile(
    r"[.;:]|\b(?:that|which|who|whom|while|but|as|after|before|although|because|since|until|when|whereas)\b|,\s*and\b"
)
_PAST_PERFECT = re.compile(
    r"^\W*(?:on|late on|early on)\s+\w+day\W+[^.]{0,80}?\bhad\s+(?:\w+\s+)?(?:shelled|struck|bombed|targeted|attacked|hit|killed|launched|fired|pounded)\b",
    re.I,
)
_ANSWERED = re.compile(
    r"\b(?:came|comes|was|were|is)\s+(?:\w+\s+)?in\s+(?:retaliation|response)\s+(?:for|to)\s+(?=(?:the\s+)?[\w-]+\s+(?:[\w-]+\s+)?(?:shelling|strikes?|attacks?|bombardment|bombing|raids?))",
    re.I,
)
#: a subordinate clause opening just before a name ("When HTS fighters reached ...")
_SUBORDINATE = re.compile(
    r"(?:^|[,;]\s*|\b)(?:when|as|after|before|while|once|until|as\s+soon\s+as)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:(?:did|does|do|has|have|had|was|were|is|are|could|would|will)\s+not|never|no\s+longer)\b|n[’']t\b|\bden(?:y|ied|ies|ying)\b"
)


_PAIRED_ADJECTIVES = re.compile(r"\b(?P<x>[A-Z]?[a-z]+)\s+and\s+(?P<y>[A-Z][a-z]+)\s+")
_HELD_RESPONSIBLE = re.compile(
    r"\bhold(?:s|ing)?\s+(?P<x>[^.;]{3,80}?)\s+(?:fully\s+|directly\s+)?responsible\b", re.I
)
_OWN_FORCES = re.compile(
    r"\b(?:our|we|its)\b(?:\s+(?:troops|forces|soldiers|army|units|military))?", re.I
)
_CLASH = re.compile(r"\bclash(?:es|ed)?\s+between\s+(.+?)\s+and\s+(.+?)(?:[,.]|\s+in\b|$)", re.I)


@dataclass(frozen=True)
class _BlamePatterns:
    #: (needs an attack verb, actor, pattern): the actor phrases, then the force names
    actor_words: tuple[tuple[bool, str, re.Pattern], ...]
    forces: tuple[tuple[str, re.Pattern], ...]
    before_target: re.Pattern  # words before a target ("a convoy of")
    retaliation: re.Pattern
    unknown: re.Pattern  # actors nobody knows
    nationality: dict[str, str]  # adjective -> actor


@lru_cache(maxsize=1)
def _patterns() -> _BlamePatterns:
    """The patterns built from the lexicon's words, compiled once."""
    lex = lexicon()
    actor_words = tuple(
        (needs_context, actor, lex.regex(pats))
        for table, needs_context in (("actor_phrases", False), ("actor_forces", True))
        for actor, pats in lex.raw[table].items()
    )
    return _BlamePatterns(
        actor_words=actor_words,
        forces=tuple((actor, lex.regex(pats)) for actor, pats in lex.raw["actor_forces"].items()),
        before_target=re.compile(
            r"(?:" + "|".join(lex.raw["target_context"]["before"]) + r")$", re.I
        ),
        retaliation=lex.regex(lex.raw["other_acts"]["retaliation"]),
        unknown=lex.regex(lex.raw["unknown_actors"]["patterns"]),
        nationality={w.lower(): a for a, ws in lex.raw["nationality"].items() for w in ws},
    )


class BlameRules:
    """Mixin of ``_Drafter``: sentence kinds and blamed actors."""

    # -- sentence kinds --
    def classify(self) -> None:
        lex = self.lex
        weapons = lex.regex([p for ps in lex.raw["weapons"].values() for p in ps])
        attack = lex.regex(lex.raw["agentive"]["after"])
        retaliation = lex.regex(lex.raw["other_acts"]["retaliation"])
        earlier = lex.regex(lex.raw["other_acts"]["earlier"])
        background = lex.regex(lex.raw["other_acts"]["background"])
        caveat = lex.regex(lex.raw["caveats"]["patterns"])
        for s in self.sentences:
            if s.kind == "furniture":
                continue
            if caveat.search(s.text):
                s.kind = "caveat"
            elif s.heading:
                continue
            elif _PAST_PERFECT.search(s.text):
                s.kind = "earlier"  # "On Sunday, the regime had shelled ...": before the act
            elif answered := _ANSWERED.search(s.text):
                # "the HTS attack came in retaliation for government shelling of Idlib
                # city, which wounded 14": the sentence tells the act answered; the
                # retaliation it names refers back
                s.answered_from = answered.end()
            elif (cue := retaliation.search(s.text)) and (
                weapons.search(s.text)
                or attack.search(s.text[cue.start() + 9 :])
                # the cue is itself an attack verb: "struck back", "hit ... in retaliation"
                or attack.match(s.text, cue.start())
            ):
                s.kind = "second"
            elif earlier.search(s.text):
                s.kind = "earlier"
            elif background.search(s.text):
                s.kind = "background"

    # -- actors --
    def _own_state(self, speaker: str) -> str | None:
        """The state a government or military speaker speaks for (its affiliation:
        "Turkish state" -> Turkey), for its first person ("our troops")."""
        sp = self.speakers.get(speaker)
        if sp is None or sp.source_kind not in ("government", "military"):
            return None
        offices = self.lex.raw["state_offices"]
        adjective = next(
            (adj for adj, aff in offices["affiliations"].items() if aff == sp.source_affiliation),
            None,
        )
        if adjective is None:
            return None
        country = next(
            (c for c, adj in offices["countries"].items() if adj == adjective and " " not in c),
            "",
        )
        return canonical_actor(country.title()) or canonical_actor(f"{adjective} government")

    def _identifying(self, t: str) -> list[tuple[int, int]]:
        rx = re.compile("|".join(f"(?:{p})" for p in self.lex.raw["identifying"]["patterns"]))
        return [(m.start(), m.end()) for m in rx.finditer(t)]

    def _agentive(self, t: str, a: int, b: int) -> str | None:
        """How the words at t[a:b] are the author of an attack: "before" (after an
        agentive "by", "fire from", "blamed"), "after" (the subject of an attack verb,
        "X's attack", "X bears responsibility"), or None (see the module docstring)."""
        lex = self.lex
        head = t[max(0, a - 50) : a]
        before = "|".join(lex.raw["agentive"]["before"])
        if re.search(rf"\b(?:{before})\s+(?:the\s+)?[\"“]?$", head, re.I):
            return "before"
        # the second of two coordinated authors: "attacks by Syrian regime and Russian forces"
        if re.search(
            rf"\b(?:{before})\s+(?:the\s+)?(?:[\w'’-]+\s+){{1,3}}and\s+(?:the\s+)?$", head, re.I
        ):
            return "before"
        tail = t[b : b + 200]
        if re.match(
            rf"{APOS}s\s+(?:[\w-]+\s+)?(?:targeting|attack|attacks|bombing|bombardment|strikes?|raids?|shelling|assault|offensive)\b",
            tail,
            re.I,
        ):
            return "after"
        if re.match(
            r"\s*(?:\([^()]{1,40}\))?\s+(?:\w+\s+){0,2}?(?:were|was|been|being|is|are|had been|have been)\s",
            tail,
        ):
            return None  # passive: "Russian troops were hit", "HTS (...) was among those killed"
        if re.match(rf"{APOS}s?\s", tail):
            # a possessor is no subject ("one of Turkey's observation posts ..."),
            # unless it owns the weapon or force that acts ("the regime's
            # surface-to-surface missiles hit ...")
            weapons = [p for ps in lex.raw["weapons"].values() for p in ps]
            arms = (
                r"(?:"
                + "|".join(weapons)
                + r"|forces|troops|army|units|fighters|militants|militias?)"
            )
            if not re.match(rf"{APOS}s?\s+(?:[\w-]+\s+){{0,3}}?{arms}\b", tail, re.I):
                return None
        # "the regime forces that fired the rockets": a relative clause whose subject
        # is the name itself
        tail = re.sub(r"^(\s*,?\s*)(?:that|which|who)\b", lambda m: m.group(1) + "    ", tail)
        stop = _BOUNDARY.search(tail)
        if _SUBORDINATE.search(head):
            # the subject of a clause opened by "when", "as", "after" ... ends at its
            # comma: "When HTS fighters reached the scene, a second missile struck them"
            comma = tail.find(",")
            if comma >= 0 and (not stop or comma < stop.start()):
                stop = re.compile(",").search(tail, comma)
        clause = tail[: stop.start()] if stop else tail
        attack = re.compile(r"\b(?:" + "|".join(lex.raw["agentive"]["after"]) + r")\b", re.I)
        defend = re.compile(r"\b(?:" + "|".join(lex.raw["agentive"]["defensive"]) + r")\b", re.I)
        verb = next(
            (
                v
                for v in attack.finditer(clause)
                # "commented on the strike": a noun after its article, not a verb
                if not re.search(
                    r"\b(?:the|a|an|its|their|this|that|any)\s+$", clause[: v.start()], re.I
                )
            ),
            None,
        )
        guard = defend.search(clause)
        if guard and (not verb or guard.start() < verb.start()):
            return None  # "the army units repelled the attack, killing ...": a defender
        passive = verb and re.search(
            r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+ly\s+)?$",
            clause[: verb.start()],
            re.I,
        )
        if verb and not passive and not _NEGATION.search(clause[: verb.end()]):
            return "after"
        if re.match(r"\s+(?:\w+\s+){0,3}?(?:bears?|bore)\s+(?:\w+\s+)?responsibility", tail, re.I):
            return "after"
        return None

    def blamed(self, s) -> list[tuple[str | None, str, tuple[int, int], str]]:
        """(canonical actor, as written, span, role) blamed in one speaker's words
        (``s`` is a ``sentences.View`` or a ``Sentence``): perpetrators named as the
        author of an attack, the author of a retaliation, an actor nobody knows as
        written; or, in a clash, its two parties."""
        t = s.text
        cut = getattr(s, "sentence", s).answered_from
        if cut:  # only the act answered is this sentence's act (its author named after "for")
            t = " " * cut + t[cut:]
        masks = self._identifying(t)
        blank = list(t)
        for x, y in masks:
            blank[x:y] = " " * (y - x)
        tm = "".join(blank)  # identifying phrases blanked
        found: list[tuple[int, int, str | None, str, str]] = []
        self._blame_by_words(t, tm, masks, found)
        _blame_paired_nationality(tm, found)
        self._blame_by_alias(t, tm, masks, found)
        _blame_held_responsible(tm, found)
        if s.kind == "second":
            self._blame_retaliation(s, t, tm, found)
        if not found:  # actors nobody knows ("Terrorist organizations fired..."): as written
            m = _patterns().unknown.search(tm)
            if m:
                found.append((m.start(), m.end(), None, m.group(), "perpetrator"))
        clash = _CLASH.search(tm)
        if clash:
            return _clash_parties(s, clash)
        return [(a, w, (s.start + x, s.start + y), role) for x, y, a, w, role in sorted(found)]

    def _blame_by_words(self, t: str, tm: str, masks, found: list) -> None:
        """The lexicon's actor phrases ("Russian warplanes") blame by themselves, unless
        negated or a target; its force names ("regime forces") only as the author of an
        attack verb."""
        pats = _patterns()
        for needs_context, actor, rx in pats.actor_words:
            for m in rx.finditer(t):
                if _masked_out(m, masks) or any(a <= m.start() < b for a, b, *_ in found):
                    continue
                how = self._agentive(tm, m.start(), m.end())
                if how != "before" and pats.before_target.search(
                    tm[max(0, m.start() - 40) : m.start()]
                ):
                    continue
                if needs_context and not how:
                    continue
                if not needs_context and _NEGATION.search(tm[m.end() : m.end() + 40].split(".")[0]):
                    continue
                found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))

    def _blame_by_alias(self, t: str, tm: str, masks, found: list) -> None:
        """A plain actor name blames only as the author of an attack verb, never as a
        target."""
        pats = _patterns()
        for m in alias_regex().finditer(t):
            if _masked_out(m, masks) or any(a <= m.start() < b for a, b, *_ in found):
                continue
            actor = canonical_actor(m.group()) or actor_aliases().get(m.group())
            if not actor:
                continue
            how = self._agentive(tm, m.start(), m.end())
            if how != "before" and pats.before_target.search(
                tm[max(0, m.start() - 40) : m.start()]
            ):
                continue
            if not how:
                continue
            found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))

    def _blame_retaliation(self, s, t: str, tm: str, found: list) -> None:
        """A retaliation's author: the actor or force named before the words of
        retaliation; else, in a state office's words, "our troops" / "its forces" are
        its state's; else an organisation speaking of its own retaliation."""
        pats = _patterns()
        cue = pats.retaliation.search(tm)
        before = tm[: cue.start()] if cue else ""
        for m in alias_regex().finditer(before):
            actor = canonical_actor(m.group()) or actor_aliases().get(m.group())
            if actor and not any(a <= m.start() < b for a, b, *_ in found):
                found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))
        for actor, rx in pats.forces:
            for m in rx.finditer(before):
                if not any(a <= m.start() < b for a, b, *_ in found):
                    found.append((m.start(), m.end(), actor, m.group(), "perpetrator"))
        speaker = getattr(s, "speaker", None)
        if not found and speaker:
            # "Our troops continue to hit ... in retaliation", "The ministry said its
            # forces hit back", in a state office's words: the office's own state
            own = _OWN_FORCES.search(before)
            actor = self._own_state(speaker) if own else None
            if actor:
                found.append((own.start(), own.end(), actor, own.group(), "perpetrator"))
        if not found and speaker and speaker.startswith("org:"):
            actor = canonical_actor(self.speakers[speaker].source_name)
            cue = pats.retaliation.search(t)
            if actor and cue:
                found.append((cue.start(), cue.end(), actor, actor, "perpetrator"))


def _masked_out(m: re.Match, masks) -> bool:
    """Inside an identifying phrase, unless the phrase is part of the name."""
    return any(
        x < m.end() and m.start() < y and not (m.start() <= x and y <= m.end()) for x, y in masks
    )


def _blame_paired_nationality(tm: str, found: list) -> None:
    """ "Syrian and Russian warplanes": the first adjective stands for its own noun."""
    nat = _patterns().nationality
    for m in _PAIRED_ADJECTIVES.finditer(tm):
        x = nat.get(m.group("x").lower())
        if not x or m.group("y").lower() not in nat:
            continue
        if not any(a == m.start("y") for a, *_ in found):
            continue
        if not any(a <= m.start() < b for a, b, *_ in found):
            found.append((m.start("x"), m.end("x"), x, m.group("x"), "perpetrator"))


def _blame_held_responsible(tm: str, found: list) -> None:
    """ "holds X responsible": every actor named in X."""
    for m in _HELD_RESPONSIBLE.finditer(tm):
        for n in alias_regex().finditer(m.group("x")):
            a = m.start("x") + n.start()
            actor = canonical_actor(n.group()) or actor_aliases().get(n.group())
            if actor and not any(x <= a < y for x, y, *_ in found):
                found.append((a, a + len(n.group()), actor, n.group(), "perpetrator"))


def _clash_parties(s, clash: re.Match) -> list[tuple[str | None, str, tuple[int, int], str]]:
    """ "clashes between X and Y": X and Y are parties, neither is blamed."""
    out = []
    for g in (1, 2):
        m = alias_regex().search(clash.group(g))
        if m:
            actor = canonical_actor(m.group()) or actor_aliases().get(m.group())
            x = s.start + clash.start(g) + m.start()
            out.append((actor, m.group(), (x, x + len(m.group())), "party"))
    return out


def sentence_kinds() -> tuple[str, ...]:
    """The kinds a sentence can have (documentation and tests)."""
    return ("incident", "second", "earlier", "background", "caveat", "furniture")


__all__ = ["BlameRules", "Sentence", "sentence_kinds"]
