"""Casualty figures (rule 5): numbers bound to casualty words, combined per source.

A number binds to the casualty word before it ("killing 43", "put the toll at nine",
"the toll has now reached 18") or after it within ten words ("more than 60 fighters
... were killed or wounded"). Not a figure: a part of a total ("six of them children",
"including four children", "two children were among the dead"), nor a smaller figure in a later sentence than the same source's
earlier total for the act (the later sentence tells a part of it). A vague word keeps its
word as the qualifier ("dozens" = 24-99). "Caused no deaths or injuries" is 0 killed and
0 wounded ("no immediate reports of casualties" is nothing). A **revised** figure ("the
toll rose to 23", "raised the toll to", "has now reached", "had risen to") supersedes the
same source's earlier figures for that field, and a figure marked as earlier ("had
earlier given a toll of 18", "initially") gives way to the source's other figures; otherwise one source's figures combine as
constraints (largest minimum, smallest maximum), a contradiction keeping the range that
spans both, for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import MONTHS, NUMBER_WORDS, cw_join, lexicon, parse_number
from .sentences import Sentence, spanned


@dataclass
class Figure:
    field: str  # killed | wounded | civilians_killed | killed_or_wounded
    low: int | None
    high: int | None
    span: tuple[int, int]
    qualifier: str | None
    words: str
    attributed: bool
    revised: bool = False
    earlier: bool = False  # "had earlier given a toll of 18": superseded by any other


# --- the patterns, compiled once ------------------------------------------------------

#: a number counting towns, rockets, strikes or kilometres is no casualty figure
_NOT_PEOPLE = (
    r"%|percent|km|kilomet\w*|miles?|met(?:re|er)s?|days?|hours?|years?|months?|weeks?|o'clock|am|pm|"
    r"towns?|villages?|areas?|neighbou?rhoods?|settlements?|districts?|camps?|rockets?|shells?|"
    r"(?:air\s?)?strikes?|raids?|missiles?|(?:barrel\s)?bombs?|drones?|launchers?|tanks?|vehicles?|"
    r"positions?|posts?|incidents?|attacks?|times|targets|sorties|" + MONTHS
)
_WORDS_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: a verb of revision shortly before a number: "the toll rose to 23"
_REVISION = re.compile(
    r"\b(?:rose|risen|raised|climbed|increased|jumped|reached|revised|updated|has\s+now|had\s+now)\b[^.;]{0,30}$",
    re.I,
)
_TOLL = re.compile(
    r"\b(?:death\s+)?toll\b|\bnumber\s+of\s+(?:dead|deaths|fatalities|victims)\b", re.I
)
#: "the toll has since risen ..." before the number
_TOLL_REVISED = re.compile(
    r"\b(?:toll|number\s+of\s+(?:dead|deaths|victims))\s+(?:has|had)\s+(?:since\s+|now\s+|later\s+)?"
    r"(?:risen|rose|climbed|increased|reached|jumped)\b[^.;]*$",
    re.I,
)
#: after a toll named earlier in the sentence: "rose to", "reached"
_TOLL_VERB = re.compile(
    r"\b(?:rose|risen|climbed|increased|jumped|reached|raised)\s+(?:it\s+)?(?:to|at)\s+$|\breached\s+$",
    re.I,
)
# parts of a total are blanked from the words a number may skip to its verb:
# "At least seven civilians, four of them children, were killed"
_PARTS = re.compile(
    rf",\s*(?:(?:at least|some|about)\s+)?(?:\d+|{_WORDS_RE})\s+of\s+(?:them|whom)\b[^,]*,"
    rf"|,?\s*\b(?:including|among\s+them|among\s+whom)\s+[^,]*,?",
    re.I,
)
#: "20 of them civilians": civilians among a total
_CIVILIANS_OF = re.compile(r"\s+of\s+(?:them|whom)\s+(?:were\s+|are\s+)?civilians\b", re.I)
#: a number that is a part of a total: "four of them", "including four"
_PART_AFTER = re.compile(
    r"\s+of\s+(?:them|whom|the\s+(?:wounded|injured|dead|victims|killed))\b", re.I
)
_PART_BEFORE = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+(?:at\s+least\s+)?$", re.I
)
_AMONG_DEAD = re.compile(
    r"((?:\s+[\w'’-]+){0,5}?)\s+(?:were|are|was)\s+among\s+the\s+(?:dead|killed|victims|casualties)",
    re.I,
)
_AGE = re.compile(r"\b[\w]+-(?:year|month|week|day)s?-old\b")
_DIGIT_OR_STOP = re.compile(r"\d|[.;]")
_AND_OR = re.compile(r"\b(?:or|and)\b")
_EARLIER = re.compile(r"\b(?:earlier|initially|previously|at first)\b[^.;]{0,40}$", re.I)
#: what a qualifier does to an exact number n: (low, high)
_QUALIFIED = {
    "more": lambda n: (n + 1, None),
    "least": lambda n: (n, None),
    "most": lambda n: (None, n),
    "fewer": lambda n: (None, n - 1),
    "exact": lambda n: (n, n),
}


@dataclass(frozen=True)
class _Patterns:
    qty: re.Pattern  # a number, perhaps vague ("dozens") or qualified ("at least")
    combined: re.Pattern  # "killed or wounded", "casualties"
    killed: re.Pattern
    wounded: re.Pattern
    upper: re.Pattern  # a word that bounds the killed from above
    civil: re.Pattern  # civilians after the number
    verb_before: re.Pattern  # a casualty word just before the number: "killing 43"
    verb_after: re.Pattern  # within ten words after it: "60 fighters ... were killed"
    number_word: re.Pattern  # a number in words or a vague word, in the skipped words
    kill_word: re.Pattern  # a killed or wounded word, in the skipped words


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """The patterns built from the lexicon's casualty words, qualifiers and vague words."""
    lex = lexicon()
    cw = lex.raw["casualty_words"]
    qual_re = "|".join(sorted((re.escape(q) for q in lex.raw["qualifiers"]), key=len, reverse=True))
    vague_re = "|".join(sorted((re.escape(v) for v in lex.raw["vague"]), key=len, reverse=True))
    words_re = _WORDS_RE

    def any_of(words):
        return re.compile(r"(?:" + "|".join(words) + r")", re.I)

    return _Patterns(
        qty=re.compile(
            rf"\b(?:(?P<qual>{qual_re})\s+)?(?P<num>\d[\d,]*|(?:{vague_re})|(?:{words_re})(?:[- ](?:{words_re}))?)\b(?!\s*(?:{_NOT_PEOPLE})\b)(?!-(?:year|month|week|day)s?-old)",
            re.I,
        ),
        combined=any_of(cw["combined"]),
        killed=any_of(cw["killed"]),
        wounded=any_of(cw["wounded"]),
        upper=any_of(cw["upper_bound_killed"]),
        civil=re.compile(
            r"(?:[\w'-]+-[\w'-]+\s+|young\s+|elderly\s+)?\b(?:"
            + "|".join(cw["civilians"] + cw["civilian_persons"])
            + r")\b",
            re.I,
        ),
        verb_before=re.compile(
            rf"\b((?:{cw_join(cw['combined'])})|(?:{cw_join(cw['upper_bound_killed'])})|(?:{cw_join(cw['killed'])})|(?:{cw_join(cw['wounded'])}))\s+(?:of\s+)?(?:the\s+)?$",
            re.I,
        ),
        verb_after=re.compile(
            rf"((?:[\s,()]+(?!(?:and|or)\s+(?:\d|more than|at least))[\w'’()-]+){{0,10}}?)\s+(?:(?:were|was|have been|had been|are|got|been)\s+)?((?:{cw_join(cw['combined'])})|(?:{cw_join(cw['killed'])})|(?:{cw_join(cw['wounded'])}))\b",
            re.I,
        ),
        number_word=re.compile(rf"\b(?:{words_re}|{vague_re})\b", re.I),
        kill_word=re.compile(rf"\b(?:{cw_join(cw['killed'])}|{cw_join(cw['wounded'])})\b", re.I),
    )


