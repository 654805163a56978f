"""Small store helpers: rows as JSON-ready dicts, inserts and updates, sources and
actors resolved by name (new ones logged)."""

from __future__ import annotations

from ..actors import ActorResolver
from ..overrides import claim_row as claim_row  # re-exported: the store helpers live below records
from ..overrides import find_row, typed_value
from ..overrides import incident_row as incident_row
from ..overrides import update_row as update_row
from ..tables.db import next_ids
from .values import jsonable


def fetch_rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [{n: jsonable(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def insert_row(con, table: str, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [typed_value(table, c, row[c]) for c in cols],
    )


def resolve_source(con, claim: dict, editor: str, note: str | None, log: list) -> int | None:
    """The source id for a claim's ``source_name``; a new name is added to the registry
    (kind, affiliation and URL from the claim) and logged."""
    name = claim.get("source_name")
    if not name:
        return None
    found = con.execute("SELECT source_id FROM source WHERE name = ?", [name]).fetchone()
    if found:
        return found[0]
    row = {
        "source_id": next_ids(con, "source_id_seq", 1)[0],
        "name": name,
        "kind": claim.get("source_kind") or "media",
        "affiliation": claim.get("source_affiliation") or "unknown",
        "url": claim.get("source_url"),
    }
    insert_row(con, "source", row)
    log.append(("source", row["source_id"], "create", None, row))
    return row["source_id"]


def resolve_actor(con, name: str | None, log: list) -> int | None:
    """An actor id for a name: a known alias, or a new actor flagged for review."""
    if not name:
        return None
    resolver = ActorResolver(con)
    actor_id = resolver.resolve(name)
    if resolver.created:
        log.append(("actor", actor_id, "create", None, actor_state(con, actor_id)))
    return actor_id


def actor_state(con, actor_id: int) -> dict:
    row = find_row(con, "actor", "actor_id", actor_id)
    row["aliases"] = [
        r[0]
        for r in con.execute(
            "SELECT alias_key FROM actor_alias WHERE actor_id = ? ORDER BY alias_key", [actor_id]
        ).fetchall()
    ]
    return row
