"""What an import found and did: problems, the report, the rejected rows.

Problems are one per bad value or unreadable record: file, line as an editor shows it
(header is line 1; a quoted field spanning three lines occupies three), column, value,
reason. With ``keep_good_rows`` the rejected records are copied, unchanged, to a rejects
file in the format they came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..records import WriteSummary
from ..text import impossible_date, plural
from .checks import DATE_REASON
from .reading import RawFile, record_lines


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input row (or with the file: ``line`` 1 is the header)."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        value = "" if self.value is None else f" value {self.value!r}:"
        column = f" column {self.column!r}" if self.column else ""
        return f"{where}:{column}{value} {self.reason}"


@dataclass
class ImportReport:
    """What an import found and did."""

    file: str
    origin: str
    rows_in: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects_path: str | None = None
    summary: WriteSummary | None = None
    links_added: int = 0

    def problems_text(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [p.as_text() for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {plural(len(self.problems) - limit, 'more problem')}")
        return "\n".join(lines)

    def problems_headline(self) -> str:
        """'1 problem in 1 of 3 rows.': how much of the file is wrong, in one line."""
        return (
            f"{plural(len(self.problems), 'problem')} in {self.rows_rejected:,} of "
            f"{plural(self.rows_in, 'row')}."
        )

    def as_lines(self) -> list[str]:
        """The import as a short report, one fact per line."""
        lines = [f"{self.file}: {plural(self.rows_in, 'row')} read."]
        lines.append(
            f"{plural(self.rows_imported, 'row')} imported"
            + (f", {self.rows_rejected:,} rejected." if self.rows_rejected else "; none rejected.")
        )
        if self.rejects_path:
            lines.append(f"Rejected rows copied unchanged to {self.rejects_path}.")
        if self.summary is not None:
            lines.extend(self.summary.as_lines())
        lines.append(
            f"{plural(self.links_added, 'incident')} linked to the same event in another dataset."
        )
        return lines

    def as_text(self) -> str:
        return "\n".join(self.as_lines())


class ImportRejected(Exception):
    """The file was rejected as a whole; ``report.problems`` says why. Nothing was written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            f"{report.file}: rejected ({report.problems_headline()}); nothing was written.\n"
            + report.problems_text(limit=50)
        )


def problem_report(
    name: str, path: Path, raw: RawFile, problem_rows: pd.DataFrame, bad_rows: list[int]
) -> tuple[list[Problem], list[tuple[int, int]], int]:
    """Problems (reader rejects and failed checks) in line order, the physical line
    spans of every rejected record, and how many records the reader rejected.

    Record numbers become editor lines only here, when there is something to report."""
    structural = raw.structural
    problems: list[Problem] = []
    rejected_spans: list[tuple[int, int]] = []
    if bad_rows or len(structural):
        if raw.is_csv:
            spans = record_lines(path)
            struct_records = set(int(r) - 1 for r in structural["record"])
            good_records = [i for i in range(1, len(spans)) if i not in struct_records]

            def span_of_record(i: int) -> tuple[int, int]:
                return spans[i] if i < len(spans) else (i + 1, i + 1)

            def span_of_row(r: int) -> tuple[int, int]:
                return span_of_record(good_records[r]) if r < len(good_records) else (r + 2, r + 2)
        else:
            struct_records = set()

            def span_of_record(i: int) -> tuple[int, int]:
                return (i + 1, i + 1)

            def span_of_row(r: int) -> tuple[int, int]:
                return (r + 2, r + 2)  # spreadsheet row: header is row 1

        events = []
        # the reader may report one record twice (a cast error, then the column count)
        structural = structural.drop_duplicates(["record", "error_type"])
        structural = structural[
            ~structural["record"].isin(structural.loc[structural["error_type"] != "CAST", "record"])
            | (structural["error_type"] != "CAST")
        ]
        for rec in structural.itertuples(index=False):
            span = span_of_record(int(rec.record) - 1)
            reason = f"{rec.error_type.lower()}: {str(rec.error_message).splitlines()[0]}"
            events.append(
                (span[0], Problem(name, span[0], rec.column or None, rec.csv_line, reason))
            )
        for rec in problem_rows.itertuples(index=False):
            span = span_of_row(int(rec.row_no))
            value = None if pd.isna(rec.value) else rec.value
            reason = rec.reason
            if reason.startswith(DATE_REASON):  # in a date's form but no real date?
                reason = impossible_date(value) or reason
            events.append((span[0], Problem(name, span[0], rec.column, value, reason)))
        events.sort(key=lambda e: e[0])
        problems = [p for _, p in events]
        rejected_spans = sorted(
            {span_of_record(i) for i in struct_records} | {span_of_row(r) for r in bad_rows}
        )
    return problems, rejected_spans, len(structural["record"].unique())


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


def default_rejects_path(path: Path | str) -> Path:
    """``FILE.rejects.csv`` next to a CSV, ``FILE.rejects.xlsx`` next to a spreadsheet:
    the rejected rows in the format they came in, to fix and import again."""
    path = Path(path)
    spreadsheet = path.suffix.lower() in _SPREADSHEET_SUFFIXES
    suffix = ".xlsx" if spreadsheet else (path.suffix or ".csv")
    return path.with_name(path.stem + ".rejects" + suffix)


def write_rejects(path: Path, rejected_spans: list[tuple[int, int]], out: Path) -> None:
    """Copy the rejected rows of ``path`` (their physical line spans) to ``out``."""
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ""):
        _copy_records(path, rejected_spans, out)
    else:
        _write_xlsx_rejects(path, rejected_spans, out)


def _write_xlsx_rejects(path: Path, rejected_spans: list[tuple[int, int]], out: Path) -> None:
    """Spreadsheet input: the rejected rows, header first, all cells as text, as a
    spreadsheet when ``out`` ends in .xlsx/.xlsm, else as a CSV. (Cells are text
    because that is how they were validated; a spreadsheet's own cell formats are not
    copied.)"""
    frame = pd.read_excel(path, dtype=str, engine="openpyxl")
    rows = [start - 2 for start, _ in rejected_spans]
    if out.suffix.lower() in _SPREADSHEET_SUFFIXES:
        frame.iloc[rows].to_excel(out, index=False, engine="openpyxl")
    else:
        frame.iloc[rows].to_csv(out, index=False)


def _copy_records(path: Path, spans: list[tuple[int, int]], out: Path) -> None:
    """Copy the header and the given physical line spans of ``path`` to ``out`` unchanged."""
    wanted = set()
    for start, end in spans:
        wanted.update(range(start, end + 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "rb") as src, open(out, "wb") as dst:
        for number, line in enumerate(src, start=1):
            if number == 1 or number in wanted:
                dst.write(line)
