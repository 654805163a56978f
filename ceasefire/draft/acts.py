"""Acts (rule 3): an article reporting several acts is cut into one incident per act.

The sentences about acts (not earlier events, not background, not caveats) are read in
order. The first opens the main act; its first specific place (a town, village, camp,
mountain or area, known to the gazetteer or named as "the village of X") is the act's
*primary* place. A later sentence opens a **new act** when it reports an act (an attack
verb, a weapon, a casualty figure) and either

- names a specific place other than the current act's, without referring back to the act
  ("It killed five members of one family in Iblin ..." and "the raids, which targeted
  Kafr Ruma" refer back: a pronoun, or "the strike / the raids / the shelling / the
  deaths ..." not followed by "of" nor after "before / after / since"), or
- is marked as another act ("also", "separately", "meanwhile", "another strike",
  "again", "earlier in the day", "hours before", "before the attack", "in a separate
  attack"; "another woman" is no marker) and names no place (unless it speaks of
  places in the plural, "also shelled several towns": a summary, or of "the area": the
  same act), or a specific place other than the current one; a marked sentence naming only provinces ("also shelled
  several settlements in Latakia and Aleppo provinces") is a summary, not an act; or
- dates itself on another day than the current act ("On Thursday, the ministry said it
  had shot down two drones" in a report of Friday's strike), at no place of the act's;
  or is a statement dated before the current act's day, with no date of its own act
  ("The Russian centre said on Saturday evening that the army had repelled an attack"
  in a report of Sunday's shelling): a statement cannot tell a later act;
- is marked and names only a province other than the current act's ("Meanwhile in
  Aleppo, ..." after an act in Hama), or a region of one ("two more were killed ... on
  the western countryside of Idlib"), unless it speaks of places in the plural
  ("several settlements in Latakia and Aleppo provinces": a summary); or
- names another perpetrator using other means than the act so far ("HTS units tried to
  mount an offensive" in a report of a strike blamed on government aircraft), or is
  marked and names another perpetrator, even at the same place ("Regime warplanes,
  meanwhile, targeted the hospital in Kafr Nabl" after Russian strikes on Kafr Nabl).

A sentence dating its attack more than three days before publication (and on another
day than the current act's), after the article's first act, at a place already reported
or at none, is context ("On September 23, regime rockets hit a camp ... of Sarmin" after
today's strike on Sarmin): no act; at places of its own it is an act. An attack dated
before the article's first act and told after it in the outlet's own words (no
attribution) is background the outlet supplies: no act. The act a retaliation answered ("came in
retaliation for government shelling of ...", ``blame.classify``) is its own act. Two
clauses joined by ", while", each with its casualties, the second marked as another
act, are read as two sentences (``_clause_split``). A sentence naming an earlier act's
primary place goes back to that act ("All the
children killed in Qastoun ..."), and casualties told with no act of their own after an
act said to have caused none go to the act before it. A retaliation (``blame.classify``) is always its own
act; the sentences after it stay with it until another act opens. Everything else stays
with the current act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .sentences import Sentence

_MARKER = re.compile(
    r"\b(?:also(?!\s+(?:known|reported|said|says|confirmed|told|stated|noted|documented|announced)\b)|separately|meanwhile|again|in a separate (?:attack|strike|incident)|"
    # "another" of an act or a place, not of a person ("wounding another woman")
    r"another\s+(?:[\w-]+\s+)?(?:attack|strike|raid|airstrike|shelling|bombardment|bombing|incident|round|"
    r"village|town|area|drone|missile|rocket|shell|barrage)s?|"
    r"earlier in the day|later in the day|(?:minutes|hours|shortly|a day|days) (?:after|later|before|earlier)|"
    r"(?:before|after) the (?:attack|strike|strikes|raid|raids|shelling|bombardment|bombing)|"
    r"a (?:second|third|fourth)|two more|three more|"
    # a sentence opening with another group of victims: "Two other civilians were killed ..."
    r"^\W*\w+\s+other\s+(?:civilians|people|persons|children))\b",
    re.I,
)
_PLURAL = re.compile(
    r"\b(?:several|other|many|a number of|dozens of|various|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+)?(?:settlements|villages|towns|districts|areas|locations|localities|places|positions)\b",
    re.I,
)
#: an act dated more than this many days before publication, told after the article's
#: first act, is context (an earlier event), not an act of the article
_CONTEXT_DAYS = 3


def _days_before(published: date, day: str) -> int:
    try:
        return (published - date.fromisoformat(day)).days
    except ValueError:
        return 0


#: a retaliation named again by a definite noun ("the counter-fire", "the retaliation"):
#: the retaliation told just before, not another
_RETALIATION_BACK = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:counter-?fire|retaliation|response|retaliatory\s+\w+)\b",
    re.I,
)

_PLACE_BACK = re.compile(
    r"\bthe\s+(?:same\s+)?(?:area|town|village|city|camp|neighbou?rhood|site|place|scene)\b(?!\s+of\b)",
    re.I,
)
_REGION = re.compile(
    r"\b(?:(?:north|south|east|west)\w*\s+(?:countryside|suburbs|outskirts|rural\s+\w+)|countryside\s+of)\b",
    re.I,
)
_UNHURT = re.compile(
    r"\bno\s+(?:casualties|deaths|injuries|one\s+was\s+(?:killed|hurt|injured))\b|\bwithout\s+(?:causing\s+)?(?:any\s+)?casualties\b",
    re.I,
)
_CASUALTY = re.compile(r"\b(?:killed|dead|died|wounded|injured|casualties)\b", re.I)
_SEPARATELY = re.compile(r"^\W*(?:separately|in a separate (?:attack|strike|incident))\b", re.I)
_ACT_NOUN = (
    r"(?:attack|strike|strikes|raid|raids|shelling|bombardment|bombing|explosion|blast|"
    r"massacre|assault|rocket attack|rocket fire|rockets|shells|airstrikes?|air strikes?|"
    r"drone strike|drone|fire|toll|death toll|missile|missiles|deaths|casualties|victims|dead)"
)
_ANAPHOR = re.compile(
    rf"(?:^\W*(?:it|they|this|these)\b)|(?<!after )(?<!before )(?<!since )(?<!following )(?<!during )"
    # "that" only opening the sentence: after a verb it is a conjunction ("reported that
    # regime rocket fire killed ...")
    rf"(?:\b(?:the|this|these|those)|^\W*that)\s+(?:[\w-]+\s+)?{_ACT_NOUN}\b(?!\s+of\b)",
    re.I,
)


@dataclass
class Act:
    sentences: list[Sentence] = field(default_factory=list)
    kind: str = "main"  # main | other | second
    primary: str | None = None  # gazetteer key of the first specific place
    places: set[str] = field(default_factory=set)
    separately: bool = False
    day: str | None = None  # the first day its sentences give
    actors: set[str] = field(default_factory=set)  # perpetrators its sentences name
    weapons: set[str] = field(default_factory=set)  # weapon words its sentences use
    governorates: set[str] = field(default_factory=set)
    unhurt: bool = False  # its words say it caused no casualties


class ActRules:
    """Mixin of ``_Drafter``: the article's acts."""

    def _is_act(self, s: Sentence, killing: bool = True) -> bool:
        """Whether the sentence's own words report an attack (an attack verb or a
        weapon; a casualty word alone, "the wounded terrorists were taken", does not;
        with ``killing=False`` nor does "killed")."""
        lex = self.lex
        words = [p for ps in lex.raw["weapons"].values() for p in ps]
        verbs = lex.raw["agentive"]["after"]
        if not killing:
            verbs = [v for v in verbs if not v.startswith("kill")]
        words += verbs + [_ACT_NOUN]
        return bool(lex.regex(words).search(self._content(s)))

    def _actors_weapons(self, s: Sentence) -> tuple[set[str], set[str]]:
        """The perpetrators a sentence's words name and the weapon words it uses."""
        from .sentences import views

        actors = {
            b[0]
            for v in views(s)
            if v.speaker != "nobody"
            for b in self.blamed(v)
            if b[0] and b[3] == "perpetrator"
        }
        content = self._content(s)
        weapons = {
            w for w, pats in self.lex.raw["weapons"].items() if self.lex.regex(pats).search(content)
        }
        return actors, weapons

    @staticmethod
    def _content(s: Sentence) -> str:
        chars = list(s.text)
        for x, y in s.masked:
            chars[x:y] = " " * (y - x)
        cut = s.answered_from
        if cut:  # "the HTS attack came in retaliation for ...": only the act answered
            chars[:cut] = " " * cut
        return "".join(chars)

    def _clause_split(self, s: Sentence) -> list[Sentence]:
        """A sentence telling two acts in clauses joined by ", while" ("Two other civilians
        were killed by regime air strikes on X, while two more were killed ... in a rocket
        attack on Y") is read as two sentences when each clause has its casualties and
        the second is marked as another act ("two more", "another", "also"); and a
        retaliation joined by ", and (that)" to the attack it answered is read as the
        attack and the retaliation (``_retaliation_clause``)."""
        if s.heading:
            return [s]
        kinds = (s.kind, s.kind)
        m = re.search(r",\s+(?:while|whereas)\s+", s.text)
        if m:
            left, right = s.text[: m.start()], s.text[m.end() :]
            if not (_CASUALTY.search(left) and _CASUALTY.search(right) and _MARKER.search(right)):
                return [s]
        else:
            m = self._retaliation_clause(s)
            if not m:
                return [s]
            kinds = ("incident", "second")
        out = []
        for (a, b), kind in zip(((0, m.start()), (m.end(), len(s.text))), kinds, strict=True):
            part = Sentence(s.start + a, s.start + b, s.text[a:b], s.para, s.heading)
            part.kind, part.speaker, part.cue, part.continued = (
                kind, s.speaker, s.cue, s.continued,
            )  # fmt: skip
            part.segments = [
                type(g)(
                    max(g.start, part.start),
                    min(g.end, part.end),
                    g.speaker,
                    g.cue,
                    g.relays,
                    g.detail,
                )
                for g in s.segments
                if g.start < part.end and part.start < g.end
            ]
            part.masked = [(max(x, a) - a, min(y, b) - a) for x, y in s.masked if x < b and a < y]
            out.append(part)
        return out

    def _retaliation_clause(self, s: Sentence) -> re.Match | None:
        """In a sentence read as a retaliation, the ", and (that)" joining the attack it
        answered to the retaliation ("Turkey said Syrian forces attacked a Turkish post on
        Sunday, and that Turkish troops hit back with heavy weapons"): the attack is the
        clause before, with an attack verb and no word of retaliation of its own."""
        if s.kind != "second":
            return None
        retaliation = self.lex.regex(self.lex.raw["other_acts"]["retaliation"])
        attack = self.lex.regex(self.lex.raw["agentive"]["after"])
        for m in re.finditer(r",\s+and\s+(?:that\s+)?", s.text):
            left, right = s.text[: m.start()], s.text[m.end() :]
            if retaliation.search(right) and not retaliation.search(left) and attack.search(left):
                return m
        return None

    def split_acts(self) -> list[Act]:
        """The article's acts, in order (see the module's docstring): its sentences about
        acts cut at their clauses, then each sentence given to the act it goes on with,
        to an act of its own, or to none (an earlier event)."""
        acts: list[Act] = []
        split = []
        for s in self.sentences:
            split += self._clause_split(s) if s.kind in ("incident", "second") else [s]
        self.sentences = split
        body = [s for s in self.sentences if not s.heading and s.kind in ("incident", "second")]
        for s in body:
            self._place_sentence(acts, s)
        for i, a in enumerate(acts):
            for s in a.sentences:
                s.act = i
        return acts

    def _place_sentence(self, acts: list[Act], s: Sentence) -> None:
        """Give a sentence to an act: the retaliation it names again, a new first act
        or retaliation, none (context), the act a retaliation answered, an act whose
        place it names again, a new act, or the current one."""
        specific, broad_only = self.sentence_places(s)
        keys = [k for k, _ in specific]
        s.placed = bool(keys)
        if (
            s.kind == "second"
            and acts
            and acts[-1].kind == "second"
            and _RETALIATION_BACK.search(s.text)
        ):
            acts[-1].sentences.append(s)  # "the counter-fire killed ...": the same retaliation
            return
        if s.kind == "second" or not acts:
            acts.append(
                Act([s], "second" if s.kind == "second" else "main", day=self.sentence_date(s))
            )
            self._note_places(acts[-1], keys)
            acts[-1].actors, acts[-1].weapons = self._actors_weapons(s)
            acts[-1].governorates = self.sentence_governorates(s)
            return
        if self._is_earlier_event(acts, s, keys):
            s.kind = "earlier"
            return
        answered = self._answered_act(acts, s, keys)
        if answered is not None:
            answered.sentences.append(s)
            return
        back = next(
            (a for a in acts if a.primary and a is not acts[-1] and a.primary in keys), None
        )
        if back is not None:
            back.sentences.append(s)
            return
        cur = acts[-1]
        content = self._content(s)
        day = self.sentence_date(s)
        actors, weapons = self._actors_weapons(s)
        govs = self.sentence_governorates(s)
        if s.answered_from:
            new = True  # the act a retaliation answered is another act
        elif self._is_act(s) and not _ANAPHOR.search(content):
            new = self._is_new_act(cur, s, keys, broad_only, content, day, actors, weapons, govs)
        else:
            new = False
        if new:
            acts.append(Act([s], "other", separately=bool(_SEPARATELY.search(s.text))))
        elif cur.unhurt and not self._is_act(s, killing=False) and _CASUALTY.search(content):
            # casualties told after an act said to have caused none ("No casualties
            # were reported from those raids. The directorate said six were killed")
            # belong to the act before it
            earlier = next((a for a in reversed(acts[:-1]) if not a.unhurt), cur)
            earlier.sentences.append(s)
            return
        else:
            cur.sentences.append(s)
        if _UNHURT.search(content):
            acts[-1].unhurt = True
        self._note_places(acts[-1], keys)
        if acts[-1].day is None:
            acts[-1].day = day
        acts[-1].actors |= actors
        acts[-1].weapons |= weapons
        acts[-1].governorates |= govs

    def _is_earlier_event(self, acts: list[Act], s: Sentence, keys: list[str]) -> bool:
        """Whether a sentence tells an attack before the article's acts: background, no
        act."""
        day0 = self.sentence_date(s)
        # the first act's day; undated, the publication day once the act is told
        # and another has begun
        first_day = acts[0].day or (self.published.isoformat() if len(acts) > 1 else None)
        if day0 and first_day and day0 < first_day and self._own_voice(s):
            # an attack dated before the article's act, told after it in the
            # outlet's own words ("On Thursday, 34 soldiers were killed ..." after a
            # ministry's statement of Saturday's attack): the background the outlet
            # supplies, no act; a source's report of it is an act
            return True
        # an attack dated days before the article's, told after its act, at a
        # place already reported or at none ("On September 23, regime rockets
        # hit a camp ... on the outskirts of Sarmin" after today's strike on
        # Sarmin): the place's history, no act. At places of its own, with its
        # own date, it is an act the source reports.
        return bool(
            day0
            and day0 != acts[-1].day
            and _days_before(self.published, day0) > _CONTEXT_DAYS
            and (not keys or any(self._same_place(a, keys) for a in acts if a.primary))
        )

    def _is_new_act(
        self, cur: Act, s: Sentence, keys, broad_only, content, day, actors, weapons, govs
    ) -> bool:
        """Whether a sentence reporting an act (and not referring back to one) tells
        another act than the current one: by place, marker, province, actor, day, a
        statement made before the act's day, or another author with other means."""
        marked = bool(_MARKER.search(content))
        other_place = keys and not self._same_place(cur, keys)
        other_day = bool(day and cur.day and day != cur.day)
        # another governorate named alone (not "several settlements in X")
        other_province = (
            broad_only
            and govs
            and cur.governorates
            and not (govs & cur.governorates)
            and not _PLURAL.search(content)
        )
        if cur.primary and other_place:
            return True
        if marked and (
            other_province
            or (not broad_only and other_place)
            # no place: another act, unless it speaks of places in the plural
            # ("also shelled several towns ...": a summary) or of the act's own
            # place ("the area was also struck with ...")
            or (
                not broad_only
                and not keys
                and not _PLURAL.search(content)
                and not _PLACE_BACK.search(content)
            )
        ):
            return True
        if marked and broad_only and _REGION.search(content) and not _PLURAL.search(content):
            return (
                True  # "Two other civilians were killed ... on the southern countryside of Idlib"
            )
        if marked and actors and cur.actors and not (actors & cur.actors):
            return True  # "Regime warplanes, meanwhile, targeted ..." after Russian raids
        if cur.kind == "second" and other_place:
            return True
        if other_day and not (keys and not other_place and cur.primary):
            return True
        stated = None if day else self.statement_day(s)
        if stated and cur.day and stated < cur.day:
            # a statement made before the act's day cannot tell it ("The Russian
            # centre said on Saturday evening that the army had repelled an
            # attack ..." in a report of Sunday's shelling): an earlier act
            return True
        # another author with other means: another act
        return bool(
            actors
            and cur.actors
            and not (actors & cur.actors)
            and (weapons and cur.weapons and not (weapons & cur.weapons))
        )

    def _answered_act(self, acts: list[Act], s: Sentence, keys: list[str]) -> Act | None:
        """After a retaliation, a sentence referring back to "the attack" (not to "the
        counter-fire") at no other place tells the act the retaliation answered ("In a
        statement, the defense ministry said the artillery attack on the post was
        deliberate" after "... and that Turkish troops hit back")."""
        cur = acts[-1]
        if cur.kind != "second" or len(acts) < 2 or _RETALIATION_BACK.search(s.text):
            return None
        if not _ANAPHOR.search(self._content(s)):
            return None
        answered = next((a for a in reversed(acts[:-1]) if a.kind != "second"), None)
        if answered is None or (keys and not self._same_place(answered, keys)):
            return None
        return answered

    def _own_voice(self, s: Sentence) -> bool:
        """Whether every word of the sentence is the outlet's own (no attribution, no
        relayed or continued source)."""
        default = self._default_speaker()
        return bool(s.segments) and all(
            g.speaker == default and g.cue is None and not g.relays and not g.detail
            for g in s.segments
        )

    @staticmethod
    def _same_place(act: Act, keys: list[str]) -> bool:
        """Whether the places named are the act's primary place (or the act has none
        yet); "al-Duwaila" and "Jabal al-Duwaila" are one place."""
        if act.primary is None:
            return True
        p = act.primary
        return any(p == k or (len(p) > 3 and len(k) > 3 and (p in k or k in p)) for k in keys)

    @staticmethod
    def _note_places(act: Act, keys: list[str]) -> None:
        if keys and act.primary is None:
            act.primary = keys[0]
        act.places.update(keys)
