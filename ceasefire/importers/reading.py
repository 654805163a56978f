"""Reading an input file into DuckDB, every column as text.

A CSV goes through DuckDB's own reader with ``store_rejects=true``: rows the reader
cannot split into the header's columns land in ``reject_errors`` with their record
number instead of aborting the read. An XLSX sheet is read with pandas (``dtype=str``)
and handed to DuckDB. ``record_lines`` maps DuckDB's record numbers to the lines an
editor shows (run only when there is a problem to report).
"""

from __future__ import annotations

import codecs
import csv
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .. import progress

#: DuckDB's CSV reader stops at lines over 2 MB by default; a quoted field (an article
#: pasted into a description) may be longer. Lines up to this size are read.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: An XLSX is a zip archive: refuse one that would unpack to more than this (or whose
#: members are compressed more than ``XLSX_MAX_RATIO`` times), before unpacking it.
XLSX_MAX_UNPACKED = 300 * 1024 * 1024
XLSX_MAX_RATIO = 150
#: Encodings offered for files that are not UTF-8 (``--encoding``, the Import page).
ENCODINGS = ("utf-8", "latin-1", "cp1252")


def _check_utf8(path: Path, name: str) -> None:
    """Raise a ValueError naming the line and the likely encoding when ``path`` is not
    UTF-8 (streamed in 1 MB blocks: memory stays bounded for any size)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, offset = 1, 0
    size = max(1, path.stat().st_size)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                bad = block[error.start]
                line = lines + block[: error.start].count(b"\n")
                raise ValueError(
                    f"{name} is not UTF-8 text: line {line} has the byte 0x{bad:02X}"
                    f"{_guess(path)}. Import it with --encoding latin-1 or --encoding cp1252 "
                    "(on the Import page: choose the encoding), or save it as UTF-8."
                ) from None
            lines += block.count(b"\n")
            offset += len(block)
            progress.within(offset / size)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ValueError(f"{name} is not UTF-8 text: it ends inside a character") from None


def _guess(path: Path) -> str:
    """', which looks like cp1252 (Western European)' from charset-normalizer."""
    try:
        from charset_normalizer import from_bytes

        with open(path, "rb") as handle:
            best = from_bytes(handle.read(4 << 20)).best()
    except Exception:  # a guess only
        return ""
    if best is None:
        return ""
    names = {"latin_1": "latin-1", "iso8859_1": "latin-1", "cp1252": "cp1252"}
    return f"; its encoding looks like {names.get(best.encoding, best.encoding)}"


def to_utf8(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a text file in ``encoding`` (streamed; lines keep their numbers)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}: one of {', '.join(ENCODINGS)}")
    out = Path(tempfile.mkdtemp(prefix="ceasefire-utf8-")) / path.name
    with (
        open(path, encoding=encoding, newline="") as src,
        open(out, "w", encoding="utf-8", newline="") as dst,
    ):
        while block := src.read(1 << 20):
            dst.write(block)
    return out


def check_xlsx(path: Path, name: str) -> None:
    """Refuse a spreadsheet that is not a zip archive or would unpack to too much."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ValueError(f"{name} is not an XLSX workbook (not a zip archive)") from None
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if total > XLSX_MAX_UNPACKED or total / packed > XLSX_MAX_RATIO:
        raise ValueError(
            f"{name} is refused before unpacking: it would unpack to {total / 1e6:,.0f} MB "
            f"from {packed / 1e6:,.1f} MB (limits: {XLSX_MAX_UNPACKED / 1e6:,.0f} MB, "
            f"{XLSX_MAX_RATIO}x). A damaged or hostile workbook (a zip bomb); save the "
            "sheet as CSV and import that."
        )


@dataclass
class RawFile:
    path: Path
    table: str
    columns: list[str]
    n_good: int
    structural: pd.DataFrame  # record (1-based incl. header), column, error_type, csv_line
    is_csv: bool


def uid() -> str:
    return uuid.uuid4().hex[:10]


def read_raw(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    encoding: str | None = None,
    name: str | None = None,
) -> RawFile:
    """Read a CSV (DuckDB, with rejects) or XLSX (pandas) into a TEMP table of text.

    Refused with a ValueError that says why (the store is never touched): an empty file,
    a header with no rows, a CSV that is not UTF-8 (unless ``encoding`` says what it is:
    it is then read through a UTF-8 copy), a workbook that would unpack to too much."""
    path = Path(path)
    name = name or str(path)
    table = f"_raw_{uid()}"
    if path.stat().st_size == 0:
        raise ValueError(f"{name}: the file is empty (0 bytes); nothing to import.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_xlsx(path, name)
        progress.stage("read")
        # pandas reads the values a spreadsheet saved (openpyxl's data_only), not formulas
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.columns = [str(c) for c in frame.columns]
        con.register(f"{table}_df", frame)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_df")
        con.unregister(f"{table}_df")
        structural = pd.DataFrame(columns=["record", "column", "error_type", "csv_line"])
        is_csv = False
    else:
        source = path
        progress.stage("check encoding")
        if encoding in (None, "utf-8", "utf8"):
            _check_utf8(path, name)
        else:
            source = to_utf8(path, encoding)
        rej, scan = f"_rej_{uid()}", f"_scan_{uid()}"
        progress.stage("read")
        line_size = max(2 * 1024 * 1024, min(source.stat().st_size + 1, MAX_LINE_BYTES))
        try:
            con.execute(
                f"""CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header = true,
                    all_varchar = true, store_rejects = true, rejects_table = '{rej}',
                    rejects_scan = '{scan}', delim = ',', quote = '"', escape = '"',
                    strict_mode = true, null_padding = false,
                    max_line_size = {line_size})""",
                [str(source)],
            )
        except duckdb.Error as error:
            first = str(error).strip().splitlines()[0]
            raise ValueError(f"{name} could not be read as CSV: {first}") from None
        structural = con.execute(
            f"""SELECT line AS record, column_name AS "column", CAST(error_type AS VARCHAR) AS error_type,
                       csv_line, error_message FROM {rej} ORDER BY line"""
        ).df()
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {scan}")
        is_csv = True
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    n_good = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if n_good == 0 and structural.empty:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        raise ValueError(f"{name} has a header line but no rows; nothing to import.")
    return RawFile(path, table, columns, n_good, structural, is_csv)


def record_lines(path: Path) -> list[tuple[int, int]]:
    """(first line, last line) of every record in a CSV, header included as record 0.

    Used only when there are problems to report: DuckDB reports record numbers, a
    person needs editor line numbers (a quoted field may span lines).
    """
    spans = []
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        last = 0
        for record in reader:
            if not record:  # a blank line: not a record for DuckDB either
                last = reader.line_num
                continue
            spans.append((last + 1, reader.line_num))
            last = reader.line_num
    return spans
