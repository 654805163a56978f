"""Reading an input file into DuckDB, every column as text.

A CSV goes through DuckDB's own reader with ``store_rejects=true``: rows the reader
cannot split into the header's columns land in ``reject_errors`` with their record
number instead of aborting the read. An XLSX sheet is read with pandas (``dtype=str``)
and handed to DuckDB. ``record_lines`` maps DuckDB's record numbers to the lines an
editor shows (run only when there is a problem to report).
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd


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


def read_raw(con: duckdb.DuckDBPyConnection, path: Path) -> RawFile:
    """Read a CSV (DuckDB, with rejects) or XLSX (pandas) into a TEMP table of text."""
    path = Path(path)
    table = f"_raw_{uid()}"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.columns = [str(c) for c in frame.columns]
        con.register(f"{table}_df", frame)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_df")
        con.unregister(f"{table}_df")
        structural = pd.DataFrame(columns=["record", "column", "error_type", "csv_line"])
        is_csv = False
    else:
        rej, scan = f"_rej_{uid()}", f"_scan_{uid()}"
        con.execute(
            f"""CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header = true,
                all_varchar = true, store_rejects = true, rejects_table = '{rej}',
                rejects_scan = '{scan}', delim = ',', quote = '"', escape = '"',
                strict_mode = true, null_padding = false)""",
            [str(path)],
        )
        structural = con.execute(
            f"""SELECT line AS record, column_name AS "column", CAST(error_type AS VARCHAR) AS error_type,
                       csv_line, error_message FROM {rej} ORDER BY line"""
        ).df()
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {scan}")
        is_csv = True
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    n_good = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
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
