"""``python -m ceasefire backup DIR`` and ``restore DIR [--force]`` (see ``backup.py``)."""

from __future__ import annotations

import json
import os
import sys


def cmd_backup(args) -> int:
    from . import backup, store

    if getattr(args, "db", None):
        os.environ["CEASEFIRE_DB"] = args.db
    with store.reader(store.db_path()) as con:
        manifest = backup.backup(con, args.directory)
    total = sum(t["rows"] for t in manifest["tables"].values())
    print(
        f"Backed up {len(manifest['tables'])} tables ({total:,} rows) of {store.db_path()} to "
        f"{args.directory}: schema version {manifest['schema_version']}, data version "
        f"{manifest['data_version']}, content hash {manifest['content_hash']}."
    )
    return 0


def cmd_restore(args) -> int:
    from . import backup, store

    if getattr(args, "db", None):
        os.environ["CEASEFIRE_DB"] = args.db
    result = backup.restore(args.directory, store.db_path(), force=args.force)
    print(json.dumps(result, indent=2), file=sys.stderr)
    print(
        f"Restored {args.directory} into {result['store']}: content hash "
        f"{result['content_hash']}, data version {result['data_version']}."
    )
    return 0


def add_backup_parsers(subparsers) -> None:
    p = subparsers.add_parser(
        "backup",
        help="write every table as Parquet with a manifest (runs beside the app)",
        description="Every table of the store's newest snapshot as DIR/TABLE.parquet, and "
        "DIR/manifest.json: schema version, row counts, file hashes, sequences, a content "
        "hash over every table and the data version.",
    )
    p.add_argument("directory", help="a new or empty directory")
    p.set_defaults(func=cmd_backup)
    p = subparsers.add_parser(
        "restore",
        help="rebuild the store ($CEASEFIRE_DB or --db) from a backup directory",
        description="Rebuild the store from a backup (also one made by an older schema "
        "version: it is migrated). Refuses a store that holds incidents unless --force.",
    )
    p.add_argument("directory", help="a directory written by 'backup'")
    p.add_argument("--force", action="store_true", help="replace a store that holds incidents")
    p.set_defaults(func=cmd_restore)
