"""The Overview's figures: headline counts and ranges, the timeline, target types, the
actor x target matrix, clash pairs, per-district counts, and the combined queries the
Overview runs (``summary``, ``attributed_counts``); ``sql_for`` names them for the CLI."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import CLASH_GROUP, CLASH_SIDE, UNKNOWN_ACTOR, Filter
from ..sqlparams import Params, merge
from ..tables.derive import CLASH_ACTOR_ID
from ..taxonomy import CASUALTY_FIELDS
from .attribution import COUNT_INCIDENTS, with_attributed

TIME_UNITS = ("day", "week", "month")


def _headline_aggregates(f: Filter) -> tuple[str, Params]:
    """The headline's aggregate columns (shared by ``headline_sql`` and ``summary_sql``,
    so the Overview's combined query cannot drift from the headline)."""
    violation, violation_params = f.violation_condition("f")
    sql = f"""count(*) AS incidents,
               count(*) FILTER (WHERE {violation}) AS alleged_violations,
               count(*) FILTER (WHERE f.is_disputed) AS disputed,
               CAST(coalesce(sum(f.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(f.killed_max), 0) AS BIGINT) AS killed_max,
               CAST(coalesce(sum(f.wounded_min), 0) AS BIGINT) AS wounded_min,
               CAST(coalesce(sum(f.wounded_max), 0) AS BIGINT) AS wounded_max,
               CAST(coalesce(sum(f.civilians_killed_min), 0) AS BIGINT) AS civilians_killed_min,
               CAST(coalesce(sum(f.civilians_killed_max), 0) AS BIGINT) AS civilians_killed_max,
               count(*) FILTER (WHERE f.killed_min IS NULL AND f.killed_max IS NULL)
                   AS without_killed_figure,
               count(*) FILTER (WHERE NOT f.has_coordinates) AS without_coordinates,
               count(*) FILTER (WHERE f.n_alleged_actors = 0 AND NOT f.is_clash)
                   AS without_alleged_actor,
               count(*) FILTER (WHERE f.is_demo) AS demo,
               count(*) FILTER (WHERE f.is_clash) AS clashes,
               count(*) FILTER (WHERE {violation} AND f.direction_undetermined)
                   AS clashes_direction_undetermined,
               count(*) FILTER (WHERE f.awaiting_review) AS awaiting_review,
               CAST(coalesce(sum(f.killed_best), 0) AS BIGINT) AS killed_best,
               count(*) FILTER (WHERE f.killed_best IS NULL) AS without_killed_best,
               min(f.occurred_on) AS first_date, max(f.occurred_on) AS last_date"""
    return sql, violation_params


def headline_sql(f: Filter) -> tuple[str, Params]:
    where, params = f.where("f")
    aggregates, aggregate_params = _headline_aggregates(f)
    sql = f"""
        SELECT {aggregates}
        FROM incident_fact f WHERE {where}"""
    return sql, merge(aggregate_params, params)


def headline(con: duckdb.DuckDBPyConnection, f: Filter) -> dict:
    """Counts and casualty ranges (sums of per-incident minima and maxima)."""
    sql, params = headline_sql(f)
    return con.execute(sql, params).df().iloc[0].to_dict()


def _check_by(by: str) -> None:
    """``by`` is spliced into SQL (date_trunc's unit), so only known units pass."""
    if by not in TIME_UNITS:
        raise ValueError(f"by must be one of {', '.join(TIME_UNITS)}, not {by!r}")


def timeline_sql(f: Filter, by: str = "week") -> tuple[str, Params]:
    _check_by(by)
    return with_attributed(
        f,
        f"SELECT CAST(date_trunc('{by}', occurred_on) AS DATE) AS period, actor, side, "
        f"{COUNT_INCIDENTS} FROM attributed GROUP BY ALL ORDER BY period, actor",
    )


def timeline(con: duckdb.DuckDBPyConnection, f: Filter, by: str = "week") -> pd.DataFrame:
    """Incidents per period and alleged actor (under the filter's attribution)."""
    sql, params = timeline_sql(f, by)
    return con.execute(sql, params).df()


def target_types_sql(f: Filter) -> tuple[str, Params]:
    where, params = f.where("f")
    violation, violation_params = f.violation_condition("f")
    sql = f"""
        SELECT f.target_type, count(*) AS incidents,
               count(*) FILTER (WHERE {violation}) AS alleged_violations,
               CAST(coalesce(sum(f.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(f.killed_max), 0) AS BIGINT) AS killed_max
        FROM incident_fact f WHERE {where} GROUP BY ALL ORDER BY incidents DESC, target_type"""
    return sql, merge(violation_params, params)


