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
    assert hostile not in sql and params == {"actors_1": hostile} and "$actors_1" in sql
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


# --- words and URL, pinned (mutation testing found these unpinned) --------------------


@pytest.mark.parametrize(
    "f, sentence",
    [
        (Filter(start=date(2020, 3, 6)), "Incidents from 6 Mar 2020."),
        (Filter(end=date(2020, 3, 6)), "Incidents up to 6 Mar 2020."),
        (
            Filter(start=date(2019, 1, 1), end=date(2019, 1, 1)),
            "Incidents from 1 Jan 2019 to 1 Jan 2019.",
        ),
        (Filter(agreement="no-such-id"), "Incidents while the no-such-id was in force."),
        (
            Filter(actors=("Iran", "Russia", "Turkey")),
            "Incidents alleged against Iran, Russia or Turkey.",
        ),
        (Filter(actors=("Iran",)), "Incidents alleged against Iran."),
        (
            Filter(sides=("Turkey", "opposition factions")),
            "Incidents by the Turkey or opposition factions side.",
        ),
        (
            Filter(weapons=("IED",), target_types=("market", "medical")),
            "Incidents weapon IED; target market or medical.",
        ),
        (
            Filter(governorates=("Idleb",), districts=("Harim", "Ariha")),
            "Incidents in governorate Idleb; in district Harim or Ariha.",
        ),
        (Filter(verification=("verified",)), "Incidents verification verified."),
        (
            Filter(origins=("acled", "ucdp", "elsewhere")),
            "Incidents from ACLED, UCDP GED or elsewhere.",
        ),
        (Filter(include_demo=False), "Incidents, all recorded; demo data excluded."),
        (Filter(violations_only=True), "Alleged violations, all recorded."),
    ],
)
def test_every_field_has_its_words(f, sentence):
    assert f.describe() == sentence


def test_each_attribution_is_stated_in_full():
    assert Filter().attribution_text() == (
        "Attribution: every actor any claim names; an incident blamed on several actors "
        "counts under each."
    )
    assert Filter(attribution="majority").attribution_text() == (
        "Attribution: the actor named by the most sources; ties shown as 'No majority (tie)'."
    )
    assert Filter(attribution="source", attribution_source="SANA").attribution_text() == (
        "Attribution: as reported by SANA (its incidents only)."
    )


def test_url_values_have_the_types_a_query_string_has():
    params = Filter(
        actors=("Russia",), start=date(2020, 1, 2), violations_only=True
    ).to_query_params()
    assert params == {"from": "2020-01-02", "actor": ["Russia"], "violations": "1"}
    assert type(params["actor"]) is list
    assert Filter(include_demo=False, attribution="majority").to_query_params() == {
        "demo": "0",
        "attribution": "majority",
    }


def test_reading_a_url_tolerates_what_browsers_send():
    assert Filter.from_query_params({}) == Filter()
    assert Filter.from_query_params({"violations": "0", "demo": "1"}) == Filter()
    assert Filter.from_query_params({"violations": ["1"], "demo": ["0"]}) == Filter(
        violations_only=True, include_demo=False
    )
    # a repeated single-valued key: the last one counts; an empty list is no value
    assert Filter.from_query_params({"from": ["2020-01-01", "2020-02-01"]}).start == date(
        2020, 2, 1
    )
    assert Filter.from_query_params({"from": [], "agreement": [""]}) == Filter()
    # a list key given once as a plain string; blank values are dropped
    assert Filter.from_query_params({"actor": "Russia"}).actors == ("Russia",)
    assert Filter.from_query_params({"actor": ["", "Iran", "Russia"]}).actors == (
        "Iran",
        "Russia",
    )
    assert Filter.from_query_params({}, actors=("Iran",)).actors == ("Iran",)


def test_a_counted_claim_is_a_perpetrator_claim_and_with_stated_only_a_stated_one():
    assert Filter().claim_basis() == "cf.role = 'perpetrator'"
    assert Filter(stated_only=True).claim_basis() == (
        "cf.role = 'perpetrator' AND cf.attribution_basis = 'stated'"
    )
    assert Filter(stated_only=True).claim_basis("c") == (
        "c.role = 'perpetrator' AND c.attribution_basis = 'stated'"
    )


def test_the_violation_and_actor_conditions_name_their_columns():
    # the agreement's violations are read from the stated-only list only with stated_only
    assert Filter().violation_condition() == ("f.is_alleged_violation", {})
    assert Filter(stated_only=True).violation_condition("g") == ("g.is_stated_violation", {})
    assert Filter(agreement="sochi").violation_condition() == (
        "list_contains(f.violated_agreements, $agreement)",
        {"agreement": "sochi"},
    )
    assert Filter(agreement="sochi", stated_only=True).violation_condition() == (
        "list_contains(f.stated_violated_agreements, $agreement)",
        {"agreement": "sochi"},
    )
    # no actor or side filter: every actor matches
    assert Filter().actor_match() == ("true", {})
    assert Filter(actors=("Russia", "Turkey"), sides=("Turkey",)).actor_match() == (
        "a.name IN ($actors_1, $actors_2) AND a.side IN ($sides_1)",
        {"actors_1": "Russia", "actors_2": "Turkey", "sides_1": "Turkey"},
    )


def test_an_impossible_filter_is_refused_with_the_whole_reason():
    from datetime import date as d

    def message(**fields) -> str:
        with pytest.raises(ValueError) as caught:
            Filter(**fields)
        return str(caught.value)

    assert message(attribution="vibes") == (
        "attribution must be one of any, majority, source, not 'vibes'"
    )
    assert message(attribution="source") == (
        "attribution 'source' needs a source name (attribution_source)"
    )
    assert message(start=d(2020, 2, 1), end=d(2020, 1, 31)) == (
        "start 2020-02-01 is after end 2020-01-31"
    )
    assert message(verification=("rumoured", "reported", "alleged")) == (
        "unknown verification: rumoured, alleged; "
        "known: reported, corroborated, disputed, verified, discounted"
    )
    # one day is a valid period
    assert Filter(start=d(2020, 2, 1), end=d(2020, 2, 1)).start == d(2020, 2, 1)
