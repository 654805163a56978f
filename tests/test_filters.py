"""The filter: one object gives the SQL, the sentence and the URL."""

from datetime import date

import pytest

from ceasefire import queries
from ceasefire.filters import Filter
from conftest import incident, write


def test_url_round_trip_keeps_every_field():
    f = Filter(
        start=date(2019, 1, 1),
        end=date(2020, 12, 31),
        agreement="sochi-2018",
        actors=("Russia", "Iran"),
        sides=("Turkey",),
        target_types=("market",),
        weapons=("airstrike",),
        governorates=("Idleb",),
        districts=("Harim",),
        verification=("verified",),
        origins=("acled",),
        violations_only=True,
        include_demo=False,
        attribution="source",
        attribution_source="Sputnik",
    )
    assert Filter.from_query_params(f.to_query_params()) == f


def test_default_filter_has_an_empty_url_and_plain_sentence():
    assert Filter().to_query_params() == {}
    assert Filter().describe() == "Incidents, all recorded."


def test_sentence_states_every_condition():
    f = Filter(
        start=date(2020, 3, 6),
        end=date(2020, 12, 31),
        agreement="moscow-2020",
        actors=("Russia", "Syrian government"),
        target_types=("market",),
        violations_only=True,
        include_demo=False,
    )
    assert f.describe() == (
        "Alleged violations from 6 Mar 2020 to 31 Dec 2020; while the Moscow Additional "
        "Protocol to the Sochi memorandum was in force; alleged against Russia or Syrian "
        "government; target market; demo data excluded."
    )
    assert "majority" in Filter(attribution="majority").attribution_text()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2020-13-01"}, "must be a date"),
        ({"attribution": "vibes"}, "attribution must be"),
        ({"target": ["castle"]}, "unknown target_types"),
        ({"attribution": "source"}, "needs a source"),
    ],
)
def test_malformed_urls_raise_clear_errors(params, message):
    with pytest.raises(ValueError, match=message):
        Filter.from_query_params(params)


def test_user_values_are_parameters_not_sql(seeded):
    hostile = "Russia') OR 1=1 --"
    sql, params = Filter(actors=(hostile,)).where()
    assert hostile not in sql and hostile in params
    assert queries.headline(seeded, Filter(actors=(hostile,)))["incidents"] == 0


def test_each_attribution_selects_its_own_incidents(con):
    write(
        con,
        incident("two-say-russia", date(2020, 6, 1), "Russia", "Russia", "Syrian Arab Army"),
        incident("tie", date(2020, 6, 2), "Russia", "Syrian Arab Army"),
    )
    count = lambda **kw: queries.headline(con, Filter(actors=("Russia",), **kw))["incidents"]  # noqa: E731
    assert count() == 2  # any claim
    assert count(attribution="majority") == 1  # the tie has no majority
    assert count(attribution="source", attribution_source="Test source 0") == 2
    assert count(attribution="source", attribution_source="Test source 2") == 0
