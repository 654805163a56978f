"""Small formatting rules shared by the pages, exports and CLI."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd


def range_text(low, high) -> str:
    """A casualty range as text: '31–75', '43' when both ends agree, 'not stated' when
    neither is known, '31+' when only a minimum is ('more than 30')."""
    low = None if low is None or pd.isna(low) else int(low)
    high = None if high is None or pd.isna(high) else int(high)
    if low is None and high is None:
        return "not stated"
    if high is None:
        return f"{low:,}+"
    if low is None:
        return f"up to {high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def number(value, digits: int = 2) -> str:
    """A measured value as a reader reads it: thousands separators and at most ``digits``
    decimals ('1,234.57'; '' for a missing one, which the caller says in words)."""
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.{digits}f}"


#: Nouns whose plural is not the noun + "s".
_PLURALS = {
    "was": "were",
    "is": "are",
    "has": "have",
    "this": "these",
    "entry": "entries",
    "tally": "tallies",
}


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 problem', '2 problems', '1,204 rows': a count with its noun in agreement."""
    word = noun if n == 1 else (many or _PLURALS.get(noun) or noun + "s")
    return f"{n:,} {word}"


_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (date(2000, number, 1).strftime("%B"), date(2000, number, 1).strftime("%b"))
}
#: Shapes a date is commonly written in: ISO (with or without a time), "31 February
#: 2021", "February 31, 2021", and day/month/year with / . or -.
_DATE_SHAPES = (
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T][\d:.]+)?"), "ymd"),
    (re.compile(r"(?P<d>\d{1,2})[ -](?P<m>[A-Za-z]+)\.?,?[ -](?P<y>\d{4})"), "dmy"),
    (re.compile(r"(?P<m>[A-Za-z]+)\.? (?P<d>\d{1,2}),? (?P<y>\d{4})"), "mdy"),
    (re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"), "dmy"),
)


def impossible_date(value: str | None) -> str | None:
    """Why ``value`` is no real date although it has a date's form ('31 February 2021
    is not a real date: February 2021 has 28 days'); None when it is not written as a
    date at all or is a real date."""
    if value is None:
        return None
    text = str(value).strip()
    for shape, _order in _DATE_SHAPES:
        found = shape.fullmatch(text)
        if not found:
            continue
        year, day, month_text = int(found["y"]), int(found["d"]), found["m"]
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            return None  # a word that is no month: not a date's form
        if not 1 <= month <= 12:
            return f"{text} is not a real date: there is no month {month}"
        if day == 0:
            return f"{text} is not a real date: there is no day 0"
        try:
            date(year, month, day)
        except ValueError:
            days = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
            return f"{text} is not a real date: {date(year, month, 1):%B} {year} has {days} days"
        return None
    return None
