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
#: run-time validation (see ``charts._figure``) and must give the same JSON.
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
