"""Editors' overrides of imported rows: kept by origin id, re-applied after re-imports,
conflicts reported.

This module sits below ``ceasefire.records`` (whose ``write_frames`` calls
``reapply_overrides`` after a re-import rewrote rows) and imports neither ``records``
nor ``editing``: the dependency points one way, ``editing`` -> ``records`` -> here. It
also holds the few store and JSON helpers that override code needs
(``editing.rows`` and ``editing.values`` re-export them), and every public name stays
importable from ``ceasefire.editing``."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Protocol

import duckdb
import pandas as pd

from .sqlparams import Params, merge

INCIDENT_KEY = ""  # edit_override.claim_key of an incident's own fields
DELETED = "*deleted"


class _Summary(Protocol):
    """What ``reapply_overrides`` reports into (``records.WriteSummary``)."""

    conflicts: list[str]
    overrides_kept: int


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def to_json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=jsonable, ensure_ascii=False, sort_keys=True)


def from_json_text(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def find_row(con, table: str, key: str, value: Any) -> dict | None:
    cursor = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [value])
    row = cursor.fetchone()
    if row is None:
        return None
    return {d[0]: jsonable(v) for d, v in zip(cursor.description, row, strict=True)}


def incident_row(con, incident_id: int) -> dict:
    row = find_row(con, "incident", "incident_id", int(incident_id))
    if row is None:
        raise ValueError(f"incident {incident_id} is not in the store")
    return row


def claim_row(con, claim_id: int) -> dict:
    row = find_row(con, "claim", "claim_id", int(claim_id))
    if row is None:
        raise ValueError(f"claim {claim_id} is not in the store")
    return row


def typed_value(table: str, column: str, value: Any) -> Any:
    """JSON values back to the store's types (dates arrive as ISO strings)."""
    if value is not None and column in ("occurred_on", "published_on"):
        return date.fromisoformat(str(value)[:10])
    return value


def update_row(con, table: str, key: str, key_value: Any, fields: dict) -> None:
    if not fields:
        return
    sets = ", ".join(f"{c} = ?" for c in fields)
    con.execute(
        f"UPDATE {table} SET {sets} WHERE {key} = ?",
        [*(typed_value(table, c, v) for c, v in fields.items()), key_value],
    )


def _imported_claim_ids(con, incident_id: int) -> list[int]:
    """The claims the incident's origin wrote (not added by an editor), in input order."""
    return [
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM claim WHERE incident_id = ? AND claim_id NOT IN "
            "(SELECT claim_id FROM editor_claim) ORDER BY claim_id",
            [incident_id],
        ).fetchall()
    ]


def _legacy_places(con, origin: str, origin_id: str, claim_ids: list[int]) -> dict[int, str]:
    """claim_id -> ``#n``, its place among the claims the origin wrote, counting the
    ones an editor deleted (their places are taken): the key of a claim written before
    schema 5 (it has no ``origin_key`` until a re-import rewrites it)."""
    deleted = {
        int(r[0][1:])
        for r in con.execute(
            "SELECT claim_key FROM edit_override WHERE origin = ? AND origin_id = ? "
            "AND field = ? AND claim_key LIKE '#%'",
            [origin, origin_id, DELETED],
        ).fetchall()
    }
    out, place = {}, 0
    for claim_id in claim_ids:
        while place in deleted:
            place += 1
        out[claim_id] = f"#{place}"
        place += 1
    return out


def override_where(inc: dict, claim_key: str, field: str) -> tuple[str, Params]:
    """The condition on ``edit_override`` for one field of an incident (``inc``: its
    origin and origin id) or of one of its claims, and its named parameters."""
    return (
        "origin = $origin AND origin_id = $origin_id AND claim_key = $claim_key AND field = $field",
        {
            "origin": inc["origin"],
            "origin_id": inc["origin_id"],
            "claim_key": claim_key,
            "field": field,
        },
    )


def set_override(con, inc: dict, claim_key: str, field: str, value, imported, change_id) -> None:
    where, params = override_where(inc, claim_key, field)
    found = con.execute(f"SELECT imported FROM edit_override WHERE {where}", params).fetchone()
    if found is None:
        con.execute(
            "INSERT INTO edit_override VALUES ($origin, $origin_id, $claim_key, $field, "
            "$value, $imported, $imported, $change_id)",
            merge(
                params,
                {
                    "value": to_json_text(value),
                    "imported": to_json_text(imported),
                    "change_id": change_id,
                },
            ),
        )
    elif from_json_text(found[0]) == value:  # back to what the origin said: no override left
        drop_override(con, inc, claim_key, field)
    else:
        con.execute(
            f"UPDATE edit_override SET value = $value, change_id = $change_id WHERE {where}",
            merge(params, {"value": to_json_text(value), "change_id": change_id}),
        )


def drop_override(con, inc: dict, claim_key: str, field: str) -> None:
    where, params = override_where(inc, claim_key, field)
    con.execute(f"DELETE FROM edit_override WHERE {where}", params)


