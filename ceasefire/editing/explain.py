"""What an incident will count as, before it is saved: the rule for this one incident."""

from __future__ import annotations

import duckdb

from .. import taxonomy
from ..records import write_records
from .incidents import as_record, validate_proposal
from .rows import fetch_rows

_REFERENCE_TABLES = ("actor", "actor_alias", "source", "agreement", "agreement_area")


def explain_counting(con: duckdb.DuckDBPyConnection, proposal: dict) -> str:
    """What an incident (a proposal, before it is saved) will count as, in one sentence:
    "Alleged violation of the Sochi memorandum and the Moscow protocol: inside Harim
    district (Idleb), airstrike, Russia named by 3 of 5 sources." or why it is not.

    The verdict is the store's own rule (``derive.py``), applied to the proposal in a
    scratch in-memory store holding this store's actors, sources and agreements, so it
    reads ``con`` only (a read-only snapshot will do). ``Invalid`` if the proposal is."""
    from ..tables.db import connect

    incident, claims = validate_proposal(proposal)
    scratch = connect(":memory:")
    try:
        for table in _REFERENCE_TABLES:
            frame = con.execute(f"SELECT * FROM {table}").df()
            if not frame.empty:
                scratch.register("_ref", frame)
                scratch.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _ref")
                scratch.unregister("_ref")
        top = scratch.execute("SELECT coalesce(max(actor_id), 0) FROM actor").fetchone()[0]
        scratch.execute("DROP SEQUENCE actor_id_seq")
        scratch.execute(f"CREATE SEQUENCE actor_id_seq START {top + 1}")
        top = scratch.execute("SELECT coalesce(max(source_id), 0) FROM source").fetchone()[0]
        scratch.execute("DROP SEQUENCE source_id_seq")
        scratch.execute(f"CREATE SEQUENCE source_id_seq START {top + 1}")
        incident.pop("origin_id", None)
        write_records(scratch, "manual", [as_record(incident, claims, "preview")])
        return _sentence(scratch)
    finally:
        scratch.close()


def _sentence(s: duckdb.DuckDBPyConnection) -> str:
    """The verdict sentence for the one incident of the scratch store ``s``: the
    agreements it allegedly violates, with its place, weapon and who named whom, or
    every condition it fails."""
    fact = fetch_rows(s, "SELECT * FROM incident_fact", [])[0]
    inc = fetch_rows(s, "SELECT * FROM incident", [])[0]
    names = dict(s.execute("SELECT agreement_id, name FROM agreement").fetchall())
    n_sources = s.execute(
        "SELECT count(DISTINCT coalesce(source_id, -claim_id)) FROM claim"
    ).fetchone()[0]
    named = s.execute(
        """SELECT a.name, a.side, a.needs_review, c.role,
                  count(DISTINCT coalesce(c.source_id, -c.claim_id)) AS n
           FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id
           GROUP BY ALL ORDER BY n DESC, a.name"""
    ).fetchall()
    place = (
        f"inside {inc['district']} district ({inc['governorate']})"
        if inc.get("district")
        else (f"in {inc['governorate']}" if inc.get("governorate") else "place unknown")
    )
    who = [
        f"{name} named as {'a party' if role == 'party' else 'perpetrator'} by {n} of "
        f"{n_sources} sources" + (" (awaiting review)" if review else "")
        for name, _, review, role, n in named
    ]
    who_text = "; ".join(who) if who else "no claim names an actor"
    if fact["violated_agreements"]:
        order = [
            r[0]
            for r in s.execute("SELECT agreement_id FROM agreement ORDER BY signed_on").fetchall()
        ]
        violated = [a for a in order if a in fact["violated_agreements"]]
        agreements = ", ".join(names[a] for a in violated[:-1])
        agreements = f"{agreements} and {names[violated[-1]]}" if agreements else names[violated[0]]
        extra = (
            " (a clash between bound sides: who started it is not stated)"
            if fact.get("direction_undetermined")
            else ""
        )
        return f"Alleged violation of {agreements}{extra}: {place}, {inc['weapon']}, {who_text}."
    reasons = []
    if inc["weapon"] not in taxonomy.KINETIC_WEAPONS:
        reasons.append(f"the weapon ({inc['weapon']}) is not kinetic")
    in_force = s.execute(
        """SELECT count(*) FROM agreement WHERE CAST(in_force_from AS DATE) <= ?
           AND (in_force_to IS NULL OR CAST(in_force_to AS DATE) >= ?)""",
        [inc["occurred_on"], inc["occurred_on"]],
    ).fetchone()[0]
    if not in_force:
        reasons.append(f"no agreement was in force on {inc['occurred_on']}")
    in_area = s.execute(
        """SELECT count(*) FROM agreement_area WHERE governorate = ?
           AND (district IS NULL OR district = ?)""",
        [inc.get("governorate"), inc.get("district")],
    ).fetchone()[0]
    if not in_area:
        reasons.append(f"{place.replace('inside ', '')} is outside the agreements' area")
    bound = {
        side
        for (sides,) in s.execute("SELECT bound_sides FROM agreement").fetchall()
        for side in sides
    }
    if not any(side in bound for _, side, _, role, _ in named if role != "party"):
        reasons.append(
            "no claim names a perpetrator on a side the agreements bind"
            + (f" ({who_text})" if named else "")
        )
    why = "; ".join(reasons) or "its date window is not wholly inside a period in force"
    return f"Not an alleged violation: {why}. {place[0].upper() + place[1:]}, {inc['weapon']}."
