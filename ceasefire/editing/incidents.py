"""Incidents: create, edit, delete, and the incident editor's whole save."""

from __future__ import annotations

import re
import unicodedata

import duckdb

from .. import taxonomy
from ..auth import require_editor
from ..overrides import set_override
from ..records import ClaimRecord, IncidentRecord, WriteSummary, write_records
from ..tables import derive
from ..tables.db import transaction
from .claims import add_claim_row, delete_claim_row, write_claim_changes
from .log import log_pending, logged
from .rows import actor_state, claim_row, fetch_rows, find_row, incident_row, insert_row, update_row
from .same_event import Distinct, Link, apply_decision, candidates, check_decision, distinct_rows
from .validate import clean_claim, clean_claim_changes, clean_incident, keep_pcodes
from .values import INCIDENT_FIELDS, INCIDENT_KEY, Invalid, jsonable, read_proposal


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "incident"


def validate_proposal(proposal: dict) -> tuple[dict, list[dict]]:
    """Clean incident fields and claims of a proposal; ``Invalid`` lists every problem."""
    fields, claims, _ = read_proposal(proposal)
    incident, errors = clean_incident(fields)
    cleaned = []
    for i, claim in enumerate(claims):
        c, claim_errors = clean_claim(claim, prefix=f"claims[{i}].")
        errors.update(claim_errors)
        cleaned.append(c)
    if errors:
        raise Invalid(errors)
    incident["origin_id"] = fields.get("origin_id")
    return incident, cleaned


def same_event_candidates(
    con: duckdb.DuckDBPyConnection, proposal: dict, origin: str = taxonomy.ORIGIN_MANUAL
) -> list:
    """The stored incidents that may record the same event as a proposal (``same_event``
    module), nearest first; ``Invalid`` when it cannot be saved (incomplete, or its
    ``origin_id`` taken)."""
    incident, claims = validate_proposal(proposal)
    _new_origin_id(con, proposal, incident, origin)
    return candidates(con, incident, claims)


def _new_origin_id(con, proposal: dict, incident: dict, origin: str) -> str:
    """The new incident's origin id: the proposal's (refused when taken), else one made
    from its date and place (``-2``, ``-3``... when taken)."""
    origin_id = incident.pop("origin_id", None) or (
        f"{incident['occurred_on']:%Y-%m-%d}-{_slug(incident.get('place_name') or 'incident')}"
    )
    taken = {
        r[0]
        for r in con.execute(
            "SELECT origin_id FROM incident WHERE origin = ? AND origin_id LIKE ?",
            [origin, origin_id + "%"],
        ).fetchall()
    }
    if proposal.get("origin_id") and origin_id in taken:
        raise Invalid({"origin_id": f"{origin}/{origin_id} is already in the store"})
    base, n = origin_id, 2
    while origin_id in taken:
        origin_id, n = f"{base}-{n}", n + 1
    return origin_id


def as_record(incident: dict, claims: list[dict], origin_id: str) -> IncidentRecord:
    fields = {k: v for k, v in incident.items() if k in INCIDENT_FIELDS}
    record_claims = []
    for c in claims:
        kw = {k: v for k, v in c.items() if k in ClaimRecord.__dataclass_fields__}
        kw["source_kind"] = kw.get("source_kind") or "media"
        kw["source_affiliation"] = kw.get("source_affiliation") or "unknown"
        record_claims.append(ClaimRecord(**kw))
    return IncidentRecord(origin_id=origin_id, claims=record_claims, **fields)


