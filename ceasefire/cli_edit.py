"""The coding workbench on the command line: the same core functions as the app's pages.

    python -m ceasefire incident add --toml FILE     incidents in the seed file's format
    python -m ceasefire incident add --json FILE     one proposal (see ceasefire/editing)
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

import argparse
import getpass
import json
import sys
import tomllib
from pathlib import Path

from .cli_common import open_reader, open_writer


def _editor(args) -> str:
    from . import auth

    return auth.require_editor(args.editor or auth.default_editor())


def _write(args, editor: str):
    """The store's writer as ``editor`` (waits for another writer; publishes a new
    snapshot at the end, so the app shows the change on its next run)."""
    return open_writer(args, editor=editor)


def _read(args):
    """A read-only connection on the newest snapshot."""
    return open_reader(args)


def _add_editor(p: argparse.ArgumentParser, note: bool = True) -> None:
    p.add_argument(
        "--editor",
        help="who makes the change (default: $CEASEFIRE_EDITOR or the local editor in "
        ".streamlit/secrets.toml)",
    )
    if note:
        p.add_argument("--note", help="why: the editor's note (a citation for a judgment)")


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


def cmd_incident_add(args) -> int:
    from . import editing

    editor = _editor(args)
    if args.toml:
        proposals = proposals_from_toml(Path(args.toml))
    else:
        doc = json.loads(Path(args.json).read_text(encoding="utf-8"))
        proposals = doc if isinstance(doc, list) else [doc]
    # check every proposal before writing any
    for proposal in proposals:
        editing.validate_proposal(proposal)
    with _write(args, editor) as con:
        for proposal in proposals:
            incident_id = editing.create_incident(con, proposal, editor=editor, note=args.note)
            n = len(proposal.get("claims") or [])
            print(f"Added incident {incident_id} with {n} claims.")
    return 0


def _assignments(pairs: list[str]) -> dict:
    changes = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--set wants FIELD=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        changes[key.strip()] = value
    return changes


def cmd_incident_edit(args) -> int:
    from . import editing

    editor = _editor(args)
    changes = _assignments(args.set)
    with _write(args, editor) as con:
        if args.claim is not None:
            claim = con.execute(
                "SELECT incident_id FROM claim WHERE claim_id = ?", [args.claim]
            ).fetchone()
            if claim is None or claim[0] != args.id:
                raise ValueError(f"claim {args.claim} is not a claim of incident {args.id}")
            change = editing.edit_claim(con, args.claim, changes, editor=editor, note=args.note)
        else:
            change = editing.edit_incident(con, args.id, changes, editor=editor, note=args.note)
    print("Nothing changed." if change is None else f"Change {change} logged.")
    return 0


def cmd_incident_delete(args) -> int:
    from . import editing

    editor = _editor(args)
    with _write(args, editor) as con:
        change = editing.delete_incident(con, args.id, editor=editor, note=args.note)
    print(f"Deleted incident {args.id}; change {change} logged (revert {change} undoes it).")
    return 0


def cmd_actors_review(args) -> int:
    from . import editing

    with _read(args) as con:
        queue = editing.review_queue(con)
    if args.format == "json":
        print(queue.to_json(orient="records", indent=2))
    elif queue.empty:
        print("No actors await review.")
    else:
        print(queue.to_string(index=False, max_colwidth=80))
    return 0


def cmd_actors_set_side(args) -> int:
    from . import editing

    editor = _editor(args)
    with _write(args, editor) as con:
        change = editing.set_actor_side(con, args.name, args.side, editor=editor, note=args.note)
    print(f"{args.name}: side {args.side!r}; change {change} logged.")
    return 0


def cmd_actors_merge(args) -> int:
    from . import editing

    editor = _editor(args)
    with _write(args, editor) as con:
        change = editing.merge_actor(con, args.name, args.into, editor=editor, note=args.note)
    print(f"{args.name} is now an alias of {args.into}; change {change} logged.")
    return 0


def cmd_history(args) -> int:
    from . import editing

    with _read(args) as con:
        entries = editing.history(con, args.incident, limit=args.limit)
        frame = editing.history_frame(con, args.incident)
    if args.format == "json":
        print(json.dumps(entries, ensure_ascii=False, indent=2, default=str))
        return 0
    if args.limit:
        frame = frame[frame.change_id.isin([e["change_id"] for e in entries])]
    print("No changes logged." if frame.empty else frame.to_string(index=False, max_colwidth=60))
    return 0


def cmd_revert(args) -> int:
    from . import editing

    editor = _editor(args)
    with _write(args, editor) as con:
        change = editing.revert(con, args.change_id, editor=editor, note=args.note)
    print(f"Reverted change {args.change_id}; the revert is change {change}.")
    return 0


def cmd_editors_hash(args) -> int:
    from . import auth

    password = args.password_stdin and sys.stdin.readline().rstrip("\n")
    if not password:
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            raise ValueError("the passwords differ")
    hashed = auth.hash_password(password)
    print("# add under [editors.accounts] in .streamlit/secrets.toml (or $CEASEFIRE_ACCOUNTS):")
    print(f"{json.dumps(args.name)} = {json.dumps(hashed)}")
    return 0


def add_edit_parsers(sub) -> None:
    """Register ``incident``, ``actors``, ``history``, ``revert`` and ``editors``."""
    from . import taxonomy

    p = sub.add_parser("incident", help="add, edit or delete an incident (logged)")
    inc = p.add_subparsers(dest="incident_command", required=True)
    q = inc.add_parser("add", help="add incidents from a seed-format TOML or a proposal JSON")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("--toml", help="incidents in the format of data/seed/*.toml")
    src.add_argument("--json", help="one proposal (or a list) as described in ceasefire/editing")
    _add_editor(q)
    q.set_defaults(func=cmd_incident_add)
    q = inc.add_parser("edit", help="set fields of an incident or of one of its claims")
    q.add_argument("id", type=int, help="incident id")
    q.add_argument("--claim", type=int, help="edit this claim of the incident instead")
    q.add_argument(
        "--set", action="append", required=True, metavar="FIELD=VALUE", help="repeatable"
    )
    _add_editor(q)
    q.set_defaults(func=cmd_incident_edit)
    q = inc.add_parser("delete", help="delete an incident and its claims (revertible)")
    q.add_argument("id", type=int)
    _add_editor(q)
    q.set_defaults(func=cmd_incident_delete)

    p = sub.add_parser("actors", help="the actor review queue and decisions (logged)")
    act = p.add_subparsers(dest="actors_command", required=True)
    q = act.add_parser("review", help="actors awaiting review, with counts and examples")
    q.add_argument("--format", choices=["table", "json"], default="table")
    q.set_defaults(func=cmd_actors_review)
    q = act.add_parser("set-side", help="assign an actor's side")
    q.add_argument("name")
    q.add_argument("side", choices=list(taxonomy.SIDES))
    _add_editor(q)
    q.set_defaults(func=cmd_actors_set_side)
    q = act.add_parser("merge", help="make an actor an alias of another")
    q.add_argument("name")
    q.add_argument("--into", required=True, help="the canonical actor")
    _add_editor(q)
    q.set_defaults(func=cmd_actors_merge)

    p = sub.add_parser("history", help="the change log (newest first)")
    p.add_argument("--incident", type=int, help="only this incident and its claims")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("revert", help="undo one change (the revert is itself logged)")
    p.add_argument("change_id", type=int)
    _add_editor(p)
    p.set_defaults(func=cmd_revert)

    p = sub.add_parser("editors", help="local editor accounts")
    ed = p.add_subparsers(dest="editors_command", required=True)
    q = ed.add_parser("hash", help="print an argon2 hash line for a local account")
    q.add_argument("name")
    q.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    q.set_defaults(func=cmd_editors_hash)
