"""The brief's numbers: the headline against the previous period and the 52-week
baseline, and what changed in the period's last full week (``changes.changes``)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from ..analysis import changes, counting
from ..filters import fmt_date
from ..text import range_text
from .context import (
    BASELINE_WEEKS,
    FLAGGED,
    MEASURES,
    Context,
    Period,
    Section,
    md_escape,
    paragraphs_html,
    table_html,
    table_md,
)


def _n(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _expected(ctx: Context, key: str) -> float | None:
    """The baseline over a period of this length: the average covered week times the
    period's weeks (None when the data covers none of the 52 weeks)."""
    if not ctx.baseline_weeks:
        return None
    return _n(ctx.baseline[key]) / ctx.baseline_weeks * ctx.period.days / 7


def _pct(now: float, then: float | None) -> str:
    pct = None if then is None else changes.pct_change(now, then)
    if then is None:
        return "no data"
    return "new" if pct is None else f"{pct:+.0f} %"


def _flag(ctx: Context, key: str, then: float | None) -> str:
    """What changed's flag on weekly rates (count per 7 days against the comparison's)."""
    if then is None or key not in FLAGGED:
        return ""
    weekly = 7 / ctx.period.days
    return changes.flag(_n(ctx.headline[key]) * weekly, then * weekly)


def headline_rows(ctx: Context) -> list[list[str]]:
    """The headline table's rows: measure, this period, previous period, change, flag,
    52-week baseline, change, flag. A period the data does not reach reads "no data",
    never 0."""
    here, before_here = ctx.covers(ctx.period), ctx.covers(ctx.period.previous())
    rows = []
    for label, low, high in MEASURES:
        now = _n(ctx.headline[low])
        prev = _n(ctx.previous[low]) if before_here else None
        base = _expected(ctx, low)
        if high:
            shown = range_text(ctx.headline[low], ctx.headline[high])
            before = range_text(ctx.previous[low], ctx.previous[high])
            base_high = _expected(ctx, high)
            baseline = "no data" if base is None else f"{base:,.0f}–{base_high:,.0f}"
        else:
            shown, before = f"{now:,}", f"{_n(ctx.previous[low]):,}"
            baseline = "no data" if base is None else f"{base:,.1f}"
        if not here:
            rows.append([label, "no data", before if before_here else "no data"] + [""] * 5)
            continue
        rows.append(
            [
                label,
                shown,
                before if before_here else "no data",
                _pct(now, prev),
                _flag(ctx, low, prev),
                baseline,
                _pct(now, base),
                _flag(ctx, low, base),
            ]
        )
    return rows


def coverage_note(ctx: Context) -> str:
    """What part of the period, the previous period and the baseline the data covers,
    when it does not cover all of them ('' when it does)."""
    first, last = ctx.coverage
    if first is None:
        return "The store holds no incident of these origins: there is no data."
    span = f"The data covers {fmt_date(first)} to {fmt_date(last)}"
    if not ctx.covers(ctx.period):
        return f"{span}: this period lies outside it, so its numbers are unknown, not zero."
    if ctx.period.start < first or ctx.period.end > last:
        return f"{span}: only part of this period."
    if not ctx.covers(ctx.period.previous()) and not ctx.baseline_weeks:
        return f"{span}: there is nothing before this period to compare it with."
    if not ctx.covers(ctx.period.previous()) or ctx.baseline_weeks < BASELINE_WEEKS:
        return (
            f"{span}: the comparisons use the {ctx.baseline_weeks} weeks of it before the period."
        )
    return ""


HEADLINE_COLUMNS = (
    "Measure",
    "This period",
    "Previous period",
    "Change",
    "Flag",
    "52-week baseline",
    "Change",
    "Flag",
)


