"""The brief's period, its shared numbers (``Context``), its ``Section`` and the markup
helpers every section uses (HTML tables and paragraphs, Markdown that stays plain)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import duckdb
import plotly.graph_objects as go

from .. import queries
from ..filters import Filter, fmt_date
from ..provenance import Provenance, provenance

MEASURES = (
    ("Incidents", "incidents", None),
    ("Alleged violations", "alleged_violations", None),
    ("Killed (range)", "killed_min", "killed_max"),
    ("Wounded (range)", "wounded_min", "wounded_max"),
    ("Disputed", "disputed", None),
)
#: The measures flagged as What changed flags its weekly counts (events, not sums).
FLAGGED = ("incidents", "alleged_violations")
BASELINE_WEEKS = 52
#: How many of the period's most lethal incidents the brief lists.
INCIDENTS = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def baseline(self) -> Period:
        """The 52 weeks before the period."""
        return Period(self.start - timedelta(weeks=BASELINE_WEEKS), self.start - timedelta(days=1))

    def words(self) -> str:
        """'1–31 Mar 2020', '28 Feb – 5 Mar 2020', '1 Dec 2019 – 31 Jan 2020'."""
        if self.start == self.end:
            return fmt_date(self.start)
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.day}–{fmt_date(self.end)}"
        if self.start.year == self.end.year:
            return f"{self.start.day} {self.start:%b} – {fmt_date(self.end)}"
        return f"{fmt_date(self.start)} – {fmt_date(self.end)}"


@dataclass
class Section:
    """One part of the brief: its heading, its body as HTML and as Markdown, and the
    figures it shows (name -> figure, drawn where the body says ``{figure:NAME}``).
    ``keep``: print the section on one page (by default when it has a figure, so that
    the figure stays with its heading); False lets a long section flow over a page
    break (its figures and tables are still never split)."""

    key: str
    title: str
    html: str
    markdown: str
    figures: dict[str, go.Figure] = field(default_factory=dict)
    keep: bool | None = None


@dataclass
class Context:
    """What every section may use: the store, the view's filter for the period, the
    period, its provenance and headline, the previous period's and the baseline's."""

    con: duckdb.DuckDBPyConnection
    filter: Filter  # the view, dated to the period
    period: Period
    prov: Provenance
    headline: dict
    previous: dict
    baseline: dict
    baseline_weeks: int
    made: datetime
    incidents: int = INCIDENTS
    #: the first and last date of the data the view draws on (its origins)
    coverage: tuple = (None, None)

    def covers(self, period: Period) -> bool:
        """Whether the data reaches into ``period`` at all (else its counts are not
        zeros but unknown, and read "no data")."""
        first, last = self.coverage
        return first is not None and period.start <= last and period.end >= first


def _weeks_of_data(period: Period, coverage: tuple) -> int:
    """How many of the 52 weeks before the period the data covers (between the first
    and the last date of the view's origins, ``queries.data_coverage``)."""
    first, last = coverage
    if first is None:
        return 0
    start = max(period.baseline().start, first)
    end = min(period.start, last + timedelta(days=1))
    days = (end - start).days
    return max(0, min(BASELINE_WEEKS, -(-days // 7)))


def context(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    start: date,
    end: date,
    *,
    made: datetime | None = None,
    incidents: int = INCIDENTS,
) -> Context:
    """The numbers every section shares, by the app's own queries."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    period = Period(start, end)
    view = f.with_(start=start, end=end)
    made = made or datetime.now(UTC)
    headline = queries.headline(con, view)
    before = period.previous()
    base = period.baseline()
    coverage = queries.data_coverage(con, view)
    return Context(
        con=con,
        filter=view,
        period=period,
        prov=provenance(con, view, made, counts=headline),
        headline=headline,
        previous=queries.headline(con, view.with_(start=before.start, end=before.end)),
        baseline=queries.headline(con, view.with_(start=base.start, end=base.end)),
        baseline_weeks=_weeks_of_data(period, coverage),
        made=made,
        incidents=incidents,
        coverage=coverage,
    )


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: object) -> str:
    """Text as Markdown shows it, and no more: the characters that make emphasis, code,
    links, HTML, tables or headings are backslash-escaped (names and quotes from the
    store cannot become a link or markup); dots, dashes and parentheses stay as
    they are, so the Markdown also reads as plain text in a newsletter's editor."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def table_html(columns, rows, first_left: bool = False, text_columns=()) -> str:
    """A table of numbers (right-aligned, unbroken); ``first_left``: the first column
    is a label (left, unbroken); ``text_columns``: the indices of columns of words
    (left-aligned, wrapped)."""

    def css(i: int) -> str:
        return "label" if first_left and i == 0 else "text" if i in text_columns else "num"

    head = "".join(
        f"<th{' class=text' if i in text_columns else ''}>{html.escape(c)}</th>"
        for i, c in enumerate(columns)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{css(i)}'>{html.escape(str(v))}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table_md(columns, rows) -> str:
    def cell(value) -> str:
        return md_escape(str(value)) if value != "" else " "

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def paragraphs_html(paragraphs, small: bool = False) -> str:
    css = " class='note'" if small else ""
    return "".join(f"<p{css}>{html.escape(p)}</p>" for p in paragraphs if p)
