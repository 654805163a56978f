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
DuckDB's memory is capped at ``--memory-limit`` (default: ``$CEASEFIRE_MEMORY_LIMIT``, else
600MB).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
from tqdm import tqdm

from .common import Settings, example, run_click

#: DuckDB's memory cap for an import when neither ``--memory-limit`` nor
#: ``$CEASEFIRE_MEMORY_LIMIT`` sets one: a 100 MB CSV peaked at 1.35 GB uncapped, under
#: 0.7 GB capped (DuckDB spills to disk; bench/README.md). The app's writer uses the
#: same cap (cache.APP_MEMORY_LIMIT).
IMPORT_MEMORY_LIMIT = "600MB"


@dataclass
class ImportOptions:
    """One import's options, as the command line gave them."""

    format: str
    file: str
    editor: str | None
    mapping: str | None = None
    keep_good_rows: bool = False
    rejects: str | None = None
    no_link: bool = False
    dry_run: bool = False
    encoding: str | None = None
    memory_limit: str = IMPORT_MEMORY_LIMIT


@example("python -m ceasefire import acled tests/fixtures/acled_quirks.csv --dry-run")
@click.group(
    "import",
    short_help="import an ACLED export, a UCDP GED CSV or a mapped spreadsheet",
    help=__doc__.split("\n\n")[0],
)
def import_group() -> None:
    pass


def _import_command(fmt: str, text: str) -> click.Command:
    def run(settings: Settings, import_db: str | None, **values) -> int:
        db = Path(import_db) if import_db else settings.db
        return cmd_import(db, ImportOptions(format=fmt, **values))

    params = [
        click.Argument(["file"]),
        click.Option(
            ["--keep-good-rows"],
            is_flag=True,
            help="import the good rows; write the rejected ones, unchanged, to a rejects file",
        ),
        click.Option(
            ["--rejects"],
            help="rejects file (default: FILE.rejects.csv next to FILE; FILE.rejects.xlsx "
            "for a spreadsheet)",
        ),
        click.Option(["--no-link"], is_flag=True, help="do not link to other datasets' records"),
        click.Option(["--dry-run"], is_flag=True, help="validate and preview; write nothing"),
        click.Option(
            ["--encoding"],
            type=click.Choice(["utf-8", "latin-1", "cp1252"]),
            help="the CSV's text encoding when it is not UTF-8 (the error names the one found)",
        ),
        click.Option(["--db", "import_db"], metavar="PATH", help="store path (as the global --db)"),
        click.Option(
            ["--editor"],
            help="who imports (logged in the change log; default: $CEASEFIRE_EDITOR or the "
            "local editor in .streamlit/secrets.toml)",
        ),
        click.Option(
            ["--memory-limit"],
            envvar="CEASEFIRE_MEMORY_LIMIT",
            default=IMPORT_MEMORY_LIMIT,
            show_default=True,
            help="DuckDB's memory cap during the import (default: $CEASEFIRE_MEMORY_LIMIT, "
            "else 600MB); DuckDB spills to disk beyond it",
        ),
    ]
    if fmt == "table":
        params.insert(
            1,
            click.Option(
                ["--mapping"], required=True, help="column mapping, e.g. mappings/airwars.toml"
            ),
        )
    return click.Command(
        fmt,
        callback=click.pass_obj(run),
        params=params,
        help=f"import {text}",
    )


_ED = '--editor "Ann Editor"'
for _fmt, _text, _example in (
    ("acled", "an ACLED export (CSV)", f"tests/fixtures/acled_quirks.csv {_ED}"),
    (
        "ucdp",
        "a UCDP GED event CSV (older or current layout)",
        f"tests/fixtures/ucdp_current.csv {_ED}",
    ),
    (
        "table",
        "your own spreadsheet (CSV or XLSX) with a column mapping (TOML)",
        f"tests/fixtures/own_sheet.csv --mapping tests/fixtures/own_sheet.toml {_ED}",
    ),
):
    _command = example(f"python -m ceasefire import {_fmt} {_example}")(
        _import_command(_fmt, _text)
    )
    import_group.add_command(_command)


def cmd_import(db: Path, options: ImportOptions) -> int:
    """A dry run reads the newest snapshot; an import writes through ``store.writer()``
    (waiting for another writer, never for readers; a new snapshot is published at the
    end, so the app shows the new rows on its next run)."""
    from .. import auth, store

    options.editor = options.editor or auth.default_editor()
    if not options.dry_run:
        auth.require_editor(options.editor, "an import")
    if options.dry_run:
        with store.reader(db) as con:
            return _import(con, options)
    with store.writer(db, editor=options.editor) as con:
        return _import(con, options)


def _import(con, options: ImportOptions) -> int:
    from .. import importers, progress

    con.execute("SET memory_limit = ?", [options.memory_limit])

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
                options.format,
                options.file,
                mapping=options.mapping,
                encoding=options.encoding,
            )
            if not options.dry_run:
                report = importers.commit_file(
                    con,
                    prepared,
                    keep_good_rows=options.keep_good_rows,
                    rejects_path=options.rejects,
                    link=not options.no_link,
                    editor=options.editor,
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
    if options.dry_run:
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
    """The import group alone, as ``python -m ceasefire import`` runs it (the store is
    ``--db``, else $CEASEFIRE_DB, else the default); the tests call it. Since the move to
    ``ceasefire/cli/`` it is no longer run as ``python -m`` of its own module (runpy
    warns about a package's module run after the package imported it)."""
    from .. import store

    return run_click(
        import_group, argv, "python -m ceasefire import", obj=Settings(db=store.db_path())
    )
