"""The incident editor's pick map: what a click's selection gives, and the grid it
offers (literals)."""

from __future__ import annotations

import pytest

from ceasefire import pickmap


def test_a_selection_gives_the_clicked_points_coordinates():
    event = {"selection": {"points": [{"x": 36.56000000001, "y": 35.93, "curve_number": 0}]}}
    assert pickmap.picked(event) == (35.93, 36.56)
    assert pickmap.picked({"selection": {"points": []}}) is None
    assert pickmap.picked(None) is None
    assert pickmap.picked({"selection": {"points": [{"x": None, "y": 1}]}}) is None


def test_the_grid_covers_the_region_then_zooms_around_the_incident():
    figure = pickmap.pick_map()
    grid = next(t for t in figure.data if t.name == pickmap.GRID_NAME)
    assert min(grid.x) == pytest.approx(35.6) and max(grid.x) == pytest.approx(37.7)
    assert min(grid.y) == pytest.approx(34.95) and max(grid.y) == pytest.approx(36.75)
    assert len(grid.x) == 106 * 91  # 0.02 degrees apart, both ends included
    zoomed = pickmap.pick_map(35.93, 36.56)
    grid = next(t for t in zoomed.data if t.name == pickmap.GRID_NAME)
    assert (min(grid.x), max(grid.x)) == pytest.approx((36.26, 36.86))
    assert (min(grid.y), max(grid.y)) == pytest.approx((35.78, 36.08))
    assert sorted(set(round(v, 3) for v in grid.y))[:2] == [35.78, 35.785]  # 0.005 apart
    assert any(t.name == "The incident" and list(t.x) == [36.56] for t in zoomed.data)
