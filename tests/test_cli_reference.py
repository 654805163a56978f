"""The command-line reference (docs/cli.md) is generated from the commands' ``--help``
(``tools/cli_reference.py``): it cannot go stale, and every command shows an example
that the command line accepts as written."""

from __future__ import annotations

import shlex
import warnings

import click
import pytest

from ceasefire.cli import PROG, cli
from tools import cli_reference

ROOT = cli_reference.ROOT
COMMANDS = list(cli_reference.commands())
IDS = [" ".join(path) or "cli" for path, _ in COMMANDS]


def test_docs_cli_md_is_what_the_help_texts_say_now():
    assert cli_reference.OUT.read_text(encoding="utf-8") == cli_reference.reference(), (
        "docs/cli.md is stale: run .venv/bin/python tools/cli_reference.py"
    )


def test_the_reference_changes_when_a_help_text_does(monkeypatch):
    before = cli_reference.reference()
    monkeypatch.setattr(cli.commands["check"], "help", "integrity checks of every table")
    after = cli_reference.reference()
    assert after != before and "integrity checks of every table" in after


def test_the_reference_holds_every_command_once():
    text = cli_reference.OUT.read_text(encoding="utf-8")
    titles = [line for line in text.splitlines() if line.startswith("## ")]
    assert titles == [f"## `{' '.join((PROG, *path))}`" for path, _ in COMMANDS]
    assert len(COMMANDS) > 40  # every subcommand, not only the groups


@pytest.mark.parametrize("path, command", COMMANDS, ids=IDS)
def test_every_command_has_an_example_its_help_shows(path, command):
    lines = getattr(command, "examples", ())
    assert lines, f"{' '.join(path) or 'the group'} has no @example"
    shown = cli_reference.help_text(path)
    assert "Example" in shown and all(line in shown for line in lines)


def _invocations(line: str) -> list[list[str]]:
    """The ``python -m ceasefire`` commands of one shell line (a pipeline's parts; a
    ``> FILE`` redirection left out), each as its arguments after the program."""
    out = []
    for part in line.split(" | "):
        words = shlex.split(part, comments=True)
        if ">" in words:
            words = words[: words.index(">")]
        if words[:3] == PROG.split():
            out.append(words[3:])
    return out


def _parse(args: list[str]) -> tuple[str, ...]:
    """Parse ``args`` as the command line does, down to the command (options, arguments,
    choices and types checked; nothing run); the command's path."""
    ctx = cli.make_context(PROG, list(args))
    path: tuple[str, ...] = ()
    command: click.Command = cli
    while isinstance(command, click.Group):
        name, command, rest = command.resolve_command(ctx, _left(ctx))
        path = (*path, name)
        ctx = command.make_context(name, rest, parent=ctx)
    return path


def _left(ctx: click.Context) -> list[str]:
    """The words a group left for its subcommand (click 8 keeps the first one apart, in
    ``protected_args``, which it deprecates for 9, where ``args`` holds them all)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [*getattr(ctx, "protected_args", ()), *ctx.args]


@pytest.mark.parametrize("path, command", COMMANDS, ids=IDS)
def test_every_example_is_accepted_as_written(path, command):
    runs = []
    for line in command.examples:
        invocations = _invocations(line)
        assert invocations, f"{line!r} does not run {PROG}"
        for args in invocations:
            runs.append(_parse(args))
            files = [w for w in args if w.startswith(("tests/", "data/", "mappings/"))]
            assert all((ROOT / w).exists() for w in files), line
    # the command's examples run the command (a group's: one of its subcommands)
    assert any(run[: len(path)] == path for run in runs), (path, runs)
