"""Article text: HTML stripped, sentences split, and the ``{value, span}`` shape of a proposed value."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .lexicon import TITLES_ABBREV, lexicon


def article_text(data: bytes | str, filename: str = "") -> str:
    """The article's text: HTML stripped with BeautifulSoup (script/style dropped, block
    elements on their own lines); plain text decoded (UTF-8, else charset-normalizer)."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("latin-1")
    else:
        text = data
    looks_html = filename.lower().endswith((".html", ".htm")) or re.match(
        r"\s*(<!doctype html|<html|<body|<p[ >]|<div[ >]|<article)", text, re.I
    )
    if looks_html:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form"]):
            tag.decompose()
        text = soup.get_text("\n")
        lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
        text = "\n\n".join(line for line in lines if line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int
    heading: bool = False
    speaker: str | None = None  # key into Draft.speakers
    cue: tuple[int, int] | None = None  # span of the words that name the speaker
    kind: str = "incident"  # incident | second | earlier | caveat | furniture
    continued: bool = False  # "He added ...": the previous speaker goes on
    segments: list = field(default_factory=list)  # sources.Segment: words owned by a speaker
    masked: list = field(default_factory=list)  # (a, b) in text: attribution words, not content
    act: int = 0  # which act of the article (acts.py)
    # "the HTS attack came in retaliation for government shelling ...": where the act the
    # retaliation answered begins (blame.py); 0 = none. Only that part is the act.
    answered_from: int = 0


@dataclass
class View:
    """One speaker's words of a sentence: the sentence's text with every other word
    (and every attribution clause) blanked to spaces, so offsets stay the article's."""

    text: str
    start: int
    kind: str
    speaker: str
    cue: tuple[int, int] | None
    sentence: Sentence
    relays: list = field(default_factory=list)
    detail: str | None = None

    @property
    def continued(self) -> bool:
        return False


def views(s: Sentence) -> list[View]:
    """The sentence's segments as views (one per speaker's run of words)."""
    out = []
    for g in s.segments:
        chars = [" "] * len(s.text)
        a, b = g.start - s.start, g.end - s.start
        chars[a:b] = s.text[a:b]
        for x, y in s.masked:
            chars[x:y] = " " * (y - x)
        out.append(View("".join(chars), s.start, s.kind, g.speaker, g.cue, s, g.relays, g.detail))
    return out


def split_sentences(text: str) -> list[Sentence]:
    furniture = lexicon().regex(lexicon().raw["furniture"]["patterns"])
    out: list[Sentence] = []
    para = 0
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not line.strip():
            continue
        para += 1
        base = m.start()
        stripped = line.strip()
        if furniture.search(stripped.lower()) and furniture.match(stripped.lower()):
            out.append(Sentence(base, m.end(), line, para, kind="furniture"))
            continue
        # a line without final punctuation is a headline or a standfirst
        heading = len(stripped.split()) <= 25 and not re.search(r"[.!?:\"”]$", stripped)
        start = 0
        for b in re.finditer(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])", line):
            before = line[start : b.start()]
            last = re.search(r"([\w.]+)\.$", before)
            if last and last.group(1).lower().rstrip(".") in TITLES_ABBREV:
                continue
            if re.search(r"\b[A-Z]\.$", before):  # an initial
                continue
            seg_end = b.start() + len(re.match(r"[\"”’)]*", b.group()).group())
            out.append(_sentence(base, start, seg_end, line, para, heading))
            start = b.end()
        out.append(_sentence(base, start, len(line), line, para, heading))
    return [s for s in out if s.text.strip()]


#: a dateline ("MOSCOW, August 19. /TASS/.", "MOSCOW, 13 May – RIA Novosti."): the
#: publication's place and day, not the act's
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z'’ .-]{1,40},\s+(?:\d{1,2}\s+[A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+\d{4})?"
    r"\s*[.,]?\s*(?:[–—/-]\s*)?(?:/?\(?[A-Z][\w .-]{1,25}\)?/?\.?)?\s*$"
)


#: a dateline opening a lead ("MOSCOW (Sputnik) - ", "JISR AL-SHUGHUR, Syria (AP) — ",
#: "Idlib (Syria) (AFP) - "): the place the story was filed from, not the act
_LEAD_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z'’.-]*(?:\s+(?:(?:al|el|an|ad|as|ash|ar|at|az)-)?[A-Z][A-Za-z'’.-]*)*(?:,\s*[A-Z][a-z]+)?\s*)"
    r"(?:\([A-Za-z .-]{2,30}\)\s*)+[—–-]\s*"
)


def dateline(s: Sentence) -> tuple[int, int] | None:
    """The span (in the sentence) of a dateline opening it, if any."""
    m = _LEAD_DATELINE.match(s.text)
    return (0, m.end()) if m else None


def _sentence(base, a, b, line, para, heading) -> Sentence:
    seg = line[a:b]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg.rstrip())
    s = Sentence(base + a + lead, base + a + trail, seg.strip(), para, heading)
    if _DATELINE.match(s.text):
        s.kind = "furniture"
    return s


# --- proposal building blocks --------------------------------------------------------


def spanned(value, span=None, **extra) -> dict:
    out = {"value": value, "span": list(span) if span else None}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out
