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

from .filters import FIELDS, Filter


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date like 2020-03-06: {value!r}") from error


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter flags (the sidebar's fields, from ``filters.FIELDS``); read them back
    with ``filter_from_args``."""
    g = parser.add_argument_group(
        "filters (as in the app's sidebar; repeat a flag for several values)"
    )
    for field in FIELDS:
        options: dict = {"dest": field.name, "help": field.help}
        if field.metavar:
            options["metavar"] = field.metavar
        if field.kind == "list":
            options.update(action="append", default=[])
            if field.choices is not None:
                options["choices"] = list(field.choices)
        elif field.kind == "date":
            options["type"] = _day
        elif field.kind == "choice":
            options.update(default=field.default, choices=list(field.choices))
        elif field.kind == "bool":
            options["action"] = "store_true" if field.flag_sets else "store_false"
        g.add_argument(field.flag, **options)


def filter_from_args(args: argparse.Namespace) -> Filter:
    """The Filter the flags describe (ValueError with a readable message if invalid)."""
    values = {}
    for field in FIELDS:
        value = getattr(args, field.name)
        values[field.name] = tuple(value) if field.kind == "list" else value
    values["agreement"] = values["agreement"] or None
    if values["attribution_source"] and values["attribution"] == "any":
        values["attribution"] = "source"  # --source alone means "as this source reports"
    if values["attribution"] != "source":
        values["attribution_source"] = None
    return Filter(**values)


def _connect(args):
    """A read-only connection on the newest snapshot (runs beside the app and writers)."""
    from . import store

    if getattr(args, "db", None):
        os.environ["CEASEFIRE_DB"] = args.db
    return store.reader(store.db_path())


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
    with _connect(args) as con:
        fig = figures.figure(
            con, args.name, f, by=args.by, agreement=args.compare_agreement, days=args.days
        )
    if args.size != "screen":
        from .charts import PRINT_WIDTHS, fit_width

        fig = fit_width(fig, PRINT_WIDTHS[args.size])
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

    suffix = Path(args.output).suffix.lower()
    fmt = "csv" if not args.format and suffix == ".zip" else _format(args, export.TABLE_FORMATS)
    f = filter_from_args(args)
    with _connect(args) as con:
        rows = figures.view_rows(con, f)
        prov = provenance(con, f)
    if fmt == "csv" and suffix == ".csv":
        # a plain CSV (header first) and its provenance beside it
        from .package import write_package

        described = write_package(args.output, rows, prov, "incidents")
        print(f"Described in {described} (Frictionless data package).", file=sys.stderr)
    else:  # .zip or stdout: the CSV and datapackage.json in one ZIP
        _write(export.table_bytes(rows, prov, fmt), args.output)
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
        "--size",
        default="screen",
        choices=["screen", "full", "column"],
        help="figure width: screen (1100 px, default), full (175 mm text width) or "
        "column (85 mm journal column); text is re-wrapped, nothing is cut",
    )
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
        description="Every incident matching the filters, with its provenance: a Frictionless "
        "datapackage.json beside the CSV, a sheet (XLSX) or metadata (Parquet). Text that a spreadsheet would run as "
        "a formula is prefixed with an apostrophe in CSV and XLSX.",
    )
    p.add_argument("what", choices=["data"])
    p.add_argument(
        "--format",
        choices=["csv", "xlsx", "parquet"],
        help="default: from the output name's suffix. csv: -o FILE.csv writes the CSV "
        "(header first) and FILE.datapackage.json beside it; -o FILE.zip (or -) one ZIP "
        "holding both",
    )
    p.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_export)
    return p
