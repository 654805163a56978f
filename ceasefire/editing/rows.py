"""Small store helpers: rows as JSON-ready dicts, inserts and updates, sources and
actors resolved by name (new ones logged)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..actors import ActorResolver
from ..db import next_ids
from .values import _jsonable


def _row(con, table: str, key: str, value: Any) -> dict | None:
    cursor = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [value])
    row = cursor.fetchone()
    if row is None:
        return None
    return {d[0]: _jsonable(v) for d, v in zip(cursor.description, row, strict=True)}


def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [{n: _jsonable(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _incident(con, incident_id: int) -> dict:
    row = _row(con, "incident", "incident_id", int(incident_id))
    if row is None:
        raise ValueError(f"incident {incident_id} is not in the store")
    return row


def _claim(con, claim_id: int) -> dict:
    row = _row(con, "claim", "claim_id", int(claim_id))
    if row is None:
        raise ValueError(f"claim {claim_id} is not in the store")
    return row


def _insert(con, table: str, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [_typed(table, c, row[c]) for c in cols],
    )


def _typed(table: str, column: str, value: Any) -> Any:
    """JSON values back to the store's types (dates arrive as ISO strings)."""
    if value is not None and column in ("occurred_on", "published_on"):
        return date.fromisoformat(str(value)[:10])
    return value


def _update(con, table: str, key: str, key_value: Any, fields: dict) -> None:
    if not fields:
        return
    sets = ", ".join(f"{c} = ?" for c in fields)
    con.execute(
        f"UPDATE {table} SET {sets} WHERE {key} = ?",
        [*(_typed(table, c, v) for c, v in fields.items()), key_value],
    )


def _resolve_source(con, claim: dict, editor: str, note: str | None, log: list) -> int | None:
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
    _insert(con, "source", row)
    log.append(("source", row["source_id"], "create", None, row))
    return row["source_id"]


def _resolve_actor(con, name: str | None, log: list) -> int | None:
    """An actor id for a name: a known alias, or a new actor flagged for review."""
    if not name:
        return None
    resolver = ActorResolver(con)
    actor_id = resolver.resolve(name)
    if resolver.created:
        log.append(("actor", actor_id, "create", None, _actor_state(con, actor_id)))
    return actor_id


def _actor_state(con, actor_id: int) -> dict:
    row = _row(con, "actor", "actor_id", actor_id)
    row["aliases"] = [
        r[0]
        for r in con.execute(
            "SELECT alias_key FROM actor_alias WHERE actor_id = ? ORDER BY alias_key", [actor_id]
        ).fetchall()
    ]
    return row
