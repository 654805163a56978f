"""``python -m ceasefire tally ...``: what the parties counted (``ceasefire.tallies``).

    tally draft FILE --reporter NAME --published YYYY-MM-DD [--url URL] [--format json|text]
        propose tallies from a bulletin's text (writes nothing)
    tally add --json FILE [--editor NAME] [--note TEXT]
        save tallies: a draft's JSON (as reviewed) or a list of tallies
    tally import CSV [--editor NAME] [--dry-run]
        save tallies from a spreadsheet (the template: ``tally template``)
    tally template [-o FILE]   the CSV template, with what each column holds
    tally list [--governorate G] [--reporter R] [--from D] [--to D] [--format table|json|csv]
    tally edit ID --set FIELD=VALUE [--editor NAME] [--note TEXT]
    tally delete ID [--editor NAME] [--note TEXT]
    tally chart GOVERNORATE --by month [filters] -o fig.png   (the side-by-side figure)
    tally export GOVERNORATE --by month [filters] -o table.csv (its numbers, with provenance)

Every write is a logged change (``python -m ceasefire history``; ``revert ID``).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import click

from .common import (
    DAY,
    Settings,
    example,
    filter_from_args,
    filter_options,
    open_reader,
    open_writer,
    write_output,
)


def _editor(editor: str | None) -> str:
    from .. import auth

    return auth.require_editor(editor or auth.default_editor(), "writing tallies")


@example("python -m ceasefire tally list --governorate Idleb --limit 5")
@click.group("tally", help="What the parties counted: the guarantors' and monitors' own tallies.")
def tally_group() -> None:
    pass


@example(
    'python -m ceasefire tally draft tests/fixtures/bulletins/rcr-2019-05-10.txt --reporter "Russian Centre for Reconciliation" --published 2019-05-10 --format text'
)
@tally_group.command(
    "draft", help="Propose tallies from a bulletin (English or Russian); writes nothing."
)
@click.argument("file")
@click.option("--reporter", required=True, help="who published the bulletin (a source name)")
@click.option("--published", type=DAY, help="publication date YYYY-MM-DD (sets the period)")
@click.option("--url", help="the bulletin's address")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json")
def draft_command(
    file: str, reporter: str, published: date | None, url: str | None, fmt: str
) -> int:
    from ..draft import article_text
    from ..tallies.bulletin import draft_bulletin

    path = Path(file)
    text = article_text(path.read_bytes(), path.name)
    proposal = draft_bulletin(text, reporter=reporter, published=published, url=url)
    if fmt == "text":
        print(as_text(proposal))
    else:
        print(json.dumps(proposal, ensure_ascii=False, indent=2))
    return 0


def as_text(proposal: dict) -> str:
    """A draft for reading: each proposed tally with its words, the checks, the review."""
    b = proposal["bulletin"]
    lines = [
        f"Bulletin: {b['reporter']}, published {b['published'] or '(no date)'}, "
        f"{b['language']}, counted {b['period_start'] or '?'} to {b['period_end'] or '?'}"
    ]
    for t in proposal["tallies"]:
        where = t["governorate"] or "total (no governorate)"
        count = "no count" if t["count"] is None else t["count"]
        lines.append(
            f"  {t['side'] or t['reporter']}: {where}: {count} {t['unit'] or ''}  <- {t['words']!r}"
        )
    for t in proposal["totals"]:
        lines.append(
            f"  check {t['side'] or t['reporter']}: stated {t['count']}, provinces "
            f"{t['sum_of_governorates']} -> {t['check']}"
        )
    lines += [f"  review: {r}" for r in proposal["review"]]
    return "\n".join(lines)


def _tallies_from(data) -> list[dict]:
    """A draft (``{"tallies": [...], "bulletin": {...}}``) or a plain list of tallies."""
    from ..tallies.model import rows_from_draft

    if isinstance(data, dict) and "tallies" in data:
        return rows_from_draft(data)
    if isinstance(data, list):
        return data
    raise ValueError("expected a draft ({'tallies': [...]}) or a list of tallies")


@example(
    'python -m ceasefire tally draft tests/fixtures/bulletins/rcr-2019-05-10.txt --reporter "Russian Centre for Reconciliation" --published 2019-05-10 > tallies.json',
    'python -m ceasefire tally add --json tallies.json --editor "Ann Editor"',
)
@tally_group.command("add", help="Save tallies from JSON: a reviewed draft, or a list of tallies.")
@click.option("--json", "json_file", required=True, help="the JSON file ('-' for stdin)")
@click.option("--editor", help="who adds them (default: $CEASEFIRE_EDITOR)")
@click.option("--note", help="the change log's note")
@click.pass_obj
def add_command(settings: Settings, json_file: str, editor: str | None, note: str | None) -> int:
    from ..editing import Invalid
    from ..editing.tallies import add_tallies

    raw = sys.stdin.read() if json_file == "-" else Path(json_file).read_text(encoding="utf-8")
    tallies = _tallies_from(json.loads(raw))
    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        try:
            ids = add_tallies(con, tallies, editor=editor, note=note)
        except Invalid as error:
            for field, message in error.errors.items():
                print(f"error: {field}: {message}", file=sys.stderr)
            return 1
    print(f"Added {len(ids)} tallies ({ids[0]}-{ids[-1]}).")
    return 0


@example("python -m ceasefire tally template -o tallies.csv")
@tally_group.command("template", help="The CSV template for 'tally import', documented.")
@click.option("-o", "--output", default="-", help="output file ('-' for stdout)")
def template_command(output: str) -> int:
    write_output(template_bytes(), output)
    return 0


def template_bytes() -> bytes:
    """What each column holds (comment lines, skipped on import), the header, and an
    example row commented out (the May 2019 bulletin's Turkish count for Idlib)."""
    from ..tallies.model import FIELD_HELP, FIELDS

    out = io.StringIO()
    out.write("# Tallies for 'python -m ceasefire tally import FILE'. Lines starting with # are\n")
    out.write("# skipped. One row per count; a bulletin's total and its provinces are rows of\n")
    out.write("# their own (kind 'total' and 'governorate'), never summed together.\n")
    for name in FIELDS:
        out.write(f"#   {name}: {FIELD_HELP[name]}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    example = io.StringIO()
    csv.writer(example, lineterminator="\n").writerow(
        [
            "Turkish part of the joint commission",
            "",
            "governorate",
            "Idlib",
            "",
            "2019-05-08",
            "2019-05-08",
            "4",
            "cases of ceasefire violations",
            "Idlib (4)",
            "en",
            "2019-05-09",
            "https://example.org/bulletin-2019-05-09",
            "",
        ]  # fmt: skip
    )
    out.write("# example: " + example.getvalue())
    return out.getvalue().encode("utf-8")


def read_tally_csv(path: Path) -> tuple[list[dict], list[str]]:
    """Tallies from a CSV in the template's columns; (rows, problems as 'line N, column
    C: reason'). Lines starting with '#' are comments."""
    from ..tallies.model import FIELDS, clean_tally

    text = path.read_text(encoding="utf-8-sig")
    rows, problems = [], []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("#")]
    reader = csv.DictReader([line for _, line in lines])
    missing = [
        c for c in ("reporter", "period_start", "unit") if c not in (reader.fieldnames or [])
    ]
    if missing:
        return [], [
            f"{path}, line 1: missing column(s) {', '.join(missing)} (see 'tally template')"
        ]
    extra = [c for c in reader.fieldnames or [] if c not in FIELDS]
    if extra:
        problems.append(f"{path}, line 1: unknown column(s) {', '.join(extra)}")
    for (number, _), row in zip(lines[1:], reader, strict=False):
        row = {k: v for k, v in row.items() if k in FIELDS}
        _, errors = clean_tally(row)
        problems += [f"{path}, line {number}, column {k}: {v}" for k, v in errors.items()]
        rows.append(row)
    return rows, problems


@example(
    'python -m ceasefire tally import tests/fixtures/tallies.csv --editor "Ann Editor" --dry-run',
    'python -m ceasefire tally import tests/fixtures/tallies.csv --editor "Ann Editor"',
)
@tally_group.command("import", help="Save tallies from a CSV in the template's columns.")
@click.argument("file")
@click.option("--editor", help="who adds them (default: $CEASEFIRE_EDITOR)")
@click.option("--note", help="the change log's note")
@click.option("--dry-run", is_flag=True, help="check the file only")
@click.pass_obj
def import_command(
    settings: Settings, file: str, editor: str | None, note: str | None, dry_run: bool
) -> int:
    from ..editing import Invalid
    from ..editing.tallies import add_tallies

    rows, problems = read_tally_csv(Path(file))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(f"Nothing imported: {len(problems)} problem(s).", file=sys.stderr)
        return 1
    if dry_run:
        print(f"{file}: {len(rows)} tallies, no problem found (dry run: nothing written).")
        return 0
    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        try:
            ids = add_tallies(con, rows, editor=editor, note=note or f"imported from {file}")
        except Invalid as error:
            for field, message in error.errors.items():
                line = _line_of(field)
                print(f"error: {file}, {line}{message}", file=sys.stderr)
            print("Nothing imported.", file=sys.stderr)
            return 1
    print(f"Imported {len(ids)} tallies from {file}.")
    return 0


def _line_of(field: str) -> str:
    """'tallies[3].reporter' -> 'line 5, column reporter: ' (the header is line 1)."""
    if field.startswith("tallies[") and "]." in field:
        index, column = field[len("tallies[") :].split("].", 1)
        return f"line {int(index) + 2}, column {column}: "
    return ""


@example(
    'python -m ceasefire tally list --reporter "Turkish part of the joint commission" --from 2019-05-01 --to 2019-05-31'
)
@tally_group.command("list", help="The tallies in the store (newest first).")
@click.option("--governorate", multiple=True, help="any spelling (repeat for several)")
@click.option("--reporter", multiple=True, help="a reporter's registry name")
@click.option("--from", "start", type=DAY)
@click.option("--to", "end", type=DAY)
@click.option("--bulletin", help="one bulletin's key (its link)")
@click.option("--limit", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.pass_obj
def list_command(settings: Settings, governorate, reporter, start, end, bulletin, limit, fmt):
    from ..tallies import provinces
    from ..tallies.reads import for_reading, tally_frame

    names = []
    for g in governorate:
        found = provinces.lookup(g)
        if found is None:
            raise ValueError(f"{g!r} is not a governorate of Syria")
        names.append(found.name)
    with open_reader(settings.db) as con:
        frame = tally_frame(
            con,
            start=start,
            end=end,
            governorates=tuple(names),
            reporters=tuple(reporter),
            bulletin=bulletin,
            limit=limit,
        )
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", date_format="iso"))
        for r in records:
            for k in ("period_start", "period_end", "published_on"):
                r[k] = r[k][:10] if r[k] else None
        print(json.dumps({"tallies": records}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        print(frame.to_csv(index=False), end="")
    else:
        shown = for_reading(frame).drop(columns=["period_end", "link"])
        print(shown.to_string(index=False) if len(shown) else "No tallies match.")
    return 0


@example('python -m ceasefire tally edit 1 --set count=15 --editor "Ann Editor" --note "misread"')
@tally_group.command("edit", help="Change a tally's fields (logged; revert with 'revert ID').")
@click.argument("tally_id", type=int)
@click.option("--set", "sets", multiple=True, required=True, metavar="FIELD=VALUE")
@click.option("--editor")
@click.option("--note")
@click.pass_obj
def edit_command(settings: Settings, tally_id: int, sets, editor, note) -> int:
    from ..editing import Invalid
    from ..editing.tallies import edit_tally

    changes = {}
    for item in sets:
        field, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--set {item!r}: write FIELD=VALUE")
        changes[field.strip()] = value or None
    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        try:
            change = edit_tally(con, tally_id, changes, editor=editor, note=note)
        except Invalid as error:
            for field, message in error.errors.items():
                print(f"error: {field}: {message}", file=sys.stderr)
            return 1
    print("Nothing changed." if change is None else f"Change {change} logged.")
    return 0


@example('python -m ceasefire tally delete 1 --editor "Ann Editor" --note "counted twice"')
@tally_group.command("delete", help="Delete a tally (logged; revert with 'revert ID').")
@click.argument("tally_id", type=int)
@click.option("--editor")
@click.option("--note")
@click.pass_obj
def delete_command(settings: Settings, tally_id: int, editor, note) -> int:
    from ..editing.tallies import delete_tally

    editor = _editor(editor)
    with open_writer(settings.db, editor=editor) as con:
        change = delete_tally(con, tally_id, editor=editor, note=note)
    print(f"Deleted tally {tally_id} (change {change}).")
    return 0


def _view(settings: Settings, governorate: str, by: str, reporter, values):
    from ..tallies import provinces
    from ..tallies.figure import side_by_side_view

    found = provinces.lookup(governorate)
    if found is None:
        raise ValueError(f"{governorate!r} is not a governorate of Syria")
    f = filter_from_args(values)
    with open_reader(settings.db) as con:
        return side_by_side_view(con, f, found.name, by, tuple(reporter))


_BY = click.option("--by", default="month", type=click.Choice(["day", "week", "month"]))
_REPORTER = click.option("--reporter", multiple=True, help="only these reporters (repeat)")


@example(
    "python -m ceasefire tally chart Idleb --by month --from 2019-01-01 --to 2019-12-31 --format svg -o tallies-idleb.svg"
)
@tally_group.command(
    "chart", help="The side-by-side figure for a governorate (png, svg, pdf, html, json)."
)
@click.argument("governorate")
@_BY
@_REPORTER
@click.option("--size", default="screen", type=click.Choice(["screen", "full", "column"]))
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf", "html", "json"]))
@click.option("-o", "--output", required=True)
@filter_options
@click.pass_obj
def chart_command(settings, governorate, by, reporter, size, fmt, output, **values) -> int:
    from .. import export
    from .chart import output_format, write_figure

    fmt = output_format(fmt, output, export.FIGURE_FORMATS)
    result, _, fig = _view(settings, governorate, by, reporter, values)
    write_figure(fig, fmt, size, output)
    if output != "-":
        print(f"Wrote {output}: {result.title()}", file=sys.stderr)
    return 0


@example(
    "python -m ceasefire tally export Idleb --by month --from 2019-01-01 --to 2019-12-31 -o tallies-idleb.csv"
)
@tally_group.command(
    "export", help="The side-by-side numbers (csv zip, xlsx, parquet), with provenance."
)
@click.argument("governorate")
@_BY
@_REPORTER
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet"]))
@click.option("-o", "--output", required=True)
@filter_options
@click.pass_obj
def export_command(settings, governorate, by, reporter, fmt, output, **values) -> int:
    from .. import export
    from ..tallies.figure import side_by_side_table
    from .chart import output_format

    suffix = Path(output).suffix.lower()
    fmt = (
        "csv"
        if not fmt and suffix in (".zip", ".csv")
        else output_format(fmt, output, export.TABLE_FORMATS)
    )
    result, prov, _ = _view(settings, governorate, by, reporter, values)
    table = side_by_side_table(result)
    if fmt == "csv" and suffix == ".csv":
        from ..package import write_package

        described = write_package(output, table, prov, "tallies-side-by-side")
        print(f"Described in {described} (Frictionless data package).", file=sys.stderr)
    else:
        write_output(export.table_bytes(table, prov, fmt, sheet="side by side"), output)
    if output != "-":
        print(f"Wrote {len(table):,} rows to {output}: {result.title()}", file=sys.stderr)
    return 0
