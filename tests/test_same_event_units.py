"""The same-event rule's parts (``ceasefire.editing.same_event``) on literals: the days a
date stands for, the gap between two date windows, a place's keys, why a candidate is
offered, and which decisions settle a save. No store beyond a one-table connection;
milliseconds; in the mutmut selection (tests/MUTATION.md). The candidates a store
offers are tested in tests/test_save_diff.py."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from ceasefire.editing import same_event
from ceasefire.editing.same_event import (
    Candidate,
    Distinct,
    Link,
    SameEventUndecided,
    _gap,
    _place_keys,
    check_decision,
    date_window,
)
from ceasefire.editing.values import Invalid


@pytest.mark.parametrize(
    "day, precision, window",
    [
        (date(2020, 10, 26), "day", (date(2020, 10, 26), date(2020, 10, 26))),
        (date(2020, 10, 26), "week", (date(2020, 10, 26), date(2020, 11, 1))),
        (date(2020, 10, 1), "month", (date(2020, 10, 1), date(2020, 10, 31))),
        (date(2020, 2, 1), "month", (date(2020, 2, 1), date(2020, 2, 29))),  # a leap year
        (date(2021, 2, 1), "month", (date(2021, 2, 1), date(2021, 2, 28))),
        (date(2020, 12, 28), "week", (date(2020, 12, 28), date(2021, 1, 3))),
    ],
)
def test_the_days_a_date_stands_for(day, precision, window):
    assert date_window(day, precision) == window


D = date(2020, 10, 26)


@pytest.mark.parametrize(
    "other, gap",
    [
        ((date(2020, 10, 26), date(2020, 10, 26)), 0),
        ((date(2020, 10, 1), date(2020, 10, 31)), 0),  # the month holds the day
        ((date(2020, 10, 27), date(2020, 10, 27)), 1),  # after
        ((date(2020, 10, 29), date(2020, 11, 4)), 3),
        ((date(2020, 10, 25), date(2020, 10, 25)), 1),  # before
        ((date(2020, 9, 1), date(2020, 9, 30)), 26),
    ],
)
def test_the_days_between_two_date_windows(other, gap):
    assert _gap(D, D, *other) == gap
    assert _gap(*other, D, D) == gap  # either way round


@pytest.mark.parametrize(
    "one, other",
    [
        ("Jabal al-Duwaila", "Jebel Duwayla"),
        ("Jisr ash-Shughur", "Jisr Shughour"),
        ("Jabal az-Zawiyah, near Kansafra", "Jebel Zawiya"),
        ("Al-Bara", "El Bara"),
    ],
)
def test_a_place_spelled_with_or_without_its_article_is_one_place(one, other):
    assert _place_keys(one) & _place_keys(other)


def test_names_that_differ_beyond_articles_and_spelling_stay_apart():
    assert not _place_keys("Kafr Nabl") & _place_keys("Kafr Takharim")
    assert not _place_keys("Jabal al-Duwaila") & _place_keys("Jabal al-Arbain")


def test_a_place_is_known_by_its_whole_name_and_by_the_name_before_a_comma():
    assert _place_keys("Jabal al-Duwaila, near Sarmin") == {
        "jabaldwaila",
        "jabaldwailaniarsarmin",
    }
    assert _place_keys("Sarmin") == {"sarmin"}
    assert _place_keys(None) == _place_keys("") == _place_keys(" , ") == set()


def candidate(**given) -> Candidate:
    values = {
        "incident_id": 4,
        "occurred_on": D,
        "date_precision": "day",
        "place_name": "Sarmin",
        "governorate": "Idleb",
        "district": "Idleb",
        "weapon": "airstrike",
        "origin": "acled",
        "origin_id": "SYR1",
        "linked_to": None,
        "km": None,
        "day_gap": 0,
        "nearby": False,
        "shared_sources": [],
        "same_report": False,
    }
    return Candidate(**{**values, **given})


@pytest.mark.parametrize(
    "given, why",
    [
        ({"km": 1.25, "nearby": True}, "1.2 km away, the same day"),
        ({"km": 5.0, "nearby": True, "day_gap": 1}, "5.0 km away, 1 day apart"),
        ({"nearby": True, "day_gap": 2}, "the same place, 2 days apart"),
        ({"km": 5.01, "shared_sources": ["SANA"]}, "on the same day; also cites SANA"),
        (
            {"km": 40.0, "day_gap": 1, "shared_sources": ["SANA", "Sputnik"]},
            "1 day apart; also cites SANA, Sputnik",
        ),
        (
            {"day_gap": 400, "same_report": True},
            "400 days apart; a claim links to the same report",
        ),
        (
            {"km": 0.0, "nearby": True, "shared_sources": ["SANA"], "same_report": True},
            "0.0 km away, the same day; also cites SANA; a claim links to the same report",
        ),
    ],
)
def test_why_a_candidate_is_offered_in_words(given, why):
    assert candidate(**given).why == why


def test_an_undecided_save_names_the_candidates_and_what_to_do():
    one = SameEventUndecided([candidate()])
    assert str(one) == (
        "possibly the same event as incident 4: link it to one of them (the same event, "
        "counted once) or mark it distinct with a note"
    )
    two = SameEventUndecided([candidate(incident_id=4), candidate(incident_id=9)])
    assert str(two).startswith("possibly the same event as incidents 4, 9: link it")
    many = [candidate(incident_id=i) for i in range(1, same_event.SHOWN + 3)]
    error = SameEventUndecided(many)
    assert error.candidates == many
    listed = ", ".join(str(i) for i in range(1, same_event.SHOWN + 1))
    assert str(error).startswith(f"possibly the same event as incidents {listed}: link")


@pytest.fixture
def con():
    """A connection with only the incident table's id and demo flag: what a link reads."""
    connection = duckdb.connect()
    connection.execute("CREATE TABLE incident (incident_id BIGINT, is_demo BOOLEAN)")
    connection.execute("INSERT INTO incident VALUES (1, false), (2, true)")
    yield connection
    connection.close()


