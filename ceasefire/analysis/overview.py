"""Everything the Overview page shows, computed in one call.

The page, the benchmark and the tests all go through ``compute_overview`` so that what
is measured is what is shown: the headline counts, the four figures and their texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from .. import charts, queries
from ..filters import Filter
from ..provenance import Provenance, provenance

TITLES = {
    "timeline": "Incidents over time by alleged actor",
    "target_types": "Incidents by target type",
    "actor_target": "Alleged actor by target type",
    "map": "Where the incidents took place",
}
#: Figures drawn on request (the map's second view), not with every Overview.
MORE_TITLES = {"district_map": "Incidents per district"}


@dataclass
class Overview:
    headline: dict
    provenance: Provenance
    frames: dict  # name -> the small frame behind each figure
    figures: dict[str, go.Figure]
    map_binned: bool

    def __getstate__(self) -> dict:
        """Pickle the figures as their (already validated) JSON dicts.

        ``st.cache_data`` pickles an Overview on store and unpickles it on every hit; a
        pickled ``go.Figure`` is re-made with full validation when unpickled, which made a
        cache hit several times dearer (timings: bench/README.md). See ``__setstate__``."""
        return {**self.__dict__, "figures": {k: v.to_dict() for k, v in self.figures.items()}}

    def __setstate__(self, state: dict) -> None:
        """Re-make the figures from their validated JSON without validating again."""
        figures = {k: charts.figure_from_json(v) for k, v in state["figures"].items()}
        self.__dict__.update({**state, "figures": figures})


def agreement_markers(con: duckdb.DuckDBPyConnection) -> list[charts.Marker]:
    """Every agreement's milestones, for the timeline (one small query: the markers are
    read on every filter change, ``list_agreements`` would make two)."""
    rows = con.execute(
        "SELECT m.on_date, m.label FROM agreement_milestone m JOIN agreement a "
        "USING (agreement_id) ORDER BY a.signed_on, m.on_date"
    ).fetchall()
    return [charts.Marker(on, label) for on, label in rows]


def timeline_spans(con: duckdb.DuckDBPyConnection, f: Filter) -> list[charts.Span]:
    """The months the data does not cover, as the timeline shades them."""
    return charts.uncovered_spans(queries.uncovered_months(con, f))


def build_figure(
    name: str,
    frame,
    prov: Provenance,
    *,
    by: str = "week",
    markers=(),
    binned: bool = False,
    clash_pairs: pd.DataFrame | None = None,
    spans=(),
) -> go.Figure:
    """One named figure from its frame: the single entry point for page, export and CLI.
    ``spans``: the timeline's shaded stretches (months the data does not cover,
    ``timeline_spans``; a brief's period)."""
    title = {**TITLES, **MORE_TITLES}.get(name)
    if title is None:
        raise ValueError(f"unknown figure {name!r}; known: {', '.join(TITLES)}")
    text = prov.chart_text(title + (f" (per {by})" if name == "timeline" else ""))
    if name == "timeline":
        return charts.timeline_chart(
            frame, text, by=by, markers=markers, clash_pairs=clash_pairs, spans=spans
        )
    if name == "target_types":
        return charts.target_type_chart(frame, text)
    if name == "actor_target":
        return charts.actor_target_heatmap(frame, text)
    if name == "map":
        return charts.map_chart(frame, text, binned)
    if name == "district_map":
        return charts.district_map_chart(frame, text)
    raise ValueError(f"unknown figure {name!r}; known: {', '.join(TITLES)}")


def compute_frames(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    by: str = "week",
    located: int | None = None,
    target_types: pd.DataFrame | None = None,
) -> tuple[dict, bool]:
    """The small frame behind each figure; ``located`` as in ``queries.map_frame``,
    ``target_types`` when the caller has it already (from ``queries.summary``).

    The timeline and the actor x target matrix come from one query
    (``queries.attributed_counts``), which under 'any' attribution reads the
    precomputed ``incident_actor_fact`` instead of joining incidents to actors."""
    map_frame, binned = queries.map_frame(con, f, located)
    timeline, actor_target = queries.attributed_counts(con, f, by)
    if target_types is None:
        target_types = queries.target_types(con, f)
    frames = {
        "timeline": timeline,
        "target_types": target_types,
        "actor_target": actor_target,
        "map": map_frame,
    }
    return frames, binned


def _day(value) -> date | None:
    """A headline date (pandas Timestamp or NaT) as the date provenance's own query gives."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def compute_overview(con: duckdb.DuckDBPyConnection, f: Filter, by: str = "week") -> Overview:
    """All queries and figures of the Overview for one filter state.

    One scan (``queries.summary``) gives the headline, the target types and the
    origins; its date range, origins and count of incidents with coordinates spare
    provenance and the map their own scans. Three queries per view (summary,
    attributed counts, map), each 20-70 ms at a million incidents; the figures add
    2-12 ms each (see bench/README.md)."""
    headline, target_types, origins = queries.summary(con, f)
    dates = (_day(headline["first_date"]), _day(headline["last_date"]))
    prov = provenance(con, f, dates=dates, origins=origins, counts=headline)
    located = int(headline["incidents"] - headline["without_coordinates"])
    frames, binned = compute_frames(con, f, by, located, target_types)
    markers = agreement_markers(con)
    pairs = queries.clash_pairs(con, f, by) if headline.get("clashes") else None
    spans = timeline_spans(con, f)
    figures = {
        name: build_figure(
            name,
            frame,
            prov,
            by=by,
            markers=markers,
            binned=binned,
            clash_pairs=pairs,
            spans=spans if name == "timeline" else (),
        )
        for name, frame in frames.items()
    }
    return Overview(headline, prov, frames, figures, binned)
