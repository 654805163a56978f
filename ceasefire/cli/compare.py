"""``python -m ceasefire compare`` (N days before and after an agreement's milestone or
a date) and ``python -m ceasefire changes`` (a week against its previous 4 and 52 weeks).

    python -m ceasefire compare --agreement moscow-2020 --days 90 --format json
    python -m ceasefire compare --agreement sochi-2018 --milestone signed --days 30 --days 90
    python -m ceasefire compare --date 2019-04-30 --days 60 --actor Russia --format csv -o out.csv

``--agreement`` names the agreement compared around (its where/how/who conditions give
the ``meets_terms`` measure); it does not restrict the dates, as it does elsewhere.
"""

from __future__ import annotations

import json
from datetime import date

import click

from ..analysis.changes import BY
from ..analysis.compare import DEFAULT_WINDOWS, MILESTONES
from .common import (
    DAY,
    Settings,
    example,
    filter_from_args,
    filter_options,
    open_reader,
    write_output,
)


@example("python -m ceasefire compare --agreement moscow-2020 --days 90")
@click.command(
    "compare",
    short_help="N days before and after an agreement's milestone or a date: counts, rates "
    "per 30 days, rate ratios with 95% intervals",
    help=__doc__.split("\n\n")[0],
)
@click.option("--date", "on", type=DAY, metavar="YYYY-MM-DD", help="compare around this date")
@click.option(
    "--milestone",
    default="in_force",
    type=click.Choice(list(MILESTONES)),
    help="with --agreement: which of its dates (default: entry into force)",
)
@click.option(
    "--days",
    type=int,
    multiple=True,
    metavar="N",
    help="days on each side; repeat for several windows (default: 30, 90 and 180)",
)
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json", "csv"]))
@click.option("-o", "--output", default="-", help="output file (default: stdout)")
@filter_options
@click.pass_obj
def compare_command(
    settings: Settings,
    on: date | None,
    milestone: str,
    days: tuple[int, ...],
    fmt: str,
    output: str,
    **values,
) -> int:
    from ..analysis import compare

    agreement = values.pop("agreement")  # the comparison's window, not a filter
    f = filter_from_args(values)
    if not agreement and not on:
        raise ValueError("give --agreement ID or --date YYYY-MM-DD")
    with open_reader(settings.db) as con:
        ref = compare.reference(con, agreement, milestone, on)
        result = compare.compare(con, f, ref, list(days) or DEFAULT_WINDOWS)
    if fmt == "json":
        data = json.dumps(result.to_json_dict(), indent=2).encode() + b"\n"
    elif fmt == "csv":
        data = result.frame.to_csv(index=False).encode()
    else:
        data = compare.table_text(result).encode() + b"\n"
    write_output(data, output)
    return 0


@example("python -m ceasefire changes --week-of 2020-02-24 --by governorate")
@click.command(
    "changes",
    short_help="what changed in a week against the previous 4 and 52 weeks, with flags and "
    "emerging actors (after ACLED's Trendfinder)",
    help="A week (Monday to Sunday) against the average of the previous 4 and 52 weeks, per "
    "governorate, district or alleged actor: percentage changes, flags (large increase > "
    "+25%, moderate +10 to +25%, limited -25 to +10%, large decrease < -25%; a baseline of "
    "<= 2 a week with <= 5 this week is limited change) and emerging actors.",
)
@click.option(
    "--week-of",
    type=DAY,
    required=True,
    metavar="YYYY-MM-DD",
    help="any day of the week (weeks start on Monday)",
)
@click.option("--by", default="governorate", type=click.Choice(list(BY)))
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json", "csv"]))
@click.option("-o", "--output", default="-", help="output file (default: stdout)")
@filter_options
@click.pass_obj
def changes_command(
    settings: Settings, week_of: date, by: str, fmt: str, output: str, **values
) -> int:
    from ..analysis import changes

    f = filter_from_args(values)
    with open_reader(settings.db) as con:
        result = changes.changes(con, f, week_of, by)
    if fmt == "json":
        data = json.dumps(result.to_json_dict(), indent=2).encode() + b"\n"
    elif fmt == "csv":
        frame = result.frame.assign(emerging=result.frame.emerging.map("; ".join))
        data = frame.to_csv(index=False).encode()
    else:
        data = changes.table_text(result).encode() + b"\n"
    write_output(data, output)
    return 0
