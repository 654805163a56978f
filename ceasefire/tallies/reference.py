"""The reference set: real bulletins' tallies compiled from public reports
(``data/tallies/reference.csv``, sources in ``data/tallies/SOURCES.md``), loaded into
every store as reference data, never as incidents.

Each row is one tally (``model.FIELDS``) with ``ref_id``, its stable key. Loading
(``load_reference_tallies``; run by ``init`` and ``reload-reference``, and once by the
first write of a store made before tallies existed) adds the rows a store lacks and
updates the ones the file changed, but never a row an editor has changed or deleted
(its change-log entries stand). It writes only the ``tally`` table and the reporters
it needs in the source registry: no incident, claim or derived table.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from ..editing.tallies import COLUMNS, stored_row
from ..tables.dataversion import record_data_version
from ..tables.db import PROJECT_ROOT
from .model import clean_tally

REFERENCE_CSV = PROJECT_ROOT / "data" / "tallies" / "reference.csv"
ORIGIN = "reference"
MARK = "reference_tallies_loaded"


def read_reference(path=REFERENCE_CSV) -> list[tuple[str, dict]]:
    """The file's rows as (ref_id, cleaned tally); a bad row is a ValueError naming its
    line and field (the file is data the tests read too). Read once per process and
    file version (every new store loads it)."""
    stat = Path(path).stat()
    return [(ref_id, dict(row)) for ref_id, row in _read(str(path), stat.st_mtime_ns, stat.st_size)]


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, dict], ...]:
    out = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            ref_id = (row.pop("ref_id", "") or "").strip()
            cleaned, errors = clean_tally(row)
            if not ref_id:
                errors["ref_id"] = "required"
            if errors:
                detail = "; ".join(f"column {k}: {v}" for k, v in errors.items())
                raise ValueError(f"{path}, line {line}: {detail}")
            out.append((ref_id, cleaned))
    return tuple(out)


def load_reference_tallies(con: duckdb.DuckDBPyConnection, path=REFERENCE_CSV) -> dict:
    """Bring the store's reference tallies in line with the file (inside the caller's
    transaction; a few set-wise statements, not one per row). Returns {"added": n,
    "updated": n, "kept": n (rows an editor changed or deleted, left as they are)}, and
    ``violators_not_in_store`` when a row's violator is no actor of the store (such a
    row's violator is left unspecified rather than the load refused)."""
    rows = read_reference(path)
    skip = {
        r[0]
        for r in con.execute(
            """SELECT t.origin_id FROM tally t JOIN change_log c
                   ON c.entity = 'tally' AND c.entity_id = CAST(t.tally_id AS VARCHAR)
               WHERE t.origin = ?
               UNION
               SELECT json_extract_string(old, '$.origin_id') FROM change_log
               WHERE entity = 'tally' AND new IS NULL
                 AND json_extract_string(old, '$.origin') = ?""",
            [ORIGIN, ORIGIN],
        ).fetchall()
    }
    names: dict[tuple[str, str], dict] = {}
    unknown: set[str] = set()
    records = []
    for ref_id, cleaned in rows:
        errors: dict = {}
        key = (cleaned["reporter"], cleaned.get("violator_actor") or "")
        if key not in names:  # each reporter and violator resolved once
            names[key] = stored_row(con, cleaned, errors, None)
            if set(errors) - {"violator"}:
                raise ValueError(f"{path}, {ref_id}: {errors}")
        if names[key]["violator_actor_id"] is None and cleaned.get("violator_actor"):
            unknown.add(cleaned["violator_actor"])  # merged away by an editor? unspecified
        resolved = names[key]
        record = {c: cleaned.get(c) for c in COLUMNS if c in cleaned}
        record.update(
            reporter_id=resolved["reporter_id"],
            violator_actor_id=resolved["violator_actor_id"],
            violator_side=cleaned.get("violator_side"),
            origin=ORIGIN,
            origin_id=ref_id,
        )
        records.append(record)
    columns = [c for c in COLUMNS if c != "tally_id"]
    frame = pd.DataFrame([r for r in records if r["origin_id"] not in skip], columns=columns)  # noqa: F841 (DuckDB reads it by name below)
    typed = ", ".join(f"CAST(r.{c} AS {_TYPES.get(c, 'VARCHAR')}) AS {c}" for c in columns)
    # the staged rows, read from the frame in one scan (a statement per row is slower)
    con.execute(f"CREATE OR REPLACE TEMP TABLE reference_tally AS SELECT {typed} FROM frame r")
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM r.{c}" for c in columns)
    updated = con.execute(
        f"""SELECT count(*) FROM tally t JOIN reference_tally r USING (origin_id)
            WHERE t.origin = ? AND ({differs})""",
        [ORIGIN],
    ).fetchone()[0]
    if updated:
        sets = ", ".join(f"{c} = r.{c}" for c in columns if c not in ("origin", "origin_id"))
        con.execute(
            f"""UPDATE tally t SET {sets} FROM reference_tally r
                WHERE t.origin = ? AND t.origin_id = r.origin_id AND ({differs})""",
            [ORIGIN],
        )
    added = con.execute(
        f"""INSERT INTO tally (tally_id, {", ".join(columns)})
            SELECT nextval('tally_id_seq'), {", ".join(f"r.{c}" for c in columns)}
            FROM reference_tally r
            WHERE r.origin_id NOT IN (SELECT origin_id FROM tally WHERE origin = ?)
            ORDER BY r.published_on, r.origin_id""",
        [ORIGIN],
    ).fetchone()[0]
    con.execute("DROP TABLE reference_tally")
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES (?, 'true')", [MARK])
    if added or updated:
        record_data_version(con, ())  # no incident touched: the small tables only
    out = {"added": added, "updated": updated, "kept": len(skip)}
    if unknown:  # said, not raised: a store whose actors an editor merged still loads
        out["violators_not_in_store"] = sorted(unknown)
    return out


#: Column types of ``tally`` that are not VARCHAR (for the staged rows).
_TYPES = {
    "reporter_id": "INTEGER",
    "violator_actor_id": "INTEGER",
    "count": "INTEGER",
    "period_start": "DATE",
    "period_end": "DATE",
    "published_on": "DATE",
}


def loaded(con: duckdb.DuckDBPyConnection) -> bool:
    """Has this store had the reference set (once; an editor may delete rows since)?"""
    return bool(con.execute("SELECT count(*) FROM schema_meta WHERE key = ?", [MARK]).fetchone()[0])
