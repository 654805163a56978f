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

- ``layout``: the text block, fonts, legend and margins laid out for a width
  (``arrange``), re-layout for page and print, the fast constructor;
- ``textsize``: text widths from the font's metrics (no browser needed);
- ``timeline``: incidents over time, milestones numbered above the plot, periods the
  data does not cover shaded;
- ``counts``: the target-type bars and the actor x target matrix;
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
)
from .layout import (
    DEFAULT_WIDTH,
    FONT,
    LINE,
    MIN_PLOT_FRACTION,
    NO_DATA,
    PAGE_WIDTH,
    PRINT_WIDTHS,
    SHORT_LABEL,
    TEMPLATE,
    TRACE_TYPES,
    ChartText,
    Marker,
    arrange,
    chart_notes,
    esc,
    figure_from_json,
    fit_width,
    integer_ticks,
    make_figure,
    page_figure,
    template_json,
)
from .maps import SEVERAL_ACTORS, district_map_chart, map_chart
from .periods import COMPARE_PANELS, FLAG_COLORS, changes_small_multiples, compare_chart
from .timeline import UNCOVERED, Span, timeline_chart, uncovered_spans

__all__ = [
    "COMPARE_PANELS",
    "DEFAULT_WIDTH",
    "FLAG_COLORS",
    "FONT",
    "LINE",
    "MAX_ACTORS",
    "MAX_MATRIX_ACTORS",
    "MIN_PLOT_FRACTION",
    "NO_DATA",
    "OTHER_ACTORS",
    "PAGE_WIDTH",
    "PRINT_WIDTHS",
    "SEVERAL_ACTORS",
    "SHORT_LABEL",
    "TEMPLATE",
    "TRACE_TYPES",
    "ChartText",
    "Marker",
    "Span",
    "UNCOVERED",
    "make_figure",
    "template_json",
    "actor_target_heatmap",
    "arrange",
    "chart_notes",
    "changes_small_multiples",
    "compare_chart",
    "district_map_chart",
    "esc",
    "figure_from_json",
    "fit_width",
    "group_minor_actors",
    "integer_ticks",
    "map_chart",
    "page_figure",
    "target_type_chart",
    "timeline_chart",
    "uncovered_spans",
]
