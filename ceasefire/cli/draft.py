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

import click

from .common import Settings, example


def _registry(db: Path):
    """A read-only connection on the newest published snapshot of the store at ``db``,
    or None. Never creates, migrates or publishes anything."""
    import duckdb

    from .. import store

    try:
        snap = store.read_pointer(db)
        if snap is None or not snap.file.exists():
            return None
        return store.open_snapshot(snap)
    except (duckdb.Error, OSError, ValueError):
        return None


@example(
    "python -m ceasefire draft tests/fixtures/articles/sana-2019-08-mhardeh-rockets.txt --outlet SANA --published 2019-08-20 --format text"
)
@click.command(
    "draft",
    short_help="propose an incident and its claims from a news article (prints; writes nothing)",
    help=__doc__.split("\n\n")[0] + "\n\nFILE: the article: .txt, or .html (markup stripped).",
)
@click.argument("file")
@click.option("--outlet", required=True, help="the outlet that published it")
@click.option("--published", help="publication date YYYY-MM-DD (needed unless the text states it)")
@click.option("--url", help="the article's address")
@click.option("--format", "fmt", type=click.Choice(["json", "editor", "text"]), default="json")
@click.option("--act", type=int, default=0, help="with --format editor: 0 main, 1.. other acts")
@click.pass_obj
def draft_command(
    settings: Settings,
    file: str,
    outlet: str,
    published: str | None,
    url: str | None,
    fmt: str,
    act: int,
) -> int:
    from .. import draft

    path = Path(file)
    text = draft.article_text(path.read_bytes(), path.name)
    day = date.fromisoformat(published) if published else None
    con = _registry(settings.db)
    try:
        proposal = draft.draft_article(text, outlet=outlet, published=day, url=url, con=con)
    finally:
        if con is not None:
            con.close()
    if fmt == "editor":
        out = draft.to_editor_proposal(proposal, act)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "text":
        print(draft.as_text(proposal, text))
    else:
        print(json.dumps(proposal, ensure_ascii=False, indent=2))
    return 0


@example("python -m ceasefire draft-score tests/drafting/corpus/dev")
@click.command(
    "draft-score",
    short_help="score the drafter against hand-coded articles (claims, blame, dates, places)",
    help="Score the drafter on a folder of NAME.txt (or .html) + NAME.expected.json "
    "(tests/drafting/corpus/README.md describes the format): per article and in total, "
    "claim recall and precision, blame pairs (source -> actor named as perpetrator), "
    "field accuracy (date, place, governorate, district, weapon, target), figures and "
    "false disputes. Writes nothing; reads no store.\n\nDIR: the folder of cases.",
)
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--texts",
    type=click.Path(path_type=Path),
    help="another folder holding the articles' texts (e.g. ../shared/data/articles)",
)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table")
@click.option("--misses", is_flag=True, help="also list, per article, what the draft got wrong")
def draft_score_command(directory: Path, texts: Path | None, fmt: str, misses: bool) -> int:
    from ..draft import score

    def progress(k: int, n: int, name: str) -> None:
        print(f"[{k}/{n}] {name}", file=sys.stderr, flush=True)

    try:
        rows, total = score.score_directory(directory, texts, progress)
    except score.CaseError as error:
        raise ValueError(str(error)) from error
    if fmt == "json":
        out = {"articles": {name: n.as_dict() for name, n in rows}, "total": total.as_dict()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(score.table(rows, total, markdown=fmt == "markdown"))
    if misses:
        for name, n in rows:
            for line in n.misses:
                print(f"{name}: {line}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("use: python -m ceasefire draft ...")
