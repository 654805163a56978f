"""Before and after a date: the same measures on both sides, rates and their ratio.

"Alleged violations of the Moscow protocol" are zero before the protocol existed, by
definition, so comparing them across its entry into force says nothing. This module
compares only measures that exist on both sides of a date:

- ``incidents``: every incident matching the filters;
- ``meets_terms``: incidents that meet the agreement's **where / how / who**
  conditions, whatever their date ("would count as alleged violations had the
  agreement been in force"): in its area, with a kinetic weapon, alleged against an
  actor on a side it binds (``derive.py`` states the rule; here its date condition is
  dropped);
- ``killed_min`` / ``killed_max``: the sums of per-incident casualty ranges;
- ``killed_best``: the sum of per-incident best estimates (UCDP's ``best``, say) over the
  incidents that have one; each side says how many incidents have none
  (``before_without_best`` / ``after_without_best``), so a sum over part of a window is
  never read as a total. A side none of whose incidents has a best estimate has no sum
  (its count, rate and interval are empty, never 0: "no best estimate", not "nobody
  killed"), and then there is no ratio.

For each, N days before the reference date (the N days up to the day before) and N
days from it (the reference day counts as "after", as the day of entry into force
counts as in force): counts, days observed (a window is cut to the data's first and
last date, so a window that runs past the data is not read as a fall), rates per 30
days, and the after/before **rate ratio with a 95% interval** from statsmodels
(``confint_poisson_2indep``, score method, and ``test_poisson_2indep`` for the
p-value). When one side counts zero the score interval is degenerate; the interval is
then the exact conditional one (the binomial split of the events between the two
windows, Clopper-Pearson via statsmodels' ``proportion_confint``, turned into a rate
ratio), and the row says which method it used. Both sides zero: no ratio.

Casualty counts cluster (one strike kills many), so Poisson intervals on killed are
too narrow; they are given for completeness and marked so.

Breakdowns: all incidents, per side and per alleged actor (under the filter's
attribution; an incident blamed on two actors counts under each; clashes, whose
initiator no source states, are their own group and never count under a party), and
the clashes between two sides the agreement binds ("direction undetermined").
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from .. import queries
from ..filters import Filter, fmt_date
from ..text import number

DEFAULT_WINDOWS = (30, 90, 180)
MILESTONES = {
    "announced": "announcement",
    "signed": "signature",
    "in_force": "entry into force",
}
MEASURES = {
    "incidents": "Incidents",
    "meets_terms": "Incidents meeting the agreement's where/how/who conditions (any date)",
    "killed_min": "Killed (sum of minima)",
    "killed_max": "Killed (sum of maxima)",
    "killed_best": "Killed (sum of best estimates, where a source gives one)",
}
BREAKDOWNS = ("all", "side", "actor", "clash")
CI_SCORE = "score (statsmodels confint_poisson_2indep)"
CI_EXACT = "exact conditional (Clopper-Pearson, statsmodels proportion_confint)"
CASUALTY_NOTE = "Poisson interval; casualties cluster by incident, so it is too narrow"


@dataclass(frozen=True)
class Reference:
    """The date compared around, and what it is."""

    on: date
    label: str
    agreement_id: str | None = None
    milestone: str | None = None
    milestones: dict[str, date] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "date": self.on.isoformat(),
            "label": self.label,
            "agreement": self.agreement_id,
            "milestone": self.milestone,
            "milestones": {k: v.isoformat() for k, v in self.milestones.items()},
        }


def milestone_dates(con: duckdb.DuckDBPyConnection, agreement_id: str) -> dict[str, date]:
    """announced / signed / in_force dates of an agreement (announced defaults to signed)."""
    from ..agreements import read_toml

    row = con.execute(
        "SELECT signed_on, in_force_from FROM agreement WHERE agreement_id = ?", [agreement_id]
    ).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT agreement_id FROM agreement").fetchall()]
        raise ValueError(f"unknown agreement {agreement_id!r}; known: {', '.join(known)}")
    signed, in_force = row
    announced = next(
        (a.announced_on for a in read_toml()[0] if a.agreement_id == agreement_id), None
    )
    return {"announced": announced or signed, "signed": signed, "in_force": in_force.date()}


def reference(
    con: duckdb.DuckDBPyConnection,
    agreement_id: str | None = None,
    milestone: str = "in_force",
    on: date | None = None,
) -> Reference:
    """The reference date: a typed date, or an agreement's milestone."""
    if milestone not in MILESTONES:
        raise ValueError(f"milestone must be one of {', '.join(MILESTONES)}, not {milestone!r}")
    if on is not None:
        dates = milestone_dates(con, agreement_id) if agreement_id else {}
        return Reference(on, fmt_date(on), agreement_id, None, dates)
    if not agreement_id:
        raise ValueError("give an agreement or a date to compare around")
    dates = milestone_dates(con, agreement_id)
    name = con.execute(
        "SELECT name FROM agreement WHERE agreement_id = ?", [agreement_id]
    ).fetchone()[0]
    when = dates[milestone]
    label = f"{MILESTONES[milestone]} of the {name} ({fmt_date(when)})"
    return Reference(when, label, agreement_id, milestone, dates)


