"""The period brief: what a monitor sends every week or month (issue 22).

For a period (``--from``/``--to``) and the view's other filters, the brief says, from
the same queries, figures and record functions as the app, so that a number in the
brief equals the app's for the same view:

- **the headline** (``queries.headline``, as ``summary`` and the Overview): incidents,
  alleged violations, killed and wounded, disputed — against the previous period of
  the same length and against the 52 weeks before the period (the average week, over
  the weeks the data covers, times the period's weeks), with What changed's flags
  (``changes.flag``) on the weekly rates of the incidents and the alleged violations;
- **what changed** in the period's last full week (Monday to Sunday), by alleged actor
  and by governorate (``changes.changes``, as the What-changed page and ``changes``);
- **the timeline** of the period and the 52 weeks before it, the period shaded, and
  **the map** of the period (``overview.build_figure``);
- **the most lethal incidents** of the period (the Incidents page's "most killed"
  order), each with every source's figure in words and whom each source blames
  (``incident_record``, as the incident page);
- **what the parties counted** (``brief.tallies``): each reporter's tallies per
  governorate beside the incidents and alleged violations on record there, from the
  tallies' own side-by-side read and figure (issue 25);
- **what stays uncounted**, **methods**, **credits and the data version**.

A brief is a list of ``Section``s made by the functions in ``SECTIONS``, in order; a
section function takes the ``Context`` and returns a ``Section`` (or None to leave
itself out). ``add_section(fn, after="incidents")`` adds one from outside; the
tracker's own are listed here (the brief imports what they read, never the reverse). ``brief.render`` writes the sections as HTML (printed to PDF by Chromium) and
as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go

from ..filters import Filter
from ..provenance import Provenance
from .context import (
    BASELINE_WEEKS,
    INCIDENTS,
    Context,
    Period,
    Section,
    context,
    md_escape,
)
from .counts import (
    CHANGES_COLUMNS,
    CHANGES_ROWS,
    HEADLINE_COLUMNS,
    changes_rows,
    changes_section,
    headline_rows,
    headline_section,
    last_full_week,
)
from .sections import (
    IncidentLines,
    blame_words,
    credits_section,
    incidents_section,
    lethal_incidents,
    map_section,
    methods_section,
    timeline_figure,
    timeline_section,
    uncounted_lines,
    uncounted_section,
    what_words,
)
from .tallies import tallies_section

SectionMaker = Callable[[Context], Section | None]
SECTIONS: list[SectionMaker] = [
    headline_section,
    changes_section,
    timeline_section,
    map_section,
    incidents_section,
    tallies_section,
    uncounted_section,
    methods_section,
    credits_section,
]


def default_period(f: Filter, last_date) -> Period | None:
    """The period a view's brief covers: the filter's dates; without an end, up to the
    last incident in view; without a start, from the first of the end's month (the
    month of the last incident, by default). None when the view has no incident."""
    end = f.end
    if end is None:
        if last_date is None or pd.isna(last_date):
            return None
        end = pd.Timestamp(last_date).date()
    start = f.start or end.replace(day=1)
    return Period(start, end) if start <= end else None


def add_section(maker: SectionMaker, after: str | None = None) -> None:
    """Add a section to every brief, after the section whose function is named
    ``{after}_section`` (at the end if None): e.g. a tally figure after "incidents"."""
    if after is None:
        SECTIONS.append(maker)
        return
    names = [s.__name__ for s in SECTIONS]
    SECTIONS.insert(names.index(f"{after}_section") + 1, maker)


@dataclass
class Brief:
    title: str
    subtitle: str
    period: Period
    prov: Provenance
    sections: list[Section]

    @property
    def figures(self) -> dict[str, go.Figure]:
        return {k: v for s in self.sections for k, v in s.figures.items()}


def build(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    start: date,
    end: date,
    *,
    made: datetime | None = None,
    incidents: int = INCIDENTS,
) -> Brief:
    """The brief for the period ``start``-``end`` of the view ``f`` (its own dates are
    replaced by the period)."""
    ctx = context(con, f, start, end, made=made, incidents=incidents)
    sections = [s for s in (make(ctx) for make in SECTIONS) if s is not None]
    return Brief(
        title=f"Alleged ceasefire violations in the Idlib area, {ctx.period.words()}",
        subtitle=ctx.prov.subtitle(),
        period=ctx.period,
        prov=ctx.prov,
        sections=sections,
    )


__all__ = [
    "BASELINE_WEEKS",
    "CHANGES_COLUMNS",
    "CHANGES_ROWS",
    "HEADLINE_COLUMNS",
    "INCIDENTS",
    "SECTIONS",
    "Brief",
    "Context",
    "IncidentLines",
    "Period",
    "Section",
    "add_section",
    "blame_words",
    "build",
    "changes_rows",
    "context",
    "default_period",
    "headline_rows",
    "last_full_week",
    "lethal_incidents",
    "md_escape",
    "timeline_figure",
    "uncounted_lines",
    "what_words",
]
