"""The incident editor's form model (``ceasefire.editing.form``) on literals, no store:
how a stored figure is shown, what an edited figure becomes, and which fields a
submitted form changes. Milliseconds; in the mutmut selection (tests/MUTATION.md)."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest

from ceasefire.editing import form


@pytest.mark.parametrize(
    "stored, shown",
    [
        # the stored word where it fits its figures
        (("more than", 31, None), ("more than", 30, 31, None)),
        (("at least", 31, None), ("at least", 31, 31, None)),
        (("up to", None, 75), ("up to", 75, None, 75)),
        (("about", 40, 40), ("about", 40, 40, 40)),
        (("exactly", 43, 43), ("exactly", 43, 43, 43)),
        (("about", 0, 0), ("about", 0, 0, 0)),
        (("dozens", 24, None), ("dozens", None, 24, None)),
        # otherwise the incident page's reading, never a stored word
        ((None, 31, None), ("more than", 30, 31, None)),
        ((None, 0, None), ("at least", 0, 0, None)),
        ((None, 1, None), ("more than", 0, 1, None)),
        ((None, None, 75), ("up to", 75, None, 75)),
        ((None, 43, 43), ("exactly", 43, 43, 43)),
        ((None, 0, 0), ("exactly", 0, 0, 0)),
        ((None, 10, 12), ("range", None, 10, 12)),
        ((None, None, None), ("", None, None, None)),
        (("about", 36, 40), ("range", None, 36, 40)),  # the word does not fit: a range
        (("dozens", 36, None), ("more than", 35, 36, None)),
        (("more than", None, 30), ("up to", 30, None, 30)),
        (("up to", 30, None), ("more than", 29, 30, None)),
        (("nonsense", 5, 5), ("exactly", 5, 5, 5)),
        (("more than", None, None), ("", None, None, None)),
    ],
)
def test_a_stored_figure_as_the_form_shows_it(stored, shown):
    assert form.figure_form(*stored) == dict(zip(("q", "n", "min", "max"), shown, strict=True))


def test_an_edited_figure_as_claim_values():
    assert form.figure_values({"q": "more than", "n": 30}) == {
        "qualifier": "more than",
        "figure": 30,
    }
    assert form.figure_values({"q": "range", "n": 9, "min": 3, "max": 5}) == {
        "qualifier": None,
        "min": 3,
        "max": 5,
    }
    assert form.figure_values({"q": "", "n": 9, "min": 3}) == {
        "qualifier": None,
        "min": None,
        "max": None,
    }
    assert form.figure_values({}) == {"qualifier": None, "min": None, "max": None}


FIELDS = {
    "occurred_on": date(2020, 10, 26),
    "date_precision": "week",
    "place_name": None,
    "governorate": "Idleb",
    "governorate_pcode": "SY07",
    "district": None,
    "district_pcode": None,
    "latitude": 36.211764,
    "longitude": None,
    "location_precision": None,
    "weapon": "airstrike",
    "target_type": None,
    "description": " two  spaces ",
    "verification": None,
}
CLAIMS = [
    {
        "claim_id": 7,
        "source_name": "Baladi News",
        "alleged_actor": None,
        "role": None,
        "quote": None,
        "published_on": datetime(2020, 10, 27, 0, 0),  # a pandas Timestamp is one too
        "url": None,
        "killed_min": 31,
        "killed_max": None,
        "killed_qualifier": None,
        "wounded_min": 31,
        "wounded_max": None,
        "wounded_qualifier": "more than",
        "civilians_killed_min": 0,
        "civilians_killed_max": 0,
        "civilians_killed_qualifier": None,
    }
]


def test_the_form_of_a_stored_incident():
    model = form.form_state(FIELDS, CLAIMS)
    assert model["fields"] == {
        "occurred_on": date(2020, 10, 26),
        "date_precision": "week",
        "place_name": "",
        "governorate": "Idleb",
        "district": "",
        "latitude": 36.211764,
        "longitude": None,
        "location_precision": "unknown",
        "weapon": "airstrike",
        "target_type": "unknown",
        "description": " two  spaces ",
        "verification": "reported",
    }
    (claim,) = model["claims"]
    assert claim == {
        "key": 0,
        "claim_id": 7,
        "source_name": "Baladi News",
        "source_kind": "media",
        "source_affiliation": "unknown",
        "source_url": "",
        "alleged_actor": "",
        "role": "perpetrator",
        "quote": "",
        "published_on": date(2020, 10, 27),
        "url": "",
        "killed": {"q": "more than", "n": 30, "min": 31, "max": None},
        "wounded": {"q": "more than", "n": 30, "min": 31, "max": None},
        "civilians_killed": {"q": "exactly", "n": 0, "min": 0, "max": 0},
    }
    assert model["stored"]["claims"][0]["killed_qualifier"] is None  # shown, not stored


def test_a_proposal_figure_given_as_the_source_wrote_it():
    model = form.form_state(
        {"occurred_on": "2020-10-26"},
        [{"killed_qualifier": "more than", "killed_figure": "30", "wounded_figure": 5}],
    )
    assert model["fields"]["occurred_on"] == date(2020, 10, 26)
    assert model["claims"][0]["killed"] == {"q": "more than", "n": 30, "min": 31, "max": None}
    assert model["claims"][0]["wounded"] == {"q": "", "n": None, "min": None, "max": None}
    stored = model["stored"]["claims"][0]
    assert (stored["killed_min"], stored["killed_max"], stored["killed_qualifier"]) == (
        31,
        None,
        "more than",
    )
    assert "killed_figure" not in stored


def test_an_untouched_form_changes_nothing():
    model = form.form_state(FIELDS, CLAIMS)
    assert form.form_changes(model, copy.deepcopy(model)) == ({}, [{"claim_id": 7}])


def test_only_the_changed_fields_and_figures_are_sent():
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    submitted["fields"]["weapon"] = "IED"
    claim = submitted["claims"][0]
    claim["killed"] = {"q": "more than", "n": 40, "min": 31, "max": None}
    claim["wounded"]["min"] = 99  # not shown for a qualifier: no change
    claim["source_kind"] = "NGO"  # describes a new source only: dropped
    claim["quote"] = " new "
    fields, claims = form.form_changes(model, submitted)
    assert fields == {"weapon": "IED"}
    assert claims == [
        {
            "claim_id": 7,
            "quote": " new ",
            "killed_qualifier": "more than",
            "killed_figure": 40,
        }
    ]
    claim["source_name"] = "Enab Baladi"
    claim["civilians_killed"] = {"q": "range", "n": 0, "min": 0, "max": 2}
    fields, claims = form.form_changes(model, submitted)
    assert claims[0]["source_name"] == "Enab Baladi" and claims[0]["source_kind"] == "NGO"
    assert claims[0]["source_affiliation"] == "unknown"
    assert (claims[0]["civilians_killed_min"], claims[0]["civilians_killed_max"]) == (0, 2)
    assert claims[0]["civilians_killed_qualifier"] is None


def test_a_range_changes_with_its_ends_and_a_word_with_its_number():
    model = form.form_state({}, [{"killed_min": 10, "killed_max": 12, "claim_id": 1}])
    submitted = copy.deepcopy(model)
    submitted["claims"][0]["killed"]["n"] = 5  # not shown for a range
    assert form.form_changes(model, submitted)[1] == [{"claim_id": 1}]
    submitted["claims"][0]["killed"]["max"] = 13
    assert form.form_changes(model, submitted)[1] == [
        {"claim_id": 1, "killed_qualifier": None, "killed_min": 10, "killed_max": 13}
    ]
    submitted["claims"][0]["killed"] = {"q": "", "n": None, "min": None, "max": None}
    assert form.form_changes(model, submitted)[1] == [
        {"claim_id": 1, "killed_qualifier": None, "killed_min": None, "killed_max": None}
    ]


def test_claims_added_and_removed():
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    submitted["claims"] = [form.blank_claim(3)]
    submitted["claims"][0]["source_name"] = "SOHR"
    submitted["claims"][0]["killed"] = {"q": "up to", "n": 4, "min": None, "max": None}
    fields, claims = form.form_changes(model, submitted)
    assert fields == {}
    (new,) = claims  # claim 7 is missing: deleted; the new one whole, without an id
    assert "claim_id" not in new and new["source_name"] == "SOHR"
    assert (new["killed_qualifier"], new["killed_figure"]) == ("up to", 4)
    assert (new["wounded_qualifier"], new["wounded_min"], new["wounded_max"]) == (None,) * 3


def test_a_new_incident_from_an_untouched_form_keeps_the_loaded_values():
    proposal = dict(FIELDS, longitude=36.52078, place_name=None)
    model = form.form_state(proposal, CLAIMS)
    made = form.form_proposal(model, copy.deepcopy(model))
    for name in form.FORM_FIELDS:
        assert made[name] == proposal[name], name
    assert made["governorate_pcode"] == "SY07"  # the name is unchanged: its code kept
    (claim,) = made["claims"]
    assert {k: v for k, v in CLAIMS[0].items() if k != "claim_id"} == claim


def test_a_new_incident_takes_the_editors_changes_and_drops_a_stale_code():
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    submitted["fields"]["governorate"] = "Aleppo"
    submitted["fields"]["place_name"] = "Haram"
    submitted["claims"][0]["killed"] = {"q": "about", "n": 50, "min": None, "max": None}
    submitted["claims"].append(form.blank_claim(1))
    made = form.form_proposal(model, submitted)
    assert (made["governorate"], made["place_name"]) == ("Aleppo", "Haram")
    assert "governorate_pcode" not in made  # found again from the new name
    assert made["district_pcode"] is None
    first, second = made["claims"]
    assert (first["killed_qualifier"], first["killed_figure"]) == ("about", 50)
    assert first["wounded_qualifier"] == "more than"  # untouched: as stored
    assert second["source_name"] == "" and "claim_id" not in second


def test_an_added_claim_is_blank_and_known_by_the_key_the_page_gives_it():
    empty = {"q": "", "n": None, "min": None, "max": None}
    assert form.blank_claim(3) == {
        "key": 3,
        "claim_id": None,
        "source_name": "",
        "source_kind": "media",
        "source_affiliation": "unknown",
        "source_url": "",
        "alleged_actor": "",
        "role": "perpetrator",
        "quote": "",
        "published_on": None,
        "url": "",
        "killed": empty,
        "wounded": empty,
        "civilians_killed": empty,
    }


def test_a_claim_added_before_the_loaded_ones_keeps_them_all():
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    submitted["claims"].insert(0, form.blank_claim(5))
    submitted["claims"][0]["source_name"] = "SOHR"
    made = form.form_proposal(model, submitted)
    assert [c["source_name"] for c in made["claims"]] == ["SOHR", "Baladi News"]
    assert made["claims"][1] == {k: v for k, v in CLAIMS[0].items() if k != "claim_id"}


def test_a_missing_value_from_a_frame_is_no_value():
    # a store row read through pandas: NaN for a number, NaT or "" for a date
    import pandas as pd

    claim = {"claim_id": 2, "killed_min": float("nan"), "killed_max": "", "published_on": pd.NaT}
    claim |= {"wounded_min": 31.0, "wounded_max": float("nan"), "civilians_killed_max": 4.0}
    model = form.form_state({"occurred_on": ""}, [claim])
    assert model["fields"]["occurred_on"] is None
    (shown,) = model["claims"]
    assert shown["published_on"] is None
    assert shown["killed"] == {"q": "", "n": None, "min": None, "max": None}
    assert shown["wounded"] == {"q": "more than", "n": 30, "min": 31, "max": None}
    assert shown["civilians_killed"] == {"q": "up to", "n": 4, "min": None, "max": 4}
    assert form.form_state({}, [{"published_on": ""}])["claims"][0]["published_on"] is None


def test_a_proposal_figure_is_read_as_the_whole_number_the_source_wrote():
    model = form.form_state(
        {},
        [
            {
                "killed_qualifier": "more than",
                "killed_figure": 30.0,  # a number read from JSON or a frame
                "wounded_qualifier": "at least",
                "wounded_figure": "",  # none given: the stored min and max stand
                "wounded_min": 5,
                "wounded_max": 9,
            }
        ],
    )
    stored = model["stored"]["claims"][0]
    assert (stored["killed_min"], stored["killed_max"]) == (31, None)
    assert (stored["wounded_min"], stored["wounded_max"], stored["wounded_qualifier"]) == (
        5,
        9,
        "at least",
    )
    assert model["claims"][0]["wounded"] == {"q": "range", "n": None, "min": 5, "max": 9}
    with pytest.raises(ValueError, match="must not be negative"):
        form.form_state({}, [{"killed_qualifier": "up to", "killed_figure": "-3"}])


def test_a_ranges_lower_end_alone_changed_is_sent():
    model = form.form_state({}, [{"killed_min": 10, "killed_max": 12, "claim_id": 1}])
    submitted = copy.deepcopy(model)
    submitted["claims"][0]["killed"]["min"] = 9
    assert form.form_changes(model, submitted)[1] == [
        {"claim_id": 1, "killed_qualifier": None, "killed_min": 9, "killed_max": 12}
    ]


def test_the_loaded_claim_is_written_whatever_id_the_submitted_form_carries():
    # the key ties a submitted claim to the loaded one; the id is the loaded claim's
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    submitted["claims"][0]["claim_id"] = 99
    assert form.form_changes(model, submitted) == ({}, [{"claim_id": 7}])
    made = form.form_proposal(model, submitted)
    assert "claim_id" not in made["claims"][0]


def test_a_sources_kind_affiliation_and_link_go_with_a_new_source_name_only():
    model = form.form_state(FIELDS, CLAIMS)
    submitted = copy.deepcopy(model)
    claim = submitted["claims"][0]
    claim.update(source_kind="monitor", source_affiliation="opposition", source_url="https://x.org")
    # the loaded source's description is the registry's: not sent for an unchanged name
    assert form.form_changes(model, submitted) == ({}, [{"claim_id": 7}])
    claim["source_name"] = "Syria Call"
    assert form.form_changes(model, submitted)[1] == [
        {
            "claim_id": 7,
            "source_name": "Syria Call",
            "source_kind": "monitor",
            "source_affiliation": "opposition",
            "source_url": "https://x.org",
        }
    ]
    claim["source_url"] = ""  # as loaded, and still sent: it describes the new source
    assert form.form_changes(model, submitted)[1][0]["source_url"] == ""


def test_dates_and_coordinates_given_as_text_are_shown_as_values():
    # a proposal read from JSON or TOML: a timestamp's text, coordinates as text or whole
    model = form.form_state(
        {"occurred_on": "2020-10-26 10:00:00", "latitude": "36.211764", "longitude": 36},
        [{"published_on": "2020-10-27T00:00:00"}],
    )
    assert model["fields"]["occurred_on"] == date(2020, 10, 26)
    assert model["claims"][0]["published_on"] == date(2020, 10, 27)
    shown = (model["fields"]["latitude"], model["fields"]["longitude"])
    assert shown == (36.211764, 36.0) and all(type(v) is float for v in shown)
