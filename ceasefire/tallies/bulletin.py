"""From a bulletin's text to proposed tallies, each with the words it came from.

``draft_bulletin(text, reporter=..., published=date(...))`` reads a violation bulletin
as news agencies relay it (English or Russian) and proposes one tally per part of the
joint commission and province, plus each part's total, for an editor to review.
Nothing is written. Every proposal carries ``span``, the character offsets (Python
string indices) in ``text`` of its words, and ``words``, those words.

The grammar, applied by rule (the words are data: ``data/tallies/lexicon.toml``,
province names ``data/tallies/governorates.csv`` via ``provinces``):

1. **Tokens.** The text is read as tokens: a *part* of the commission ("the Russian
   party of the Russia-Turkey Commission", «Турецкой частью представительства»,
   "Turkey"; never half of "Russia-Turkey"), *both parts* ("the Russian and Turkish
   sides", «Россия и Турция»), a *province* (any spelling, article or Russian case
   ending), a *number* (digits, "6,422", or a word: "nine", «пять», «двадцать один»),
   a *unit* (a unit noun with the words around it: "cases of firing", "truce breaches",
   «фактов открытия огня»), a *negation* ("no", "not", «не», «ни»), punctuation and
   other words. A number counts something only next to a unit or a province: "24
   hours", "500 food packages" and dates are not counts.
2. **Statements.** A part's statement runs from the words naming it to the next part
   named or the end of its sentence; a following sentence that names no part but pairs
   provinces with numbers ("Three of them in Latakia, 6 in Hama") continues it. A
   headline and the quoted bulletin are two statements of one part, combined below.
   When no part is named anywhere (a monitor's own tally), every sentence with a count
   is a statement of the bulletin's reporter.
3. **A part's total.** A number followed by a unit ("registered 15 cases of firing"),
   or a part followed by a dash and a number ("Turkey – 18", «Турция - 25»: the unit
   is the sentence's earlier one). A negation with a verb of recording or a unit and
   no number ("did not record any facts of opening fire", «нарушений не
   зафиксировано») is a total of 0.
4. **Provinces and their counts.** A province takes the number after it when the words
   between are brackets, dashes or glue words ("Aleppo (8)", "Idlib – 4", "Idlib-21",
   "Hama 6", «Хама – пять», "Damascus suburbs governorate that saw 14"), or the number
   before it ("three in Latakia", "one in the province of Idlib", «4 – в провинции
   Алеппо», «Два из них зафиксировано в провинции Хама»). A list goes one way: the
   way more of its provinces can be read. "N each in A and B" and «по N в A и B» give
   N to each. A number before the plural "provinces" is the whole list's ("9 cases of
   shelling in the provinces of Latakia, Aleppo, Idlib": a total, three provinces
   named with no count); one number for two provinces named together without "each"
   is not split (both have no count, and the review says so). A province named with
   no count is proposed with ``count`` None: a missing count is not 0.
5. **One part, several statements.** A province's count from one statement, or the
   most detailed one where two disagree (the review says so). The total is the one
   stated beside the province list; totals that disagree are all listed.
6. **Totals against provinces.** Each part's stated total is checked against the sum
   of its provinces: ``matches``, ``mismatch`` (shown, never hidden), ``partial`` (a
   shorter list introduced by "including", «в том числе»), ``no breakdown`` (a total
   alone: an area-less tally), ``no total stated`` or ``incomplete`` (a province
   without a count).
7. **Period.** "Over the past 24 hours", «за сутки», "per day": the day before
   publication (the 24 hours run from one morning to the next; dated by the day that
   holds most of them, so weekly and monthly sums hold whole days). "48 hours": the two
   days before; "the past week": the seven days before. None found: no period, and the
   review asks for one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import provinces
from .lexicon import Lexicon, lexicon, number_value

# Token kinds
PART, BOTH, GOV, AREA, NUM, UNIT, NEG, PUNCT, WORD, END = (
    "part", "both", "gov", "area", "num", "unit", "neg", "punct", "word", "end",
)  # fmt: skip
_DASHES = "–—-‐‑−"
_BRACKETS = "()[]"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"»”']*\s+(?=[\"«“'(\[]*[A-ZА-ЯЁ0-9])|\n\s*\n|\n")


@dataclass
class Token:
    kind: str
    start: int
    end: int
    text: str
    value: Any = None


@dataclass
class Statement:
    """What one part says in one place: its tokens (a part's cue first, unless
    ``part`` is None: the bulletin's own reporter)."""

    part: str | None  # a lexicon part key, "both", or None
    tokens: list[Token] = field(default_factory=list)
    distributive: bool = False
    sentence: tuple[int, int] = (0, 0)  # where its (first) sentence is in the text


def language_of(text: str) -> str:
    """'ru' when most letters are Cyrillic, else 'en'."""
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "ru" if letters and cyrillic / len(letters) > 0.3 else "en"


# --- 1. tokens -----------------------------------------------------------------------


def tokenize(text: str, lex: Lexicon | None = None) -> list[Token]:
    """The text as tokens (rule 1), with sentence ends as ``END`` tokens."""
    lex = lex or lexicon()
    claimed: list[Token] = []

    def free(start: int, end: int) -> bool:
        return all(end <= t.start or start >= t.end for t in claimed)

    for part in lex.parts:
        for m in part.pattern.finditer(text):
            claimed.append(Token(PART, m.start(), m.end(), m.group(0), part.key))
    for m in lex.both.finditer(text):
        inside = [t for t in claimed if m.start() <= t.start and t.end <= m.end()]
        claimed = [t for t in claimed if t not in inside]
        if free(m.start(), m.end()):  # "the Russian and Turkish sides", not half a part
            claimed.append(Token(BOTH, m.start(), m.end(), m.group(0), "both"))
        else:
            claimed += inside
    for m in lex.area.finditer(text):  # "the Idlib de-escalation zone": not the province
        if free(m.start(), m.end()):
            claimed.append(Token(AREA, m.start(), m.end(), m.group(0), _area_name(m.group(0))))
    for mention in provinces.find(text):
        if free(mention.start, mention.end):
            claimed.append(
                Token(GOV, mention.start, mention.end, mention.words, mention.governorate)
            )
    for pattern in (lex.unit_en, lex.unit_ru):
        for m in pattern.finditer(text):
            head_start = m.start("head")
            if not free(head_start, m.end("head")):
                continue
            start = m.start() if free(m.start(), head_start) else head_start
            end = m.end()
            for t in claimed:  # a complement stops before a part, a province...
                if start < t.start < end:
                    end = t.start
            words = text[start:end].rstrip(" ,;:")
            claimed.append(Token(UNIT, start, start + len(words), words, _unit_form(m, lex)))
    for m in lex.number.finditer(text):
        if free(m.start(), m.end()):
            claimed.append(Token(NUM, m.start(), m.end(), m.group(0), number_value(m.group(0))))
    for m in lex.negation.finditer(text):
        if free(m.start(), m.end()):
            claimed.append(Token(NEG, m.start(), m.end(), m.group(0)))
    for m in _SENTENCE_END.finditer(text):
        claimed.append(Token(END, m.start(), m.start(), ""))
    claimed.sort(key=lambda t: (t.start, t.end))
    tokens: list[Token] = []
    position = 0
    for t in claimed:
        tokens += _plain(text, position, t.start)
        tokens.append(t)
        position = max(position, t.end)
    tokens += _plain(text, position, len(text))
    return _not_one(_join_numbers(tokens, text))


def _not_one(tokens: list[Token]) -> list[Token]:
    """«ни одного», "not a single", "not one": a negation, not the number 1."""
    out: list[Token] = []
    for t in tokens:
        last = out[-1] if out else None
        if t.kind == NUM and t.value == 1 and last is not None and last.kind == NEG:
            out[-1] = Token(NEG, last.start, t.end, f"{last.text} {t.text}")
        elif (
            t.kind == NUM
            and t.value == 1
            and len(out) >= 2
            and out[-2].kind == NEG
            and out[-1].text.casefold() in ("a", "single")
        ):
            out[-2:] = [Token(NEG, out[-2].start, t.end, f"{out[-2].text} {out[-1].text} {t.text}")]
        else:
            out.append(t)
    return out


def _area_name(words: str) -> str:
    """A named area as a total stores it: the words, without a leading article, with
    the first letter capitalised ("the Idlib de-escalation zone" -> "Idlib
    de-escalation zone")."""
    words = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", words.strip()), flags=re.I)
    return words[:1].upper() + words[1:]


def _plain(text: str, start: int, end: int) -> list[Token]:
    """Words and punctuation between the recognised tokens."""
    out = []
    for m in re.finditer(r"\w+(?:['’]\w+)*|[^\w\s]", text[start:end]):
        kind = WORD if m.group(0)[0].isalnum() or m.group(0)[0] == "_" else PUNCT
        out.append(Token(kind, start + m.start(), start + m.end(), m.group(0)))
    return out


def _join_numbers(tokens: list[Token], text: str) -> list[Token]:
    """'twenty-one', 'twenty one', «двадцать один»: one number."""
    out: list[Token] = []
    for t in tokens:
        last = out[-1] if out else None
        if (
            t.kind == NUM
            and last is not None
            and last.kind == NUM
            and not last.text[0].isdigit()
            and not t.text[0].isdigit()
            and last.value % 10 == 0
            and 20 <= last.value <= 90
            and 0 < t.value < 10
            and re.fullmatch(r"[\s\-]?", text[last.end : t.start])
        ):
            out[-1] = Token(NUM, last.start, t.end, text[last.start : t.end], last.value + t.value)
        else:
            out.append(t)
    return out


def _unit_form(m: re.Match, lex: Lexicon) -> str:
    """The unit as a tally stores it: the reporter's words with the head noun in the
    plural ("cases of firing"; «случаи стрельбы» for «21 случай стрельбы»)."""
    head = m.group("head")
    before = m.group(0)[: m.start("head") - m.start()]
    complement = (m.group("complement") or "").rstrip(" ,;:")
    canonical = lex.ru_heads.get(head.casefold())
    if canonical is None:  # English: plural by spelling
        low = head.lower()
        canonical = (
            low
            if low.endswith("s") and not low.endswith("ss")
            else low + ("es" if low.endswith(("ch", "sh", "x", "ss")) else "s")
        )
    return re.sub(r"\s+", " ", f"{before}{canonical}{complement}".strip()).lower()


# --- 2. statements -------------------------------------------------------------------


def _sentences(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in tokens:
        if t.kind == END:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(t)
    return [s for s in out if s]


def statements(tokens: list[Token], lex: Lexicon | None = None) -> list[Statement]:
    """The parts' statements (rule 2), in order."""
    lex = lex or lexicon()
    named = any(t.kind in (PART, BOTH) for t in tokens)
    out: list[Statement] = []
    for sentence in _sentences(tokens):
        bounds = (sentence[0].start, sentence[-1].end)
        cues = _cues(sentence, lex)
        if not cues:
            items, _ = pair_provinces(sentence, lex)
            counted = any(count is not None for _, count, _ in items)
            if named and out and counted:
                out[-1].tokens += sentence  # continues the last part's list
            elif not named and (counted or _counts_something(Statement(None, sentence), lex)):
                out.append(Statement(None, sentence, sentence=bounds))
            continue
        for i, (index, part, distributive) in enumerate(cues):
            stop = cues[i + 1][0] if i + 1 < len(cues) else len(sentence)
            start = index
            if i == 0 and _agent_before(sentence, index, lex):
                # the sentence's first part, as an agent after its words ("six violations
                # were observed by Russia", "23 violations in Idlib ..., according to the
                # Russian component"): the statement is the words before it too. A part
                # named after another part ("confirmed by the Russian side") is not.
                start = 0
            out.append(Statement(part, sentence[start:stop], distributive, bounds))
    return out


def _agent_before(sentence: list[Token], index: int, lex: Lexicon) -> bool:
    """Is the part at ``index`` introduced as an agent ("by", "according to", «по данным»)?"""
    before = " ".join(t.text.casefold() for t in sentence[max(0, index - 3) : index])
    return bool(lex.agent.search(before))


def _counts_something(s: Statement, lex: Lexicon) -> bool:
    return bool(_totals(s, lex) or _negation(s, lex, ""))


def _cues(sentence: list[Token], lex: Lexicon) -> list[tuple[int, str, bool]]:
    """Where parts are named in a sentence: (token index, part, distributive). Two
    parts named together ("Russia, Turkey each register 3...") are both parts."""
    found: list[tuple[int, str, bool]] = []
    for i, t in enumerate(sentence):
        if t.kind == BOTH:
            found.append((i, "both", False))
        elif t.kind == PART:
            previous = found[-1] if found else None
            between = sentence[previous[0] + 1 : i] if previous else []
            if (
                previous
                and previous[1] not in ("both", t.value)
                and between
                and all(_is_separator(b, lex) for b in between)
            ):
                found[-1] = (previous[0], "both", False)
            else:
                found.append((i, t.value, False))
    marked = []
    for index, part, _ in found:
        window = []
        for w in sentence[index + 1 :]:  # from the cue to its first number
            window.append(w)
            if w.kind == NUM:
                break
        distributive = part == "both" and any(
            w.text.casefold() in lex.distributive
            and (w.text.casefold() != "по" or (k + 1 < len(window) and window[k + 1].kind == NUM))
            for k, w in enumerate(window)
        )
        marked.append((index, part, distributive))
    return marked


def _is_separator(t: Token, lex: Lexicon) -> bool:
    return bool(lex.separators.match(t.text)) and t.kind in (PUNCT, WORD)


# --- 3. totals -----------------------------------------------------------------------


@dataclass
class Count:
    value: int | None
    start: int
    end: int
    unit: str | None
    number: Token | None = None


def _totals(s: Statement, lex: Lexicon) -> list[Count]:
    """A statement's stated totals: number + unit, part + dash + number (rule 3)."""
    out = []
    tokens = s.tokens
    for i, t in enumerate(tokens):
        if t.kind != NUM:
            continue
        following = tokens[i + 1 : i + 3]
        if (
            following
            and following[0].kind == WORD
            and following[0].text.casefold() in lex.quantifiers
        ):
            following = following[1:]  # "16 more shooting incidents"
        if following and following[0].kind == UNIT:
            u = following[0]
            out.append(Count(t.value, t.start, u.end, u.value, t))
    labelled = (
        s.part is not None
        and len(tokens) >= 3
        and tokens[1].kind == PUNCT
        and tokens[1].text in _DASHES + ":"
    )
    if not labelled:
        return out
    value = tokens[2]  # after the part's name and a dash: "Idlib – 12", "Russia – none"
    if value.kind == NUM and not any(c.number is value for c in out):
        out.insert(0, Count(value.value, tokens[0].start, value.end, None, value))
    elif value.kind == NEG:
        out.insert(0, Count(0, tokens[0].start, value.end, None))
    return out


def _negation(s: Statement, lex: Lexicon, text: str) -> Count | None:
    """A count of nothing: a negation near a verb of recording or a unit (rule 3)."""
    tokens = s.tokens
    for i, t in enumerate(tokens):
        if t.kind != NEG:
            continue
        after, before = tokens[i + 1 : i + 6], tokens[max(0, i - 4) : i]
        for window in (after, before):  # "registered no cases of firing": the unit after
            related = [
                w
                for w in window
                if w.kind == UNIT or (w.kind == WORD and lex.record_verb.match(w.text))
            ]
            if related:
                unit = next((w.value for w in (*after, *reversed(before)) if w.kind == UNIT), None)
                end = max(w.end for w in [t, *related])
                start = min(w.start for w in [t, *related])
                return Count(0, start, end, unit)
    return None


# --- 4. provinces and their counts ----------------------------------------------------


def _glue(t: Token, words: frozenset[str]) -> bool:
    if t.kind == PUNCT:
        return t.text in _DASHES + _BRACKETS + ":="
    return t.kind == WORD and t.text.casefold() in words


def _after(tokens: list[Token], i: int, lex: Lexicon) -> int | None:
    """The index of the number a province at ``i`` takes from after it, if any."""
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.kind == NUM:
            return j
        if not _glue(t, lex.after_province):
            return None
    return None


def _before(tokens: list[Token], i: int, lex: Lexicon) -> tuple[int | None, bool, bool]:
    """The number a province at ``i`` takes from before it: (index, through the
    plural "provinces", distributive)."""
    plural = distributive = False
    for j in range(i - 1, -1, -1):
        t = tokens[j]
        if t.kind == NUM:
            if j > 0 and tokens[j - 1].text.casefold() in lex.distributive:
                distributive = True  # «по два в ...»
            return j, plural, distributive
        if t.kind == UNIT:
            continue
        if not (_glue(t, lex.before_province) or _glue(t, lex.plural_province)):
            return None, plural, distributive
        word = t.text.casefold()
        plural = plural or word in lex.plural_province
        distributive = distributive or word in lex.distributive
    return None, plural, distributive


def _coordinated(tokens: list[Token], i: int, lex: Lexicon) -> list[int]:
    """The provinces named together with the one at ``i`` after it ("A and B", "A, B")."""
    out, j = [], i + 1
    while j + 1 < len(tokens) and _is_separator(tokens[j], lex) and tokens[j + 1].kind == GOV:
        out.append(j + 1)
        j += 2
    return out


def pair_provinces(
    tokens: list[Token], lex: Lexicon | None = None
) -> tuple[list[tuple[Token, Token | None, bool]], set[int]]:
    """Each province of a statement with the number it takes (rule 4):
    ([(province, number or None, in a group of provinces given one number)], the
    indices of the numbers taken)."""
    lex = lex or lexicon()
    gov = [i for i, t in enumerate(tokens) if t.kind == GOV]
    after = {i: _after(tokens, i, lex) for i in gov}
    before = {i: _before(tokens, i, lex) for i in gov}
    n_after = sum(1 for i in gov if after[i] is not None)
    n_before = sum(1 for i in gov if before[i][0] is not None)
    taken: dict[int, int | None] = {}
    grouped: set[int] = set()
    used: set[int] = set()
    if n_after and n_after >= n_before:
        for i in gov:
            j = after[i]
            taken[i] = j if j is not None and j not in used else None
            if taken[i] is not None:
                used.add(j)
    else:
        for i in gov:
            if i in taken:
                continue
            j, plural, distributive = before[i]
            together = _coordinated(tokens, i, lex)
            if j is None or j in used:
                taken[i] = None
            elif distributive:
                for k in [i, *together]:
                    taken[k] = j
                used.add(j)
            elif plural and together:
                for k in [i, *together]:  # one number for the whole list: not split
                    taken[k] = None
                if tokens[j + 1].kind != UNIT:  # not a total: "one in the provinces of A and B"
                    used.add(j)
                    grouped.update([i, *together])
            else:
                taken[i] = j
                used.add(j)
    items = [
        (tokens[i], tokens[taken[i]] if taken.get(i) is not None else None, i in grouped)
        for i in gov
    ]
    return items, used


# --- 5-7. one part's tallies, totals, period ---------------------------------------------


def _period(text: str, published: date | None, lex: Lexicon) -> dict:
    """The counted period from the bulletin's words (rule 7)."""
    if published is None:
        return {"period_start": None, "period_end": None, "period_span": None}
    found = lex.hours.search(text)
    days = None
    match = None
    if found:
        hours = int(next(g for g in found.groups() if g))
        days, match = max(1, -(-hours // 24)), found
    for pattern, length in ((lex.week, 7), (lex.day, 1)):
        m = pattern.search(text)
        if m and (match is None or m.start() < match.start()):
            days, match = length, m
    if days is None:
        return {"period_start": None, "period_end": None, "period_span": None}
    end = published - timedelta(days=1)
    return {
        "period_start": (end - timedelta(days=days - 1)).isoformat(),
        "period_end": end.isoformat(),
        "period_span": [match.start(), match.end()],
    }


@dataclass
class _PartResult:
    items: dict[str, dict] = field(default_factory=dict)  # pcode -> tally
    item_order: list[str] = field(default_factory=list)
    stated: list[dict] = field(default_factory=list)
    chosen: dict | None = None
    units: list[str] = field(default_factory=list)
    partial: bool = False
    area: str | None = None  # a named area its total covers
    statements: int = 0
    review: list[str] = field(default_factory=list)


def _words(text: str, start: int, end: int) -> str:
    return text[start:end]


def _read_statement(s: Statement, text: str, lex: Lexicon, out: _PartResult) -> None:
    """Add what one statement says to its part's result: its stated totals (a number
    paired with a province is that province's, not a total, unless the statement names
    one province), else a negation ("no violations") as a total of 0; its units and
    area; and each province's count (of two different counts for a province, the one
    in the more detailed statement, the later of equals, for review)."""
    items, used = pair_provinces(s.tokens, lex)
    totals = _totals(s, lex)
    counted = [(g, n) for g, n, _ in items if n is not None]
    single = len(items) == 1 and counted
    totals = [c for c in totals if c.number is None or id(c.number) not in _ids(used, s) or single]
    negation = None if (totals or counted) else _negation(s, lex, text)
    if negation:
        totals = [negation]
    if not totals and not counted:
        return
    units = [t.value for t in s.tokens if t.kind == UNIT]
    out.units += units
    out.area = out.area or next((t.value for t in s.tokens if t.kind == AREA), None)
    out.statements += 1
    detail = (len(counted), len(items), out.statements)  # the later of equals wins
    for c in totals:
        out.stated.append(
            {
                "count": c.value,
                "span": [c.start, c.end],
                "words": _words(text, c.start, c.end),
                "unit": c.unit,
                "detail": detail,
            }
        )
    if totals and counted:
        first = min(g.start for g, _ in counted)
        between = text[totals[0].end : first]
        out.partial = out.partial or bool(lex.partial.search(between))
    grouped = [g for g, _, together in items if together]
    if grouped:
        names = " and ".join(g.value.name for g in grouped)
        out.review.append(
            f"one count for several provinces named together ({names}); not split: "
            "each is proposed without a count"
        )
    for gov, number, _ in items:
        pcode = gov.value.pcode
        start = min(gov.start, number.start) if number else gov.start
        end = max(gov.end, number.end) if number else gov.end
        if number and number.start > gov.start and text[end : end + 1] in ")]":
            end += 1  # "Aleppo (8)"
        proposal = {
            "governorate": gov.value.name,
            "governorate_pcode": pcode,
            "count": number.value if number else None,
            "span": [start, end],
            "words": _words(text, start, end),
            "detail": detail,
        }
        known = out.items.get(pcode)
        if known is None:
            out.items[pcode] = proposal
            out.item_order.append(pcode)
        elif known["count"] is None and proposal["count"] is not None:
            out.items[pcode] = proposal
        elif proposal["count"] is not None and proposal["count"] != known["count"]:
            keep, other = (
                (proposal, known) if proposal["detail"] > known["detail"] else (known, proposal)
            )
            out.items[pcode] = keep
            out.review.append(
                f"{gov.value.name}: two counts, {keep['count']} ({keep['words']!r}) and "
                f"{other['count']} ({other['words']!r}); proposed {keep['count']}"
            )


def _ids(used: set[int], s: Statement) -> set[int]:
    """The identities of a statement's tokens at the positions ``used``."""
    return {id(s.tokens[i]) for i in used}


def _check(stated: int | None, counts: list[int | None], partial: bool) -> str:
    if not counts:
        return "no breakdown" if stated is not None else "no count"
    if stated is None:
        return "no total stated"
    if any(c is None for c in counts):
        return "incomplete"
    total = sum(counts)
    if total == stated:
        return "matches"
    if partial and total < stated:
        return "partial"
    return "mismatch"


def draft_bulletin(
    text: str,
    *,
    reporter: str,
    published: date | None,
    url: str | None = None,
    language: str | None = None,
) -> dict:
    """Proposed tallies of a bulletin (see the module docstring), writing nothing.

    Returns ``{"bulletin": {...}, "tallies": [...], "totals": [...], "review": [...]}``:
    ``tallies`` are what would be saved, one per part and province (``kind``
    "governorate") and each part's stated total (``kind`` "total", no governorate: an
    area-less tally when no province is given); ``totals`` check each part's total
    against its provinces; ``review`` lists what an editor should look at."""
    lex = lexicon()
    language = language or language_of(text)
    period = _period(text, published, lex)
    results, combined, other_days = _read_bulletin(text, published, lex)
    parts = {p.key: p for p in lex.parts}
    tallies, totals, review = [], [], []
    for key, r in results.items():
        part = parts.get(key)
        who = part.reporter if part else reporter
        side = part.label if part else None
        total, unit, inherited = _part_tallies(r, results, who, side, period, tallies)
        totals.append(total)
        review += _part_review(side or who, r, total, unit, inherited)
    review += _bulletin_review(other_days, combined, period, published, tallies)
    return {
        "bulletin": {
            "reporter": reporter,
            "published": published.isoformat() if published else None,
            "language": language,
            "url": url,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            **period,
        },
        "tallies": tallies,
        "totals": totals,
        "review": review,
    }


def _read_bulletin(
    text: str, published: date | None, lex: Lexicon
) -> tuple[dict[str | None, _PartResult], list[str], list[str]]:
    """Each part's counts read from the bulletin's statements, and the words of the
    counts not proposed: those of both parts together, those of another day."""
    results: dict[str | None, _PartResult] = {}
    combined: list[str] = []
    other_days: list[str] = []
    found = statements(tokenize(text, lex), lex)
    own = {s.part for s in found if s.part != "both"}
    for s in found:
        words = _words(text, s.tokens[0].start, s.tokens[-1].end)
        if _other_day(_words(text, *s.sentence), published, lex):
            if _counts_something(s, lex) or pair_provinces(s.tokens, lex)[1]:
                other_days.append(words)
            continue
        if s.part == "both" and not s.distributive:
            if _totals(s, lex):
                combined.append(words)
            continue
        # "both parts each recorded one": for a part that says nothing of its own
        keys = [p.key for p in lex.parts if p.key not in own] if s.part == "both" else [s.part]
        for key in keys:
            _read_statement(s, text, lex, results.setdefault(key, _PartResult()))
    return results, combined, other_days


def _part_tallies(
    r: _PartResult, results: dict, who: str, side: str | None, period: dict, tallies: list
) -> tuple[dict, str | None, bool]:
    """Append a part's tallies (one per province, then its stated total) to
    ``tallies``; returns its total's check, its unit and whether the unit was taken
    from another part. A stated total of 0 makes every province it names 0."""
    chosen = max(r.stated, key=lambda c: c["detail"]) if r.stated else None
    unit = (chosen or {}).get("unit") or next(iter(r.units), None)
    inherited = False
    if unit is None:
        unit = next((u for other in results.values() for u in other.units), None)
        inherited = unit is not None
    base = {"reporter": who, "side": side, "unit": unit, **_dates(period)}
    counts = []
    for pcode in r.item_order:
        item = r.items[pcode]
        counts.append(item["count"])
        tallies.append(
            {
                **base,
                "kind": "governorate",
                "area": None,
                "governorate": item["governorate"],
                "governorate_pcode": pcode,
                "count": item["count"],
                "span": item["span"],
                "words": item["words"],
            }
        )
    stated = chosen["count"] if chosen else None
    if stated == 0:  # nothing recorded: every province it names had nothing
        for t in tallies:
            if t["side"] == side and t["reporter"] == who and t["count"] is None:
                t["count"] = 0
        counts = [0 if c is None else c for c in counts]
    if chosen:
        tallies.append(
            {
                **base,
                "kind": "total",
                "governorate": None,
                "governorate_pcode": None,
                "area": r.area,
                "count": stated,
                "span": chosen["span"],
                "words": chosen["words"],
            }
        )
    known = [c for c in counts if c is not None]
    total = {
        "reporter": who,
        "side": side,
        "area": r.area,
        "count": stated,
        "unit": unit,
        "span": chosen["span"] if chosen else None,
        "words": chosen["words"] if chosen else None,
        "sum_of_governorates": sum(known) if known else None,
        "governorates": len(counts),
        "governorates_without_count": sum(1 for c in counts if c is None),
        "check": _check(stated, counts, r.partial),
        "stated": [{k: c[k] for k in ("count", "span", "words")} for c in r.stated],
    }
    return total, unit, inherited


def _part_review(label: str, r: _PartResult, total: dict, unit, inherited: bool) -> list[str]:
    """What an editor should look at in a part's tallies: totals that disagree, a total
    the provinces do not add up to, a missing unit."""
    stated, check, known = total["count"], total["check"], total["sum_of_governorates"]
    review = []
    if len({c["count"] for c in r.stated}) > 1:
        review.append(
            f"{label}: the bulletin states different totals ("
            + ", ".join(f"{c['count']} in {c['words']!r}" for c in r.stated)
            + f"); proposed {stated}, the one beside the province list"
        )
    if check == "mismatch":
        review.append(f"{label}: the provinces add up to {known}, the stated total is {stated}")
    elif check == "partial":
        review.append(f"{label}: the provinces listed ({known}) are part of {stated}")
    elif check == "incomplete":
        review.append(
            f"{label}: {total['governorates_without_count']} province(s) named without a count"
        )
    if unit is None:
        review.append(f"{label}: no unit stated; give one")
    elif inherited:
        review.append(f"{label}: no unit of its own; {unit!r} taken from the other part")
    return review + [f"{label}: {line}" for line in r.review]


def _bulletin_review(
    other_days: list[str], combined: list[str], period: dict, published, tallies: list
) -> list[str]:
    """What an editor should look at in the whole bulletin: counts not proposed, a
    missing date or period, no tally at all."""
    review = [
        f"a count for another day than the bulletin's, not proposed: {words!r}"
        for words in other_days
    ]
    review += [
        f"a count for both parts together, not proposed (each part's own is): {words!r}"
        for words in combined
    ]
    if period["period_start"] is None:
        review.append(
            "no publication date: give one"
            if published is None
            else "the bulletin states no period (e.g. 'over the past 24 hours'): give one"
        )
    if not tallies:
        review.append("no tally found: no part of the commission with a count, no province list")
    return review


def _other_day(words: str, published: date | None, lex: Lexicon) -> bool:
    """Does a statement speak of another day ("the day before", «накануне», or a
    weekday other than the publication's when nothing says it is the day of saying)?"""
    if lex.other_day.search(words):
        return True
    if published is None:
        return False
    if lex.saying.search(words):  # "the ministry said on Monday": when it was said
        return False
    return any(p.search(words) for day, p in enumerate(lex.weekdays) if day != published.weekday())


def _dates(period: dict) -> dict:
    return {"period_start": period["period_start"], "period_end": period["period_end"]}
