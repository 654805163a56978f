"""What changed this week: an early-warning table after ACLED's Conflict Trendfinder.

For a chosen week (weeks start on Monday), per governorate, district or alleged actor:

- ``week_count``: incidents that week;
- ``avg_4w`` / ``avg_52w``: the average weekly count over the previous 4 and 52 weeks
  (only weeks the data covers count in the divisor, so a baseline that starts before
  the data is not diluted by weeks with no data; ``weeks_4w`` / ``weeks_52w`` say how
  many weeks were used);
- ``pct_4w`` / ``pct_52w``: the percentage change of the week against each baseline
  (None when the baseline is zero and the week is not);
- ``flag_4w`` / ``flag_52w``: ``large increase`` (more than +25 %), ``moderate
  increase`` (+10 % to +25 %), ``limited change`` (-25 % to +10 %) or ``large
  decrease`` (less than -25 %), with ACLED's **low-baseline guard**: a baseline of at
  most 2 events a week with at most 5 events this week is "limited change", whatever
  the percentage;
- ``emerging``: for an area, the actors active in it this week that had no incident
  in it in the previous 52 weeks; for an actor, the areas (district, or governorate
  where the district is unknown) where that is so. Unknown actors and the clash group
  are not actors and never emerge.

The sidebar's dates, agreement and "alleged violations only" are ignored (the week and
its baselines are the window; alleged violations do not exist before an agreement, so
a baseline straddling its entry into force would read as a surge). The other filters
and the attribution apply; under "any claim" an incident blamed on two actors counts
for each, and clashes count as their own group, never under a party.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from .. import queries
from ..filters import Filter, fmt_date
from ..text import number

BY = ("governorate", "district", "actor")
FLAGS = ("large increase", "moderate increase", "limited change", "large decrease")
COLUMNS = [
    "group",
    "week_count",
    "avg_4w",
    "avg_52w",
    "pct_4w",
    "pct_52w",
    "flag_4w",
    "flag_52w",
    "emerging",
    "weeks_4w",
    "weeks_52w",
]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pct_change(count: float, baseline: float) -> float | None:
    if baseline == 0:
        return 0.0 if count == 0 else None
    return (count - baseline) / baseline * 100


def flag(count: float, baseline: float) -> str:
    """The Trendfinder flag of a week's count against a weekly baseline."""
    if baseline <= 2 and count <= 5:
        return "limited change"  # low-baseline guard
    pct = pct_change(count, baseline)
    if pct is None or pct > 25:
        return "large increase"
    if pct >= 10:
        return "moderate increase"
    if pct >= -25:
        return "limited change"
    return "large decrease"


@dataclass
class Changes:
    week: date
    by: str
    filter: Filter
    frame: pd.DataFrame
    coverage: tuple

    def title(self) -> str:
        return f"What changed in the week of {fmt_date(self.week)}, by {self.by}"

    def to_json_dict(self) -> dict:
        def clean(v):
            if isinstance(v, float) and math.isnan(v):
                return None
            return v.item() if hasattr(v, "item") else v

        return {
            "week_of": self.week.isoformat(),
            "by": self.by,
            "filter": self.filter.describe(),
            "attribution": self.filter.attribution_text(),
            "data_coverage": [d.isoformat() if d else None for d in self.coverage],
            "flags": "large increase > +25%; moderate increase +10% to +25%; limited change "
            "-25% to +10%; large decrease < -25%; a baseline of <= 2 a week with <= 5 this "
            "week is limited change",
            "rows": [
                {k: (clean(v) if k != "emerging" else list(v)) for k, v in r.items()}
                for r in self.frame.to_dict("records")
            ],
        }


def base_filter(f: Filter) -> Filter:
    return f.with_(start=None, end=None, agreement=None, violations_only=False)


def _weeks_covered(start: date, weeks: int, coverage) -> int:
    """How many of the ``weeks`` weeks before ``start`` the data covers (a week counts
    when its Monday is on or after the Monday of the data's first week)."""
    first, _ = coverage
    if first is None:
        return 0
    first_monday = monday(first)
    return sum(1 for k in range(1, weeks + 1) if start - timedelta(weeks=k) >= first_monday)


