"""Province names as bulletins write them, to the 14 OCHA governorates of Syria.

``data/tallies/governorates.csv`` lists each governorate's OCHA COD-AB name, Arabic name
and P-code (CC BY-IGO 3.0) with the English transliterations and the Russian names
(nominative) in use. The spellings a bulletin may use are made from them by rule, not
listed one by one:

- **articles**: an Arabic article before a name is optional and may take any form
  ("al-Quneitra", "Al Quneitra", "Ar-Raqqa", «Эль-Кунейтра», «Эр-Ракка»);
- **joins**: a space, a hyphen or no separator inside a name are the same ("Deir ez-Zor",
  "Deir-ez-Zor", "Deir ez Zor"); any apostrophe is the same ("Dar'a", "Dar’a");
- **Russian case endings**: Russian names decline, so each name is matched in every
  case by its ending (``russian_forms``): «Латакия» (-ия) also as «Латакии», «Латакию»,
  «Латакией»; «Хама» (-а) as «Хамы», «Хаме», «Хаму», «Хамой»; «Идлиб» (a consonant) as
  «Идлиба», «Идлибу», «Идлибом», «Идлибе»; only the last word of a compound declines
  («Дейр-эз-Зоре»); names ending in -о, -е, -аа («Алеппо», «Хасеке», «Дераа») do not
  decline;
- case does not matter ("HOMS").

A province name joined to a longer word (the adjective «Идлибской», as in «Идлибской
зоне деэскалации») is not a province: the de-escalation zone is a named area, not a
governorate.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from ..tables.db import PROJECT_ROOT

GOVERNORATES_CSV = PROJECT_ROOT / "data" / "tallies" / "governorates.csv"

_EN_ARTICLES = ("al", "el", "ar", "as", "ad", "an", "az", "ash", "at")
_RU_ARTICLES = ("эль", "эр", "эс", "эд", "аль", "ар", "ас", "ад", "ат", "эн")
_JOIN = r"[\s\-‐‑]*"
_APOSTROPHES = "'’ʼ`"
_CONSONANTS = "бвгджзйклмнпрстфхцчшщ"


@dataclass(frozen=True)
class Governorate:
    pcode: str
    name: str  # OCHA's English name (the store's spelling)
    name_ar: str


@dataclass(frozen=True)
class Mention:
    """A province named in a text: where, which governorate, and the words."""

    start: int
    end: int
    governorate: Governorate
    words: str


def russian_forms(nominative: str) -> set[str]:
    """A Russian place name in every case, by its ending (only the last word declines)."""
    head, _, last = nominative.rpartition("-") if "-" in nominative else ("", "", nominative)
    if " " in last:
        more, _, last = last.rpartition(" ")
        head = f"{head}-{more} " if head else f"{more} "
    elif head:
        head += "-"
    lower = last.lower()
    if lower.endswith("ия"):
        forms = [last[:-1] + e for e in ("я", "и", "ю", "ей", "ею")]
    elif lower.endswith(("а", "я")) and not lower.endswith(("аа", "ъа")):
        forms = [last[:-1] + e for e in ("а", "ы", "и", "е", "у", "ой", "ою", "ей")]
    elif lower[-1:] in _CONSONANTS:
        forms = [last + e for e in ("", "а", "у", "ом", "е", "ем")]
    else:  # -о, -е, -и, -у, -аа: indeclinable
        forms = [last]
    return {head + f for f in forms}


def _base(name: str, articles: tuple[str, ...]) -> str:
    """The name without a leading article ("Ar-Raqqa" -> "Raqqa")."""
    found = re.match(rf"(?:{'|'.join(articles)})[\s\-‐‑]+(?=\w)", name, re.I)
    return name[found.end() :] if found else name


def key(text: str) -> str:
    """Case-, join- and apostrophe-insensitive form of a name, for looking it up."""
    text = text.casefold()
    for a in _APOSTROPHES:
        text = text.replace(a, "'")
    return re.sub(r"[\s\-‐‑]+", "", text)


@lru_cache(maxsize=1)
def governorates() -> tuple[Governorate, ...]:
    with open(GOVERNORATES_CSV, newline="", encoding="utf-8") as handle:
        return tuple(
            Governorate(row["pcode"], row["name"], row["name_ar"]) for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Governorate], re.Pattern]:
    """Every spelling (its ``key``) -> governorate, and one regex that finds them all."""
    forms: dict[str, Governorate] = {}
    spellings: set[str] = set()
    with open(GOVERNORATES_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_pcode = {g.pcode: g for g in governorates()}
    for row in rows:
        g = by_pcode[row["pcode"]]
        names = [_base(n, _EN_ARTICLES) for n in (row["name"], *row["english"].split("|")) if n]
        for name in filter(None, row["russian"].split("|")):
            names += russian_forms(_base(name, _RU_ARTICLES))
        names.append(row["name_ar"])
        for name in names:
            forms[key(name)] = g
            spellings.add(name)
    # the longest spelling first, so "Rural Damascus" wins over "Damascus"
    alternatives = "|".join(_loose(s) for s in sorted(spellings, key=len, reverse=True))
    articles = "|".join((*_EN_ARTICLES, *_RU_ARTICLES))
    pattern = re.compile(
        rf"(?<!\w)(?:(?:{articles})[\s\-‐‑]+)?(?P<name>{alternatives})(?!\w)", re.I
    )
    return forms, pattern


def _loose(spelling: str) -> str:
    """A regex for one spelling: its joins (space, hyphen) may be any join or none, its
    apostrophes any apostrophe or none."""
    chunks = re.split(r"[\s\-‐‑]+", spelling)
    parts = []
    for chunk in chunks:
        pieces = re.split(f"[{_APOSTROPHES}]", chunk)
        parts.append(f"[{_APOSTROPHES}]?".join(re.escape(p) for p in pieces))
    return _JOIN.join(parts)


def find(text: str) -> list[Mention]:
    """Every province named in ``text``, in order."""
    forms, pattern = _table()
    out = []
    for m in pattern.finditer(text):
        g = forms.get(key(m.group("name")))
        if g is not None:
            out.append(Mention(m.start(), m.end(), g, m.group(0)))
    return out


def lookup(name: str | None) -> Governorate | None:
    """The governorate a name (any spelling, case or article) stands for; None if none."""
    if not name or not name.strip():
        return None
    forms, _ = _table()
    text = re.sub(r"[\s\-]+(?:governorate|province|провинция)$", "", name.strip(), flags=re.I)
    text = re.sub(r"^(?:governorate|province|провинция)\s+(?:of\s+)?", "", text, flags=re.I)
    for candidate in (text, _base(text, _EN_ARTICLES), _base(text, _RU_ARTICLES)):
        found = forms.get(key(candidate))
        if found:
            return found
    return None
