"""Stable, colour-blind-safe colours for actors.

An actor keeps its colour in every chart, page, export and CLI figure. The main
actors have fixed colours from the Okabe-Ito palette (distinguishable with the common
forms of colour blindness); any other actor gets a colour from Paul Tol's "muted"
palette chosen by a hash of its name, so it is the same in every run and every store.
"""

from __future__ import annotations

import hashlib

from .filters import CLASH_GROUP, NO_MAJORITY, UNKNOWN_ACTOR

FIXED = {
    "Russia": "#D55E00",  # vermillion
    "Syrian government": "#0072B2",  # blue
    "Iran": "#009E73",  # bluish green
    "Pro-government militias": "#56B4E9",  # sky blue
    "Turkey": "#E69F00",  # orange
    "National Liberation Front": "#CC79A7",  # reddish purple
    "Syrian National Army": "#F0E442",  # yellow
    "Opposition rebels": "#882255",  # wine (Tol)
    "Hayat Tahrir al-Sham": "#000000",  # black
    UNKNOWN_ACTOR: "#999999",  # grey
    NO_MAJORITY: "#DDDDDD",  # pale grey
    CLASH_GROUP: "#5D5D5D",  # dark grey, hatched: a group of clashes, not an actor
}
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#AA4499"]

#: For heatmaps: Cividis, perceptually uniform and colour-blind safe. Written out as
#: Plotly expands the name when it validates a figure, because charts are built without
#: run-time validation (see ``charts.make_figure``) and must give the same JSON.
SEQUENTIAL = [
    [0.0, "#00224e"],
    [0.1111111111111111, "#123570"],
    [0.2222222222222222, "#3b496c"],
    [0.3333333333333333, "#575d6d"],
    [0.4444444444444444, "#707173"],
    [0.5555555555555556, "#8a8678"],
    [0.6666666666666666, "#a59c74"],
    [0.7777777777777778, "#c3b369"],
    [0.8888888888888888, "#e1cc55"],
    [1.0, "#fee838"],
]


def actor_color(name: str) -> str:
    """The colour of an actor, the same everywhere."""
    if name in FIXED:
        return FIXED[name]
    digest = int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16)
    return TOL_MUTED[digest % len(TOL_MUTED)]


def _rgb(color: str) -> tuple[float, float, float]:
    """'#rrggbb' or 'rgb(r, g, b)' as three 0-255 numbers."""
    color = color.strip()
    if color.startswith("#"):
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    parts = color[color.index("(") + 1 : color.index(")")].split(",")
    return tuple(float(p) for p in parts[:3])  # type: ignore[return-value]


def scale_color(fraction: float, scale: list = SEQUENTIAL) -> str:
    """The colour of ``scale`` at ``fraction`` (0-1), interpolated in RGB between its
    stops, as Plotly colours a heatmap cell (zmin 0, zmax the top value)."""
    fraction = min(1.0, max(0.0, float(fraction)))
    for (f0, c0), (f1, c1) in zip(scale, scale[1:], strict=False):
        if fraction <= f1:
            t = 0.0 if f1 == f0 else (fraction - f0) / (f1 - f0)
            a, b = _rgb(c0), _rgb(c1)
            r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
            return f"#{r:02x}{g:02x}{bl:02x}"
    return scale[-1][1]


def luminance(color: str) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def cell_text_color(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``: at least 4.58:1
    on any colour (the worst case is a mid-grey, where both reach it)."""
    return (
        "#000000"
        if contrast("#000000", background) >= contrast("#FFFFFF", background)
        else "#FFFFFF"
    )
