"""Counts over periods: the before/after comparison around an agreement
(``ceasefire/analysis/compare.py``) and what changed this week (``ceasefire/analysis/changes.py``)."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pandas as pd

from ..filters import CLASH_GROUP, NO_MAJORITY, UNKNOWN_ACTOR, Filter
from ..sqlparams import Params, merge
from ..tables.derive import KINETIC_SQL
from .attribution import attributed_sql


def data_coverage(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple:
    """First and last incident date of the data a view draws on: the store's incidents
    of the filter's origins (and demo choice), whatever the filter's other conditions.
    A before/after window is cut to it, so days with no data are not counted as days
    without incidents."""
    where, params = Filter(origins=f.origins, include_demo=f.include_demo).where("f")
    return con.execute(
        f"SELECT min(f.occurred_on), max(f.occurred_on) FROM incident_fact f WHERE {where}",
        params,
    ).fetchone()


def uncovered_months(con: duckdb.DuckDBPyConnection, f: Filter) -> list:
    """The calendar months between the first and the last month of the data a view
    draws on (the store's incidents of the filter's origins and demo choice, whatever
    its other conditions) that hold no incident at all: months the data does not cover.

    A dataset for north-west Syria never has a month without a single event, so an empty
    month means the data stops and starts again (a 2018-2022 set and a 2023 import from
    June: January to May 2023); the timeline shows such months as not covered, never as
    months with zero incidents. A month with incidents, but none matching the view's
    other filters, is a real zero."""
    where, params = Filter(origins=f.origins, include_demo=f.include_demo).where("f")
    rows = con.execute(
        f"""WITH months AS (
                SELECT DISTINCT CAST(date_trunc('month', f.occurred_on) AS DATE) AS month
                FROM incident_fact f WHERE {where}),
            every AS (
                SELECT CAST(generate_series AS DATE) AS month
                FROM generate_series(
                    (SELECT CAST(min(month) AS TIMESTAMP) FROM months),
                    (SELECT CAST(max(month) AS TIMESTAMP) FROM months), INTERVAL 1 MONTH))
            SELECT month FROM every WHERE month NOT IN (SELECT month FROM months)
            ORDER BY month""",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def _clash_between_bound_sides(alias: str) -> str:
    """A clash (party claims only) with parties on two different sides the agreement
    (``$terms_agreement``) binds: ``derive.py``'s direction-undetermined rule, without
    dates."""
    return f"""({alias}.is_clash AND (
            SELECT count(DISTINCT a.side) FROM claim_fact cf
            JOIN actor a ON a.actor_id = cf.alleged_actor_id
            JOIN agreement ag ON ag.agreement_id = $terms_agreement
                 AND list_contains(ag.bound_sides, a.side)
            WHERE cf.incident_id = {alias}.incident_id AND cf.role = 'party') >= 2)"""


def meets_terms_sql(agreement_id: str, alias: str = "f") -> tuple[str, Params]:
    """The agreement's where / how / who conditions (``derive.py``) without its date
    condition, over ``incident_fact`` as ``alias``, and its parameter (the agreement id
    as ``$terms_agreement``: the view's own agreement filter, ``$agreement``, may name
    another). True for an incident that would count as an alleged violation of the
    agreement had it been in force on the incident's date: in its area, kinetic, and
    either alleged against a perpetrator on a side it binds or a clash between two
    sides it binds (direction undetermined)."""
    sql = f"""(list_contains({KINETIC_SQL}, {alias}.weapon)
        AND EXISTS (SELECT 1 FROM agreement_area ar WHERE ar.agreement_id = $terms_agreement
                    AND ar.governorate = {alias}.governorate
                    AND (ar.district IS NULL OR ar.district = {alias}.district))
        AND (EXISTS (SELECT 1 FROM incident_actor ia JOIN actor a ON a.actor_id = ia.actor_id
                     JOIN agreement ag ON list_contains(ag.bound_sides, a.side)
                     WHERE ia.incident_id = {alias}.incident_id
                       AND ag.agreement_id = $terms_agreement)
             OR {_clash_between_bound_sides(alias)}))"""
    return sql, {"terms_agreement": agreement_id}


#: The comparison's group of clashes between two bound sides (initiator not stated).
UNDETERMINED_GROUP = "Clashes between bound sides, initiator not stated"


def compare_counts_sql(
    f: Filter, on, days: int, agreement_id: str | None = None
) -> tuple[str, Params]:
    """Counts ``days`` before ``on`` (up to the day before) and from ``on`` (``days``
    days), overall ('all'), per side and per alleged actor under the attribution
    (clashes as their own group), and ('clash') the clashes between two sides the
    agreement binds, whose initiator no source states."""
    where, params = f.where("f")
    attributed, attributed_params = attributed_sql(f)
    if agreement_id:
        meets, meets_params = meets_terms_sql(agreement_id, "f")
        clash = _clash_between_bound_sides("f")
    else:
        meets, clash, meets_params = "false", "false", {}
    sums = """count(*) AS incidents, count(*) FILTER (WHERE fi.meets_terms) AS meets_terms,
               CAST(coalesce(sum(fi.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(fi.killed_max), 0) AS BIGINT) AS killed_max,
               CAST(coalesce(sum(fi.killed_best), 0) AS BIGINT) AS killed_best,
               count(*) FILTER (WHERE fi.killed_best IS NULL) AS without_killed_best"""
    sql = f"""
        WITH fi AS (
            SELECT f.*, CASE WHEN f.occurred_on < $on THEN 'before' ELSE 'after' END AS period,
                   {meets} AS meets_terms, {clash} AS undetermined
            FROM incident_fact f
            WHERE {where} AND f.occurred_on >= $window_start AND f.occurred_on < $window_end),
        attributed AS ({attributed}),
        per_side AS (SELECT DISTINCT incident_id, side FROM attributed),
        per_actor AS (SELECT DISTINCT incident_id, actor FROM attributed)
        SELECT 'all' AS breakdown, 'All' AS "group", fi.period, {sums}
        FROM fi GROUP BY ALL
        UNION ALL
        SELECT 'side', s.side, fi.period, {sums}
        FROM per_side s JOIN fi ON fi.incident_id = s.incident_id GROUP BY ALL
        UNION ALL
        SELECT 'actor', a.actor, fi.period, {sums}
        FROM per_actor a JOIN fi ON fi.incident_id = a.incident_id GROUP BY ALL
        UNION ALL
        SELECT 'clash', '{UNDETERMINED_GROUP}', fi.period, {sums}
        FROM fi WHERE fi.undetermined GROUP BY ALL
        ORDER BY 1, 2, 3"""
    window = {
        "on": on,
        "window_start": on - timedelta(days=days),
        "window_end": on + timedelta(days=days),
    }
    return sql, merge(window, meets_params, params, attributed_params)


def compare_counts(
    con: duckdb.DuckDBPyConnection, f: Filter, on, days: int, agreement_id: str | None = None
) -> pd.DataFrame:
    """breakdown, group, period ('before'/'after'), incidents, meets_terms, killed_min,
    killed_max, killed_best (the sum of best estimates where one is given) and
    without_killed_best (incidents with none); groups with no incident in either window
    are absent."""
    sql, params = compare_counts_sql(f, on, days, agreement_id)
    return con.execute(sql, params).df()


# --- what changed this week (ceasefire/analysis/changes.py) -------------------------------------

_AREA = "coalesce(fi.district, fi.governorate, '(unknown)')"
_GROUP_KEYS = {
    "governorate": "coalesce(fi.governorate, '(unknown governorate)')",
    "district": "coalesce(fi.district, '(unknown district)')",
    "actor": "attributed.actor",
}


def _weekly_cte(f: Filter, start, end, by: str) -> tuple[str, Params]:
    """``keyed``: one row per incident and group (distinct), with its week and area."""
    if by not in _GROUP_KEYS:
        raise ValueError(f"by must be one of {', '.join(_GROUP_KEYS)}, not {by!r}")
    where, params = f.where("f")
    attributed, attributed_params = attributed_sql(f)
    source = "fi JOIN attributed ON attributed.incident_id = fi.incident_id"
    sql = f"""
        WITH fi AS (SELECT * FROM incident_fact f
                    WHERE {where} AND f.occurred_on >= $window_start AND f.occurred_on < $window_end),
        attributed AS ({attributed}),
        keyed AS (
            SELECT DISTINCT fi.incident_id, {_GROUP_KEYS[by]} AS grp,
                   CAST(date_trunc('week', fi.occurred_on) AS DATE) AS week
            FROM {source if by == "actor" else "fi"}),
        pairs AS (
            SELECT DISTINCT fi.incident_id, attributed.actor, {_AREA} AS area,
                   CAST(date_trunc('week', fi.occurred_on) AS DATE) AS week
            FROM {source}
            WHERE attributed.actor NOT IN ('{UNKNOWN_ACTOR}', '{CLASH_GROUP}', '{NO_MAJORITY}'))"""
    window = {"window_start": start, "window_end": end}
    return sql, merge(params, window, attributed_params)


def weekly_changes_sql(f: Filter, week, by: str) -> tuple[str, Params]:
    """The chosen week's count per group and its previous 4 and 52 weeks' counts, and
    (second statement's rows, ``kind = 'pair'``) actor x area counts for emerging actors."""
    start = week - timedelta(weeks=52)
    cte, params = _weekly_cte(f, start, week + timedelta(days=7), by)
    sql = f"""{cte}
        SELECT 'group' AS kind, grp, NULL AS actor, NULL AS area,
               count(*) FILTER (WHERE week = $week) AS week_count,
               count(*) FILTER (WHERE week < $week AND week >= $four_weeks_before) AS n_4w,
               count(*) FILTER (WHERE week < $week) AS n_52w
        FROM keyed GROUP BY ALL
        UNION ALL
        SELECT 'pair', NULL, actor, area, count(*) FILTER (WHERE week = $week),
               NULL, count(*) FILTER (WHERE week < $week)
        FROM pairs GROUP BY ALL"""
    weeks = {"week": week, "four_weeks_before": week - timedelta(weeks=4)}
    return sql, merge(params, weeks)


def weekly_changes(
    con: duckdb.DuckDBPyConnection, f: Filter, week, by: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts: grp, week_count, n_4w, n_52w; pairs: actor, area, this_week, before)."""
    sql, params = weekly_changes_sql(f, week, by)
    both = con.execute(sql, params).df()
    groups = both[both.kind == "group"][["grp", "week_count", "n_4w", "n_52w"]]
    pairs = both[both.kind == "pair"].rename(columns={"week_count": "this_week", "n_52w": "before"})
    return groups.reset_index(drop=True), pairs[["actor", "area", "this_week", "before"]]


def weekly_counts(con: duckdb.DuckDBPyConnection, f: Filter, start, end, by: str) -> pd.DataFrame:
    """grp, week, incidents: weekly counts per group from ``start`` to before ``end``."""
    cte, params = _weekly_cte(f, start, end, by)
    sql = f"{cte} SELECT grp, week, count(*) AS incidents FROM keyed GROUP BY ALL ORDER BY 1, 2"
    df = con.execute(sql, params).df()
    df["week"] = pd.to_datetime(df.week).dt.date
    return df
