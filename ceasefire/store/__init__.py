"""The store: one DuckDB file, its schema, its migrations and its connection.

The public face of three modules, whose names are all importable from here:
``schema.py`` (the DDL, as ordered migration steps; the only module that writes DDL),
``db.py`` (the path, ``connect()``, ``migrate()``, ``transaction()``, ids, integrity
checks) and ``snapshots.py`` (the write lock, ``writer()``, ``reader()``, snapshots).
Everything else asks ``connect()`` (or ``writer()``/``reader()``) for a connection
whose schema is current; the modules that write content import ``db`` directly, so
that the store, which fills a new store through ``bootstrap``, sits above them.
The store's path comes from the environment variable ``CEASEFIRE_DB`` and defaults to
``data/ceasefire.duckdb`` in the project.

Design notes
- Large tables (incident, claim, the derived tables) carry no PRIMARY KEY or UNIQUE
  index: DuckDB's ART indexes cost memory in proportion to rows and slow bulk loads,
  and the app must stay under 1 GB at ten million incidents. Uniqueness of
  ``incident_id`` and of ``(origin, origin_id)`` is kept by the writers and checked by
  ``integrity_problems()`` (run by the tests and by ``python -m ceasefire check``).
- Fixed vocabularies are CHECK constraints built from ``taxonomy.py``.
- ``incident_fact``, ``incident_actor``, ``incident_actor_fact`` and ``claim_fact`` are
  derived (see ``derive.py``) and are rebuilt inside the same transaction as every
  write, so readers never see a store whose derived tables disagree with its facts.

Many processes, one store: writers, readers and snapshots
DuckDB lets one process open a file for writing, or several open it read-only, never
both. So the store is a *working file* that only writers open, and a series of
read-only *snapshots* that everyone else opens (docs/architecture.md has the design,
the alternatives weighed and the measurements):

- ``with writer(editor="name") as con:`` waits for the store's write lock (an ``flock``
  on ``STORE.lock``; a second writer waits, saying who holds it), opens the working file
  (creating and filling a new store, migrating an old one), yields the connection, and
  on leaving checkpoints, closes and **publishes** a new snapshot. Write inside it with
  ``transaction(con)`` (or the writers that use it: ``records.write_frames``, the
  importers, ``demo.remove_demo``...). ``editor`` is readable in SQL as
  ``getvariable('ceasefire_editor')`` and in Python as ``editor_of(con)``.
- ``reader()`` returns a read-only connection on the newest snapshot. Any number of
  processes may read at once, while a writer writes: the app, ``summary``, ``chart``,
  ``export``, ``sql``, ``check``. Close it when done (or use ``with reader() as con``).
- ``current_snapshot()`` says which snapshot is newest (a small JSON pointer,
  ``STORE.snapshots/CURRENT``, replaced atomically) with its data version; the app
  calls it on every run to notice a new data version without a restart.
- Publishing = ``CHECKPOINT``, copy the working file to ``STORE.snapshots/`` under a
  temporary name, fsync, ``os.replace`` into place, then replace the pointer. A kill at
  any moment leaves the old snapshot current or the new one, never half of one; a
  write committed but not yet published (killed in between, or written by a bare
  ``connect()``) is noticed by the next reader (the working file's size, mtime and
  inode differ from those recorded at publishing) and published then.
- ``connect(path)`` still opens the working file directly and exclusively (tests,
  benchmarks, ``:memory:`` stores); a reader publishes what it wrote once it is closed.
"""

from __future__ import annotations

from ..tables.dataversion import compute_data_version, data_version, record_data_version
from ..tables.db import (
    DEFAULT_DB_PATH,
    PROJECT_ROOT,
    StoreBusy,
    connect,
    content_hash,
    db_path,
    duckdb_config,
    editor_of,
    integrity_problems,
    migrate,
    next_ids,
    schema_version,
    table_names,
    transaction,
)
from ..tables.schema import MIGRATIONS, SCHEMA_VERSION
from .snapshots import (
    KEEP_SNAPSHOTS,
    POINTER,
    WRITE_WAIT_SECONDS,
    Snapshot,
    StoreWriteFailed,
    current_snapshot,
    lock_path,
    open_snapshot,
    publish_locked,
    read_pointer,
    reader,
    snapshot_dir,
    write_lock,
    writer,
)

__all__ = [
    "DEFAULT_DB_PATH",
    "KEEP_SNAPSHOTS",
    "MIGRATIONS",
    "POINTER",
    "PROJECT_ROOT",
    "SCHEMA_VERSION",
    "WRITE_WAIT_SECONDS",
    "Snapshot",
    "StoreBusy",
    "StoreWriteFailed",
    "duckdb_config",
    "compute_data_version",
    "connect",
    "content_hash",
    "current_snapshot",
    "data_version",
    "db_path",
    "editor_of",
    "integrity_problems",
    "lock_path",
    "migrate",
    "next_ids",
    "open_snapshot",
    "publish_locked",
    "read_pointer",
    "reader",
    "record_data_version",
    "schema_version",
    "snapshot_dir",
    "table_names",
    "transaction",
    "write_lock",
    "writer",
]
