"""The Incidents table: its orders, the search, one page of the filtered incidents,
their count, an incident's position, and the claims download."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import Filter
from ..sqlparams import Params, merge
from .attribution import counted_under_sql

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


def search_condition(text: str | None, alias: str = "f") -> tuple[str, Params]:
    """Incidents (canonical ids, as ``alias.incident_id``) whose place name, description,
    claim quotes or source names contain every word of ``text`` (case-insensitive; a
    word may match in any of the four). The words travel as parameters (``$word_1``,
    ``$word_2``, ...); ``strpos``
    matches them literally (no LIKE wildcards to escape). Claims and places of a
    linked record count for the canonical incident it is linked to."""
    words = search_words(text)
    if not words:
        return "true", {}
    parts, params = [], {}
    for n, word in enumerate(words, start=1):
        w = f"$word_{n}"
        parts.append(
            f"""{alias}.incident_id IN (
                SELECT coalesce(i.linked_to, i.incident_id) FROM incident i
                WHERE strpos(lower(i.place_name), {w}) > 0 OR strpos(lower(i.description), {w}) > 0
                UNION ALL
                SELECT coalesce(i.linked_to, i.incident_id) FROM claim c
                JOIN incident i USING (incident_id) WHERE strpos(lower(c.quote), {w}) > 0
                UNION ALL
                SELECT cf.incident_id FROM claim_fact cf WHERE cf.source_id IN
                    (SELECT s.source_id FROM source s WHERE strpos(lower(s.name), {w}) > 0))"""
        )
        params[f"word_{n}"] = word
    return " AND ".join(parts), params


def incidents_sql(
    f: Filter,
    limit: int = 1000,
    offset: int = 0,
    order_by: str = "newest",
    search: str | None = None,
    total: int | None = None,
) -> tuple[str, Params]:
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
    counted, counted_params = counted_under_sql(f)
    sql = f"""
        WITH page AS (
            SELECT f.* FROM incident_fact f {join}
            WHERE {where} AND {found}
            ORDER BY {_order_sql(keys, reverse)} LIMIT $limit OFFSET $offset),
        fi AS (SELECT * FROM page),
        -- the page's actors and parties, aggregated over the page's rows only (a
        -- correlated subquery here was aggregated over every incident: 0.5 s at 100k)
        alleged AS (
            SELECT ia.incident_id,
                   string_agg(DISTINCT a.name, '; ' ORDER BY a.name) AS alleged_actors
            FROM incident_actor ia JOIN actor a USING (actor_id)
            WHERE ia.incident_id IN (SELECT incident_id FROM page) GROUP BY ia.incident_id),
        parties AS (
            SELECT cf.incident_id, string_agg(DISTINCT a.name, '; ' ORDER BY a.name) AS parties
            FROM claim_fact cf JOIN actor a ON a.actor_id = cf.alleged_actor_id
            WHERE cf.role = 'party' AND cf.incident_id IN (SELECT incident_id FROM page)
            GROUP BY cf.incident_id), {counted}
        SELECT f.incident_id, f.occurred_on, i.place_name, f.governorate, f.district,
               f.weapon, f.target_type, f.verification, f.is_disputed,
               al.alleged_actors, pa.parties,
               f.is_clash AS clash_initiator_not_stated, f.clash_pair,
               f.direction_undetermined, f.awaiting_review,
               c.counted_under,
               f.n_claims, f.killed_min, f.killed_max, f.killed_best, f.wounded_min, f.wounded_max,
               f.civilians_killed_min, f.civilians_killed_max,
               array_to_string(f.origins, '; ') AS origins, i.origin_id,
               array_to_string(f.violated_agreements, '; ') AS violated_agreements,
               f.latitude, f.longitude, f.is_demo
        FROM page f JOIN incident i USING (incident_id) LEFT JOIN counted c USING (incident_id)
        LEFT JOIN alleged al USING (incident_id) LEFT JOIN parties pa USING (incident_id)
        ORDER BY {_order_sql(keys)}"""
    page = {"limit": limit, "offset": offset}
    return sql, merge(params, found_params, page, counted_params)


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
        f"SELECT count(*) FROM incident_fact f WHERE {where} AND {found}",
        merge(params, found_params),
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
                                 WHERE incident_id = $incident_id)""",
        merge(params, found_params, {"incident_id": incident_id}),
    ).fetchone()
    return None if row is None else int(row[0])


def claims_sql(f: Filter) -> tuple[str, Params]:
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
               c.killed_qualifier, c.wounded_qualifier, c.civilians_killed_qualifier,
               c.quote, c.published_on, c.url AS link, s.url AS source_url, f.is_demo
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
