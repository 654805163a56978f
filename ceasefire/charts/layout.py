"""What every chart shares: its text (title, subtitle, footnote), its fonts, legend and
margins laid out for a width, and the fast figure constructor (the template validated
once, traces not re-validated).

A figure is laid out for one width at a time (``arrange``): at the screen width (1100
px) when it is made, again for a journal size (``fit_width``: 175 mm, 85 mm) and for
the page (``page_figure``). The layout is computed from measured text
(``textsize``), never guessed from a character count, so that

- titles, subtitles and footnotes wrap to the width and the margins grow with them;
- the legend sits to the right of the plot at the screen width and in rows under the
  plot at narrower ones (the page, 175 mm, 85 mm), in as many columns as its longest
  entry allows;
- the plot keeps at least ``MIN_PLOT_FRACTION`` of the figure's height: the figure
  grows taller rather than the plot thinner;
- each chart kind (``KINDS``: the timeline, the matrix, the map) places what depends on
  the width itself: tick labels, milestone markers, cell text, town labels.

Publication style: the subtitle says what is counted and the filters in words; the
method sentences (attribution, clashes, what stays uncounted), the milestone key, the
data credits and the data version are the footnote (``ChartText.footer``).
"""

from __future__ import annotations

import base64
import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import plotly.graph_objects as go

from .textsize import text_width, widest, wrap

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
#: The page lays a chart out for the narrowest column it gets (the Overview's at a
#: 900 px window, beside the sidebar: 440 px); wider windows stretch it.
PAGE_WIDTH = 440
#: The widths at which the legend moves from the right of the plot to rows under it.
LEGEND_RIGHT_FROM = 900
#: The plot area's least share of the figure's height.
MIN_PLOT_FRACTION = 0.61
#: Plotly spaces the lines of a text block 1.3 em apart.
LINE = 1.3
#: A legend entry: the symbol and its gaps (Plotly: itemwidth 30 + 2 x itemGap 5).
LEGEND_SYMBOL = 40
#: A legend row's height: Plotly makes an entry max(text height, 16) + 3 px tall.
LEGEND_ROW = 19


@dataclass(frozen=True)
class Fonts:
    """Font sizes (px) for one width; 1 px = 0.75 pt in print."""

    title: float
    subtitle: float
    base: float  # ticks, legend, axis titles
    footer: float
    cell: float  # numbers in matrix cells: at least 8 pt (10.7 px) at every size


def fonts_for(width: int, page: bool = False) -> Fonts:
    """Screen sizes at 1100 px and in the page; smaller at journal widths, down to
    about 7 pt for ticks and 6 pt for the footnote at 85 mm (cell numbers 8.25 pt)."""
    if page:
        return Fonts(title=16, subtitle=12, base=12, footer=11, cell=12)
    k = min(1.0, max(0.0, (width - PRINT_WIDTHS["column"]) / (DEFAULT_WIDTH - 321)))
    return Fonts(
        title=round(12 + 5 * k, 1),
        subtitle=round(10 + 2.5 * k, 1),
        base=round(9.5 + 2.5 * k, 1),
        footer=round(8 + 2.5 * k, 1),
        cell=round(11 + k, 1),
    )


@dataclass
class Frame:
    """The geometry of a figure being laid out (px). A chart kind's arranger reads the
    width and fonts and sets what it needs: the margins beside and under the plot, a
    band above it, the plot's wanted height."""

    width: int
    fonts: Fonts
    page: bool
    legend: str  # "right", "below" or "none"
    left: float = 60.0
    right: float = 12.0
    band: float = 0.0  # above the plot, under the title block (milestone markers)
    axis: float = 40.0  # under the plot: tick labels and axis title
    plot_height: float = 300.0
    #: the share of the plot's height its panels hold (stacked panels leave a gap,
    #: which is not plot): the panels, not the gap, keep ``MIN_PLOT_FRACTION``
    plot_share: float = 1.0
    legend_width: float = 0.0
    legend_rows: int = 0
    legend_columns: int = 1
    legend_height: float = 0.0
    #: called with the final plot height (maps fit their ranges to it)
    after: list[Callable[[dict, Frame, float], None]] = field(default_factory=list)

    @property
    def plot_width(self) -> float:
        return max(40.0, self.width - self.left - self.right)

    @property
    def side(self) -> float:
        return 8.0 if self.width < 500 else 12.0


#: Chart kinds' arrangers (``layout.meta.kind`` -> function(spec, frame)), registered by
#: the modules that draw them (``counts``, ``maps``).
KINDS: dict[str, Callable[[dict, Frame], None]] = {}