def changes(con: duckdb.DuckDBPyConnection, f: Filter, week_of: date, by: str) -> Changes:
    """The week of ``week_of`` against its previous 4 and 52 weeks, per ``by``."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    week = monday(week_of)
    f = base_filter(f)
    coverage = queries.data_coverage(con, f)
    counts, pairs = queries.weekly_changes(con, f, week, by)
    weeks_4, weeks_52 = _weeks_covered(week, 4, coverage), _weeks_covered(week, 52, coverage)
    new = pairs[(pairs.this_week > 0) & (pairs.before == 0)]
    key, other = ("area", "actor") if by != "actor" else ("actor", "area")
    emerging = new.groupby(key)[other].agg(lambda s: sorted(s)).to_dict()
    rows = []
    for r in counts.itertuples(index=False):
        avg_4 = r.n_4w / weeks_4 if weeks_4 else 0.0
        avg_52 = r.n_52w / weeks_52 if weeks_52 else 0.0
        rows.append(
            {
                "group": r.grp,
                "week_count": int(r.week_count),
                "avg_4w": avg_4,
                "avg_52w": avg_52,
                "pct_4w": pct_change(r.week_count, avg_4),
                "pct_52w": pct_change(r.week_count, avg_52),
                "flag_4w": flag(r.week_count, avg_4),
                "flag_52w": flag(r.week_count, avg_52),
                "emerging": emerging.get(r.grp, []),
                "weeks_4w": weeks_4,
                "weeks_52w": weeks_52,
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(
            ["week_count", "avg_52w", "group"], ascending=[False, False, True]
        ).reset_index(drop=True)
    return Changes(week, by, f, frame, coverage)


#: The readable table's group header per ``by``, and what "emerging" lists for it.
GROUP_HEADERS = {"governorate": "Governorate", "district": "District", "actor": "Alleged actor"}
EMERGING_HEADERS = {
    "governorate": "Actors new here this week",
    "district": "Actors new here this week",
    "actor": "Areas new to it this week",
}


def _change_text(pct) -> str:
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return "none before"
    return f"{pct:+,.0f}%".replace("-", "−")


def _against_text(average: float, pct, flag_text: str) -> str:
    return f"average {number(average)} a week; {_change_text(pct)}; {flag_text}"


def readable_table(c: Changes) -> pd.DataFrame:
    """The week's changes as a person reads them (the page's table), five columns that
    fit a narrow window: the group, the week's count, and each baseline in words
    ("average 0.25 a week; +700%; large increase": two decimals, the change with its
    sign, "none before" where the baseline had no incident and no percentage exists),
    then what is new this week. Every cell is text."""
    group, new = GROUP_HEADERS[c.by], EMERGING_HEADERS[c.by]
    rows = [
        {
            group: str(r["group"]),
            "Incidents this week": f"{int(r['week_count']):,}",
            "Against the previous 4 weeks": _against_text(r["avg_4w"], r["pct_4w"], r["flag_4w"]),
            "Against the previous 52 weeks": _against_text(
                r["avg_52w"], r["pct_52w"], r["flag_52w"]
            ),
            new: ", ".join(r["emerging"]),
        }
        for r in c.frame.to_dict("records")
    ]
    columns = [
        group,
        "Incidents this week",
        "Against the previous 4 weeks",
        "Against the previous 52 weeks",
        new,
    ]
    return pd.DataFrame(rows, columns=columns)


def baseline_text(c: Changes) -> str:
    """How many weeks the averages use (weeks the data covers)."""
    if c.frame.empty:
        return ""
    weeks_4, weeks_52 = int(c.frame.weeks_4w.iloc[0]), int(c.frame.weeks_52w.iloc[0])
    return (
        f"The averages use {weeks_4} of the previous 4 weeks and {weeks_52} of the previous "
        "52 (the weeks the data covers)."
    )


def table_text(c: Changes) -> str:
    def pct(v):
        return "new" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:+.0f}%"

    lines = [
        c.title(),
        c.filter.describe() + " " + c.filter.attribution_text(),
        "",
        f"{'group':<40} {'week':>5} {'avg4w':>6} {'avg52w':>7} {'4w':>6} {'52w':>6}  "
        f"{'flag (4w)':<18} {'flag (52w)':<18} emerging",
    ]
    for r in c.frame.to_dict("records"):
        lines.append(
            f"{str(r['group'])[:40]:<40} {r['week_count']:>5} {r['avg_4w']:>6.2f} "
            f"{r['avg_52w']:>7.2f} {pct(r['pct_4w']):>6} {pct(r['pct_52w']):>6}  "
            f"{r['flag_4w']:<18} {r['flag_52w']:<18} {', '.join(r['emerging'])}"
        )
    return "\n".join(lines)


def weekly_series(
    con: duckdb.DuckDBPyConnection, c: Changes, groups: list[str], weeks: int = 53
) -> pd.DataFrame:
    """Weekly counts of ``groups`` over the ``weeks`` weeks ending with the chosen week
    (the small multiples), zero-filled: group, week, incidents."""
    start = c.week - timedelta(weeks=weeks - 1)
    frame = queries.weekly_counts(con, c.filter, start, c.week + timedelta(days=7), c.by)
    frame = frame[frame.grp.isin(groups)]
    index = pd.MultiIndex.from_product(
        [groups, pd.date_range(start, c.week, freq="7D").date], names=["grp", "week"]
    )
    full = frame.set_index(["grp", "week"]).incidents.reindex(index, fill_value=0)
    return full.reset_index().rename(columns={"grp": "group"})
