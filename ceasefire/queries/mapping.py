"""The map's frame: points, or grid-cell counts above ``MAP_POINT_LIMIT``."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import Filter
from ..sqlparams import Params, merge
from .attribution import attributed_sql

#: Above this many matching incidents the map shows counts on a grid, not points.
MAP_POINT_LIMIT = 5_000
MAP_GRID_DEGREES = 0.05


def map_sql(f: Filter, binned: bool) -> tuple[str, Params]:
    where, params = f.where("f")
    if binned:
        g = MAP_GRID_DEGREES
        sql = f"""
            SELECT round(f.latitude / {g}) * {g} AS latitude,
                   round(f.longitude / {g}) * {g} AS longitude,
                   count(*) AS incidents, bool_or(f.is_disputed) AS any_disputed
            FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL
              AND f.longitude IS NOT NULL
            GROUP BY ALL ORDER BY latitude, longitude"""
        return sql, params
    # points: each with the actors it counts under in the filter's attribution (the map
    # draws and counts it under each, as the timeline does); ``actor`` names the one, or
    # 'Several actors'
    attributed, attributed_params = attributed_sql(f)
    sql = f"""
        WITH fi AS (SELECT * FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL
                    AND f.longitude IS NOT NULL),
        attributed AS ({attributed}),
        actors AS (
            SELECT incident_id, CASE WHEN count(DISTINCT actor) > 1 THEN 'Several actors'
                                     ELSE any_value(actor) END AS actor,
                   list(DISTINCT actor ORDER BY actor) AS actors
            FROM attributed GROUP BY ALL)
        SELECT fi.incident_id, fi.occurred_on, fi.latitude, fi.longitude, fi.weapon,
               fi.target_type, fi.is_disputed, 1 AS incidents, actors.actor, actors.actors
        FROM fi LEFT JOIN actors ON actors.incident_id = fi.incident_id
        ORDER BY fi.occurred_on, fi.incident_id"""
    return sql, merge(params, attributed_params)


def map_frame(
    con: duckdb.DuckDBPyConnection, f: Filter, located: int | None = None
) -> tuple[pd.DataFrame, bool]:
    """Points to map, or grid-cell counts when more than MAP_POINT_LIMIT match.

    Returns (frame, binned). Incidents without coordinates are counted by ``headline``
    (``without_coordinates``) and stated on the page, never silently left off.
    ``located``: how many matching incidents have coordinates, when the caller already
    knows it from the headline (incidents - without_coordinates); saves a scan."""
    where, params = f.where("f")
    n = located
    if n is None:
        n = con.execute(
            f"SELECT count(*) FROM incident_fact f WHERE {where} AND f.latitude IS NOT NULL "
            "AND f.longitude IS NOT NULL",
            params,
        ).fetchone()[0]
    binned = n > MAP_POINT_LIMIT
    sql, params = map_sql(f, binned)
    return con.execute(sql, params).df(), binned
