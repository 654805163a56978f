"""CLI commands for figures and data files, and the filter flags every command shares.

    python -m ceasefire chart timeline --agreement sochi-2018 --actor Russia --by week \\
        --format svg -o fig.svg
    python -m ceasefire chart compare --compare-agreement moscow-2020 --days 90 -o cmp.pdf
    python -m ceasefire export data --actor Russia --format xlsx -o rows.xlsx

A figure made here is drawn by the same function as the app's chart and its download
(``figures.figure`` -> ``overview.build_figure``), so the three match. The filter flags
mirror the sidebar and the URL (``Filter.from_query_params``), so a view's link and a
command line describe the same thing.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import taxonomy
from .filters import ATTRIBUTION_MODES, Filter


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date like 2020-03-06: {value!r}") from error


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter flags (the sidebar's fields); read them back with ``filter_from_args``."""
    g = parser.add_argument_group(
        "filters (as in the app's sidebar; repeat a flag for several values)"
    )
    g.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD", help="first day")
    g.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="last day")
    g.add_argument(
        "--agreement",
        metavar="ID",
        help="only while this agreement was in force (e.g. sochi-2018); "
        "alleged violations are then of it",
    )
    g.add_argument(
        "--actor",
        action="append",
        default=[],
        metavar="NAME",
        help="alleged actor (canonical name, e.g. Russia)",
    )
    g.add_argument("--side", action="append", default=[], choices=list(taxonomy.SIDES))
    g.add_argument(
        "--target",
        action="append",
        default=[],
        choices=list(taxonomy.TARGET_TYPES),
        metavar="TYPE",
        help=f"target type: {', '.join(taxonomy.TARGET_TYPES)}",
    )
    g.add_argument(
        "--weapon",
        action="append",
        default=[],
        choices=list(taxonomy.WEAPONS),
        metavar="WEAPON",
        help=f"weapon: {', '.join(taxonomy.WEAPONS)}",
    )
    g.add_argument("--governorate", action="append", default=[], metavar="NAME")
    g.add_argument("--district", action="append", default=[], metavar="NAME")
    g.add_argument(
        "--status",
        action="append",
        default=[],
        choices=list(taxonomy.VERIFICATION_STATUSES),
        help="verification status",
    )
    g.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="data origin: acled, ucdp, airwars, manual, demo",
    )
    g.add_argument("--violations-only", action="store_true", help="alleged violations only")
    g.add_argument(
        "--no-demo-data",
        dest="include_demo",
        action="store_false",
        help="leave out the synthetic demo data",
    )
    g.add_argument(
        "--attribution",
        default="any",
        choices=list(ATTRIBUTION_MODES),
        help="count an incident for the actor named by any claim (default), the "
        "majority of claims, or one source (--source)",
    )
    g.add_argument(
        "--source",
        dest="attribution_source",
        metavar="NAME",
        help="the source for --attribution source",
    )


def filter_from_args(args: argparse.Namespace) -> Filter:
    """The Filter the flags describe (ValueError with a readable message if invalid)."""
    source = args.attribution_source
    attribution = args.attribution
    if source and attribution == "any":
        attribution = "source"  # --source alone means "as this source reports"
    return Filter(
        start=args.start,
        end=args.end,
        agreement=args.agreement or None,
        actors=tuple(args.actor),
        sides=tuple(args.side),
        target_types=tuple(args.target),
        weapons=tuple(args.weapon),
        governorates=tuple(args.governorate),
        districts=tuple(args.district),
        verification=tuple(args.status),
        origins=tuple(args.origin),
        violations_only=args.violations_only,
        include_demo=args.include_demo,
        attribution=attribution,
        attribution_source=source if attribution == "source" else None,
    )


def _connect(args):
    from . import bootstrap, store

    if getattr(args, "db", None):
        os.environ["CEASEFIRE_DB"] = args.db
    return bootstrap.ensure_store(store.db_path())


def _write(data: bytes, out: str) -> None:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _format(args, choices) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lstrip(".").lower()
    if suffix in choices:
        return suffix
    raise ValueError(f"give --format ({', '.join(choices)}) or an output name ending in one")


def cmd_chart(args) -> int:
    from . import export, figures

    fmt = _format(args, export.FIGURE_FORMATS)
    f = filter_from_args(args)
    con = _connect(args)
    fig = figures.figure(
        con, args.name, f, by=args.by, agreement=args.compare_agreement, days=args.days
    )
    try:
        data = export.figure_bytes(fig, fmt)
    finally:
        export.close_renderer()
    _write(data, args.output)
    if args.output != "-":
        print(
            f"Wrote {args.output} ({len(data):,} bytes): {f.describe()} {f.attribution_text()}",
            file=sys.stderr,
        )
    return 0


def cmd_export(args) -> int:
    from . import export, figures
    from .provenance import provenance

    fmt = _format(args, export.TABLE_FORMATS)
    f = filter_from_args(args)
    con = _connect(args)
    rows = figures.view_rows(con, f)
    data = export.table_bytes(rows, provenance(con, f), fmt)
    _write(data, args.output)
    if args.output != "-":
        print(f"Wrote {len(rows):,} incidents to {args.output}: {f.describe()}", file=sys.stderr)
    return 0


def add_chart_parser(subparsers) -> argparse.ArgumentParser:
    from .figures import FIGURES
    from .queries import TIME_UNITS

    p = subparsers.add_parser(
        "chart",
        help="make a figure (png, svg, pdf, html, json) without the browser",
        description="Make one of the app's figures, exactly as the app draws it. PNG is "
        "rendered at 300 dpi; every format carries the filters, attribution, data "
        "credits, dates, date made and data version.",
    )
    p.add_argument("name", choices=FIGURES)
    p.add_argument("--by", default="week", choices=TIME_UNITS, help="timeline grouping")
    p.add_argument(
        "--compare-agreement",
        metavar="ID",
        help="for 'compare': the agreement (default: --agreement or the latest)",
    )
    p.add_argument("--days", type=int, default=90, help="for 'compare': days on each side")
    p.add_argument(
        "--format",
        choices=["png", "svg", "pdf", "html", "json"],
        help="default: from the output name's suffix",
    )
    p.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_chart)
    return p


def add_export_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "export",
        help="the incidents of a view as csv, xlsx or parquet, with provenance",
        description="Every incident matching the filters, with a provenance header (CSV), "
        "sheet (XLSX) or metadata (Parquet). Text that a spreadsheet would run as "
        "a formula is prefixed with an apostrophe in CSV and XLSX.",
    )
    p.add_argument("what", choices=["data"])
    p.add_argument(
        "--format",
        choices=["csv", "xlsx", "parquet"],
        help="default: from the output name's suffix",
    )
    p.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_export)
    return p
