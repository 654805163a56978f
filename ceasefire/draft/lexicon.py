"""The drafter's words (data/lexicon.toml) and the actor names it knows (data/actors.csv)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..tables.db import PROJECT_ROOT

LEXICON_TOML = PROJECT_ROOT / "data" / "lexicon.toml"
ACTORS_CSV = PROJECT_ROOT / "data" / "actors.csv"

#: abbreviated titles and ranks (the AP Stylebook's military and civil titles: "Rear
#: Adm.", "Lt. Gen.", "Maj.", "Cmdr.", "Gov."): a period after one ends no sentence
TITLES_ABBREV = {
    "adm",
    "cmdr",
    "cdr",
    "cpl",
    "pvt",
    "gov",
    "sen",
    "rep",
    "prof",
    "rev",
    "jr",
    "sr",
    "supt",
    "capt",
    "col",
    "gen",
    "lt",
    "maj",
    "brig",
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "sgt",
    "no",
    "u.s",
    "u.n",
    "mt",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
APOS = "['’]"


# --- lexicon and actors --------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    raw: dict

    def words(self, table: str, key: str | None = None) -> list[str]:
        value = self.raw[table] if key is None else self.raw[table][key]
        return list(value)

    def regex(self, patterns, flags=re.I) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", flags)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(LEXICON_TOML, "rb") as handle:
        return Lexicon(tomllib.load(handle))


@lru_cache(maxsize=1)
def actor_aliases() -> dict[str, str]:
    """alias as written -> canonical actor, from data/actors.csv and the lexicon."""
    import csv

    stop = set(lexicon().raw["actor_alias_stoplist"]["aliases"])
    out: dict[str, str] = {}
    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for alias in [row["actor"], *filter(None, row["aliases"].split("|"))]:
                alias = alias.strip()
                if alias and alias not in stop and ":" not in alias and "(" not in alias:
                    out[alias] = row["actor"]
    for actor, names in lexicon().raw["actor_names"].items():
        for name in names:
            out[name] = actor
    return out


@lru_cache(maxsize=1)
def alias_regex() -> re.Pattern:
    aliases = sorted(actor_aliases(), key=len, reverse=True)
    parts = []
    for alias in aliases:
        body = re.escape(alias).replace(r"\-", "[- ]").replace(r"\ ", r"\s+")
        parts.append(body if (len(alias) <= 4 and alias.isupper()) else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def canonical_actor(name: str | None) -> str | None:
    """The canonical actor for a name as written (actors.csv aliases), or None."""
    if not name:
        return None
    key = re.sub(r"\s+", " ", name.strip().lower())
    for alias, actor in actor_aliases().items():
        if alias.lower() == key:
            return actor
    import csv

    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if key in {a.strip().lower() for a in [row["actor"], *row["aliases"].split("|")]}:
                return row["actor"]
    return None


def is_alias(name: str) -> bool:
    import csv

    key = name.strip().lower()
    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        return any(
            key in {a.strip().lower() for a in [row["actor"], *row["aliases"].split("|")]}
            for row in csv.DictReader(handle)
        )


# --- text ----------------------------------------------------------------------------


def cw_join(patterns: list[str]) -> str:
    return "|".join(patterns)


def parse_number(raw: str) -> int | None:
    raw = raw.lower().replace(",", "")
    if raw.isdigit():
        return int(raw)
    parts = re.split(r"[- ]", raw)
    if all(p in NUMBER_WORDS for p in parts):
        return sum(NUMBER_WORDS[p] for p in parts)
    return None
