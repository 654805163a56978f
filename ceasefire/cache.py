"""The app's connections and caches: the one core module that imports Streamlit.

The app reads the store's newest read-only snapshot (``store.current_snapshot``), so
any number of app processes, the command line and a writer can use one store at once.
Every call of ``get_connection()`` asks which snapshot is newest (a small file read
and two ``stat`` calls) and hands out a cursor on a connection to it, opened once per
snapshot (``st.cache_resource``; DuckDB makes cursors safe across Streamlit's script
threads). A write by this app, another app process or the CLI publishes a new snapshot
with a new data version; the next run of any page reads it, no restart needed. Query
results are cached per filter state and snapshot (``st.cache_data``), so a cached
figure is never served for another data version.

The pages' one way to a query: ``cached_*`` (the Overview, the filter options, the
Incidents table) or ``cached_read(query, *args)`` for any other function of ``queries``.
Pages call no query on a connection themselves (tests/test_architecture.py), so every
read a page makes is keyed by its snapshot and a widget's rerun does not repeat it. The
core's higher functions that take a connection (figures' views, ``editing.history``, the
tallies' reads) get it from ``get_connection()``.

The app writes (import, demo removal) through ``store.writer()`` (see ``writer()``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import contextmanager

import duckdb
import streamlit as st

from . import queries, store
from .analysis import overview
from .filters import Filter
from .store import db_path

#: DuckDB's memory cap in the app when ``$CEASEFIRE_MEMORY_LIMIT`` is not set. DuckDB's
#: own default (80 % of RAM) let the app pass 1 GB at ten million incidents (1175 MB
#: peak); capped, DuckDB spills to disk instead. 600MB keeps the app's peak under 1 GB
#: there (see bench/README.md) and is far above what stores of <= 1M incidents need.
APP_MEMORY_LIMIT = "600MB"


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(snapshot_file: str) -> duckdb.DuckDBPyConnection:
    """The app's connection to one snapshot; ``APP_MEMORY_LIMIT`` unless the variable
    sets one (the CLI's reads keep DuckDB's default: they run alone, not next to a
    server; its imports are capped as the app's writer is, ``cli.importing``). Two
    are kept: the newest and the one before, which a running script may still use."""
    con = duckdb.connect(snapshot_file, read_only=True, config=store.duckdb_config())
    if not os.environ.get("CEASEFIRE_MEMORY_LIMIT"):
        con.execute("SET memory_limit = ?", [APP_MEMORY_LIMIT])
    return con


def current_snapshot() -> store.Snapshot:
    """The newest snapshot of the app's store; the first run creates (or migrates) the
    store, behind a spinner."""
    path = db_path()
    snap = store.read_pointer(path)
    if snap is not None and snap.schema_version == store.SCHEMA_VERSION:
        return store.current_snapshot(path)
    with st.spinner(
        "Opening the store. A new store is created with the seed and demo data; one written "
        "by an older version is migrated once (about 10 s per million incidents)."
    ):
        return store.current_snapshot(path)


def get_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the newest snapshot of the app's store ($CEASEFIRE_DB or the default)."""
    for _ in range(3):
        snap = current_snapshot()
        try:
            return _connection(str(snap.file)).cursor()
        except duckdb.IOException:
            if snap.file.exists():
                raise  # else: pruned after we read the pointer; read it again
    return _connection(str(current_snapshot().file)).cursor()


@contextmanager
def writer(on_wait: Callable[[str], None] | None = None, editor: str | None = None):
    """Write from the app: ``with writer() as con:`` waits for another writer (saying so
    through ``on_wait``, by default an ``st.info``), then publishes a new snapshot and
    clears the query caches when the block ends."""
    try:
        with store.writer(db_path(), editor=editor, on_wait=on_wait or st.info) as con:
            if not os.environ.get("CEASEFIRE_MEMORY_LIMIT"):  # an import's memory stays capped
                con.execute("SET memory_limit = ?", [APP_MEMORY_LIMIT])
            yield con
    finally:
        clear_query_caches()


def _store_state() -> dict[str, str]:
    """Which store, in which state: part of every cache key, so a cached figure is never
    served for another store or another snapshot (read from the snapshot pointer)."""
    snap = current_snapshot()
    return {"store": str(db_path()), "version": snap.data_version, "snapshot": snap.name}


def _key(f: Filter, **extra) -> str:
    return json.dumps(
        {**f.to_query_params(), **extra, **_store_state()}, sort_keys=True, default=str
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _overview(key: str, _f: Filter, by: str) -> overview.Overview:
    return overview.compute_overview(get_connection(), _f, by)


def cached_overview(f: Filter, by: str) -> overview.Overview:
    return _overview(_key(f, by=by), f, by)


@st.cache_data(show_spinner=False, max_entries=64)
def _options(state: str) -> queries.FilterOptions:
    return queries.filter_options(get_connection())


def cached_filter_options() -> queries.FilterOptions:
    return _options(json.dumps(_store_state(), sort_keys=True))


@st.cache_data(show_spinner=False, max_entries=64)
def _district_counts(key: str, _f: Filter):
    return queries.district_counts(get_connection(), _f)


def cached_district_counts(f: Filter):
    """Incidents per district (the Overview's second map view), per filter state."""
    return _district_counts(_key(f, view="district_counts"), f)


@st.cache_data(show_spinner=False, max_entries=256)
def _incident_page(
    key: str, _f: Filter, limit: int, offset: int, order_by: str, search: str, total: int
):
    return queries.incidents(get_connection(), _f, limit, offset, order_by, search, total)


def cached_incident_page(
    f: Filter, limit: int, offset: int, order_by: str, search: str, total: int | None = None
):
    """One page of the Incidents table (paged and sorted in DuckDB; ``total`` makes
    the last pages as cheap as the first)."""
    key = _key(f, limit=limit, offset=offset, order_by=order_by, search=search)
    return _incident_page(key, f, limit, offset, order_by, search, total)


@st.cache_data(show_spinner=False, max_entries=256)
def _incident_count(key: str, _f: Filter, search: str) -> int:
    return queries.incident_count(get_connection(), _f, search)


def cached_incident_count(f: Filter, search: str) -> int:
    return _incident_count(_key(f, search=search), f, search)


@st.cache_data(show_spinner=False, max_entries=16)
def _demo_rows(state: str) -> int:
    return queries.demo_row_count(get_connection())


def cached_demo_row_count() -> int:
    """Demo incidents in the store, for the banner every page shows: a scan of the
    incident table, so cached per store state rather than run on every rerun."""
    return _demo_rows(json.dumps(_store_state(), sort_keys=True))


@st.cache_data(show_spinner=False, max_entries=256)
def _read(key: str, _query: Callable, _args: tuple):
    return _query(get_connection(), *_args)


def cached_read(query: Callable, *args):
    """``query(connection, *args)`` for a function of ``queries`` on the newest snapshot,
    cached per snapshot and arguments (a ``Filter`` argument by its address form). The
    pages' one way to a query (tests/test_architecture.py checks they call none
    themselves): every read of a run is keyed by the snapshot it came from, and a widget's
    rerun does not run the same queries again (the incident record's four, the editor's
    lists). Results are copies (``st.cache_data``), so a page may change what it gets."""
    key = json.dumps(
        {
            "query": f"{query.__module__}.{query.__qualname__}",
            "args": [a.to_query_params() if isinstance(a, Filter) else a for a in args],
            **_store_state(),
        },
        sort_keys=True,
        default=str,
    )
    return _read(key, query, args)


def clear_query_caches() -> None:
    """Call after any write: every cached figure may have changed."""
    _overview.clear()
    _options.clear()
    _incident_page.clear()
    _incident_count.clear()
    _demo_rows.clear()
    _district_counts.clear()
    _read.clear()
