"""Editors' overrides of imported rows: kept by origin id, re-applied after re-imports,
conflicts reported."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..records import WriteSummary
from .rows import _claim, _incident, _update
from .values import DELETED, INCIDENT_ORDINAL, _dumps, _loads


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


def _ordinal_map(con, origin: str, origin_id: str, claim_ids: list[int]) -> dict[int, int]:
    """claim_id -> its place among the claims the origin wrote, counting the ones an
    editor deleted (their places are taken)."""
    deleted = {
        r[0]
        for r in con.execute(
            "SELECT ordinal FROM edit_override WHERE origin = ? AND origin_id = ? AND field = ?",
            [origin, origin_id, DELETED],
        ).fetchall()
    }
    out, place = {}, 0
    for claim_id in claim_ids:
        while place in deleted:
            place += 1
        out[claim_id] = place
        place += 1
    return out


def _set_override(con, inc: dict, ordinal: int, field: str, value, imported, change_id) -> None:
    found = con.execute(
        "SELECT imported FROM edit_override WHERE origin = ? AND origin_id = ? AND ordinal = ? "
        "AND field = ?",
        [inc["origin"], inc["origin_id"], ordinal, field],
    ).fetchone()
    if found is None:
        con.execute(
            "INSERT INTO edit_override VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                inc["origin"],
                inc["origin_id"],
                ordinal,
                field,
                _dumps(value),
                _dumps(imported),
                _dumps(imported),
                change_id,
            ],
        )
        return
    if _loads(found[0]) == value:  # back to what the origin said: no override left
        _drop_override(con, inc, ordinal, field)
        return
    con.execute(
        "UPDATE edit_override SET value = ?, change_id = ? WHERE origin = ? AND origin_id = ? "
        "AND ordinal = ? AND field = ?",
        [_dumps(value), change_id, inc["origin"], inc["origin_id"], ordinal, field],
    )


def _drop_override(con, inc: dict, ordinal: int, field: str) -> None:
    con.execute(
        "DELETE FROM edit_override WHERE origin = ? AND origin_id = ? AND ordinal = ? AND field = ?",
        [inc["origin"], inc["origin_id"], ordinal, field],
    )


def _claim_override_key(con, claim: dict) -> tuple[dict, int] | None:
    """(its incident, its ordinal) for a claim the origin wrote; None for editor claims."""
    if con.execute(
        "SELECT count(*) FROM editor_claim WHERE claim_id = ?", [claim["claim_id"]]
    ).fetchone()[0]:
        return None
    inc = _incident(con, claim["incident_id"])
    ids = _imported_claim_ids(con, claim["incident_id"])
    return inc, _ordinal_map(con, inc["origin"], inc["origin_id"], ids)[claim["claim_id"]]


def reapply_overrides(
    con: duckdb.DuckDBPyConnection, origin: str, diff_table: str, summary: WriteSummary
) -> None:
    """After a write rewrote incidents (status 'changed' in ``diff_table``), put the
    editors' values back and report where the new input changed an overridden value.
    Runs inside the write's transaction (``records.write_frames``)."""
    rows = con.execute(
        f"""SELECT o.origin_id, o.ordinal, o.field, o.value, o.imported, i.incident_id
            FROM edit_override o JOIN {diff_table} d ON d.origin_id = o.origin_id
            JOIN incident i ON i.origin = o.origin AND i.origin_id = o.origin_id
            WHERE o.origin = ? AND d.status = 'changed'
            ORDER BY o.origin_id, o.ordinal, o.field""",
        [origin],
    ).fetchall()
    by_incident: dict[str, list] = {}
    for row in rows:
        by_incident.setdefault(row[0], []).append(row)
    for origin_id, overrides in by_incident.items():
        incident_id = overrides[0][5]
        ids = _imported_claim_ids(con, incident_id)
        # the rewrite numbered the origin's claims afresh: place k is the k-th claim
        by_ordinal = dict(enumerate(ids))
        inc_row = _incident(con, incident_id)
        to_delete = []
        for _, ordinal, field, value, imported, _ in overrides:
            value, imported = _loads(value), _loads(imported)
            if ordinal == INCIDENT_ORDINAL:
                latest = inc_row.get(field)
                target = ("incident", "incident_id", incident_id)
            else:
                claim_id = by_ordinal.get(ordinal)
                if claim_id is None:
                    summary.conflicts.append(
                        f"{origin}/{origin_id}: claim {ordinal + 1} an editor changed is no "
                        "longer in the file"
                    )
                    continue
                if field == DELETED:
                    to_delete.append(claim_id)
                    summary.overrides_kept += 1
                    continue
                latest = _claim(con, claim_id).get(field)
                target = ("claim", "claim_id", claim_id)
            con.execute(
                "UPDATE edit_override SET latest_imported = ? WHERE origin = ? AND origin_id = ? "
                "AND ordinal = ? AND field = ?",
                [_dumps(latest), origin, origin_id, ordinal, field],
            )
            if latest != imported:
                where = "" if ordinal == INCIDENT_ORDINAL else f"claim {ordinal + 1} "
                summary.conflicts.append(
                    f"{origin}/{origin_id}: {where}{field} is now {latest!r} in the file "
                    f"(was {imported!r}); the editor's {value!r} is kept"
                )
            _update(con, target[0], target[1], target[2], {field: value})
            summary.overrides_kept += 1
        for claim_id in to_delete:
            con.execute("DELETE FROM claim WHERE claim_id = ?", [claim_id])


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Overrides whose dataset value changed since the editor decided (open conflicts)."""
    return con.execute(
        """SELECT o.origin, o.origin_id, o.ordinal, o.field, o.value AS editor_value,
                  o.imported AS imported_then, o.latest_imported AS imported_now, o.change_id
           FROM edit_override o WHERE o.latest_imported IS DISTINCT FROM o.imported
           ORDER BY o.origin, o.origin_id, o.ordinal, o.field"""
    ).df()
