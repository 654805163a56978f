"""The brief's "What the parties counted" (issue 25): the parties' own tallies for the
brief's period and area beside the incidents and alleged violations on record.

Every number comes from the tallies' own reads, as the page *What the parties counted*
shows them: ``tallies.reads.side_by_side`` per governorate (a reporter's count is the
sum of its tallies on record whose counted days lie in the period; the incidents and
alleged violations are the headline's query for that governorate and dates, under the
brief's filters), ``tallies.reads.tally_frame`` for the totals that name no governorate,
and the figure is ``tallies.figure.side_by_side_view``'s. Nothing here adds a tally to
an incident count, and a period with no tally on record says so in words, never as 0.

The brief imports this module (``brief.SECTIONS``); the tallies package knows nothing of
the brief, so the layering stays one-way: the tallies' reads and figure below the brief.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import queries
from ..filters import Filter
from ..tallies.figure import side_by_side_view
from ..tallies.reads import (
    INCIDENTS,
    VIOLATIONS,
    SideBySide,
    incidents_only_note,
    reporter_label,
    side_by_side,
    tally_frame,
)
from .context import Context, Section, md_escape, paragraphs_html, table_html, table_md

TITLE = "What the parties counted"
COLUMNS = ("Governorate", "Counted by", "Count", "Days", "Incidents", "Alleged violations")
TOTAL_COLUMNS = ("Counted by", "Area", "Count", "Days")
#: The table's bins: a month holds a whole daily or monthly tally; a row is the sum
#: over the period's months.
TABLE_BY = "month"
STATEMENT = (
    "Tallies are the parties' own counts in their own units: not incidents, never added "
    "to this brief's incident counts."
)


def figure_by(ctx: Context) -> str:
    """The figure's bins: days for a period of up to six weeks (a bulletin counts a day:
    no partial week at either end), weeks up to half a year, months beyond."""
    days = ctx.period.days
    return "day" if days <= 42 else "week" if days <= 183 else "month"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _count_words(value) -> str:
    return "no count" if pd.isna(value) else f"{int(value):,}"


def _units(values) -> set[str]:
    """The distinct units in several 'a; b' strings (the side-by-side's ``units``)."""
    return {u for v in values if isinstance(v, str) for u in v.split("; ") if u}


def reporter_rows(result: SideBySide) -> list[dict]:
    """Each reporter's tallies for the governorate over the period (the side-by-side's
    bins summed): count (NA when every tally names the place without one), units, days
    on record, tallies without a count."""
    tallies = result.frame[result.frame.kind == "tally"]
    return [
        {
            "reporter": reporter_label(series),
            "count": part.value.sum(min_count=1),
            "units": _units(part.units),
            "days": int(part.days_covered.sum()),
            "without_count": int(part.without_count.sum()),
        }
        for series, part in tallies.groupby("series", sort=True)  # the same order everywhere
    ]


def incident_counts(result: SideBySide) -> tuple[int, int]:
    """The incidents and alleged violations on record for the governorate and period
    (the side-by-side's bins summed; no bin is a true 0: nothing on record)."""
    frame = result.frame

    def total(series: str) -> int:
        return int(frame.loc[frame.series == series, "value"].sum())

    return total(INCIDENTS), total(VIOLATIONS)


def total_rows(tallies: pd.DataFrame) -> list[dict]:
    """The period's totals (a reporter's count for all the provinces its bulletin
    lists, or for a named area), never placed under a governorate: one row per reporter
    and area."""
    totals = tallies[tallies.kind == "total"]
    if totals.empty:
        return []
    named = tallies[tallies.kind == "governorate"]
    listed = set(zip(named.bulletin, named.reporter, strict=True))

    def area(total) -> str:
        if isinstance(total.area, str) and total.area:
            return total.area
        if (total.bulletin, total.reporter) in listed:
            return "the provinces its bulletin lists"
        return "no area stated"

    totals = totals.assign(area_words=[area(t) for t in totals.itertuples()])
    return [
        {
            "reporter": reporter_label(reporter),
            "area": where,
            "count": part["count"].sum(min_count=1),
            "days": part[part["count"].notna()].period_start.nunique(),
            "units": _units(part.unit),
        }
        for (reporter, where), part in totals.groupby(["reporter", "area_words"], sort=True)
    ]


def tallies_section(ctx: Context) -> Section:
    """Each reporter's tallies per governorate beside the incidents on record, the
    totals, and the side-by-side figure; one sentence when the period and area have no
    tally on record."""
    in_period = tally_frame(ctx.con, start=ctx.period.start, end=ctx.period.end)
    in_period = in_period[  # whole inside the period, as the side-by-side counts them
        (pd.to_datetime(in_period.period_start) >= pd.Timestamp(ctx.period.start))
        & (pd.to_datetime(in_period.period_end) <= pd.Timestamp(ctx.period.end))
    ]
    if ctx.filter.governorates:
        governorates = list(ctx.filter.governorates)
    else:  # the whole area: the governorates a tally in the period names
        governorates = sorted(set(in_period.governorate.dropna()))
    results = {g: side_by_side(ctx.con, ctx.filter, g, TABLE_BY) for g in governorates}
    # the governorates with the most incidents on record first
    results = dict(sorted(results.items(), key=lambda i: (-incident_counts(i[1])[0], i[0])))
    counted = {g: reporter_rows(r) for g, r in results.items()}
    totals = [] if ctx.filter.governorates else total_rows(in_period)
    if not any(counted.values()) and not totals:
        return _nothing_on_record(ctx)
    notes = [
        _units_line(counted, totals),
        *_without_count(counted),
        *_left_out_notes(ctx, results, in_period),
    ]
    figure = None
    with_tallies = [g for g in results if counted[g]]
    if with_tallies:  # the governorate with the most incidents among those counted
        figure = _figure(ctx, with_tallies[0], results[with_tallies[0]])
    return _section(ctx, _governorate_rows(results, counted), totals, notes, figure)


def _governorate_rows(results: dict[str, SideBySide], counted: dict[str, list[dict]]):
    """The table's rows: a governorate's name and incidents on its first row only."""
    rows = []
    for governorate, result in results.items():
        incidents, violations = (f"{n:,}" for n in incident_counts(result))
        if not counted[governorate]:
            rows.append((governorate, "No tally on record", "", "", incidents, violations))
        for i, r in enumerate(counted[governorate]):
            rows.append(
                (governorate if i == 0 else "", r["reporter"], _count_words(r["count"]))
                + (f"{r['days']:,}",)
                + ((incidents, violations) if i == 0 else ("", ""))
            )
    return rows


def _units_line(counted: dict[str, list[dict]], totals: list[dict]) -> str:
    """Each reporter's units in its words, once: 'Their units, in their words: Russian
    part of the joint commission: cases of firing; факты открытия огня. …'"""
    units: dict[str, set[str]] = {}
    for r in [*(r for rows in counted.values() for r in rows), *totals]:
        units.setdefault(r["reporter"], set()).update(r["units"])
    listed = [f"{reporter}: {'; '.join(sorted(units[reporter]))}" for reporter in sorted(units)]
    return "Their units, in their words: " + ". ".join(listed) + "."


def _without_count(counted: dict[str, list[dict]]) -> list[str]:
    """Provinces a bulletin names without a count: said, never counted as 0."""
    named: dict[str, list[str]] = {}
    for governorate, rows in counted.items():
        for r in rows:
            if r["without_count"]:
                named.setdefault(r["reporter"], []).append(f"{governorate} {r['without_count']}")
    if not named:
        return []
    listed = "; ".join(f"{reporter}, {', '.join(places)}" for reporter, places in named.items())
    return [f"Bulletins naming a governorate without a count (not 0, not in the counts): {listed}."]


def _left_out_notes(ctx: Context, results: dict[str, SideBySide], in_period) -> list[str]:
    """What the table leaves out, from the side-by-side reads' own counts."""
    notes = []
    spanning = sum(r.left_out["spanning"] for r in results.values())
    if spanning:
        notes.append(
            f"{_plural(spanning, 'tally', 'tallies')} counting days of two months "
            "are not in the table."
        )
    twice = sum(r.left_out["twice"] for r in results.values())
    if twice:
        notes.append(
            f"On {_plural(twice, 'day', 'days')} a reporter has two bulletins' counts for one "
            "governorate (two relays of one bulletin?): both are summed."
        )
    if ctx.filter.governorates and (in_period.kind == "total").any():
        totals = int((in_period.kind == "total").sum())
        notes.append(
            f"{_plural(totals, 'total', 'totals')} in the period (a reporter's count for all "
            "the provinces it names) are not shown: they are not counts for this area."
        )
    uncovered = [
        g
        for g, r in results.items()
        if incident_counts(r)[0] == 0
        and not queries.headline(ctx.con, Filter(governorates=(g,)))["incidents"]
    ]
    if uncovered:
        notes.append(
            f"The store holds no incident in {', '.join(uncovered)} at any date: its 0 there "
            "says what it covers, not what happened."
        )
    ignored = incidents_only_note(ctx.filter)
    if ignored:
        notes.append(ignored)
    return notes


def _figure(ctx: Context, governorate: str, table: SideBySide) -> tuple[go.Figure, str]:
    """The side-by-side figure of ``governorate`` over the period (a short title: the
    section says the rest), and its caption."""
    by = figure_by(ctx)
    drawn, _, fig = side_by_side_view(ctx.con, ctx.filter, governorate, by, made=ctx.made)
    title = f"{governorate} per {by}, {ctx.period.words()}: the parties' counts and the incidents"
    fig.update_layout(meta={**fig.layout.meta, "title": title})
    caption = (
        f"{governorate} per {by}: above, each reporter's count in its own unit, summed over "
        f"its bulletins on record; below, the incidents and alleged violations on record. A "
        f"{by} with no bar has no bulletin on record, not a count of 0."
    )
    extra = drawn.left_out["spanning"] - table.left_out["spanning"]
    if extra > 0:
        caption += (
            f" {_plural(extra, 'tally', 'tallies')} longer than a {by} "
            f"{'is' if extra == 1 else 'are'} in the table but not drawn."
        )
    return fig, caption


def _section(ctx: Context, rows, totals, notes, figure) -> Section:
    intro = (
        f"Each reporter's count for {ctx.period.words()} is the sum of its tallies on record "
        "whose counted days lie in the period (Days: how many days they count), beside the "
        "incidents and alleged violations on record for the same governorate and dates, "
        "under this brief's view."
    )
    html_parts = [paragraphs_html([STATEMENT])]
    md_parts = [f"**{md_escape(STATEMENT)}**"]
    figures = {}
    if figure is not None:
        figures["tallies"], caption = figure
        html_parts += [paragraphs_html([caption], small=True), "{figure:tallies}"]
        md_parts += [md_escape(caption), "{figure:tallies}"]
    if rows:
        html_parts += [
            paragraphs_html([intro], small=True),
            table_html(COLUMNS, rows, first_left=True, text_columns=(1,)),
        ]
        md_parts += [md_escape(intro), table_md(COLUMNS, rows)]
    if totals:
        lead = (
            "Totals, not placed under any governorate (a reporter's count for all the "
            "provinces it names, or for a named area):"
        )
        cells = [
            (t["reporter"], t["area"], _count_words(t["count"]), f"{t['days']:,}") for t in totals
        ]
        html_parts += [
            paragraphs_html([lead], small=True),
            table_html(TOTAL_COLUMNS, cells, text_columns=(0, 1)),
        ]
        md_parts += [md_escape(lead), table_md(TOTAL_COLUMNS, cells)]
    html_parts.append(paragraphs_html(notes, small=True))
    md_parts += [md_escape(n) for n in notes]
    # may flow over a page break: the figure first, the tables after it if need be
    return Section(
        "tallies", TITLE, "".join(html_parts), "\n\n".join(md_parts), figures, keep=False
    )


def _nothing_on_record(ctx: Context) -> Section:
    """One sentence: no tally on record is not a count of 0."""
    names = list(ctx.filter.governorates)
    where = ""
    if names:
        where = " in " + (", ".join(names[:-1]) + " or " if len(names) > 1 else "") + names[-1]
    text = (
        f"No party's own count of violations{where} for {ctx.period.words()} is on record in "
        "this store: no bulletin for these dates has been added to it, which does not mean "
        "that nobody counted."
    )
    return Section("tallies", TITLE, paragraphs_html([text]), md_escape(text))


__all__ = [
    "STATEMENT",
    "TITLE",
    "figure_by",
    "incident_counts",
    "reporter_rows",
    "tallies_section",
    "total_rows",
]
