"""Every chart is a valid Plotly figure, exactly as Plotly's own validation makes it.

``charts.make_figure`` skips Plotly's run-time validation (it cost a third of a filter
change at a million incidents). These tests are where validation happens instead:
each chart function, on real frames from the demo store (points and binned map, empty
results, grouped minor actors, every attribution), must pass ``go.Figure(spec)`` with
validation on, and the validated figure's JSON must equal the chart's own.
"""

import json
from datetime import date

import plotly.graph_objects as go
import pytest

from ceasefire import charts, figures, queries
from ceasefire.analysis import overview
from ceasefire.filters import Filter

VIEWS = {
    "everything (binned map)": Filter(),
    "a month (points)": Filter(start=date(2019, 5, 1), end=date(2019, 5, 31)),
    "majority": Filter(attribution="majority", start=date(2020, 1, 1), end=date(2020, 3, 31)),
    "source": Filter(attribution="source", attribution_source="Sputnik"),
    "nothing matches": Filter(start=date(2001, 1, 1), end=date(2001, 1, 2)),
}


def assert_valid_and_unchanged_by_validation(fig: go.Figure) -> None:
    ours = json.loads(fig.to_json())
    validated = go.Figure(fig.to_dict())  # raises ValueError on any invalid property
    assert json.loads(validated.to_json()) == ours


@pytest.mark.parametrize("label", VIEWS)
@pytest.mark.parametrize("by", ["week", "month"])
def test_overview_figures_are_valid_plotly(demo_con, monkeypatch, label, by):
    monkeypatch.setattr(queries.mapping, "MAP_POINT_LIMIT", 2_000)  # the demo set has ~3,000
    view = overview.compute_overview(demo_con, VIEWS[label], by)
    assert set(view.figures) == set(overview.TITLES)
    for fig in view.figures.values():
        assert_valid_and_unchanged_by_validation(fig)
        assert {trace.type for trace in fig.data} <= set(charts.TRACE_TYPES)  # template


def test_the_views_above_cover_points_bins_and_empty(demo_con, monkeypatch):
    monkeypatch.setattr(queries.mapping, "MAP_POINT_LIMIT", 2_000)
    binned = {
        label: overview.compute_overview(demo_con, f).map_binned for label, f in VIEWS.items()
    }
    assert binned["everything (binned map)"] and not binned["a month (points)"]
    empty = overview.compute_overview(demo_con, VIEWS["nothing matches"])
    assert all(len(fig.data) == 0 for name, fig in empty.figures.items() if name != "map")
    # the empty map still shows the region (boundaries, area, towns), no incidents
    assert {t.name for t in empty.figures["map"].data} == {
        "De-escalation area (by district)",
        "District boundaries",
        "Governorate boundaries",
        "Towns",
    }


@pytest.mark.parametrize(
    "f", [Filter(), Filter(origins=("ucdp",))], ids=["with data", "nothing matches"]
)
def test_compare_chart_is_valid_plotly(demo_con, f):
    agreement = figures.default_compare_agreement(demo_con)
    frame, _, fig = figures.compare_view(demo_con, f, agreement, (30, 90))
    events = frame.before_count.sum() + frame.after_count.sum()
    assert (events == 0) == (len(fig.data) == 0)
    assert_valid_and_unchanged_by_validation(fig)


def test_a_chart_does_not_change_the_shared_template(demo_con):
    fig = overview.compute_overview(demo_con, Filter()).figures["target_types"]
    fig.layout.template.layout.font.color = "red"
    again = overview.compute_overview(demo_con, Filter(start=date(2019, 1, 1))).figures
    assert again["target_types"].layout.template.layout.font.color != "red"
