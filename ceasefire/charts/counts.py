"""The Overview's count charts: the target-type bars and the actor x target matrix;
minor actors grouped; each actor's colour (the timeline is ``timeline.py``).

The matrix is laid out for each width (``_arrange_matrix``): its labels are never cut
(wrapped, and the margins sized from the measured text), its numbers are at least 8 pt
at every export size, black or white by the luminance of their cell (contrast of at
least 4.5:1), and when the target types do not fit as columns the matrix turns (target
types as rows, actors as columns), grouping more actors if it must."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..colors import SEQUENTIAL, actor_color, cell_text_color, scale_color
from ..filters import CLASH_GROUP, NO_MAJORITY, UNKNOWN_ACTOR
from .layout import (
    KINDS,
    LINE,
    NO_DATA,
    ChartText,
    Frame,
    base_layout,
    colorbar_room,
    empty_figure,
    esc,
    integer_ticks,
    make_figure,
)
from .textsize import text_width, widest, wrap

#: Most actors a chart names; the rest are summed as "Other actors (N)". Beyond about
#: nine, stacked colours stop being distinguishable and the legend no longer fits a page.
MAX_ACTORS = 9
MAX_MATRIX_ACTORS = 15  # a matrix row stays readable further than a stacked colour
OTHER_ACTORS = "Other actors"
ALWAYS_SHOWN = (UNKNOWN_ACTOR, NO_MAJORITY, CLASH_GROUP)


def group_minor_actors(
    frame: pd.DataFrame, keys: list[str], limit: int = MAX_ACTORS
) -> pd.DataFrame:
    """Keep the ``limit`` actors with most incidents (plus Unknown / No majority, which
    always show) and sum the rest, per ``keys``, as "Other actors (N)".

    Only the drawing is grouped: counts are unchanged, and the data download keeps every
    actor. ``frame``: keys..., actor, incidents."""
    totals = frame.groupby("actor")["incidents"].sum().sort_values(ascending=False)
    named = [a for a in totals.index if a not in ALWAYS_SHOWN]
    if len(named) <= limit:
        return frame
    minor = set(named[limit - 1 :])
    label = f"{OTHER_ACTORS} ({len(minor)})"
    grouped = frame.assign(actor=frame.actor.where(~frame.actor.isin(minor), label))
    return grouped.groupby([*keys, "actor"], as_index=False, sort=False)["incidents"].sum()


def actor_marker(actor: str) -> dict:
    """An actor's stable colour; the grouped minor actors are hatched grey."""
    if actor.startswith(OTHER_ACTORS):
        return {"color": "#BBBBBB", "pattern": {"shape": "/"}}
    if actor == CLASH_GROUP:  # not an actor: the clashes whose initiator no source states
        return {"color": actor_color(actor), "pattern": {"shape": "x"}}
    return {"color": actor_color(actor)}


