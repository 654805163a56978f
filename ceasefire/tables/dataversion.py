"""The store's data version: a short hash of its content, printed on every export.

Below both ``store`` (which re-exports these names) and ``derive`` (which records the
version at every write), so neither imports the other in a circle.

The hash of a table is ``count:xor:sum`` of its rows' hashes (``table_digest``), which
adds up: the digest of the incident and claim tables is kept per *bucket* of
``BUCKET`` incident ids (in ``schema_meta``, key ``data_digest``), and a small write
re-hashes only the buckets of the incidents it touched (``record_data_version(con,
incidents)``): a few thousand rows instead of every row of the two largest tables
(1.4 s at a million incidents, about 14 s at ten million). The result is the same
string a full hash gives (``compute_data_version``, which the tests compare with it
after every kind of write).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import duckdb

#: Incident ids per bucket of the stored digest (claims go in their incident's bucket).
BUCKET = 65536
#: Re-hash at most this many buckets one by one (each a range scan that skips the other
#: row groups); a write touching more buckets re-hashes both tables in one pass.
MAX_BUCKETS = 8
#: The tables the version covers, in the order they are hashed: the first two by bucket,
#: the others (a few hundred rows) whole at every write.
TABLES = ("incident", "claim", "actor", "actor_alias", "source", "agreement")
#: Hashed too where the store has them: the parties' own tallies (schema 7; a figure
#: shows them, so the version changes with them). A store of an older schema lacks them.
OPTIONAL_TABLES = ("tally",)
BY_INCIDENT = ("incident", "claim")
DIGEST_KEY = "data_digest"


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A short hash of the store's content, printed on every export.

    Two figures with the same data version were made from the same facts. Hashing ten
    million rows takes seconds, too slow for every filter change, so ``derive.refresh``
    (which every write runs, in the write's transaction) records the hash in
    ``schema_meta``; this reads it, and computes it only for a store that lacks it.
    """
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'data_version'").fetchone()
    return row[0] if row else compute_data_version(con)


def record_data_version(
    con: duckdb.DuckDBPyConnection, incidents: Iterable[int] | None = None
) -> str:
    """Compute the data version and store it in ``schema_meta`` (called by every write).

    ``incidents``: every incident whose incident or claim rows the write may have
    changed (deleted ones too); only their buckets are hashed again. None (or a store
    without a stored digest): every bucket."""
    digests = _stored_digests(con) if incidents is not None else None
    buckets = sorted({int(i) // BUCKET for i in incidents or ()})
    if digests is None or len(buckets) > MAX_BUCKETS:
        digests = {table: _bucket_digests(con, table) for table in BY_INCIDENT}
    else:
        for table in BY_INCIDENT:
            for bucket in buckets:
                digests[table].pop(bucket, None)
                digests[table].update(_bucket_digests(con, table, bucket))
    version = _version(con, digests)
    stored = {"bucket": BUCKET, **{t: {str(b): d for b, d in digests[t].items()} for t in digests}}
    con.execute(
        "INSERT OR REPLACE INTO schema_meta VALUES (?, ?), ('data_version', ?)",
        [DIGEST_KEY, json.dumps(stored, sort_keys=True), version],
    )
    return version


def compute_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The hash itself, from every row: the incident and claim tables (an
    order-independent aggregate of row hashes), actors, aliases, sources and agreements,
    so it changes with any edit that could change a figure (the parties' tallies too)."""
    parts = [f"{table}:{table_digest(con, _rows(con, table))}" for table in _tables(con)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]


def table_digest(con: duckdb.DuckDBPyConnection, rows: str) -> str:
    """``count:xor:sum`` of the row hashes of ``rows`` (a table name or a parenthesised
    query): the same rows give the same digest in any order. ``db.content_hash`` uses it
    too, so the two hashes cannot drift apart in how they read a table."""
    row = con.execute(f"SELECT {_AGGREGATE} FROM {rows} t").fetchone()
    return f"{row[0]}:{row[1]}:{row[2]}"


_AGGREGATE = "count(*), coalesce(bit_xor(hash(t)), 0), coalesce(sum(hash(t) % 1000003), 0)"


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """``TABLES`` and the optional tables this store has."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            f"current_database() AND table_name IN ({', '.join('?' for _ in OPTIONAL_TABLES)})",
            list(OPTIONAL_TABLES),
        ).fetchall()
    }
    return (*TABLES, *(t for t in OPTIONAL_TABLES if t in present))


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """What is hashed of ``table``: a claim's origin_key is bookkeeping (which override
    is whose), not a fact."""
    if (
        table == "claim"
        and con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'claim' "
            "AND column_name = 'origin_key' AND table_catalog = current_database()"
        ).fetchone()[0]
    ):
        return "(SELECT * EXCLUDE (origin_key) FROM claim)"
    return table


def _bucket_digests(
    con: duckdb.DuckDBPyConnection, table: str, bucket: int | None = None
) -> dict[int, list[int]]:
    """{bucket: [count, xor, sum]} of ``table``'s rows by incident id: every bucket, or
    one (a range of incident ids, so DuckDB reads only the row groups that hold it)."""
    where, params = "", []
    if bucket is not None:
        where, params = (
            "WHERE incident_id >= ? AND incident_id < ?",
            [
                bucket * BUCKET,
                (bucket + 1) * BUCKET,
            ],
        )
    rows = con.execute(
        f"SELECT incident_id // {BUCKET} AS b, {_AGGREGATE} FROM {_rows(con, table)} t "
        f"{where} GROUP BY b",
        params,
    ).fetchall()
    return {int(b): [int(n), int(x), int(s)] for b, n, x, s in rows}


def _stored_digests(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, list[int]]] | None:
    row = con.execute("SELECT value FROM schema_meta WHERE key = ?", [DIGEST_KEY]).fetchone()
    stored = json.loads(row[0]) if row else {}
    if stored.get("bucket") != BUCKET or any(t not in stored for t in BY_INCIDENT):
        return None
    return {t: {int(b): d for b, d in stored[t].items()} for t in BY_INCIDENT}


def _version(con: duckdb.DuckDBPyConnection, digests: dict[str, dict[int, list[int]]]) -> str:
    """The version from the two tables' bucket digests (combined as one table's digest
    would be: counts and sums add, hashes xor) and the small tables hashed whole."""
    parts = []
    for table in _tables(con):
        if table in digests:
            n = x = s = 0
            for dn, dx, ds in digests[table].values():
                n, x, s = n + dn, x ^ dx, s + ds
            parts.append(f"{table}:{n}:{x}:{s}")
        else:
            parts.append(f"{table}:{table_digest(con, _rows(con, table))}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]