def _without_parts(t: str) -> str:
    """The text with parts of a total blanked ("four of them children", "including
    ..."), for the words a number may skip to its verb."""
    chars = list(t)
    for p in _PARTS.finditer(t):
        chars[p.start() : p.end()] = " " * (p.end() - p.start())
    return "".join(chars)


def _among_the_dead(s: Sentence, t: str, m: re.Match, raw: str, among: re.Match) -> list[Figure]:
    """ "At least 16 civilians were among the dead": at least 16 killed (and civilians
    killed); "Six children were among the dead": a part, not a figure."""
    noun = among.group(1).strip(" ,").split()
    if not noun or noun[0].lower() not in ("civilians", "people", "persons", "others"):
        return []
    n = parse_number(raw)
    if n is None:
        return []
    qualifier = (m.group("qual") or "").lower() or "at least"
    span = (s.start + m.start(), s.start + m.end() + among.end())
    words = t[m.start() : m.end() + among.end()]
    att = s.cue is not None or bool(getattr(s, "detail", None))
    out = [Figure("killed", n, None, span, qualifier, words, att)]
    if noun[0].lower() == "civilians":
        out.append(Figure("civilians_killed", n, None, span, qualifier, words, att))
    return out


def _verb_after(tail: str) -> re.Match | None:
    """The casualty word within ten words after a number, if the words skipped hold no
    other number, stop or casualty word (an age, "a six-year-old boy", is skipped);
    not a participle in -ing."""
    pats = _patterns()
    rm = pats.verb_after.match(tail)
    if not rm:
        return None
    skipped = _AGE.sub("", rm.group(1))
    if (
        rm.group(2).lower().endswith("ing")
        or _DIGIT_OR_STOP.search(skipped)
        or pats.number_word.search(skipped)
        or pats.kill_word.search(skipped)
    ):
        return None
    return rm


