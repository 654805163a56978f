"""Backup and restore: ``python -m ceasefire backup DIR`` / ``restore DIR``.

A backup is a directory: every table of the store as Parquet (``TABLE.parquet``) and
``manifest.json`` with the schema version, each table's row count and file hash, the
sequences' last values (so restored ids continue where they stopped), a content hash
over every table (``store.content_hash``) and the data version. It is read from the
newest published snapshot, so it runs while the app and writers are at work.

``restore DIR`` rebuilds the store at ``$CEASEFIRE_DB`` (or ``--db``) from a backup:
it creates an empty store at the backup's schema version (the migrations up to it),
loads every table, sets the sequences, migrates to this program's schema version
(rebuilding the derived tables when the backup is older), checks the content hash
(same version: it must equal the manifest's), then replaces the working file and
publishes a snapshot, under the write lock. It refuses a store that holds incidents
unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import duckdb

from . import store
from .text import plural

MANIFEST = "manifest.json"


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    return {
        name: last
        for name, last in con.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() "
            "WHERE database_name = current_database() ORDER BY 1"
        ).fetchall()
    }


def backup(con: duckdb.DuckDBPyConnection, directory: Path | str) -> dict:
    """Write every table of ``con``'s store to ``directory`` with a manifest."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ValueError(f"{out} is not empty: back up into a new or empty directory")
    tables = {}
    for table in store.table_names(con):
        file = out / f"{table}.parquet"
        con.execute(f"COPY {table} TO '{file}' (FORMAT parquet)")
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        tables[table] = {"file": file.name, "rows": rows, "sha256": _file_hash(file)}
    manifest = {
        "format": "ceasefire-backup-1",
        "schema_version": store.schema_version(con),
        "data_version": store.data_version(con),
        "content_hash": store.content_hash(con),
        "duckdb_version": duckdb.__version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sequences": _sequences(con),
        "tables": tables,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def read_manifest(directory: Path | str) -> dict:
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: is {directory} a backup?")
    manifest = json.loads(path.read_text())
    for table, entry in manifest["tables"].items():
        file = Path(directory) / entry["file"]
        if not file.exists():
            raise ValueError(f"backup incomplete: {file} ({table}) is missing")
        if _file_hash(file) != entry["sha256"]:
            raise ValueError(f"backup damaged: {file} ({table}) does not match its hash")
    return manifest


def _build(directory: Path, manifest: dict, target: Path) -> str:
    """A new store file at ``target`` from the backup; returns its content hash."""
    version = int(manifest["schema_version"])
    if version > store.SCHEMA_VERSION:
        raise ValueError(
            f"the backup has schema version {version}, newer than this program's "
            f"{store.SCHEMA_VERSION}: restore it with a newer version of the tracker"
        )
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        for v in range(1, version + 1):
            for statement in store.MIGRATIONS[v]:
                con.execute(statement)
        present = set(store.table_names(con))
        for table, entry in manifest["tables"].items():
            if table not in present:
                raise ValueError(f"the backup's table {table} is not in schema version {version}")
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)",
                [str(directory / entry["file"])],
            )
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if n != entry["rows"]:
                raise ValueError(f"{table}: {n} rows restored, the manifest says {entry['rows']}")
        for name, last in manifest["sequences"].items():
            con.execute(f"DROP SEQUENCE IF EXISTS {name}")
            con.execute(f"CREATE SEQUENCE {name} START {int(last or 0) + 1}")
        con.execute("COMMIT")
        restored = store.content_hash(con)
        if version == store.SCHEMA_VERSION and restored != manifest["content_hash"]:
            raise ValueError(
                f"restored content hash {restored} differs from the backup's "
                f"{manifest['content_hash']}: the store was not replaced"
            )
        store.migrate(con)  # an older backup: through the migrations, derived tables rebuilt
        con.execute("CHECKPOINT")
        return store.content_hash(con)
    finally:
        con.close()


def restore(directory: Path | str, path: Path | str | None = None, *, force: bool = False) -> dict:
    """Replace the store at ``path`` with the backup in ``directory`` (see module doc)."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    target = Path(path if path is not None else store.db_path())
    with store.write_lock(target):
        if target.exists() and not force:
            con = store.connect(target)
            try:
                n = con.execute("SELECT count(*) FROM incident").fetchone()[0]
            finally:
                con.close()
            if n:
                raise ValueError(
                    f"{target} holds {plural(n, 'incident')}: restore into a new store (--db / "
                    "CEASEFIRE_DB) or pass --force to replace it"
                )
        tmp = target.with_name(target.name + ".restoring")
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            restored_hash = _build(directory, manifest, tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            Path(str(target) + ".wal").unlink(missing_ok=True)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
        snap = store.publish_locked(target)
    return {
        "store": str(target),
        "schema_version_backup": manifest["schema_version"],
        "content_hash": restored_hash,
        "data_version": snap.data_version,
        "rows": {t: e["rows"] for t, e in manifest["tables"].items()},
    }