def test_which_decisions_settle_a_save(con):
    found = [candidate(incident_id=1), candidate(incident_id=3)]
    # nothing proposed: no decision needed, and a distinct mark is not checked
    check_decision(con, [], None)
    check_decision(con, [], Distinct(""))
    # a link to a stored, real incident settles it, proposed or not
    check_decision(con, found, Link(1))
    check_decision(con, [], Link(1))
    check_decision(con, found, Distinct("two strikes", seen=(1, 3)))
    check_decision(con, found, Distinct("two strikes", seen=(3, 1, 9)))
    check_decision(con, found, Distinct("two strikes"))
    with pytest.raises(SameEventUndecided) as undecided:
        check_decision(con, found, None)
    assert undecided.value.candidates == found
    with pytest.raises(SameEventUndecided):  # incident 3 was not shown
        check_decision(con, found, Distinct("two strikes", seen=(1,)))
    with pytest.raises(Invalid) as blank:
        check_decision(con, found, Distinct(" \n "))
    assert blank.value.errors == {"note": "say why it is a distinct event (a note is required)"}
    with pytest.raises(Invalid):  # no note at all (the command line's --distinct alone)
        check_decision(con, found, Distinct(None))
    with pytest.raises(Invalid) as missing:
        check_decision(con, [], Link(9))
    assert missing.value.errors == {"link": "incident 9 is not in the store"}
    with pytest.raises(Invalid) as demo:
        check_decision(con, found, Link(2))
    assert demo.value.errors == {"link": "incident 2 is a demo incident"}
    with pytest.raises(TypeError, match="a Link or a Distinct, not 'distinct'"):
        check_decision(con, found, "distinct")


# --- the candidates a store offers, on a hand-made store (the schema, no reference data)