def target_type_chart(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """Horizontal bars: incidents per target type, alleged violations beside them.

    ``frame``: target_type, incidents, alleged_violations (from ``queries.target_types``)."""
    layout = base_layout(text, height=max(360, 140 + 28 * len(frame)))
    if frame.empty:
        return empty_figure(layout, NO_DATA)
    ordered = frame.sort_values("incidents")
    data = [
        {
            "type": "bar",
            "y": [esc(t) for t in ordered.target_type],
            "x": ordered[column].to_numpy(),
            "orientation": "h",
            "name": name,
            "marker": {"color": color},
        }
        for column, name, color in (
            ("incidents", "Incidents", "#0072B2"),
            ("alleged_violations", "Alleged violations", "#E69F00"),
        )
    ]
    xaxis = {"title": {"text": "Incidents"}, **integer_ticks(float(frame.incidents.max()))}
    layout.update(barmode="group", xaxis=xaxis, yaxis={"automargin": True})
    return make_figure(data, layout)


def actor_target_heatmap(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    """Actor x target-type matrix of incident counts, the number printed in each cell.

    ``frame``: actor, target_type, incidents (from ``queries.actor_target``). The cells
    are drawn for the width by ``_arrange_matrix`` from the matrix kept in
    ``layout.meta.matrix``."""
    if frame.empty:
        return empty_figure(base_layout(text), NO_DATA)
    frame = group_minor_actors(frame, ["target_type"], limit=MAX_MATRIX_ACTORS)
    # groupby + unstack: the same matrix as pivot_table(aggfunc="sum"), 4x cheaper
    matrix = frame.groupby(["actor", "target_type"])["incidents"].sum().unstack(fill_value=0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
    layout = base_layout(text, kind="matrix")
    layout["meta"]["matrix"] = {
        "actors": [str(a) for a in matrix.index],
        "targets": [str(t) for t in matrix.columns],
        "values": [[int(v) for v in row] for row in matrix.to_numpy()],
    }
    return make_figure([], layout)


#: Space round a cell's number (px), and a row's least height beyond its text.
CELL_PAD = 6
ROW_PAD = 8


def _wrapped(labels: list[str], room: float, px: float) -> list[str]:
    """Labels wrapped to ``room`` px, lines joined by <br> (Plotly's line break)."""
    return [
        "<br>".join(esc(line) for line in wrap(label, room, px, in_words=True)) for label in labels
    ]


def _lines_width(labels: list[str], px: float) -> float:
    return widest([line for label in labels for line in label.split("<br>")], px)


def _regroup(matrix: dict, columns: int) -> dict:
    """The matrix with at most ``columns`` actors: the biggest kept (and Unknown, No
    majority and the clash group, which always show), the rest summed as "Other actors
    (N)" (for a width too narrow for every actor's column)."""
    actors, values = matrix["actors"], matrix["values"]
    if len(actors) <= columns:
        return matrix
    always = [i for i, a in enumerate(actors) if a in ALWAYS_SHOWN]
    named = [i for i, a in enumerate(actors) if a not in ALWAYS_SHOWN]
    room = max(1, columns - 1 - len(always))
    keep = sorted(named[:room] + always)
    rest = [i for i in named[room:]]
    summed = [sum(values[i][j] for i in rest) for j in range(len(matrix["targets"]))]
    label = f"{OTHER_ACTORS} ({len(rest)})"
    return {
        **matrix,
        "actors": [actors[i] for i in keep] + [label],
        "values": [values[i] for i in keep] + [summed],
    }


def _arrange_matrix(spec: dict, frame: Frame) -> None:
    """Cells, labels and margins of the matrix for the frame's width: actors as rows
    and target types as columns while the columns hold their numbers; else turned, the
    target types' names wrapped narrower, as many actor columns as fit."""
    layout = spec["layout"]
    fonts = frame.fonts
    grid = _matrix_grid(layout["meta"]["matrix"], frame)
    rows, columns, values = grid["rows"], grid["columns"], grid["values"]
    column_text, across = _column_labels(columns, grid["column_w"], frame)
    frame.left, frame.right = grid["left"], grid["right"]
    row_h = max(
        LINE * max(fonts.cell, fonts.base) * max(t.count("<br>") + 1 for t in grid["row_text"])
        + ROW_PAD,
        24,
    )
    frame.plot_height = row_h * len(rows)
    y_labels, y_text = rows[::-1], grid["row_text"][::-1]  # first row at the top
    spec["data"] = _matrix_traces(values[::-1], columns, y_labels, grid["turned"], frame)
    layout["xaxis"] = {
        "type": "category",
        "side": "bottom",
        "tickmode": "array",
        "tickvals": [esc(c) for c in columns],
        "ticktext": column_text,
        "tickangle": 0 if across else -90,
        "showgrid": False,
    }
    layout["yaxis"] = {
        "type": "category",
        "tickmode": "array",
        "tickvals": [esc(r) for r in y_labels],
        "ticktext": y_text,
        "showgrid": False,
    }
    layout["plot_bgcolor"] = "#FFFFFF"
    layout["meta"]["turned"] = grid["turned"]


def _matrix_grid(matrix: dict, frame: Frame) -> dict:
    """Which way the matrix stands at the frame's width: actors as rows while every
    column is wide enough for the largest number, else turned (target types as rows,
    the actors regrouped into as many columns as fit); with the rows' wrapped labels,
    the margins and the column width."""
    fonts = frame.fonts
    numbers = [f"{v:,}" for row in matrix["values"] for v in row]
    cell_w = text_width(max(numbers, key=len), fonts.cell) + 2 * CELL_PAD
    right = frame.side + (colorbar_room(fonts.base) if frame.width >= 600 else 0)

    def plan(rows: list[str], columns: list[str], room: float):
        row_text = _wrapped(rows, room, fonts.base)
        left = frame.side + _lines_width(row_text, fonts.base) + 10
        plot_w = frame.width - left - right
        return row_text, left, plot_w / max(1, len(columns))

    rows, columns, values, turned = matrix["actors"], matrix["targets"], matrix["values"], False
    row_text, left, column_w = plan(rows, columns, max(90.0, 0.3 * frame.width))
    if column_w < cell_w:
        turned = True
        room = max(70.0, 0.22 * frame.width)
        label_w = _lines_width(_wrapped(matrix["targets"], room, fonts.base), fonts.base)
        fit = max(2, int((frame.width - frame.side - right - 10 - label_w) // cell_w))
        matrix = _regroup(matrix, fit)
        rows, columns = matrix["targets"], matrix["actors"]
        values = [list(col) for col in zip(*matrix["values"], strict=True)]
        row_text, left, column_w = plan(rows, columns, room)
    return dict(
        rows=rows,
        columns=columns,
        values=values,
        turned=turned,
        row_text=row_text,
        left=left,
        right=right,
        column_w=column_w,
    )


def _column_labels(columns: list[str], column_w: float, frame: Frame) -> tuple[list[str], bool]:
    """The column labels, wrapped across when every line fits its column (True), else
    upright (False); the room under the plot is set for them."""
    fonts = frame.fonts
    column_text = _wrapped(columns, column_w - 4, fonts.base)
    across = all(
        text_width(line, fonts.base) <= column_w - 4
        for label in column_text
        for line in label.split("<br>")
    )
    if across:
        lines = max(label.count("<br>") + 1 for label in column_text)
        frame.axis = LINE * fonts.base * lines + 10
    else:
        column_text = [esc(c) for c in columns]
        frame.axis = widest(columns, fonts.base) + 12
    return column_text, across


def _matrix_traces(z: list[list[int]], columns, y_labels, turned: bool, frame: Frame) -> list:
    """The heatmap (a colour bar from 600 px) and its numbers, one text per cell in the
    colour that reads on it."""
    fonts = frame.fonts
    colorbar = frame.width >= 600
    top = max([max(r) for r in z] + [1])
    hover = "%{x} against %{y}" if turned else "%{y} against %{x}"
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": [esc(c) for c in columns],
            "y": [esc(r) for r in y_labels],
            "zmin": 0,
            "zmax": top,
            "colorscale": SEQUENTIAL,
            "xgap": 1,
            "ygap": 1,
            "showscale": colorbar,
            "hovertemplate": hover + ": %{z} incidents<extra></extra>",
        },
        {
            "type": "scatter",
            "uid": "cellvalues",
            "mode": "text",
            "x": [esc(c) for _ in y_labels for c in columns],
            "y": [esc(r) for r in y_labels for _ in columns],
            "text": [f"{v:,}" for row in z for v in row],
            "textfont": {
                "size": fonts.cell,
                "color": [cell_text_color(scale_color(v / top)) for row in z for v in row],
            },
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    if colorbar:
        data[0]["colorbar"] = {
            "title": {"text": "Incidents", "font": {"size": fonts.base}},
            "tickfont": {"size": fonts.base},
            "thickness": 14,
            **{
                k: v for k, v in integer_ticks(top).items() if k in ("tick0", "dtick", "tickformat")
            },
        }
    return data


KINDS["matrix"] = _arrange_matrix
