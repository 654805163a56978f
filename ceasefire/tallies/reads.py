"""Tallies as a table, and side by side with the incidents on record.

``side_by_side(con, f, governorate, by)`` puts, for one governorate and each week or
month, every reporter's tallies beside the coded incidents and the alleged violations
the store counts for the same governorate and period, under the view's filter. The
rules, stated with every figure and export (``SideBySide.notes``):

- A tally counts in a period when its whole counted period lies inside it (a daily
  bulletin's day always does; a monthly tally in a weekly view does not, and is left
  out and said so). Its value there is the **sum of the reporter's counts on record**
  for that governorate in the period: the store holds the bulletins someone added, so a
  month with 3 bulletins on record sums 3 days, and ``days_covered`` says how many.
- Only governorate tallies are placed under a governorate; a total that names no
  governorate (an area-less tally) is left out and counted in the notes, never spread
  over provinces. A province named without a count adds nothing and is counted
  (``without_count``): a missing count is not 0.
- Tallies are the parties' own counts in their own units; nothing here adds them to,
  or subtracts them from, an incident count. The incident counts are the same query as
  the Overview's headline, by period, for the governorate.
- The view's dates apply to both; its actor, side, weapon, target, status, origin and
  attribution conditions apply to incidents only (tallies rarely say whose violations
  they count, and never by weapon or target).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from ..filters import Filter, fmt_date
from ..queries import TIME_UNITS
from ..sqlparams import Params, merge, value_list
from ..text import plural

#: Shown with every side-by-side figure and export.
TALLY_NOTE = (
    'Tallies are the parties\' own counts, in their own units ("cases of firing", '
    '"facts of opening fire", "attacks"…), summed over the bulletins on record for each '
    "period; they are not incidents and are never added to incident counts. A period "
    "with no bar has no bulletin on record, not a count of 0."
)
INCIDENTS = "Incidents on record"
VIOLATIONS = "Alleged violations on record"


def reporter_label(name: str) -> str:
    """A reporter's short name for legends: the words in brackets when the registry
    name has them ("Russian part of the joint commission"), else the name."""
    if name.endswith(")") and "(" in name:
        return name[name.index("(") + 1 : -1]
    return name


def tally_frame(
    con: duckdb.DuckDBPyConnection,
    *,
    start: date | None = None,
    end: date | None = None,
    governorates: tuple[str, ...] = (),
    reporters: tuple[str, ...] = (),
    bulletin: str | None = None,
    limit: int | None = None,
    with_totals: bool = False,
    tally_ids: tuple[int, ...] = (),
) -> pd.DataFrame:
    """Tallies (newest period first) with their reporter's and violator's names, the
    tally's provenance (link, origin) and whether it is reference data. ``start`` and
    ``end`` keep tallies whose period overlaps them; ``governorates`` keeps those
    governorates' tallies (and the totals, which name none, ``with_totals``)."""
    where, params = ["true"], {}
    _overlapping(where, params, start, end)
    if governorates:
        total = " OR t.governorate IS NULL" if with_totals else ""
        marks, named = value_list("governorates", governorates)
        where.append(f"(t.governorate IN ({marks}){total})")
        params |= named
    if tally_ids:
        marks, named = value_list("tally_ids", [int(i) for i in tally_ids])
        where.append(f"t.tally_id IN ({marks})")
        params |= named
    if reporters:
        marks, named = value_list("reporters", reporters)
        where.append(f"s.name IN ({marks})")
        params |= named
    if bulletin:
        where.append("t.bulletin = $bulletin")
        params["bulletin"] = bulletin
    sql = f"""
        SELECT t.tally_id, s.name AS reporter,
               coalesce(t.violator_side, a.name) AS violator, t.kind, t.governorate,
               t.governorate_pcode, t.area, t.period_start, t.period_end, t.count, t.unit,
               t.quote, t.language, t.published_on, t.link, t.bulletin, t.origin
        FROM tally t JOIN source s ON s.source_id = t.reporter_id
        LEFT JOIN actor a ON a.actor_id = t.violator_actor_id
        WHERE {" AND ".join(where)}
        ORDER BY t.period_start DESC, t.published_on DESC, s.name, t.kind DESC,
                 t.governorate, t.tally_id"""
    if limit:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    return con.execute(sql, params).df()


