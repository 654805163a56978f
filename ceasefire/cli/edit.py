"""The coding workbench on the command line: the same core functions as the app's pages.

    python -m ceasefire incident add --toml FILE     incidents in the seed file's format
    python -m ceasefire incident add --json FILE     one proposal (see ceasefire/editing)
        [--link ID | --distinct --note TEXT]         when it may be an event already stored
    python -m ceasefire incident edit ID --set weapon=airstrike --set latitude=36.2
    python -m ceasefire incident edit ID --claim CLAIM_ID --set killed_max=40
    python -m ceasefire actors review                the review queue as a table
    python -m ceasefire actors set-side NAME SIDE --note "why (a citation)"
    python -m ceasefire actors merge NAME --into CANONICAL --note "why"
    python -m ceasefire history [--incident ID] [--format json]
    python -m ceasefire revert CHANGE_ID [--note TEXT]
    python -m ceasefire editors hash NAME            a local account's line for secrets.toml

Every write takes ``--editor NAME`` (default: ``$CEASEFIRE_EDITOR`` or the local editor
in ``.streamlit/secrets.toml``) and is logged like the page's.
"""

from __future__ import annotations

import getpass
import json
import sys
import tomllib
from pathlib import Path

import click

from .. import taxonomy
from .common import Settings, example, open_reader, open_writer


def _editor(name: str | None) -> str:
    from .. import auth

    return auth.require_editor(name or auth.default_editor())


def editor_option(command):
    return click.option(
        "--editor",
        help="who makes the change (default: $CEASEFIRE_EDITOR or the local editor in "
        ".streamlit/secrets.toml)",
    )(command)


def note_option(command):
    return click.option("--note", help="why: the editor's note (a citation for a judgment)")(
        command
    )


def proposals_from_toml(path: Path) -> list[dict]:
    """The seed file's format as proposals (one per ``[[incident]]``)."""
    with open(path, "rb") as handle:
        doc = tomllib.load(handle)
    out = []
    for raw in doc.get("incident", []):
        raw = dict(raw)
        raw["claims"] = raw.pop("claim", [])
        out.append(raw)
    return out


@example(
    'python -m ceasefire incident edit 1 --set weapon=shelling/artillery --editor "Ann Editor"'
)
@click.group("incident", help="add, edit or delete an incident (logged)")
def incident_group() -> None:
    pass


@example(
    "python -m ceasefire draft tests/fixtures/articles/sana-2019-08-mhardeh-rockets.txt --outlet SANA --published 2019-08-20 --format editor > proposal.json",
    'python -m ceasefire incident add --json proposal.json --editor "Ann Editor"',
)
@incident_group.command(
    "add",
    help="add incidents from a seed-format TOML or a proposal JSON. When the store holds "
    "incidents that may record the same event, they are listed and nothing is written "
    "(exit status 3) unless --link or --distinct decides.",
)
@click.option("--toml", "toml_file", help="incidents in the format of data/seed/*.toml")
@click.option(
    "--json", "json_file", help="one proposal (or a list) as described in ceasefire/editing"
)
@click.option(
    "--link",
    type=int,
    metavar="ID",
    help="the incident records the same event as incident ID: link it (counted once)",
)
@click.option(
    "--distinct",
    is_flag=True,
    help="the incident is a distinct event from those listed (needs --note: why)",
)
@editor_option
@note_option
@click.pass_obj
def cmd_incident_add(
    settings: Settings,
    toml_file: str | None,
    json_file: str | None,
    link: int | None,
    distinct: bool,
    editor: str | None,
    note: str | None,
) -> int:
    from .. import editing

    if toml_file and json_file:
        raise click.UsageError("--json is not allowed with --toml")
    if not toml_file and not json_file:
        raise click.UsageError("one of --toml and --json is required")
    if link is not None and distinct:
        raise click.UsageError("--link and --distinct exclude each other")
    if distinct and not (note or "").strip():
        raise click.UsageError("--distinct needs --note TEXT: why it is a distinct event")
    editor = _editor(editor)
    if toml_file:
        proposals = proposals_from_toml(Path(toml_file))
    else:
        doc = json.loads(Path(json_file).read_text(encoding="utf-8"))
        proposals = doc if isinstance(doc, list) else [doc]
    if link is not None and len(proposals) > 1:
        raise click.UsageError("--link decides for one incident; the file holds several")
    decision = (
        editing.Link(link, note)
        if link is not None
        else editing.Distinct(note)
        if distinct
        else None
    )
    # check every proposal before writing any, and list what may be the same event
    for proposal in proposals:
        editing.validate_proposal(proposal)
    if decision is None:
        with open_reader(settings.db) as con:
            undecided = [(p, editing.same_event_candidates(con, p)) for p in proposals]
        undecided = [(p, found) for p, found in undecided if found]
        if undecided:
            _print_candidates(undecided)
            return 3
    try:
        with open_writer(settings.db, editor=editor) as con:
            for proposal in proposals:
                incident_id = editing.create_incident(
                    con, proposal, editor=editor, note=note, same_event=decision
                )
                n = len(proposal.get("claims") or [])
                linked = con.execute(
                    "SELECT linked_to FROM incident WHERE incident_id = ?", [incident_id]
                ).fetchone()[0]
                print(
                    f"Added incident {incident_id} with {n} claims"
                    + (f", linked to incident {linked} (the same event)." if linked else ".")
                )
    except editing.SameEventUndecided as undecided:  # written meanwhile by someone else
        _print_candidates([(None, undecided.candidates)])
        return 3
    return 0


