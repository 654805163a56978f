"""Expected numbers for the app and browser tests, by plain SQL over the store's facts.

Written from the rules in docs/counting.md and docs/importing.md, independently of ``ceasefire.filters`` and
``ceasefire.queries`` (the code under test): an event recorded by two datasets counts
once (the incident with ``linked_to`` NULL, gathering its linked records' claims); only
``perpetrator`` claims say who did it; 'any' attribution counts an incident for every
actor such a claim names, 'majority' for the actor named by the most distinct sources
(none on a tie); an incident's killed range runs from the lowest minimum any claim gives
to the highest maximum (a claim with only a minimum gives it as its maximum).

Whether an incident is an alleged violation is read from ``incident_fact`` (what
``derive`` stored); the rule itself is checked against hand-worked cases in
tests/test_violation_rule.py and tests/test_expectations.py.
"""

from __future__ import annotations

from datetime import date

import duckdb

_VIEW = """
WITH canon AS (
    SELECT incident_id, occurred_on::DATE AS occurred_on, target_type
    FROM incident WHERE linked_to IS NULL
),
claims AS (  -- every claim, under the canonical incident it counts for
    SELECT coalesce(i.linked_to, i.incident_id) AS incident_id, c.source_id, c.role,
           c.killed_min, coalesce(c.killed_max, c.killed_min) AS killed_max,
           a.name AS actor, a.side
    FROM claim c JOIN incident i USING (incident_id)
    LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
),
perpetrators AS (
    SELECT DISTINCT incident_id, actor, side FROM claims
    WHERE role = 'perpetrator' AND actor IS NOT NULL
),
votes AS (
    SELECT incident_id, actor, side, count(DISTINCT source_id) AS n FROM claims
    WHERE role = 'perpetrator' AND actor IS NOT NULL GROUP BY ALL
),
majority AS (  -- the actor with strictly the most sources
    SELECT v.incident_id, v.actor, v.side FROM votes v
    WHERE v.n = (SELECT max(n) FROM votes w WHERE w.incident_id = v.incident_id)
      AND (SELECT count(*) FROM votes w WHERE w.incident_id = v.incident_id
           AND w.n = v.n) = 1
),
killed AS (
    SELECT incident_id, min(killed_min) AS killed_min, max(killed_max) AS killed_max
    FROM claims GROUP BY ALL
)
SELECT c.incident_id, c.occurred_on, c.target_type, k.killed_min, k.killed_max,
       m.actor AS majority_actor, m.side AS majority_side,
       coalesce(f.violated_agreements, []) AS violated_agreements
FROM canon c LEFT JOIN killed k USING (incident_id) LEFT JOIN majority m USING (incident_id)
LEFT JOIN incident_fact f USING (incident_id)
"""


def view(
    con: duckdb.DuckDBPyConnection,
    *,
    actors: tuple[str, ...] = (),
    sides: tuple[str, ...] = (),
    attribution: str = "any",
    target_types: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
):
    """The canonical incidents a view counts, one row each (a pandas frame)."""
    frame = con.execute(_VIEW).df()
    perps = con.execute(
        """SELECT DISTINCT coalesce(i.linked_to, i.incident_id) AS incident_id, a.name, a.side
           FROM claim c JOIN incident i USING (incident_id)
           JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE c.role = 'perpetrator'"""
    ).df()
    if start:
        frame = frame[frame.occurred_on.dt.date >= start]
    if end:
        frame = frame[frame.occurred_on.dt.date <= end]
    if target_types:
        frame = frame[frame.target_type.isin(target_types)]
    if actors or sides:
        if attribution == "majority":
            keep = frame.majority_actor.notna()
            if actors:
                keep &= frame.majority_actor.isin(actors)
            if sides:
                keep &= frame.majority_side.isin(sides)
            frame = frame[keep]
        else:
            match = perps
            if actors:
                match = match[match.name.isin(actors)]
            if sides:
                match = match[match.side.isin(sides)]
            frame = frame[frame.incident_id.isin(set(match.incident_id))]
    return frame


def perpetrators(con: duckdb.DuckDBPyConnection, incident_ids) -> set[str]:
    """Every actor a perpetrator claim names for these (canonical) incidents."""
    rows = con.execute(
        """SELECT DISTINCT coalesce(i.linked_to, i.incident_id) AS incident_id, a.name
           FROM claim c JOIN incident i USING (incident_id)
           JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE c.role = 'perpetrator'"""
    ).df()
    return set(rows[rows.incident_id.isin(set(incident_ids))].name)


def headline(frame) -> dict:
    """Incidents, alleged violations and the killed range of a view."""
    return {
        "incidents": len(frame),
        "alleged_violations": int(frame.violated_agreements.map(len).gt(0).sum()),
        "killed_min": int(frame.killed_min.fillna(0).sum()),
        "killed_max": int(frame.killed_max.fillna(0).sum()),
    }
