"""Writing incidents and their claims: the one path every writer takes.

The seed file, the demo generator and every importer map their input to two frames
(or to ``IncidentRecord`` objects, turned into those frames) and call
``write_frames()``. It

- upserts by ``(origin, origin_id)``: a row whose content hash is unchanged is left
  alone, a changed one is replaced under the same ``incident_id``, a new one added, so
  importing the same file twice changes nothing;
- resolves actor names through the alias table (unknown names become new actors
  flagged for review, never dropped) and source names to ``source`` rows;
- runs the caller's ``after_write`` step (an import's cross-dataset linking), then
  rebuilds the derived tables, once, and only if something changed;
- does all of it in one transaction, so a failure (or a kill) leaves the store as it
  was.

The work is SQL over TEMP copies of the two inputs (joins, one GROUP BY for the row
hashes, small lookup tables for actor and source names): a million-row import never
goes row by row through Python.

Frames
------
``incidents``: one row per incident with the columns of ``INCIDENT_COLUMNS``
(``origin_id`` unique within the frame; ``row_hash`` optional, computed if absent).

``claims``: one row per claim with ``origin_id`` (the incident's) and the columns of
``CLAIM_COLUMNS``; ``alleged_actor`` is a name as the source wrote it, ``role`` what the
source says it did (``perpetrator``, the default when blank, or ``party``; see
``taxonomy.CLAIM_ROLES``), ``attribution_basis`` ``stated`` (default) or ``inferred`` with
the rule's name in ``attribution_rule``, ``killed_best`` a best estimate or blank; ``source_name``
(with optional ``source_kind``, ``source_affiliation``, ``source_url``) names the
outlet, or is empty when the claim is the origin dataset's own coding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

import duckdb
import pandas as pd

from . import progress
from .actors import ActorResolver
from .overrides import reapply_overrides
from .tables import derive
from .tables.db import next_ids, transaction
from .taxonomy import CASUALTY_FIELDS
from .text import plural

INCIDENT_COLUMNS = [
    "origin_id",
    "occurred_on",
    "date_precision",
    "place_name",
    "governorate",
    "governorate_pcode",
    "district",
    "district_pcode",
    "latitude",
    "longitude",
    "location_precision",
    "weapon",
    "target_type",
    "description",
    "verification",
    "is_demo",
]
CLAIM_COLUMNS = [
    "origin_id",
    "source_name",
    "alleged_actor",
    *CASUALTY_FIELDS,
    "quote",
    "published_on",
    "role",
    "attribution_basis",
    "attribution_rule",
    "killed_best",
]
SOURCE_COLUMNS = ["source_kind", "source_affiliation", "source_url"]
#: a claim in its source's words (schema 5): the qualifier before each figure and the
#: claim's own link. Hashed only where given, so rows without them keep their hash.
WORD_COLUMNS = ["killed_qualifier", "wounded_qualifier", "civilians_killed_qualifier", "url"]


@dataclass
class ClaimRecord:
    """What one source says about one incident. None means "the source does not say"."""

    source_name: str | None = None
    alleged_actor: str | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    wounded_min: int | None = None
    wounded_max: int | None = None
    civilians_killed_min: int | None = None
    civilians_killed_max: int | None = None
    quote: str | None = None
    published_on: date | None = None
    source_kind: str = "media"
    source_affiliation: str = "unknown"
    source_url: str | None = None
    #: what the source says the actor did: "perpetrator" (carried out the act) or
    #: "party" (took part in fighting whose initiator the source does not state)
    role: str = "perpetrator"
    #: "stated" by the source, or "inferred" by the tracker by ``attribution_rule``
    attribution_basis: str = "stated"
    attribution_rule: str | None = None
    #: the source's best estimate of the killed, where it gives one (UCDP ``best``)
    killed_best: int | None = None
    #: the word the source put before each figure ("more than", "up to", ...)
    killed_qualifier: str | None = None
    wounded_qualifier: str | None = None
    civilians_killed_qualifier: str | None = None
    #: a link to this claim's own report (the source's home page is ``source_url``)
    url: str | None = None


@dataclass
class IncidentRecord:
    origin_id: str
    occurred_on: date
    weapon: str
    target_type: str = "unknown"
    date_precision: str = "day"
    place_name: str | None = None
    governorate: str | None = None
    governorate_pcode: str | None = None
    district: str | None = None
    district_pcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "unknown"
    description: str | None = None
    verification: str = "reported"
    is_demo: bool = False
    claims: list[ClaimRecord] = field(default_factory=list)


@dataclass
class WriteSummary:
    """What a write did; ``removed_from_source`` lists origin ids the store has but the
    input lacks (they are kept, and reported, so nothing disappears silently)."""

    origin: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed_from_source: list[str] = field(default_factory=list)
    claims_written: int = 0
    new_actors: list[str] = field(default_factory=list)
    #: editors' overrides re-applied to rewritten rows, and the fields where this input
    #: changed a value an editor had overridden (the override is kept; see ceasefire/editing)
    overrides_kept: int = 0
    conflicts: list[str] = field(default_factory=list)

    def as_lines(self) -> list[str]:
        """What the write did, one fact per line, counts in agreement with their nouns."""
        lines = [
            f"{plural(self.added, 'incident')} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged.",
        ]
        if self.removed_from_source:
            n = len(self.removed_from_source)
            lines.append(
                f"{plural(n, 'incident')} in the store {'is' if n == 1 else 'are'} not in "
                "this file (kept, not deleted)."
            )
        lines.append(f"{plural(self.claims_written, 'claim')} written.")
        if self.new_actors:
            lines.append(
                f"{plural(len(self.new_actors), 'new actor')} flagged for review: "
                + ", ".join(self.new_actors)
                + "."
            )
        if self.overrides_kept:
            lines.append(f"{plural(self.overrides_kept, 'editor override')} kept.")
        if self.conflicts:
            lines.append(
                f"CONFLICTS ({len(self.conflicts):,}): the file changed a value an editor "
                "overrode; the editor's value is kept until an editor decides:"
            )
            lines.extend(f"  {c}" for c in self.conflicts)
        return lines

    def as_text(self) -> str:
        return f"{self.origin}: " + "\n".join(self.as_lines())


def records_to_frames(records: list[IncidentRecord]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn records into the two frames ``write_frames`` takes."""
    incident_rows, claim_rows = [], []
    for record in records:
        row = asdict(record)
        claims = row.pop("claims")
        incident_rows.append(row)
        for claim in claims:
            claim_rows.append({"origin_id": record.origin_id, **claim})
    incidents = pd.DataFrame(incident_rows, columns=INCIDENT_COLUMNS)
    claims = pd.DataFrame(claim_rows, columns=CLAIM_COLUMNS + SOURCE_COLUMNS + WORD_COLUMNS)
    return incidents, claims


