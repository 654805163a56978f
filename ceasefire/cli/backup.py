"""``python -m ceasefire backup DIR`` and ``restore DIR [--force]`` (see ``backup.py``)."""

from __future__ import annotations

import json
import sys

import click

from .common import Settings, example, open_reader


@example("python -m ceasefire backup backups/2026-12-07")
@click.command(
    "backup",
    short_help="write every table as Parquet with a manifest (runs beside the app)",
    help="Every table of the store's newest snapshot as DIR/TABLE.parquet, and "
    "DIR/manifest.json: schema version, row counts, file hashes, sequences, a content "
    "hash over every table and the data version. DIRECTORY: a new or empty directory.",
)
@click.argument("directory")
@click.pass_obj
def backup_command(settings: Settings, directory: str) -> int:
    from .. import backup

    with open_reader(settings.db) as con:
        manifest = backup.backup(con, directory)
    total = sum(t["rows"] for t in manifest["tables"].values())
    print(
        f"Backed up {len(manifest['tables'])} tables ({total:,} rows) of {settings.db} to "
        f"{directory}: schema version {manifest['schema_version']}, data version "
        f"{manifest['data_version']}, content hash {manifest['content_hash']}."
    )
    return 0


@example("python -m ceasefire restore backups/2026-12-07 --force")
@click.command(
    "restore",
    short_help="rebuild the store ($CEASEFIRE_DB or --db) from a backup directory",
    help="Rebuild the store from a backup (also one made by an older schema version: it "
    "is migrated). Refuses a store that holds incidents unless --force. DIRECTORY: one "
    "written by 'backup'.",
)
@click.argument("directory")
@click.option("--force", is_flag=True, help="replace a store that holds incidents")
@click.pass_obj
def restore_command(settings: Settings, directory: str, force: bool) -> int:
    from .. import backup

    result = backup.restore(directory, settings.db, force=force)
    print(json.dumps(result, indent=2), file=sys.stderr)
    print(
        f"Restored {directory} into {result['store']}: content hash "
        f"{result['content_hash']}, data version {result['data_version']}."
    )
    return 0
