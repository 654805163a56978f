"""Making a store ready to use: schema, reference data, and first-run data.

A new store gets the actors and agreements from ``data/``, the hand-coded seed
incidents, and the demonstration data set, so the first ``streamlit run`` has something
to show. The first-run fill happens once: removing the demo data later does not bring
it back (``schema_meta.first_run_done``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .. import demo, seed
from ..actors import load_reference_actors
from ..agreements import load_reference_agreements
from ..tables.db import connect, transaction
from ..tallies.reference import load_reference_tallies
from ..tallies.reference import loaded as reference_tallies_loaded


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load actors, aliases and agreements from data/, and the parties' reference
    tallies (``tallies.reference``: never incidents); derived tables follow."""
    from ..tables import derive

    with transaction(con):
        load_reference_actors(con)
        load_reference_agreements(con)
        load_reference_tallies(con)
        derive.refresh(con)


def fill_new_store(con: duckdb.DuckDBPyConnection, *, with_demo: bool = True) -> None:
    """Give a new store its reference data, seed and (``with_demo``) demo data; once."""
    done = con.execute("SELECT value FROM schema_meta WHERE key = 'first_run_done'").fetchall()
    if done:
        if not reference_tallies_loaded(con):  # a store made before tallies existed
            with transaction(con):
                load_reference_tallies(con)
        return
    load_reference(con)
    seed.load_seed(con)
    if with_demo:
        demo.load_demo(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")


def ensure_store(
    path: Path | str | None = None, *, with_demo: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the working file directly (exclusively), creating and filling it on first use.
    Processes that share a store use ``store.writer()`` / ``store.reader()`` instead."""
    con = connect(path)
    fill_new_store(con, with_demo=with_demo)
    return con
