"""Dates (rule 6): the day of an act, from its sentences and the publication date.

In an act's sentences, in this order:

1. An **explicit date** of the act ("26 October 2020", "On February 28, 2020,"), unless
   it dates an agreement ("a ceasefire ... took effect on January 12") or a statement
   ("said on 12 February").
2. A **relative expression of the act**, resolved against the publication date:
   "yesterday", "last night" - the day before; "today", "tonight", "this morning", "at
   dawn" - the publication day; "N days ago"; "overnight" - the night before
   publication, dated by the evening it began (the day before); a **weekday** in any
   form ("on Sunday", "early Sunday", "Sunday's shelling", "late on Thursday", "Sunday
   morning") - the latest such day on or before the publication date, so a weekday
   equal to the publication day is that day. A weekday in the same sentence wins over
   "overnight" ("overnight, around midnight on Tuesday").
3. Only then a **statement's date** ("said on Sunday", "told reporters on Friday", "said
   at a briefing on Wednesday night"): it dates what was said, not the act, so it is
   used only when nothing else dates the act, and the proposal says so.

An act the text does not date is left empty for the editor (the drafter then applies
the inheritance rules of ``drafter.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .lexicon import MONTHS, WEEKDAYS
from .sentences import Sentence, spanned


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
    for i, day in enumerate(WEEKDAYS):
        if day in low:
            back = (published.weekday() - i) % 7
            if low.startswith("last") and back == 0:
                back = 7
            rule = (
                f"{day.capitalize()}: the publication day"
                if back == 0
                else f"{day.capitalize()}: the latest {day.capitalize()} before the publication date"
            )
            return published - timedelta(days=back), rule
    if "day before yesterday" in low:
        return published - timedelta(days=2), "the day before yesterday: publication date - 2"
    if low.startswith("yesterday") or low == "last night":
        return published - timedelta(days=1), f"{low}: the day before the publication date"
    if low == "overnight":
        return (
            published - timedelta(days=1),
            "overnight: the night before publication, dated by the evening it began",
        )
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
            rf"\s*(?:(?:Published|Posted|Date|Updated)(?: on)?:?\s*)?((?:\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}})|(?:(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})|\d{{4}}-\d{{2}}-\d{{2}})\s*",
            line,
            re.I,
        )
        if m:
            parsed = _parse_date(m.group(1), date.today())
            if parsed:
                return parsed
    return None


_DAYS = "|".join(d.capitalize() for d in WEEKDAYS)
_EXPLICIT = re.compile(
    rf"\b(?P<d>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+\d{{4}})?)|(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)|(?:\d{{4}}-\d{{2}}-\d{{2}}))\b"
)
_RELATIVE = re.compile(
    rf"\b(?P<r>(?:the day before yesterday)|yesterday(?:['’]s)?|last night|overnight|today|this (?:morning|afternoon|evening)|tonight|"
    rf"(?:(?:at dawn|at dusk|in the early hours|early|late)\s+)?(?:on\s+|of\s+|last\s+)?(?:{_DAYS})(?:['’]s)?(?:\s+(?:morning|night|evening|afternoon))?|"
    rf"(?:\w+|\d+)\s+days\s+ago|at dawn)\b",
    re.I,
)
#: words just before a date that make it a statement's date ("said on Sunday")
_STATEMENT = re.compile(
    r"\b(?:said|says|told(?:\s+[\w.'’-]+){0,3}|reported|announced|stated|added|noted|confirmed|wrote|"
    r"tweeted|posted|denied|rejected|declared|claimed)\s*(?:,\s*)?(?:(?:in a statement|at a (?:news )?briefing|to reporters|on twitter|in a post)\s+)*$",
    re.I,
)
#: words before a date that make it an agreement's date
_AGREEMENT = re.compile(
    r"\b(?:ceasefire|cease-fire|truce|agreement|deal|memorandum|protocol|accord|understanding)\b[^.;]{0,80}$"
    r"|\bsince\s+[^.;]{0,40}$",
    re.I,
)


class DateRules:
    """Mixin of ``_Drafter``: an act's date."""

    def sentence_date(self, s: Sentence) -> str | None:
        """The day a sentence dates its act by (an explicit date or a relative word,
        not a statement's date nor an agreement's): acts.py tells acts apart by it."""
        v = self._quiet_date(s)
        return None if v.get("note") else v["value"]

    def statement_day(self, s: Sentence) -> str | None:
        """The day of the statement a sentence reports ("said on Saturday evening
        that ..."), when nothing else in it dates its act."""
        v = self._quiet_date(s)
        return v["value"] if v.get("note") else None

    def _quiet_date(self, s: Sentence) -> dict:
        saved = self.review
        self.review = []
        try:
            return self.occurred_on([s])
        finally:
            self.review = saved

    def occurred_on(self, sentences: list[Sentence]) -> dict:
        sentences = [s for s in sentences if not s.heading]
        statement = None
        for s in sentences:
            for m in _EXPLICIT.finditer(s.text):
                head = s.text[: m.start("d")]
                if _AGREEMENT.search(head):
                    continue
                parsed = _parse_date(m.group("d"), self.published)
                if not parsed:
                    continue
                a = s.start + m.start("d")
                v = spanned(parsed.isoformat(), (a, a + len(m.group("d"))), rule="explicit date")
                if _STATEMENT.search(re.sub(r"\s*(?:on|late on|early on)\s*$", "", head)):
                    statement = statement or v
                    continue
                return v
        for s in sentences:
            found = []
            for m in _RELATIVE.finditer(s.text):
                words = m.group("r").strip()
                lead = len(m.group("r")) - len(m.group("r").lstrip())
                head = s.text[: m.start("r") + lead]
                resolved, rule = _resolve_relative(words, self.published)
                if not resolved:
                    continue
                a = s.start + m.start("r") + lead
                v = spanned(resolved.isoformat(), (a, a + len(words)), rule=rule)
                said = re.sub(r"\s*(?:on|late on|early on|late|early)\s*$", "", head, flags=re.I)
                if _STATEMENT.search(said) or _STATEMENT.search(
                    re.sub(r"\s+(?:late|early)$", "", said, flags=re.I)
                ):
                    if statement is None:
                        statement = v
                    continue
                weekday = any(d in words.lower() for d in WEEKDAYS)
                found.append((0 if weekday else 1, v, words.lower()))
            if found:
                # a weekday wins over "overnight" in the same sentence
                weekdays = [f for f in found if f[0] == 0]
                return (weekdays or found)[0][1]
        if statement is not None:
            a, b = statement["span"]
            note = (
                f"dated by the statement ({self.text[a:b]!r}): nothing else in the text dates the act; "
                "the act may be earlier"
            )
            self.review.append(f"Date: {note}.")
            return {**statement, "rule": "the statement's date", "note": note}
        return spanned(None, None, rule="no date in the text: the editor sets it")