def rate_ratio(
    after: float, after_days: int, before: float, before_days: int
) -> tuple[float | None, float | None, float | None, float | None, str | None]:
    """(ratio, ci_low, ci_high, p_value, method) of the after/before rates, 95%."""
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

    if after_days <= 0 or before_days <= 0 or (after == 0 and before == 0):
        return None, None, None, None, None
    after, before = int(round(after)), int(round(before))
    ratio = math.inf if before == 0 else (after / after_days) / (before / before_days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p = float(
            test_poisson_2indep(
                after, after_days, before, before_days, method="score", compare="ratio"
            ).pvalue
        )
        if after > 0 and before > 0:
            low, high = confint_poisson_2indep(
                after, after_days, before, before_days, method="score", compare="ratio"
            )
            return ratio, float(low), float(high), p, CI_SCORE
        # one side zero: the share of events that fall after, exact binomial interval
        p_low, p_high = proportion_confint(after, after + before, alpha=0.05, method="beta")
    scale = before_days / after_days
    low = p_low / (1 - p_low) * scale
    high = math.inf if p_high >= 1 else p_high / (1 - p_high) * scale
    return ratio, float(low), float(high), p, CI_EXACT


def _clip(start: date, end: date, coverage: tuple[date | None, date | None]) -> tuple[date, int]:
    first, last = coverage
    if first is None or last is None:
        return start, 0
    lo, hi = max(start, first), min(end, last)
    return lo, max(0, (hi - lo).days + 1)


def _per_30(count: float, days: int) -> float | None:
    return None if days <= 0 else count * 30 / days


@dataclass
class Comparison:
    reference: Reference
    filter: Filter
    windows: tuple[int, ...]
    coverage: tuple[date | None, date | None]
    #: one row per window, measure, breakdown and group (see ``COLUMNS``)
    frame: pd.DataFrame
    spans: dict[int, dict] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        out = {
            "reference": self.reference.as_dict(),
            "filter": self.filter.describe(),
            "attribution": self.filter.attribution_text(),
            "data_coverage": [d.isoformat() if d else None for d in self.coverage],
            "measures": MEASURES,
            "interval": "95%; " + CI_SCORE + "; when one side is zero, " + CI_EXACT,
            "windows": [],
        }
        for days in self.windows:
            rows = self.frame[self.frame.window_days == days]
            out["windows"].append(
                {
                    "days": days,
                    **self.spans[days],
                    "rows": [_json_row(r) for r in rows.to_dict("records")],
                }
            )
        return out


def _num(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return value.item() if hasattr(value, "item") else value


def _json_row(r: dict) -> dict:
    return {
        "measure": r["measure"],
        "breakdown": r["breakdown"],
        "group": r["group"],
        "before": {
            "count": _num(r["before_count"]),
            "days": _num(r["before_days"]),
            "rate_per_30d": _num(r["before_rate_per_30d"]),
            "rate_ci": [_num(r["before_rate_ci_low"]), _num(r["before_rate_ci_high"])],
            "incidents_without_best": _num(r["before_without_best"]),
        },
        "after": {
            "count": _num(r["after_count"]),
            "days": _num(r["after_days"]),
            "rate_per_30d": _num(r["after_rate_per_30d"]),
            "rate_ci": [_num(r["after_rate_ci_low"]), _num(r["after_rate_ci_high"])],
            "incidents_without_best": _num(r["after_without_best"]),
        },
        "rate_ratio": _num(r["rate_ratio"]),
        "ci_low": _num(r["ci_low"]),
        "ci_high": _num(r["ci_high"]),
        "p_value": _num(r["p_value"]),
        "ci_method": r["ci_method"],
    }


COLUMNS = [
    "window_days",
    "measure",
    "breakdown",
    "group",
    "before_count",
    "before_days",
    "before_rate_per_30d",
    "after_count",
    "after_days",
    "after_rate_per_30d",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "ci_method",
    "before_rate_ci_low",
    "before_rate_ci_high",
    "after_rate_ci_low",
    "after_rate_ci_high",
    "before_without_best",
    "after_without_best",
]


def rate_interval(count: int | None, days: int) -> tuple[float | None, float | None]:
    """95% exact (Garwood) interval of one rate per 30 days (statsmodels confint_poisson);
    none for a count that does not exist (``None``)."""
    from statsmodels.stats.rates import confint_poisson

    if count is None or days <= 0:
        return None, None
    low, high = confint_poisson(int(count), days / 30, method="exact-c")
    return float(low), float(high)


def _count(indexed: pd.DataFrame, key: tuple, measure: str) -> int:
    return int(indexed.loc[key, measure]) if key in indexed.index else 0


def base_filter(f: Filter) -> Filter:
    """The filter a comparison applies: its own window replaces the filter's dates and
    agreement period, and "alleged violations only" is dropped (they do not exist
    before an agreement; ``meets_terms`` is the measure that does)."""
    return f.with_(start=None, end=None, agreement=None, violations_only=False)


def compare(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    ref: Reference,
    windows: tuple[int, ...] | list[int] = DEFAULT_WINDOWS,
    breakdowns: tuple[str, ...] = BREAKDOWNS,
) -> Comparison:
    """Every measure, N days before and after ``ref.on``, for each N in ``windows``."""
    windows = tuple(sorted({int(w) for w in windows}))
    if not windows or windows[0] < 1 or windows[-1] > 3650:
        raise ValueError("days must be between 1 and 3650")
    f = base_filter(f)
    coverage = queries.data_coverage(con, f)
    rows: list[dict] = []
    spans: dict[int, dict] = {}
    measures = [m for m in MEASURES if m != "meets_terms" or ref.agreement_id]
    for days in windows:
        b_start, b_days = _clip(ref.on - timedelta(days=days), ref.on - timedelta(days=1), coverage)
        a_start, a_days = _clip(ref.on, ref.on + timedelta(days=days - 1), coverage)
        spans[days] = {
            "before": {"from": b_start.isoformat(), "days": b_days},
            "after": {"from": a_start.isoformat(), "days": a_days},
        }
        counts = queries.compare_counts(con, f, ref.on, days, ref.agreement_id)
        counts = counts[counts.breakdown.isin(breakdowns)]
        groups = counts[["breakdown", "group"]].drop_duplicates()
        if not (groups.breakdown == "all").any():
            groups = pd.concat([pd.DataFrame({"breakdown": ["all"], "group": ["All"]}), groups])
        indexed = counts.set_index(["breakdown", "group", "period"])
        for breakdown, group in groups.itertuples(index=False):
            for measure in measures:
                before, after = (
                    _count(indexed, (breakdown, group, period), measure)
                    for period in ("before", "after")
                )
                without = {
                    f"{period}_without_best": (
                        _count(indexed, (breakdown, group, period), "without_killed_best")
                        if measure == "killed_best"
                        else None
                    )
                    for period in ("before", "after")
                }
                if measure == "killed_best":  # no sum where no incident has a best estimate
                    before, after = (
                        None
                        if without[f"{period}_without_best"]
                        == _count(indexed, (breakdown, group, period), "incidents")
                        else count
                        for period, count in (("before", before), ("after", after))
                    )
                if before is None or after is None:
                    ratio = low = high = p = method = None
                else:
                    ratio, low, high, p, method = rate_ratio(after, a_days, before, b_days)
                if method and measure.startswith("killed"):
                    method = f"{method}; {CASUALTY_NOTE}"
                b_low, b_high = rate_interval(before, b_days)
                a_low, a_high = rate_interval(after, a_days)
                rows.append(
                    {
                        "window_days": days,
                        "measure": measure,
                        "breakdown": breakdown,
                        "group": group,
                        "before_count": before,
                        "before_days": b_days,
                        "before_rate_per_30d": None if before is None else _per_30(before, b_days),
                        "after_count": after,
                        "after_days": a_days,
                        "after_rate_per_30d": None if after is None else _per_30(after, a_days),
                        "rate_ratio": ratio,
                        "ci_low": low,
                        "ci_high": high,
                        "p_value": p,
                        "ci_method": method,
                        "before_rate_ci_low": b_low,
                        "before_rate_ci_high": b_high,
                        "after_rate_ci_low": a_low,
                        "after_rate_ci_high": a_high,
                        **without,
                    }
                )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # counts stay whole numbers beside the empty ones (a sum of best estimates that does
    # not exist), in the CSV as on the page
    for name in ("before_count", "after_count"):
        frame[name] = frame[name].astype("Int64")
    rank = frame.breakdown.map({b: i for i, b in enumerate(BREAKDOWNS)})
    measure_rank = frame.measure.map({m: i for i, m in enumerate(MEASURES)})
    frame = (
        frame.assign(_b=rank, _m=measure_rank)
        .sort_values(["window_days", "_b", "group", "_m"], kind="stable")
        .drop(columns=["_b", "_m"])
        .reset_index(drop=True)
    )
    return Comparison(ref, f, windows, coverage, frame, spans)


#: The readable table's columns (``readable_table``): human headers with their units,
#: few enough to fit a narrow window (each cell wraps).
READABLE_COLUMNS = (
    "Measure",
    "Days each side",
    "Rate ratio, after ÷ before (95% interval; p-value)",
    "Before: count; rate per 30 days (95% interval)",
    "After: count; rate per 30 days (95% interval)",
)
#: The group column's header per breakdown.
GROUP_HEADERS = {"side": "Side", "actor": "Alleged actor", "clash": "Clash between"}
#: Under a table of killed measures: why their intervals are given with a warning.
KILLED_NOTE = (
    "Killed: the intervals are Poisson intervals, too narrow because casualties cluster "
    "by incident (one strike kills many)."
)


def _missing(value) -> bool:
    return value is None or value is pd.NA or pd.isna(value)


def _count_cell(r: dict, period: str) -> str:
    """'617 in 90 days'; for best estimates, how many incidents have none; words where
    the sum does not exist."""
    days = f"{int(r[f'{period}_days']):,} days"
    without = r[f"{period}_without_best"]
    if not r[f"{period}_days"]:
        return "the data do not cover this window"
    if r["measure"] == "killed_best" and _missing(r[f"{period}_count"]):
        return f"no best estimate in {days}"
    text = f"{int(r[f'{period}_count']):,} in {days}"
    if r["measure"] == "killed_best" and not _missing(without) and without:
        text += f" ({int(without):,} {'incident has' if without == 1 else 'incidents have'} none)"
    return text


def _rate_cell(r: dict, period: str) -> str:
    rate = r[f"{period}_rate_per_30d"]
    low, high = r[f"{period}_rate_ci_low"], r[f"{period}_rate_ci_high"]
    return f"{number(rate)} per 30 days ({number(low)}–{number(high)})"


def _ratio_cells(r: dict) -> tuple[str, str, str]:
    """The ratio, its interval and p-value, in words where there is no ratio."""
    if r["measure"] == "killed_best":
        gone = [p for p in ("before", "after") if _missing(r[f"{p}_count"])]
        if len(gone) == 2:
            return "no best estimates in either window", "", ""
        if gone:
            return f"no best estimates {gone[0]}", "", ""
    ratio = r["rate_ratio"]
    if _missing(ratio):
        if not r["before_days"] or not r["after_days"]:
            return "the data do not cover both windows", "", ""
        return "no events in either window", "", ""
    high = "∞" if math.isinf(r["ci_high"]) else number(r["ci_high"])
    interval = f"{number(r['ci_low'])}–{high}"
    if str(r["ci_method"]).startswith(CI_EXACT):
        interval += ", exact"
    p = r["p_value"]
    p_text = "" if _missing(p) else ("< 0.01" if p < 0.01 else number(p))
    shown = "none before" if math.isinf(ratio) else number(ratio)
    return shown, interval, p_text


def readable_table(frame: pd.DataFrame, breakdown: str = "all") -> pd.DataFrame:
    """The comparison as a person reads it (the page's tables): one row per group,
    measure and window, human headers with units (``READABLE_COLUMNS``), the ratio with
    its interval and p-value first, numbers with thousands separators and at most two
    decimals, and words where a measure does not exist ("no best estimates in either
    window"), never 0. Every cell is text: the numbers are in ``frame`` (and the
    downloads)."""
    rows = []
    for r in frame[frame.breakdown == breakdown].to_dict("records"):
        ratio, interval, p_text = _ratio_cells(r)
        if interval:
            ratio = f"{ratio} ({interval}; p {p_text if p_text.startswith('<') else '= ' + p_text})"
        cells = [
            MEASURES[r["measure"]],
            f"{int(r['window_days']):,}",
            ratio,
            *(
                f"{_count_cell(r, period)}; {_rate_cell(r, period)}"
                if not _missing(r[f"{period}_rate_per_30d"])
                else _count_cell(r, period)
                for period in ("before", "after")
            ),
        ]
        if breakdown != "all":
            cells.insert(0, str(r["group"]))
        rows.append(cells)
    columns = list(READABLE_COLUMNS)
    if breakdown != "all":
        columns.insert(0, GROUP_HEADERS.get(breakdown, breakdown.capitalize()))
    return pd.DataFrame(rows, columns=columns)


def table_text(c: Comparison) -> str:
    """The comparison as a plain-text table (the CLI's default output)."""

    def fmt(v, digits=2):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return "-"
        if isinstance(v, float) and math.isinf(v):
            return "inf"
        return f"{v:.{digits}f}" if isinstance(v, float) else f"{v}"

    lines = [
        f"Before and after the {c.reference.label}",
        c.filter.describe() + " " + c.filter.attribution_text(),
        "Rate ratio = after/before rate per 30 days, 95% interval (" + CI_SCORE + ").",
        "",
    ]
    header = (
        f"{'days':>4}  {'measure':<12} {'breakdown':<9} {'group':<34} "
        f"{'before':>7} {'d':>4} {'/30d':>7}  {'after':>7} {'d':>4} {'/30d':>7}  "
        f"{'ratio':>6} {'95% CI':>15}"
    )
    lines.append(header)
    for r in c.frame.to_dict("records"):
        ci = f"{fmt(r['ci_low'])}-{fmt(r['ci_high'])}" if not pd.isna(r["ci_low"]) else "-"
        lines.append(
            f"{r['window_days']:>4}  {r['measure']:<12} {r['breakdown']:<9} "
            f"{str(r['group'])[:34]:<34} {fmt(r['before_count']):>7} {r['before_days']:>4} "
            f"{fmt(r['before_rate_per_30d'], 1):>7}  {fmt(r['after_count']):>7} {r['after_days']:>4} "
            f"{fmt(r['after_rate_per_30d'], 1):>7}  {fmt(r['rate_ratio']):>6} {ci:>15}"
        )
    return "\n".join(lines)
