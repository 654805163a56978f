"""Reverting a change (itself a logged change), and settling an import conflict."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from ..auth import require_editor
from ..overrides import claim_label, claim_override_key, find_claim, override_where
from ..sqlparams import merge
from ..tables import derive
from ..tables.db import transaction
from . import undo
from .actors import apply_actor_update, merge_actor_ids, unmerge_actor
from .claims import apply_claim_update, delete_claim_row, edit_claim, restore_claim_row
from .incidents import (
    apply_incident_update,
    delete_incident_rows,
    edit_incident,
    insert_incident_rows,
)
from .log import history, logged
from .rows import claim_row, find_row, incident_row, insert_row
from .same_event import revert_decision
from .tallies import revert_tally
from .values import INCIDENT_KEY, from_json_text


def _change(con, change_id: int) -> dict:
    entries = [e for e in history(con) if e["change_id"] == int(change_id)]
    if not entries:
        raise ValueError(f"change {change_id} is not in the log")
    return entries[0]


def _require_current(current: dict, expected: dict, what: str) -> None:
    changed = {k: current.get(k) for k, v in expected.items() if current.get(k) != v}
    if changed:
        raise ValueError(
            f"{what} has changed since ({', '.join(f'{k} is now {v!r}' for k, v in changed.items())}); "
            "revert the later change first"
        )


def revert(
    con: duckdb.DuckDBPyConnection,
    change_id: int,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Undo one change by writing its old values back; the revert is itself a logged
    change (``reverts`` = the change undone). Returns the new change's id.

    How a change is undone depends on what it was: ``_REVERSES`` below holds one
    handler per kind of change."""
    editor = require_editor(editor, "reverting a change")
    c = _change(con, change_id)
    note = note or f"revert of change {c['change_id']}"
    reverse = _reverse_of(c)
    with transaction(con):
        return reverse(con, c, editor, note)


Reverse = Callable[[duckdb.DuckDBPyConnection, dict, str, str], int]


def _reverse_of(c: dict) -> Reverse:
    """The handler for a change: by its action when that action has a reverse of its own
    (a link, a merge, an import), else by what its values say it did (``_done``)."""
    entity, action = c["entity"], c["action"]
    reverse = _REVERSES.get((entity, action)) or _REVERSES.get((entity, _done(c)))
    if reverse is None:
        raise ValueError(f"change {c['change_id']} ({entity} {action}) cannot be reverted")
    return reverse


def _done(c: dict) -> str:
    """What a change did, read from its values: no old values is a creation, no new
    values a deletion, both an update. (In words no action is named: the actions are
    verbs, "create", "delete", "update".)"""
    if c["old"] is None:
        return "a creation"
    if c["new"] is None:
        return "a deletion"
    return "an update"


def _restore_import(con, c: dict, editor: str, note: str) -> int:
    """An import or the demo removal: the store's kept before-state back."""
    undo.restore_before(con, c["change_id"])
    return logged(con, "import", c["entity_id"], "revert", None, None, editor, note, c["change_id"])


def _updated_fields(c: dict) -> tuple[dict, dict]:
    """(the values to write back, the values the change wrote), without the incident id
    (a claim's incident is not edited by a revert)."""
    back = {k: v for k, v in c["old"].items() if k != "incident_id"}
    after = {k: v for k, v in c["new"].items() if k != "incident_id"}
    return back, after


def _revert_incident_update(con, c: dict, editor: str, note: str) -> int:
    """An incident edit: the old values back, if the fields still hold what it wrote;
    an override it leaves in place names the change it came from again."""
    back, after = _updated_fields(c)
    current = incident_row(con, int(c["entity_id"]))
    _require_current(current, after, f"incident {c['entity_id']}")
    done = apply_incident_update(con, current, after, back, editor, note, c["change_id"])
    _overrides_named_back(con, c, done, current, INCIDENT_KEY)
    return done


def _revert_claim_update(con, c: dict, editor: str, note: str) -> int:
    """A claim edit: as an incident edit, for the claim's fields."""
    back, after = _updated_fields(c)
    current = claim_row(con, int(c["entity_id"]))
    _require_current(current, after, f"claim {c['entity_id']}")
    done = apply_claim_update(con, current, after, back, editor, note, c["change_id"])
    key = claim_override_key(con, current)
    if key is not None:
        _overrides_named_back(con, c, done, key[0], key[1])
    return done


