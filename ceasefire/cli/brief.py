"""CLI: the period brief (``brief.py``), as the Overview's Brief button makes it.

python -m ceasefire brief --from 2020-03-01 --to 2020-03-31 -o brief.pdf
python -m ceasefire brief --from 2020-03-01 --to 2020-03-31 --actor Russia -o brief.md
"""

from __future__ import annotations

import sys

import click

from .common import Settings, example, filter_from_args, filter_options, open_reader


@example("python -m ceasefire brief --from 2020-03-01 --to 2020-03-31 -o brief-2020-03.pdf")
@click.command(
    "brief",
    short_help="the period brief: a 2-4 page PDF, or Markdown with its figures",
    help="The brief for the period --from to --to (both required) and the other filters: "
    "headline counts against the previous period and the 52 weeks before, what changed "
    "in its last full week, the timeline and the map, its most lethal incidents with each "
    "source's figures, what stays uncounted, methods, credits and the data version. "
    "-o FILE.pdf writes an A4 PDF; -o FILE.md writes Markdown and its figures as "
    "FILE.timeline.png and FILE.map.png beside it.",
)
@click.option("-o", "--output", required=True, help="FILE.pdf or FILE.md")
@click.option(
    "--incidents",
    type=click.IntRange(0, 50),
    default=5,
    show_default=True,
    help="how many of the most lethal incidents to list",
)
@filter_options
@click.pass_obj
def brief_command(settings: Settings, output: str, incidents: int, **values) -> int:
    from .. import brief, export
    from ..brief import render

    f = filter_from_args(values)
    if f.start is None or f.end is None:
        raise click.UsageError("give the period: --from YYYY-MM-DD and --to YYYY-MM-DD")
    if not output.lower().endswith((".pdf", ".md")):
        raise click.UsageError(f"-o must end in .pdf or .md, not {output!r}")
    with open_reader(settings.db) as con:
        made = brief.build(con, f, f.start, f.end, incidents=incidents)
        try:
            written = render.write(made, output)
        finally:
            export.close_renderer()
    names = ", ".join(str(p) for p in written)
    print(f"Wrote {names}: {made.title}. {made.subtitle}", file=sys.stderr)
    return 0
