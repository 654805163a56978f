"""Writing tallies (``ceasefire.tallies``): add, edit, delete and revert, each a logged
change (entity 'tally') like every other write, in one transaction, by a named editor.

A tally's reporter must be a source in the registry; the reporters the tracker knows
(``data/tallies/reporters.csv``: the parts of the joint commission, the Turkish
Ministry of National Defence, SOHR, SNHR, the White Helmets) are added to the registry
when first used (logged as a new source). Its violator, when given, is a side or an
actor already in the store (never created here: a tally names whose violations it
counts only when the reporter does). Nothing here touches incidents, claims or the
derived tables: a tally never changes an incident count.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache

import duckdb

from ..actors import alias_key
from ..auth import require_editor
from ..tables.db import PROJECT_ROOT, next_ids, transaction
from ..tallies.model import FIELDS, clean_tally
from .log import log_pending, logged
from .rows import find_row, insert_row
from .values import Invalid

REPORTERS_CSV = PROJECT_ROOT / "data" / "tallies" / "reporters.csv"
#: The stored row's columns, in the table's order.
COLUMNS = (
    "tally_id", "bulletin", "reporter_id", "violator_actor_id", "violator_side", "kind",
    "governorate", "governorate_pcode", "area", "period_start", "period_end", "count",
    "unit", "quote", "language", "published_on", "link", "origin", "origin_id",
)  # fmt: skip
_DATES = ("period_start", "period_end", "published_on")


@lru_cache(maxsize=1)
def known_reporters() -> dict[str, dict]:
    """The reporters the tracker knows, by case-folded name."""
    with open(REPORTERS_CSV, newline="", encoding="utf-8") as handle:
        return {row["name"].casefold(): row for row in csv.DictReader(handle)}


def reporter_id(con, name: str, pending: list | None = None) -> int | None:
    """The registry id of a reporter named ``name`` (any case); a known reporter not yet
    in the registry is added (and, with ``pending``, logged). None: unknown."""
    found = con.execute(
        "SELECT source_id FROM source WHERE lower(name) = lower(?) ORDER BY source_id", [name]
    ).fetchone()
    if found:
        return found[0]
    known = known_reporters().get(name.casefold())
    if known is None:
        return None
    row = {
        "source_id": next_ids(con, "source_id_seq", 1)[0],
        "name": known["name"],
        "kind": known["kind"],
        "affiliation": known["affiliation"],
        "url": known["url"] or None,
    }
    insert_row(con, "source", row)
    if pending is not None:
        pending.append(("source", row["source_id"], "create", None, row))
    return row["source_id"]


def _violator_actor_id(con, name: str) -> int | None:
    found = con.execute(
        "SELECT actor_id FROM actor WHERE name = ? UNION ALL "
        "SELECT actor_id FROM actor_alias WHERE alias_key = ? LIMIT 1",
        [name, alias_key(name)],
    ).fetchone()
    return found[0] if found else None


def stored_row(con, cleaned: dict, errors: dict, pending: list | None, prefix: str = "") -> dict:
    """A cleaned tally as the table's row (names resolved; problems added to ``errors``
    under ``prefix``). The id, origin and origin id are the caller's."""
    row: dict = {c: cleaned.get(c) for c in COLUMNS if c in cleaned}
    if cleaned.get("reporter"):
        rid = reporter_id(con, cleaned["reporter"], pending)
        if rid is None:
            errors[f"{prefix}reporter"] = (
                f"{cleaned['reporter']!r} is not in the source registry; add it as a source "
                "(Actors & sources) or use a known reporter: "
                + "; ".join(r["name"] for r in known_reporters().values())
            )
        row["reporter_id"] = rid
    row["violator_side"] = cleaned.get("violator_side")
    row["violator_actor_id"] = None
    if cleaned.get("violator_actor"):
        actor = _violator_actor_id(con, cleaned["violator_actor"])
        if actor is None:
            errors[f"{prefix}violator"] = (
                f"{cleaned['violator_actor']!r} is neither a side nor an actor in the store"
            )
        row["violator_actor_id"] = actor
    return row


def _typed(row: dict) -> dict:
    return {
        k: (date.fromisoformat(v) if k in _DATES and isinstance(v, str) else v)
        for k, v in row.items()
    }


def _insert_tally(con, row: dict) -> None:
    typed = _typed(row)
    cols = [c for c in COLUMNS if c in typed]
    con.execute(
        f"INSERT INTO tally ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [typed[c] for c in cols],
    )


