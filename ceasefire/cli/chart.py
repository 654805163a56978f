"""CLI commands for figures and data files (the filter options every command shares are
in ``cli.common``).

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

import sys
from pathlib import Path

import click

from ..figures import FIGURES
from ..queries import TIME_UNITS
from .common import Settings, example, filter_from_args, filter_options, open_reader, write_output


def output_format(fmt: str | None, output: str, choices) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lstrip(".").lower()
    if suffix in choices:
        return suffix
    raise ValueError(f"give --format ({', '.join(choices)}) or an output name ending in one")


def write_figure(fig, fmt: str, size: str, output: str) -> bytes:
    """Render a figure (laid out for a print width unless ``size`` is "screen") and write
    it to ``output``; the renderer is closed either way, so the command can exit."""
    from .. import export

    if size != "screen":
        from ..charts import PRINT_WIDTHS, fit_width

        fig = fit_width(fig, PRINT_WIDTHS[size])
    try:
        data = export.figure_bytes(fig, fmt)
    finally:
        export.close_renderer()
    write_output(data, output)
    return data


@example(
    "python -m ceasefire chart timeline --agreement sochi-2018 --actor Russia --format svg -o timeline.svg"
)
@click.command(
    "chart",
    short_help="make a figure (png, svg, pdf, html, json) without the browser",
    help="Make one of the app's figures, exactly as the app draws it. PNG is rendered at "
    "300 dpi; every format carries the filters, attribution, data credits, dates, date "
    "made and data version.",
)
@click.argument("name", type=click.Choice(FIGURES), metavar="NAME")
@click.option("--by", default="week", type=click.Choice(TIME_UNITS), help="timeline grouping")
@click.option(
    "--compare-agreement",
    metavar="ID",
    help="for 'compare': the agreement (default: --agreement or the latest)",
)
@click.option("--days", type=int, default=90, help="for 'compare': days on each side")
@click.option(
    "--size",
    default="screen",
    type=click.Choice(["screen", "full", "column"]),
    help="figure width: screen (1100 px, default), full (175 mm text width) or "
    "column (85 mm journal column); text is re-wrapped, nothing is cut",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf", "html", "json"]),
    help="default: from the output name's suffix",
)
@click.option("-o", "--output", required=True, help="output file ('-' for stdout)")
@filter_options
@click.pass_obj
def chart_command(
    settings: Settings,
    name: str,
    by: str,
    compare_agreement: str | None,
    days: int,
    size: str,
    fmt: str | None,
    output: str,
    **values,
) -> int:
    from .. import export, figures

    fmt = output_format(fmt, output, export.FIGURE_FORMATS)
    f = filter_from_args(values)
    with open_reader(settings.db) as con:
        fig = figures.figure(con, name, f, by=by, agreement=compare_agreement, days=days)
    data = write_figure(fig, fmt, size, output)
    if output != "-":
        print(
            f"Wrote {output} ({len(data):,} bytes): {f.describe()} {f.attribution_text()}",
            file=sys.stderr,
        )
    return 0


@example("python -m ceasefire export data --actor Russia --format csv -o russia.csv")
@click.command(
    "export",
    short_help="the incidents of a view as csv, xlsx or parquet, with provenance",
    help="Every incident matching the filters, with its provenance: a Frictionless "
    "datapackage.json beside the CSV, a sheet (XLSX) or metadata (Parquet). Text that a "
    "spreadsheet would run as a formula is prefixed with an apostrophe in CSV and XLSX.",
)
@click.argument("what", type=click.Choice(["data"]), metavar="data")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "parquet"]),
    help="default: from the output name's suffix. csv: -o FILE.csv writes the CSV "
    "(header first) and FILE.datapackage.json beside it; -o FILE.zip (or -) one ZIP "
    "holding both",
)
@click.option("-o", "--output", required=True, help="output file ('-' for stdout)")
@filter_options
@click.pass_obj
def export_command(settings: Settings, what: str, fmt: str | None, output: str, **values) -> int:
    from .. import export, figures
    from ..provenance import provenance

    suffix = Path(output).suffix.lower()
    fmt = (
        "csv" if not fmt and suffix == ".zip" else output_format(fmt, output, export.TABLE_FORMATS)
    )
    f = filter_from_args(values)
    with open_reader(settings.db) as con:
        rows = figures.view_rows(con, f)
        prov = provenance(con, f)
    if fmt == "csv" and suffix == ".csv":
        # a plain CSV (header first) and its provenance beside it
        from ..package import write_package

        described = write_package(output, rows, prov, "incidents")
        print(f"Described in {described} (Frictionless data package).", file=sys.stderr)
    else:  # .zip or stdout: the CSV and datapackage.json in one ZIP
        write_output(export.table_bytes(rows, prov, fmt), output)
    if output != "-":
        print(f"Wrote {len(rows):,} incidents to {output}: {f.describe()}", file=sys.stderr)
    return 0
