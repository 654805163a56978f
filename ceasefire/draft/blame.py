"""Other acts and blame: sentence kinds (rule 3) and the actors a sentence blames (rule 4)."""

from __future__ import annotations

import re

from .lexicon import _APOS, _actor_aliases, _alias_regex, canonical_actor
from .text import Sentence


class _Blame:
    """Mixin of ``_Drafter``: sentence kinds and blamed actors."""

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
