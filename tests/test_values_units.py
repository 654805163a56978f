"""The editing values (``ceasefire.editing.values``) on literals, no store: how a typed
value becomes a stored one, what a source's qualifier makes of a number and back, and
how a proposal (a draft's, with spans and words) is read. Milliseconds; in the mutmut
selection (tests/MUTATION.md)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ceasefire.editing import values
from ceasefire.editing.values import Invalid, coerce_value, qualified_figure, read_proposal


@pytest.mark.parametrize(
    "name, given, kind, kept",
    [
        # blanks are "not given", never 0 or ""
        ("place_name", None, str, None),
        ("place_name", float("nan"), str, None),
        ("place_name", "   ", str, None),
        ("quote", " \n ", str, None),
        ("killed_min", "", int, None),
        # texts are trimmed, except a quote's or a description's, kept as written
        ("place_name", "  Jabal al-Duwaila \n", str, "Jabal al-Duwaila"),
        ("quote", "  «more than 30»\n killed ", str, "  «more than 30»\n killed "),
        ("description", " two  spaces ", str, " two  spaces "),
        # a proposal's {"value": ..., "span": ...} is its value
        ("place_name", {"value": " Sarmin ", "span": [0, 6]}, str, "Sarmin"),
        ("killed_min", {"value": None}, int, None),
        # dates: a date, a datetime's day, an ISO text (trimmed)
        ("occurred_on", date(2020, 10, 26), date, date(2020, 10, 26)),
        ("occurred_on", datetime(2020, 10, 26, 23, 59), date, date(2020, 10, 26)),
        ("occurred_on", " 2020-10-26 ", date, date(2020, 10, 26)),
        # whole numbers from numbers and texts; 0 is a figure
        ("killed_min", "31", int, 31),
        ("killed_min", " 31 ", int, 31),
        ("killed_min", 31.0, int, 31),
        ("killed_min", "0", int, 0),
        ("killed_min", 0, int, 0),
        # coordinates keep their digits
        ("latitude", "36.211764", float, 36.211764),
        ("latitude", 0, float, 0.0),
        ("weapon", 5, str, "5"),
    ],
)
def test_a_typed_value_is_stored_as_given_and_a_blank_as_none(name, given, kind, kept):
    out = coerce_value(name, given, kind)
    assert out == kept and type(out) is type(kept)


@pytest.mark.parametrize(
    "name, given, kind, message",
    [
        ("occurred_on", "26/10/2020", date, "'26/10/2020' is not a date (YYYY-MM-DD)"),
        ("killed_min", "many", int, "'many' is not a whole number"),
        ("killed_min", [3], int, "[3] is not a whole number"),
        ("killed_min", "30.5", int, "'30.5' is not a whole number"),
        ("killed_min", -1, int, "must not be negative"),
        ("killed_min", "-1", int, "must not be negative"),
        ("latitude", "north", float, "'north' is not a number"),
        ("latitude", [36], float, "[36] is not a number"),
    ],
)
def test_a_bad_value_is_refused_with_a_readable_message(name, given, kind, message):
    with pytest.raises(ValueError) as refused:
        coerce_value(name, given, kind)
    assert str(refused.value) == message
    # the message alone, no parser's traceback chained to it
    assert refused.value.__context__ is None or refused.value.__suppress_context__


@pytest.mark.parametrize(
    "qualifier, n, figures",
    [
        ("exactly", 43, (43, 43)),
        ("more than", 30, (31, None)),
        ("at least", 30, (30, None)),
        ("up to", 75, (None, 75)),
        ("about", 40, (40, 40)),
        ("dozens", 0, (24, None)),
        ("more than", "30", (31, None)),
        ("more than", None, (None, None)),
        ("nonsense", None, (None, None)),  # no number: nothing to read the word for
    ],
)
def test_a_qualified_figure_gives_min_and_max(qualifier, n, figures):
    assert qualified_figure(qualifier, n) == figures


def test_an_unknown_qualifier_is_refused_with_the_known_ones():
    with pytest.raises(ValueError) as refused:
        qualified_figure("roughly", 5)
    assert str(refused.value) == (
        "unknown qualifier 'roughly'; one of "
        "['exactly', 'more than', 'at least', 'up to', 'about', 'dozens']"
    )


@pytest.mark.parametrize(
    "qualifier, low, high, number",
    [
        ("exactly", 43, 43, 43),
        ("more than", 31, None, 30),
        ("more than", None, 75, None),
        ("at least", 31, None, 31),
        ("up to", None, 75, 75),
        ("about", 40, 40, 40),
        ("dozens", 24, None, None),
        (None, 31, None, None),
        ("", 31, 31, None),
        ("roughly", 31, 31, None),
    ],
)
def test_the_number_a_source_wrote_is_read_back_from_its_word(qualifier, low, high, number):
    assert values.source_number(qualifier, low, high) == number


def test_invalid_names_every_field_and_its_message():
    error = Invalid({"occurred_on": "required", "claims[1].killed_max": "below the minimum"})
    assert error.errors == {"occurred_on": "required", "claims[1].killed_max": "below the minimum"}
    assert str(error) == "occurred_on: required; claims[1].killed_max: below the minimum"


def test_a_proposal_is_read_with_its_spans_and_the_words_of_its_figures():
    proposal = {
        "occurred_on": {"value": "2020-10-26", "span": [10, 20]},
        "place_name": {"value": "Jabal al-Duwaila", "span": None},
        "weapon": "airstrike",
        "description": "a value judgment",  # a text, whatever it says
        "latitude": 36.2,
        "target_type": {"span": [3, 9]},  # no value: kept as given
        "claims": [
            {
                "source_name": {"value": "Baladi News", "span": [0, 11]},
                "killed_min": {"value": 31, "span": [40, 52], "qualifier": "more than"},
                "wounded_max": {"value": 9, "qualifier": "nonsense"},
            },
            {
                "source_name": "Sputnik",
                "killed_min": {"value": None, "qualifier": "nonsense"},
                "killed_max": {"value": 75, "qualifier": "up to"},
                "wounded_min": {"value": 3, "qualifier": "about"},
                "wounded_qualifier": "at least",  # the editor's word is kept over the span's
            },
            None,
        ],
    }
    fields, claims, spans = read_proposal(proposal)
    assert fields == {
        "occurred_on": "2020-10-26",
        "place_name": "Jabal al-Duwaila",
        "weapon": "airstrike",
        "description": "a value judgment",
        "latitude": 36.2,
        "target_type": {"span": [3, 9]},
    }
    assert claims == [
        {
            "source_name": "Baladi News",
            "killed_min": 31,
            "wounded_max": 9,
            "killed_qualifier": "more than",
        },
        {
            "source_name": "Sputnik",
            "killed_min": None,
            "killed_max": 75,
            "wounded_min": 3,
            "wounded_qualifier": "at least",
            "killed_qualifier": "up to",
        },
        {},
    ]
    assert spans == {
        "occurred_on": [10, 20],
        "claims[0].source_name": [0, 11],
        "claims[0].killed_min": [40, 52],
    }


def test_a_proposal_without_claims_has_none():
    assert read_proposal({"weapon": "shelling"}) == ({"weapon": "shelling"}, [], {})
    assert read_proposal({"weapon": "shelling", "claims": None}) == ({"weapon": "shelling"}, [], {})
