"""One incident as a record: its fields, its claims, its linked records, and the
alleged-violation rule applied to it step by step."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..tables.derive import KINETIC_SQL


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
           WHERE i.incident_id = $incident_id""",
        {"incident_id": incident_id},
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
                  c.killed_qualifier, c.wounded_qualifier, c.civilians_killed_qualifier,
                  c.url AS link, c.claim_id
           FROM claim c JOIN incident i USING (incident_id)
           LEFT JOIN source s USING (source_id)
           LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE coalesce(i.linked_to, i.incident_id) =
                 (SELECT coalesce(linked_to, incident_id) FROM incident WHERE incident_id = $incident_id)
           ORDER BY i.origin, s.name NULLS LAST, c.claim_id""",
        {"incident_id": incident_id},
    ).df()


def incident_records(con: duckdb.DuckDBPyConnection, incident_id: int) -> pd.DataFrame:
    """The records of one event: the canonical incident and every record linked to it
    (the same event in another dataset), canonical first."""
    return con.execute(
        """SELECT i.incident_id, i.origin, i.origin_id, i.occurred_on, i.place_name,
                  i.linked_to IS NULL AS is_canonical
           FROM incident i
           WHERE coalesce(i.linked_to, i.incident_id) =
                 (SELECT coalesce(linked_to, incident_id) FROM incident WHERE incident_id = $incident_id)
           ORDER BY i.linked_to IS NOT NULL, i.origin, i.origin_id""",
        {"incident_id": incident_id},
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
                                       WHERE incident_id = $incident_id)),
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
               list_contains({KINETIC_SQL}, c.weapon) AS how,
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
        {"incident_id": incident_id},
    ).df()


def incident_for_editing(con: duckdb.DuckDBPyConnection, incident_id: int) -> tuple | None:
    """(fields, claims) of one stored incident as the editor's form loads them: the
    incident's own columns, and its claims (source and actor by name, oldest first) as
    plain dicts, NaN as None. None when the incident is not in the store."""
    cursor = con.execute(
        "SELECT * FROM incident WHERE incident_id = $incident_id", {"incident_id": incident_id}
    )
    row = cursor.fetchone()
    if row is None:
        return None
    fields = dict(zip([d[0] for d in cursor.description], row, strict=True))
    claims = (
        con.execute(
            """SELECT c.claim_id, s.name AS source_name, a.name AS alleged_actor, c.role,
                      c.killed_min, c.killed_max, c.wounded_min, c.wounded_max,
                      c.civilians_killed_min, c.civilians_killed_max, c.quote,
                      c.published_on, c.killed_qualifier, c.wounded_qualifier,
                      c.civilians_killed_qualifier, c.url
               FROM claim c LEFT JOIN source s USING (source_id)
               LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
               WHERE c.incident_id = $incident_id ORDER BY c.claim_id""",
            {"incident_id": incident_id},
        )
        .df()
        .astype(object)
        .where(lambda d: d.notna(), None)
        .to_dict("records")
    )
    return fields, claims
