"""What every chart shares: its text (title, subtitle, footer) wrapped into the figure
for a width, the journal widths, re-layout for the page and for print, and the fast
figure constructor (the template validated once, traces not re-validated)."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

FONT = "Arial, Helvetica, sans-serif"
TEMPLATE = "plotly_white"


@dataclass(frozen=True)
class ChartText:
    title: str
    subtitle: str = ""
    footer: str = ""


@dataclass(frozen=True)
class Marker:
    """A date to mark on a timeline (an agreement's signature or milestone)."""

    on: date
    label: str


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


#: The width (CSS px) a figure is laid out for unless told otherwise (the export's).
DEFAULT_WIDTH = 1100
#: Export widths for journals: one column (~85 mm) and the full text width (~175 mm),
#: in CSS pixels at 96 per inch.
PRINT_WIDTHS = {"column": round(85 / 25.4 * 96), "full": round(175 / 25.4 * 96)}


def _chars(width: int, font_px: float) -> int:
    """About how many characters of Arial at ``font_px`` fit in ``width`` pixels (an
    average glyph is ~0.55 em; 0.7 leaves room for wide letters and bold)."""
    return max(16, int(width / (font_px * 0.7)))


def _scale(width: int) -> float:
    """Font scale for a layout width: 1 at the default width, 0.7 for a journal column
    (9 px text at 85 mm is about 7 pt in print)."""
    return min(1.0, max(0.7, 0.55 + width / 2000)) if width < DEFAULT_WIDTH else 1.0


#: Plotly spaces the lines of a text block 1.3 em of the block's font apart.
LINE = 1.3


def _text_block(
    text: ChartText,
    width: int,
    plot_height: float,
    axis_space: int,
    *,
    subtitle: bool = True,
    footer: bool = True,
    legend_rows: int = 0,
) -> dict:
    """Title (with subtitle), footer, margins and height for ``width``: every line
    wrapped to the width, the margins sized to the lines, ``legend_rows`` rows of a
    horizontal legend placed under the title block (in the top margin)."""
    k = _scale(width)
    title_px, sub_px, foot_px = 17 * k, 12 * k, 10 * k
    title_lines = _wrap(text.title, _chars(width, title_px))
    subtitle_lines = _wrap(text.subtitle, _chars(width, sub_px * 1.0066)) if subtitle else []
    # narrow: the footer starts at the plot's left edge, which long tick labels push right
    room = width if width >= DEFAULT_WIDTH else width * 0.75
    footer_lines = _wrap(text.footer, _chars(room, foot_px * 1.047)) if footer else []
    title = "<br>".join(f"<b>{esc(line)}</b>" for line in title_lines)
    if subtitle_lines:
        title += (
            f"<br><span style='font-size:{sub_px:.3g}px'>"
            + "<br>".join(esc(line) for line in subtitle_lines)
            + "</span>"
        )
    pad = round(30 * k)
    title_height = pad + LINE * title_px * (len(title_lines) + len(subtitle_lines))
    legend_height = 20 * k * legend_rows
    top = round(title_height + 12 * k + legend_height)
    axis_space = round(axis_space * (k if width < DEFAULT_WIDTH else 1))
    bottom = round(axis_space + LINE * foot_px * len(footer_lines) + 12)
    out = {
        "title": {
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": pad},
            "font": {"size": round(title_px, 1)},
        },
        "height": round(plot_height + top + bottom),
        "margin": {"t": top, "b": bottom},
        "font": {"family": FONT, "size": round(12 * k, 1)},
        "footer": None,
    }
    if footer_lines:
        out["footer"] = {
            "name": "footer",
            "text": "<br>".join(esc(line) for line in footer_lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -axis_space,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
            "font": {"size": round(foot_px, 1), "color": "#444444"},
        }
    if legend_rows:
        out["legend"] = {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - (title_height + 6 * k) / out["height"],
            "yanchor": "top",
        }
    return out


def _layout(
    text: ChartText,
    height: int = 480,
    axis_space: int = 60,
    width: int = DEFAULT_WIDTH,
    **more,
) -> dict:
    """Title, subtitle and footer in the figure itself, so an export stands alone.

    The title block is anchored to the top of the figure and the footer sits
    ``axis_space`` pixels below the plot area (room for tick labels and the axis title);
    title, subtitle and footer are wrapped to ``width`` and the margins grow with their
    number of lines, so none is ever cut off. ``height`` is the figure's height with a
    one-line title and no subtitle or footer. The text and sizes are kept in
    ``layout.meta`` so the figure can be laid out again for another width
    (``fit_width``, ``page_figure``). Returns the layout as a plain dict (``more``:
    further layout keys) for ``_figure``."""
    plot_height = height - 70 - (axis_space + 12)
    block = _text_block(text, width, plot_height, axis_space)
    layout = {
        "title": block["title"],
        "font": block["font"],
        "height": block["height"],
        "margin": {**block["margin"], "l": 60, "r": 20},
        "legend": {"title": {"text": ""}},
        "annotations": [block["footer"]] if block["footer"] else [],
        "meta": {
            "title": text.title,
            "subtitle": text.subtitle,
            "footer": text.footer,
            "plot_height": plot_height,
            "axis_space": axis_space,
        },
        **more,
    }
    return layout


#: Category tick labels longer than this are abbreviated in narrow layouts (the full
#: name stays in the hover and in the data).
SHORT_LABEL = 18


def _abbreviate(label: str) -> str:
    return label if len(label) <= SHORT_LABEL else label[: SHORT_LABEL - 1].rstrip() + "…"


def _narrow_axes(spec: dict) -> None:
    """Abbreviate long category labels of heatmap axes (tickvals keep the full names,
    so the hover and the data still show them) and let Plotly pick the tick angle."""
    layout = spec["layout"]
    for trace in spec.get("data", []):
        if trace.get("type") != "heatmap":
            continue
        for axis, values in (("yaxis", trace.get("y")), ("xaxis", trace.get("x"))):
            if values is None:
                continue
            labels = [str(v) for v in values]
            if any(len(v) > SHORT_LABEL for v in labels):
                layout[axis] = {
                    **layout.get(axis, {}),
                    "tickmode": "array",
                    "tickvals": labels,
                    "ticktext": [_abbreviate(v) for v in labels],
                }
        # vertical labels never overlap (a slanted label's box would cross its neighbour's)
        layout["xaxis"] = {**layout.get("xaxis", {}), "tickangle": -90}


def _legend_rows(spec: dict, width: int) -> int:
    """Rows a horizontal legend of the figure's named traces takes at ``width``."""
    k = _scale(width)
    items = [
        t.get("name", "")
        for t in spec.get("data", [])
        if t.get("showlegend", True) is not False and t.get("name") and t.get("type") != "heatmap"
    ]
    if not items or spec["layout"].get("showlegend") is False:
        return 0
    rows, used = 1, 0.0
    for name in items:
        item = 40 * k + 0.6 * 12 * k * len(name)
        if used and used + item > width - 20:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _relayout(fig: go.Figure, width: int, *, subtitle: bool, footer: bool) -> dict:
    """The figure's dict with its text block laid out again for ``width``."""
    spec = fig.to_dict()
    layout = spec["layout"]
    meta = layout.get("meta") or {}
    text = ChartText(meta["title"], meta.get("subtitle", ""), meta.get("footer", ""))
    k = _scale(width)
    narrow = width < 700
    rows = _legend_rows(spec, width) if narrow else 0
    block = _text_block(
        text,
        width,
        meta["plot_height"] * (0.55 + 0.45 * k if narrow else 1),
        meta["axis_space"],
        subtitle=subtitle,
        footer=footer,
        legend_rows=rows,
    )
    layout.update(title=block["title"], height=block["height"], font=block["font"])
    layout["margin"] = {**layout.get("margin", {}), **block["margin"]}
    others = [a for a in layout.get("annotations", []) if a.get("name") != "footer"]
    layout["annotations"] = others + ([block["footer"]] if block["footer"] else [])
    if rows:
        layout["legend"] = {**layout.get("legend", {}), **block["legend"]}
    if narrow:
        _narrow_axes(spec)
        layout["margin"]["l"] = round(60 * k)
    return spec


def fit_width(fig: go.Figure, width: int) -> go.Figure:
    """The figure laid out again for ``width`` pixels (an export size, e.g.
    ``PRINT_WIDTHS``): fonts scaled, title, subtitle and footer re-wrapped, margins and
    height recomputed; below 700 px the legend goes in rows under the title and long
    category labels are abbreviated. Figures without ``layout.meta`` are unchanged."""
    if "title" not in (fig.layout.meta or {}):
        return fig
    spec = _relayout(fig, width, subtitle=True, footer=True)
    spec["layout"]["width"] = width
    return go.Figure(spec, _validate=False)


def page_figure(fig: go.Figure, narrow: bool = False) -> tuple[go.Figure, str, str]:
    """The figure as the page shows it, with (subtitle, footer) to show under it.

    In the page the subtitle and the footer are page text (they wrap to the chart's
    real width, which the server does not know); the figure keeps its title, wrapped
    for a column (``narrow``: half the page), its legend in rows under the title and
    abbreviated long category labels (full names in the hover). The downloads use the
    full figure, which carries all its text."""
    meta = fig.layout.meta or {}
    if "title" not in meta:
        return fig, "", ""
    spec = _relayout(fig, 300 if narrow else 600, subtitle=False, footer=False)
    # the page keeps the app's font size; only the layout of the text is narrower
    spec["layout"]["font"] = {"family": FONT, "size": 12}
    return go.Figure(spec, _validate=False), meta.get("subtitle", ""), meta.get("footer", "")


#: The trace types the charts draw; the template keeps only their defaults.
TRACE_TYPES = ("bar", "heatmap", "scatter", "scattergl")


@functools.lru_cache(maxsize=1)
def _template_json() -> dict:
    """``TEMPLATE`` as Plotly validates it into a figure, computed once per process.

    Its trace defaults are cut to ``TRACE_TYPES``: the other two dozen types' (pie,
    surface, ...) never apply to these charts, and Plotly deep-copies the template into
    every figure (half the cost of making one)."""
    template = go.Figure(layout={"template": TEMPLATE}).to_dict()["layout"]["template"]
    template["data"] = {k: v for k, v in template["data"].items() if k in TRACE_TYPES}
    return template


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure from plain trace and layout dicts, with the template, not re-validated.

    Plotly's run-time validation re-checks dicts that only this package writes, so it
    moved to the tests: ``tests/test_charts.py`` validates every chart function's output
    on real frames and checks that Plotly's validated figure has exactly the same JSON.
    The template, validated once per process, is shared read-only (``_validate=False``
    copies what a figure modifies). Measurements and the old way: bench/README.md,
    "Figures without Plotly's run-time validation"."""
    if not layout.get("annotations"):
        layout = {k: v for k, v in layout.items() if k != "annotations"}
    return go.Figure(
        {"data": data, "layout": {**layout, "template": _template_json()}}, _validate=False
    )


def figure_from_json(spec: dict) -> go.Figure:
    """A figure from the JSON dict of a figure Plotly has already validated
    (``fig.to_dict()``), without validating it again: the same figure, in about 1 ms
    instead of 10-35 ms. Only for dicts made by Plotly, never for hand-written ones."""
    return go.Figure(spec, _validate=False)


def _wrap(text: str, width: int) -> list[str]:
    """Split long text into lines at word boundaries (Plotly does not wrap)."""
    if not text:
        return []
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def _empty(layout: dict, message: str) -> go.Figure:
    """A figure with no traces that says why, axes hidden."""
    layout["annotations"].append(
        {
            "text": esc(message),
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 16, "color": "#666666"},
        }
    )
    layout["xaxis"] = {**layout.get("xaxis", {}), "visible": False}
    layout["yaxis"] = {**layout.get("yaxis", {}), "visible": False}
    return _figure([], layout)


NO_DATA = "No incidents match these filters."
