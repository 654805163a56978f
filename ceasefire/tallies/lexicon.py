"""The bulletins' words (``data/tallies/lexicon.toml``), compiled once.

Only data lives in the TOML (the parts' names, unit nouns and their forms, numbers,
negations, glue words, period words); how they combine is ``bulletin.py``'s grammar.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..tables.db import PROJECT_ROOT

LEXICON_TOML = PROJECT_ROOT / "data" / "tallies" / "lexicon.toml"
LANGUAGES = ("en", "ru")


def _alternation(patterns) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _words(words) -> str:
    """Literal words (phrases allowed) as an alternation, longest first."""
    return "|".join(
        r"\s+".join(re.escape(w) for w in phrase.split())
        for phrase in sorted(words, key=len, reverse=True)
    )


@dataclass(frozen=True)
class Part:
    """A part of the joint commission: its registry name, its label and its cues."""

    key: str
    reporter: str
    label: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    raw: dict
    parts: tuple[Part, ...]
    both: re.Pattern
    distributive: frozenset[str]
    number: re.Pattern
    numbers: dict[str, int]
    unit_en: re.Pattern
    unit_ru: re.Pattern
    ru_heads: dict[str, str]  # a form of a Russian head noun -> its stored form
    negation: re.Pattern
    record_verb: re.Pattern
    before_province: frozenset[str]
    after_province: frozenset[str]
    plural_province: frozenset[str]
    partial: re.Pattern
    separators: re.Pattern
    day: re.Pattern
    hours: re.Pattern
    week: re.Pattern
    other_day: re.Pattern
    quantifiers: frozenset[str]
    agent: re.Pattern
    area: re.Pattern
    saying: re.Pattern
    weekdays: tuple[re.Pattern, ...]  # Monday first, English or Russian


def _cue(patterns) -> re.Pattern:
    """A part's cue: whole words, never half of a hyphenated compound."""
    return re.compile(rf"(?<![\w\-‐‑])(?:{_alternation(patterns)})(?![\w\-‐‑])", re.I)


def _number_pattern(numbers: dict[str, int]) -> re.Pattern:
    """A number: digits (with any thousands separator) or a number word."""
    return re.compile(
        rf"(?<![\w.,])(?:\d{{1,3}}(?:[,\u00a0\u202f]\d{{3}})+|\d+)(?![\w]|[.,]\d)"
        rf"|(?<!\w)(?:{_words(numbers)})(?!\w)",
        re.I,
    )


def _unit_en(raw: dict) -> re.Pattern:
    """An English unit: a head noun ("violations", "cases of shelling") after at most a
    few modifier words, with its complement."""
    en = raw["units"]["en"]
    # a modifier or complement word: not a stop word, a number, a negation or a verb
    # in -ed ("registered no cases" is a negation and a unit, not the unit "no cases")
    stop_en = _words([*en["stop"], *raw["numbers"]["en"], *raw["negation"]["en"]])
    verbs = _alternation(raw["record_verbs"]["en"])
    word_en = rf"(?!(?:{stop_en}|{verbs})\b)(?![a-z]+ed\b)[a-z][a-z\-]*"
    return re.compile(
        rf"(?<![\w\-])(?:{word_en}\s+){{0,{en['modifiers_max']}}}(?P<head>{_alternation(en['heads'])})\b"
        rf"(?P<complement>\s+{en['complement']}(?:\s+(?:(?:the|of|a)\s+)*{word_en})"
        rf"{{1,{en['complement_max']}}})?",
        re.I,
    )


