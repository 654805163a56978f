"""The app's connection and caches: the one core module that imports Streamlit.

One DuckDB connection per app process (``st.cache_resource``); each call takes its own
cursor, which DuckDB makes safe across Streamlit's script threads. Query results are
cached per filter state (``st.cache_data``) and cleared after every write the app makes
(import, demo removal). Another process cannot write meanwhile: DuckDB holds the file's
write lock for the app.
"""

from __future__ import annotations

import json

import duckdb
import streamlit as st

from . import overview, queries
from .bootstrap import ensure_store
from .filters import Filter
from .store import db_path


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return ensure_store(path)


def get_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's store ($CEASEFIRE_DB or the default), created on first use."""
    return _connection(str(db_path())).cursor()


def _key(f: Filter, **extra) -> str:
    return json.dumps({**f.to_query_params(), **extra}, sort_keys=True, default=str)


@st.cache_data(show_spinner=False, max_entries=256)
def _overview(key: str, _f: Filter, by: str) -> overview.Overview:
    return overview.compute_overview(get_connection(), _f, by)


def cached_overview(f: Filter, by: str) -> overview.Overview:
    return _overview(_key(f, by=by), f, by)


@st.cache_data(show_spinner=False, max_entries=64)
def _options(path: str) -> queries.FilterOptions:
    return queries.filter_options(get_connection())


def cached_filter_options() -> queries.FilterOptions:
    return _options(str(db_path()))


@st.cache_data(show_spinner=False, max_entries=256)
def _incidents(key: str, _f: Filter, limit: int, order_by: str):
    return queries.incidents(get_connection(), _f, limit=limit, order_by=order_by)


def cached_incidents(f: Filter, limit: int, order_by: str):
    return _incidents(_key(f, limit=limit, order_by=order_by), f, limit, order_by)


def clear_query_caches() -> None:
    """Call after any write: every cached figure may have changed."""
    _overview.clear()
    _options.clear()
    _incidents.clear()