NEW = {
    "occurred_on": date(2020, 10, 26),
    "date_precision": "day",
    "place_name": "Jabal al-Duwaila",
    "latitude": 36.2,
    "longitude": 36.52,
}
NEW_CLAIMS = [
    {"source_name": "Orient News", "url": "https://example.org/r1"},
    {"source_name": "SANA", "url": None},
    {"source_name": None, "url": ""},
]
KM_NORTH = 1 / 111.2  # degrees of latitude per km


@pytest.fixture
def offered_store():
    """Incidents around the new one (``NEW``), each named by its origin_id for what it
    tests; sources 1 Orient News, 2 SANA, 3 SOHR; actor 1 Russia."""
    from ceasefire import store

    con = store.connect(":memory:")
    con.execute(
        "INSERT INTO source VALUES (1, 'Orient News', 'media', 'opposition', NULL), "
        "(2, 'SANA', 'media', 'pro-government', NULL), (3, 'SOHR', 'monitor', 'unknown', NULL)"
    )
    con.execute("INSERT INTO actor VALUES (1, 'Russia', 'pro-government coalition', false)")
    near = (36.2, 36.52)
    rows = [
        # id, origin_id, day, precision, place, (lat, lon), is_demo, linked_to
        (1, "near", "2020-10-26", "day", "Haram", near, False, None),
        (2, "4.8-km", "2020-10-26", "day", None, (36.2 + 4.8 * KM_NORTH, 36.52), False, None),
        (3, "5.2-km", "2020-10-26", "day", None, (36.2 + 5.2 * KM_NORTH, 36.52), False, None),
        (4, "day-before", "2020-10-25", "day", None, near, False, None),
        (5, "two-days-before", "2020-10-24", "day", None, near, False, None),
        (6, "two-days-after", "2020-10-28", "day", None, near, False, None),
        (7, "week-to-25th", "2020-10-19", "week", None, near, False, None),
        (8, "week-to-24th", "2020-10-18", "week", None, near, False, None),
        (9, "october", "2020-10-01", "month", "Jabal al Duwaila, near Sarmin", (None, None),
         False, None),
        (10, "september", "2020-09-01", "month", "Jabal al-Duwaila", (None, None), False, None),
        (11, "other-place", "2020-10-26", "day", "Sarmin", (None, None), False, None),
        (12, "same-source", "2020-10-27", "day", None, (35.0, 36.0), False, None),
        (13, "source-late", "2020-10-28", "day", None, (35.0, 36.0), False, None),
        (14, "report", "2019-01-01", "day", None, (35.0, 36.0), False, None),
        (15, "demo", "2020-10-26", "day", "Haram", near, True, None),
        (16, "linked", "2020-10-26", "day", None, (36.2 + 1 * KM_NORTH, 36.52), False, 1),
    ]  # fmt: skip
    for iid, key, day, precision, place, (lat, lon), demo, linked in rows:
        con.execute(
            "INSERT INTO incident (incident_id, occurred_on, date_precision, place_name, "
            "governorate, district, latitude, longitude, location_precision, weapon, "
            "target_type, origin, origin_id, verification, is_demo, linked_to) VALUES "
            "(?, ?, ?, ?, 'Idleb', 'Harim', ?, ?, 'exact', 'airstrike', 'unknown', 'acled', "
            "?, 'reported', ?, ?)",
            [iid, day, precision, place, lat, lon, key, demo, linked],
        )
    claims = [
        # claim id, incident, source, actor, killed (min, max, qualifier), url, quote
        (1, 1, 3, 1, (31, None, "more than"), None, "  struck  "),
        (2, 1, 2, None, (None, 75, None), None, None),
        (3, 1, 1, 1, (None, None, None), None, None),
        (4, 1, 2, 1, (4, 4, None), None, None),
        (5, 12, 1, None, (None, None, None), None, None),
        (6, 13, 1, None, (None, None, None), None, None),
        (7, 14, 3, None, (None, None, None), "https://example.org/r1", None),
        (8, 15, 1, None, (None, None, None), "https://example.org/r1", None),
        (9, 3, 3, None, (None, None, None), None, None),
    ]
    for cid, iid, source, actor, (low, high, word), url, quote in claims:
        con.execute(
            "INSERT INTO claim (claim_id, incident_id, source_id, alleged_actor_id, role, "
            "attribution_basis, killed_min, killed_max, killed_qualifier, wounded_min, "
            "url, quote, is_demo) VALUES (?, ?, ?, ?, 'perpetrator', 'stated', ?, ?, ?, ?, "
            "?, ?, false)",
            [cid, iid, source, actor, low, high, word, cid, url, quote],
        )
    yield con
    con.close()


