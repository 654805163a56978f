"""Making a store ready to use: schema, reference data, and first-run data.

A new store gets the actors and agreements from ``data/``, the hand-coded seed
incidents, and the demonstration data set, so the first ``streamlit run`` has something
to show. The first-run fill happens once: removing the demo data later does not bring
it back (``schema_meta.first_run_done``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from . import demo, seed
from .actors import load_reference_actors
from .agreements import load_reference_agreements
from .store import connect, transaction


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load actors, aliases and agreements from data/; derived tables follow."""
    from . import derive

    with transaction(con):
        load_reference_actors(con)
        load_reference_agreements(con)
        derive.refresh(con)


def ensure_store(
    path: Path | str | None = None, *, with_demo: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the store, creating and filling it on first use."""
    con = connect(path)
    done = con.execute("SELECT value FROM schema_meta WHERE key = 'first_run_done'").fetchone()
    if done:
        return con
    load_reference(con)
    seed.load_seed(con)
    if with_demo:
        demo.load_demo(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    return con
