"""What every figure and export says about itself.

A chart in a PDF must stand alone: what it counts (title), under which filters and
which attribution (subtitle, from ``Filter.describe()`` and ``attribution_text()``),
from which data (origins with credits), over which dates, when it was made, and from
which state of the store (``store.data_version``), so two figures can be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from . import counting, queries
from .charts import ChartText
from .filters import Filter, fmt_date
from .store import data_version


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

    def credit_line(self) -> str:
        credits = [queries.ORIGIN_CREDITS.get(o, o) for o in self.origins]
        return "Data: " + ("; ".join(credits) if credits else "none")

    def date_range_text(self) -> str:
        if self.first_date is None:
            return "no dates"
        return f"{fmt_date(self.first_date)} to {fmt_date(self.last_date)}"

    def footer(self) -> str:
        return (
            f"{self.credit_line()}. Incidents dated {self.date_range_text()}. "
            f"Made {self.made_on} with the ceasefire tracker; data version {self.data_version}."
        )

    def chart_text(self, title: str) -> ChartText:
        return ChartText(
            title=title,
            subtitle=" ".join(
                t for t in (self.filter_text, self.attribution_text, self.counting_text) if t
            ),
            footer=self.footer(),
        )

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
    )