def _delete_created_incident(con, c: dict, editor: str, note: str) -> int:
    """A creation of an incident: delete it again (with its claims)."""
    row = incident_row(con, int(c["entity_id"]))
    return delete_incident_rows(con, row, editor, note, c["change_id"], "delete")


def _restore_deleted_incident(con, c: dict, editor: str, note: str) -> int:
    """A deletion of an incident: its rows back; the incidents linked to or from it are
    refreshed with it."""
    old = c["old"]
    if find_row(con, "incident", "incident_id", old["incident_id"]):
        raise ValueError(f"incident {old['incident_id']} is in the store already")
    insert_incident_rows(con, old)
    linked = [
        *([old["linked_to"]] if old.get("linked_to") is not None else []),
        *(old.get("linked_records") or []),
    ]
    return logged(
        con,
        "incident",
        old["incident_id"],
        "create",
        None,
        old,
        editor,
        note,
        c["change_id"],
        refresh=True,
        incidents=[old["incident_id"], *linked],
    )


def _delete_created_claim(con, c: dict, editor: str, note: str) -> int:
    """A claim added: delete it again."""
    row = claim_row(con, int(c["entity_id"]))
    return delete_claim_row(con, row, editor, note, c["change_id"], "delete")


def _restore_deleted_claim(con, c: dict, editor: str, note: str) -> int:
    """A claim deleted: its row back (an imported claim's deletion override goes too)."""
    old = c["old"]
    if find_row(con, "claim", "claim_id", old["claim_id"]):
        raise ValueError(f"claim {old['claim_id']} is in the store already")
    return restore_claim_row(con, old, editor, note, c["change_id"], "create")


def _delete_created_source(con, c: dict, editor: str, note: str) -> int:
    """A source added: removed again, unless a claim cites it by now."""
    new = c["new"]
    used = con.execute(
        "SELECT count(*) FROM claim WHERE source_id = ?", [new["source_id"]]
    ).fetchone()[0]
    if used:
        raise ValueError(
            f"source {new['name']!r} is cited by {used} claims; revert or edit those first"
        )
    con.execute("DELETE FROM source WHERE source_id = ?", [new["source_id"]])
    derive.refresh(con, [])  # no claim cites it; the data version follows
    return logged(
        con, "source", new["source_id"], "delete", new, None, editor, note, c["change_id"]
    )


def _restore_deleted_source(con, c: dict, editor: str, note: str) -> int:
    """A source removed: its row back."""
    old = c["old"]
    insert_row(con, "source", old)
    derive.refresh(con, [])
    return logged(
        con, "source", old["source_id"], "create", None, old, editor, note, c["change_id"]
    )


def _revert_set_side(con, c: dict, editor: str, note: str) -> int:
    """An actor's side set: the old side and review flag back, if still as it left them."""
    actor_id = int(c["entity_id"])
    current = find_row(con, "actor", "actor_id", actor_id)
    if current is None:
        raise ValueError(f"actor {actor_id} is no longer in the store (merged?)")
    _require_current(current, c["new"], f"actor {current['name']!r}")
    back = {"side": c["old"]["side"], "needs_review": c["old"]["needs_review"]}
    return apply_actor_update(
        con, actor_id, {k: current[k] for k in back}, back, editor, note, c["change_id"]
    )


def _revert_merge(con, c: dict, editor: str, note: str) -> int:
    """A merge of two actors: the merged actor, its aliases and its claims apart again."""
    return unmerge_actor(con, c["old"], editor, note, c["change_id"])


def _revert_unmerge(con, c: dict, editor: str, note: str) -> int:
    """An unmerge (a merge's revert): merged again into the actor it was split from."""
    into = _change(con, c["reverts"])["new"]["into"] if c["reverts"] else None
    if into is None:
        raise ValueError(f"cannot tell which actor change {c['change_id']} split from")
    return merge_actor_ids(con, c["new"]["actor_id"], into, editor, note, c["change_id"])


def _delete_created_actor(con, c: dict, editor: str, note: str) -> int:
    """A new actor: removed again (with its aliases), unless a claim names it by now."""
    new = c["new"]
    actor_id = new["actor_id"]
    used = con.execute(
        "SELECT count(*) FROM claim WHERE alleged_actor_id = ?", [actor_id]
    ).fetchone()[0]
    if used:
        raise ValueError(
            f"actor {new['name']!r} is named by {used} claims; revert or edit those first"
        )
    con.execute("DELETE FROM actor_alias WHERE actor_id = ?", [actor_id])
    con.execute("DELETE FROM actor WHERE actor_id = ?", [actor_id])
    derive.refresh(con, [])  # no claim names it
    return logged(con, "actor", actor_id, "delete", new, None, editor, note, c["change_id"])


