"""The command line: ``python -m ceasefire COMMAND``.

The CLI and the app share one core: every command here is a thin call into the same
functions the pages use, so a figure or a count made here matches the app's.

Every command, its options and an example that runs: ``docs/cli.md``, generated from
the commands' own ``--help`` by ``tools/cli_reference.py`` (a test keeps it current);
``python -m ceasefire COMMAND --help`` prints the same.

The store is ``--db PATH``, else $CEASEFIRE_DB, else data/ceasefire.duckdb; the group
resolves it once and passes it to every command (nothing sets ``os.environ``).

One ``click`` group, ``cli``; the subcommands live in the ``cli_*`` modules and are
registered below. ``main(argv)`` runs it and returns the exit code (``__main__.py``, the
``ceasefire`` console script and the tests call it): 0 on success, 1 for a failed check
or a rejected import, 2 for an error (a usage error exits with 2 too, as before).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import duckdb

from .. import demo, queries, store
from ..analysis import counting
from ..filters import Filter
from ..sqlparams import positional
from ..store import bootstrap
from .backup import backup_command, restore_command
from .brief import brief_command
from .chart import chart_command, export_command
from .common import (
    Settings,
    example,
    filter_from_args,
    filter_options,
    open_reader,
    open_writer,
    resolve_db,
    run_click,
)
from .compare import changes_command, compare_command
from .draft import draft_command, draft_score_command
from .edit import actors_group, editors_group, history_command, incident_group, revert_command
from .importing import import_group
from .tally import tally_group

PROG = "python -m ceasefire"


@example("python -m ceasefire summary --actor Russia --agreement sochi-2018")
@click.group(
    help="The ceasefire-violation tracker's command line: the same core as the app, so a "
    "figure or a count made here matches the app's. COMMAND --help describes one command.",
    context_settings={"max_content_width": 100},
)
@click.option(
    "--db",
    envvar="CEASEFIRE_DB",
    metavar="PATH",
    help="store path (default: $CEASEFIRE_DB or data/ceasefire.duckdb)",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    ctx.obj = Settings(db=resolve_db(db))


@example("python -m ceasefire init")
@cli.command("init", help="create the store with the seed and demo data")
@click.option("--no-demo", is_flag=True, help="do not add the synthetic demo data")
@click.pass_obj
def cmd_init(settings: Settings, no_demo: bool) -> int:
    with open_writer(settings.db, with_demo=not no_demo) as con:
        h = queries.headline(con, Filter())
    print(f"Store {settings.db}: {h['incidents']:,} incidents ({h['demo']:,} demo).")
    return 0


@example(
    'python -m ceasefire demo remove --editor "Ann Editor"',
    "python -m ceasefire demo add",
)
@cli.command("demo", help="remove or restore the synthetic demo data")
@click.argument("action", type=click.Choice(["remove", "add"]), metavar="remove|add")
@click.option("--editor", help="who removes it (default: $CEASEFIRE_EDITOR)")
@click.pass_obj
def cmd_demo(settings: Settings, action: str, editor: str | None) -> int:
    if action == "remove":
        from .. import auth

        editor = auth.require_editor(editor or auth.default_editor(), "removing the demo data")
    else:
        editor = None
    with open_writer(settings.db) as con:
        if action == "remove":
            print(f"Removed {demo.remove_demo(con, editor=editor):,} demo incidents.")
        else:
            print(demo.load_demo(con).as_text())
    return 0


@example("python -m ceasefire check")
@cli.command("check", help="integrity checks")
@click.pass_obj
def cmd_check(settings: Settings) -> int:
    with open_reader(settings.db) as con:
        problems = store.integrity_problems(con)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


@example("python -m ceasefire reload-reference")
@cli.command("reload-reference", help="reload data/actors.csv and data/agreements.toml")
@click.pass_obj
def cmd_reload_reference(settings: Settings) -> int:
    with open_writer(settings.db) as con:
        bootstrap.load_reference(con)
    print("Reloaded actors and agreements from data/.")
    return 0


@example("python -m ceasefire summary --actor Russia --agreement sochi-2018")
@cli.command("summary", help="headline counts for a filter, as on the Overview")
@filter_options
@click.pass_obj
def cmd_summary(settings: Settings, **values) -> int:
    f = filter_from_args(values)
    with open_reader(settings.db) as con:
        h = queries.headline(con, f)
    print(f.describe())
    print(f.attribution_text())
    print(counting.notes(h))  # how clashes count; what awaits review
    best = counting.best_estimate_text(h)
    if best:
        print(best)
    print(json.dumps(h, default=str, indent=2))
    return 0


@example("python -m ceasefire sql timeline --actor Russia --agreement sochi-2018 --by month")
@cli.command("sql", help="print the SQL and parameters behind a figure")
@click.argument("name", type=click.Choice(sorted(queries.QUERIES)), metavar="NAME")
@click.option("--by", default="week", type=click.Choice(queries.TIME_UNITS))
@filter_options
def cmd_sql(name: str, by: str, **values) -> int:
    f = filter_from_args(values)
    options = {"by": by} if name == "timeline" else {}
    # printed with ? marks and the values in order: the form every DuckDB client runs
    sql, params = positional(*queries.sql_for(name, f, **options))
    print(sql.strip())
    print("-- parameters, in order:")
    print(json.dumps(params, default=str))
    return 0


for _command in (
    import_group,
    backup_command,
    restore_command,
    chart_command,
    export_command,
    draft_command,
    draft_score_command,
    compare_command,
    changes_command,
    brief_command,
    incident_group,
    actors_group,
    history_command,
    revert_command,
    editors_group,
    tally_group,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: ``sys.argv[1:]``) and return its exit code. A
    usage error prints the usage and raises ``SystemExit(2)``, as argparse did; the
    core's errors (a bad value, a missing file, a busy or full store) print one line,
    ``error: ...``, and return 2."""
    prog = "ceasefire" if argv is None and Path(sys.argv[0]).name == "ceasefire" else PROG
    try:
        return run_click(cli, argv, prog)
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