def _field(verb: str, low, high, qualifier):
    """(field, low, high, qualifier) a casualty word gives a figure: killed or wounded
    together, killed (a word bounding the killed from above makes the number a maximum
    and is the qualifier), wounded; None for another word."""
    pats = _patterns()
    if pats.combined.fullmatch(verb) or (_AND_OR.search(verb) and pats.combined.search(verb)):
        return "killed_or_wounded", low, high, qualifier
    if pats.upper.fullmatch(verb):
        return "killed", None, (high if high is not None else low), verb.lower()
    if pats.killed.fullmatch(verb):
        return "killed", low, high, qualifier
    if pats.wounded.fullmatch(verb):
        return "wounded", low, high, qualifier
    return None


# --- the draft -------------------------------------------------------------------------


class FigureRules:
    """Mixin of ``_Drafter``: figures in a sentence and one source's figures combined."""

    # -- figures --
    def figures(self, s: Sentence) -> list[Figure]:
        """The casualty figures of a sentence (see the module's docstring): stated
        zeros, sums of coordinated counts, then each number bound to a casualty word."""
        t = self._singulars(s.text)
        out: list[Figure] = self._zero_figures(s)
        sums = self._sums(s, t)
        out += sums
        summed = [(f.span[0] - s.start, f.span[1] - s.start) for f in sums]
        bare = _without_parts(t)
        toll_here = _TOLL.search(t)
        for m in _patterns().qty.finditer(t):
            if any(a <= m.start() < b for a, b in summed):
                continue  # counted in a sum of coordinated counts
            out += self._figures_at(s, t, bare, m, toll_here)
        out = self._clause_parts(out)
        for f in out:  # the words as written ("A girl", not "1 girl")
            f.words = s.text[f.span[0] - s.start : f.span[1] - s.start]
        return out

    def _figures_at(self, s: Sentence, t: str, bare: str, m: re.Match, toll_here) -> list[Figure]:
        """The figures a number states: civilians of a total ("20 of them civilians"),
        none for a part of a total, a total among the dead, else the figure its
        casualty word gives it."""
        raw = m.group("num").lower()
        right = t[m.end() : m.end() + 60]
        civ_part = _CIVILIANS_OF.match(right)
        if civ_part and parse_number(raw) is not None:
            n = parse_number(raw)
            span = (s.start + m.start(), s.start + m.end() + civ_part.end())
            rev = bool(_REVISION.search(t[: m.start()]))
            words = t[m.start() : m.end() + civ_part.end()]
            return [Figure("civilians_killed", n, n, span, None, words, s.cue is not None, rev)]
        if _PART_AFTER.match(right) or _PART_BEFORE.search(t[max(0, m.start() - 30) : m.start()]):
            return []  # a part of a total
        among = _AMONG_DEAD.match(bare[m.end() : m.end() + 80])
        if among:
            return _among_the_dead(s, t, m, raw, among)
        return self._bound_figure(s, t, bare, m, raw, toll_here)

    def _bound_figure(
        self, s: Sentence, t: str, bare: str, m: re.Match, raw: str, toll_here
    ) -> list[Figure]:
        """A number bound to the casualty word before it ("killing 43", "the toll
        rose to 23") or after it ("more than 60 fighters ... were killed"); with
        civilians after the number, the civilians killed too."""
        pats = _patterns()
        vague = self.lex.raw["vague"]
        if raw in vague:
            low, high = vague[raw]
            high = high or None
            n = None
        else:
            n = parse_number(raw)
            if n is None:
                return []
            low = high = n
        left = t[max(0, m.start() - 40) : m.start()]
        lm = pats.verb_before.search(left)
        verb = lm.group(1) if lm else None
        revised = bool(lm and _REVISION.search(lm.group(1))) or bool(
            _TOLL_REVISED.search(t[: m.start()])
        )
        if verb is None and toll_here and toll_here.start() < m.start():
            if _TOLL_VERB.search(t[: m.start()]):
                verb, revised = "killed", True
        right_words = None
        if verb is None:
            right_words = _verb_after(bare[m.end() : m.end() + 120])
            verb = right_words.group(2) if right_words else None
        if verb is None:
            return []
        qualifier = (m.group("qual") or "").lower() or None
        if n is None and not qualifier:
            qualifier = raw  # the vague word itself: "dozens"
        if n is not None and qualifier:
            low, high = _QUALIFIED[self.lex.raw["qualifiers"][qualifier]](n)
        is_civ = bool(pats.civil.match(t[m.end() : m.end() + 25].strip()))
        end = m.end() + (right_words.end() if right_words else 0)
        start = min(m.start(), m.start() - (len(left) - lm.start()) if lm else m.start())
        span = (s.start + start, s.start + end)
        words = t[start:end]
        attributed = s.cue is not None or s.continued or bool(getattr(s, "detail", None))
        field = _field(verb, low, high, qualifier)
        if field is None:
            return []
        fld, low, high, qualifier = field
        earlier = not revised and bool(_EARLIER.search(t[: m.start()]))
        out = [Figure(fld, low, high, span, qualifier, words, attributed, revised, earlier)]
        if is_civ and fld == "killed":
            out.append(
                Figure("civilians_killed", low, high, span, qualifier, words, attributed, revised)
            )
        return out

    @staticmethod
    def _clause_parts(figs: list[Figure]) -> list[Figure]:
        """Exact figures of one field told by one speaker in one sentence, each with its
        own casualty word ("a young woman was seriously injured and four children were
        lightly hurt"; "killing a woman ..., and the third exploded ..., killing five
        children"), are parts: they add up. Revised and earlier figures are not."""
        out = []
        for fld in ("killed", "wounded", "civilians_killed", "killed_or_wounded"):
            fs = [f for f in figs if f.field == fld]
            exact = [
                f
                for f in fs
                if f.low is not None and f.low == f.high and not f.revised and not f.earlier
            ]
            spans = {f.span for f in exact}
            if len(exact) > 1 and len(spans) == len(exact) and all(f.low > 0 for f in exact):
                first = min(exact, key=lambda f: f.span[0])
                last = max(exact, key=lambda f: f.span[1])
                total = sum(f.low for f in exact)
                out.append(
                    Figure(
                        fld, total, total, (first.span[0], last.span[1]), None, "",
                        any(f.attributed for f in exact),
                    )
                )  # fmt: skip
                out += [f for f in fs if f not in exact]
            else:
                out += fs
        return out

    def _persons(self) -> tuple[str, str]:
        cw = self.lex.raw["casualty_words"]
        one = "|".join(cw["persons"])
        many = rf"(?:{one})(?:s|ren)?|men|women|children|people|civilians|family members"
        return one, many

    def _singulars(self, t: str) -> str:
        """The sentence with a single person's article written as the number 1 (same
        length): "killing a two-year-old child" -> "killing 1 two-year-old child";
        "injuring the media activist Asmar Aslan" -> "injuring 1   media activist ..."."""
        one, _ = self._persons()
        adj = r"(?:(?:[\w]+-[\w-]+|young|old|elderly|pregnant|local|rebel|civilian|media|female|male|little|teenage|displaced|[A-Z][a-z]+)\s+)"
        rx = re.compile(rf"\b(?P<art>[Aa]n?)\s+(?={adj}{{0,3}}(?:{one})\b(?![s-]))")
        t = rx.sub(lambda m: "1" + " " * (len(m.group()) - 1), t)
        role = r"(?:journalist|activist|reporter|photographer|cameraman|volunteer|paramedic|doctor|nurse|teacher)"
        rx = re.compile(
            rf"\b(?P<art>[Tt]he)\s+(?=(?:(?:media|local|young|civil|defen[cs]e)\s+){{0,2}}{role}\s+[A-Z][a-z]+\s+[A-Z])"
        )
        return rx.sub("1  ", t)

    def _sums(self, s, t: str) -> list[Figure]:
        """Coordinated counts of people before (or after) one casualty verb add up:
        "An elderly woman and four of her children were killed" = 5."""
        _, many = self._persons()
        cw = self.lex.raw["casualty_words"]
        civ = re.compile(
            r"\b(?:" + "|".join(cw["civilian_persons"] + cw["civilians"]) + r")(?:s|ren)?\b", re.I
        )
        words_re = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
        num = rf"(?:\d[\d,]*|{words_re})"
        np_ = rf"{num}\s+(?:of\s+(?:her|his|their)\s+)?(?:[\w'-]+\s+){{0,3}}?(?:{many})\b"
        seq = rf"{np_}(?:\s*,\s*{np_})*\s*,?\s+and\s+{np_}"
        out = []
        for m in re.finditer(
            rf"\b(?P<seq>{seq})\s+(?:were|have\s+been|had\s+been)\s+(?:\w+\s+)?(?P<v>killed|wounded|injured|hurt)\b"
            rf"|\b(?P<v2>killing|wounding|injuring|killed|wounded|injured|kills)\s+(?P<seq2>{seq})",
            t,
            re.I,
        ):
            g = "seq" if m.group("seq") else "seq2"
            verb = (m.group("v") or m.group("v2")).lower()
            # "six civilians, two women and two children among them": a total and its
            # parts, not a sum
            if re.match(
                r"\s*(?:among\s+(?:them|whom)|of\s+(?:them|whom)|including)\b", t[m.end(g) :], re.I
            ):
                continue
            if re.match(
                rf"{num}\s+(?:[\w'-]+\s+)?(?:people|persons|civilians)\s*,", m.group(g), re.I
            ):
                continue
            parts = re.findall(rf"(?:^|,\s*|\s+and\s+)({num})\s", m.group(g), re.I)
            ns = [parse_number(x.lower()) for x in parts]
            if len(ns) < 2 or any(n is None for n in ns):
                continue
            total = sum(ns)
            fld = "killed" if verb.startswith("kill") else "wounded"
            span = (s.start + m.start(g), s.start + m.end(g))
            words = s.text[m.start() : m.end()]
            att = s.cue is not None or s.continued or bool(getattr(s, "detail", None))
            out.append(Figure(fld, total, total, span, None, words, att))
            nouns = re.findall(rf"(?:{many})\b", m.group(g), re.I)
            if fld == "killed" and nouns and all(civ.fullmatch(n) for n in nouns):
                out.append(Figure("civilians_killed", total, total, span, None, words, att))
        return out

    def _zero_figures(self, s) -> list[Figure]:
        """ "Caused no deaths or injuries", "no one was hurt": figures of 0."""
        out = []
        t = s.text
        attributed = s.cue is not None or s.continued
        for m in re.finditer(
            r"\b(?:caused|causing|left|leaving|resulted\s+in|there\s+were|with|without(?:\s+causing)?)\s+(?:any\s+)?no\s+"
            r"(?P<a>deaths?|casualties|injuries|dead|fatalities|victims)(?:\s+(?:or|and)\s+(?P<b>injuries|deaths|casualties|injured))?"
            r"|\bno\s+one\s+was\s+(?P<c>killed|hurt|injured|wounded)(?:\s+or\s+(?P<d>hurt|injured|wounded|killed))?"
            r"|\bwithout\s+(?:causing\s+)?(?:any\s+)?(?P<e>casualties)",
            t,
            re.I,
        ):
            if re.match(
                r"\s+(?:were\s+|have\s+been\s+|had\s+been\s+)?(?:immediately\s+)?reported",
                t[m.end() :],
                re.I,
            ):
                continue  # "no casualties reported so far": not known, not zero
            words = " ".join(filter(None, (m.group(g) for g in "abcde"))).lower()
            span = (s.start + m.start(), s.start + m.end())
            fields = set()
            if re.search(r"death|dead|fatalit|victim|killed|casualt", words):
                fields.add("killed")
            if re.search(r"injur|hurt|wound|casualt", words):
                fields.add("wounded")
            for fld in sorted(fields):
                out.append(Figure(fld, 0, 0, span, None, m.group(), attributed))
        return out

    def _combine(self, source: str, figs: list[Figure]) -> dict:
        """One source's figures of an act as its claim's fields: per field, a figure
        marked earlier gives way to the others, a revised one supersedes the rest (a
        revised killed toll also supersedes earlier civilians killed), else the largest
        minimum and the smallest maximum; a smaller figure in a later sentence than the
        total is a part of it; a contradiction keeps the range spanning both, for
        review."""
        out: dict[str, dict] = {}
        for fld in ("killed", "wounded", "civilians_killed", "killed_or_wounded"):
            fs = [f for f in figs if f.field == fld]
            if not fs:
                continue
            if any(f.earlier for f in fs) and not all(f.earlier for f in fs):
                fs = [f for f in fs if not f.earlier]
            if any(f.revised for f in fs):
                fs = [max((f for f in fs if f.revised), key=lambda f: f.span[0])]
            elif fld == "civilians_killed":
                # "had earlier reported nine civilians killed; the toll has now reached 18"
                rev = [f for f in figs if f.field == "killed" and f.revised]
                if rev and all(f.span[0] < rev[-1].span[0] for f in fs):
                    last = max(rev, key=lambda f: f.span[0])
                    fs = [
                        Figure(
                            "civilians_killed",
                            last.low,
                            last.high,
                            last.span,
                            last.qualifier,
                            last.words,
                            last.attributed,
                            True,
                        )
                    ]
            lows = [f for f in fs if f.low is not None]
            highs = [f for f in fs if f.high is not None]
            lo = max(lows, key=lambda f: (f.low, f.attributed, -f.span[0])) if lows else None
            hi = min(highs, key=lambda f: (f.high, not f.attributed, f.span[0])) if highs else None
            low = lo.low if lo else None
            high = hi.high if hi else None
            if (
                low is not None
                and high is not None
                and low > high
                and lo.span[0] < hi.span[0]
                and lo.high is not None
                and re.search(r"[.!?]\s", self.text[lo.span[1] : hi.span[0]]) is not None
            ):
                # a total first, a smaller figure in a later sentence: the later one
                # tells part of the total ("killing six ... Two of them struck a house,
                # killing a woman ... the third ... killing five children")
                self.review.append(
                    f"{source}: a later, smaller {fld.replace('_', ' ')} figure read as part of the earlier total."
                )
                low, high, hi = lo.low, lo.high, lo
            elif low is not None and high is not None and low > high:
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
                out[f"{fld}_min"] = spanned(low, lo.span, qualifier=lo.qualifier, words=lo.words)
            if hi is not None:
                out[f"{fld}_max"] = spanned(high, hi.span, qualifier=hi.qualifier, words=hi.words)
        return out