Frame = pd.DataFrame | duckdb.DuckDBPyRelation

#: TEMP tables a write works in (per connection; created and dropped inside its transaction)
_INC, _CL, _DIFF, _WRITE, _CLW, _ACTORS = (
    "_wf_inc",
    "_wf_cl",
    "_wf_diff",
    "_wf_write",
    "_wf_clw",
    "_wf_actors",
)


def _materialise(
    con: duckdb.DuckDBPyConnection, frame: Frame, columns: list[str], table: str
) -> None:
    """Copy an input into a TEMP table of ``columns``, in input order.

    Why a copy: every later step is a SQL join over it (no pandas merges), it is
    scanned several times, and its ``rowid`` is then the input order, which fixes the
    order in which new incident and claim ids are handed out. Columns the input lacks
    are NULL (claims may omit the source columns)."""
    have = set(frame.columns)
    select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in columns)
    view = f"{table}_src"
    con.register(view, frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select} FROM {view}")
    finally:
        con.unregister(view)


#: the store's types for the hashed columns: a row hashes by its values, whatever
#: dtypes the input frame had (int or float figures, date or timestamp)
_TYPES = {
    "occurred_on": "DATE",
    "published_on": "DATE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "is_demo": "BOOLEAN",
    **{c: "INTEGER" for c in CLAIM_COLUMNS if c.endswith(("_min", "_max", "_best"))},
}
#: prefix of the stored hash: says which rule made it (see ``_diff``)
HASH_RULE = "h2:"


