"""Importers: ACLED exports, UCDP GED CSVs and a researcher's own table (CSV/XLSX + TOML mapping).

One entry point for the CLI and the app::

    prepared = prepare_file(con, "acled", path)              # read + validate + map; no writes
    prepared.report.problems, prepared.preview(20)
    report = commit_file(con, prepared, keep_good_rows=False) # write (all-or-nothing) + link

or ``import_file(con, fmt, path, ...)`` for both steps. See ``pipeline`` for the pipeline
and the claims model, each format's module for its quirks, ``linking`` for the
cross-dataset rule.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from . import acled, linking, table, ucdp  # noqa: F401  (linking: public)
from .pipeline import Prepared, commit, prepare
from .report import ImportRejected, ImportReport, Problem, default_rejects_path

FORMATS = ("acled", "ucdp", "table")

__all__ = [
    "FORMATS",
    "ImportRejected",
    "ImportReport",
    "Prepared",
    "Problem",
    "commit_file",
    "default_rejects_path",
    "import_file",
    "prepare_file",
]


def spec_for(fmt: str, mapping: Path | str | dict | None = None):
    if fmt == "acled":
        return acled.SPEC
    if fmt == "ucdp":
        return ucdp.SPEC
    if fmt == "table":
        if mapping is None:
            raise ValueError("a table import needs a column mapping (--mapping M.toml)")
        m = mapping if isinstance(mapping, dict) else table.load_mapping(mapping)
        if isinstance(mapping, dict):
            table.validate_mapping(m)
        return table.make_spec(m)
    raise ValueError(f"unknown format {fmt!r}; one of {FORMATS}")


def prepare_file(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    path: Path | str,
    *,
    mapping=None,
    display_name: str | None = None,
    encoding: str | None = None,
) -> Prepared:
    """Read, validate and map a file. Writes nothing. ``encoding``: a CSV's encoding
    when it is not UTF-8 (latin-1, cp1252); a bad file raises ValueError saying why."""
    return prepare(con, spec_for(fmt, mapping), path, display_name=display_name, encoding=encoding)


def commit_file(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    *,
    keep_good_rows: bool = False,
    rejects_path: Path | str | None = None,
    link: bool = True,
    editor: str | None = None,
) -> ImportReport:
    """Write a prepared file as ``editor`` (required); raises ``ImportRejected``
    (nothing written) on problems unless ``keep_good_rows``. Links the new rows to other
    datasets' records in the same transaction (one atomic unit), and logs the import
    with its report in the change log."""
    return commit(
        con,
        prepared,
        keep_good_rows=keep_good_rows,
        rejects_path=rejects_path,
        link=link,
        editor=editor,
    )


def import_file(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    path: Path | str,
    *,
    mapping=None,
    display_name: str | None = None,
    encoding: str | None = None,
    keep_good_rows: bool = False,
    rejects_path: Path | str | None = None,
    link: bool = True,
    editor: str | None = None,
) -> ImportReport:
    """Prepare and commit a file in one call, as ``editor`` (required)."""
    from ..auth import require_editor

    editor = require_editor(editor, "an import")
    prepared = prepare_file(
        con, fmt, path, mapping=mapping, display_name=display_name, encoding=encoding
    )
    return commit_file(
        con,
        prepared,
        keep_good_rows=keep_good_rows,
        rejects_path=rejects_path,
        link=link,
        editor=editor,
    )
