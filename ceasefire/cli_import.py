"""``python -m ceasefire import acled|ucdp|table FILE``: import a dataset from the command line.

    python -m ceasefire import acled export.csv
    python -m ceasefire import ucdp ged.csv --keep-good-rows --rejects ged.rejects.csv
    python -m ceasefire import table mine.xlsx --mapping mappings/airwars.toml
    python -m ceasefire import acled export.csv --dry-run      # validate and preview only

By default a file with any bad row is rejected whole: nothing is written, the problem
report (file:line: column, value, reason) goes to stderr and the exit status is 1.
``--keep-good-rows`` imports the good rows and copies the bad ones, unchanged, to a
rejects file. Progress (a percentage and the stage: check encoding, read, check and map,
write, link, derive; ``ceasefire.progress``) is shown on stderr; a summary ends the run.
"""

from __future__ import annotations

import argparse
import os
import sys

from tqdm import tqdm


def add_import_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import",
        help="import an ACLED export, a UCDP GED CSV or a mapped spreadsheet",
        description=__doc__.split("\n\n")[0],
    )
    formats = parser.add_subparsers(dest="format", required=True)
    for fmt, text in (
        ("acled", "an ACLED export (CSV)"),
        ("ucdp", "a UCDP GED event CSV (older or current layout)"),
        ("table", "your own spreadsheet (CSV or XLSX) with a column mapping (TOML)"),
    ):
        p = formats.add_parser(fmt, help=f"import {text}")
        p.add_argument("file", help="the file to import")
        if fmt == "table":
            p.add_argument(
                "--mapping", required=True, help="column mapping, e.g. mappings/airwars.toml"
            )
        p.add_argument(
            "--keep-good-rows",
            action="store_true",
            help="import the good rows; write the rejected ones, unchanged, to a rejects file",
        )
        p.add_argument(
            "--rejects",
            help="rejects file (default: FILE.rejects.csv next to FILE; FILE.rejects.xlsx for a spreadsheet)",
        )
        p.add_argument(
            "--no-link", action="store_true", help="do not link to other datasets' records"
        )
        p.add_argument("--dry-run", action="store_true", help="validate and preview; write nothing")
        p.add_argument(
            "--encoding",
            choices=["utf-8", "latin-1", "cp1252"],
            help="the CSV's text encoding when it is not UTF-8 (the error names the one found)",
        )
        p.add_argument("--db", dest="import_db", help="store path (as the global --db)")
        p.add_argument(
            "--editor",
            help="who imports (logged in the change log; default: $CEASEFIRE_EDITOR or the "
            "local editor in .streamlit/secrets.toml)",
        )
        p.set_defaults(func=cmd_import)
    return parser


def _use_db(args) -> None:
    db = getattr(args, "import_db", None) or getattr(args, "db", None)
    if db:
        os.environ["CEASEFIRE_DB"] = db


def cmd_import(args) -> int:
    """A dry run reads the newest snapshot; an import writes through ``store.writer()``
    (waiting for another writer, never for readers; a new snapshot is published at the
    end, so the app shows the new rows on its next run)."""
    from . import auth, store

    args.editor = getattr(args, "editor", None) or auth.default_editor()
    if not args.dry_run:
        auth.require_editor(args.editor, "an import")
    _use_db(args)
    if args.dry_run:
        with store.reader(store.db_path()) as con:
            return _import(con, args)
    with store.writer(store.db_path(), editor=args.editor) as con:
        return _import(con, args)


#: DuckDB's memory cap for an import when ``$CEASEFIRE_MEMORY_LIMIT`` is not set: a
#: 100 MB CSV peaked at 1.35 GB uncapped, under 0.7 GB capped (DuckDB spills to disk;
#: bench/README.md). The app's writer uses the same cap (cache.APP_MEMORY_LIMIT).
IMPORT_MEMORY_LIMIT = "600MB"


def _import(con, args) -> int:
    from . import importers, progress

    if not os.environ.get("CEASEFIRE_MEMORY_LIMIT"):
        con.execute("SET memory_limit = ?", [IMPORT_MEMORY_LIMIT])

    bar = tqdm(
        total=100,
        desc="import",
        unit="%",
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}{postfix}",
        file=sys.stderr,
        disable=None,
    )

    def show(fraction: float, stage: str) -> None:
        bar.n = round(fraction * 100, 1)
        bar.set_postfix_str(stage if fraction < 1 else "done", refresh=False)
        bar.refresh()

    try:
        with progress.tracking(show, con):
            prepared = importers.prepare_file(
                con,
                args.format,
                args.file,
                mapping=getattr(args, "mapping", None),
                encoding=getattr(args, "encoding", None),
            )
            if not args.dry_run:
                report = importers.commit_file(
                    con,
                    prepared,
                    keep_good_rows=args.keep_good_rows,
                    rejects_path=args.rejects,
                    link=not args.no_link,
                    editor=args.editor,
                )
    except importers.ImportRejected as rejected:
        bar.close()
        r = rejected.report
        print(r.problems_text(), file=sys.stderr)
        print(
            f"{r.file}: REJECTED. {r.problems_headline()}\nThe store is unchanged. "
            "Fix the rows or use --keep-good-rows.",
            file=sys.stderr,
        )
        return 1
    finally:
        bar.close()
    if args.dry_run:
        report = prepared.report
        print(prepared.preview(10).to_string(index=False))
        print(
            report.problems_headline()
            if report.problems
            else f"All {report.rows_in:,} rows are valid."
        )
        if report.problems:
            print(report.problems_text(limit=200), file=sys.stderr)
        return 1 if report.problems else 0
    if report.problems:
        print(report.problems_text(limit=50), file=sys.stderr)
    print(report.as_text())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (``python -m ceasefire.cli_import acled FILE``)."""
    parser = argparse.ArgumentParser(prog="python -m ceasefire")
    parser.add_argument("--db")
    sub = parser.add_subparsers(dest="command", required=True)
    add_import_parser(sub)
    args = parser.parse_args(["import", *(argv if argv is not None else sys.argv[1:])])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
