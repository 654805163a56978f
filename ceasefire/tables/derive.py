"""Derived tables: what the charts count, rebuilt from the facts after every write.

The facts (``incident``, ``claim``) are what sources said. The charts need, per
incident, its casualty range across claims, who the claims blame, whether they
disagree, and which agreements it allegedly violates. Computing that per filter change
would cost a join over all claims every time, so ``refresh()`` materialises it once per
write into ``incident_fact``, ``incident_actor``, ``incident_actor_fact`` (the incidents
with their actors, for counts by actor) and ``claim_fact``, inside the writer's
transaction. Fact rows are stored in date order: DuckDB skips row groups outside a
date filter.

Disputed and majority
---------------------
Sources disagree about an incident when two of them name perpetrators with no actor in
common (Sputnik blames the Syrian air force, Al-Watan blames Russia); such an incident,
or one whose status is "disputed", is **disputed**. One source naming several actors
together (UCDP's "Government of Syria, Government of Russia", Airwars' "Russian
Military, Iranian Military") is a joint attribution, not a dispute. The **majority**
actor is the one named by the most distinct sources; a tie has no majority.

Linked incidents (the same event recorded by two datasets, see the importers) are
folded into one: the incident whose ``linked_to`` is NULL is the canonical one, and its
fact row gathers the claims and origins of every incident linked to it. So a linked
event is counted once.

The alleged-violation rule, roles and clashes are in ``RULES`` below, in words for
readers (the About page shows that text as it is, and it is appended to this docstring).
Where they live in the code: the area is the ``agreement_area`` table (a row whose
district is NULL covers its whole governorate); the kinetic weapons are
``taxonomy.KINETIC_WEAPONS``; the roles ``taxonomy.CLAIM_ROLES``; perpetrator claims
make ``incident_actor``; an inferred claim has ``attribution_basis = 'inferred'``, and
``stated_violated_agreements`` keeps the violations that stand without inferred ones;
an incident's best estimate is ``incident_fact.killed_best``.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from ..taxonomy import KINETIC_WEAPONS
from .dataversion import record_data_version

#: The rules as the About page shows them (and docs/counting.md states them): in words, no
#: names from the code.
RULES = f"""\
An incident is an alleged violation of an agreement when all of these hold:

1. **When** - the incident's whole date window lies inside the agreement's period in
   force. The window is the day itself for day precision, the 7 days from the stored
   date for week precision, the calendar month for month precision. The day on which an
   agreement enters into force counts (the Moscow ceasefire began at 00:01 on 6 March
   2020, so an incident dated 6 March counts and one dated 5 March does not).
2. **Where** - its governorate and district are in the agreement's area (listed below
   for each agreement; where the area names a governorate without districts, all of
   it is covered). An incident with no known district counts only where its whole
   governorate is covered.
3. **How** - its weapon is kinetic: {", ".join(KINETIC_WEAPONS)} ("other" is not).
4. **Who** - at least one *perpetrator* claim names an actor on one of the agreement's
   bound sides (the parties and the sides they answer for); or the incident is a
   *clash* (its named actors are all parties, below) between actors on two different
   bound sides: an alleged violation, **direction undetermined**. Acts alleged only
   against groups outside the agreements (side "other"), clashes between a bound side
   and an unbound one, and incidents naming no one are not counted.

Roles: perpetrators, parties and clashes
----------------------------------------
Each claim gives its actor a role (the table below). Only *perpetrator* claims say who
did it: they alone decide whom the charts count an incident under, the majority,
disputes and rule 4 above. A *party* claim names an actor that took part in fighting
whose initiator the source does not state; an incident whose named actors are all
parties is a **clash**, and it is an **alleged violation, direction undetermined** of
an agreement when rules 1-3 hold and its parties include actors on two different sides
that the agreement binds (government coalition vs opposition factions, either of them
vs Turkey). A clash between a bound side and an unbound one (government forces vs HTS)
is not. Charts count clashes as their own group ("Clashes, initiator not stated"),
never under a party.