def _struct(columns: list[str], alias: str) -> str:
    """``struct_pack`` of a row's columns, cast to the store's types: what a hash covers."""
    fields = (f'"{c}" := CAST({alias}."{c}" AS {_TYPES.get(c, "VARCHAR")})' for c in columns)
    return "struct_pack(" + ", ".join(fields) + ")"


def _words_hash(alias: str) -> str:
    """The hash of a claim's ``WORD_COLUMNS``, 0 when none is given: rows written
    before schema 5 (and every importer's rows) keep the hash they had."""
    given = " OR ".join(f'{alias}."{c}" IS NOT NULL' for c in WORD_COLUMNS)
    return f"(CASE WHEN {given} THEN hash({_struct(WORD_COLUMNS, alias)})::HUGEINT ELSE 0 END)"


def _diff(con: duckdb.DuckDBPyConnection, origin: str, hashed: bool) -> None:
    """Classify every input row as new, changed or same (``_wf_diff``).

    The content hash covers the incident's fields and all its claims, whatever their
    order: DuckDB's ``hash`` of the incident row, the sum of its claims' row hashes
    and their count, computed with one GROUP BY join. ``hash`` is not an md5 of the
    rows' text (an earlier rule, 20x slower at a million rows): a store written
    before, or by another DuckDB version, sees its rows once as updated on the next
    re-import (same incident ids, links kept), then unchanged again."""
    own_hash = (
        "i.row_hash"
        if hashed
        else f"""'{HASH_RULE}' || CAST(hash({_struct(INCIDENT_COLUMNS, "i")},
                 coalesce(ch.s, 0), coalesce(ch.n, 0)) AS VARCHAR)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_DIFF} AS
        WITH ch AS (
            SELECT c.origin_id,
                   sum(hash({_struct(CLAIM_COLUMNS + SOURCE_COLUMNS, "c")})::HUGEINT
                       + {_words_hash("c")}) AS s,
                   count(*) AS n
            FROM {_CL} c GROUP BY c.origin_id
        ),
        h AS (
            SELECT i.rowid AS k, i.origin_id, i.is_demo, {own_hash} AS row_hash
            FROM {_INC} i LEFT JOIN ch ON ch.origin_id = i.origin_id
        ),
        e AS (SELECT origin_id, incident_id, row_hash, linked_to FROM incident WHERE origin = ?)
        SELECT h.k, h.origin_id, h.is_demo, h.row_hash, e.incident_id AS old_id,
               e.linked_to AS old_link,
               CASE WHEN e.incident_id IS NULL THEN 'new'
                    WHEN e.row_hash = h.row_hash THEN 'same' ELSE 'changed' END AS status
        FROM h LEFT JOIN e ON e.origin_id = h.origin_id""",
        [origin],
    )