def for_reading(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``tally_frame`` as people read it: the count in words where the report gave
    none ("no count", never 0), and where it counts ("Idleb", or "total: <area>")."""
    return frame.assign(
        count=["no count" if pd.isna(c) else str(int(c)) for c in frame["count"]],
        where=[
            g if k == "governorate" else f"total: {'area not stated' if pd.isna(a) else a}"
            for g, k, a in zip(frame.governorate, frame.kind, frame.area, strict=True)
        ],
    )[["tally_id", "period_start", "period_end", "reporter", "where", "count", "unit", "link"]]


def reporters(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reporters with tallies in the store, most tallies first."""
    return [
        r[0]
        for r in con.execute(
            "SELECT s.name FROM tally t JOIN source s ON s.source_id = t.reporter_id "
            "GROUP BY s.name ORDER BY count(*) DESC, s.name"
        ).fetchall()
    ]


def governorates(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The governorates tallies name, most tallies first."""
    return [
        r[0]
        for r in con.execute(
            "SELECT governorate FROM tally WHERE governorate IS NOT NULL "
            "GROUP BY governorate ORDER BY count(*) DESC, governorate"
        ).fetchall()
    ]


@dataclass
class SideBySide:
    """One governorate's tallies and incidents per period (``frame``, long form: period,
    series, kind 'tally'|'incidents', value, units, tallies, days_covered,
    without_count) and what the comparison leaves out (``notes``)."""

    governorate: str
    by: str
    start: date | None
    end: date | None
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    left_out: dict = field(default_factory=dict)

    def title(self) -> str:
        when = ""
        if self.start and self.end:
            when = f", {fmt_date(self.start)} to {fmt_date(self.end)}"
        return f"What the parties counted beside the incidents on record: {self.governorate}, by {self.by}{when}"


def side_by_side(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    governorate: str,
    by: str = "month",
    reporters_shown: tuple[str, ...] = (),
) -> SideBySide:
    """Tallies beside incidents for ``governorate`` per ``by`` (see the module rules)."""
    if by not in TIME_UNITS:
        raise ValueError(f"by must be one of {', '.join(TIME_UNITS)}, not {by!r}")
    start, end = f.start, f.end
    if f.agreement and not (start or end):
        start, end = _agreement_dates(con, f.agreement)
    tally_where = ["t.governorate = $governorate"]
    params: Params = {"governorate": governorate}
    for condition, name, value in (
        ("t.period_start >= $start", "start", start),
        ("t.period_end <= $end", "end", end),
    ):
        if value:
            tally_where.append(condition)
            params[name] = value
    if reporters_shown:
        marks, named = value_list("reporters", reporters_shown)
        tally_where.append(f"s.name IN ({marks})")
        params |= named
    where = " AND ".join(tally_where)
    bin_start = f"CAST(date_trunc('{by}', t.period_start) AS DATE)"
    inside = f"{bin_start} = CAST(date_trunc('{by}', t.period_end) AS DATE)"
    tallies = con.execute(
        f"""SELECT {bin_start} AS period, s.name AS series, 'tally' AS kind,
                   CAST(sum(t.count) AS BIGINT) AS value,
                   string_agg(DISTINCT t.unit, '; ' ORDER BY t.unit) AS units,
                   count(*) AS tallies,
                   count(DISTINCT t.period_start) FILTER (WHERE t.count IS NOT NULL)
                       AS days_covered,
                   count(*) FILTER (WHERE t.count IS NULL) AS without_count,
                   string_agg(DISTINCT t.link, ' ; ' ORDER BY t.link) AS links
            FROM tally t JOIN source s ON s.source_id = t.reporter_id
            WHERE {where} AND {inside}
            GROUP BY ALL ORDER BY period, series""",
        params,
    ).df()
    left_out = con.execute(
        f"""SELECT count(*) FILTER (WHERE NOT ({inside})) AS spanning
            FROM tally t JOIN source s ON s.source_id = t.reporter_id WHERE {where}""",
        params,
    ).fetchone()[0]
    area_less = _area_less(con, start, end, reporters_shown)
    twice = con.execute(  # two bulletins' counts for one reporter, place and day: summed
        f"""SELECT count(*) FROM (SELECT 1 FROM tally t JOIN source s
                ON s.source_id = t.reporter_id WHERE {where} AND t.count IS NOT NULL
                GROUP BY t.reporter_id, t.period_start, t.period_end HAVING count(*) > 1)""",
        params,
    ).fetchone()[0]
    incidents = _incidents(con, f.with_(governorates=(governorate,), start=start, end=end), by)
    frame = pd.concat([tallies, incidents], ignore_index=True)
    frame = frame.astype(
        {"value": "Int64", "tallies": "Int64", "days_covered": "Int64", "without_count": "Int64"}
    )
    result = SideBySide(governorate, by, start, end, frame)
    result.left_out = {"spanning": int(left_out), "area_less": area_less, "twice": twice}
    result.notes = _notes(result, f)
    return result


def _agreement_dates(con, agreement: str) -> tuple[date | None, date | None]:
    row = con.execute(
        "SELECT CAST(in_force_from AS DATE), CAST(in_force_to AS DATE) FROM agreement "
        "WHERE agreement_id = $agreement",
        {"agreement": agreement},
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _overlapping(where: list[str], params: Params, start: date | None, end: date | None) -> None:
    """Keep the tallies whose period overlaps ``start``-``end`` (either may be open)."""
    if start:
        where.append("t.period_end >= $start")
        params["start"] = start
    if end:
        where.append("t.period_start <= $end")
        params["end"] = end


def _area_less(con, start, end, reporters_shown) -> tuple[int, int]:
    """Totals in the dates (never spread over a governorate): how many, and how many of
    them come with no governorate at all from their reporter's bulletin (area-less)."""
    where, params = ["t.kind = 'total'"], {}
    _overlapping(where, params, start, end)
    if reporters_shown:
        marks, named = value_list("reporters", reporters_shown)
        where.append(f"s.name IN ({marks})")
        params |= named
    return con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM tally g "
        "WHERE g.bulletin = t.bulletin AND g.reporter_id = t.reporter_id "
        "AND g.kind = 'governorate')) "
        "FROM tally t JOIN source s ON s.source_id = t.reporter_id "
        f"WHERE {' AND '.join(where)}",
        params,
    ).fetchone()