def target_types(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Incidents and alleged violations per target type."""
    sql, params = target_types_sql(f)
    return con.execute(sql, params).df()


def actor_target_sql(f: Filter) -> tuple[str, Params]:
    return with_attributed(
        f,
        f"SELECT actor, side, target_type, {COUNT_INCIDENTS} "
        "FROM attributed GROUP BY ALL ORDER BY actor, target_type",
    )


def actor_target(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """The actor x target-type matrix, long form."""
    sql, params = actor_target_sql(f)
    return con.execute(sql, params).df()


def attributed_counts_sql(f: Filter, by: str = "week") -> tuple[str, Params]:
    """``timeline_sql`` and ``actor_target_sql`` as one query (GROUPING SETS).

    Rows with ``by_target = 0`` are the timeline's, ordered by period and actor; rows
    with ``by_target = 1`` the actor x target matrix, ordered by actor and target type
    (their period is NULL, the timeline's target_type is NULL)."""
    _check_by(by)
    if f.attribution == "any" and not f.stated_only:
        return _any_attributed_counts_sql(f, by)
    return with_attributed(
        f,
        f"SELECT CAST(date_trunc('{by}', occurred_on) AS DATE) AS period, actor, side, "
        f"target_type, {COUNT_INCIDENTS}, grouping(period) AS by_target FROM attributed "
        "GROUP BY GROUPING SETS ((period, actor, side), (actor, side, target_type)) "
        "ORDER BY by_target, period, actor, target_type",
    )


def _any_attributed_counts_sql(f: Filter, by: str) -> tuple[str, Params]:
    """``attributed_counts_sql`` under 'any' attribution: a scan of ``incident_actor_fact``.

    That table holds the filtered incidents' join to their actors ready made (one row
    per incident and actor, actor NULL when none is named, with every column the
    filter reads), so the counts need no join (timings: bench/README.md).
    Counting by actor id and naming the few groups afterwards (summed per name and
    side, so equal to grouping the named rows) spares string keys on every row. An
    actor filter keeps the rows of the matching actors, which is what the join of the
    selected incidents to their actors, restricted to those actors, gives."""
    where, params = f.with_(actors=(), sides=()).where("f")
    match, match_params = f.actor_match("a")
    keep = ""
    if f.actors or f.sides:
        keep = f"AND f.actor_id IN (SELECT a.actor_id FROM actor a WHERE {match})"
    sql = f"""
        WITH counts AS (
            SELECT CAST(date_trunc('{by}', f.occurred_on) AS DATE) AS period, f.actor_id,
                   f.target_type, count(*) AS n, grouping(period) AS by_target
            FROM incident_actor_fact f WHERE {where} {keep}
            GROUP BY GROUPING SETS ((period, f.actor_id), (f.actor_id, f.target_type)))
        SELECT period,
               CASE counts.actor_id WHEN {CLASH_ACTOR_ID} THEN '{CLASH_GROUP}'
                    ELSE coalesce(a.name, '{UNKNOWN_ACTOR}') END AS actor,
               CASE counts.actor_id WHEN {CLASH_ACTOR_ID} THEN '{CLASH_SIDE}'
                    ELSE coalesce(a.side, 'unknown') END AS side, target_type,
               CAST(sum(n) AS BIGINT) AS incidents, by_target
        FROM counts LEFT JOIN actor a ON a.actor_id = counts.actor_id
        GROUP BY ALL ORDER BY by_target, period, actor, target_type"""
    return sql, merge(params, match_params if keep else {})


def clash_pairs_sql(f: Filter, by: str = "week") -> tuple[str, Params]:
    _check_by(by)
    where, params = f.where("f")
    sql = f"""
        SELECT CAST(date_trunc('{by}', f.occurred_on) AS DATE) AS period, f.clash_pair,
               count(*) AS incidents
        FROM incident_fact f WHERE {where} AND f.is_clash
        GROUP BY ALL ORDER BY period, incidents DESC, f.clash_pair"""
    return sql, params


def clash_pairs(con: duckdb.DuckDBPyConnection, f: Filter, by: str = "week") -> pd.DataFrame:
    """The clashes the by-actor charts count as one group, per period and pair of parties
    (for the hover). Empty under an actor or side filter: those select perpetrators, so
    the view holds no clash group."""
    if f.actors or f.sides:
        return pd.DataFrame({"period": [], "clash_pair": [], "incidents": []})
    sql, params = clash_pairs_sql(f, by)
    return con.execute(sql, params).df()


def attributed_counts(
    con: duckdb.DuckDBPyConnection, f: Filter, by: str = "week"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``timeline(f, by)``, ``actor_target(f)``), equal to theirs, from one query.

    Both count the filtered incidents joined to their actors; the join is most of their
    cost (at a million incidents about 250 ms each), so the Overview makes it once."""
    sql, params = attributed_counts_sql(f, by)
    both = con.execute(sql, params).df()
    by_target = both["by_target"] == 1
    timeline_rows = both.loc[~by_target, ["period", "actor", "side", "incidents"]]
    matrix_rows = both.loc[by_target, ["actor", "side", "target_type", "incidents"]]
    return timeline_rows.reset_index(drop=True), matrix_rows.reset_index(drop=True)


#: Columns of ``target_types()``, in its order.
_TARGET_TYPE_COLUMNS = [
    "target_type",
    "incidents",
    "alleged_violations",
    "killed_min",
    "killed_max",
]
#: The headline's counts and sums (every column but its dates): a total is their sum.
_HEADLINE_SUMS = (
    "incidents",
    "alleged_violations",
    "disputed",
    *CASUALTY_FIELDS,
    "without_killed_figure",
    "without_coordinates",
    "without_alleged_actor",
    "demo",
    "clashes",
    "clashes_direction_undetermined",
    "awaiting_review",
    "killed_best",
    "without_killed_best",
)


def _filter_has_semi_join(f: Filter) -> bool:
    """True when ``f.where()`` holds a subquery over claims or actors (an actor or side
    filter, or source attribution): then a second scan repeats that semi-join."""
    return bool(f.actors or f.sides) or f.attribution == "source"


def summary_sql(f: Filter) -> tuple[str, Params]:
    """``headline_sql``, ``target_types_sql`` and ``origins_in_view`` as one query.

    One scan groups the filtered incidents by target type with every headline column;
    the headline (the row with ``is_total = 1``, first, also when nothing matches) sums
    those few rows (every column is a count, a sum, a min or a max). GROUPING SETS
    would materialise the filtered rows. The origins come from ``origins_key`` (the
    origins as one string, cheaper to read than every row's list): a separate scan
    that reads only that column, unless the filter has a semi-join, which a second scan
    would repeat (then the keys are gathered in the one scan)."""
    where, params = f.where("f")
    aggregates, aggregate_params = _headline_aggregates(f)
    totals = ", ".join(f"CAST(coalesce(sum({c}), 0) AS BIGINT) AS {c}" for c in _HEADLINE_SUMS)
    columns = ", ".join(_HEADLINE_SUMS)
    one_scan = _filter_has_semi_join(f)
    if one_scan:
        lists, keys = ", list(DISTINCT f.origins_key) AS origin_keys", "flatten(list(origin_keys))"
    else:
        keys = f"(SELECT list(DISTINCT f.origins_key) FROM incident_fact f WHERE {where})"
        lists = ""
    # origins_key is 'acled;ucdp': split the few distinct keys into origins
    origins = f"list_distinct(flatten(list_transform({keys}, lambda k: string_split(k, ';'))))"
    sql = f"""
        WITH per_type AS (
            SELECT f.target_type, {aggregates}{lists}
            FROM incident_fact f WHERE {where} GROUP BY ALL)
        SELECT NULL::VARCHAR AS target_type, 1 AS is_total, {totals},
               min(first_date) AS first_date, max(last_date) AS last_date,
               coalesce(list_sort({origins}), []::VARCHAR[]) AS origins
        FROM per_type
        UNION ALL
        SELECT target_type, 0, {columns}, first_date, last_date, NULL FROM per_type
        ORDER BY is_total DESC, incidents DESC, target_type"""
    return sql, merge(aggregate_params, params)


def summary(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple[dict, pd.DataFrame, list[str]]:
    """(``headline(f)``, ``target_types(f)``, ``origins_in_view(f)``), equal to theirs.

    Each of the three scans the filtered incidents (at a million, 25-70 ms each on a
    loaded machine); the Overview makes one round trip and two scans instead."""
    sql, params = summary_sql(f)
    both = con.execute(sql, params).df()
    total = both["is_total"] == 1
    head_columns = [*_HEADLINE_SUMS, "first_date", "last_date"]
    head = both.loc[total, head_columns].iloc[0].to_dict()
    types = both.loc[~total, _TARGET_TYPE_COLUMNS].reset_index(drop=True)
    return head, types, [str(o) for o in both.loc[total, "origins"].iloc[0]]


def district_counts_sql(f: Filter) -> tuple[str, Params]:
    where, params = f.where("f")
    sql = f"""
        SELECT f.governorate, f.district, count(*) AS incidents,
               CAST(coalesce(sum(f.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(f.killed_max), 0) AS BIGINT) AS killed_max
        FROM incident_fact f WHERE {where}
        GROUP BY ALL ORDER BY incidents DESC, f.governorate, f.district"""
    return sql, params


def district_counts(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Incidents and killed ranges per governorate and district (the district map);
    a NULL district row counts the incidents whose district is unknown."""
    sql, params = district_counts_sql(f)
    return con.execute(sql, params).df()


QUERIES = {
    "headline": headline_sql,
    "timeline": timeline_sql,
    "target-types": target_types_sql,
    "actor-target": actor_target_sql,
}


def sql_for(name: str, f: Filter, **options) -> tuple[str, Params]:
    """The exact SQL and named parameters behind a named figure, for reproduction
    (``sqlparams.positional`` gives it with ``?`` marks, as the CLI prints it)."""
    return QUERIES[name](f, **options)
