"""The timeline: incidents per day, week or month, stacked by alleged actor.

What it must never do, and how it avoids it:

- **draw a milestone over the data**: each agreement milestone is a numbered box in a
  band above the plot (milestones too close together at the width share one box,
  "1–3"), a tick at its date on the plot's top edge (no line through the plot), and
  its name and date in the footnote's key;
- **read a period the data does not cover as zero**: months in which the store holds no
  incident at all (of the view's origins) are shaded and named in the legend and the
  footnote as not covered (``Span``), never left blank like a quiet month;
- **print a time of day or a fractional count**: the date ticks are chosen here, at
  period starts, as many as fit the width; counts tick by whole numbers.

Each bar spans its period (a month's bar fills its month), so the ticks at period
starts fall between bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..filters import CLASH_GROUP, fmt_date
from .layout import (
    KINDS,
    LINE,
    NO_DATA,
    ChartText,
    Frame,
    Marker,
    base_layout,
    empty_figure,
    esc,
    integer_ticks,
    make_figure,
)
from .textsize import text_width


@dataclass(frozen=True)
class Span:
    """A stretch of dates shaded behind the bars: months the data does not cover
    (``kind="uncovered"``) or a period to point out (``kind="highlight"``, the brief's)."""

    start: date
    end: date  # inclusive
    label: str
    kind: str = "uncovered"


SPAN_COLORS = {"uncovered": "#E4E4E4", "highlight": "rgba(230, 159, 0, 0.18)"}
UNCOVERED = "Not covered by the data"
_MS_PER_DAY = 86_400_000


def _period_end(start: pd.Timestamp, by: str) -> pd.Timestamp:
    """The first day after the period that starts on ``start``."""
    if by == "month":
        return start + pd.offsets.MonthBegin(1)
    return start + pd.Timedelta(days=7 if by == "week" else 1)


def _ms(day) -> float:
    return pd.Timestamp(day).timestamp() * 1000


def timeline_chart(
    frame: pd.DataFrame,
    text: ChartText,
    by: str = "week",
    markers: list[Marker] | tuple[Marker, ...] = (),
    clash_pairs: pd.DataFrame | None = None,
    spans: list[Span] | tuple[Span, ...] = (),
) -> go.Figure:
    """Stacked bars of incidents per period and alleged actor, agreement milestones
    numbered above the plot, ``spans`` shaded behind the bars.

    ``frame``: period, actor, incidents (from ``queries.timeline``). ``clash_pairs``:
    period, clash_pair, incidents (``queries.clash_pairs``): the hover of the clash
    group names the pairs of parties in each period. ``spans``: e.g.
    ``uncovered_spans`` of ``queries.uncovered_months``."""
    from .counts import actor_marker, group_minor_actors

    if frame.empty:
        return empty_figure(base_layout(text), NO_DATA)
    frame = group_minor_actors(frame, ["period"])
    periods = pd.to_datetime(frame.period)
    first, last = periods.min(), _period_end(periods.max(), by)
    totals = frame.groupby("actor")["incidents"].sum().sort_values(ascending=False)
    data = []
    for actor, part in sorted(
        frame.groupby("actor", sort=False), key=lambda item: totals.index.get_loc(item[0])
    ):
        starts = pd.to_datetime(part.period)
        # each bar spans 86 % of its period, from its start (x) plus 7 %: a month's bar
        # fills its month, and the hover's date is the period's start
        spans_ms = (
            np.array([(_period_end(s, by) - s).total_seconds() * 1000 for s in starts])
            if by == "month"
            else np.full(len(starts), (7 if by == "week" else 1) * _MS_PER_DAY, dtype=float)
        )
        hover = f"{esc(actor)}<br>{_HOVER_DATES[by]}: %{{y}} incidents"
        trace = {
            "type": "bar",
            "x": part.period.to_numpy(),
            "y": part.incidents.to_numpy(),
            "width": 0.86 * spans_ms,
            "offset": 0.07 * spans_ms,
            "name": esc(actor),
            "marker": actor_marker(actor),
            "hovertemplate": hover + "<extra></extra>",
        }
        if actor == CLASH_GROUP and clash_pairs is not None and not clash_pairs.empty:
            trace["customdata"] = _pair_lines(part.period, clash_pairs)
            trace["hovertemplate"] = hover + "<br>%{customdata}<extra></extra>"
        data.append(trace)
    shown = [s for s in spans if pd.Timestamp(s.end) >= first and pd.Timestamp(s.start) < last]
    notes = _span_notes(shown)
    numbered = _numbered(markers, first, last)
    key = "; ".join(f"{n} {esc(m.label)}, {fmt_date(m.on)}" for n, m in numbered)
    notes = " ".join(t for t in ((f"Milestones: {key}." if key else ""), notes) if t)
    layout = base_layout(
        text,
        kind="timeline",
        notes=notes,
        barmode="stack",
        bargap=0.1,
        showlegend=True,  # name the actor even when there is one
        yaxis={"title": {"text": f"Incidents per {by}"}, "automargin": True},
        xaxis={"type": "date", "range": [_ms(first), _ms(last)]},
    )
    # the stack's order, top first: plotly's own default for stacked bars, which a
    # span's legendgroup would turn into "grouped" (a gap after every entry)
    layout["legend"]["traceorder"] = "reversed"
    stacked = frame.groupby("period")["incidents"].sum().max()
    layout["yaxis"].update(integer_ticks(float(stacked)))
    layout["meta"].update(
        by=by,
        first=first.date().isoformat(),
        last=last.date().isoformat(),
        markers=[[n, m.on.isoformat()] for n, m in numbered],
        top=int(stacked),
    )
    # the first span of each kind names its kind in the legend (a shape's own entry:
    # the traces stay the actors)
    first_of_kind = {s.kind: i for i, s in reversed(list(enumerate(shown)))}
    shapes = [_span_shape(s, legend=first_of_kind[s.kind] == i) for i, s in enumerate(shown)] + [
        _marker_line(m.on) for _, m in numbered
    ]
    if shapes:
        layout["shapes"] = shapes
    return make_figure(data, layout)


#: How the hover names a bar's period, from its start (x).
_HOVER_DATES = {"month": "%{x|%B %Y}", "week": "week of %{x|%-d %b %Y}", "day": "%{x|%-d %b %Y}"}


def _numbered(markers, first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[int, Marker]]:
    """The markers inside the shown dates, numbered 1, 2, ... in date order."""
    inside = sorted((m for m in markers if first <= pd.Timestamp(m.on) < last), key=lambda m: m.on)
    return list(enumerate(inside, start=1))


#: The milestone's tick above the plot, under its numbered box (px).
MARKER_TICK = 6


def _marker_line(on: date) -> dict:
    """A short tick at a milestone's date on the plot's top edge, pointing down from its
    numbered box: it stops at the plot, so nothing is drawn over the bars, at any width
    (a line through the plot, even behind the bars, ran through the thin bars of a
    weekly chart at a column's width)."""
    x = _ms(on)
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "yref": "paper",
        "ysizemode": "pixel",
        "yanchor": 1,
        "y0": 0,
        "y1": MARKER_TICK,
        "line": {"width": 1.5, "color": "#555555"},
    }