def test_the_incidents_a_store_offers_and_why(offered_store):
    found = same_event.candidates(offered_store, NEW, NEW_CLAIMS)
    assert [(c.origin_id, c.why) for c in found] == [
        # nearby first, then by the sources shared, the distance and the days apart
        ("near", "0.0 km away, the same day; also cites Orient News, SANA"),
        ("day-before", "0.0 km away, 1 day apart"),
        ("week-to-25th", "0.0 km away, 1 day apart"),
        ("linked", "1.0 km away, the same day"),
        ("4.8-km", "4.8 km away, the same day"),
        ("october", "the same place, the same day"),
        ("same-source", "1 day apart; also cites Orient News"),
        ("report", "664 days apart; a claim links to the same report"),
    ]
    by_key = {c.origin_id: c for c in found}
    near = by_key["near"]
    assert (near.incident_id, near.occurred_on, near.date_precision, near.place_name) == (
        1, date(2020, 10, 26), "day", "Haram"
    )  # fmt: skip
    assert (near.governorate, near.district, near.weapon, near.origin, near.linked_to) == (
        "Idleb", "Harim", "airstrike", "acled", None
    )  # fmt: skip
    assert (near.nearby, near.same_report, near.day_gap) == (True, False, 0)
    assert by_key["linked"].linked_to == 1
    assert by_key["october"].km is None and by_key["october"].nearby
    assert by_key["october"].date_precision == "month"
    assert not by_key["same-source"].nearby and by_key["same-source"].km > 100
    assert by_key["report"].same_report and by_key["report"].shared_sources == []
    assert by_key["report"].occurred_on == date(2019, 1, 1)
    # the claims of each, as stored, oldest first, to show beside the new incident's
    assert near.claims == [
        {"source": "SOHR", "alleged_actor": "Russia", "role": "perpetrator",
         "killed_min": 31, "killed_max": None, "killed_qualifier": "more than",
         "wounded_min": 1, "wounded_max": None, "wounded_qualifier": None,
         "quote": "  struck  "},
        {"source": "SANA", "alleged_actor": None, "role": "perpetrator",
         "killed_min": None, "killed_max": 75, "killed_qualifier": None,
         "wounded_min": 2, "wounded_max": None, "wounded_qualifier": None, "quote": None},
        {"source": "Orient News", "alleged_actor": "Russia", "role": "perpetrator",
         "killed_min": None, "killed_max": None, "killed_qualifier": None,
         "wounded_min": 3, "wounded_max": None, "wounded_qualifier": None, "quote": None},
        {"source": "SANA", "alleged_actor": "Russia", "role": "perpetrator",
         "killed_min": 4, "killed_max": 4, "killed_qualifier": None,
         "wounded_min": 4, "wounded_max": None, "wounded_qualifier": None, "quote": None},
    ]  # fmt: skip
    assert [c["source"] for c in by_key["report"].claims] == ["SOHR"]
    assert by_key["4.8-km"].claims == []


