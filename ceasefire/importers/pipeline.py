"""The import pipeline every format shares: prepare (read, stage, check, map), then commit.

Checks and SQL helpers are in ``checks``, reading in ``reading``, problems, the report
and the rejects file in ``report``.

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

SQL is composed here: table names are generated
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
- Roles (``taxonomy.CLAIM_ROLES``): a format stages the actors it names as
  perpetrators in ``actors`` and those it names as parties to fighting whose initiator
  the dataset does not state in ``parties`` (ACLED Battles, UCDP types 1 and 2); each
  becomes one claim with that role. ``attribution_rule`` names the tracker's inference
  rule when the perpetrators are inferred, not stated (their claims are then
  ``inferred``); ``killed_best`` is the dataset's best estimate. A format that stages
  none of these (a mapped table such as Airwars, whose belligerents are perpetrators)
  gets no parties, stated attributions and no best estimate (``OPTIONAL_STAGED``).
- The outlets the dataset cites (ACLED ``source``, UCDP ``source_office``, Airwars
  ``source_names``) become one figure-less, actor-less claim each, so every outlet is a
  ``source`` row and the incident page lists it; they add no casualties and no actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .. import places, progress
from ..records import CLAIM_COLUMNS, INCIDENT_COLUMNS, SOURCE_COLUMNS, write_frames
from ..taxonomy import CASUALTY_FIELDS
from . import linking
from .checks import Check, lit
from .reading import read_raw, uid
from .report import (
    ImportRejected,
    ImportReport,
    Problem,
    default_rejects_path,
    problem_report,
    write_rejects,
)

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
    "parties",
    "attribution_rule",
    "killed_best",
]
#: Staged fields a format may leave out, and their value then: no parties (every named
#: actor is a perpetrator, as ``actors``), attributions stated by the source, no best
#: estimate.
OPTIONAL_STAGED = {
    "parties": "[]::VARCHAR[]",
    "attribution_rule": "NULL::VARCHAR",
    "killed_best": "NULL::DOUBLE",
}


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

#: The preview's columns as the Import page heads them (no field names).
PREVIEW_HEADERS = {
    "origin_id": "Record id in the file",
    "occurred_on": "Date",
    "governorate": "Governorate",
    "district": "District",
    "place_name": "Place",
    "weapon": "Weapon",
    "target_type": "Target",
    "verification": "Verification",
    "alleged actors": "Alleged actors",
    "killed_min": "Killed, lowest figure",
    "killed_max": "Killed, highest figure",
    "sources": "Sources",
}


def readable_preview(frame: pd.DataFrame) -> pd.DataFrame:
    """The preview as a reader reads it: human headers and dates as dates (the store's
    timestamps showed as "2023-06-02 00:00:00")."""
    out = frame.copy()
    if "occurred_on" in out:
        out["occurred_on"] = pd.to_datetime(out["occurred_on"]).dt.date
    return out.rename(columns=PREVIEW_HEADERS)


_PREVIEW_SQL = """
WITH head AS (SELECT rowid AS k, * FROM {inc} ORDER BY rowid LIMIT ?),
cl AS (SELECT c.rowid AS ck, c.* FROM {cl} c SEMI JOIN head h ON h.origin_id = c.origin_id),
firsts AS (SELECT origin_id, source_name, min(ck) AS first FROM cl
           WHERE source_name IS NOT NULL GROUP BY ALL),
srcs AS (SELECT origin_id, string_agg(source_name, '; ' ORDER BY first) AS sources
         FROM firsts GROUP BY origin_id),
agg AS (SELECT origin_id,
               coalesce(list_aggregate(list_sort(list_distinct(list(alleged_actor || CASE
                   WHEN role = 'party' THEN ' (party, initiator not stated)'
                   WHEN attribution_rule IS NOT NULL THEN ' (inferred: ' || attribution_rule || ')'
                   ELSE '' END))), 'string_agg', '; '), '') AS "alleged actors",
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
        f"SELECT DISTINCT f_governorate, f_district FROM {staged} WHERE {good}"
    ).fetchall()
    rows = []
    for gov, dist in pairs:
        g = places.governorate(gov)
        d = places.district(dist, g)
        rows.append((gov, dist, *_name_pcode(g), *_name_pcode(d)))
    cols = ["governorate", "district", "gov", "gov_pcode", "dist", "dist_pcode"]
    lookup = pd.DataFrame(rows, columns=cols).astype(object)
    table = f"_places_{uid()}"
    con.register(f"{table}_df", lookup)
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT "
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
    encoding: str | None = None,
) -> Prepared:
    """Read, stage, check and map a file; writes nothing to the store. ``encoding``:
    the CSV's text encoding when it is not UTF-8 (``reading.ENCODINGS``)."""
    path = Path(path)
    name = display_name or str(path)
    report = ImportReport(file=name, origin=spec.origin)
    raw = read_raw(con, path, encoding=encoding, name=name)
    progress.stage("check and map")
    staged = f"_staged_{uid()}"
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
            return Prepared(spec, path, report, con, None, None, 0, True, [])

        exprs = {**OPTIONAL_STAGED, **spec.stage(columns)}
        select = ", ".join(f"{exprs[f]} AS f_{f}" for f in STAGED_FIELDS)
        con.execute(f"CREATE TEMP VIEW {staged} AS SELECT rowid AS _row, {select} FROM {raw.table}")
        problem_rows = _check_rows(con, raw.table, spec.checks(columns))
        bad_rows = sorted(set(problem_rows["row_no"].astype(int)))
        problems, rejected_spans, n_structural = problem_report(
            name, path, raw, problem_rows, bad_rows
        )
        report.problems = problems
        report.rows_rejected = len(bad_rows) + n_structural
        incidents, claims, n = _map_rows(con, spec, staged, bad_rows)
        return Prepared(spec, path, report, con, incidents, claims, n, False, rejected_spans)
    finally:
        con.execute(f"DROP VIEW IF EXISTS {staged}")
        con.execute(f"DROP TABLE IF EXISTS {raw.table}")


