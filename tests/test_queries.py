"""The queries reconcile with plain SQL counts on the same store.

Each figure is recomputed here by a deliberately naive query over the fact tables
(incident, claim, actor), not over the derived tables the app reads."""

from datetime import date

import pytest

from ceasefire import queries
from ceasefire.filters import Filter
from ceasefire.sqlparams import positional


def plain_count(con, where: str = "true", params=()) -> int:
    return con.execute(
        f"SELECT count(*) FROM incident i WHERE linked_to IS NULL AND {where}", list(params)
    ).fetchone()[0]


def test_incident_count_reconciles(demo_con):
    assert queries.headline(demo_con, Filter())["incidents"] == plain_count(demo_con)


def test_casualty_ranges_reconcile_with_claims(demo_con):
    h = queries.headline(demo_con, Filter())
    low, high = demo_con.execute(
        """SELECT sum(lo), sum(hi) FROM (
             SELECT incident_id, min(killed_min) AS lo, max(coalesce(killed_max, killed_min)) AS hi
             FROM claim GROUP BY incident_id)"""
    ).fetchone()
    assert (h["killed_min"], h["killed_max"]) == (low, high)
    assert h["killed_min"] <= h["killed_max"]


def test_a_page_lists_each_rows_alleged_actors_from_its_claims(demo_con):
    """Every row of a page (first, a middle one, the last) names the actors its
    perpetrator claims name (its own and its linked records'), sorted and joined with
    '; ', and None when no claim names one; recomputed naively from claim and actor."""
    total = plain_count(demo_con)
    for offset in (0, total // 2, total - 40):
        page = queries.incidents(demo_con, Filter(), 40, offset, "newest", total=total)
        assert len(page) == min(40, total - offset)
        for row in page.itertuples():
            names = demo_con.execute(
                "SELECT DISTINCT a.name FROM claim c JOIN incident i USING (incident_id) "
                "JOIN actor a ON a.actor_id = c.alleged_actor_id "
                "WHERE coalesce(i.linked_to, i.incident_id) = ? AND c.role <> 'party' "
                "ORDER BY a.name",
                [int(row.incident_id)],
            ).fetchall()
            want = "; ".join(n for (n,) in names) or None
            got = row.alleged_actors if isinstance(row.alleged_actors, str) else None
            assert got == want, (row.incident_id, got, want)


def test_filtered_counts_reconcile(demo_con):
    f = Filter(
        start=date(2019, 4, 26),
        end=date(2019, 8, 31),
        target_types=("market", "medical"),
        governorates=("Idleb",),
    )
    expected = plain_count(
        demo_con,
        "occurred_on BETWEEN ? AND ? AND target_type IN ('market', 'medical') AND governorate = 'Idleb'",
        [date(2019, 4, 26), date(2019, 8, 31)],
    )
    assert queries.headline(demo_con, f)["incidents"] == expected > 0
    assert queries.target_types(demo_con, f).incidents.sum() == expected


def test_timeline_under_any_attribution_counts_each_named_actor(demo_con):
    timeline = queries.timeline(demo_con, Filter(), "month")
    per_actor = timeline.groupby("actor").incidents.sum()
    expected = dict(
        demo_con.execute(
            """SELECT a.name, count(DISTINCT c.incident_id) FROM claim c
           JOIN actor a ON a.actor_id = c.alleged_actor_id GROUP BY a.name"""
        ).fetchall()
    )
    unknown = plain_count(
        demo_con,
        "NOT EXISTS (SELECT 1 FROM claim c WHERE c.incident_id = "
        "i.incident_id AND c.alleged_actor_id IS NOT NULL)",
    )
    assert per_actor.drop("Unknown").to_dict() == expected
    assert per_actor["Unknown"] == unknown


def test_majority_timeline_sums_to_the_incident_count(demo_con):
    f = Filter(attribution="majority")
    assert (
        queries.timeline(demo_con, f, "week").incidents.sum()
        == queries.headline(demo_con, f)["incidents"]
    )
    assert (
        queries.actor_target(demo_con, f).incidents.sum()
        == queries.headline(demo_con, f)["incidents"]
    )


def test_violation_count_reconciles_with_its_definition(demo_con):
    f = Filter(agreement="moscow-2020")
    h = queries.headline(demo_con, f)
    violations = demo_con.execute(
        "SELECT count(*) FROM incident_fact WHERE list_contains(violated_agreements, 'moscow-2020')"
    ).fetchone()[0]
    assert h["alleged_violations"] == violations
    assert queries.headline(demo_con, f.with_(violations_only=True))["incidents"] == violations


def test_empty_results_are_zero_not_errors(demo_con):
    f = Filter(start=date(2030, 1, 1))
    h = queries.headline(demo_con, f)
    assert (h["incidents"], h["killed_min"], h["killed_max"]) == (0, 0, 0)
    assert queries.timeline(demo_con, f).empty
    frame, binned = queries.map_frame(demo_con, f)
    assert frame.empty and not binned


def test_missing_coordinates_are_counted_not_lost(demo_con):
    h = queries.headline(demo_con, Filter())
    frame, binned = queries.map_frame(demo_con, Filter())
    assert h["without_coordinates"] > 0
    assert frame.incidents.sum() + h["without_coordinates"] == h["incidents"]


def test_map_bins_above_the_point_limit(demo_con, monkeypatch):
    monkeypatch.setattr(queries.mapping, "MAP_POINT_LIMIT", 100)
    frame, binned = queries.map_frame(demo_con, Filter())
    assert (
        binned
        and frame.incidents.sum()
        == queries.headline(demo_con, Filter())["incidents"]
        - queries.headline(demo_con, Filter())["without_coordinates"]
    )


@pytest.mark.parametrize("name", sorted(queries.QUERIES))
def test_sql_for_every_figure_runs_as_printed(demo_con, name):
    f = Filter(actors=("Russia",), agreement="sochi-2018", start=date(2019, 1, 1))
    sql, params = queries.sql_for(name, f)
    named = demo_con.execute(sql, params).fetchall()
    assert named
    # what `python -m ceasefire sql` prints (? marks, values in order) gives the same rows
    printed, values = positional(sql, params)
    assert "$" not in printed and len(values) == printed.count("?")
    assert demo_con.execute(printed, values).fetchall() == named
