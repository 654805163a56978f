"""The founding incident: the Jabal al-Duwaila strike, 26 October 2020, coded by hand
from the Syrian Observer article, keeps every claim with its source."""

from ceasefire import queries
from ceasefire.filters import Filter


def claims(con):
    return queries.incident_claims(
        con, con.execute("SELECT incident_id FROM incident").fetchone()[0]
    )


def test_every_source_in_the_article_is_a_claim(seeded):
    frame = claims(seeded).set_index("source")
    assert sorted(frame.index) == [
        "Al-Mayadeen",
        "Al-Watan",
        "Baladi News",
        "National Liberation Front",
        "Sputnik",
    ]
    assert frame.loc["Baladi News", ["killed_min", "wounded_min"]].tolist() == [31, 31]
    assert frame.loc["Al-Watan", ["killed_min", "killed_max"]].tolist() == [43, 43]
    assert frame.loc["Sputnik", "killed_max"] == 75
    assert frame.loc["Sputnik", "source_affiliation"] == "Russian state"


def test_moscow_and_damascus_blame_each_other(seeded):
    frame = claims(seeded)
    assert frame.set_index("source").loc["Sputnik", "alleged_actor"] == "Syrian government"
    assert (frame.alleged_actor == "Russia").sum() == 4
    fact = seeded.execute(
        "SELECT is_disputed, killed_min, killed_max, majority_actor_id, violated_agreements "
        "FROM incident_fact"
    ).fetchone()
    russia = seeded.execute("SELECT actor_id FROM actor WHERE name = 'Russia'").fetchone()[0]
    assert fact == (True, 31, 75, russia, ["astana-2017", "moscow-2020", "sochi-2018"])


def test_the_range_is_shown_not_a_single_number(seeded):
    h = queries.headline(seeded, Filter())
    assert (h["killed_min"], h["killed_max"]) == (31, 75)


def test_source_attribution_follows_the_named_source(seeded):
    by_source = queries.timeline(seeded, Filter(attribution="source", attribution_source="Sputnik"))
    assert by_source.actor.tolist() == ["Syrian government"]
