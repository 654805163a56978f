"""``python -m ceasefire compare`` (N days before and after an agreement's milestone or
a date) and ``python -m ceasefire changes`` (a week against its previous 4 and 52 weeks).

    python -m ceasefire compare --agreement moscow-2020 --days 90 --format json
    python -m ceasefire compare --agreement sochi-2018 --milestone signed --days 30 --days 90
    python -m ceasefire compare --date 2019-04-30 --days 60 --actor Russia --format csv -o out.csv

``--agreement`` names the agreement compared around (its where/how/who conditions give
the ``meets_terms`` measure); it does not restrict the dates, as it does elsewhere.
"""

from __future__ import annotations

import argparse
import json

from .compare import DEFAULT_WINDOWS, MILESTONES


def cmd_compare(args) -> int:
    from . import compare
    from .cli_chart import _connect, _write, filter_from_args

    agreement = args.agreement
    args.agreement = None  # the comparison's window, not a filter
    f = filter_from_args(args)
    if not agreement and not args.date:
        raise ValueError("give --agreement ID or --date YYYY-MM-DD")
    con = _connect(args)
    ref = compare.reference(con, agreement, args.milestone, args.date)
    result = compare.compare(con, f, ref, args.days or DEFAULT_WINDOWS)
    if args.format == "json":
        data = json.dumps(result.to_json_dict(), indent=2).encode() + b"\n"
    elif args.format == "csv":
        data = result.frame.to_csv(index=False).encode()
    else:
        data = compare.table_text(result).encode() + b"\n"
    _write(data, args.output)
    return 0


def add_compare_parser(subparsers) -> argparse.ArgumentParser:
    from .cli_chart import _day, add_filter_arguments

    p = subparsers.add_parser(
        "compare",
        help="N days before and after an agreement's milestone or a date: counts, rates "
        "per 30 days, rate ratios with 95%% intervals",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="compare around this date")
    p.add_argument(
        "--milestone",
        default="in_force",
        choices=list(MILESTONES),
        help="with --agreement: which of its dates (default: entry into force)",
    )
    p.add_argument(
        "--days",
        type=int,
        action="append",
        metavar="N",
        help="days on each side; repeat for several windows (default: 30, 90 and 180)",
    )
    p.add_argument("--format", default="table", choices=["table", "json", "csv"])
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_compare)
    return p


def cmd_changes(args) -> int:
    from . import changes
    from .cli_chart import _connect, _write, filter_from_args

    f = filter_from_args(args)
    con = _connect(args)
    result = changes.changes(con, f, args.week_of, args.by)
    if args.format == "json":
        data = json.dumps(result.to_json_dict(), indent=2).encode() + b"\n"
    elif args.format == "csv":
        frame = result.frame.assign(emerging=result.frame.emerging.map("; ".join))
        data = frame.to_csv(index=False).encode()
    else:
        data = changes.table_text(result).encode() + b"\n"
    _write(data, args.output)
    return 0


def add_changes_parser(subparsers) -> argparse.ArgumentParser:
    from .changes import BY
    from .cli_chart import _day, add_filter_arguments

    p = subparsers.add_parser(
        "changes",
        help="what changed in a week against the previous 4 and 52 weeks, with flags and "
        "emerging actors (after ACLED's Trendfinder)",
        description="A week (Monday to Sunday) against the average of the previous 4 and "
        "52 weeks, per governorate, district or alleged actor: percentage changes, flags "
        "(large increase > +25%%, moderate +10 to +25%%, limited -25 to +10%%, large "
        "decrease < -25%%; a baseline of <= 2 a week with <= 5 this week is limited "
        "change) and emerging actors.",
    )
    p.add_argument(
        "--week-of",
        type=_day,
        required=True,
        metavar="YYYY-MM-DD",
        help="any day of the week (weeks start on Monday)",
    )
    p.add_argument("--by", default="governorate", choices=list(BY))
    p.add_argument("--format", default="table", choices=["table", "json", "csv"])
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_changes)
    return p
