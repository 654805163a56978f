"""What every figure and export says about itself.

A chart in a PDF must stand alone: what it counts (title), under which filters and
which attribution, from which data (origins with credits), over which dates, when it
was made, and from which state of the store (``store.data_version``), so two figures
can be told apart.

Publication style (``chart_text``): the subtitle is short — the filters in words
(``Filter.describe()``) and whom an incident is counted under, in a phrase; the method
sentences (the attribution in full, how clashes count, what stays uncounted) go in the
footnote with the data credits, the dates and the data version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from . import queries
from .analysis import counting
from .charts import ChartText
from .filters import CLASH_GROUP, Filter, fmt_date
from .tables.dataversion import data_version


@dataclass(frozen=True)
class Provenance:
    filter_text: str
    attribution_text: str
    origins: tuple[str, ...]
    first_date: date | None
    last_date: date | None
    made_on: str
    data_version: str
    #: how clashes are counted and what the view leaves out (``counting.notes``)
    counting_text: str = ""
    #: whom an incident is counted under, as a phrase for the subtitle
    attribution_short: str = ""
    #: the method sentences of a figure's footnote (``figure_method``)
    figure_method: str = ""

    def credit_line(self) -> str:
        credits = [queries.ORIGIN_CREDITS.get(o, o) for o in self.origins]
        return "Data: " + ("; ".join(credits) if credits else "none")

    def date_range_text(self) -> str:
        if self.first_date is None:
            return "no dates"
        if self.first_date == self.last_date:
            return f"on {fmt_date(self.first_date)}"
        return f"{fmt_date(self.first_date)} to {fmt_date(self.last_date)}"

    def footer(self) -> str:
        """Data credits, dates, when made and the data version (a view with no incident
        says so, not 'Data: none. Incidents dated no dates.')."""
        data = (
            f"{self.credit_line()}. Incidents dated {self.date_range_text()}."
            if self.first_date is not None or self.origins
            else "No incident in this view."
        )
        return f"{data} Ceasefire tracker, data version {self.data_version}, made {self.made_on}."

    def method_text(self) -> str:
        """The method sentences a figure's footnote carries: how the attribution counts,
        how clashes count, what stays uncounted (the full sentences when the view has
        no ``figure_method``)."""
        return self.figure_method or " ".join(
            t for t in (self.attribution_text, self.counting_text) if t
        )

    def subtitle(self) -> str:
        """What is counted and the filters, in words: short enough for a column."""
        return " ".join(t for t in (self.filter_text, self.attribution_short) if t)

    def chart_text(self, title: str) -> ChartText:
        return ChartText(
            title=title,
            subtitle=self.subtitle(),
            footer=f"{self.method_text()} {self.footer()}".strip(),
        )

    def as_dict(self) -> dict[str, str]:
        """Provenance as named fields, for file metadata (Parquet's, datapackage.json's)."""
        return {
            "filters": self.filter_text,
            "attribution": self.attribution_text,
            "data": self.credit_line(),
            "dates": self.date_range_text(),
            "made": self.made_on,
            "data_version": self.data_version,
        }

    def header_lines(self) -> list[str]:
        """Provenance as lines, for CSV headers and an XLSX sheet."""
        return [
            f"Filters: {self.filter_text}",
            self.attribution_text,
            *([f"Counting: {self.counting_text}"] if self.counting_text else []),
            self.credit_line(),
            f"Incidents dated: {self.date_range_text()}",
            f"Made: {self.made_on}",
            f"Data version: {self.data_version}",
        ]


def provenance(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    made: datetime | None = None,
    dates: tuple[date | None, date | None] | None = None,
    origins: list[str] | None = None,
    counts: dict | None = None,
) -> Provenance:
    """Provenance of a view: one cheap query for dates, one for origins, one stored hash.

    ``dates``: the view's (first, last) date and ``origins``: its origins (as
    ``queries.origins_in_view``), when the caller has them already (the Overview's
    combined summary query does); each saves a scan per filter change. ``counts``: the
    view's headline (``queries.headline``), for the counting sentences; read when not
    given."""
    if dates is None:
        where, params = f.where("f")
        dates = con.execute(
            f"SELECT min(f.occurred_on), max(f.occurred_on) FROM incident_fact f WHERE {where}",
            params,
        ).fetchone()
    first, last = dates
    if origins is None:
        origins = queries.origins_in_view(con, f)
    if counts is None:
        counts = queries.headline(con, f)
    made = made or datetime.now(UTC)
    return Provenance(
        filter_text=f.describe(),
        attribution_text=f.attribution_text(),
        origins=tuple(origins),
        first_date=first,
        last_date=last,
        made_on=made.strftime("%Y-%m-%d %H:%M UTC"),
        data_version=data_version(con),
        counting_text=counting.notes(counts),
        attribution_short=attribution_phrase(f),
        figure_method=figure_method(f, counts),
    )


def figure_method(f: Filter, counts: dict) -> str:
    """The method in a figure's footnote: the attribution rule in full
    (``attribution_text``), then how clashes count and what stays uncounted, in fewer
    words than ``counting.notes`` (a footnote at 85 mm is read in print)."""
    clashes = int(counts.get("clashes") or 0)
    undetermined = int(counts.get("clashes_direction_undetermined") or 0)
    clash = f"Clashes with no stated initiator count as '{CLASH_GROUP}', never under a party"
    clash += (
        f" ({clashes:,} here; {undetermined:,} alleged violations, direction undetermined)."
        if clashes
        else "."
    )
    review = counting.awaiting_review_text(int(counts.get("awaiting_review") or 0))
    return " ".join(t for t in (f.attribution_text(), clash, review) if t)


def attribution_phrase(f: Filter) -> str:
    """Whom an incident is counted under, as a subtitle's short sentence (the full rule
    is ``Filter.attribution_text()``, in the footnote)."""
    if f.attribution == "majority":
        return "Each under the actor most of its sources name."
    if f.attribution == "source":
        return f"As {f.attribution_source} attributes them."
    return "Each under every actor a claim names."
