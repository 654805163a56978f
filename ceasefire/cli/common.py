"""What every subcommand module of the CLI shares: the store that ``--db`` names (resolved
once, by the ``cli`` group, and passed explicitly: nothing here writes ``os.environ``),
opened for reading or writing; the filter options, generated from ``filters.FIELDS``;
a date type and the output writer. Here, not in ``cli.py``, so the subcommand modules
that ``cli.py`` registers need not import it back."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click

from .. import store
from ..filters import FIELDS, Filter


@dataclass
class Settings:
    """The group's options, resolved once: the store's path (``--db``, else
    ``$CEASEFIRE_DB``, else ``data/ceasefire.duckdb``)."""

    db: Path


def resolve_db(value: str | Path | None) -> Path:
    """The store ``--db`` names (click has read ``$CEASEFIRE_DB`` into it when the flag
    is absent), else the default file under data/."""
    return Path(value) if value else store.DEFAULT_DB_PATH


def open_writer(db: Path, **options):
    """The writer of the store at ``db`` (waits for another writer; publishes a snapshot
    at the end); ``options`` as for ``store.writer`` (``editor``, ``with_demo``)."""
    return store.writer(db, **options)


def open_reader(db: Path):
    """A read-only connection on the newest snapshot of the store at ``db``: runs while
    the app or a writer has the store open."""
    return store.reader(db)


def run_click(command: click.Command, argv: list[str] | None, prog_name: str, **extra):
    """Run a click command on ``argv`` and return what its callback returns (the exit
    code). A usage error prints the usage and raises ``SystemExit(2)``, as argparse did;
    ``--help`` returns 0."""
    try:
        return command.main(args=argv, prog_name=prog_name, standalone_mode=False, **extra)
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except click.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(1) from None


def example(*lines: str) -> Callable[[click.Command], click.Command]:
    """Put above a command's decorator: its ``--help`` ends with "Example:" and these
    command lines (a line may pipe into the next or write to a file, as a shell does).
    They run on a fresh clone from the repository's folder, in the order docs/cli.md
    lists the commands (``tools/cli_reference.py --run-examples`` runs them all), and
    ``tests/test_cli_reference.py`` fails for a command without one."""

    def add(command: click.Command) -> click.Command:
        heading = "Examples:" if len(lines) > 1 else "Example:"
        body = "\n".join(f"  {line}" for line in lines)
        command.epilog = f"{heading}\n\n\b\n{body}"  # \b: click keeps the lines as written
        command.examples = lines
        return command

    return add


class Day(click.ParamType):
    """A day written YYYY-MM-DD."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, date) or value is None:
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"not a date like 2020-03-06: {value!r}", param, ctx)


DAY = Day()


def filter_options(command: Callable) -> Callable:
    """The filter options (the sidebar's fields, one per row of ``filters.FIELDS``, in
    its order); the command gets each as a keyword named after the field. Read them back
    with ``filter_from_args``."""
    for field in reversed(FIELDS):
        options: dict = {"help": field.help}
        if field.metavar:
            options["metavar"] = field.metavar
        if field.kind == "list":
            options["multiple"] = True
            if field.choices is not None:
                options["type"] = click.Choice(list(field.choices))
        elif field.kind == "date":
            options.update(type=DAY, default=None)
        elif field.kind == "choice":
            options.update(default=field.default, type=click.Choice(list(field.choices)))
        elif field.kind == "bool":
            options.update(is_flag=True, flag_value=field.flag_sets, default=field.default)
        command = click.option(field.flag, field.name, **options)(command)
    return command


def filter_from_args(values: dict) -> Filter:
    """The Filter the filter options describe (``values``: the command's keywords; other
    keys are ignored). ValueError with a readable message if invalid."""
    out = {}
    for field in FIELDS:
        value = values.get(field.name, field.default)
        out[field.name] = tuple(value or ()) if field.kind == "list" else value
    out["agreement"] = out["agreement"] or None
    if out["attribution_source"] and out["attribution"] == "any":
        out["attribution"] = "source"  # --source alone means "as this source reports"
    if out["attribution"] != "source":
        out["attribution_source"] = None
    return Filter(**out)


def write_output(data: bytes, out: str) -> None:
    """``data`` to the file ``out`` (its directory made), or to stdout for ``-``."""
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