def _span_shape(span: Span, legend: bool = False) -> dict:
    """A span shaded behind the bars; ``legend``: this one names its kind in the legend
    (every span of a kind is one legend group, shown and hidden together)."""
    return {
        "type": "rect",
        "x0": _ms(span.start),
        "x1": _ms(span.end + timedelta(days=1)),
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "layer": "below",
        "fillcolor": SPAN_COLORS[span.kind],
        "line": {"width": 0.5, "color": "#AAAAAA"},
        "name": esc(span.label),
        "legendgroup": span.kind,
        "showlegend": legend,
    }


def _span_notes(spans: list[Span]) -> str:
    uncovered = [s for s in spans if s.kind == "uncovered"]
    if not uncovered:
        return ""
    when = "; ".join(_month_range(s.start, s.end) for s in uncovered)
    return (
        f"Grey: not covered by the data ({when}): the store holds no incident of these "
        "origins in those months, so they are not counted as zero."
    )


def _month_range(start: date, end: date) -> str:
    first, last = f"{start:%b %Y}", f"{end:%b %Y}"
    return first if first == last else f"{first} to {last}"


def uncovered_spans(months: list[date]) -> list[Span]:
    """Runs of consecutive months (``queries.uncovered_months``) as spans."""
    spans: list[Span] = []
    for month in sorted(months):
        end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        if spans and (pd.Timestamp(spans[-1].end) + pd.Timedelta(days=1)).date() == month:
            spans[-1] = Span(spans[-1].start, end, UNCOVERED)
        else:
            spans.append(Span(month, end, UNCOVERED))
    return spans


def _pair_lines(periods: pd.Series, pairs: pd.DataFrame, most: int = 5) -> np.ndarray:
    """Per period, the pairs of parties of its clashes with their counts, as hover lines
    (the ``most`` commonest, then how many more pairs)."""
    by_period = {
        pd.Timestamp(period): group
        for period, group in pairs.groupby(pd.to_datetime(pairs["period"]), sort=False)
    }
    lines = []
    for period in periods:
        group = by_period.get(pd.Timestamp(period))
        if group is None:
            lines.append("")
            continue
        shown = [
            f"{esc(str(p))}: {n}" for p, n in zip(group.clash_pair, group.incidents, strict=True)
        ]
        more = len(shown) - most
        lines.append("<br>".join(shown[:most]) + (f"<br>… {more} more pairs" if more > 0 else ""))
    return np.array(lines, dtype=object)


# --- laying the timeline out for a width ------------------------------------------------