def add_tallies(
    con: duckdb.DuckDBPyConnection,
    tallies: list[dict],
    *,
    editor: str | None,
    note: str | None = None,
    origin: str = "manual",
) -> list[int]:
    """Add tallies (all or none): each is checked (``clean_tally``; errors named
    ``tallies[i].field``), then written in one transaction, one logged change each.
    Returns their ids."""
    editor = require_editor(editor, "adding tallies")
    if not tallies:
        raise Invalid({"tallies": "nothing to add"})
    with transaction(con):
        pending: list = []
        rows, errors = [], {}
        for i, raw in enumerate(tallies):
            cleaned, problems = clean_tally(raw)
            errors.update({f"tallies[{i}].{k}": v for k, v in problems.items()})
            rows.append(stored_row(con, cleaned, errors, pending, f"tallies[{i}]."))
        if errors:
            raise Invalid(errors)  # rolls back any reporter added above
        log_pending(con, pending, editor, note)
        ids = next_ids(con, "tally_id_seq", len(rows))
        for tally_id, row in zip(ids, rows, strict=True):
            row.update(tally_id=tally_id, origin=origin)
            _insert_tally(con, row)
            logged(con, "tally", tally_id, "create", None, _current(con, tally_id), editor, note)
    return ids


def _current(con, tally_id: int) -> dict:
    row = find_row(con, "tally", "tally_id", int(tally_id))
    if row is None:
        raise ValueError(f"tally {tally_id} is not in the store")
    return row


def edit_tally(
    con: duckdb.DuckDBPyConnection,
    tally_id: int,
    changes: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Change some of a tally's fields (names as ``model.FIELDS``); None when nothing
    changes, else the change's id."""
    editor = require_editor(editor, "editing a tally")
    with transaction(con):
        before = _current(con, tally_id)
        merged = {**as_fields(con, before), **changes}
        cleaned, errors = clean_tally(merged)
        pending: list = []
        row = stored_row(con, cleaned, errors, pending)
        if errors:
            raise Invalid(errors)
        after = {k: row.get(k) for k in COLUMNS if k in row}
        old = {k: before[k] for k in after if before.get(k) != after[k]}
        new = {k: after[k] for k in old}
        if not new:
            return None
        log_pending(con, pending, editor, note)
        return _apply(con, int(tally_id), old, new, editor, note)


def _apply(con, tally_id: int, old: dict, new: dict, editor, note, reverts=None) -> int:
    typed = _typed(new)
    con.execute(
        f"UPDATE tally SET {', '.join(f'{c} = ?' for c in typed)} WHERE tally_id = ?",
        [*typed.values(), tally_id],
    )
    return logged(con, "tally", tally_id, "update", old, new, editor, note, reverts)


def delete_tally(
    con: duckdb.DuckDBPyConnection, tally_id: int, *, editor: str | None, note: str | None = None
) -> int:
    """Delete a tally (logged with all its values, so a revert restores it)."""
    editor = require_editor(editor, "deleting a tally")
    with transaction(con):
        before = _current(con, tally_id)
        con.execute("DELETE FROM tally WHERE tally_id = ?", [int(tally_id)])
        return logged(con, "tally", tally_id, "delete", before, None, editor, note)


def as_fields(con, row: dict) -> dict:
    """A stored row back as the fields a tally is given with (names, not ids)."""
    reporter = con.execute(
        "SELECT name FROM source WHERE source_id = ?", [row["reporter_id"]]
    ).fetchone()
    actor = (
        con.execute(
            "SELECT name FROM actor WHERE actor_id = ?", [row["violator_actor_id"]]
        ).fetchone()
        if row.get("violator_actor_id") is not None
        else None
    )
    return {
        "reporter": reporter[0] if reporter else None,
        "violator": row.get("violator_side") or (actor[0] if actor else None),
        **{k: row.get(k) for k in FIELDS if k not in ("reporter", "violator")},
    }


def revert_tally(con, change: dict, editor: str, note: str) -> int:
    """Undo a logged tally change (inside the caller's transaction): a creation is
    deleted, a deletion restored, an update written back; refused when the tally has
    changed since."""
    tally_id, old, new = int(change["entity_id"]), change["old"], change["new"]
    current = find_row(con, "tally", "tally_id", tally_id)
    if old is None:  # created: delete it again
        if current is None:
            raise ValueError(f"tally {tally_id} is no longer in the store")
        _require_same(current, new, tally_id)
        con.execute("DELETE FROM tally WHERE tally_id = ?", [tally_id])
        return logged(
            con, "tally", tally_id, "delete", current, None, editor, note, change["change_id"]
        )
    if new is None:  # deleted: restore it
        if current is not None:
            raise ValueError(f"tally {tally_id} is in the store already")
        _insert_tally(con, {k: old[k] for k in COLUMNS if k in old})
        return logged(
            con, "tally", tally_id, "create", None, old, editor, note, change["change_id"]
        )
    if current is None:
        raise ValueError(f"tally {tally_id} is no longer in the store")
    _require_same(current, new, tally_id)
    return _apply(con, tally_id, new, old, editor, note, change["change_id"])


def _require_same(current: dict, expected: dict, tally_id: int) -> None:
    changed = [k for k, v in expected.items() if current.get(k) != v]
    if changed:
        raise ValueError(
            f"tally {tally_id} has changed since ({', '.join(f'{k} is now {current[k]!r}' for k in changed)}); "
            "revert the later change first"
        )
