"""The store's data version: a short hash of its content, printed on every export.

Below both ``store`` (which re-exports these names) and ``derive`` (which records the
version at every write), so neither imports the other in a circle.
"""

from __future__ import annotations

import hashlib

import duckdb


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A short hash of the store's content, printed on every export.

    Two figures with the same data version were made from the same facts. Hashing ten
    million rows takes seconds, too slow for every filter change, so ``derive.refresh``
    (which every write runs, in the write's transaction) records the hash in
    ``schema_meta``; this reads it, and computes it only for a store that lacks it.
    """
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'data_version'").fetchone()
    return row[0] if row else compute_data_version(con)


def record_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Compute the data version and store it in ``schema_meta`` (called by every write)."""
    version = compute_data_version(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('data_version', ?)", [version])
    return version


def compute_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The hash itself: the incident and claim tables (an order-independent aggregate of
    row hashes), actors, aliases, sources and agreements, so it changes with any edit
    that could change a figure."""
    parts = []
    for table in ("incident", "claim", "actor", "actor_alias", "source", "agreement"):
        # a claim's origin_key is bookkeeping (which override is whose), not a fact
        rows = table
        if (
            table == "claim"
            and con.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'claim' "
                "AND column_name = 'origin_key' AND table_catalog = current_database()"
            ).fetchone()[0]
        ):
            rows = "(SELECT * EXCLUDE (origin_key) FROM claim)"
        parts.append(f"{table}:{table_digest(con, rows)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]


def table_digest(con: duckdb.DuckDBPyConnection, rows: str) -> str:
    """``count:xor:sum`` of the row hashes of ``rows`` (a table name or a parenthesised
    query): the same rows give the same digest in any order. ``db.content_hash`` uses it
    too, so the two hashes cannot drift apart in how they read a table."""
    row = con.execute(
        f"SELECT count(*), coalesce(bit_xor(hash(t)), 0), coalesce(sum(hash(t) % 1000003), 0) "
        f"FROM {rows} t"
    ).fetchone()
    return f"{row[0]}:{row[1]}:{row[2]}"
