"""Every figure of the app by name, and the rows behind a view: one path for all callers.

The Overview page gets its figures from ``overview.compute_overview``, which draws each
with ``overview.build_figure``; ``figure()`` below draws one of them the same way (same
query, same provenance, same chart function), so the CLI's file, the page's chart and
its download are the same figure. The Compare page and the CLI share
``compare_figure``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import plotly.graph_objects as go

from . import charts, queries
from .agreements import list_agreements
from .analysis import overview
from .filters import Filter, fmt_date
from .provenance import Provenance, provenance

#: CLI names (dashes) -> Overview figure names.
OVERVIEW_FIGURES = {
    "timeline": "timeline",
    "target-types": "target_types",
    "actor-target": "actor_target",
    "map": "map",
    "district-map": "district_map",
}
FIGURES = (*OVERVIEW_FIGURES, "compare")
#: The data download of a view: every matching incident (a safety cap, stated if hit).
EXPORT_ROW_LIMIT = 1_000_000


def overview_figure(
    con: duckdb.DuckDBPyConnection,
    name: str,
    f: Filter,
    by: str = "week",
    made: datetime | None = None,
) -> go.Figure:
    """One Overview figure, exactly as ``compute_overview`` draws it."""
    key = OVERVIEW_FIGURES.get(name, name)
    prov = provenance(con, f, made)
    binned = False
    if key == "timeline":
        frame = queries.timeline(con, f, by)
    elif key == "target_types":
        frame = queries.target_types(con, f)
    elif key == "actor_target":
        frame = queries.actor_target(con, f)
    elif key == "map":
        frame, binned = queries.map_frame(con, f)
    elif key == "district_map":
        frame = queries.district_counts(con, f)
    else:
        raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIGURES)}")
    markers = overview.agreement_markers(con) if key == "timeline" else ()
    pairs = queries.clash_pairs(con, f, by) if key == "timeline" else None
    if pairs is not None and pairs.empty:
        pairs = None  # as compute_overview, which reads them only when clashes are in view
    spans = overview.timeline_spans(con, f) if key == "timeline" else ()
    return overview.build_figure(
        key, frame, prov, by=by, markers=markers, binned=binned, clash_pairs=pairs, spans=spans
    )


def default_compare_agreement(con: duckdb.DuckDBPyConnection) -> str:
    """The most recent agreement (the Compare page's default)."""
    return list_agreements(con)[-1].agreement_id


COMPARE_NOTE = (
    "Bars: rate per 30 days with its exact 95% Poisson interval. Above each pair: the "
    "after/before rate ratio with its 95% score interval (statsmodels)."
)


def compare_view(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    agreement: str | None,
    days: int | tuple[int, ...] | list[int] = 90,
    made: datetime | None = None,
    *,
    milestone: str = "in_force",
    on: date | None = None,
) -> tuple[pd.DataFrame, Provenance, go.Figure]:
    """Rates ``days`` before and after an agreement's milestone (or the date ``on``),
    the after/before rate ratios with 95% intervals (``compare.compare``), and their
    figure. ``days``: one window or several, drawn side by side.

    The sidebar's dates, agreement and "violations only" are ignored: the window is the
    comparison's, and the measures are those that exist on both sides."""
    from .analysis import compare

    windows = (days,) if isinstance(days, int) else tuple(days)
    ref = compare.reference(con, agreement, milestone, on)
    result = compare.compare(con, f, ref, windows)
    spans = [result.spans[w] for w in result.windows]
    first = min(date.fromisoformat(s["before"]["from"]) for s in spans)
    last = max(
        date.fromisoformat(s["after"]["from"]) + timedelta(days=max(s["after"]["days"] - 1, 0))
        for s in spans
    )
    # the counting sentences ("N incidents ... awaiting review") count the windows, not
    # every date the filter allows
    windows = result.filter.with_(start=first, end=last)
    prov = provenance(
        con, result.filter, made, dates=(first, last), counts=queries.headline(con, windows)
    )
    shown = ", ".join(str(w) for w in result.windows)
    title = f"Before and after the {ref.label}: rates per 30 days, {shown} days each side"
    text = prov.chart_text(title)
    # how to read the bars is method: the footnote's, the subtitle stays short
    text = charts.ChartText(text.title, text.subtitle, f"{COMPARE_NOTE} {text.footer}")
    return result.frame, prov, charts.compare_chart(result.frame, text)


#: Most panels the small multiples draw (the groups with most incidents this week).
CHANGES_PANELS = 12


def changes_view(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    week_of: date,
    by: str,
    made: datetime | None = None,
):
    """The week's changes (``changes.changes``), their provenance and the small
    multiples of the groups with most incidents this week (at most ``CHANGES_PANELS``)."""
    from .analysis import changes

    result = changes.changes(con, f, week_of, by)
    start = result.week - timedelta(weeks=52)
    prov = provenance(con, result.filter, made, dates=(start, result.week + timedelta(days=6)))
    shown = result.frame.head(CHANGES_PANELS)
    flags = dict(zip(shown.group, shown.flag_52w, strict=True))
    series = changes.weekly_series(con, result, list(flags))
    title = f"{result.title()}: weekly incidents over the past year"
    text = prov.chart_text(title)
    note = (
        f"The week of {fmt_date(result.week)} is coloured by its flag against the previous "
        "52 weeks; grey bars are the weeks before. Same scale in every panel."
    )
    text = charts.ChartText(text.title, text.subtitle, f"{note} {text.footer}")
    return result, prov, charts.changes_small_multiples(series, flags, text)


def figure(
    con: duckdb.DuckDBPyConnection,
    name: str,
    f: Filter,
    *,
    by: str = "week",
    agreement: str | None = None,
    days: int = 90,
    made: datetime | None = None,
) -> go.Figure:
    """Any named figure (``FIGURES``) for a filter, as the app draws it."""
    if name == "compare":
        agreement = agreement or f.agreement or default_compare_agreement(con)
        return compare_view(con, f, agreement, days, made)[2]
    return overview_figure(con, name, f, by, made)


def view_rows(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Every incident the view counts, newest first (the data download), each with the
    actors the charts count it under for the attribution in force (``counted_under``)."""
    return queries.incidents(con, f, limit=EXPORT_ROW_LIMIT)


def view_claims(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Every claim about the incidents the view counts, one row each (the claims
    download): source, its kind and affiliation, alleged actor, figures, quote, link."""
    return queries.claims(con, f)


def claims_data_bytes(con: duckdb.DuckDBPyConnection, f: Filter, fmt: str) -> bytes:
    """The claims download of a view as csv, xlsx or parquet, with provenance."""
    from . import export

    return export.table_bytes(view_claims(con, f), provenance(con, f), fmt, sheet="claims")


def view_data_bytes(con: duckdb.DuckDBPyConnection, f: Filter, fmt: str) -> bytes:
    """The data download of a view: its incidents as csv, xlsx or parquet, with provenance."""
    from . import export

    return export.table_bytes(view_rows(con, f), provenance(con, f), fmt)
