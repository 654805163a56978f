"""Linking the same event recorded by two datasets, so it is counted once.

ACLED, UCDP GED and Airwars often record the same strike or clash. Two incidents of
*different* origins are linked when all of these hold:

1. **Date**: both have day precision and their dates differ by at most
   ``MAX_DAYS`` (1) day (reports dated by publication drift by a day; the number is
   ``taxonomy.SAME_EVENT_MAX_DAYS``, shared with ``editing.same_event``).
2. **Place**: both have coordinates of exact or near precision and lie within
   ``MAX_KM`` (5 km, ``taxonomy.SAME_EVENT_MAX_KM``) of each other (haversine, in SQL).
   Centroids of districts or governorates are never linked.
3. **Means compatible**: the same weapon, or one of them "other" (unknown means):
   an ACLED ground clash is not an Airwars airstrike nearby on the same day.
4. **Perpetrator compatible**: the sets of actors their claims allege share an actor,
   or share a side other than "other" (groups of side "other" such as HTS and IS are
   enemies, not one side), or one incident names no identified actor (no claim names
   one, or only "Unidentified armed group" or actors still flagged for review).

5. **Not kept apart**: no editor has marked the two distinct events
   (``incident_distinct``, written when a new incident is saved beside the incidents
   the store proposed as possibly the same event: ``editing.same_event``).

An editor may also link a new incident to one the store proposed (``linked_to`` set by
hand, of any origin, the same one included); such a link is kept like any other, also
when the other incident is re-imported.

Which is canonical: origins rank ``ORIGIN_PRIORITY`` (manual, acled, ucdp, airwars,
then others alphabetically). The lower-ranked incident gets ``linked_to`` = the
higher-ranked one's ``incident_id``. Links are never chained: the target must itself be
canonical (``linked_to`` NULL), and an incident that others already point to is not
linked away. Matching is one-to-one per origin pair: each incident takes its nearest
candidate (distance, then date gap, then id) and is taken only if it is that
candidate's nearest too; the rest stay separate (a missed link counts an event twice,
a wrong link loses one, so ties and crowds stay unlinked). Matching repeats until
no pair is left, so running it again finds nothing.

Charts count ``incident_fact``, which holds canonical incidents only and gathers the
claims and origins of those linked to them (``derive``), so a linked event counts once
and its page shows both origins. Existing links are kept; every import runs the rule
(``apply_links``, inside its write: ``importers.pipeline``).
"""

from __future__ import annotations

import duckdb

from .. import taxonomy

MAX_DAYS = taxonomy.SAME_EVENT_MAX_DAYS
MAX_KM = taxonomy.SAME_EVENT_MAX_KM
ORIGIN_PRIORITY = ("manual", "acled", "ucdp", "airwars")

