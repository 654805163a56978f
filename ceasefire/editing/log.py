"""The append-only change log: writing an entry, reading the history."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from ..records import WriteSummary
from ..tables import derive
from ..tables.dataversion import record_data_version
from ..tables.db import next_ids
from . import undo
from .values import from_json_text, to_json_text


def log_change(
    con: duckdb.DuckDBPyConnection,
    *,
    editor: str,
    entity: str,
    entity_id: Any,
    action: str,
    old: Any = None,
    new: Any = None,
    note: str | None = None,
    reverts: int | None = None,
) -> int:
    """Append one entry to the change log (inside the caller's transaction)."""
    change_id = next_ids(con, "change_id_seq", 1)[0]
    con.execute(
        "INSERT INTO change_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            change_id,
            datetime.now(UTC).replace(tzinfo=None),
            editor,
            entity,
            None if entity_id is None else str(entity_id),
            action,
            to_json_text(old),
            to_json_text(new),
            (note or "").strip() or None,
            reverts,
        ],
    )
    return change_id


def logged(
    con,
    entity,
    entity_id,
    action,
    old,
    new,
    editor,
    note,
    reverts=None,
    refresh=False,
    incidents=None,
    actors=None,
) -> int:
    """``log_change`` in one line for the writers here; ``refresh`` rebuilds the derived
    tables after it: the rows of ``incidents`` and of the incidents naming ``actors``
    (``derive.refresh``), or all of them when neither is given. Without ``refresh``
    (a change to a source) the data version is recorded anew all the same."""
    change_id = log_change(
        con,
        **dict(editor=editor, entity=entity, entity_id=entity_id, action=action),
        **dict(old=old, new=new, note=note, reverts=reverts),
    )
    if refresh:
        derive.refresh(con, incidents, actors=actors)
    else:  # a source's row (no derived row depends on it): the data version still changes
        record_data_version(con, ())
    return change_id


def history(
    con: duckdb.DuckDBPyConnection, incident_id: int | None = None, limit: int | None = None
) -> list[dict]:
    """The change log, newest first: every change, or those of one incident (its own
    fields and its claims). Each entry: change_id, at, editor, entity, entity_id,
    action, old, new, note, reverts."""
    where, params = "", {}
    if incident_id is not None:
        where = """WHERE (entity = 'incident' AND entity_id = $incident_id)
                   OR (entity = 'claim'
                       AND json_extract_string(coalesce(new, old), '$.incident_id') = $incident_id)"""
        params = {"incident_id": str(incident_id)}
    sql = f"SELECT * FROM change_log {where} ORDER BY change_id DESC"
    if limit:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        entry = dict(zip(names, row, strict=True))
        entry["at"] = entry["at"].isoformat(timespec="seconds") + "Z"
        entry["old"], entry["new"] = from_json_text(entry["old"]), from_json_text(entry["new"])
        out.append(entry)
    return out


def history_frame(
    con: duckdb.DuckDBPyConnection, incident_id: int | None = None, limit: int | None = None
) -> pd.DataFrame:
    """The history as a table for the pages: one row per changed field (old -> new), for
    the newest ``limit`` changes when given (as ``history``)."""
    rows = []
    for e in history(con, incident_id, limit=limit):
        old, new = e["old"] or {}, e["new"] or {}
        if e["action"] in ("update", "set-side") and isinstance(old, dict):
            keys = [k for k in new if k not in ("incident_id", "name")] or list(old)
            for k in keys:
                rows.append(
                    {**_row_head(e), "field": k, "old": _text(old.get(k)), "new": _text(new.get(k))}
                )
        else:
            rows.append({**_row_head(e), "field": "", "old": _brief(old), "new": _brief(new)})
    columns = ["change_id", "at", "editor", "entity", "entity_id", "action", "field"]
    return pd.DataFrame(rows, columns=[*columns, "old", "new", "note", "reverts"]).astype(
        {"old": object, "new": object}
    )


def change_label(entry: dict, width: int = 40) -> str:
    """One logged change in words, for a picker: its id, what it did to which entity,
    each field's old -> new value and who made it, e.g. "12: claim 45 of incident 3017:
    killed_max 75 -> 90 by Ann (2026-12-07T10:00:00Z)". ``entry`` is one of ``history``'s."""
    old, new = entry.get("old") or {}, entry.get("new") or {}
    what = f"{entry['entity']} {entry['entity_id']}"
    incident = (new if isinstance(new, dict) and new else old).get("incident_id")
    if entry["entity"] == "claim" and incident is not None:
        what += f" of incident {incident}"
    action = entry["action"]
    if action in ("update", "set-side") and isinstance(old, dict):
        name = old.get("name")
        keys = [k for k in new if k not in ("incident_id", "name")] or list(old)
        body = f"{what}{f' ({name})' if name else ''}: " + ", ".join(
            f"{k} {_short(old.get(k), width)} → {_short(new.get(k), width)}" for k in keys
        )
    elif action in ("link", "unlink"):
        body = f"{what}: linked_to {_short(old.get('linked_to'))} → {_short(new.get('linked_to'))}"
    elif action == "distinct":
        body = (
            f"{what}: distinct from {_short(old.get('distinct_from'))} → "
            f"{_short(new.get('distinct_from'))}"
        )
    elif action == "merge":
        body = f"{what} ({old.get('name')}) merged into {new.get('into_name')}"
    elif action == "unmerge":
        body = f"{what} ({new.get('name')}) split off again"
    elif action == "import":
        body = f"import of {entry['entity_id']} ({_short(new.get('file'), width)})"
    else:  # create, delete, revert of an import
        body = f"{action} {what}"
    if entry.get("reverts"):
        body += f" (reverts change {entry['reverts']})"
    return f"{entry['change_id']}: {body} by {entry['editor']} ({entry['at']})"


def _short(value: Any, width: int = 40) -> str:
    """A logged value in a label: 'none' for null, long texts cut with '…'."""
    if value is None:
        return "none"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _text(value: Any) -> str | None:
    """A logged value as a table shows it (one type per column)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _row_head(e: dict) -> dict:
    keys = ("change_id", "at", "editor", "entity", "entity_id", "action", "note", "reverts")
    return {k: e[k] for k in keys}


def _brief(value: Any) -> str | None:
    if value in (None, {}, []):
        return None
    if isinstance(value, dict):
        shown = {k: v for k, v in value.items() if k not in ("claims", "quote", "description")}
        text = json.dumps(shown, ensure_ascii=False, default=str)
        return text if len(text) < 300 else text[:297] + "..."
    return str(value)


def log_pending(con, pending: list, editor: str, note: str | None) -> list[int]:
    return [
        log_change(
            con,
            editor=editor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            old=old,
            new=new,
            note=note,
        )
        for entity, entity_id, action, old, new in pending
    ]


def import_logger(editor: str, file: str, report_text: Callable[[WriteSummary], str]):
    """An ``on_commit`` hook that logs an import as one change with its report."""

    def log(con: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
        change_id = log_change(
            con,
            editor=editor,
            entity="import",
            entity_id=summary.origin,
            action="import",
            old=None,
            new={
                "file": file,
                "added": summary.added,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "new_actors": summary.new_actors,
                "conflicts": summary.conflicts,
                "report": report_text(summary),
            },
        )
        undo.mark(con, change_id)  # the before-state kept for a revert, if any

    return log