#: Tick steps tried from the finest: (step in days or months, unit, label format).
_TICK_STEPS = (
    (1, "D", "%-d %b %Y"),
    (2, "D", "%-d %b %Y"),
    (7, "D", "%-d %b %Y"),
    (14, "D", "%-d %b %Y"),
    (1, "M", "%b %Y"),
    (2, "M", "%b %Y"),
    (3, "M", "%b %Y"),
    (6, "M", "%b %Y"),
    (12, "M", "%Y"),
    (24, "M", "%Y"),
    (60, "M", "%Y"),
)


def _tick_dates(first: pd.Timestamp, last: pd.Timestamp, step: int, unit: str) -> list:
    """Period starts from ``first`` to ``last``: every ``step`` days (weeks from a
    Monday), or calendar months whose number is a multiple of ``step`` (Jan, Apr, Jul,
    Oct for 3; January of every other year for 24)."""
    if unit == "D":
        start = first - pd.Timedelta(days=first.weekday()) if step % 7 == 0 else first
        return [t for t in pd.date_range(start, last, freq=f"{step}D") if t >= first]
    months = pd.date_range(pd.Timestamp(first.year, first.month, 1), last, freq="MS")
    return [t for t in months if t >= first and ((t.year * 12 + t.month - 1) % step == 0)]


def _ticks(first: pd.Timestamp, last: pd.Timestamp, by: str, width: float, px: float):
    """Tick dates at period starts and their labels: the finest step whose labels fit
    ``width`` px with a gap, so labels never meet and never show a time of day."""
    px_per_day = width / max(1.0, (last - first) / pd.Timedelta(days=1))
    for step, unit, fmt in _TICK_STEPS:
        if unit == "D" and (by == "month" or (by == "week" and step % 7)):
            continue
        ticks = _tick_dates(first, last, step, unit)
        if not ticks:
            continue
        labels = [t.strftime(fmt) for t in ticks]
        days = [(b - a) / pd.Timedelta(days=1) for a, b in zip(ticks, ticks[1:], strict=False)]
        gap = min(days) * px_per_day if days else width
        if gap >= max(text_width(label, px) for label in labels) + 10:
            return ticks, labels
    return [first], [first.strftime("%b %Y")]


def _marker_boxes(meta: dict, frame: Frame) -> list[dict]:
    """The numbered boxes above the plot; markers whose boxes would touch share one."""
    first, last = pd.Timestamp(meta["first"]), pd.Timestamp(meta["last"])
    span_ms = max(1.0, _ms(last) - _ms(first))
    px = frame.fonts.base
    groups: list[list[tuple[int, float, str]]] = []
    for n, on in meta.get("markers", []):
        x = (_ms(on) - _ms(first)) / span_ms * frame.plot_width
        if groups:
            label = _group_label([g[0] for g in groups[-1]] + [n])
            if x - groups[-1][0][1] < text_width(label, px) + 10:
                groups[-1].append((n, x, on))
                continue
        groups.append([(n, x, on)])
    boxes = []
    for group in groups:
        label = _group_label([n for n, _, _ in group])
        boxes.append(
            {
                "name": "milestone",
                "text": label,
                "x": _ms(group[0][2]),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": MARKER_TICK,
                "showarrow": False,
                "font": {"size": px, "color": "#222222"},
                "bordercolor": "#555555",
                "borderwidth": 1,
                "borderpad": 1,
                "bgcolor": "#FFFFFF",
            }
        )
    return boxes


def _group_label(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return f"{numbers[0]}–{numbers[-1]}"


def _arrange_timeline(spec: dict, frame: Frame) -> None:
    layout = spec["layout"]
    meta = layout["meta"]
    fonts = frame.fonts
    ymax = meta.get("top", 1)
    frame.left = frame.side + LINE * fonts.base + 6 + text_width(f"{int(ymax):,}", fonts.base) + 8
    frame.axis = LINE * fonts.base + 10
    frame.plot_height = max(120.0, 0.27 * frame.width)
    if meta.get("markers"):
        frame.band = LINE * fonts.base + 5 + MARKER_TICK
    first, last = pd.Timestamp(meta["first"]), pd.Timestamp(meta["last"])
    ticks, labels = _ticks(first, last, meta.get("by", "week"), frame.plot_width, fonts.base)
    layout["xaxis"] = {
        **layout.get("xaxis", {}),
        "tickmode": "array",
        "tickvals": [_ms(t) for t in ticks],
        "ticktext": labels,
        "ticks": "outside",
        "ticklen": 3,
    }
    others = [a for a in layout.get("annotations", []) if a.get("name") != "milestone"]
    layout["annotations"] = others + _marker_boxes(meta, frame)
    # bars a few pixels wide keep no white outline: five years of weeks at a column's
    # width were more outline than colour
    period_days = {"day": 1, "week": 7, "month": 30.4}[meta.get("by", "week")]
    bar_px = frame.plot_width * period_days / max(1.0, (last - first) / pd.Timedelta(days=1))
    for trace in spec.get("data", []):
        if trace.get("type") == "bar":
            marker = trace.setdefault("marker", {})
            marker["line"] = {"color": "#FFFFFF", "width": 0 if bar_px < 4 else 0.5}


KINDS["timeline"] = _arrange_timeline
