"""``python -m ceasefire draft FILE --outlet NAME --published YYYY-MM-DD [--url URL]``.

Prints the draft of an article (see the ``draft`` package) and writes nothing:

- ``--format json`` (default): the whole proposal - ``article``, ``incident``,
  ``claims``, ``caveats``, ``other_incidents``, ``review`` - every value as
  ``{"value": ..., "span": [start, end]}`` (character offsets in the article's text);
- ``--format editor``: the incident editor's shape (``to_editor_proposal``), which
  ``python -m ceasefire incident add --json FILE`` saves once reviewed; ``--act N``
  picks another act of the article (1 = the first other incident);
- ``--format text``: a readable summary with each value's words.

The store's source registry is read from its newest snapshot (never written) when one exists, so a known
outlet keeps its registered kind, affiliation and URL.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path


def _registry(args):
    """A read-only connection on the store's newest published snapshot, or None. Never
    creates, migrates or publishes anything."""
    import duckdb

    from . import store

    path = Path(args.db) if args.db else store.db_path()
    try:
        snap = store.read_pointer(path)
        if snap is None or not snap.file.exists():
            return None
        return store.open_snapshot(snap)
    except (duckdb.Error, OSError, ValueError):
        return None


def cmd_draft(args) -> int:
    from . import draft

    path = Path(args.file)
    text = draft.article_text(path.read_bytes(), path.name)
    published = date.fromisoformat(args.published) if args.published else None
    con = _registry(args)
    try:
        proposal = draft.draft_article(
            text, outlet=args.outlet, published=published, url=args.url, con=con
        )
    finally:
        if con is not None:
            con.close()
    if args.format == "editor":
        out = draft.to_editor_proposal(proposal, args.act)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif args.format == "text":
        print(draft.as_text(proposal, text))
    else:
        print(json.dumps(proposal, ensure_ascii=False, indent=2))
    return 0


def add_draft_parser(sub) -> None:
    p = sub.add_parser(
        "draft",
        help="propose an incident and its claims from a news article (prints; writes nothing)",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument("file", help="the article: .txt, or .html (markup stripped)")
    p.add_argument("--outlet", required=True, help="the outlet that published it")
    p.add_argument(
        "--published",
        help="publication date YYYY-MM-DD (needed unless the text states it)",
    )
    p.add_argument("--url", help="the article's address")
    p.add_argument("--format", choices=["json", "editor", "text"], default="json")
    p.add_argument(
        "--act", type=int, default=0, help="with --format editor: 0 main, 1.. other acts"
    )
    p.set_defaults(func=cmd_draft)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: python -m ceasefire draft ...")