def test_a_week_or_month_date_is_offered_what_lies_within_a_day_of_its_window(offered_store):
    week = {**NEW, "occurred_on": date(2020, 10, 20), "date_precision": "week"}  # 20th-26th
    found = {c.origin_id: c.day_gap for c in same_event.candidates(offered_store, week, [])}
    assert found == {
        "near": 0, "4.8-km": 0, "day-before": 0, "two-days-before": 0, "week-to-25th": 0,
        "week-to-24th": 0, "october": 0, "linked": 0,
    }  # fmt: skip
    month = {**NEW, "occurred_on": date(2020, 9, 1), "date_precision": "month", "latitude": None}
    found = {c.origin_id: c.day_gap for c in same_event.candidates(offered_store, month, [])}
    assert found == {"september": 0, "october": 1}


def test_only_the_shown_candidates_carry_their_claims(offered_store, monkeypatch):
    monkeypatch.setattr(same_event, "SHOWN", 1)
    found = same_event.candidates(offered_store, NEW, NEW_CLAIMS)
    assert len(found) == 8 and len(found[0].claims) == 4
    assert all(c.claims == [] for c in found[1:])
    assert same_event.candidates(offered_store, {**NEW, "occurred_on": "1990-01-01"}, []) == []


def derived(con) -> dict:
    """The derived rows (``derive._DERIVED``), to compare with a full rebuild's."""
    from ceasefire.tables import derive

    return {
        t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in derive._DERIVED
    }


def rebuilt(con) -> dict:
    from ceasefire.tables import derive

    derive.refresh(con)
    return derived(con)


def add_new(con, incident_id: int) -> None:
    con.execute(
        "INSERT INTO incident SELECT * REPLACE (? AS incident_id, 'new-' || ? AS origin_id, "
        "'manual' AS origin) FROM incident WHERE incident_id = 1",
        [incident_id, incident_id],
    )


def test_a_link_is_logged_counts_the_event_once_and_reverts(offered_store):
    con = offered_store
    from ceasefire import editing
    from ceasefire.tables import derive

    derive.refresh(con)
    add_new(con, 20)
    derive.refresh(con)
    # a link to a linked incident is a link to its event's canonical incident
    assert same_event.canonical(con, 16) == 1 and same_event.canonical(con, 1) == 1
    link = same_event.apply_decision(con, 20, [], Link(16, note="one strike"), "Ed")
    assert con.execute("SELECT linked_to FROM incident WHERE incident_id = 20").fetchone() == (1,)
    assert same_event.canonical(con, 20) == 1
    assert derived(con) == rebuilt(con)  # the event's rows rebuilt as a full rebuild makes them
    entry = editing.history(con)[0]
    assert {k: entry[k] for k in ("change_id", "editor", "entity", "entity_id", "action")} == {
        "change_id": link, "editor": "Ed", "entity": "incident", "entity_id": "20",
        "action": "link",
    }  # fmt: skip
    assert (entry["old"], entry["new"], entry["note"], entry["reverts"]) == (
        {"linked_to": None}, {"linked_to": 1}, "one strike", None
    )  # fmt: skip
    undo = same_event.revert_decision(con, entry, "Al", "not the same")
    assert con.execute("SELECT linked_to FROM incident WHERE incident_id = 20").fetchone() == (
        None,
    )
    assert derived(con) == rebuilt(con)
    undone = editing.history(con)[0]
    assert (undone["change_id"], undone["action"], undone["editor"], undone["note"]) == (
        undo, "unlink", "Al", "not the same"
    )  # fmt: skip
    assert (undone["old"], undone["new"], undone["reverts"]) == (
        {"linked_to": 1}, {"linked_to": None}, link
    )  # fmt: skip
    with pytest.raises(ValueError) as later:
        same_event.revert_decision(con, entry, "Ed", None)
    assert str(later.value) == ("incident 20 is now linked to None; revert the later change first")
    # the undoing undone: linked again
    again = same_event.revert_decision(con, undone, "Ed", None)
    assert con.execute("SELECT linked_to FROM incident WHERE incident_id = 20").fetchone() == (1,)
    assert editing.history(con)[0]["action"] == "link"
    assert editing.history(con)[0]["reverts"] == undo and again > undo
    assert derived(con) == rebuilt(con)