def create_incident(
    con: duckdb.DuckDBPyConnection,
    proposal: dict,
    *,
    editor: str | None,
    note: str | None = None,
    origin: str = taxonomy.ORIGIN_MANUAL,
    same_event: Link | Distinct | None = None,
) -> int:
    """Add an incident with its claims (a proposal, see the module doc); its new
    sources go into the registry and new actor names to the review queue, each logged.
    Returns the new incident's id. Refuses an ``origin_id`` already in the store.

    When the store holds incidents that may record the same event (``same_event``
    module), it is refused (``SameEventUndecided``, listing them) unless ``same_event``
    decides: ``Link(id)`` (the same event, counted once) or ``Distinct(note)``; the
    decision is written and logged in the same transaction."""
    editor = require_editor(editor, "adding an incident")
    incident, claims = validate_proposal(proposal)
    origin_id = _new_origin_id(con, proposal, incident, origin)
    found = candidates(con, incident, claims)
    check_decision(con, found, same_event)
    note = note or proposal.get("note")
    before_sources = {r[0] for r in con.execute("SELECT name FROM source").fetchall()}

    def log(c: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
        incident_id = c.execute(
            "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?",
            [origin, origin_id],
        ).fetchone()[0]
        pending = []
        for name in sorted({cl["source_name"] for cl in claims if cl.get("source_name")}):
            if name not in before_sources:
                row = find_row(c, "source", "name", name)
                pending.append(("source", row["source_id"], "create", None, row))
        for name in summary.new_actors:
            actor_id = c.execute("SELECT actor_id FROM actor WHERE name = ?", [name]).fetchone()
            if actor_id:
                pending.append(("actor", actor_id[0], "create", None, actor_state(c, actor_id[0])))
        row = find_row(c, "incident", "incident_id", incident_id)
        row["claims"] = fetch_rows(
            c, "SELECT * FROM claim WHERE incident_id = ? ORDER BY claim_id", [incident_id]
        )
        pending.append(("incident", incident_id, "create", None, row))
        log_pending(c, pending, editor, note)
        apply_decision(c, incident_id, found, same_event, editor)

    write_records(con, origin, [as_record(incident, claims, origin_id)], on_commit=log)
    return con.execute(
        "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?", [origin, origin_id]
    ).fetchone()[0]


def edit_incident(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    changes: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Set incident fields; returns the change id (None when nothing changed). The new
    values are kept as the editor's overrides (they survive re-imports)."""
    editor = require_editor(editor, "editing an incident")
    current = incident_row(con, incident_id)
    cleaned, errors = clean_incident(changes, partial=True)
    keep_pcodes(cleaned, current)
    merged = {**current, **{k: jsonable(v) for k, v in cleaned.items()}}
    for key in ("latitude", "longitude"):
        if (merged["latitude"] is None) != (merged["longitude"] is None) and key in cleaned:
            errors[key] = "latitude and longitude go together (give both or neither)"
    if errors:
        raise Invalid(errors)
    diff = {k: jsonable(v) for k, v in cleaned.items() if jsonable(v) != current[k]}
    if not diff:
        return None
    old = {k: current[k] for k in diff}
    with transaction(con):
        change_id = apply_incident_update(con, current, old, diff, editor, note)
    return change_id


def apply_incident_update(con, current, old, new, editor, note, reverts=None, action="update"):
    update_row(con, "incident", "incident_id", current["incident_id"], new)
    change_id = logged(
        con, "incident", current["incident_id"], action, old, new, editor, note, reverts
    )
    for field, value in new.items():
        set_override(con, current, INCIDENT_KEY, field, value, old[field], change_id)
    derive.refresh(con, [current["incident_id"]])
    return change_id


def delete_incident(
    con: duckdb.DuckDBPyConnection, incident_id: int, *, editor: str | None, note: str | None
) -> int:
    """Delete an incident and its claims (revertible: the log keeps them)."""
    editor = require_editor(editor, "deleting an incident")
    row = incident_row(con, incident_id)
    with transaction(con):
        return delete_incident_rows(con, row, editor, note, None, "delete")


def delete_incident_rows(con, row, editor, note, reverts, action):
    incident_id = row["incident_id"]
    row["claims"] = fetch_rows(
        con, "SELECT * FROM claim WHERE incident_id = ? ORDER BY claim_id", [incident_id]
    )
    # what goes with it, kept in the log for a revert: the claims editors added (with
    # the changes that added them), the distinct marks naming it, the records linked to it
    row["editor_claims"] = [
        list(r)
        for r in con.execute(
            "SELECT claim_id, change_id FROM editor_claim WHERE claim_id IN "
            "(SELECT claim_id FROM claim WHERE incident_id = ?) ORDER BY claim_id",
            [incident_id],
        ).fetchall()
    ]
    row["distinct"] = distinct_rows(con, incident_id)
    con.execute("DELETE FROM incident_distinct WHERE ? IN (incident_id, other_id)", [incident_id])
    row["linked_records"] = [
        r[0]
        for r in con.execute(
            "SELECT incident_id FROM incident WHERE linked_to = ? ORDER BY incident_id",
            [incident_id],
        ).fetchall()
    ]
    # the derived rows to rebuild: this incident, its event's canonical record and the
    # records linked to it (they become canonical)
    touched = [incident_id, *([row["linked_to"]] if row.get("linked_to") is not None else [])]
    touched += row["linked_records"]
    con.execute(
        "UPDATE incident SET linked_to = NULL WHERE linked_to = ?", [incident_id]
    )  # linked records of the same event become canonical
    con.execute(
        "DELETE FROM editor_claim WHERE claim_id IN (SELECT claim_id FROM claim "
        "WHERE incident_id = ?)",
        [incident_id],
    )
    con.execute("DELETE FROM claim WHERE incident_id = ?", [incident_id])
    con.execute("DELETE FROM incident WHERE incident_id = ?", [incident_id])
    return logged(
        con,
        "incident",
        incident_id,
        action,
        row,
        None,
        editor,
        note,
        reverts,
        refresh=True,
        incidents=touched,
    )


def insert_incident_rows(con, row: dict) -> None:
    kept = ("claims", "editor_claims", "distinct", "linked_records")
    incident = {k: v for k, v in row.items() if k not in kept}
    insert_row(con, "incident", incident)
    for claim in row.get("claims") or []:
        insert_row(con, "claim", claim)
    for added in row.get("editor_claims") or []:  # [claim, change] (a bare id before v6)
        claim_id, change_id = added if isinstance(added, list) else (added, 0)
        con.execute("INSERT OR IGNORE INTO editor_claim VALUES (?, ?)", [claim_id, change_id])
    for pair in row.get("distinct") or []:
        con.execute("INSERT OR IGNORE INTO incident_distinct VALUES (?, ?, ?)", pair)
    if row.get("linked_records"):
        con.execute(
            "UPDATE incident SET linked_to = ? WHERE incident_id IN (SELECT unnest(?::BIGINT[]))",
            [incident["incident_id"], row["linked_records"]],
        )


def save_incident(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    fields: dict,
    claims: list[dict],
    *,
    editor: str | None,
    note: str | None = None,
) -> list[int]:
    """The incident editor's save of an existing incident, all or nothing. ``fields``:
    the incident fields to set; ``claims``: every claim the incident keeps - one with a
    ``claim_id`` sets the fields it gives (only those: ``form.form_changes`` sends what
    the editor changed, so nothing else is rewritten), one without is added - and the
    incident's claims missing from ``claims`` are deleted. Only values that differ from
    the stored ones are written. Everything is validated first (``Invalid`` lists every
    problem); returns the change ids."""
    editor = require_editor(editor, "editing an incident")
    current = incident_row(con, incident_id)
    cleaned, errors = clean_incident(fields, partial=True)
    keep_pcodes(cleaned, current)
    merged = {**current, **{k: jsonable(v) for k, v in cleaned.items()}}
    if (merged["latitude"] is None) != (merged["longitude"] is None):
        errors["latitude"] = "latitude and longitude go together (give both or neither)"
    existing = {
        r["claim_id"]: r
        for r in fetch_rows(con, "SELECT * FROM claim WHERE incident_id = ?", [int(incident_id)])
    }
    plan: list[tuple[int | None, dict]] = []
    for i, claim in enumerate(claims):
        prefix = f"claims[{i}]."
        if claim.get("claim_id") is None:
            c, claim_errors = clean_claim(claim, prefix=prefix)
            plan.append((None, c))
        elif int(claim["claim_id"]) not in existing:
            claim_errors = {
                f"{prefix}claim_id": f"claim {claim['claim_id']} is not this incident's"
            }
        else:
            claim_id = int(claim["claim_id"])
            c, claim_errors = clean_claim_changes(existing[claim_id], claim, prefix=prefix)
            plan.append((claim_id, c))
        errors.update(claim_errors)
    if errors:
        raise Invalid(errors)
    changes: list[int] = []
    with transaction(con):
        diff = {k: jsonable(v) for k, v in cleaned.items() if jsonable(v) != current[k]}
        if diff:
            changes.append(
                apply_incident_update(
                    con, current, {k: current[k] for k in diff}, diff, editor, note
                )
            )
        kept = {claim_id for claim_id, _ in plan if claim_id is not None}
        for claim_id in sorted(set(existing) - kept):
            changes.append(
                delete_claim_row(con, claim_row(con, claim_id), editor, note, None, "delete")
            )
        for claim_id, c in plan:
            if claim_id is None:
                changes.append(add_claim_row(con, int(incident_id), c, editor, note))
            else:
                ids = write_claim_changes(con, claim_row(con, claim_id), c, editor, note)
                changes.extend(i for i in ids if i is not None)
    return changes