def _summarise(con: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
    """Counts per status, and the origin ids the store has but the input lacks."""
    counts = dict(con.execute(f"SELECT status, count(*) FROM {_DIFF} GROUP BY status").fetchall())
    summary.added = counts.get("new", 0)
    summary.updated = counts.get("changed", 0)
    summary.unchanged = counts.get("same", 0)
    summary.removed_from_source = [
        r[0]
        for r in con.execute(
            f"""SELECT origin_id FROM incident WHERE origin = ?
                AND origin_id NOT IN (SELECT origin_id FROM {_INC} WHERE origin_id IS NOT NULL)
                ORDER BY origin_id""",
            [summary.origin],
        ).fetchall()
    ]


def _fresh_ids(sequence: str) -> str:
    """SQL for ``count`` (the parameter) new ids of a sequence, numbered ``r`` 1..count in
    ascending id order, so ids follow input order as they always have."""
    return (
        f"SELECT row_number() OVER (ORDER BY id) AS r, id "
        f"FROM (SELECT nextval('{sequence}') AS id FROM range(?))"
    )


def _write_incidents(con: duckdb.DuckDBPyConnection, origin: str, n_new: int) -> None:
    """Replace changed incidents (same id, their link kept) and add new ones."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_WRITE} AS
        WITH d AS (
            SELECT *, CASE WHEN status = 'new'
                           THEN row_number() OVER (PARTITION BY status ORDER BY k) END AS r
            FROM {_DIFF} WHERE status <> 'same'
        ), fresh AS ({_fresh_ids("incident_id_seq")})
        SELECT d.k, d.origin_id, d.is_demo, coalesce(d.old_id, fresh.id) AS incident_id,
               d.old_link AS linked_to, d.row_hash
        FROM d LEFT JOIN fresh ON fresh.r = d.r""",
        [n_new],
    )
    changed = f"SELECT old_id FROM {_DIFF} WHERE status = 'changed'"
    # claims an editor added to an incident stay; the origin's own claims are rewritten
    con.execute(
        f"DELETE FROM claim WHERE incident_id IN ({changed}) "
        "AND claim_id NOT IN (SELECT claim_id FROM editor_claim)"
    )
    con.execute(f"DELETE FROM incident WHERE incident_id IN ({changed})")
    con.execute(
        f"""INSERT INTO incident BY NAME
        SELECT w.incident_id, CAST(i.occurred_on AS DATE) AS occurred_on, i.date_precision,
               i.place_name, i.governorate, i.governorate_pcode, i.district, i.district_pcode,
               i.latitude, i.longitude, i.location_precision, i.weapon, i.target_type,
               i.description, ? AS origin, i.origin_id, i.verification, i.is_demo,
               CAST(w.linked_to AS BIGINT) AS linked_to, w.row_hash
        FROM {_WRITE} w JOIN {_INC} i ON i.rowid = w.k""",
        [origin],
    )


def _actor_lookup(con: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
    """``_wf_actors`` (name, actor_id) for the alleged actors of the claims to write.

    Names go through ``ActorResolver`` (the alias rules live in Python) once per
    distinct name, in order of first appearance (which fixes new actors' ids); the
    claims then get their ids by a join, not a per-row Python map."""
    resolver = ActorResolver(con)
    names = [
        r[0]
        for r in con.execute(
            f"SELECT alleged_actor FROM {_CLW} WHERE alleged_actor IS NOT NULL "
            "GROUP BY alleged_actor ORDER BY min(ck)"
        ).fetchall()
    ]
    lookup = pd.DataFrame(
        {
            "name": pd.Series(names, dtype=object),
            "actor_id": pd.Series([resolver.resolve(n) for n in names], dtype="Int64"),
        }
    )
    con.register("_wf_actors_src", lookup)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ACTORS} AS SELECT * FROM _wf_actors_src")
    con.unregister("_wf_actors_src")
    summary.new_actors = resolver.created


