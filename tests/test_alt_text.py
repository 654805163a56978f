"""Every Overview chart has a text alternative: a sentence and its data as a table."""

from __future__ import annotations

import pytest

from ceasefire import alt_text
from ceasefire.analysis import overview
from ceasefire.filters import Filter


@pytest.mark.parametrize("name", ["timeline", "target_types", "actor_target", "map"])
def test_each_chart_has_words_and_a_table(demo_con, name):
    view = overview.compute_overview(demo_con, Filter(), "month")
    frame = view.frames[name]
    words = alt_text.describe(name, frame, "month")
    assert words and "None" not in words
    table = alt_text.table(name, frame)
    assert len(table) > 0
    if name == "timeline":  # one row per month, one column per actor: the same totals
        assert int(table.drop(columns="period").to_numpy().sum()) == int(frame.incidents.sum())


def test_an_empty_chart_says_so():
    import pandas as pd

    assert alt_text.describe("timeline", pd.DataFrame()).startswith("The chart is empty")
