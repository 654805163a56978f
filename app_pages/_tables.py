"""Data grids (``st.dataframe``) a reader reads whole: a human header for every column
and each column as wide as its longest text on the page.

Streamlit sizes a grid's columns from its first rows, so a longer value further down
(or a long header) was cut at the column's edge; a grid's cells never wrap. Here each
column's width is the widest of its header and its cells as the page shows them,
measured with the charts' font metrics (Arial, wider than the grid's font: an estimate
errs towards room), up to ``MAX_WIDTH``. A column without a header given here would
show its field name: ``grid_columns`` refuses it.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from ceasefire.charts.textsize import text_width

#: The grid's text size and the room its cells keep beside the text (px).
FONT_PX, CELL_PADDING = 14, 16
#: A header's sort arrow and menu button, beside its title.
HEADER_ROOM = 12
#: No column wider than this (the grid scrolls sideways past the window's width).
MAX_WIDTH = 520


def _shown(value) -> str:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def grid_columns(frame: pd.DataFrame, headers: dict) -> dict:
    """The ``column_config`` for ``frame``: ``headers`` maps every column to its header
    (a string) or to an ``st.column_config`` column; each gets a width in pixels that
    fits its header and its cells. Checkbox columns keep Streamlit's width."""
    missing = [c for c in frame.columns if c not in headers]
    if missing:
        raise ValueError(f"columns without a header would show their field names: {missing}")
    config = {}
    for name in frame.columns:
        given = headers[name]
        column = dict(st.column_config.Column(given) if isinstance(given, str) else given)
        if column.get("width") is None and (column.get("type_config") or {}).get("type") != (
            "checkbox"
        ):
            header = text_width(column.get("label") or "", FONT_PX, bold=True) + HEADER_ROOM
            cells = max((text_width(_shown(v), FONT_PX) for v in frame[name]), default=0.0)
            column["width"] = min(MAX_WIDTH, math.ceil(max(header, cells) + CELL_PADDING + 4))
        config[name] = column
    return config


#: The change log's headers (the History page and the editor's history of an incident).
HISTORY_HEADERS = {
    "change_id": "Change",
    "at": "When (UTC)",
    "editor": "Editor",
    "entity": "Record",
    "entity_id": "Id",
    "action": "Action",
    "field": "Field",
    "old": "Old value",
    "new": "New value",
    "note": "Note",
    "reverts": "Reverts change",
}


def history_grid(frame: pd.DataFrame) -> None:
    """The change log as a grid: an empty cell where a value was empty (not "None"); a
    sentence, not an empty grid, when nothing is logged."""
    if frame.empty:
        st.caption("No change is on record yet.")
        return
    shown = frame.assign(**{c: frame[c].map(_shown) for c in ("old", "new")})
    st.dataframe(
        shown, hide_index=True, width="stretch", column_config=grid_columns(shown, HISTORY_HEADERS)
    )