def _check_rows(con: duckdb.DuckDBPyConnection, raw: str, checks: list[Check]) -> pd.DataFrame:
    """Every (row, check) that fails: row_no, column, value, reason, k (check order).

    Checks read the raw text columns only, so they run on the raw table (the staged
    table holds just the typed fields). One scan per check: measured faster than one
    pass computing every flag (each scan reads only its own columns)."""
    if not checks:
        return pd.DataFrame(columns=["row_no", "column", "value", "reason", "k"])
    parts = [
        f"SELECT _row AS row_no, {lit(c.column)} AS column, CAST({c.value} AS VARCHAR) AS value, "
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
    bad = f"_bad_{uid()}"
    con.register(f"{bad}_df", pd.DataFrame({"_row": pd.Series(bad_rows, dtype="int64")}))
    con.execute(f"CREATE TEMP TABLE {bad} AS SELECT _row FROM {bad}_df")
    con.unregister(f"{bad}_df")
    good = f"_row NOT IN (SELECT _row FROM {bad})"
    places_table = _place_lookup(con, staged, good)
    incidents, claims = f"_prep_inc_{uid()}", f"_prep_cl_{uid()}"
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
    n = con.execute(f"SELECT count(*) FROM {incidents}").fetchone()[0]
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
           claim.actor AS alleged_actor, claim.role AS role,
           CASE WHEN claim.role = 'perpetrator' AND f_attribution_rule IS NOT NULL
                THEN 'inferred' ELSE 'stated' END AS attribution_basis,
           CASE WHEN claim.role = 'perpetrator' THEN f_attribution_rule END AS attribution_rule,
           CAST(f_killed_best AS INTEGER) AS killed_best,
           CAST(f_killed_min AS INTEGER) AS killed_min, CAST(f_killed_max AS INTEGER) AS killed_max,
           CAST(f_wounded_min AS INTEGER) AS wounded_min, CAST(f_wounded_max AS INTEGER) AS wounded_max,
           CAST(f_civilians_killed_min AS INTEGER) AS civilians_killed_min,
           CAST(f_civilians_killed_max AS INTEGER) AS civilians_killed_max,
           f_quote AS quote, NULL::TIMESTAMP AS published_on,
           {kind} AS source_kind, {affiliation} AS source_affiliation,
           NULL::VARCHAR AS source_url, 0 AS part
    FROM (SELECT *, unnest(CASE WHEN len(f_actors) + len(f_parties) = 0
                                THEN [{{'actor': NULL::VARCHAR, 'role': 'perpetrator'}}]
                                ELSE list_concat(
                                    list_transform(f_actors,
                                        lambda x: {{'actor': x, 'role': 'perpetrator'}}),
                                    list_transform(f_parties,
                                        lambda x: {{'actor': x, 'role': 'party'}})) END) AS claim
          FROM g)),
outlets AS (
    SELECT _row, f_origin_id AS origin_id, unnest(f_outlets) AS source_name,
           NULL::VARCHAR AS alleged_actor, 'perpetrator' AS role, 'stated' AS attribution_basis,
           NULL::VARCHAR AS attribution_rule, NULL::INTEGER AS killed_best,
           NULL::INTEGER AS killed_min,
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
    editor: str | None = None,
) -> ImportReport:
    """Write a prepared file (all-or-nothing unless ``keep_good_rows``), as ``editor``
    (required: ``auth.EditorRequired`` without one). The import is one entry of the
    change log, with its report, written in the import's transaction.

    With ``link`` the cross-dataset linking runs inside the write's transaction, so the
    rows and their links land together or not at all (a kill in between cannot leave
    an import written but unlinked), and the derived tables are rebuilt once."""
    from ..auth import require_editor
    from ..editing import import_logger, undo

    editor = require_editor(editor, "an import")
    if con is not prepared.con:
        raise ValueError("commit with the connection that prepared the file (TEMP tables)")
    report = prepared.report
    if prepared.fatal or (report.problems and not keep_good_rows):
        raise ImportRejected(report)
    if report.problems:
        out = Path(rejects_path) if rejects_path else default_rejects_path(prepared.path)
        write_rejects(prepared.path, prepared.rejected_spans, out)
        report.rejects_path = str(out)

    def link_rows(c: duckdb.DuckDBPyConnection) -> int:
        progress.stage("link")
        report.links_added = linking.apply_links(c)
        return report.links_added

    progress.stage("write")
    report.summary = write_frames(
        con,
        prepared.spec.origin,
        prepared.incidents,
        prepared.claims,
        after_write=link_rows if link else None,
        on_commit=import_logger(editor, report.file, lambda s: _report_text(report, s)),
        before_write=undo.keep_before,
    )
    report.rows_imported = prepared.n_incidents
    prepared.close()
    return report


def _report_text(report: ImportReport, summary) -> str:
    """The report as it will read once the write is done (for the change log)."""
    report.summary = summary
    return report.as_text()
