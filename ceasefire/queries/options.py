"""What the widgets offer and the provenance a view states: the sidebar's options,
the origins in view, the demo rows, the source registry."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .. import taxonomy
from ..agreements import agreement_names
from ..filters import Filter


@dataclass(frozen=True)
class FilterOptions:
    """Values the sidebar offers, read from the store."""

    first_date: object
    last_date: object
    actors: list[str]
    sources: list[str]
    governorates: list[str]
    districts: list[str]
    origins: list[str]
    agreements: dict[str, str]


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    first, last = con.execute(
        "SELECT min(occurred_on), max(occurred_on) FROM incident_fact"
    ).fetchone()

    def column(sql: str) -> list[str]:
        return [r[0] for r in con.execute(sql).fetchall()]

    return FilterOptions(
        first_date=first,
        last_date=last,
        actors=column("SELECT name FROM actor ORDER BY name"),
        sources=column(
            "SELECT s.name FROM source s WHERE source_id IN (SELECT source_id FROM claim_fact) ORDER BY name"
        ),
        governorates=column(
            "SELECT DISTINCT governorate FROM incident_fact WHERE governorate IS NOT NULL ORDER BY 1"
        ),
        districts=column(
            "SELECT DISTINCT district FROM incident_fact WHERE district IS NOT NULL ORDER BY 1"
        ),
        # from the few distinct origins_key strings, not an unnest of every row's list
        origins=column(
            "SELECT DISTINCT unnest(string_split(k, ';')) FROM "
            "(SELECT DISTINCT origins_key AS k FROM incident_fact) ORDER BY 1"
        ),
        agreements=dict(agreement_names()),
    )


ORIGIN_CREDITS = taxonomy.ORIGIN_CREDITS  # the old name, kept importable


def origins_in_view(con: duckdb.DuckDBPyConnection, f: Filter) -> list[str]:
    """The origins of the incidents a view counts, for the 'Data:' credit line."""
    where, params = f.where("f")
    return [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT unnest(f.origins) FROM incident_fact f WHERE {where} ORDER BY 1",
            params,
        ).fetchall()
    ]


def demo_row_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0]


def demo_claim_count(con: duckdb.DuckDBPyConnection) -> int:
    """Claims about demo incidents: what removing the demo data deletes besides them."""
    return con.execute("SELECT count(*) FROM claim WHERE is_demo").fetchone()[0]


def source_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every source with how many claims it makes."""
    return con.execute(
        """SELECT s.name, s.kind, s.affiliation, s.url, count(c.claim_id) AS claims
           FROM source s LEFT JOIN claim c USING (source_id)
           GROUP BY ALL ORDER BY claims DESC, s.name"""
    ).df()


def source_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every source's name, A to Z (the editor's choices)."""
    return [r[0] for r in con.execute("SELECT name FROM source ORDER BY name").fetchall()]


def actor_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every actor's name, reviewed ones first, then A to Z (the editor's choices)."""
    return [
        r[0] for r in con.execute("SELECT name FROM actor ORDER BY needs_review, name").fetchall()
    ]


def last_incident_date(con: duckdb.DuckDBPyConnection):
    """The date of the newest incident (None in an empty store)."""
    return con.execute("SELECT max(occurred_on) FROM incident_fact").fetchone()[0]
