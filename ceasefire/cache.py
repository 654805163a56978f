"""The app's connection and caches: the one core module that imports Streamlit.

One DuckDB connection per app process (``st.cache_resource``); each call takes its own
cursor, which DuckDB makes safe across Streamlit's script threads. Query results are
cached per filter state (``st.cache_data``) and cleared after every write the app makes
(import, demo removal). Another process cannot write meanwhile: DuckDB holds the file's
write lock for the app.
"""

from __future__ import annotations

import json
import os

import duckdb
import streamlit as st

from . import overview, queries
from .bootstrap import ensure_store
from .filters import Filter
from .store import data_version, db_path

#: DuckDB's memory cap in the app when ``$CEASEFIRE_MEMORY_LIMIT`` is not set. DuckDB's
#: own default (80 % of RAM) let the app pass 1 GB at ten million incidents (1175 MB
#: peak); capped, DuckDB spills to disk instead. 600MB keeps the app's peak under 1 GB
#: there (see bench/README.md) and is far above what stores of <= 1M incidents need.
APP_MEMORY_LIMIT = "600MB"


@st.cache_resource(
    show_spinner="Opening the store. A store written by an older version is migrated "
    "once (its derived tables rebuilt, about 10 s per million incidents)."
)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """The app's one connection; ``APP_MEMORY_LIMIT`` unless the variable sets one (the
    CLI and the importers keep DuckDB's default: they run alone, not next to a server)."""
    con = ensure_store(path)
    if not os.environ.get("CEASEFIRE_MEMORY_LIMIT"):
        con.execute("SET memory_limit = ?", [APP_MEMORY_LIMIT])
    return con


def get_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's store ($CEASEFIRE_DB or the default), created on first use."""
    return _connection(str(db_path())).cursor()


def _store_state() -> dict[str, str]:
    """Which store, in which state: part of every cache key, so a cached figure is never
    served for another store or after a write (the data version is recorded per write,
    so reading it costs well under a millisecond)."""
    return {"store": str(db_path()), "version": data_version(get_connection())}


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


@st.cache_data(show_spinner=False, max_entries=256)
def _incidents(key: str, _f: Filter, limit: int, order_by: str):
    return queries.incidents(get_connection(), _f, limit=limit, order_by=order_by)


def cached_incidents(f: Filter, limit: int, order_by: str):
    return _incidents(_key(f, limit=limit, order_by=order_by), f, limit, order_by)


@st.cache_data(show_spinner=False, max_entries=16)
def _demo_rows(state: str) -> int:
    return queries.demo_row_count(get_connection())


def cached_demo_row_count() -> int:
    """Demo incidents in the store, for the banner every page shows: a scan of the
    incident table, so cached per store state rather than run on every rerun."""
    return _demo_rows(json.dumps(_store_state(), sort_keys=True))


def clear_query_caches() -> None:
    """Call after any write: every cached figure may have changed."""
    _overview.clear()
    _options.clear()
    _incidents.clear()
    _demo_rows.clear()