def _restore_deleted_actor(con, c: dict, editor: str, note: str) -> int:
    """A removed actor: its row and aliases back."""
    old = c["old"]
    insert_row(con, "actor", {k: old[k] for k in ("actor_id", "name", "side", "needs_review")})
    for key in old.get("aliases") or []:
        con.execute(
            "INSERT OR IGNORE INTO actor_alias VALUES (?, ?, ?)",
            [key, key, old["actor_id"]],
        )
    derive.refresh(con, actors=[old["actor_id"]])
    return logged(con, "actor", old["actor_id"], "create", None, old, editor, note, c["change_id"])


#: How each kind of change is undone, by (entity, action) for the actions with a reverse
#: of their own, else by (entity, what the change did: ``_done``). A change of a kind not
#: listed cannot be reverted.
_REVERSES: dict[tuple[str, str], Reverse] = {
    ("import", "import"): _restore_import,
    ("import", "remove-origin"): _restore_import,
    ("tally", "a creation"): revert_tally,
    ("tally", "a deletion"): revert_tally,
    ("tally", "an update"): revert_tally,
    ("incident", "link"): revert_decision,
    ("incident", "unlink"): revert_decision,
    ("incident", "distinct"): revert_decision,
    ("incident", "an update"): _revert_incident_update,
    ("incident", "a creation"): _delete_created_incident,
    ("incident", "a deletion"): _restore_deleted_incident,
    ("claim", "an update"): _revert_claim_update,
    ("claim", "a creation"): _delete_created_claim,
    ("claim", "a deletion"): _restore_deleted_claim,
    ("source", "a creation"): _delete_created_source,
    ("source", "a deletion"): _restore_deleted_source,
    ("actor", "set-side"): _revert_set_side,
    ("actor", "merge"): _revert_merge,
    ("actor", "unmerge"): _revert_unmerge,
    ("actor", "a creation"): _delete_created_actor,
    ("actor", "a deletion"): _restore_deleted_actor,
}


def _overrides_named_back(con, reverted: dict, done: int, incident: dict, claim_key: str) -> None:
    """After reverting an update, an override it leaves in place holds an earlier
    change's value again: name that change (the latest before it that wrote the field),
    as the override did before the reverted change, not the revert."""
    earlier = [
        e
        for e in history(con)
        if e["entity"] == reverted["entity"]
        and e["entity_id"] == reverted["entity_id"]
        and e["change_id"] < reverted["change_id"]
        and isinstance(e["new"], dict)
    ]
    for field in reverted["old"]:
        prior = next((e["change_id"] for e in earlier if field in e["new"]), None)
        if prior is None:
            continue
        where, params = override_where(incident, claim_key, field)
        con.execute(
            f"UPDATE edit_override SET change_id = $prior WHERE {where} AND change_id = $done",
            merge(params, {"prior": prior, "done": done}),
        )


def accept_imported(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    origin_id: str,
    field: str,
    *,
    claim_key: str = INCIDENT_KEY,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Settle a conflict in the dataset's favour: the field (of the incident, or of the
    claim ``claim_key`` names; see ``conflicts``) takes the latest imported value and
    the override goes (logged as an edit)."""
    editor = require_editor(editor, "settling a conflict")
    where, params = override_where({"origin": origin, "origin_id": origin_id}, claim_key, field)
    found = con.execute(
        f"SELECT latest_imported FROM edit_override WHERE {where}", params
    ).fetchone()
    if found is None:
        raise ValueError(f"no override of {field} on {origin}/{origin_id}")
    value = from_json_text(found[0])
    incident_id = con.execute(
        "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?", [origin, origin_id]
    ).fetchone()[0]
    if claim_key == INCIDENT_KEY:
        change = edit_incident(con, incident_id, {field: value}, editor=editor, note=note)
    else:
        claim_id = find_claim(con, incident_id, claim_key)
        if claim_id is None:
            raise ValueError(f"{origin}/{origin_id} has no {claim_label(claim_key)}")
        change = edit_claim(con, claim_id, {field: value}, editor=editor, note=note)
    with transaction(con):
        con.execute(f"DELETE FROM edit_override WHERE {where}", params)
    return change