Perpetrator claims the tracker infers (where a source names no perpetrator, by the
rules listed below) count like stated ones; the violations that stand on stated
attributions (and the clash rule) alone are kept too, for views that leave inferred
ones out.

An incident **awaits review** when it names actors and every one of them is flagged for
review (a name no alias or pattern matched, side "other"): it cannot count as an alleged
violation until a person classifies those actors, and the views say how many there are.

Best estimate: an incident's best estimate of the killed is the median of its claims'
best estimates (UCDP's "best"), rounded down; it has none when no claim gives one.
"""
__doc__ += "\nThe alleged-violation rule\n--------------------------\n" + RULES

KINETIC_SQL = "[" + ", ".join(f"'{w}'" for w in KINETIC_WEAPONS) + "]"

#: actor_id of the one group under which the charts count clashes (no actor row has it)
CLASH_ACTOR_ID = -1

_CLAIM_FACT = """
INSERT INTO claim_fact BY NAME
SELECT coalesce(i.linked_to, i.incident_id) AS incident_id, c.claim_id, c.source_id,
       c.alleged_actor_id, c.killed_min, coalesce(c.killed_max, c.killed_min) AS killed_max,
       c.wounded_min, coalesce(c.wounded_max, c.wounded_min) AS wounded_max,
       c.civilians_killed_min,
       coalesce(c.civilians_killed_max, c.civilians_killed_min) AS civilians_killed_max,
       c.role, c.attribution_basis, c.killed_best
FROM claim c JOIN incident i USING (incident_id)
{scope_claim}
"""

# perpetrator claims only: a party is never counted as the one who did it
_INCIDENT_ACTOR = """
INSERT INTO incident_actor BY NAME
SELECT incident_id, alleged_actor_id AS actor_id, count(*) AS n_claims,
       bool_and(attribution_basis = 'inferred') AS inferred_only
FROM claim_fact
WHERE alleged_actor_id IS NOT NULL AND role = 'perpetrator' {and_scope}
GROUP BY ALL
"""

_INCIDENT_FACT = f"""
INSERT INTO incident_fact BY NAME
WITH canonical AS (
    SELECT * FROM incident WHERE linked_to IS NULL {{and_scope}}
),
origins AS (
    SELECT coalesce(linked_to, incident_id) AS incident_id,
           list_sort(list_distinct(list(origin))) AS origins
    FROM incident {{scope_group}} GROUP BY ALL
),
claims AS (
    SELECT incident_id, count(*) AS n_claims,
           min(killed_min) AS killed_min, max(coalesce(killed_max, killed_min)) AS killed_max,
           min(wounded_min) AS wounded_min, max(coalesce(wounded_max, wounded_min)) AS wounded_max,
           min(civilians_killed_min) AS civilians_killed_min,
           max(coalesce(civilians_killed_max, civilians_killed_min)) AS civilians_killed_max,
           CAST(floor(median(killed_best)) AS INTEGER) AS killed_best
    FROM claim_fact {{where_scope}} GROUP BY ALL
),
perpetrators AS (
    SELECT * FROM claim_fact WHERE alleged_actor_id IS NOT NULL AND role = 'perpetrator' {{and_scope}}
),
-- how many distinct sources name each actor (a claim with no source counts alone)
support AS (
    SELECT incident_id, alleged_actor_id AS actor_id,
           count(DISTINCT coalesce(source_id, -claim_id)) AS n_sources
    FROM perpetrators GROUP BY ALL
),
ranked AS (
    SELECT incident_id, actor_id,
           rank() OVER (PARTITION BY incident_id ORDER BY n_sources DESC) AS place,
           count(*) OVER (PARTITION BY incident_id) AS n_actors
    FROM support
),
-- the set of actors each source names; two sources whose sets do not overlap disagree
source_sets AS (
    SELECT incident_id, coalesce(source_id, -claim_id) AS source_key,
           list(DISTINCT alleged_actor_id) AS actors
    FROM perpetrators GROUP BY ALL
),
disputes AS (
    SELECT DISTINCT a.incident_id
    FROM source_sets a JOIN source_sets b
      ON a.incident_id = b.incident_id AND a.source_key < b.source_key
    WHERE NOT list_has_any(a.actors, b.actors)
),
majority AS (
    SELECT incident_id, any_value(n_actors) AS n_actors, count(*) > 1 AS is_tie,
           CASE WHEN count(*) = 1 THEN any_value(actor_id) END AS actor_id
    FROM ranked WHERE place = 1 GROUP BY ALL
),
-- every actor an incident names, in any role
named AS (
    SELECT cf.incident_id, bool_and(a.needs_review) AS all_review,
           bool_or(cf.role = 'perpetrator') AS has_perpetrator
    FROM claim_fact cf JOIN actor a ON a.actor_id = cf.alleged_actor_id {{where_cf_scope}}
    GROUP BY ALL
),
-- clashes: incidents whose named actors are all parties, and the parties' names
clash_parties AS (
    SELECT DISTINCT cf.incident_id, a.actor_id, a.name, a.side
    FROM claim_fact cf JOIN actor a ON a.actor_id = cf.alleged_actor_id
    JOIN named n ON n.incident_id = cf.incident_id AND NOT n.has_perpetrator
    WHERE cf.role = 'party'
),
clashes AS (
    SELECT incident_id, string_agg(name, ' – ' ORDER BY name) AS pair
    FROM clash_parties GROUP BY ALL
),
windows AS (
    SELECT incident_id,
           occurred_on AS window_start,
           CASE date_precision
               WHEN 'week' THEN occurred_on + INTERVAL 6 DAY
               WHEN 'month' THEN last_day(occurred_on)
               ELSE occurred_on END::DATE AS window_end
    FROM canonical
),
-- when, where and how (rules 1-3), per incident and agreement
eligible AS (
    SELECT c.incident_id, ag.agreement_id, ag.bound_sides
    FROM canonical c
    JOIN windows w USING (incident_id)
    JOIN agreement ag
      ON w.window_start >= CAST(ag.in_force_from AS DATE)
     AND (ag.in_force_to IS NULL OR w.window_end <= CAST(ag.in_force_to AS DATE))
    WHERE list_contains({KINETIC_SQL}, c.weapon)
      AND EXISTS (
        SELECT 1 FROM agreement_area ar
        WHERE ar.agreement_id = ag.agreement_id AND ar.governorate = c.governorate
          AND (ar.district IS NULL OR ar.district = c.district))
),
-- who (rule 4): a perpetrator on a bound side (stated: by a stated claim)...
by_perpetrator AS (
    SELECT e.incident_id, e.agreement_id, bool_or(NOT ia.inferred_only) AS stated
    FROM eligible e JOIN incident_actor ia USING (incident_id)
    JOIN actor a USING (actor_id)
    WHERE list_contains(e.bound_sides, a.side) GROUP BY ALL
),
-- ... or a clash between two different sides the agreement binds
by_clash AS (
    SELECT e.incident_id, e.agreement_id
    FROM eligible e JOIN clash_parties p USING (incident_id)
    WHERE list_contains(e.bound_sides, p.side)
    GROUP BY ALL HAVING count(DISTINCT p.side) >= 2
),
violations AS (
    SELECT incident_id, list_sort(list(agreement_id)) AS agreements,
           list_sort(list(agreement_id) FILTER (WHERE stated)) AS stated_agreements,
           bool_and(by_clash) AS only_by_clash
    FROM (SELECT incident_id, agreement_id, stated, false AS by_clash FROM by_perpetrator
          UNION ALL SELECT incident_id, agreement_id, true, true FROM by_clash)
    GROUP BY ALL
)
SELECT c.incident_id, c.occurred_on, c.governorate, c.district, c.latitude, c.longitude,
       c.weapon, c.target_type, c.verification, o.origins, c.is_demo,
       coalesce(cl.n_claims, 0) AS n_claims, coalesce(m.n_actors, 0) AS n_alleged_actors,
       d.incident_id IS NOT NULL OR c.verification = 'disputed' AS is_disputed,
       m.actor_id AS majority_actor_id, coalesce(m.is_tie, false) AS majority_is_tie,
       cl.killed_min, cl.killed_max, cl.wounded_min, cl.wounded_max,
       cl.civilians_killed_min, cl.civilians_killed_max,
       coalesce(v.agreements, []::VARCHAR[]) AS violated_agreements,
       array_to_string(o.origins, ';') AS origins_key,
       v.agreements IS NOT NULL AS is_alleged_violation,
       c.latitude IS NOT NULL AND c.longitude IS NOT NULL AS has_coordinates,
       cl.killed_best,
       k.incident_id IS NOT NULL AS is_clash,
       k.pair AS clash_pair,
       coalesce(v.only_by_clash, false) AS direction_undetermined,
       coalesce(n.all_review, false) AS awaiting_review,
       coalesce(v.stated_agreements, []::VARCHAR[]) AS stated_violated_agreements,
       coalesce(len(v.stated_agreements) > 0, false) AS is_stated_violation
FROM canonical c
JOIN origins o USING (incident_id)
LEFT JOIN claims cl USING (incident_id)
LEFT JOIN majority m USING (incident_id)
LEFT JOIN violations v USING (incident_id)
LEFT JOIN disputes d USING (incident_id)
LEFT JOIN clashes k USING (incident_id)
LEFT JOIN named n USING (incident_id)
ORDER BY c.occurred_on, c.incident_id
"""

# One row per (incident, alleged perpetrator); (incident, CLASH_ACTOR_ID) for a clash;
# (incident, NULL) when no claim names an actor: the LEFT JOIN that 'any' attribution
# counts, done once per write instead of per filter change. Date order, as
# incident_fact, so date filters skip row groups.
_INCIDENT_ACTOR_FACT = f"""
INSERT INTO incident_actor_fact BY NAME
SELECT f.incident_id,
       CASE WHEN f.is_clash THEN {CLASH_ACTOR_ID} ELSE ia.actor_id END AS actor_id,
       f.occurred_on, f.governorate, f.district, f.weapon,
       f.target_type, f.verification, f.origins, f.is_demo, f.violated_agreements,
       f.is_alleged_violation, coalesce(ia.inferred_only, false) AS inferred_only,
       f.is_clash, f.stated_violated_agreements, f.is_stated_violation
FROM (SELECT * FROM incident_fact {{where_scope}}) f
-- both sides cut to the scope: with the filter after the join, a small write joined
-- every incident to its actors first (14 s of a write at ten million incidents)
LEFT JOIN (SELECT * FROM incident_actor {{where_scope}}) ia USING (incident_id)
ORDER BY f.occurred_on, f.incident_id, ia.actor_id
"""


_DERIVED = ("incident_fact", "incident_actor", "incident_actor_fact", "claim_fact")
_SCOPE = "_derive_scope"
_IN_SCOPE = f"IN (SELECT incident_id FROM {_SCOPE})"
#: what the templates' scope markers become: nothing for a full refresh, a filter to the
#: incidents in ``_derive_scope`` (the touched incidents and their events' canonical ones)
_FULL = dict.fromkeys(
    ("scope_claim", "and_scope", "scope_group", "where_scope", "where_cf_scope"),
    "",
)
#: ``_derive_members``: every incident whose event is in the scope (the scope's canonical
#: incidents and the records linked to them), found in one narrow scan. The statements
#: filter on these ids, not on ``coalesce(linked_to, incident_id)``: a filter on a column
#: lets DuckDB skip the row groups that cannot hold them (10M incidents: a small write's
#: statements read the whole incident and claim tables before)
_MEMBERS = "_derive_members"
_IN_MEMBERS = f"IN (SELECT incident_id FROM {_MEMBERS})"
_SCOPED = {
    "scope_claim": f"WHERE c.incident_id {_IN_MEMBERS}",
    "and_scope": f"AND incident_id {_IN_SCOPE}",
    "scope_group": f"WHERE incident_id {_IN_MEMBERS}",
    "where_scope": f"WHERE incident_id {_IN_SCOPE}",
    "where_cf_scope": f"WHERE cf.incident_id {_IN_SCOPE}",
}


def refresh(
    con: duckdb.DuckDBPyConnection,
    incidents: Iterable[int] | None = None,
    *,
    actors: Iterable[int] | None = None,
) -> None:
    """Rebuild the derived tables from the facts. Call inside the writer's transaction.

    With neither ``incidents`` nor ``actors`` every derived row is rebuilt (imports,
    migrations, linking: rows come out in date order). With ``incidents`` (ids a write
    touched; deleted ones too) only those incidents' rows are rebuilt (a linked record's
    through its event's canonical incident); with ``actors``, the incidents whose claims
    name those actors (a side change, a merge). An incident's derived row depends only
    on its own event's rows, the actors its claims name and the agreements, so this
    equals a full refresh (``tests/test_derive_incremental.py`` checks it). A caller
    that unlinks records must pass the ids they were linked to *before* the write.

    Also records the store's data version, so reading it per figure costs one lookup
    instead of hashing every table (see ``dataversion.data_version``); a scoped refresh
    re-hashes only the scope's incidents and claims (``record_data_version``), so a
    caller's ``incidents`` must name every incident whose rows the write changed."""
    if incidents is None and actors is None:
        for table in _DERIVED:
            con.execute(f"DELETE FROM {table}")
        subs = _FULL
    else:
        _make_scope(con, incidents, actors)
        for table in _DERIVED:
            con.execute(f"DELETE FROM {table} WHERE incident_id {_IN_SCOPE}")
        subs = _SCOPED
    for template in (_CLAIM_FACT, _INCIDENT_ACTOR, _INCIDENT_FACT, _INCIDENT_ACTOR_FACT):
        con.execute(template.format(**subs))
    scope = None
    if subs is _SCOPED:  # the data version re-hashes only these incidents' rows
        scope = [r[0] for r in con.execute(f"SELECT incident_id FROM {_SCOPE}").fetchall()]
        con.execute(f"DROP TABLE IF EXISTS {_SCOPE}")
        con.execute(f"DROP TABLE IF EXISTS {_MEMBERS}")
    record_data_version(con, scope)


def _make_scope(con, incidents, actors) -> None:
    """``_derive_scope``: the given incidents (and those whose claims name the given
    actors) and the canonical incident of each one's linked event. Derived rows are
    keyed by the canonical incident, whose rows gather its linked records' claims."""
    ids = sorted({int(i) for i in incidents or ()})
    actor_ids = sorted({int(a) for a in actors or ()})
    named = (  # no scan of every claim when no actor is given
        "UNION SELECT incident_id FROM claim WHERE alleged_actor_id IN (SELECT unnest(?::BIGINT[]))"
        if actor_ids
        else ""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_SCOPE} AS
        WITH given AS (SELECT unnest(?::BIGINT[]) AS incident_id {named})
        SELECT coalesce(i.linked_to, i.incident_id) AS incident_id
        FROM incident i JOIN given USING (incident_id)
        UNION SELECT incident_id FROM given""",
        [ids, actor_ids] if actor_ids else [ids],
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_MEMBERS} AS
        SELECT incident_id FROM incident WHERE coalesce(linked_to, incident_id) {_IN_SCOPE}"""
    )
