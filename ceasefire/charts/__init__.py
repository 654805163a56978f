"""Charts: pure functions from a small result frame to a Plotly figure.

The same function draws the page's chart, the downloaded PNG/SVG/PDF and the CLI's
figure, so the three always match. Each takes the frame a query in ``ceasefire.queries``
returned and a ``ChartText`` (title, subtitle stating filters and attribution, footer
with data origins, date range, date made and data version) built by ``provenance.py``.

Text that comes from data (actor, place or source names) is HTML-escaped before it
reaches Plotly, which would otherwise interpret tags such as <a> in labels.

Maps are drawn on plain longitude/latitude axes with no background tiles: tile and
topojson servers are on the internet, and the tracker must work offline.

The package's modules (every public name is importable from here, as
``charts.timeline_chart`` or ``from ceasefire.charts import ChartText``):

- ``layout``: the text block, widths, re-layout for page and print, the fast constructor;
- ``counts``: the timeline, target-type bars and actor x target heatmap;
- ``maps``: the incident map (points or grid) and the district map;
- ``periods``: the before/after chart and the week's small multiples.
"""

from __future__ import annotations

from .counts import (
    MAX_ACTORS,
    MAX_MATRIX_ACTORS,
    OTHER_ACTORS,
    actor_target_heatmap,
    group_minor_actors,
    target_type_chart,
    timeline_chart,
)
from .layout import (
    DEFAULT_WIDTH,
    FONT,
    LINE,
    NO_DATA,
    PRINT_WIDTHS,
    SHORT_LABEL,
    TEMPLATE,
    TRACE_TYPES,
    ChartText,
    Marker,
    _figure,
    _template_json,
    esc,
    figure_from_json,
    fit_width,
    page_figure,
)
from .maps import SEVERAL_ACTORS, district_map_chart, map_chart
from .periods import COMPARE_PANELS, FLAG_COLORS, changes_small_multiples, compare_chart

__all__ = [
    "COMPARE_PANELS",
    "DEFAULT_WIDTH",
    "FLAG_COLORS",
    "FONT",
    "LINE",
    "MAX_ACTORS",
    "MAX_MATRIX_ACTORS",
    "NO_DATA",
    "OTHER_ACTORS",
    "PRINT_WIDTHS",
    "SEVERAL_ACTORS",
    "SHORT_LABEL",
    "TEMPLATE",
    "TRACE_TYPES",
    "ChartText",
    "Marker",
    "_figure",
    "_template_json",
    "actor_target_heatmap",
    "changes_small_multiples",
    "compare_chart",
    "district_map_chart",
    "esc",
    "figure_from_json",
    "fit_width",
    "group_minor_actors",
    "map_chart",
    "page_figure",
    "target_type_chart",
    "timeline_chart",
]