def headline_section(ctx: Context) -> Section:
    before, base = ctx.period.previous(), ctx.period.baseline()
    rows = headline_rows(ctx)
    note = (
        f"Previous period: {before.words()}. Baseline: the average week of the 52 weeks "
        f"{base.words()} ({ctx.baseline_weeks} covered by the data) times the period's "
        f"{ctx.period.days / 7:.1f} weeks. Changes on killed and wounded compare the low "
        "ends of the ranges. Flags, as What changed's, on weekly rates: large increase "
        "above +25 %, moderate +10 to +25 %, limited change −25 to +10 %, large decrease "
        "below −25 %; a baseline of at most 2 a week with at most 5 this week is limited "
        "change."
    )
    extra = [coverage_note(ctx), counting.best_estimate_text(ctx.headline)]
    if ctx.filter.agreement:
        extra.append(_agreement_note(ctx))
    extra = [e for e in extra if e]
    return Section(
        "headline",
        "The period in numbers",
        table_html(HEADLINE_COLUMNS, rows, first_left=True)
        + paragraphs_html([note, *extra], small=True),
        table_md(HEADLINE_COLUMNS, rows)
        + "\n\n"
        + "\n\n".join(md_escape(t) for t in [note, *extra]),
    )


def _agreement_note(ctx: Context) -> str:
    row = ctx.con.execute(
        "SELECT name, in_force_from FROM agreement WHERE agreement_id = ?", [ctx.filter.agreement]
    ).fetchone()
    if not row or row[1] is None or row[1] <= ctx.period.baseline().start:
        return ""
    return (
        f"{row[0]} entered into force on {fmt_date(row[1])}: alleged violations of it do "
        "not exist before that date, so its counts are not comparable across it."
    )


def last_full_week(period: Period) -> date:
    """The Monday of the period's last full week (Monday to Sunday inside the period;
    the week of the period's start when the period holds no full week)."""
    sunday = period.end - timedelta(days=(period.end.weekday() + 1) % 7)
    monday = sunday - timedelta(days=6)
    return monday if monday >= period.start else changes.monday(period.start)


CHANGES_COLUMNS = (
    "Group",
    "This week",
    "Average, 4 weeks",
    "Average, 52 weeks",
    "Change, 4 weeks",
    "Change, 52 weeks",
    "Flag, 4 weeks",
    "Flag, 52 weeks",
    "Emerging",
)
CHANGES_ROWS = 10


def changes_rows(result: changes.Changes) -> list[list[str]]:
    """The groups active this week or flagged, as What changed lists them."""
    rows = []
    for r in result.frame.to_dict("records"):
        if r["week_count"] == 0 and r["flag_52w"] == "limited change":
            continue
        rows.append(
            [
                str(r["group"]),
                f"{r['week_count']:,}",
                f"{r['avg_4w']:.2f}",
                f"{r['avg_52w']:.2f}",
                _pct_value(r["pct_4w"]),
                _pct_value(r["pct_52w"]),
                r["flag_4w"],
                r["flag_52w"],
                ", ".join(r["emerging"]),
            ]
        )
    return rows[:CHANGES_ROWS]


def _pct_value(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "new"
    return f"{value:+.0f} %"


def changes_section(ctx: Context) -> Section:
    week = last_full_week(ctx.period)
    parts_html, parts_md = [], []
    for by, label in (("actor", "alleged actor"), ("governorate", "governorate")):
        result = changes.changes(ctx.con, ctx.filter, week, by)
        rows = changes_rows(result)
        heading = f"By {label}"
        parts_html.append(f"<h3>{heading}</h3>")
        parts_md.append(f"### {heading}")
        if rows:
            parts_html.append(table_html(CHANGES_COLUMNS, rows, first_left=True))
            parts_md.append(table_md(CHANGES_COLUMNS, rows))
        else:
            none = "No incidents that week, and no group flagged."
            parts_html.append(paragraphs_html([none]))
            parts_md.append(none)
    note = (
        f"The week of {fmt_date(week)} to {fmt_date(week + timedelta(days=6))} against "
        "the average of its previous 4 and 52 weeks (weeks the data covers), as the What "
        "changed page and `changes` compute it; groups with no incident this week and no "
        "flag are left out. The period's dates, agreement and “alleged violations only” "
        "do not apply here: the week and its baselines are the window."
    )
    return Section(
        "changes",
        f"What changed in the week of {fmt_date(week)}",
        paragraphs_html([note.replace("`", "")], small=True) + "".join(parts_html),
        md_escape(note.replace("`", "")) + "\n\n" + "\n\n".join(parts_md),
    )