def _print_candidates(undecided: list) -> None:
    """The incidents each proposal may duplicate, with their claims, and what to do."""
    from ..editing import SAME_EVENT_SHOWN
    from ..incident_record import candidate_text

    for proposal, found in undecided:
        what = "The new incident" if proposal is None else _proposal_label(proposal)
        print(f"{what} may record the same event as {len(found)} stored incident(s):")
        for c in found[:SAME_EVENT_SHOWN]:
            title, lines = candidate_text(c)
            print(f"  {title}\n    why: {c.why}")
            for line in lines:
                print(f"    - {line}")
        if len(found) > SAME_EVENT_SHOWN:
            print(f"  ... and {len(found) - SAME_EVENT_SHOWN} more")
    print(
        "Nothing written. Run again with --link ID (the same event as incident ID: counted "
        "once) or --distinct --note TEXT (a distinct event, and why)."
    )


def _proposal_label(proposal: dict) -> str:
    from ..draft import plain

    day = plain(proposal.get("occurred_on"))
    place = plain(proposal.get("place_name")) or "no place"
    return f"The new incident ({day}, {place})"


def _assignments(pairs: list[str]) -> dict:
    changes = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--set wants FIELD=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        changes[key.strip()] = value
    return changes


@example(
    'python -m ceasefire incident edit 1 --set weapon=shelling/artillery --editor "Ann Editor" --note "the outlet corrected it"',
    'python -m ceasefire incident edit 1 --claim 2 --set killed_max=80 --editor "Ann Editor"',
)
@incident_group.command("edit", help="set fields of an incident or of one of its claims")
@click.argument("incident_id", metavar="ID", type=int)
@click.option("--claim", type=int, help="edit this claim of the incident instead")
@click.option(
    "--set", "pairs", multiple=True, required=True, metavar="FIELD=VALUE", help="repeatable"
)
@editor_option
@note_option
@click.pass_obj
def cmd_incident_edit(
    settings: Settings,
    incident_id: int,
    claim: int | None,
    pairs: tuple[str, ...],
    editor: str | None,
    note: str | None,
) -> int:
    from .. import editing

    editor = _editor(editor)
    changes = _assignments(pairs)
    with open_writer(settings.db, editor=editor) as con:
        if claim is not None:
            row = con.execute(
                "SELECT incident_id FROM claim WHERE claim_id = ?", [claim]
            ).fetchone()
            if row is None or row[0] != incident_id:
                raise ValueError(f"claim {claim} is not a claim of incident {incident_id}")
            change = editing.edit_claim(con, claim, changes, editor=editor, note=note)
        else:
            change = editing.edit_incident(con, incident_id, changes, editor=editor, note=note)
    print("Nothing changed." if change is None else f"Change {change} logged.")
    return 0


@example('python -m ceasefire incident delete 1 --editor "Ann Editor" --note "recorded twice"')
@incident_group.command("delete", help="delete an incident and its claims (revertible)")
@click.argument("incident_id", metavar="ID", type=int)
@editor_option
@note_option
@click.pass_obj
def cmd_incident_delete(
    settings: Settings, incident_id: int, editor: str | None, note: str | None
) -> int:
    from .. import editing

    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        change = editing.delete_incident(con, incident_id, editor=editor, note=note)
    print(f"Deleted incident {incident_id}; change {change} logged (revert {change} undoes it).")
    return 0