def _add_sources(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``source`` rows for outlet names the store lacks, described by their first
    claim (kind "media", affiliation "unknown" when blank); one batched insert."""
    wanted = con.execute(
        f"""SELECT source_name, source_kind, source_affiliation, source_url FROM {_CLW}
            WHERE source_name IS NOT NULL AND source_name NOT IN (SELECT name FROM source)
            QUALIFY row_number() OVER (PARTITION BY source_name ORDER BY ck) = 1
            ORDER BY ck"""
    ).df()
    if wanted.empty:
        return
    new = pd.DataFrame(
        {
            "source_id": next_ids(con, "source_id_seq", len(wanted)),
            "name": wanted["source_name"].tolist(),
            "kind": wanted["source_kind"].fillna("media").replace("", "media").tolist(),
            "affiliation": wanted["source_affiliation"]
            .fillna("unknown")
            .replace("", "unknown")
            .tolist(),
            "url": [u if isinstance(u, str) and u else None for u in wanted["source_url"]],
        }
    )
    con.register("_new_sources", new)
    con.execute(
        "INSERT INTO source BY NAME SELECT source_id, name, kind, affiliation, url FROM _new_sources"
    )
    con.unregister("_new_sources")


def _key_part(column: str) -> str:
    return f"regexp_replace(lower(trim(coalesce(c.{column}, ''))), '\\s+', ' ', 'g')"


#: a claim's identity among its incident's claims: source | actor as written | role;
#: ``#n`` is appended for the n-th claim with the same identity (``claim.origin_key``)
_IDENTITY = (
    f"{_key_part('source_name')} || '|' || {_key_part('alleged_actor')} || '|' || "
    "coalesce(nullif(trim(c.role), ''), 'perpetrator')"
)


def _write_claims(con: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
    """Insert the claims of every written incident, with actor, source and claim ids
    from joins (claim ids follow the input's claim order).

    ``_wf_clw`` is narrow (ids and names only): the numbering sort and the lookups
    never drag the long quote texts along; those join back by ``rowid`` at insert."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_CLW} AS
        WITH k AS (
            SELECT c.rowid AS ck, row_number() OVER (ORDER BY c.rowid) AS r, w.incident_id,
                   w.is_demo, c.alleged_actor, c.source_name, c.source_kind,
                   c.source_affiliation, c.source_url, {_IDENTITY} AS identity
            FROM {_CL} c JOIN {_WRITE} w ON w.origin_id = c.origin_id)
        SELECT * EXCLUDE (identity), identity || '#' || (row_number() OVER
               (PARTITION BY incident_id, identity ORDER BY ck) - 1) AS origin_key
        FROM k"""
    )
    n = con.execute(f"SELECT count(*) FROM {_CLW}").fetchone()[0]
    summary.claims_written = n
    if not n:
        return
    _actor_lookup(con, summary)
    _add_sources(con)
    con.execute(
        f"""INSERT INTO claim BY NAME
        WITH fresh AS ({_fresh_ids("claim_id_seq")})
        SELECT fresh.id AS claim_id, w.incident_id, s.source_id, a.actor_id AS alleged_actor_id,
               c.killed_min, c.killed_max, c.wounded_min, c.wounded_max,
               c.civilians_killed_min, c.civilians_killed_max, c.quote,
               CAST(c.published_on AS DATE) AS published_on, w.is_demo,
               coalesce(nullif(trim(c.role), ''), 'perpetrator') AS role,
               coalesce(nullif(trim(c.attribution_basis), ''), 'stated') AS attribution_basis,
               nullif(trim(c.attribution_rule), '') AS attribution_rule,
               CAST(c.killed_best AS INTEGER) AS killed_best,
               nullif(trim(c.killed_qualifier), '') AS killed_qualifier,
               nullif(trim(c.wounded_qualifier), '') AS wounded_qualifier,
               nullif(trim(c.civilians_killed_qualifier), '') AS civilians_killed_qualifier,
               nullif(trim(c.url), '') AS url,
               w.origin_key
        FROM {_CLW} w JOIN {_CL} c ON c.rowid = w.ck JOIN fresh ON fresh.r = w.r
        LEFT JOIN source s ON s.name = w.source_name
        LEFT JOIN {_ACTORS} a ON a.name = w.alleged_actor""",
        [n],
    )


def _check_unique(con: duckdb.DuckDBPyConnection, origin: str) -> None:
    """Two input rows with one origin id would make one incident twice: refuse."""
    dupes = con.execute(
        f"""SELECT origin_id FROM (
                SELECT rowid AS k, origin_id,
                       row_number() OVER (PARTITION BY origin_id ORDER BY rowid) AS n FROM {_INC})
            WHERE n > 1 ORDER BY k LIMIT 5"""
    ).fetchall()
    if dupes:
        raise ValueError(f"{origin}: origin ids repeat within the input: {[d[0] for d in dupes]}")


#: above this many written incidents a write rebuilds every derived row (in date order,
#: which date filters rely on to skip row groups) instead of only the written ones'
INCREMENTAL_MAX = 1000


def write_frames(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    incidents: Frame,
    claims: Frame,
    *,
    refresh_derived: bool = True,
    after_write: Callable[[duckdb.DuckDBPyConnection], int] | None = None,
    on_commit: Callable[[duckdb.DuckDBPyConnection, WriteSummary], None] | None = None,
    before_write: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> WriteSummary:
    """Upsert one origin's incidents and claims in one transaction (see module doc).

    ``incidents`` and ``claims`` are pandas frames or DuckDB relations (an importer's
    staged TEMP tables: no round trip through pandas). All the work is SQL over TEMP
    copies of them; when every row hash is unchanged nothing is written.
    ``after_write(con)`` (the importers' cross-dataset linking) runs inside the same
    transaction, so an import is one atomic unit; it returns how many rows it changed.
    The derived tables are rebuilt once, and only if something changed (a small write
    rebuilds only the written incidents' rows, see ``INCREMENTAL_MAX``).

    Rows an editor corrected keep the corrections: a rewritten incident gets its
    overrides back (``overrides.reapply_overrides``), and a changed value under an
    override is reported in ``summary.conflicts``. ``on_commit(con, summary)`` runs last
    inside the transaction (the change log's entry for this write); ``before_write(con)``
    runs in it just before the first row changes, and only if one will (an import keeps
    the store's before-state there, ``editing.undo``)."""
    missing = [c for c in INCIDENT_COLUMNS if c not in incidents.columns]
    if missing:
        raise KeyError(f"{origin}: incident columns missing from the input: {missing}")
    summary = WriteSummary(origin)
    hashed = "row_hash" in incidents.columns
    with transaction(con):
        _materialise(con, incidents, INCIDENT_COLUMNS + (["row_hash"] if hashed else []), _INC)
        _check_unique(con, origin)
        _materialise(con, claims, CLAIM_COLUMNS + SOURCE_COLUMNS + WORD_COLUMNS, _CL)
        _diff(con, origin, hashed)
        _summarise(con, summary)
        if summary.added or summary.updated:
            if before_write is not None:
                before_write(con)
            _write_incidents(con, origin, summary.added)
            _write_claims(con, summary)
            if summary.updated:
                reapply_overrides(con, origin, _DIFF, summary)
        changed = after_write(con) if after_write is not None else 0
        if on_commit is not None:
            on_commit(con, summary)
        if refresh_derived and (summary.added or summary.updated or changed):
            progress.stage("derive")
            if changed or summary.added + summary.updated > INCREMENTAL_MAX:
                derive.refresh(con)  # links changed, or a large import: all rows, date order
            else:  # a small write: only the written incidents' rows (links are kept)
                written = con.execute(f"SELECT incident_id FROM {_WRITE}").fetchall()
                derive.refresh(con, [r[0] for r in written])
        for table in (_INC, _CL, _DIFF, _WRITE, _CLW, _ACTORS):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return summary


def write_records(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    records: list[IncidentRecord],
    *,
    on_commit: Callable[[duckdb.DuckDBPyConnection, WriteSummary], None] | None = None,
) -> WriteSummary:
    """``write_frames`` for a list of records (seed file, manual entry, small imports)."""
    incidents, claims = records_to_frames(records)
    return write_frames(con, origin, incidents, claims, on_commit=on_commit)


def delete_origin(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    *,
    on_commit: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None,
    before_write: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> int:
    """Remove every incident (and its claims) of one origin; returns incidents removed.
    ``on_commit(con, n)`` runs inside the transaction (the change log's entry);
    ``before_write(con)`` first, inside it (the demo removal keeps its before-state)."""
    with transaction(con):
        if before_write is not None:
            before_write(con)
        n = con.execute("SELECT count(*) FROM incident WHERE origin = ?", [origin]).fetchone()[0]
        con.execute(
            "DELETE FROM claim WHERE incident_id IN (SELECT incident_id FROM incident WHERE origin = ?)",
            [origin],
        )
        # incidents of other origins linked to these become canonical again
        con.execute(
            "UPDATE incident SET linked_to = NULL WHERE linked_to IN "
            "(SELECT incident_id FROM incident WHERE origin = ?)",
            [origin],
        )
        con.execute("DELETE FROM incident WHERE origin = ?", [origin])
        if on_commit is not None:
            on_commit(con, n)
        derive.refresh(con)
    return n