def claim_override_key(con, claim: dict) -> tuple[dict, str] | None:
    """(its incident, its key) for a claim the origin wrote - its ``origin_key`` (its
    identity: source, actor as written, role), or ``#n`` for a claim written before
    schema 5; None for a claim an editor added."""
    if con.execute(
        "SELECT count(*) FROM editor_claim WHERE claim_id = ?", [claim["claim_id"]]
    ).fetchone()[0]:
        return None
    inc = incident_row(con, claim["incident_id"])
    if claim.get("origin_key"):
        return inc, claim["origin_key"]
    ids = _imported_claim_ids(con, claim["incident_id"])
    return inc, _legacy_places(con, inc["origin"], inc["origin_id"], ids)[claim["claim_id"]]


def claim_label(claim_key: str) -> str:
    """A claim key in words: "the claim of sohr naming hts (party)", "claim 2"."""
    if claim_key.startswith("#"):
        return f"claim {int(claim_key[1:]) + 1}"
    source, actor, role = (claim_key.rsplit("#", 1)[0].split("|") + ["", "", ""])[:3]
    return f"the claim of {source or 'the dataset'} naming {actor or 'no actor'} ({role})"


def find_claim(con, incident_id: int, claim_key: str) -> int | None:
    """The claim of an incident an override's key names (by identity, or by place for a
    ``#n`` key); None when the incident has no such claim."""
    if claim_key.startswith("#"):
        ids = _imported_claim_ids(con, incident_id)
        place = int(claim_key[1:])
        return ids[place] if place < len(ids) else None
    found = con.execute(
        "SELECT claim_id FROM claim WHERE incident_id = ? AND origin_key = ? "
        "AND claim_id NOT IN (SELECT claim_id FROM editor_claim)",
        [incident_id, claim_key],
    ).fetchone()
    return None if found is None else found[0]


def reapply_overrides(
    con: duckdb.DuckDBPyConnection, origin: str, diff_table: str, summary: _Summary
) -> None:
    """After a write rewrote incidents (status 'changed' in ``diff_table``), put the
    editors' values back and report where the new input changed an overridden value.
    A claim's override finds its claim by identity (``claim.origin_key``), so a file
    that lists the claims in another order keeps each override on its claim; an
    override made before schema 5 (``#n``) finds it by place once and is re-keyed.
    Runs inside the write's transaction (``records.write_frames``)."""
    rows = con.execute(
        f"""SELECT o.origin_id, o.claim_key, o.field, o.value, o.imported, i.incident_id
            FROM edit_override o JOIN {diff_table} d ON d.origin_id = o.origin_id
            JOIN incident i ON i.origin = o.origin AND i.origin_id = o.origin_id
            WHERE o.origin = ? AND d.status = 'changed'
            ORDER BY o.origin_id, o.claim_key, o.field""",
        [origin],
    ).fetchall()
    to_delete = []
    for origin_id, claim_key, field, value, imported, incident_id in rows:
        value, imported = from_json_text(value), from_json_text(imported)
        key = {"origin": origin, "origin_id": origin_id}
        if claim_key == INCIDENT_KEY:
            latest = incident_row(con, incident_id).get(field)
            target = ("incident", "incident_id", incident_id)
        else:
            claim_id = find_claim(con, incident_id, claim_key)
            if claim_id is None:
                summary.conflicts.append(
                    f"{origin}/{origin_id}: {claim_label(claim_key)}, which an editor "
                    "changed, is no longer in the file"
                )
                continue
            claim = claim_row(con, claim_id)
            if claim_key.startswith("#") and claim.get("origin_key"):  # re-key by identity
                where, params = override_where(key, claim_key, field)
                con.execute(
                    f"UPDATE edit_override SET claim_key = $new_claim_key WHERE {where}",
                    merge(params, {"new_claim_key": claim["origin_key"]}),
                )
                claim_key = claim["origin_key"]
            if field == DELETED:
                to_delete.append(claim_id)
                summary.overrides_kept += 1
                continue
            latest = claim.get(field)
            target = ("claim", "claim_id", claim_id)
        where, params = override_where(key, claim_key, field)
        con.execute(
            f"UPDATE edit_override SET latest_imported = $latest WHERE {where}",
            merge(params, {"latest": to_json_text(latest)}),
        )
        if latest != imported:
            what = "" if claim_key == INCIDENT_KEY else f"{claim_label(claim_key)}: "
            summary.conflicts.append(
                f"{origin}/{origin_id}: {what}{field} is now {latest!r} in the file "
                f"(was {imported!r}); the editor's {value!r} is kept"
            )
        update_row(con, target[0], target[1], target[2], {field: value})
        summary.overrides_kept += 1
    for claim_id in to_delete:
        con.execute("DELETE FROM claim WHERE claim_id = ?", [claim_id])


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Overrides whose dataset value changed since the editor decided (open conflicts)."""
    return con.execute(
        """SELECT o.origin, o.origin_id, o.claim_key, o.field, o.value AS editor_value,
                  o.imported AS imported_then, o.latest_imported AS imported_now, o.change_id
           FROM edit_override o WHERE o.latest_imported IS DISTINCT FROM o.imported
           ORDER BY o.origin, o.origin_id, o.claim_key, o.field"""
    ).df()
