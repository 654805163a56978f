"""Dates (rule 6): explicit dates, relative words against the publication date, and the
publication date an article states."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .lexicon import _MONTHS, _WEEKDAYS
from .text import Sentence, _v


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


class _Dates:
    """Mixin of ``_Drafter``: the incident's date."""

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
