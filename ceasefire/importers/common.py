"""What every importer shares: reading, validating, reporting, rejecting, writing.

The pipeline (``prepare`` then ``commit``):

1. **Read** the file with DuckDB's own CSV reader, every column as text
   (``all_varchar``), with ``store_rejects=true``: rows the reader cannot split into the
   header's columns (too many or too few fields, an unterminated quote) land in
   ``reject_errors`` with their record number and error type instead of aborting the
   read. XLSX sheets are read with pandas (``dtype=str``) and handed to DuckDB.
2. **Stage**: one SQL pass turns the text columns into typed fields (``f_*``) with
   ``TRY_CAST``/``try_strptime``, so a bad value becomes NULL rather than an exception.
3. **Check**: each format lists checks (column, raw value, condition, reason); one SQL
   query evaluates them all. Together with the reader's rejects they form the problem
   report: file, line, column, value, reason for *every* bad row.
4. **Line numbers** are the ones a text editor shows (header is line 1, a record whose
   quoted field spans three lines occupies three lines). DuckDB counts records, not
   lines, so when there are problems a single pass of Python's ``csv`` reader maps
   record numbers to physical lines (only then: a clean file costs nothing extra).
5. **Decide**: by default any problem rejects the whole file (``ImportRejected``,
   nothing written). With ``keep_good_rows`` the good rows are imported and the bad
   records are copied, byte for byte, to a rejects file (header first). A missing
   required column always rejects the file.
6. **Write** through ``records.write_frames`` (one transaction: upsert by origin id,
   actors through the alias table, sources, cross-dataset links, derived tables). A
   kill at any point before its COMMIT leaves the store as it was; staging and the
   mapped rows live in TEMP tables only (never copied into pandas).

SQL is composed here (the ``noqa: S608`` lines): table names are generated
(``_raw_<uuid>``), column names are quoted with ``q()``, every string that comes from a
file or a mapping is a literal made by ``lit()`` or a bound parameter.

Claims model shared by the dataset importers (ACLED, UCDP, a mapped table)
--------------------------------------------------------------------------
- The dataset's own coding is one claim per alleged actor, attributed to the dataset
  as a source (``ACLED``, ``UCDP GED``, ``Airwars``; kind "monitor"), carrying the
  dataset's casualty figures. A row naming several perpetrators (Airwars
  ``Russian Military, Iranian Military``, UCDP ``side_a`` lists) gives one claim per
  actor with the same figures: the incident-level range (min/max over claims) is then
  right, and sums must be taken over incidents (``incident_fact``), never over claims.
  A row naming no perpetrator gives one claim with no actor.
- The outlets the dataset cites (ACLED ``source``, UCDP ``source_office``, Airwars
  ``source_names``) become one figure-less, actor-less claim each, so every outlet is a
  ``source`` row and the incident page lists it; they add no casualties and no actor.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .. import places
from ..records import CLAIM_COLUMNS, INCIDENT_COLUMNS, SOURCE_COLUMNS, WriteSummary, write_frames
from ..taxonomy import CASUALTY_FIELDS
from ..text import impossible_date, plural
from . import linking

#: Staged typed fields every format must produce (as ``f_<name>``).
STAGED_FIELDS = [
    "origin_id",
    "occurred_on",
    "date_precision",
    "place_name",
    "governorate",
    "district",
    "latitude",
    "longitude",
    "location_precision",
    "weapon",
    "target_type",
    "description",
    "verification",
    "actors",
    "outlets",
    *CASUALTY_FIELDS,
    "quote",
]

# --------------------------------------------------------------------------- problems


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


# --------------------------------------------------------------------------- SQL helpers


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str | None) -> str:
    """A quoted SQL string literal (for fixed, program- or mapping-given strings)."""
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def blank_to_null(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


def num(expr: str) -> str:
    """Text to DOUBLE; blank or unparseable -> NULL (the checks report the latter)."""
    return f"TRY_CAST({blank_to_null(expr)} AS DOUBLE)"


def split_list(expr: str, sep: str) -> str:
    """A cell listing several values -> a list of trimmed, non-blank, distinct values."""
    return (
        f"list_distinct(list_filter(list_transform(string_split(coalesce({expr}, ''), "
        f"{lit(sep)}), lambda x: trim(x)), lambda x: x <> ''))"
    )


def case_map(expr: str, mapping: dict[str, str], default: str | None) -> str:
    """CASE on a value with a fixed mapping (case-insensitive, trimmed)."""
    if not mapping:
        return lit(default)
    whens = " ".join(f"WHEN {lit(k.strip().lower())} THEN {lit(v)}" for k, v in mapping.items())
    return f"(CASE lower(trim({expr})) {whens} ELSE {lit(default)} END)"


@dataclass(frozen=True)
class Check:
    """A row is bad for this check when ``bad`` (SQL over the staged table) is true."""

    column: str
    value: str  # SQL expression giving the offending raw value
    bad: str
    reason: str


def check_required(col: str) -> Check:
    return Check(col, q(col), f"{blank_to_null(q(col))} IS NULL", "required value is blank")


#: The reason a date check gives; a value in a date's form that is no real date
#: ("31 February 2021") is then reported as such (``text.impossible_date``).
DATE_REASON = "not a date in the expected form"


def check_date(col: str, parsed: str, formats: str) -> Check:
    return Check(
        col,
        q(col),
        f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL",
        f"{DATE_REASON} ({formats})",
    )


def check_number(
    col: str, low: float | None = None, high: float | None = None, label: str = ""
) -> list[Check]:
    parsed = num(q(col))
    checks = [
        Check(
            col, q(col), f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL", "not a number"
        )
    ]
    if low is not None and high is not None:
        checks.append(
            Check(
                col,
                q(col),
                f"{parsed} NOT BETWEEN {low} AND {high}",
                f"{label or col} out of range [{low:g}, {high:g}]",
            )
        )
    return checks


def check_count(col: str) -> list[Check]:
    """A casualty figure: blank allowed; else a whole number >= 0."""
    parsed = num(q(col))
    return [
        Check(
            col, q(col), f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL", "not a number"
        ),
        Check(col, q(col), f"{parsed} < 0", "negative casualty figure"),
        Check(col, q(col), f"{parsed} >= 0 AND {parsed} <> floor({parsed})", "not a whole number"),
    ]


def check_min_max(col_min: str, col_max: str) -> Check:
    return Check(
        col_max,
        q(col_max),
        f"{num(q(col_max))} < {num(q(col_min))}",
        f"maximum below its minimum ({col_min})",
    )


def check_unique_id(col: str) -> Check:
    return Check(
        col,
        q(col),
        f"count(*) OVER (PARTITION BY trim({q(col)})) > 1 AND {blank_to_null(q(col))} IS NOT NULL",
        "id repeats within the file (a row would be counted twice)",
    )


# --------------------------------------------------------------------------- format spec


@dataclass
class FormatSpec:
    """How one format maps onto the staged fields.

    ``stage(columns)`` returns SQL expressions (over the raw text columns) for every
    name in ``STAGED_FIELDS``; ``checks(columns)`` the row checks.
    """

    origin: str
    dataset_source: str
    required: list[str]
    stage: Callable[[set[str]], dict[str, str]]
    checks: Callable[[set[str]], list[Check]]
    dataset_source_kind: str = "monitor"
    dataset_source_affiliation: str = "independent"
    outlet_kind: str = "media"
    # alternative required columns: any one of the group must exist
    required_any: list[tuple[str, ...]] = field(default_factory=list)


def col_or_null(columns: set[str], name: str) -> str:
    """The quoted column if the file has it, else a NULL of type VARCHAR."""
    return q(name) if name in columns else "NULL::VARCHAR"


# --------------------------------------------------------------------------- reading


@dataclass
class RawFile:
    path: Path
    table: str
    columns: list[str]
    n_good: int
    structural: pd.DataFrame  # record (1-based incl. header), column, error_type, csv_line
    is_csv: bool


def _uid() -> str:
    return uuid.uuid4().hex[:10]


def read_raw(con: duckdb.DuckDBPyConnection, path: Path) -> RawFile:
    """Read a CSV (DuckDB, with rejects) or XLSX (pandas) into a TEMP table of text."""
    path = Path(path)
    table = f"_raw_{_uid()}"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.columns = [str(c) for c in frame.columns]
        con.register(f"{table}_df", frame)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_df")  # noqa: S608
        con.unregister(f"{table}_df")
        structural = pd.DataFrame(columns=["record", "column", "error_type", "csv_line"])
        is_csv = False
    else:
        rej, scan = f"_rej_{_uid()}", f"_scan_{_uid()}"
        con.execute(
            f"""CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header = true,
                all_varchar = true, store_rejects = true, rejects_table = '{rej}',
                rejects_scan = '{scan}', delim = ',', quote = '"', escape = '"',
                strict_mode = true, null_padding = false)""",  # noqa: S608
            [str(path)],
        )
        structural = con.execute(
            f"""SELECT line AS record, column_name AS "column", CAST(error_type AS VARCHAR) AS error_type,
                       csv_line, error_message FROM {rej} ORDER BY line"""  # noqa: S608
        ).df()
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {scan}")
        is_csv = True
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    n_good = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
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


# --------------------------------------------------------------------------- prepare


@dataclass
class Prepared:
    """A validated, mapped file, ready to write (or to preview).

    The mapped rows stay in DuckDB: two TEMP tables on the connection that prepared
    them (``incidents``/``claims`` give them as relations), so a million-row file is
    never copied into pandas and back. TEMP tables belong to that connection (a
    Streamlit script run's cursor), so they go when it does; ``commit`` and
    ``close()`` drop them sooner."""

    spec: FormatSpec
    path: Path
    report: ImportReport
    con: duckdb.DuckDBPyConnection
    incidents_table: str | None  # None: nothing mapped (a fatal problem)
    claims_table: str | None
    n_incidents: int
    fatal: bool  # a problem no option can get past (missing required column)
    bad_rows: list[int]  # staged row numbers (0-based among good-read rows) with problems
    rejected_spans: list[tuple[int, int]]  # physical line spans of every rejected record

    @property
    def ok(self) -> bool:
        return not self.report.problems

    @property
    def incidents(self) -> duckdb.DuckDBPyRelation | pd.DataFrame:
        if self.incidents_table is None:
            return pd.DataFrame(columns=INCIDENT_COLUMNS)
        return self.con.table(self.incidents_table)

    @property
    def claims(self) -> duckdb.DuckDBPyRelation | pd.DataFrame:
        if self.claims_table is None:
            return pd.DataFrame(columns=CLAIM_COLUMNS + SOURCE_COLUMNS)
        return self.con.table(self.claims_table)

    def close(self) -> None:
        """Drop the TEMP tables (after a commit, or when the preview is abandoned)."""
        for table in (self.incidents_table, self.claims_table):
            if table is not None:
                self.con.execute(f"DROP TABLE IF EXISTS {table}")
        self.incidents_table = self.claims_table = None

    def preview(self, n: int = 20) -> pd.DataFrame:
        """The first rows as they will be stored, with their claims summarised (one SQL
        query over the first ``n`` rows, not over the whole file)."""
        if self.incidents_table is None:
            return pd.DataFrame(columns=PREVIEW_COLUMNS)
        return self.con.execute(
            _PREVIEW_SQL.format(inc=self.incidents_table, cl=self.claims_table), [n]
        ).df()


PREVIEW_COLUMNS = [
    "origin_id",
    "occurred_on",
    "governorate",
    "district",
    "place_name",
    "weapon",
    "target_type",
    "verification",
    "alleged actors",
    "killed_min",
    "killed_max",
    "sources",
]

_PREVIEW_SQL = """
WITH head AS (SELECT rowid AS k, * FROM {inc} ORDER BY rowid LIMIT ?),
cl AS (SELECT c.rowid AS ck, c.* FROM {cl} c SEMI JOIN head h ON h.origin_id = c.origin_id),
firsts AS (SELECT origin_id, source_name, min(ck) AS first FROM cl
           WHERE source_name IS NOT NULL GROUP BY ALL),
srcs AS (SELECT origin_id, string_agg(source_name, '; ' ORDER BY first) AS sources
         FROM firsts GROUP BY origin_id),
agg AS (SELECT origin_id,
               coalesce(string_agg(DISTINCT alleged_actor, '; ' ORDER BY alleged_actor), '')
                   AS "alleged actors",
               min(killed_min) AS killed_min, max(killed_max) AS killed_max
        FROM cl GROUP BY origin_id)
SELECT h.origin_id, h.occurred_on, h.governorate, h.district, h.place_name, h.weapon,
       h.target_type, h.verification, a."alleged actors", a.killed_min, a.killed_max,
       coalesce(s.sources, CASE WHEN a.origin_id IS NOT NULL THEN '' END) AS sources
FROM head h LEFT JOIN agg a USING (origin_id) LEFT JOIN srcs s USING (origin_id)
ORDER BY h.k
"""


def _name_pcode(place) -> tuple[str | None, str | None]:
    return (place.name, place.pcode) if place else (None, None)


def _place_lookup(con: duckdb.DuckDBPyConnection, staged: str, good: str) -> str:
    """A small TEMP table mapping each distinct (governorate, district) spelling to the
    OCHA spelling and P-codes; rows join it in SQL (``places`` runs once per pair, not
    once per row, and no row goes through pandas)."""
    pairs = con.execute(
        f"SELECT DISTINCT f_governorate, f_district FROM {staged} WHERE {good}"  # noqa: S608
    ).fetchall()
    rows = []
    for gov, dist in pairs:
        g = places.governorate(gov)
        d = places.district(dist, g)
        rows.append((gov, dist, *_name_pcode(g), *_name_pcode(d)))
    cols = ["governorate", "district", "gov", "gov_pcode", "dist", "dist_pcode"]
    lookup = pd.DataFrame(rows, columns=cols).astype(object)
    table = f"_places_{_uid()}"
    con.register(f"{table}_df", lookup)
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT "  # noqa: S608
        + ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in cols)
        + f" FROM {table}_df"
    )
    con.unregister(f"{table}_df")
    return table


def prepare(
    con: duckdb.DuckDBPyConnection,
    spec: FormatSpec,
    path: Path | str,
    display_name: str | None = None,
) -> Prepared:
    """Read, stage, check and map a file; writes nothing to the store."""
    path = Path(path)
    name = display_name or str(path)
    report = ImportReport(file=name, origin=spec.origin)
    raw = read_raw(con, path)
    staged = f"_staged_{_uid()}"
    try:
        columns = set(raw.columns)
        missing = [c for c in spec.required if c not in columns]
        for group in spec.required_any:
            if not any(c in columns for c in group):
                missing.append(" or ".join(group))
        report.rows_in = raw.n_good + len(raw.structural["record"].unique())
        if missing:
            report.problems = [
                Problem(name, 1, c, None, "required column missing from the header")
                for c in missing
            ]
            report.rows_rejected = report.rows_in
            return Prepared(spec, path, report, con, None, None, 0, True, [], [])

        exprs = spec.stage(columns)
        select = ", ".join(f"{exprs[f]} AS f_{f}" for f in STAGED_FIELDS)
        con.execute(
            f"CREATE TEMP VIEW {staged} AS SELECT rowid AS _row, {select} FROM {raw.table}"  # noqa: S608
        )
        problem_rows = _check_rows(con, raw.table, spec.checks(columns))
        bad_rows = sorted(set(problem_rows["row_no"].astype(int)))
        problems, rejected_spans, n_structural = _problem_report(
            name, path, raw, problem_rows, bad_rows
        )
        report.problems = problems
        report.rows_rejected = len(bad_rows) + n_structural
        incidents, claims, n = _map_rows(con, spec, staged, bad_rows)
        return Prepared(
            spec, path, report, con, incidents, claims, n, False, bad_rows, rejected_spans
        )
    finally:
        con.execute(f"DROP VIEW IF EXISTS {staged}")
        con.execute(f"DROP TABLE IF EXISTS {raw.table}")


def _problem_report(
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


def _check_rows(con: duckdb.DuckDBPyConnection, raw: str, checks: list[Check]) -> pd.DataFrame:
    """Every (row, check) that fails: row_no, column, value, reason, k (check order).

    Checks read the raw text columns only, so they run on the raw table (the staged
    table holds just the typed fields). One scan per check: measured faster than one
    pass computing every flag (each scan reads only its own columns)."""
    if not checks:
        return pd.DataFrame(columns=["row_no", "column", "value", "reason", "k"])
    parts = [
        f"SELECT _row AS row_no, {lit(c.column)} AS column, CAST({c.value} AS VARCHAR) AS value, "  # noqa: S608
        f"{lit(c.reason)} AS reason, {k} AS k "
        f"FROM (SELECT *, ({c.bad}) AS _bad FROM (SELECT rowid AS _row, * FROM {raw})) WHERE _bad"
        for k, c in enumerate(checks)
    ]
    return con.execute(" UNION ALL ".join(parts) + " ORDER BY row_no, k").df()


def _map_rows(
    con: duckdb.DuckDBPyConnection, spec: FormatSpec, staged: str, bad_rows: list[int]
) -> tuple[str, str, int]:
    """Map the good staged rows to ``write_frames``' incident and claim columns, as two
    TEMP tables in file order; returns their names and the number of incidents.

    Kept in DuckDB (no pandas round trip). Dates are TIMESTAMPs, the types the rows
    had when they went through pandas, so their content hashes stay the same."""
    bad = f"_bad_{_uid()}"
    con.register(f"{bad}_df", pd.DataFrame({"_row": pd.Series(bad_rows, dtype="int64")}))
    con.execute(f"CREATE TEMP TABLE {bad} AS SELECT _row FROM {bad}_df")  # noqa: S608
    con.unregister(f"{bad}_df")
    good = f"_row NOT IN (SELECT _row FROM {bad})"
    places_table = _place_lookup(con, staged, good)
    incidents, claims = f"_prep_inc_{_uid()}", f"_prep_cl_{_uid()}"
    con.execute(_INCIDENTS_SQL.format(out=incidents, staged=staged, good=good, places=places_table))
    con.execute(
        _CLAIMS_SQL.format(
            out=claims,
            staged=staged,
            good=good,
            source=lit(spec.dataset_source),
            kind=lit(spec.dataset_source_kind),
            affiliation=lit(spec.dataset_source_affiliation),
            cited=lit("Cited as a source by " + spec.dataset_source),
            outlet_kind=lit(spec.outlet_kind),
        )
    )
    con.execute(f"DROP TABLE {places_table}")
    con.execute(f"DROP TABLE {bad}")
    n = con.execute(f"SELECT count(*) FROM {incidents}").fetchone()[0]  # noqa: S608
    return incidents, claims, n


_INCIDENTS_SQL = """
CREATE TEMP TABLE {out} AS
SELECT s.f_origin_id AS origin_id, CAST(s.f_occurred_on AS TIMESTAMP) AS occurred_on,
       s.f_date_precision AS date_precision, s.f_place_name AS place_name,
       p.gov AS governorate, p.gov_pcode AS governorate_pcode,
       p.dist AS district, p.dist_pcode AS district_pcode,
       s.f_latitude AS latitude, s.f_longitude AS longitude,
       s.f_location_precision AS location_precision, s.f_weapon AS weapon,
       s.f_target_type AS target_type, s.f_description AS description,
       s.f_verification AS verification, false AS is_demo
FROM {staged} s
LEFT JOIN {places} p ON p.governorate IS NOT DISTINCT FROM s.f_governorate
                    AND p.district IS NOT DISTINCT FROM s.f_district
WHERE {good} ORDER BY s._row
"""

# the dataset's own claim (one per alleged actor), then one figure-less claim per outlet
_CLAIMS_SQL = """
CREATE TEMP TABLE {out} AS
WITH g AS NOT MATERIALIZED (SELECT * FROM {staged} WHERE {good}),
own AS (
    SELECT _row, f_origin_id AS origin_id, {source} AS source_name,
           unnest(CASE WHEN len(f_actors) = 0 THEN [NULL::VARCHAR] ELSE f_actors END)
               AS alleged_actor,
           CAST(f_killed_min AS INTEGER) AS killed_min, CAST(f_killed_max AS INTEGER) AS killed_max,
           CAST(f_wounded_min AS INTEGER) AS wounded_min, CAST(f_wounded_max AS INTEGER) AS wounded_max,
           CAST(f_civilians_killed_min AS INTEGER) AS civilians_killed_min,
           CAST(f_civilians_killed_max AS INTEGER) AS civilians_killed_max,
           f_quote AS quote, NULL::TIMESTAMP AS published_on,
           {kind} AS source_kind, {affiliation} AS source_affiliation,
           NULL::VARCHAR AS source_url, 0 AS part
    FROM g),
outlets AS (
    SELECT _row, f_origin_id AS origin_id, unnest(f_outlets) AS source_name,
           NULL::VARCHAR AS alleged_actor, NULL::INTEGER AS killed_min,
           NULL::INTEGER AS killed_max, NULL::INTEGER AS wounded_min,
           NULL::INTEGER AS wounded_max, NULL::INTEGER AS civilians_killed_min,
           NULL::INTEGER AS civilians_killed_max, {cited} AS quote,
           NULL::TIMESTAMP AS published_on, {outlet_kind} AS source_kind,
           'unknown' AS source_affiliation, NULL::VARCHAR AS source_url, 1 AS part
    FROM g)
SELECT * EXCLUDE (_row, part) FROM (
    SELECT * FROM own UNION ALL
    SELECT * FROM outlets WHERE source_name <> {source})
ORDER BY _row, part
"""


def commit(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    *,
    keep_good_rows: bool = False,
    rejects_path: Path | str | None = None,
    link: bool = False,
) -> ImportReport:
    """Write a prepared file (all-or-nothing unless ``keep_good_rows``).

    With ``link`` the cross-dataset linking runs inside the write's transaction, so the
    rows and their links land together or not at all (a kill in between cannot leave
    an import written but unlinked), and the derived tables are rebuilt once."""
    if con is not prepared.con:
        raise ValueError("commit with the connection that prepared the file (TEMP tables)")
    report = prepared.report
    if prepared.fatal or (report.problems and not keep_good_rows):
        raise ImportRejected(report)
    if report.problems:
        out = Path(rejects_path) if rejects_path else default_rejects_path(prepared.path)
        if prepared.path.suffix.lower() in (".csv", ".txt", ".tsv", ""):
            _copy_records(prepared.path, prepared.rejected_spans, out)
        else:
            _write_xlsx_rejects(prepared, out)
        report.rejects_path = str(out)

    def link_rows(c: duckdb.DuckDBPyConnection) -> int:
        report.links_added = linking.apply_links(c)
        return report.links_added

    report.summary = write_frames(
        con,
        prepared.spec.origin,
        prepared.incidents,
        prepared.claims,
        after_write=link_rows if link else None,
    )
    report.rows_imported = prepared.n_incidents
    prepared.close()
    return report


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


def default_rejects_path(path: Path | str) -> Path:
    """``FILE.rejects.csv`` next to a CSV, ``FILE.rejects.xlsx`` next to a spreadsheet:
    the rejected rows in the format they came in, to fix and import again."""
    path = Path(path)
    spreadsheet = path.suffix.lower() in _SPREADSHEET_SUFFIXES
    suffix = ".xlsx" if spreadsheet else (path.suffix or ".csv")
    return path.with_name(path.stem + ".rejects" + suffix)


def _write_xlsx_rejects(prepared: Prepared, out: Path) -> None:
    """Spreadsheet input: the rejected rows, header first, all cells as text, as a
    spreadsheet when ``out`` ends in .xlsx/.xlsm, else as a CSV. (Cells are text
    because that is how they were validated; a spreadsheet's own cell formats are not
    copied.)"""
    frame = pd.read_excel(prepared.path, dtype=str, engine="openpyxl")
    rows = [start - 2 for start, _ in prepared.rejected_spans]
    if out.suffix.lower() in _SPREADSHEET_SUFFIXES:
        frame.iloc[rows].to_excel(out, index=False, engine="openpyxl")
    else:
        frame.iloc[rows].to_csv(out, index=False)


_TOKEN = re.compile(r"\s+")


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = _TOKEN.sub(" ", value).strip()
    return text or None