_CANDIDATES = """
WITH rank_of AS (
    SELECT origin, CASE origin {priority_cases} ELSE 100 END AS prio
    FROM (SELECT DISTINCT origin FROM incident)
),
actors AS (
    SELECT c.incident_id,
           list_distinct(list(a.actor_id) FILTER (WHERE NOT a.needs_review
                AND a.name <> 'Unidentified armed group')) AS ids,
           list_distinct(list(a.side) FILTER (WHERE NOT a.needs_review
                AND a.name <> 'Unidentified armed group' AND a.side <> 'other')) AS sides
    FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id
    GROUP BY ALL
),
pool AS (
    SELECT i.incident_id, i.origin, r.prio, i.weapon, i.occurred_on, i.latitude, i.longitude,
           coalesce(ac.ids, []) AS ids, coalesce(ac.sides, []) AS sides,
           EXISTS (SELECT 1 FROM incident x WHERE x.linked_to = i.incident_id) AS has_links,
           CAST(floor(i.latitude / 0.05) AS BIGINT) AS cy, CAST(floor(i.longitude / 0.06) AS BIGINT) AS cx
    FROM incident i JOIN rank_of r USING (origin) LEFT JOIN actors ac USING (incident_id)
    WHERE i.linked_to IS NULL AND i.date_precision = 'day'
      AND i.location_precision IN ('exact', 'near')
      AND i.latitude IS NOT NULL AND i.longitude IS NOT NULL AND NOT i.is_demo
),
-- pairs an editor decided are distinct events (both ways round)
kept_apart AS (
    SELECT incident_id AS a, other_id AS b FROM incident_distinct
    UNION ALL SELECT other_id, incident_id FROM incident_distinct
),
-- candidates meet in a grid cell (0.05 deg lat x 0.06 deg lon, at least 5.5 km at these
-- latitudes) and a day: an equi-join on the neighbouring cells and days instead of a
-- range join, so a million rows of one origin cost a hash join, not n^2
hi_near AS (
    SELECT p.*, p.occurred_on + CAST(dd AS INTEGER) AS k_day, p.cy + dy AS k_y, p.cx + dx AS k_x
    FROM pool p, (SELECT unnest(range(-{max_days}, {max_days} + 1)) AS dd),
         (SELECT unnest([-1, 0, 1]) AS dy), (SELECT unnest([-1, 0, 1]) AS dx)
    WHERE p.prio < (SELECT max(prio) FROM pool)
       OR p.origin < (SELECT max(origin) FROM pool WHERE prio = p.prio)
),
pairs AS (
    SELECT lo.incident_id AS lo_id, lo.origin AS lo_origin, hi.incident_id AS hi_id,
           hi.origin AS hi_origin, hi.prio AS hi_prio, abs(date_diff('day', lo.occurred_on, hi.occurred_on)) AS gap,
           2 * 6371.0 * asin(sqrt(
               pow(sin(radians(hi.latitude - lo.latitude) / 2), 2) +
               cos(radians(lo.latitude)) * cos(radians(hi.latitude)) *
               pow(sin(radians(hi.longitude - lo.longitude) / 2), 2))) AS km
    FROM pool lo JOIN hi_near hi
      ON hi.k_day = lo.occurred_on AND hi.k_y = lo.cy AND hi.k_x = lo.cx
     AND (hi.prio < lo.prio OR (hi.prio = lo.prio AND hi.origin < lo.origin))
    WHERE NOT lo.has_links
      AND NOT EXISTS (SELECT 1 FROM kept_apart d
                      WHERE d.a = lo.incident_id AND d.b = hi.incident_id)
      AND (lo.weapon = hi.weapon OR lo.weapon = 'other' OR hi.weapon = 'other')
      AND (len(lo.ids) = 0 OR len(hi.ids) = 0 OR list_has_any(lo.ids, hi.ids)
           OR list_has_any(lo.sides, hi.sides))
),
close AS (SELECT * FROM pairs WHERE km <= {max_km}),
ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY lo_id, hi_origin ORDER BY km, gap, hi_id) AS lo_pick,
        row_number() OVER (PARTITION BY hi_id, lo_origin ORDER BY km, gap, lo_id) AS hi_pick
    FROM close
),
mutual AS (SELECT * FROM ranked WHERE lo_pick = 1 AND hi_pick = 1)
-- an incident may match in several higher origins: take the highest-ranked one
SELECT lo_id, arg_min(hi_id, hi_prio) AS hi_id
FROM mutual GROUP BY lo_id
"""


def _sql() -> str:
    cases = " ".join(f"WHEN '{o}' THEN {n}" for n, o in enumerate(ORIGIN_PRIORITY))
    return _CANDIDATES.format(priority_cases=cases, max_days=MAX_DAYS, max_km=MAX_KM)


def apply_links(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the rule (module doc) inside the caller's transaction; returns links added.

    No transaction and no derived-table refresh of its own: an import runs it inside
    its write (``records.write_frames(after_write=...)``) so rows and links commit
    together and the derived tables are rebuilt once."""
    added = 0
    # repeat until nothing changes: linking one pair can make another pair mutual,
    # and a second run (a re-import) must then find nothing new
    while True:
        pairs = con.execute(_sql()).df()
        # never chain: drop pairs whose target is itself being linked away
        pairs = pairs[~pairs["hi_id"].isin(set(pairs["lo_id"]))]
        if pairs.empty:
            return added
        con.register("_links", pairs)
        con.execute(
            "UPDATE incident SET linked_to = l.hi_id FROM _links l "
            "WHERE incident.incident_id = l.lo_id"
        ).fetchall()
        con.unregister("_links")
        added += len(pairs)