def _incidents(con, f: Filter, by: str) -> pd.DataFrame:
    """Incidents and alleged violations per period: the headline's counts by period."""
    where, params = f.where("f")
    violation, violation_params = f.violation_condition("f")
    rows = con.execute(
        f"""SELECT CAST(date_trunc('{by}', f.occurred_on) AS DATE) AS period,
                   count(*) AS incidents,
                   count(*) FILTER (WHERE {violation}) AS alleged_violations
            FROM incident_fact f WHERE {where} GROUP BY ALL ORDER BY period""",
        merge(violation_params, params),
    ).df()
    parts = []
    for column, series in (("incidents", INCIDENTS), ("alleged_violations", VIOLATIONS)):
        parts.append(
            pd.DataFrame(
                {
                    "period": rows.period,
                    "series": series,
                    "kind": "incidents",
                    "value": rows[column],
                    "units": "incidents",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _notes(result: SideBySide, f: Filter) -> list[str]:
    frame = result.frame
    tallies = frame[frame.kind == "tally"]
    notes = [TALLY_NOTE]
    per_reporter = [
        f"{reporter_label(series)}: {plural(int(part.tallies.sum()), 'tally')} on "
        f"{plural(int(part.days_covered.sum()), 'day')}"
        for series, part in tallies.groupby("series", sort=False)
    ]
    if per_reporter:
        notes.append(
            "; ".join(per_reporter) + " (each bulletin's wording of its unit is in the hover "
            "and the data download)."
        )
    if tallies.empty:
        notes.append(f"No tally on record for {result.governorate} in these dates.")
    missing = int(tallies.without_count.sum()) if not tallies.empty else 0
    if missing:
        notes.append(f"{missing} tallies name {result.governorate} without a count (not 0).")
    if result.left_out["spanning"]:
        notes.append(
            f"{result.left_out['spanning']} tallies cover more than one {result.by} and "
            "are not shown."
        )
    if result.left_out["twice"]:
        twice = result.left_out["twice"]
        notes.append(
            f"On {twice} day{'s' if twice > 1 else ''} a reporter has two bulletins' counts "
            "for the same day here (two relays of one bulletin?): both are summed; see the "
            "tallies on record."
        )
    totals, area_less = result.left_out["area_less"]
    if totals:
        notes.append(
            f"{totals} totals in these dates (a reporter's count for all the provinces it "
            f"names, {area_less} of them naming none) are not shown under a governorate."
        )
    ignored = incidents_only_note(f)
    if ignored:
        notes.append(ignored)
    return notes


def incidents_only_note(f: Filter) -> str:
    """Which of the view's conditions count incidents but not tallies (a tally never
    says by weapon or target, rarely whose violations), in a sentence; '' if none."""
    ignored = [
        name
        for name, value in (
            ("actor", f.actors),
            ("side", f.sides),
            ("weapon", f.weapons),
            ("target", f.target_types),
            ("status", f.verification),
            ("origin", f.origins),
        )
        if value
    ]
    if ignored or f.attribution != "any":
        return f"The {', '.join(ignored) or 'attribution'} condition(s) apply to incidents only."
    return ""