@example("python -m ceasefire actors review")
@click.group("actors", help="the actor review queue and decisions (logged)")
def actors_group() -> None:
    pass


@example("python -m ceasefire actors review --format json")
@actors_group.command("review", help="actors awaiting review, with counts and examples")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def cmd_actors_review(settings: Settings, fmt: str) -> int:
    from .. import editing

    with open_reader(settings.db) as con:
        queue = editing.review_queue(con)
    if fmt == "json":
        print(queue.to_json(orient="records", indent=2))
    elif queue.empty:
        print("No actors await review.")
    else:
        print(queue.to_string(index=False, max_colwidth=80))
    return 0


@example(
    'python -m ceasefire actors set-side "Brand New Brigade" "opposition factions" --editor "Ann Editor"'
)
@actors_group.command("set-side", help="assign an actor's side")
@click.argument("name")
@click.argument("side", type=click.Choice(list(taxonomy.SIDES)), metavar="SIDE")
@editor_option
@note_option
@click.pass_obj
def cmd_actors_set_side(
    settings: Settings, name: str, side: str, editor: str | None, note: str | None
) -> int:
    from .. import editing

    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        change = editing.set_actor_side(con, name, side, editor=editor, note=note)
    print(f"{name}: side {side!r}; change {change} logged.")
    return 0


@example(
    'python -m ceasefire actors merge "Brand New Brigade" --into "National Liberation Front" --editor "Ann Editor"'
)
@actors_group.command("merge", help="make an actor an alias of another")
@click.argument("name")
@click.option("--into", required=True, help="the canonical actor")
@editor_option
@note_option
@click.pass_obj
def cmd_actors_merge(
    settings: Settings, name: str, into: str, editor: str | None, note: str | None
) -> int:
    from .. import editing

    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        change = editing.merge_actor(con, name, into, editor=editor, note=note)
    print(f"{name} is now an alias of {into}; change {change} logged.")
    return 0


@example("python -m ceasefire history --incident 1 --limit 5")
@click.command("history", help="the change log (newest first)")
@click.option("--incident", type=int, help="only this incident and its claims")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--limit", type=int)
@click.pass_obj
def history_command(settings: Settings, incident: int | None, fmt: str, limit: int | None) -> int:
    from .. import editing

    with open_reader(settings.db) as con:  # the log is read once, in the form printed
        if fmt == "json":
            entries = editing.history(con, incident, limit=limit)
        else:
            frame = editing.history_frame(con, incident, limit=limit)
    if fmt == "json":
        print(json.dumps(entries, ensure_ascii=False, indent=2, default=str))
        return 0
    print("No changes logged." if frame.empty else frame.to_string(index=False, max_colwidth=60))
    return 0


@example(
    'python -m ceasefire revert 10 --editor "Ann Editor" --note "deleted by mistake"'
    "  # change 10: the 'incident delete' example's"
)
@click.command("revert", help="undo one change (the revert is itself logged)")
@click.argument("change_id", type=int)
@editor_option
@note_option
@click.pass_obj
def revert_command(settings: Settings, change_id: int, editor: str | None, note: str | None) -> int:
    from .. import editing

    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        change = editing.revert(con, change_id, editor=editor, note=note)
    print(f"Reverted change {change_id}; the revert is change {change}.")
    return 0


@example(
    "printf '%s\\n' 'a long passphrase' | python -m ceasefire editors hash \"Ann Editor\" --password-stdin"
)
@click.group("editors", help="local editor accounts")
def editors_group() -> None:
    pass


@example(
    "printf '%s\\n' 'a long passphrase' | python -m ceasefire editors hash \"Ann Editor\" --password-stdin"
)
@editors_group.command("hash", help="print an argon2 hash line for a local account")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from stdin")
def cmd_editors_hash(name: str, password_stdin: bool) -> int:
    from .. import auth

    password = password_stdin and sys.stdin.readline().rstrip("\n")
    if not password:
        password = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != password:
            raise ValueError("the passwords differ")
    hashed = auth.hash_password(password)
    print("# add under [editors.accounts] in .streamlit/secrets.toml (or $CEASEFIRE_ACCOUNTS):")
    print(f"{json.dumps(name)} = {json.dumps(hashed)}")
    return 0
