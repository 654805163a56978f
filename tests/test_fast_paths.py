"""The Overview's fast queries give exactly what the plain reference queries give.

``queries.summary`` (one scan for headline, target types and origins) and
``queries.attributed_counts`` (timeline and actor x target in one query, under 'any'
attribution a scan of the precomputed ``incident_actor_fact``) exist for speed. Each
must equal the readable queries it replaces (``headline``, ``target_types``,
``origins_in_view``, ``timeline``, ``actor_target``) for every kind of filter: these
filters touch every field of ``Filter`` and every attribution mode.
"""

from datetime import date

import pandas as pd
import pytest

from ceasefire import queries
from ceasefire.filters import Filter

FILTERS = {
    "everything": Filter(),
    "a year": Filter(start=date(2019, 1, 1), end=date(2019, 12, 31)),
    "from a date": Filter(start=date(2020, 3, 6)),
    "one actor": Filter(actors=("Russia",)),
    "two actors in 2019": Filter(
        start=date(2019, 1, 1), end=date(2019, 12, 31), actors=("Russia", "Syrian government")
    ),
    "a side": Filter(sides=("opposition factions",)),
    "agreement, violations": Filter(agreement="moscow-2020", violations_only=True),
    "violations of any agreement": Filter(violations_only=True),
    "targets and governorate": Filter(
        target_types=("market", "medical", "school/education"), governorates=("Idleb",)
    ),
    "weapon, district, status": Filter(
        weapons=("shelling/artillery",), districts=("Ariha", "Idleb"), verification=("disputed",)
    ),
    "origin": Filter(origins=("manual",)),
    "no demo": Filter(include_demo=False),
    "majority": Filter(attribution="majority"),
    "majority, an actor": Filter(attribution="majority", actors=("Syrian government",)),
    "source": Filter(attribution="source", attribution_source="Sputnik"),
    "source, an actor": Filter(
        attribution="source", attribution_source="Al-Watan", actors=("Russia",)
    ),
    "nothing matches": Filter(start=date(2001, 1, 1), end=date(2001, 1, 2)),
}


@pytest.mark.parametrize("label", FILTERS)
def test_attributed_counts_equal_timeline_and_actor_target(demo_con, label):
    f = FILTERS[label]
    timeline, matrix = queries.attributed_counts(demo_con, f, "week")
    pd.testing.assert_frame_equal(timeline, queries.timeline(demo_con, f, "week"))
    pd.testing.assert_frame_equal(matrix, queries.actor_target(demo_con, f))


@pytest.mark.parametrize("label", FILTERS)
def test_summary_equals_headline_target_types_and_origins(demo_con, label):
    f = FILTERS[label]
    head, types, origins = queries.summary(demo_con, f)
    expected = queries.headline(demo_con, f)
    assert {k: _plain(v) for k, v in head.items()} == {k: _plain(v) for k, v in expected.items()}
    pd.testing.assert_frame_equal(types, queries.target_types(demo_con, f), check_dtype=False)
    assert origins == queries.origins_in_view(demo_con, f)


def test_the_filters_above_select_something_and_narrow_the_view(demo_con):
    """Guards the two tests above against passing on empty results, or on filters that
    select everything (a filter dropped from both sides of a comparison would pass)."""
    total = demo_con.execute("SELECT count(*) FROM incident_fact").fetchone()[0]
    counts = {label: queries.headline(demo_con, f)["incidents"] for label, f in FILTERS.items()}
    assert counts["everything"] == total
    assert {label for label, n in counts.items() if n == 0} == {"nothing matches"}
    # every filter but these two leaves incidents out ('majority' alone only changes
    # under which actor an incident counts)
    assert {label for label, n in counts.items() if n == total} == {"everything", "majority"}


def test_incident_actor_fact_is_the_join_of_incidents_to_their_actors(demo_con):
    expected = demo_con.execute(
        """SELECT f.incident_id, ia.actor_id FROM incident_fact f
           LEFT JOIN incident_actor ia USING (incident_id) ORDER BY ALL"""
    ).fetchall()
    stored = demo_con.execute(
        "SELECT incident_id, actor_id FROM incident_actor_fact ORDER BY ALL"
    ).fetchall()
    assert stored == expected
    assert any(actor is None for _, actor in stored)  # incidents nobody is blamed for


def _plain(value):
    """NaT/None and numpy scalars compared as plain values."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def test_stored_shortcuts_equal_what_they_stand_for(demo_con):
    """incident_fact's convenience columns never disagree with the columns they sum up."""
    disagreements = demo_con.execute(
        """SELECT count(*) FROM incident_fact
           WHERE is_alleged_violation IS DISTINCT FROM (len(violated_agreements) > 0)
              OR has_coordinates IS DISTINCT FROM (latitude IS NOT NULL AND longitude IS NOT NULL)
              OR origins_key IS DISTINCT FROM array_to_string(origins, ';')"""
    ).fetchone()[0]
    assert disagreements == 0
    assert (
        demo_con.execute(
            "SELECT count(DISTINCT is_alleged_violation) + count(DISTINCT has_coordinates) "
            "FROM incident_fact"
        ).fetchone()[0]
        == 4
    )  # both values of each occur, so the check above means something
