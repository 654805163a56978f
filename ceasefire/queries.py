"""Every read the app, the exports and the CLI make: one place, one filter type.

Each function takes a connection and a ``Filter`` and returns the small frame one chart
or table needs, computed by one parameterised DuckDB query over the derived tables; no
function loads the incident table into pandas. ``sql_for()`` returns a query's text and
parameters, so a researcher can re-run exactly what produced a figure
(``python -m ceasefire sql timeline ...``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import duckdb
import pandas as pd

from . import taxonomy
from .agreements import agreement_names
from .derive import _KINETIC, CLASH_ACTOR_ID
from .filters import CLASH_GROUP, CLASH_SIDE, NO_MAJORITY, UNKNOWN_ACTOR, Filter
from .taxonomy import CASUALTY_FIELDS, KINETIC_WEAPONS

TIME_UNITS = ("day", "week", "month")
#: The kinetic weapons as a SQL list literal (fixed vocabulary, never user input).
_KINETIC_LIST = "[" + ", ".join(f"'{w}'" for w in KINETIC_WEAPONS) + "]"
#: Above this many matching incidents the map shows counts on a grid, not points.
MAP_POINT_LIMIT = 5_000
MAP_GRID_DEGREES = 0.05


def _actor_name(actor: str, fact: str) -> str:
    """An attributed row's group: the actor's name; the clash group for a clash (its
    parties are never shown as perpetrators); Unknown when no one is named."""
    return (
        f"coalesce({actor}.name, CASE WHEN {fact}.is_clash THEN '{CLASH_GROUP}' "
        f"ELSE '{UNKNOWN_ACTOR}' END)"
    )


def _side(actor: str, fact: str) -> str:
    return (
        f"coalesce({actor}.side, CASE WHEN {fact}.is_clash THEN '{CLASH_SIDE}' ELSE 'unknown' END)"
    )


def _attributed(f: Filter) -> tuple[str, list]:
    """A CTE body: (incident_id, occurred_on, target_type, actor, side) under the
    attribution; restricted to the filtered actors/sides when those are set."""
    match, match_params = f.actor_match("a")
    has_actor_filter = bool(f.actors or f.sides)
    if f.attribution == "majority":
        actor = (
            f"CASE WHEN fi.majority_is_tie THEN '{NO_MAJORITY}' "
            f"WHEN fi.is_clash THEN '{CLASH_GROUP}' "
            f"ELSE coalesce(a.name, '{UNKNOWN_ACTOR}') END"
        )
        # leaving out inferred attributions: a majority actor only inferred is not named
        inferred = (
            "LEFT JOIN incident_actor im ON im.incident_id = fi.incident_id "
            "AND im.actor_id = fi.majority_actor_id "
            if f.stated_only
            else ""
        )
        sql = (
            f"SELECT fi.incident_id, fi.occurred_on, fi.target_type, {actor} AS actor, "
            f"{_side('a', 'fi')} AS side FROM fi {inferred}"
            "LEFT JOIN actor a ON a.actor_id = fi.majority_actor_id"
            + (" AND NOT coalesce(im.inferred_only, false)" if f.stated_only else "")
        )
        return sql, []
    if f.attribution == "source":
        # the named source's perpetrator claims; its party claims count as a clash
        sql = (
            "SELECT DISTINCT fi.incident_id, fi.occurred_on, fi.target_type, "
            f"{_actor_name('a', 'fi')} AS actor, {_side('a', 'fi')} AS side "
            "FROM fi JOIN claim_fact cf ON cf.incident_id = fi.incident_id "
            "JOIN source s ON s.source_id = cf.source_id AND s.name = ? "
            f"LEFT JOIN actor a ON a.actor_id = cf.alleged_actor_id AND {f.claim_basis('cf')}"
        )
        params = [f.attribution_source]
        if has_actor_filter:
            sql += f" WHERE {match}"
            params += match_params
        return sql, params
    sql = (
        "SELECT fi.incident_id, fi.occurred_on, fi.target_type, "
        f"{_actor_name('a', 'fi')} AS actor, {_side('a', 'fi')} AS side "
        "FROM fi LEFT JOIN incident_actor ia ON ia.incident_id = fi.incident_id "
        f"{'AND NOT ia.inferred_only ' if f.stated_only else ''}"
        "LEFT JOIN actor a ON a.actor_id = ia.actor_id"
    )
    if has_actor_filter:
        sql += f" WHERE {match}"
        return sql, match_params
    return sql, []


#: Rows of ``attributed`` are unique per (incident, actor): incident_actor has one row
#: per pair, majority one row per incident, and the source mode selects DISTINCT. So
#: counting rows per group equals counting distinct incidents, without the cost of a
#: DISTINCT aggregate (about 3x the time at a million incidents).
_COUNT_INCIDENTS = "count(*) AS incidents"


def _with_attributed(f: Filter, select: str) -> tuple[str, list]:
    where, params = f.where("f")
    attributed, attributed_params = _attributed(f)
    sql = (
        f"WITH fi AS (SELECT * FROM incident_fact f WHERE {where}), "
        f"attributed AS ({attributed}) {select}"
    )
    return sql, params + attributed_params


# --- the figures ---------------------------------------------------------------------


def _headline_aggregates(f: Filter) -> tuple[str, list]:
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
    return sql, violation_params + violation_params


def headline_sql(f: Filter) -> tuple[str, list]:
    where, params = f.where("f")
    aggregates, aggregate_params = _headline_aggregates(f)
    sql = f"""
        SELECT {aggregates}
        FROM incident_fact f WHERE {where}"""
    return sql, aggregate_params + params


def headline(con: duckdb.DuckDBPyConnection, f: Filter) -> dict:
    """Counts and casualty ranges (sums of per-incident minima and maxima)."""
    sql, params = headline_sql(f)
    return con.execute(sql, params).df().iloc[0].to_dict()


def _check_by(by: str) -> None:
    """``by`` is spliced into SQL (date_trunc's unit), so only known units pass."""
    if by not in TIME_UNITS:
        raise ValueError(f"by must be one of {', '.join(TIME_UNITS)}, not {by!r}")


def timeline_sql(f: Filter, by: str = "week") -> tuple[str, list]:
    _check_by(by)
    return _with_attributed(
        f,
        f"SELECT CAST(date_trunc('{by}', occurred_on) AS DATE) AS period, actor, side, "
        f"{_COUNT_INCIDENTS} FROM attributed GROUP BY ALL ORDER BY period, actor",
    )


def timeline(con: duckdb.DuckDBPyConnection, f: Filter, by: str = "week") -> pd.DataFrame:
    """Incidents per period and alleged actor (under the filter's attribution)."""
    sql, params = timeline_sql(f, by)
    return con.execute(sql, params).df()


def target_types_sql(f: Filter) -> tuple[str, list]:
    where, params = f.where("f")
    violation, violation_params = f.violation_condition("f")
    sql = f"""
        SELECT f.target_type, count(*) AS incidents,
               count(*) FILTER (WHERE {violation}) AS alleged_violations,
               CAST(coalesce(sum(f.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(f.killed_max), 0) AS BIGINT) AS killed_max
        FROM incident_fact f WHERE {where} GROUP BY ALL ORDER BY incidents DESC, target_type"""
    return sql, violation_params + params


def target_types(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Incidents and alleged violations per target type."""
    sql, params = target_types_sql(f)
    return con.execute(sql, params).df()


def actor_target_sql(f: Filter) -> tuple[str, list]:
    return _with_attributed(
        f,
        f"SELECT actor, side, target_type, {_COUNT_INCIDENTS} "
        "FROM attributed GROUP BY ALL ORDER BY actor, target_type",
    )


def actor_target(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """The actor x target-type matrix, long form."""
    sql, params = actor_target_sql(f)
    return con.execute(sql, params).df()


def attributed_counts_sql(f: Filter, by: str = "week") -> tuple[str, list]:
    """``timeline_sql`` and ``actor_target_sql`` as one query (GROUPING SETS).

    Rows with ``by_target = 0`` are the timeline's, ordered by period and actor; rows
    with ``by_target = 1`` the actor x target matrix, ordered by actor and target type
    (their period is NULL, the timeline's target_type is NULL)."""
    _check_by(by)
    if f.attribution == "any" and not f.stated_only:
        return _any_attributed_counts_sql(f, by)
    return _with_attributed(
        f,
        f"SELECT CAST(date_trunc('{by}', occurred_on) AS DATE) AS period, actor, side, "
        f"target_type, {_COUNT_INCIDENTS}, grouping(period) AS by_target FROM attributed "
        "GROUP BY GROUPING SETS ((period, actor, side), (actor, side, target_type)) "
        "ORDER BY by_target, period, actor, target_type",
    )


def _any_attributed_counts_sql(f: Filter, by: str) -> tuple[str, list]:
    """``attributed_counts_sql`` under 'any' attribution: a scan of ``incident_actor_fact``.

    That table holds the filtered incidents' join to their actors ready made (one row
    per incident and actor, actor NULL when none is named, with every column the
    filter reads), so the counts need no join: at a million incidents 186 -> ~50 ms.
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
    return sql, params + (match_params if keep else [])


def clash_pairs_sql(f: Filter, by: str = "week") -> tuple[str, list]:
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


def summary_sql(f: Filter) -> tuple[str, list]:
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
    return sql, aggregate_params + params + ([] if one_scan else params)


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


def map_sql(f: Filter, binned: bool) -> tuple[str, list]:
    where, params = f.where("f")
    if binned:
        g = MAP_GRID_DEGREES
        sql = f"""
            SELECT round(f.latitude / {g}) * {g} AS latitude,
                   round(f.longitude / {g}) * {g} AS longitude,
                   count(*) AS incidents, bool_or(f.is_disputed) AS any_disputed
            FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL
              AND f.longitude IS NOT NULL
            GROUP BY ALL ORDER BY latitude, longitude"""
        return sql, params
    # points: each with the actor it counts under in the filter's attribution (the
    # map colours by it); an incident counted under several is 'Several actors'
    attributed, attributed_params = _attributed(f)
    sql = f"""
        WITH fi AS (SELECT * FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL
                    AND f.longitude IS NOT NULL),
        attributed AS ({attributed}),
        actors AS (
            SELECT incident_id, CASE WHEN count(DISTINCT actor) > 1 THEN 'Several actors'
                                     ELSE any_value(actor) END AS actor
            FROM attributed GROUP BY ALL)
        SELECT fi.incident_id, fi.occurred_on, fi.latitude, fi.longitude, fi.weapon,
               fi.target_type, fi.is_disputed, 1 AS incidents, actors.actor
        FROM fi LEFT JOIN actors ON actors.incident_id = fi.incident_id
        ORDER BY fi.occurred_on, fi.incident_id"""
    return sql, params + attributed_params


def map_frame(
    con: duckdb.DuckDBPyConnection, f: Filter, located: int | None = None
) -> tuple[pd.DataFrame, bool]:
    """Points to map, or grid-cell counts when more than MAP_POINT_LIMIT match.

    Returns (frame, binned). Incidents without coordinates are counted by ``headline``
    (``without_coordinates``) and stated on the page, never silently left off.
    ``located``: how many matching incidents have coordinates, when the caller already
    knows it from the headline (incidents - without_coordinates); saves a scan."""
    where, params = f.where("f")
    n = located
    if n is None:
        n = con.execute(
            f"SELECT count(*) FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL "
            "AND f.longitude IS NOT NULL",
            params,
        ).fetchone()[0]
    binned = n > MAP_POINT_LIMIT
    sql, params = map_sql(f, binned)
    return con.execute(sql, params).df(), binned


#: How the Incidents table can be ordered (over the whole filtered set, in DuckDB): a
#: label and the sort keys (column, ascending?, nulls last?). Each ends on the id, so
#: the order is total and a page never repeats or skips a row.
_ORDER_KEYS = {
    "newest": ("Newest first", [("f.occurred_on", False, True), ("f.incident_id", False, True)]),
    "oldest": ("Oldest first", [("f.occurred_on", True, True), ("f.incident_id", True, True)]),
    "killed": (
        "Most killed (upper figure)",
        [
            ("f.killed_max", False, True),
            ("f.occurred_on", False, True),
            ("f.incident_id", False, True),
        ],
    ),
    "claims": (
        "Most claims",
        [
            ("f.n_claims", False, True),
            ("f.occurred_on", False, True),
            ("f.incident_id", False, True),
        ],
    ),
    "place": (
        "Place, A to Z",
        [
            ("i.place_name", True, True),
            ("f.occurred_on", False, True),
            ("f.incident_id", False, True),
        ],
    ),
}


def _order_sql(keys, reverse: bool = False, alias: str | None = None) -> str:
    parts = []
    for column, ascending, nulls_last in keys:
        if alias:
            column = f"{alias}.{column.split('.', 1)[1]}"
        if reverse:
            ascending, nulls_last = not ascending, not nulls_last
        parts.append(
            f"{column} {'ASC' if ascending else 'DESC'} NULLS {'LAST' if nulls_last else 'FIRST'}"
        )
    return ", ".join(parts)


INCIDENT_ORDERS = {key: (label, _order_sql(keys)) for key, (label, keys) in _ORDER_KEYS.items()}
#: Older names of the orders (links and callers from before the page had paging).
_ORDER_ALIASES = {"date": "newest"}


def _order_keys(order_by: str) -> list:
    key = _ORDER_ALIASES.get(order_by, order_by)
    if key not in _ORDER_KEYS:
        raise ValueError(f"order_by must be one of {', '.join(_ORDER_KEYS)}, not {order_by!r}")
    return _ORDER_KEYS[key][1]


def _order(order_by: str) -> str:
    return _order_sql(_order_keys(order_by))


def search_words(text: str | None) -> list[str]:
    """The words of a search box, lower-cased; every one of them must be found."""
    return [w for w in (text or "").lower().split() if w][:8]


def search_condition(text: str | None, alias: str = "f") -> tuple[str, list]:
    """Incidents (canonical ids, as ``alias.incident_id``) whose place name, description,
    claim quotes or source names contain every word of ``text`` (case-insensitive; a
    word may match in any of the four). The words travel as parameters; ``strpos``
    matches them literally (no LIKE wildcards to escape). Claims and places of a
    linked record count for the canonical incident it is linked to."""
    words = search_words(text)
    if not words:
        return "true", []
    parts, params = [], []
    for word in words:
        parts.append(
            f"""{alias}.incident_id IN (
                SELECT coalesce(i.linked_to, i.incident_id) FROM incident i
                WHERE strpos(lower(i.place_name), ?) > 0 OR strpos(lower(i.description), ?) > 0
                UNION ALL
                SELECT coalesce(i.linked_to, i.incident_id) FROM claim c
                JOIN incident i USING (incident_id) WHERE strpos(lower(c.quote), ?) > 0
                UNION ALL
                SELECT cf.incident_id FROM claim_fact cf WHERE cf.source_id IN
                    (SELECT s.source_id FROM source s WHERE strpos(lower(s.name), ?) > 0))"""
        )
        params += [word] * 4
    return " AND ".join(parts), params


def _counted_under(f: Filter) -> tuple[str, list]:
    """CTEs ``fi`` (must be defined before) -> ``counted``: per incident, the actors the
    charts count it under for the filter's attribution (``_attributed``, the same rows
    the timeline and the actor x target matrix count), joined with '; '."""
    attributed, params = _attributed(f)
    sql = (
        f"attributed AS ({attributed}), counted AS (SELECT incident_id, "
        "string_agg(DISTINCT actor, '; ' ORDER BY actor) AS counted_under "
        "FROM attributed GROUP BY incident_id)"
    )
    return sql, params


def incidents_sql(
    f: Filter,
    limit: int = 1000,
    offset: int = 0,
    order_by: str = "newest",
    search: str | None = None,
    total: int | None = None,
) -> tuple[str, list]:
    """One page of the filtered (and searched) incidents in the chosen order.

    The page is cut first (ORDER BY ... LIMIT over the narrow fact table; the incident
    table is joined first only to sort by place), then only its rows get their place,
    actors and counted-under actors, so a page costs about the same at a thousand
    incidents as at a million. ``total`` (the count, when the caller has it): a page in
    the second half is cut in the reverse order from the end, so the last page costs
    what the first does instead of a sort of every row."""
    keys = _order_keys(order_by)
    reverse = total is not None and offset > total / 2
    if reverse:
        offset, limit = max(0, total - offset - limit), max(0, min(limit, total - offset))
    by_place = any(column.startswith("i.") for column, _, _ in keys)
    join = "JOIN incident i USING (incident_id)" if by_place else ""
    where, params = f.where("f")
    found, found_params = search_condition(search, "f")
    counted, counted_params = _counted_under(f)
    sql = f"""
        WITH page AS (
            SELECT f.* FROM incident_fact f {join}
            WHERE {where} AND {found}
            ORDER BY {_order_sql(keys, reverse)} LIMIT ? OFFSET ?),
        fi AS (SELECT * FROM page), {counted}
        SELECT f.incident_id, f.occurred_on, i.place_name, f.governorate, f.district,
               f.weapon, f.target_type, f.verification, f.is_disputed,
               (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM incident_actor ia
                JOIN actor a USING (actor_id) WHERE ia.incident_id = f.incident_id) AS alleged_actors,
               (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM claim_fact cf
                JOIN actor a ON a.actor_id = cf.alleged_actor_id
                WHERE cf.incident_id = f.incident_id AND cf.role = 'party') AS parties,
               f.is_clash AS clash_initiator_not_stated, f.clash_pair,
               f.direction_undetermined, f.awaiting_review,
               c.counted_under,
               f.n_claims, f.killed_min, f.killed_max, f.killed_best, f.wounded_min, f.wounded_max,
               f.civilians_killed_min, f.civilians_killed_max,
               array_to_string(f.origins, '; ') AS origins, i.origin_id,
               array_to_string(f.violated_agreements, '; ') AS violated_agreements,
               f.latitude, f.longitude, f.is_demo
        FROM page f JOIN incident i USING (incident_id) LEFT JOIN counted c USING (incident_id)
        ORDER BY {_order_sql(keys)}"""
    return sql, params + found_params + [limit, offset] + counted_params


def incidents(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    limit: int = 1000,
    offset: int = 0,
    order_by: str = "newest",
    search: str | None = None,
    total: int | None = None,
) -> pd.DataFrame:
    """One page of the filtered incidents, with their alleged actors, the actors the
    charts count them under (``counted_under``, for the filter's attribution) and their
    casualty ranges. ``total``: the count of the filtered incidents, if known (makes
    late pages as cheap as early ones)."""
    sql, params = incidents_sql(f, limit, offset, order_by, search, total)
    return con.execute(sql, params).df()


def incident_count(con: duckdb.DuckDBPyConnection, f: Filter, search: str | None = None) -> int:
    """How many incidents the filters and the search select (the table's total)."""
    where, params = f.where("f")
    found, found_params = search_condition(search, "f")
    return con.execute(
        f"SELECT count(*) FROM incident_fact f WHERE {where} AND {found}", params + found_params
    ).fetchone()[0]


def incident_position(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    incident_id: int,
    order_by: str = "newest",
    search: str | None = None,
) -> int | None:
    """0-based place of an incident (or the incident it is linked to) in the ordered,
    filtered list, so a link can open the table at its page; None if not selected."""
    order = _order(order_by)
    where, params = f.where("f")
    found, found_params = search_condition(search, "f")
    row = con.execute(
        f"""SELECT pos FROM (
                SELECT f.incident_id, row_number() OVER (ORDER BY {order}) - 1 AS pos
                FROM incident_fact f JOIN incident i USING (incident_id)
                WHERE {where} AND {found})
            WHERE incident_id = (SELECT coalesce(linked_to, incident_id) FROM incident
                                 WHERE incident_id = ?)""",
        params + found_params + [incident_id],
    ).fetchone()
    return None if row is None else int(row[0])


def claims_sql(f: Filter) -> tuple[str, list]:
    """Every claim about the incidents a view selects, one row each: the claims download."""
    where, params = f.where("f")
    sql = f"""
        SELECT cf.incident_id, f.occurred_on, ci.place_name, ci.governorate, ci.district,
               i.origin, i.origin_id, c.claim_id,
               s.name AS source, s.kind AS source_kind, s.affiliation AS source_affiliation,
               c.role, a.name AS actor, a.side AS actor_side,
               c.attribution_basis, c.attribution_rule,
               c.killed_min, c.killed_best, c.killed_max, c.wounded_min, c.wounded_max,
               c.civilians_killed_min, c.civilians_killed_max,
               c.quote, c.published_on, s.url AS source_url, f.is_demo
        FROM incident_fact f
        JOIN claim_fact cf ON cf.incident_id = f.incident_id
        JOIN claim c ON c.claim_id = cf.claim_id
        JOIN incident i ON i.incident_id = c.incident_id
        JOIN incident ci ON ci.incident_id = f.incident_id
        LEFT JOIN source s ON s.source_id = c.source_id
        LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
        WHERE {where}
        ORDER BY f.occurred_on DESC, cf.incident_id DESC, i.origin, s.name NULLS LAST, c.claim_id"""
    return sql, params


def claims(con: duckdb.DuckDBPyConnection, f: Filter) -> pd.DataFrame:
    """Every claim about the incidents the filter selects (with the incident's date and
    place, the record it came with and its source), newest incident first."""
    sql, params = claims_sql(f)
    return con.execute(sql, params).df()


def incident_detail(con: duckdb.DuckDBPyConnection, incident_id: int) -> dict | None:
    """One incident's own fields (canonical or linked) and what its fact row derives:
    the origins it gathers, the agreements it allegedly violates, disputed, clash."""
    cursor = con.execute(
        """SELECT i.*, f.origins, f.violated_agreements, f.is_disputed, f.is_clash,
                  f.clash_pair, f.direction_undetermined, f.awaiting_review, f.killed_best,
                  f.killed_min AS range_killed_min, f.killed_max AS range_killed_max,
                  coalesce(i.linked_to, i.incident_id) AS canonical_id
           FROM incident i LEFT JOIN incident_fact f
             ON f.incident_id = coalesce(i.linked_to, i.incident_id)
           WHERE i.incident_id = ?""",
        [incident_id],
    )
    row = cursor.fetchone()  # plain Python values: dates, lists, None
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def incident_claims(con: duckdb.DuckDBPyConnection, incident_id: int) -> pd.DataFrame:
    """Every claim about an incident and the incidents linked to it, side by side."""
    return con.execute(
        """SELECT i.origin, i.origin_id, i.incident_id AS record_id,
                  s.name AS source, s.kind AS source_kind,
                  s.affiliation AS source_affiliation, s.url AS source_url,
                  c.role, c.attribution_basis, c.attribution_rule,
                  a.name AS alleged_actor, a.side AS alleged_side,
                  c.killed_min, c.killed_best, c.killed_max, c.wounded_min, c.wounded_max,
                  c.civilians_killed_min, c.civilians_killed_max, c.quote, c.published_on,
                  c.claim_id
           FROM claim c JOIN incident i USING (incident_id)
           LEFT JOIN source s USING (source_id)
           LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE coalesce(i.linked_to, i.incident_id) =
                 (SELECT coalesce(linked_to, incident_id) FROM incident WHERE incident_id = ?)
           ORDER BY i.origin, s.name NULLS LAST, c.claim_id""",
        [incident_id],
    ).df()


def incident_records(con: duckdb.DuckDBPyConnection, incident_id: int) -> pd.DataFrame:
    """The records of one event: the canonical incident and every record linked to it
    (the same event in another dataset), canonical first."""
    return con.execute(
        """SELECT i.incident_id, i.origin, i.origin_id, i.occurred_on, i.place_name,
                  i.linked_to IS NULL AS is_canonical
           FROM incident i
           WHERE coalesce(i.linked_to, i.incident_id) =
                 (SELECT coalesce(linked_to, incident_id) FROM incident WHERE incident_id = ?)
           ORDER BY i.linked_to IS NOT NULL, i.origin, i.origin_id""",
        [incident_id],
    ).df()


def violation_checks(con: duckdb.DuckDBPyConnection, incident_id: int) -> pd.DataFrame:
    """The alleged-violation rule applied to one incident, per agreement, step by step
    (the same four conditions as ``derive.py``): its date window against the period in
    force (``when``), its place against the area (``where``), its weapon (``how``), and
    the bound-side perpetrators or clash sides the claims name (``who``). ``violated``
    is the stored verdict (``incident_fact.violated_agreements``)."""
    return con.execute(
        f"""WITH c AS (
                SELECT i.*, f.violated_agreements, f.is_clash
                FROM incident i JOIN incident_fact f USING (incident_id)
                WHERE i.incident_id = (SELECT coalesce(linked_to, incident_id) FROM incident
                                       WHERE incident_id = ?)),
            w AS (
                SELECT occurred_on AS window_start,
                       CASE date_precision WHEN 'week' THEN occurred_on + INTERVAL 6 DAY
                            WHEN 'month' THEN last_day(occurred_on)
                            ELSE occurred_on END::DATE AS window_end
                FROM c),
            perpetrators AS (
                SELECT DISTINCT a.name, a.side FROM incident_actor ia
                JOIN actor a USING (actor_id) WHERE ia.incident_id = (SELECT incident_id FROM c)),
            parties AS (
                SELECT DISTINCT a.name, a.side FROM claim_fact cf
                JOIN actor a ON a.actor_id = cf.alleged_actor_id
                WHERE cf.incident_id = (SELECT incident_id FROM c) AND cf.role = 'party')
        SELECT ag.agreement_id, ag.name,
               CAST(ag.in_force_from AS DATE) AS in_force_from,
               CAST(ag.in_force_to AS DATE) AS in_force_to,
               w.window_start, w.window_end, ag.bound_sides,
               w.window_start >= CAST(ag.in_force_from AS DATE)
                 AND (ag.in_force_to IS NULL OR w.window_end <= CAST(ag.in_force_to AS DATE))
                 AS "when",
               EXISTS (SELECT 1 FROM agreement_area ar
                       WHERE ar.agreement_id = ag.agreement_id AND ar.governorate = c.governorate
                         AND (ar.district IS NULL OR ar.district = c.district)) AS "where",
               list_contains({_KINETIC_LIST}, c.weapon) AS how,
               (SELECT list(p.name || ' (' || p.side || ')' ORDER BY p.name) FROM perpetrators p
                WHERE list_contains(ag.bound_sides, p.side)) AS bound_perpetrators,
               (SELECT list(p.name || ' (' || p.side || ')' ORDER BY p.name) FROM perpetrators p)
                 AS perpetrators,
               c.is_clash,
               (SELECT list(p.name || ' (' || p.side || ')' ORDER BY p.name) FROM parties p)
                 AS parties,
               (SELECT count(DISTINCT p.side) FROM parties p
                WHERE list_contains(ag.bound_sides, p.side)) AS bound_party_sides,
               list_contains(c.violated_agreements, ag.agreement_id) AS violated,
               c.governorate, c.district, c.weapon, c.date_precision
        FROM agreement ag, c, w
        ORDER BY ag.signed_on""",
        [incident_id],
    ).df()


def compare_periods_sql(f: Filter, agreement_id: str, days: int) -> tuple[str, list]:
    where, params = f.where("f")
    sql = f"""
        WITH entry AS (SELECT CAST(in_force_from AS DATE) AS d FROM agreement WHERE agreement_id = ?)
        SELECT CASE WHEN f.occurred_on < entry.d THEN 'before' ELSE 'after' END AS period,
               count(*) AS incidents,
               count(*) FILTER (WHERE list_contains(f.violated_agreements, ?)) AS alleged_violations,
               CAST(coalesce(sum(f.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(f.killed_max), 0) AS BIGINT) AS killed_max
        FROM incident_fact f, entry
        WHERE {where} AND f.occurred_on >= entry.d - ? AND f.occurred_on < entry.d + ?
        GROUP BY ALL ORDER BY period DESC"""
    return sql, [agreement_id, agreement_id, *params, days, days]


def compare_periods(
    con: duckdb.DuckDBPyConnection, f: Filter, agreement_id: str, days: int = 90
) -> pd.DataFrame:
    """The same counts for ``days`` before and after an agreement enters into force.

    Both rows are always returned (zero when nothing happened), so "no incidents" reads
    as 0 rather than as a missing bar."""
    sql, params = compare_periods_sql(f.with_(agreement=None), agreement_id, days)
    found = con.execute(sql, params).df().set_index("period")
    frame = found.reindex(["before", "after"]).fillna(0).astype("int64").reset_index()
    frame.insert(1, "days", days)
    return frame


# --- widgets and provenance ----------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    """Values the sidebar offers, read from the store."""

    first_date: object
    last_date: object
    actors: list[str]
    sources: list[str]
    governorates: list[str]
    districts: list[str]
    origins: list[str]
    agreements: dict[str, str]


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    first, last = con.execute(
        "SELECT min(occurred_on), max(occurred_on) FROM incident_fact"
    ).fetchone()

    def column(sql: str) -> list[str]:
        return [r[0] for r in con.execute(sql).fetchall()]

    return FilterOptions(
        first_date=first,
        last_date=last,
        actors=column("SELECT name FROM actor ORDER BY name"),
        sources=column(
            "SELECT s.name FROM source s WHERE source_id IN (SELECT source_id FROM claim_fact) ORDER BY name"
        ),
        governorates=column(
            "SELECT DISTINCT governorate FROM incident_fact WHERE governorate IS NOT NULL ORDER BY 1"
        ),
        districts=column(
            "SELECT DISTINCT district FROM incident_fact WHERE district IS NOT NULL ORDER BY 1"
        ),
        # from the few distinct origins_key strings, not an unnest of every row's list
        origins=column(
            "SELECT DISTINCT unnest(string_split(k, ';')) FROM "
            "(SELECT DISTINCT origins_key AS k FROM incident_fact) ORDER BY 1"
        ),
        agreements=dict(agreement_names()),
    )


ORIGIN_CREDITS = taxonomy.ORIGIN_CREDITS  # the old name, kept importable


def origins_in_view(con: duckdb.DuckDBPyConnection, f: Filter) -> list[str]:
    """The origins of the incidents a view counts, for the 'Data:' credit line."""
    where, params = f.where("f")
    return [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT unnest(f.origins) FROM incident_fact f WHERE {where} ORDER BY 1",
            params,
        ).fetchall()
    ]


def demo_row_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0]


def demo_claim_count(con: duckdb.DuckDBPyConnection) -> int:
    """Claims about demo incidents: what removing the demo data deletes besides them."""
    return con.execute("SELECT count(*) FROM claim WHERE is_demo").fetchone()[0]


QUERIES = {
    "headline": headline_sql,
    "timeline": timeline_sql,
    "target-types": target_types_sql,
    "actor-target": actor_target_sql,
}


def sql_for(name: str, f: Filter, **options) -> tuple[str, list]:
    """The exact SQL and parameters behind a named figure, for reproduction."""
    return QUERIES[name](f, **options)


def source_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every source with how many claims it makes."""
    return con.execute(
        """SELECT s.name, s.kind, s.affiliation, s.url, count(c.claim_id) AS claims
           FROM source s LEFT JOIN claim c USING (source_id)
           GROUP BY ALL ORDER BY claims DESC, s.name"""
    ).df()


# --- before / after (ceasefire/compare.py) --------------------------------------------


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


def _clash_between_bound_sides(alias: str) -> str:
    """A clash (party claims only) with parties on two different sides the agreement
    (first parameter) binds: ``derive.py``'s direction-undetermined rule, without dates."""
    return f"""({alias}.is_clash AND (
            SELECT count(DISTINCT a.side) FROM claim_fact cf
            JOIN actor a ON a.actor_id = cf.alleged_actor_id
            JOIN agreement ag ON ag.agreement_id = ? AND list_contains(ag.bound_sides, a.side)
            WHERE cf.incident_id = {alias}.incident_id AND cf.role = 'party') >= 2)"""


def meets_terms_sql(alias: str = "f") -> tuple[str, int]:
    """The agreement's where / how / who conditions (``derive.py``) without its date
    condition, over ``incident_fact`` as ``alias``, and how many times the agreement id
    is to be passed as a parameter. True for an incident that would count as an
    alleged violation of the agreement had it been in force on the incident's date:
    in its area, kinetic, and either alleged against a perpetrator on a side it binds
    or a clash between two sides it binds (direction undetermined)."""
    sql = f"""(list_contains({_KINETIC}, {alias}.weapon)
        AND EXISTS (SELECT 1 FROM agreement_area ar WHERE ar.agreement_id = ?
                    AND ar.governorate = {alias}.governorate
                    AND (ar.district IS NULL OR ar.district = {alias}.district))
        AND (EXISTS (SELECT 1 FROM incident_actor ia JOIN actor a ON a.actor_id = ia.actor_id
                     JOIN agreement ag ON list_contains(ag.bound_sides, a.side)
                     WHERE ia.incident_id = {alias}.incident_id AND ag.agreement_id = ?)
             OR {_clash_between_bound_sides(alias)}))"""
    return sql, 3


#: The comparison's group of clashes between two bound sides (initiator not stated).
UNDETERMINED_GROUP = "Clashes between bound sides, initiator not stated"


def compare_counts_sql(
    f: Filter, on, days: int, agreement_id: str | None = None
) -> tuple[str, list]:
    """Counts ``days`` before ``on`` (up to the day before) and from ``on`` (``days``
    days), overall ('all'), per side and per alleged actor under the attribution
    (clashes as their own group), and ('clash') the clashes between two sides the
    agreement binds, whose initiator no source states."""
    where, params = f.where("f")
    attributed, attributed_params = _attributed(f)
    if agreement_id:
        meets, n = meets_terms_sql("f")
        clash = _clash_between_bound_sides("f")
        meets_params = [agreement_id] * (n + 1)
    else:
        meets, clash, meets_params = "false", "false", []
    sums = """count(*) AS incidents, count(*) FILTER (WHERE fi.meets_terms) AS meets_terms,
               CAST(coalesce(sum(fi.killed_min), 0) AS BIGINT) AS killed_min,
               CAST(coalesce(sum(fi.killed_max), 0) AS BIGINT) AS killed_max,
               CAST(coalesce(sum(fi.killed_best), 0) AS BIGINT) AS killed_best,
               count(*) FILTER (WHERE fi.killed_best IS NULL) AS without_killed_best"""
    sql = f"""
        WITH fi AS (
            SELECT f.*, CASE WHEN f.occurred_on < ? THEN 'before' ELSE 'after' END AS period,
                   {meets} AS meets_terms, {clash} AS undetermined
            FROM incident_fact f
            WHERE {where} AND f.occurred_on >= ? AND f.occurred_on < ?),
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
    start, end = on - timedelta(days=days), on + timedelta(days=days)
    return sql, [on, *meets_params, *params, start, end, *attributed_params]


def compare_counts(
    con: duckdb.DuckDBPyConnection, f: Filter, on, days: int, agreement_id: str | None = None
) -> pd.DataFrame:
    """breakdown, group, period ('before'/'after'), incidents, meets_terms, killed_min,
    killed_max, killed_best (the sum of best estimates where one is given) and
    without_killed_best (incidents with none); groups with no incident in either window
    are absent."""
    sql, params = compare_counts_sql(f, on, days, agreement_id)
    return con.execute(sql, params).df()


# --- what changed this week (ceasefire/changes.py) -------------------------------------

_AREA = "coalesce(fi.district, fi.governorate, '(unknown)')"
_GROUP_KEYS = {
    "governorate": "coalesce(fi.governorate, '(unknown governorate)')",
    "district": "coalesce(fi.district, '(unknown district)')",
    "actor": "attributed.actor",
}


def _weekly_cte(f: Filter, start, end, by: str) -> tuple[str, list]:
    """``keyed``: one row per incident and group (distinct), with its week and area."""
    if by not in _GROUP_KEYS:
        raise ValueError(f"by must be one of {', '.join(_GROUP_KEYS)}, not {by!r}")
    where, params = f.where("f")
    attributed, attributed_params = _attributed(f)
    source = "fi JOIN attributed ON attributed.incident_id = fi.incident_id"
    sql = f"""
        WITH fi AS (SELECT * FROM incident_fact f
                    WHERE {where} AND f.occurred_on >= ? AND f.occurred_on < ?),
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
    return sql, [*params, start, end, *attributed_params]


def weekly_changes_sql(f: Filter, week, by: str) -> tuple[str, list]:
    """The chosen week's count per group and its previous 4 and 52 weeks' counts, and
    (second statement's rows, ``kind = 'pair'``) actor x area counts for emerging actors."""
    start = week - timedelta(weeks=52)
    cte, params = _weekly_cte(f, start, week + timedelta(days=7), by)
    sql = f"""{cte}
        SELECT 'group' AS kind, grp, NULL AS actor, NULL AS area,
               count(*) FILTER (WHERE week = ?) AS week_count,
               count(*) FILTER (WHERE week < ? AND week >= ?) AS n_4w,
               count(*) FILTER (WHERE week < ?) AS n_52w
        FROM keyed GROUP BY ALL
        UNION ALL
        SELECT 'pair', NULL, actor, area, count(*) FILTER (WHERE week = ?),
               NULL, count(*) FILTER (WHERE week < ?)
        FROM pairs GROUP BY ALL"""
    four = week - timedelta(weeks=4)
    return sql, [*params, week, week, four, week, week, week]


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


def district_counts_sql(f: Filter) -> tuple[str, list]:
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
