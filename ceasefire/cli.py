"""The command line: ``python -m ceasefire COMMAND``.

The CLI and the app share one core: every command here is a thin call into the same
functions the pages use, so a figure or a count made here matches the app's.

    python -m ceasefire init [--no-demo]      create the store (seed + demo data)
    python -m ceasefire demo remove|add       remove or restore the synthetic rows
    python -m ceasefire check                 integrity checks of the store
    python -m ceasefire reload-reference      reload actors and agreements from data/
    python -m ceasefire import acled|ucdp|table FILE ...
    python -m ceasefire chart NAME [filters] --format svg -o fig.svg
    python -m ceasefire export data [filters] --format csv -o rows.csv
    python -m ceasefire summary [filters]     headline counts, as on the Overview
    python -m ceasefire sql NAME [filters]    the exact SQL and parameters behind a figure
    python -m ceasefire backup DIR            every table as Parquet + manifest.json
    python -m ceasefire restore DIR [--force] rebuild the store from a backup
    python -m ceasefire draft FILE --outlet NAME --published YYYY-MM-DD   propose an incident
    python -m ceasefire compare --agreement ID|--date D --days N   before/after rates
    python -m ceasefire changes --week-of D --by governorate|district|actor   this week
    python -m ceasefire incident add|edit|delete, actors review|set-side|merge,
                        history, revert, editors hash   the coding workbench (cli_edit.py)

The store is $CEASEFIRE_DB, or data/ceasefire.duckdb by default (``--db`` overrides).
"""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

from . import bootstrap, counting, demo, queries, store
from .cli_common import open_reader, open_writer, use_db
from .filters import Filter

_use_db, _reader = use_db, open_reader  # the old names


def _writer(args):
    """The store's writer (waits for another writer; publishes a snapshot at the end)."""
    return open_writer(args, with_demo=not getattr(args, "no_demo", False))


def cmd_init(args) -> int:
    with _writer(args) as con:
        h = queries.headline(con, Filter())
    print(f"Store {store.db_path()}: {h['incidents']:,} incidents ({h['demo']:,} demo).")
    return 0


def cmd_demo(args) -> int:
    editor = None
    if args.action == "remove":
        from . import auth

        editor = auth.require_editor(args.editor or auth.default_editor(), "removing the demo data")
    with _writer(args) as con:
        if args.action == "remove":
            print(f"Removed {demo.remove_demo(con, editor=editor):,} demo incidents.")
        else:
            print(demo.load_demo(con).as_text())
    return 0


def cmd_check(args) -> int:
    with _reader(args) as con:
        problems = store.integrity_problems(con)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


def cmd_reload_reference(args) -> int:
    with _writer(args) as con:
        bootstrap.load_reference(con)
    print("Reloaded actors and agreements from data/.")
    return 0


def cmd_summary(args) -> int:
    from .cli_chart import filter_from_args

    f = filter_from_args(args)
    with _reader(args) as con:
        h = queries.headline(con, f)
    print(f.describe())
    print(f.attribution_text())
    print(counting.notes(h))  # how clashes count; what awaits review
    best = counting.best_estimate_text(h)
    if best:
        print(best)
    print(json.dumps(h, default=str, indent=2))
    return 0


def cmd_sql(args) -> int:
    from .cli_chart import filter_from_args

    f = filter_from_args(args)
    options = {"by": args.by} if args.name == "timeline" else {}
    sql, params = queries.sql_for(args.name, f, **options)
    print(sql.strip())
    print("-- parameters, in order:")
    print(json.dumps(params, default=str))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .cli_backup import add_backup_parsers
    from .cli_chart import add_chart_parser, add_export_parser, add_filter_arguments
    from .cli_compare import add_changes_parser, add_compare_parser
    from .cli_draft import add_draft_parser
    from .cli_edit import add_edit_parsers
    from .cli_import import add_import_parser

    parser = argparse.ArgumentParser(
        prog="python -m ceasefire", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--db", help="store path (default: $CEASEFIRE_DB or data/ceasefire.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create the store with the seed and demo data")
    p.add_argument("--no-demo", action="store_true", help="do not add the synthetic demo data")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="remove or restore the synthetic demo data")
    p.add_argument("action", choices=["remove", "add"])
    p.add_argument("--editor", help="who removes it (default: $CEASEFIRE_EDITOR)")
    p.set_defaults(func=cmd_demo)

    sub.add_parser("check", help="integrity checks").set_defaults(func=cmd_check)
    sub.add_parser(
        "reload-reference", help="reload data/actors.csv and data/agreements.toml"
    ).set_defaults(func=cmd_reload_reference)

    p = sub.add_parser("summary", help="headline counts for a filter, as on the Overview")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("sql", help="print the SQL and parameters behind a figure")
    p.add_argument("name", choices=sorted(queries.QUERIES))
    p.add_argument("--by", default="week", choices=queries.TIME_UNITS)
    add_filter_arguments(p)
    p.set_defaults(func=cmd_sql)

    add_import_parser(sub)
    add_backup_parsers(sub)
    add_chart_parser(sub)
    add_export_parser(sub)
    add_draft_parser(sub)
    add_compare_parser(sub)
    add_changes_parser(sub)
    add_edit_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (
        ValueError,
        PermissionError,
        FileNotFoundError,
        store.StoreBusy,
        store.StoreWriteFailed,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (duckdb.IOException, duckdb.TransactionException, OSError) as error:
        print(f"error: {_io_message(error)}", file=sys.stderr)
        return 2


#: Words of DuckDB's and the OS's messages when a file cannot grow.
_WRITE_FAILURES = ("could not write", "no space left", "file too large", "disk quota")


def _io_message(error: Exception) -> str:
    """A failed write or read in words, without a traceback. A write that fails is rolled
    back by DuckDB (the commit did not happen), so the store is as it was."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    if any(w in text.lower() for w in _WRITE_FAILURES):
        return (
            f"could not write to the store ({text}). The write was rolled back: the store "
            "is unchanged. Free some disk space (or raise the file-size limit) and try again."
        )
    return text