def _legend_items(spec: dict) -> list[dict]:
    """The traces, and the shapes, that have an entry in the legend."""
    traces = [
        t
        for t in spec.get("data", [])
        if t.get("showlegend", True) is not False
        and t.get("name")
        and t.get("type") not in ("heatmap",)
    ]
    shapes = [s for s in spec["layout"].get("shapes", []) if s.get("showlegend") and s.get("name")]
    return traces + shapes


def _legend_names(spec: dict) -> list[str]:
    layout = spec["layout"]
    if layout.get("showlegend") is False:
        return []
    names = [item["name"] for item in _legend_items(spec)]
    if layout.get("showlegend") is None and len(names) < 2:
        return []
    return names


def _plan_legend(spec: dict, frame: Frame) -> None:
    """Where the legend goes and how much room it takes. Under the plot: the most
    columns (up to four) in which every entry fits in at most two lines; entries longer
    than their column are wrapped (the trace's name gets a line break)."""
    names = _legend_names(spec)
    if not names:
        frame.legend = "none"
        return
    px = frame.fonts.base
    if frame.legend == "right":
        frame.legend_width = widest(names, px) + LEGEND_SYMBOL + 6
        frame.right = frame.side + frame.legend_width + 8
        return
    plain = [n.replace("<br>", " ") for n in names]
    room = frame.width - 2 * frame.side
    for columns in range(min(4, len(plain)), 0, -1):
        text_room = room / columns - LEGEND_SYMBOL - 8
        wrapped = [wrap(n, text_room, px) for n in plain]
        fits = all(
            len(lines) <= 2 and all(text_width(line, px) <= text_room for line in lines)
            for lines in wrapped
        )
        if fits or columns == 1:
            break
    rename = dict(zip(names, ("<br>".join(lines) for lines in wrapped), strict=True))
    for item in _legend_items(spec):
        if item["name"] in rename:
            item["name"] = rename[item["name"]]
    frame.legend_columns = columns
    frame.legend_rows = -(-len(names) // columns)
    heights = [max(LEGEND_ROW, LINE * px * len(lines) + 4) for lines in wrapped]
    # Plotly may list the entries in either order (reversed for stacked bars)
    frame.legend_height = 12 + max(
        sum(max(order[i : i + columns]) for i in range(0, len(order), columns))
        for order in (heights, heights[::-1])
    )


def _legend_layout(frame: Frame, plot_h: float) -> dict:
    fonts = frame.fonts
    if frame.legend == "right":
        return {
            "orientation": "v",
            "x": 1 + 8 / frame.plot_width,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "font": {"size": fonts.base},
            "title": {"text": ""},
        }
    # rows under the plot, from the figure's left edge, columns of equal width
    return {
        "orientation": "h",
        "x": -(frame.left - frame.side) / frame.plot_width,
        "xanchor": "left",
        "y": -frame.axis / plot_h,
        "yanchor": "top",
        "entrywidthmode": "fraction",
        # a little under 1/columns: Plotly adds a 5 px gap after each grouped entry
        "entrywidth": round(1 / frame.legend_columns - 0.02, 4),
        "font": {"size": fonts.base},
        "title": {"text": ""},
    }


def arrange_generic(spec: dict, frame: Frame) -> None:
    """Charts with no arranger of their own: left margin from the y tick labels when
    they are categories, fonts, the stored plot height scaled to the width."""
    layout = spec["layout"]
    meta = layout["meta"]
    fonts = frame.fonts
    labels = []
    for trace in spec.get("data", []):
        if trace.get("orientation") == "h" and trace.get("y") is not None:
            labels += [str(v) for v in trace["y"]]
    frame.left = frame.side + (widest(labels, fonts.base) + 10 if labels else 40)
    frame.left += LINE * fonts.base + 6 if _axis_title(layout.get("yaxis")) else 0
    frame.axis = (
        LINE * fonts.base + 8 + (LINE * fonts.base + 6 if _axis_title(layout.get("xaxis")) else 0)
    )
    frame.axis = max(frame.axis, meta.get("axis_space", 60) * fonts.base / 12)
    frame.plot_height = meta.get("plot_height", 300) * max(0.6, frame.width / DEFAULT_WIDTH)


def _colorbars(spec: dict) -> list[dict]:
    """The colour bars the figure shows (a heatmap's, or a scatter's marker scale)."""
    bars = []
    for trace in spec.get("data", []):
        if trace.get("type") == "heatmap" and trace.get("showscale", True) is not False:
            bars.append(trace.setdefault("colorbar", {}))
        marker = trace.get("marker") or {}
        if marker.get("showscale"):
            bars.append(marker.setdefault("colorbar", {}))
    return bars


def colorbar_room(px: float) -> float:
    """The width a colour bar takes beside the plot (bar, tick labels, title, gaps)."""
    return max(14 + 8 + text_width("00,000", px), text_width("Incidents", px)) + 16


def _place_colorbars(spec: dict, frame: Frame) -> None:
    """A colour bar right of the plot, after the legend when the legend is there too;
    the right margin grows by its width."""
    bars = _colorbars(spec)
    if not bars:
        return
    px = frame.fonts.base
    beside = frame.right - frame.side if frame.legend == "right" else 0.0
    frame.right = frame.side + beside + colorbar_room(px)
    for bar in bars:
        bar.update(
            x=1 + (beside + 10) / frame.plot_width,
            xanchor="left",
            thickness=14,
            tickfont={"size": px},
            title={**bar.get("title", {}), "side": "top", "font": {"size": px}},
            ticklabelposition="outside bottom",
        )


def _axis_title(axis: dict | None) -> bool:
    return bool(((axis or {}).get("title") or {}).get("text"))


def _fonts_into_axes(layout: dict, fonts: Fonts) -> None:
    """The width's font size for every axis's ticks and title, unless the chart set
    its own (the small multiples' smaller ticks: remembered in ``meta.own_tick_sizes``
    the first time the figure is laid out)."""
    meta = layout["meta"]
    axes = [k for k in layout if k.startswith(("xaxis", "yaxis")) and isinstance(layout[k], dict)]
    if "own_tick_sizes" not in meta:
        meta["own_tick_sizes"] = {
            k: layout[k]["tickfont"]["size"]
            for k in axes
            if "size" in layout[k].get("tickfont", {})
        }
    for key in axes:
        axis = layout[key]
        if key not in meta["own_tick_sizes"]:
            axis["tickfont"] = {**axis.get("tickfont", {}), "size": fonts.base}
            if _axis_title(axis):
                axis["title"] = {**axis["title"], "font": {"size": fonts.base}}


def arrange(spec: dict, width: int, *, page: bool = False, legend: str | None = None) -> dict:
    """Lay the figure's dict out for ``width`` px (in place; returns it). ``page``: the
    page's style (its fonts; no subtitle or footnote, the page states them); ``legend``:
    "right" or "below" to choose the legend's place (by default right from
    ``LEGEND_RIGHT_FROM`` px, below in the page). Figures without ``layout.meta.title``
    are left as they are."""
    layout = spec["layout"]
    meta = layout.get("meta") or {}
    if "title" not in meta:
        return spec
    fonts = fonts_for(width, page)
    if legend is None:
        legend = "right" if (width >= LEGEND_RIGHT_FROM and not page) else "below"
    frame = Frame(width=width, fonts=fonts, page=page, legend=legend)
    _plan_legend(spec, frame)
    KINDS.get(meta.get("kind", ""), arrange_generic)(spec, frame)
    if frame.legend == "right":  # the kind may have set its own right margin
        frame.right = max(frame.right, frame.side + frame.legend_width + 8)
    _place_colorbars(spec, frame)
    _fonts_into_axes(layout, fonts)
    _fit_messages(layout, frame)

    inner = width - 2 * frame.side
    title_lines = wrap(meta["title"], inner, fonts.title, bold=True)
    subtitle_lines = [] if page else wrap(meta.get("subtitle", ""), inner, fonts.subtitle)
    footer_lines = [] if page else wrap(meta.get("footer", ""), inner, fonts.footer)
    # Plotly puts the title's first baseline about one font size below its pad
    pad = round(fonts.title + 2)
    title_h = LINE * (fonts.title * (len(title_lines) - 1) + fonts.subtitle * len(subtitle_lines))
    # the top tick label stands half a line above the plot
    top = pad + title_h + 0.5 * fonts.title + 10 + max(frame.band, 0.6 * fonts.base)
    legend_h = frame.legend_height if frame.legend == "below" else 0.0
    footer_h = LINE * fonts.footer * len(footer_lines) + (6 if footer_lines else 0)
    bottom = frame.axis + legend_h + footer_h + 8
    least = (top + bottom) * MIN_PLOT_FRACTION / (frame.plot_share - MIN_PLOT_FRACTION)
    plot_h = max(frame.plot_height, least, 60.0)
    for after in frame.after:
        after(spec, frame, plot_h)
    height = top + plot_h + bottom

    title = "<br>".join(f"<b>{esc(line)}</b>" for line in title_lines)
    if subtitle_lines:
        title += (
            f"<br><span style='font-size:{fonts.subtitle:g}px'>"
            + "<br>".join(esc(line) for line in subtitle_lines)
            + "</span>"
        )
    layout["title"] = {
        "text": title,
        "x": frame.side / width,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yanchor": "top",
        "yref": "container",
        "pad": {"t": pad},
        "font": {"size": fonts.title},
    }
    layout["font"] = {"family": FONT, "size": fonts.base}
    layout["height"] = round(height)
    layout["margin"] = {
        "t": round(top),
        "b": round(bottom),
        "l": round(frame.left),
        "r": round(frame.right),
    }
    others = [a for a in layout.get("annotations", []) if a.get("name") != "footer"]
    if footer_lines:
        others.append(
            {
                "name": "footer",
                "text": "<br>".join(esc(line) for line in footer_lines),
                "xref": "paper",
                "yref": "paper",
                "x": -(frame.left - frame.side) / frame.plot_width,
                "y": 0,
                "yshift": -(frame.axis + legend_h),
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": fonts.footer, "color": "#444444"},
            }
        )
    if others:
        layout["annotations"] = others
    else:
        layout.pop("annotations", None)
    if frame.legend == "none":
        layout["showlegend"] = False
    else:
        layout["legend"] = {**layout.get("legend", {}), **_legend_layout(frame, plot_h)}
    return spec


def base_layout(
    text: ChartText,
    height: int = 480,
    axis_space: int = 60,
    width: int = DEFAULT_WIDTH,
    **more,
) -> dict:
    """The layout's starting dict: the text and sizes kept in ``layout.meta`` so the
    figure can be laid out for any width (``arrange``, called by ``make_figure``).
    ``height``: the figure's height at the screen width with a one-line title and no
    subtitle or footnote; ``axis_space``: room under the plot for the x axis. ``more``:
    further layout keys; two are not Plotly's: ``kind`` names the chart kind's arranger
    (``KINDS``) and ``notes`` is the chart's own footnote (a milestone key, what is
    shaded), put before the common one and shown under the chart in the page."""
    kind = more.pop("kind", "")
    notes = more.pop("notes", "")
    plot_height = height - 70 - (axis_space + 12)
    return {
        "font": {"family": FONT, "size": 12},
        "legend": {"title": {"text": ""}},
        "annotations": [],
        "meta": {
            "title": text.title,
            "subtitle": text.subtitle,
            "footer": " ".join(t for t in (notes, text.footer) if t),
            "notes": notes,
            "plot_height": plot_height,
            "axis_space": axis_space,
            "kind": kind,
            "layout_width": width,
        },
        **more,
    }


#: Category tick labels longer than this are abbreviated where a chart kind has no room
#: for them (the Compare and What-changed panels' titles; full names in the hover).
SHORT_LABEL = 18


def _abbreviate(label: str) -> str:
    return label if len(label) <= SHORT_LABEL else label[: SHORT_LABEL - 1].rstrip() + "…"


def fit_width(fig: go.Figure, width: int) -> go.Figure:
    """The figure laid out again for ``width`` pixels (an export size, e.g.
    ``PRINT_WIDTHS``): fonts scaled, text re-wrapped, legend, margins, ticks and
    height recomputed. Figures without ``layout.meta`` are unchanged."""
    if "title" not in (fig.layout.meta or {}):
        return fig
    spec = arrange(fig.to_dict(), width)
    spec["layout"]["width"] = width
    spec["layout"]["meta"]["layout_width"] = width
    return go.Figure(spec, _validate=False)


def page_figure(fig: go.Figure, narrow: bool = False) -> tuple[go.Figure, str, str]:
    """The figure as the page shows it, with (subtitle, footer) to show under it.

    In the page the subtitle and the footnote are page text (they wrap to the chart's
    real width, which the server does not know); the figure keeps its title and is laid
    out for ``PAGE_WIDTH`` (the narrowest column the page gives a chart; a wider one
    stretches it): legend in rows under the plot, full labels. The downloads use the
    full figure, which carries all its text. ``narrow`` is accepted for old callers."""
    meta = fig.layout.meta or {}
    if "title" not in meta:
        return fig, "", ""
    spec = arrange(fig.to_dict(), PAGE_WIDTH, page=True)
    spec["layout"]["meta"]["layout_width"] = PAGE_WIDTH
    return go.Figure(spec, _validate=False), meta.get("subtitle", ""), meta.get("footer", "")


#: The trace types the charts draw; the template keeps only their defaults.
TRACE_TYPES = ("bar", "heatmap", "scatter", "scattergl")


@functools.lru_cache(maxsize=1)
def template_json() -> dict:
    """``TEMPLATE`` as Plotly validates it into a figure, computed once per process.

    Its trace defaults are cut to ``TRACE_TYPES``: the other two dozen types' (pie,
    surface, ...) never apply to these charts, and Plotly deep-copies the template into
    every figure (half the cost of making one)."""
    template = go.Figure(layout={"template": TEMPLATE}).to_dict()["layout"]["template"]
    template["data"] = {k: v for k, v in template["data"].items() if k in TRACE_TYPES}
    return template


def make_figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure from plain trace and layout dicts, laid out for its width
    (``arrange``), with the template, not re-validated.

    Plotly's run-time validation re-checks dicts that only this package writes, so it
    moved to the tests: ``tests/test_charts.py`` validates every chart function's output
    on real frames and checks that Plotly's validated figure has exactly the same JSON.
    The template, validated once per process, is shared read-only (``_validate=False``
    copies what a figure modifies). Measurements and the old way: bench/README.md,
    "Figures without Plotly's run-time validation"."""
    spec = arrange({"data": data, "layout": layout}, DEFAULT_WIDTH)
    layout = spec["layout"]
    return go.Figure(
        {"data": spec["data"], "layout": {**layout, "template": template_json()}},
        _validate=False,
    )


def figure_from_json(spec: dict) -> go.Figure:
    """A figure from the JSON dict of a figure Plotly has already validated
    (``fig.to_dict()``), without validating it again: the same figure, in about 1 ms
    instead of 10-35 ms. Only for dicts made by Plotly, never for hand-written ones."""
    return go.Figure(spec, _validate=False)


def wrap_words(text: str, width: int) -> list[str]:
    """Split long text into lines of at most ``width`` characters at word boundaries
    (Plotly does not wrap). Where the pixel width matters, ``textsize.wrap``."""
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


#: The name of an annotation that states a message in the plot (why it is empty):
#: ``arrange`` sizes it to the figure and wraps it to the plot's width at every width.
MESSAGE = "message"


def message(text: str) -> dict:
    """An annotation stating ``text`` in the middle of the plot (``MESSAGE``)."""
    return {
        "name": MESSAGE,
        "text": esc(text),
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 16, "color": "#666666"},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
    }


def _fit_messages(layout: dict, frame: Frame) -> None:
    """Each ``MESSAGE`` annotation at the title's size (16 px at most) and wrapped to
    the plot's width: at 16 px a sentence ran out of an 85 mm figure."""
    px = min(16.0, frame.fonts.title)
    for note in layout.get("annotations", []):
        if note.get("name") != MESSAGE:
            continue
        text = html.unescape(note["text"].replace("<br>", " "))
        lines = wrap(text, frame.plot_width - 16, px)
        note["text"] = "<br>".join(esc(line) for line in lines)
        note["font"] = {**note.get("font", {}), "size": px}


def empty_figure(layout: dict, message_text: str) -> go.Figure:
    """A figure with no traces that says why, axes hidden."""
    layout["annotations"].append(message(message_text))
    layout["xaxis"] = {**layout.get("xaxis", {}), "visible": False}
    layout["yaxis"] = {**layout.get("yaxis", {}), "visible": False}
    layout["meta"]["kind"] = ""
    return make_figure([], layout)


def integer_ticks(top: float) -> dict:
    """Axis settings so that a count never gets a fractional tick (Plotly picks steps of
    0.5 or 0.2 for a small range): a step of 1 or 2 while the top is small, integer
    labels with thousands separators."""
    out: dict = {"tickformat": ",d", "rangemode": "tozero"}
    if top <= 6:
        out.update(tick0=0, dtick=1)
    elif top <= 12:
        out.update(tick0=0, dtick=2)
    return out


def values(data) -> np.ndarray:
    """A trace's array as numbers, whether a list, a numpy array or the typed-array dict
    (``{"dtype", "bdata"}``) that ``Figure.to_dict()`` makes of a numpy array."""
    if isinstance(data, dict) and "bdata" in data:
        out = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        return out.reshape(data["shape"]) if "shape" in data else out
    return np.asarray(data if data is not None else [], dtype=float)


def chart_notes(fig: go.Figure) -> str:
    """The figure's own footnote (``notes`` of ``base_layout``): what the page shows under
    the chart, the common footnote being stated once for the page."""
    return (fig.layout.meta or {}).get("notes", "")


NO_DATA = "No incidents match these filters."