def test_a_distinct_mark_is_logged_with_its_pairs_and_reverts(offered_store):
    con = offered_store
    from ceasefire import editing

    add_new(con, 21)
    found = [candidate(incident_id=4), candidate(incident_id=1)]
    start = len(editing.history(con))
    assert same_event.apply_decision(con, 21, [], Distinct("apart"), "Ed") is None
    assert same_event.apply_decision(con, 21, found, None, "Ed") is None
    assert len(editing.history(con)) == start  # nothing to decide: nothing logged
    mark = same_event.apply_decision(con, 21, found, Distinct("two strikes"), "Ed")
    assert same_event.distinct_rows(con, 21) == [[21, 1, mark], [21, 4, mark]]
    assert same_event.distinct_rows(con, 4) == [[21, 4, mark]]
    assert same_event.distinct_rows(con, 3) == []
    entry = editing.history(con)[0]
    assert (entry["change_id"], entry["entity_id"], entry["action"], entry["editor"]) == (
        mark, "21", "distinct", "Ed"
    )  # fmt: skip
    assert (entry["old"], entry["new"], entry["note"], entry["reverts"]) == (
        {"distinct_from": []}, {"distinct_from": [1, 4]}, "two strikes", None
    )  # fmt: skip
    undo = same_event.revert_decision(con, entry, "Al", "the same after all")
    assert same_event.distinct_rows(con, 21) == []
    undone = editing.history(con)[0]
    assert (undone["change_id"], undone["action"], undone["old"], undone["new"]) == (
        undo, "distinct", {"distinct_from": [1, 4]}, {"distinct_from": []}
    )  # fmt: skip
    assert (undone["editor"], undone["note"], undone["reverts"]) == (
        "Al", "the same after all", mark
    )  # fmt: skip
    with pytest.raises(ValueError) as later:
        same_event.revert_decision(con, entry, "Ed", None)
    assert str(later.value) == (
        "incident 21 is now marked distinct from []; revert the later change first"
    )
    again = same_event.revert_decision(con, undone, "Ed", None)
    assert same_event.distinct_rows(con, 21) == [[21, 1, again], [21, 4, again]]


def test_an_incident_exactly_at_the_distance_limit_is_offered(offered_store, monkeypatch):
    from ceasefire import gazetteer

    edge = gazetteer.distance_km(36.2, 36.52, 36.2 + 4.8 * KM_NORTH, 36.52)
    monkeypatch.setattr(same_event, "MAX_KM", edge)
    found = {c.origin_id: c.nearby for c in same_event.candidates(offered_store, NEW, [])}
    assert found["4.8-km"] is True
    monkeypatch.setattr(same_event, "MAX_KM", edge - 1e-9)
    assert "4.8-km" not in {c.origin_id for c in same_event.candidates(offered_store, NEW, [])}


def test_a_date_given_as_a_timestamps_text_is_its_day(offered_store):
    timestamp = {**NEW, "occurred_on": "2020-10-26T00:00:00"}
    assert [c.incident_id for c in same_event.candidates(offered_store, timestamp, [])] == [
        c.incident_id for c in same_event.candidates(offered_store, NEW, [])
    ]


def test_a_link_rebuilds_the_derived_rows_of_both_events_only(offered_store, monkeypatch):
    from ceasefire.tables import derive

    add_new(offered_store, 20)
    scopes = []
    monkeypatch.setattr(
        derive, "refresh", lambda con, incidents=None, **_: scopes.append(incidents)
    )
    same_event.apply_decision(offered_store, 20, [], Link(16), "Ed")
    assert scopes == [[20, 1]]  # the new incident and the event it joins, not the whole store
