"""How wide a line of chart text is, in pixels, without a browser.

The charts' font is Arial (Liberation Sans on Debian, the same widths); the table of
advance widths is generated from the font by ``tools/build_text_metrics.py``. The
layout uses it to wrap text to a width, size margins to the longest label and space
milestone markers, so nothing is cut or drawn over another label. A character not in
the table counts as a wide one (the width of "M" less a little), so an estimate errs
towards more room.
"""

from __future__ import annotations

import functools
import re

from .textsize_data import BOLD, CHARS, REGULAR

#: Kerning and rounding: measured lines are taken this much wider.
MARGIN = 1.03
_TAGS = re.compile(r"<[^>]+>")


@functools.lru_cache(maxsize=2)
def _table(bold: bool) -> dict[str, int]:
    values = [int(v) for v in (BOLD if bold else REGULAR).split()]
    return dict(zip(CHARS, values, strict=True))


def text_width(text: str, px: float, bold: bool = False) -> float:
    """Width in pixels of one line of ``text`` (markup tags ignored, entities as one
    character) at a font size of ``px`` pixels."""
    import html

    plain = html.unescape(_TAGS.sub("", str(text)))
    table = _table(bold)
    wide = table["M"] * 0.9
    return sum(table.get(c, wide) for c in plain) * px / 1000 * MARGIN


#: Pieces a line may break after: a word, or a part of one ending in "/" or "-"
#: ("school/" "education", "armed-" "group").
_PIECES = re.compile(r"\S+?(?:[/-](?=\S)|(?=\s)|$)")
_WORDS = re.compile(r"\S+")


def wrap(
    text: str, width: float, px: float, bold: bool = False, *, in_words: bool = False
) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, split at spaces (``in_words``:
    also after a "/" or "-" inside a word, for short labels); a piece longer than the
    width gets a line of its own; newlines in ``text`` start a new line."""
    if not text:
        return []
    pieces = _PIECES if in_words else _WORDS
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for match in pieces.finditer(paragraph):
            piece = match.group()
            glue = " " if line and paragraph[match.start() - 1 : match.start()].isspace() else ""
            candidate = line + glue + piece
            if line and text_width(candidate, px, bold) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
        lines.append(line)
    return lines


def widest(texts, px: float, bold: bool = False) -> float:
    """The width of the widest of ``texts`` (0 when there are none)."""
    return max((text_width(t, px, bold) for t in texts), default=0.0)
