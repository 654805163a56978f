"""The side-by-side view as the page, the downloads and the CLI make it: its frame,
provenance and figure from one function, so the three match."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go

from ..charts.layout import ChartText
from ..filters import Filter
from ..provenance import Provenance, provenance
from .chart import side_by_side_chart
from .reads import TALLY_NOTE, SideBySide, side_by_side

SOURCES_NOTE = (
    "Tallies: the reporters' bulletins on record in this store (the reference set is "
    "compiled from public reports, listed in data/tallies/SOURCES.md)."
)


def side_by_side_view(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    governorate: str,
    by: str = "month",
    reporters_shown: tuple[str, ...] = (),
    made: datetime | None = None,
) -> tuple[SideBySide, Provenance, go.Figure]:
    """The comparison (``reads.side_by_side``), its provenance (the incidents' filter,
    attribution, origins and data version, with the comparison's notes as its counting
    text) and its figure."""
    result = side_by_side(con, f, governorate, by, reporters_shown)
    incidents_filter = f.with_(governorates=(governorate,), start=result.start, end=result.end)
    dates = (result.start, result.end) if result.start and result.end else None
    prov = provenance(con, incidents_filter, made, dates=dates)
    # what the figure leaves out and how it counts: the export's counting text too
    prov = replace(prov, counting_text=" ".join([*result.notes, prov.counting_text]).strip())
    # publication style: the subtitle says what is drawn (the tallies are not incidents)
    # and the incidents' filter; the method sentences, credits and version the footnote
    text = ChartText(
        title=result.title(),
        subtitle=f"{TALLY_NOTE} Below, {prov.subtitle()[0].lower()}{prov.subtitle()[1:]}",
        footer=" ".join(
            [*result.notes[1:], prov.method_text(), prov.footer(), SOURCES_NOTE]
        ).strip(),
    )
    return result, prov, side_by_side_chart(result.frame, text, by)


def side_by_side_table(result: SideBySide) -> pd.DataFrame:
    """The figure's numbers as a table for the CSV/XLSX download (one row per period and
    series; ``value`` empty where a series has nothing for a period is never 0-filled)."""
    out = result.frame.copy()
    out.insert(0, "governorate", result.governorate)
    return out.rename(columns={"series": "reporter_or_measure"})
