"""Actor judgments: the review queue, sides, merges (and their undoing)."""

from __future__ import annotations

import duckdb
import pandas as pd

from .. import taxonomy
from ..actors import alias_key
from ..auth import require_editor
from ..tables.db import transaction
from .log import logged
from .rows import actor_state, find_row, insert_row, update_row
from .values import Invalid


def find_actor(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """An actor id by its name or any alias; ``ValueError`` if unknown."""
    found = con.execute("SELECT actor_id FROM actor WHERE name = ?", [name.strip()]).fetchone()
    if not found:
        found = con.execute(
            "SELECT actor_id FROM actor_alias WHERE alias_key = ?", [alias_key(name)]
        ).fetchone()
    if not found:
        raise ValueError(f"no actor or alias named {name!r}")
    return found[0]


def review_queue(con: duckdb.DuckDBPyConnection, examples: int = 3) -> pd.DataFrame:
    """Actors awaiting review, most-named first: how many incidents and claims name
    each, and a few example incidents ("2020-03-05 Saraqab (acled SYR123)")."""
    return con.execute(
        """WITH named AS (
               SELECT c.alleged_actor_id AS actor_id, c.claim_id,
                      coalesce(i.linked_to, i.incident_id) AS incident_id,
                      i.occurred_on, i.place_name, i.origin, i.origin_id
               FROM claim c JOIN incident i USING (incident_id)
               WHERE c.alleged_actor_id IN (SELECT actor_id FROM actor WHERE needs_review)),
           ex AS (
               SELECT actor_id, string_agg(
                   strftime(occurred_on, '%Y-%m-%d') || ' ' || coalesce(place_name, '?')
                   || ' (' || origin || ' ' || origin_id || ')', '; '
                   ORDER BY occurred_on DESC) AS examples
               FROM (SELECT *, row_number() OVER (PARTITION BY actor_id
                                                  ORDER BY occurred_on DESC, claim_id) AS n
                     FROM named) WHERE n <= ? GROUP BY actor_id)
           SELECT a.actor_id, a.name, a.side,
                  count(DISTINCT n.incident_id) AS incidents, count(n.claim_id) AS claims,
                  ex.examples
           FROM actor a LEFT JOIN named n USING (actor_id) LEFT JOIN ex USING (actor_id)
           WHERE a.needs_review
           GROUP BY a.actor_id, a.name, a.side, ex.examples
           ORDER BY claims DESC, a.name""",
        [examples],
    ).df()


def set_actor_side(
    con: duckdb.DuckDBPyConnection,
    name: str,
    side: str,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Assign an actor's side (and take it off the review queue); revertible."""
    editor = require_editor(editor, "assigning an actor's side")
    if side not in taxonomy.SIDES:
        raise Invalid({"side": f"{side!r} is not one of: {', '.join(taxonomy.SIDES)}"})
    actor_id = find_actor(con, name)
    row = find_row(con, "actor", "actor_id", actor_id)
    old = {"side": row["side"], "needs_review": row["needs_review"]}
    new = {"side": side, "needs_review": False}
    with transaction(con):
        change_id = apply_actor_update(con, actor_id, old, new, editor, note)
    return change_id


def apply_actor_update(con, actor_id, old, new, editor, note, reverts=None):
    update_row(con, "actor", "actor_id", actor_id, new)
    return logged(
        con,
        "actor",
        actor_id,
        "set-side",
        {**old, "name": find_row(con, "actor", "actor_id", actor_id)["name"]},
        new,
        editor,
        note,
        reverts,
        refresh=True,
        actors=[actor_id],
    )


def merge_actor(
    con: duckdb.DuckDBPyConnection,
    name: str,
    into: str,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Make an actor an alias of another: its aliases and claims move to ``into`` and
    it is removed; revertible (the log keeps which aliases and claims moved)."""
    editor = require_editor(editor, "merging actors")
    source_id = find_actor(con, name)
    target_id = find_actor(con, into)
    if source_id == target_id:
        raise Invalid({"into": f"{name!r} and {into!r} are the same actor"})
    with transaction(con):
        change_id = merge_actor_ids(con, source_id, target_id, editor, note, None)
    return change_id


def merge_actor_ids(con, source_id, target_id, editor, note, reverts) -> int:
    state = actor_state(con, source_id)
    state["claim_ids"] = [
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM claim WHERE alleged_actor_id = ? ORDER BY claim_id", [source_id]
        ).fetchall()
    ]
    con.execute("UPDATE actor_alias SET actor_id = ? WHERE actor_id = ?", [target_id, source_id])
    con.execute(
        "UPDATE claim SET alleged_actor_id = ? WHERE alleged_actor_id = ?", [target_id, source_id]
    )
    con.execute("DELETE FROM actor WHERE actor_id = ?", [source_id])
    target = find_row(con, "actor", "actor_id", target_id)
    return logged(
        con,
        "actor",
        source_id,
        "merge",
        state,
        {"into": target_id, "into_name": target["name"]},
        editor,
        note,
        reverts,
        refresh=True,
        actors=[target_id],
    )


def unmerge_actor(con, state: dict, editor, note, reverts) -> int:
    actor = {k: state[k] for k in ("actor_id", "name", "side", "needs_review")}
    insert_row(con, "actor", actor)
    for key in state["aliases"]:
        con.execute(
            "UPDATE actor_alias SET actor_id = ? WHERE alias_key = ?", [actor["actor_id"], key]
        )
    if state["claim_ids"]:
        con.execute(
            "UPDATE claim SET alleged_actor_id = ? WHERE claim_id IN (SELECT unnest(?))",
            [actor["actor_id"], state["claim_ids"]],
        )
    return logged(
        con,
        "actor",
        actor["actor_id"],
        "unmerge",
        None,
        state,
        editor,
        note,
        reverts,
        refresh=True,
        actors=[actor["actor_id"]],
    )