def _unit_ru(raw: dict) -> tuple[re.Pattern, dict[str, str]]:
    """A Russian unit (a head noun in any of its forms, perhaps after a modifier, with
    its complement), and each form's canonical unit."""
    ru = raw["units"]["ru"]
    grammar = raw["units"]["ru_grammar"]
    ru_heads = {form: canonical for canonical, forms in ru.items() for form in forms}
    stop_ru = _words([*grammar["stop"], *raw["negation"]["ru"]])
    verbs_ru = _alternation(raw["record_verbs"]["ru"])
    word_ru = rf"(?!(?:{stop_ru})(?!\w))(?!{verbs_ru})[а-яё][а-яё\-]*"
    numerals_ru = _words(raw["numbers"]["ru"])
    unit_ru = re.compile(
        rf"(?<![\w\-])(?:(?!(?:{numerals_ru})(?!\w)){grammar['modifier']}\s+)?(?P<head>{_words(ru_heads)})(?!\w)"
        rf"(?P<complement>(?:\s+{word_ru}){{0,{grammar['complement_max']}}})",
        re.I,
    )
    return unit_ru, ru_heads


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The bulletin parser's words (data/tallies/lexicon.toml) and the patterns built from
    them, read once."""
    with open(LEXICON_TOML, "rb") as handle:
        raw = tomllib.load(handle)
    parts = tuple(
        Part(k, v["reporter"], v["label"], _cue(v["en"] + v["ru"]))
        for k, v in raw["parts"].items()
        if k != "both"
    )
    both = raw["parts"]["both"]
    numbers = {w.casefold(): n for lang in LANGUAGES for w, n in raw["numbers"][lang].items()}
    unit_ru, ru_heads = _unit_ru(raw)
    glue = raw["glue"]
    period = raw["period"]
    return Lexicon(
        raw=raw,
        parts=parts,
        both=_cue(both["en"] + both["ru"]),
        distributive=frozenset(w.casefold() for w in both["distributive"]),
        number=_number_pattern(numbers),
        numbers=numbers,
        unit_en=_unit_en(raw),
        unit_ru=unit_ru,
        ru_heads={k.casefold(): v for k, v in ru_heads.items()},
        negation=re.compile(
            rf"(?<!\w)(?:{_words(raw['negation']['en'] + raw['negation']['ru'])})(?!\w)", re.I
        ),
        record_verb=re.compile(
            rf"(?<!\w)(?:{_alternation(raw['record_verbs']['en'] + raw['record_verbs']['ru'])})",
            re.I,
        ),
        before_province=frozenset(w.casefold() for w in glue["before_province"]),
        after_province=frozenset(w.casefold() for w in glue["after_province"]),
        plural_province=frozenset(w.casefold() for w in glue["plural_province"]),
        partial=re.compile(rf"(?<!\w)(?:{_words(glue['partial'])})(?!\w)", re.I),
        separators=re.compile(rf"^(?:,|;|{_words(glue['separators'])})$", re.I),
        day=re.compile(_alternation(period["day_en"] + period["day_ru"]), re.I),
        hours=re.compile(f"{period['hours_en']}|{period['hours_ru']}", re.I),
        week=re.compile(_alternation(period["week_en"] + period["week_ru"]), re.I),
        other_day=re.compile(
            rf"(?<!\w)(?:{_alternation(raw['other_day']['en'] + raw['other_day']['ru'])})(?!\w)",
            re.I,
        ),
        quantifiers=frozenset(w.casefold() for w in raw["units"]["quantifiers"]),
        agent=re.compile(rf"(?:{_alternation(raw['agent']['en'] + raw['agent']['ru'])})$", re.I),
        area=re.compile(
            rf"(?<!\w)(?:{_alternation(raw['areas']['en'] + raw['areas']['ru'])})(?!\w)", re.I
        ),
        saying=re.compile(rf"(?<!\w)(?:{_alternation(raw['other_day']['saying'])})", re.I),
        weekdays=tuple(
            re.compile(rf"(?<!\w)(?:on\s+{en}|в\s+{ru})(?!\w)", re.I)
            for en, ru in zip(
                raw["other_day"]["weekdays_en"], raw["other_day"]["weekdays_ru"], strict=True
            )
        ),
    )


def number_value(text: str) -> int | None:
    """The value of a number as written (digits with any thousands separator, or a word)."""
    digits = re.sub(r"[,\u00a0\u202f]", "", text)
    if digits.isdigit():
        return int(digits)
    return lexicon().numbers.get(text.casefold())
