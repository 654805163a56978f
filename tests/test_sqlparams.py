"""Named SQL parameters: parts merge without drift, and the printed form runs the same."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from ceasefire.filters import Filter
from ceasefire.queries import listing
from ceasefire.sqlparams import merge, positional, value_list


def test_a_name_bound_twice_to_one_value_merges_and_to_two_values_raises():
    assert merge({"a": 1}, {"a": 1, "b": [2]}, {}) == {"a": 1, "b": [2]}
    with pytest.raises(ValueError, match=r"\$a is bound to 1 and to 2"):
        merge({"a": 1}, {"a": 2})


def test_a_value_list_names_each_value_after_its_field():
    assert value_list("weapons", ("airstrike", "IED")) == (
        "$weapons_1, $weapons_2",
        {"weapons_1": "airstrike", "weapons_2": "IED"},
    )


def test_the_positional_form_repeats_a_name_in_order_and_leaves_quoted_text_alone():
    sql = "SELECT $b, '$a' || 'it''s $b', $a, $b"
    printed, values = positional(sql, {"a": 1, "b": 2})
    assert printed == "SELECT ?, '$a' || 'it''s $b', ?, ?"
    assert values == [2, 1, 2]
    con = duckdb.connect()
    assert con.execute(printed, values).fetchall() == con.execute(sql, {"a": 1, "b": 2}).fetchall()


def test_every_name_a_page_query_binds_is_in_its_text_once_merged(demo_con):
    """A page of a filtered, searched list under source attribution: the filter's
    conditions, the search words, the page and the counted-under CTE all in one
    statement; DuckDB refuses a dict with a name the text lacks or without one it uses."""
    f = Filter(
        start=date(2019, 1, 1),
        agreement="sochi-2018",
        actors=("Russia",),
        attribution="source",
        attribution_source="Sputnik",
        violations_only=True,
    )
    sql, params = listing.incidents_sql(f, 5, 0, search="strike idleb")
    assert set(params) == {
        "start",
        "agreement",
        "actors_1",
        "attribution_source",
        "word_1",
        "word_2",
        "limit",
        "offset",
    }
    assert all(f"${name}" in sql for name in params)
    demo_con.execute(sql, params).fetchall()
