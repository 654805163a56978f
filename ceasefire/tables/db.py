"""The DuckDB file underneath the store: its path, a connection whose schema is
current (migrating an old store), transactions, id sequences and integrity checks.

The modules that write content (records, actors, seed, demo, editing...) import from
here; ``store.py`` is the public face that adds readers, writers and snapshots on top
(see its docstring)."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import derive
from .dataversion import table_digest
from .schema import MIGRATIONS, SCHEMA_VERSION

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "ceasefire.duckdb"


def db_path() -> Path:
    """The store's path: ``$CEASEFIRE_DB`` if set, else the default file under data/."""
    return Path(os.environ.get("CEASEFIRE_DB") or DEFAULT_DB_PATH)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the schema up to SCHEMA_VERSION; True if anything was changed."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"The store has schema version {current}, newer than this program's "
            f"{SCHEMA_VERSION}. Upgrade the program or point CEASEFIRE_DB at another store."
        )
    if current == SCHEMA_VERSION:
        return False
    with transaction(con):
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            con.execute(
                "INSERT OR REPLACE INTO schema_meta VALUES ('schema_version', ?)", [str(version)]
            )
        if current > 0:  # an existing store: fill new derived columns and tables
            print(
                f"Migrating the store from schema version {current} to {SCHEMA_VERSION}: "
                "rebuilding its derived tables (once; about 10 s per million incidents)...",
                file=sys.stderr,
            )
            derive.refresh(con)
    return True


def duckdb_config() -> dict[str, str]:
    """DuckDB settings from the environment: ``$CEASEFIRE_MEMORY_LIMIT`` (e.g. ``512MB``)
    caps DuckDB's buffer pool and working memory. DuckDB's default (80 % of RAM) lets a
    ten-million-incident store's joins take the app past 1 GB; capped, DuckDB spills to
    disk instead (see bench/README.md). Unset: DuckDB's default."""
    limit = os.environ.get("CEASEFIRE_MEMORY_LIMIT")
    return {"memory_limit": limit} if limit else {}


class StoreBusy(RuntimeError):
    """Another process holds the store's write lock."""


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store (``:memory:`` allowed) and make sure its schema is current."""
    target = str(path if path is not None else db_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only, config=duckdb_config())
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise StoreBusy(
            f"The store {target} is open in another process (is the app running?). DuckDB "
            "lets one process write a store at a time: stop that process, or point "
            "CEASEFIRE_DB at another store."
        ) from error
    if not read_only:
        migrate(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: commit on success, roll back on any exception (or a kill)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def next_ids(con: duckdb.DuckDBPyConnection, sequence: str, count: int) -> list[int]:
    """Reserve ``count`` ids from a sequence (``incident_id_seq``, ``claim_id_seq``...)."""
    if count == 0:
        return []
    rows = con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count]).fetchall()
    return [r[0] for r in rows]


def integrity_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Checks the constraints the schema leaves to the writers; [] when all hold."""
    checks = {
        "duplicate incident_id": "SELECT count(*) - count(DISTINCT incident_id) FROM incident",
        "duplicate (origin, origin_id)": "SELECT count(*) FROM (SELECT origin, origin_id "
        "FROM incident GROUP BY ALL HAVING count(*) > 1)",
        "duplicate claim_id": "SELECT count(*) - count(DISTINCT claim_id) FROM claim",
        "claim without incident": "SELECT count(*) FROM claim c ANTI JOIN incident i "
        "USING (incident_id)",
        "claim with unknown source": "SELECT count(*) FROM claim c WHERE source_id IS NOT NULL "
        "AND source_id NOT IN (SELECT source_id FROM source)",
        "claim with unknown actor": "SELECT count(*) FROM claim WHERE alleged_actor_id IS NOT "
        "NULL AND alleged_actor_id NOT IN (SELECT actor_id FROM actor)",
        "alias of unknown actor": "SELECT count(*) FROM actor_alias WHERE actor_id NOT IN "
        "(SELECT actor_id FROM actor)",
        "link to unknown incident": "SELECT count(*) FROM incident WHERE linked_to IS NOT NULL "
        "AND linked_to NOT IN (SELECT incident_id FROM incident)",
    }
    problems = []
    for label, sql in checks.items():
        n = con.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{label}: {n}")
    return problems


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the store, sorted."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]


def content_hash(con: duckdb.DuckDBPyConnection) -> str:
    """A hash over every row of every table (order-independent), for comparing whole
    stores: a backup with its restore, a store before and after a killed write. Unlike
    ``data_version`` it covers the derived tables and ``schema_meta`` too."""
    parts = []
    for table in table_names(con):
        parts.append(f"{table}:{table_digest(con, table)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def editor_of(con: duckdb.DuckDBPyConnection) -> str | None:
    """The ``editor`` a ``writer()`` was opened with (None when not given)."""
    try:
        return con.execute("SELECT getvariable('ceasefire_editor')").fetchone()[0]
    except duckdb.Error:
        return None
