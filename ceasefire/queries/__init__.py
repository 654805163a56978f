"""Every read the app, the exports and the CLI make: one place, one filter type.

Each function takes a connection and a ``Filter`` and returns the small frame one chart
or table needs, computed by one parameterised DuckDB query over the derived tables; no
function loads the incident table into pandas. ``sql_for()`` returns a query's text and
parameters, so a researcher can re-run exactly what produced a figure
(``python -m ceasefire sql timeline ...``).

The package's modules, each one job (every public name is importable from here, as
``queries.headline`` or ``from ceasefire.queries import TIME_UNITS``):

- ``attribution``: which actor an incident counts under (the CTE the by-actor counts share);
- ``counts``: the Overview's figures (headline, timeline, target types, matrix, districts);
- ``mapping``: the map's points or grid cells;
- ``listing``: the Incidents table (orders, search, pages, count, position) and claims;
- ``record``: one incident as a record, and the violation rule applied to it;
- ``periods``: before/after an agreement (Compare) and what changed this week;
- ``options``: the sidebar's options, origins in view, demo rows, the source registry.
"""

from __future__ import annotations

from .counts import (
    QUERIES,
    TIME_UNITS,
    actor_target,
    actor_target_sql,
    attributed_counts,
    attributed_counts_sql,
    clash_pairs,
    clash_pairs_sql,
    district_counts,
    district_counts_sql,
    headline,
    headline_sql,
    sql_for,
    summary,
    summary_sql,
    target_types,
    target_types_sql,
    timeline,
    timeline_sql,
)
from .listing import (
    INCIDENT_ORDERS,
    claims,
    claims_sql,
    incident_count,
    incident_position,
    incidents,
    incidents_sql,
    search_condition,
    search_words,
)
from .mapping import MAP_GRID_DEGREES, MAP_POINT_LIMIT, map_frame, map_sql
from .options import (
    ORIGIN_CREDITS,
    FilterOptions,
    actor_names,
    demo_claim_count,
    demo_row_count,
    filter_options,
    last_incident_date,
    origins_in_view,
    source_names,
    source_table,
)
from .periods import (
    UNDETERMINED_GROUP,
    compare_counts,
    compare_counts_sql,
    data_coverage,
    meets_terms_sql,
    uncovered_months,
    weekly_changes,
    weekly_changes_sql,
    weekly_counts,
)
from .record import (
    incident_claims,
    incident_detail,
    incident_for_editing,
    incident_records,
    violation_checks,
)

__all__ = [
    "INCIDENT_ORDERS",
    "MAP_GRID_DEGREES",
    "MAP_POINT_LIMIT",
    "ORIGIN_CREDITS",
    "QUERIES",
    "TIME_UNITS",
    "UNDETERMINED_GROUP",
    "FilterOptions",
    "actor_names",
    "actor_target",
    "actor_target_sql",
    "attributed_counts",
    "attributed_counts_sql",
    "claims",
    "claims_sql",
    "clash_pairs",
    "clash_pairs_sql",
    "compare_counts",
    "compare_counts_sql",
    "data_coverage",
    "demo_claim_count",
    "demo_row_count",
    "district_counts",
    "district_counts_sql",
    "filter_options",
    "headline",
    "headline_sql",
    "incident_claims",
    "incident_count",
    "incident_detail",
    "incident_for_editing",
    "incident_position",
    "incident_records",
    "incidents",
    "uncovered_months",
    "incidents_sql",
    "last_incident_date",
    "map_frame",
    "map_sql",
    "meets_terms_sql",
    "origins_in_view",
    "search_condition",
    "search_words",
    "source_names",
    "sql_for",
    "source_table",
    "summary",
    "summary_sql",
    "target_types",
    "target_types_sql",
    "timeline",
    "timeline_sql",
    "violation_checks",
    "weekly_changes",
    "weekly_changes_sql",
    "weekly_counts",
]
