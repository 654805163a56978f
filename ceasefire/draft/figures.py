"""Casualty figures (rule 5): numbers bound to casualty words, combined per source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import _MONTHS, _NUMBER_WORDS, _number, cw_join
from .text import Sentence, _v


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


class _Figures:
    """Mixin of ``_Drafter``: figures in a sentence and one source's figures combined."""

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
