"""Claims and the source registry: add, edit, delete."""

from __future__ import annotations

import duckdb

from .. import taxonomy
from ..auth import require_editor
from ..overrides import claim_override_key, drop_override, set_override
from ..tables import derive
from ..tables.db import next_ids, transaction
from .log import log_pending, logged
from .rows import claim_row, incident_row, insert_row, resolve_actor, resolve_source, update_row
from .validate import NAME_FIELDS, clean_claim, clean_claim_changes
from .values import DELETED, WORD_FIELDS, Invalid, jsonable


def add_claim(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    claim: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Add a claim to an incident (source by name, added to the registry if new; actor
    by name, a new name flagged for review); returns the claim id."""
    editor = require_editor(editor, "adding a claim")
    incident_row(con, incident_id)
    cleaned, errors = clean_claim(claim)
    if errors:
        raise Invalid(errors)
    with transaction(con):
        change_id = add_claim_row(con, int(incident_id), cleaned, editor, note)
    return con.execute(
        "SELECT claim_id FROM editor_claim WHERE change_id = ?", [change_id]
    ).fetchone()[0]


def edit_claim(
    con: duckdb.DuckDBPyConnection,
    claim_id: int,
    changes: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Change a claim: figures (``killed_min``..., or ``killed_qualifier`` with
    ``killed_figure``, the number the source wrote), quote, publication date,
    ``source_name`` or ``alleged_actor`` (by name). Only the fields given are compared
    with the stored claim, and only those that differ are written. Returns the change
    id, None if nothing changed."""
    editor = require_editor(editor, "editing a claim")
    current = claim_row(con, claim_id)
    typed, errors = clean_claim_changes(current, changes)
    if errors:
        raise Invalid(errors)
    with transaction(con):
        ids = write_claim_changes(con, current, typed, editor, note)
    return ids[-1] if ids and ids[-1] is not None else None


def write_claim_changes(con, current: dict, typed: dict, editor, note) -> list:
    """Write a claim's cleaned changes (``clean_claim_changes``): names resolved to ids
    (a new source or actor is created and logged), then one logged update of the
    columns that differ from ``current``. Returns the new sources' and actors' change
    ids and the update's last (None when no column differs)."""
    pending: list = []
    values = dict(typed)
    if "source_name" in values:
        described = {k: values.pop(k, None) for k in NAME_FIELDS if k.startswith("source_")}
        values["source_id"] = resolve_source(con, described, editor, note, pending)
    for key in ("source_kind", "source_affiliation", "source_url"):
        values.pop(key, None)  # describe a new source only
    if "alleged_actor" in values:
        values["alleged_actor_id"] = resolve_actor(con, values.pop("alleged_actor"), pending)
    ids: list = list(log_pending(con, pending, editor, note))
    diff = {k: v for k, v in values.items() if v != current[k]}
    if not diff:
        return [*ids, None]
    old = {k: current[k] for k in diff}
    return [*ids, apply_claim_update(con, current, old, diff, editor, note)]


def apply_claim_update(con, current, old, new, editor, note, reverts=None, action="update"):
    key = claim_override_key(con, current)
    update_row(con, "claim", "claim_id", current["claim_id"], new)
    change_id = logged(
        con,
        "claim",
        current["claim_id"],
        action,
        {**old, "incident_id": current["incident_id"]},
        {**new, "incident_id": current["incident_id"]},
        editor,
        note,
        reverts,
    )
    if key is not None:
        for field, value in new.items():
            set_override(con, key[0], key[1], field, value, old[field], change_id)
    derive.refresh(con, [current["incident_id"]])
    return change_id


def delete_claim_row(con, row, editor, note, reverts, action):
    key = claim_override_key(con, row)
    added_by = con.execute(
        "SELECT change_id FROM editor_claim WHERE claim_id = ?", [row["claim_id"]]
    ).fetchone()
    con.execute("DELETE FROM claim WHERE claim_id = ?", [row["claim_id"]])
    con.execute("DELETE FROM editor_claim WHERE claim_id = ?", [row["claim_id"]])
    kept = {"editor_added": key is None, "claim_key": None if key is None else key[1]}
    if added_by is not None:  # the change that added it, for a revert to restore
        kept["added_by"] = added_by[0]
    change_id = logged(
        con,
        "claim",
        row["claim_id"],
        action,
        {**row, **kept},
        None,
        editor,
        note,
        reverts,
    )
    if key is not None:
        set_override(con, key[0], key[1], DELETED, True, None, change_id)
    derive.refresh(con, [row["incident_id"]])
    return change_id


def restore_claim_row(con, old: dict, editor, note, reverts, action) -> int:
    kept = ("editor_added", "ordinal", "claim_key", "added_by")
    row = {k: v for k, v in old.items() if k not in kept}
    insert_row(con, "claim", row)
    change_id = logged(con, "claim", row["claim_id"], action, None, row, editor, note, reverts)
    if old.get("editor_added", True):  # under the change that added it (this one, if unknown)
        con.execute(
            "INSERT OR IGNORE INTO editor_claim VALUES (?, ?)",
            [row["claim_id"], old.get("added_by") or change_id],
        )
    else:  # the key it was deleted under (``ordinal``: a deletion logged before schema 5)
        key = old.get("claim_key") or (None if old.get("ordinal") is None else f"#{old['ordinal']}")
        if key is not None:
            drop_override(con, incident_row(con, row["incident_id"]), key, DELETED)
    derive.refresh(con, [row["incident_id"]])
    return change_id


# --- sources -----------------------------------------------------------------------


def add_source(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    kind: str = "media",
    affiliation: str = "unknown",
    url: str | None = None,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Add a source to the registry; returns its id (refuses a name already there)."""
    editor = require_editor(editor, "adding a source")
    cleaned, errors = clean_claim(
        {
            "source_name": name,
            "source_kind": kind,
            "source_affiliation": affiliation,
            "source_url": url,
        }
    )
    if not cleaned["source_name"]:
        errors["source_name"] = "required"
    elif con.execute("SELECT count(*) FROM source WHERE name = ?", [name.strip()]).fetchone()[0]:
        errors["source_name"] = f"{name.strip()!r} is already in the registry"
    if errors:
        raise Invalid(errors)
    with transaction(con):
        pending: list = []
        source_id = resolve_source(con, cleaned, editor, note, pending)
        log_pending(con, pending, editor, note)
        derive.refresh(con, [])  # no incident changes; the data version follows the registry
    return source_id


def add_claim_row(con, incident_id: int, cleaned: dict, editor: str, note: str | None) -> int:
    """Insert one claim an editor added (names resolved, new ones logged); its change id."""
    pending: list = []
    row = {
        "claim_id": next_ids(con, "claim_id_seq", 1)[0],
        "incident_id": int(incident_id),
        "source_id": resolve_source(con, cleaned, editor, note, pending),
        "alleged_actor_id": resolve_actor(con, cleaned.get("alleged_actor"), pending),
        **{f: cleaned.get(f) for f in taxonomy.CASUALTY_FIELDS},
        "role": cleaned["role"],
        "quote": cleaned.get("quote"),
        "published_on": jsonable(cleaned.get("published_on")),
        **{f: cleaned.get(f) for f in WORD_FIELDS},
        "is_demo": False,
    }
    insert_row(con, "claim", row)
    pending.append(("claim", row["claim_id"], "create", None, row))
    ids = log_pending(con, pending, editor, note)
    con.execute("INSERT INTO editor_claim VALUES (?, ?)", [row["claim_id"], ids[-1]])
    derive.refresh(con, [int(incident_id)])
    return ids[-1]
