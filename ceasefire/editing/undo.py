"""Reverting an import or the demo removal: the store as it was before, kept once.

An import (or ``demo remove``) rewrites many rows at once: incidents and claims added,
replaced or deleted, new sources and actors, links between datasets, the overrides'
latest imported values. Rather than log each row, the writer keeps a copy of the tables
it may touch (``UNDO_TABLES``) just before it writes (``keep_before``), and the change
log's entry of the write names that copy (``mark``). ``revert`` of that entry puts the
copy back, rebuilds the derived tables and logs the revert as a change of its own.

Limits, on purpose:

- only the latest import or demo removal can be reverted: the next one replaces the
  copy (its log entry then says ``undo: false``);
- only while nothing else has changed the store since, except changes that were
  themselves reverted (revert those later edits first), since putting the copy back
  would silently undo them;
- a backup leaves the copy out (a restored store cannot revert the import before it);
- the copy costs what a copy of those tables costs (time once per import, and as much
  room in the store file as the tables take).
"""

from __future__ import annotations

import duckdb

from ..tables import derive

#: the tables an import or the demo removal may change (derived tables are rebuilt)
UNDO_TABLES = (
    "incident",
    "claim",
    "source",
    "actor",
    "actor_alias",
    "edit_override",
    "editor_claim",
)
#: the copy lives in its own schema, outside the store's tables (``store.table_names``,
#: the content hash and backups see ``main`` only; a restored backup keeps no copy)
SCHEMA = "undo"
_META = f"{SCHEMA}.kept_for"


def _copy(table: str) -> str:
    return f"{SCHEMA}.{table}"


def keep_before(con: duckdb.DuckDBPyConnection) -> None:
    """Keep a copy of ``UNDO_TABLES`` as they are now, inside the write's transaction
    (``records.write_frames``/``delete_origin`` call it as ``before_write``, just before
    the first row changes; the write's log entry then calls ``mark``). Replaces the
    copy an earlier write kept."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for table in UNDO_TABLES:
        con.execute(f"CREATE OR REPLACE TABLE {_copy(table)} AS SELECT * FROM main.{table}")
    con.execute(f"CREATE OR REPLACE TABLE {_META} (change_id BIGINT)")


def mark(con: duckdb.DuckDBPyConnection, change_id: int) -> bool:
    """Name the change the kept copy comes before (inside that change's transaction);
    False when no copy is waiting for one."""
    if not _has_copy(con):
        return False
    if con.execute(f"SELECT count(*) FROM {_META}").fetchone()[0]:
        return False  # the copy belongs to an earlier change: this write kept none
    con.execute(f"INSERT INTO {_META} VALUES (?)", [change_id])
    return True


def _has_copy(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
            "AND table_name = 'kept_for' AND table_catalog = current_database()",
            [SCHEMA],
        ).fetchone()[0]
    )


def kept_for(con: duckdb.DuckDBPyConnection) -> int | None:
    """The change whose before-state the store keeps (None: none kept)."""
    if not _has_copy(con):
        return None
    row = con.execute(f"SELECT max(change_id) FROM {_META}").fetchone()
    return None if row is None else row[0]


def later_changes_in_effect(con: duckdb.DuckDBPyConnection, change_id: int) -> list[int]:
    """Changes after ``change_id`` whose effect still stands: every later change except
    those reverted later on and the reverts of later changes."""
    rows = con.execute(
        "SELECT change_id, reverts FROM change_log WHERE change_id > ? ORDER BY change_id",
        [change_id],
    ).fetchall()
    later = {r[0] for r in rows}
    reverted = {r[1] for r in rows if r[1] is not None}
    return [cid for cid, rev in rows if cid not in reverted and rev not in later]


def restore_before(con: duckdb.DuckDBPyConnection, change_id: int) -> None:
    """Put back the copy kept before ``change_id`` (inside the caller's transaction),
    rebuild the derived tables and drop the copy."""
    if kept_for(con) != change_id:
        raise ValueError(
            f"the store no longer keeps what it was before change {change_id}: only the "
            "latest import or demo removal can be reverted (re-import or reload instead)"
        )
    standing = later_changes_in_effect(con, change_id)
    if standing:
        shown = ", ".join(str(c) for c in standing[:10])
        raise ValueError(f"changes made after {change_id} still stand ({shown}); revert them first")
    for table in UNDO_TABLES:
        con.execute(f"DELETE FROM main.{table}")
        con.execute(f"INSERT INTO main.{table} BY NAME SELECT * FROM {_copy(table)}")
    con.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    derive.refresh(con)
