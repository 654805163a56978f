"""The demonstration data: deterministic, flagged, removable in one step."""

from datetime import date

from ceasefire import demo, queries
from ceasefire.filters import Filter


def test_same_seed_same_data():
    a_inc, a_claims = demo.generate(500, seed=7)
    b_inc, b_claims = demo.generate(500, seed=7)
    assert a_inc.equals(b_inc) and a_claims.equals(b_claims)


def test_every_demo_row_is_flagged_and_credited_as_synthetic(demo_con):
    n_demo = demo_con.execute("SELECT count(*) FROM incident WHERE origin = 'demo'").fetchone()[0]
    assert n_demo > 2000
    assert queries.demo_row_count(demo_con) == n_demo
    assert (
        demo_con.execute(
            "SELECT count(*) FROM claim c JOIN incident i USING (incident_id) WHERE i.is_demo <> c.is_demo"
        ).fetchone()[0]
        == 0
    )
    assert all(
        s.startswith("Demo ")
        for s in demo_con.execute(
            "SELECT DISTINCT s.name FROM claim c JOIN source s USING (source_id) WHERE c.is_demo"
        ).fetchnumpy()["name"]
    )
    assert "SYNTHETIC" in queries.ORIGIN_CREDITS["demo"]


def test_demo_has_conflicting_claims_and_rates_that_fall_after_the_ceasefire(demo_con):
    assert queries.headline(demo_con, Filter())["disputed"] > 100
    counts = queries.compare_counts(demo_con, Filter(), date(2020, 3, 6), 90, "moscow-2020")
    overall = counts[counts.breakdown == "all"].set_index("period").incidents
    assert overall["before"] > 3 * overall["after"]


def test_removing_demo_rows_leaves_only_real_ones(seeded):
    demo.load_demo(seeded, size=300)
    assert demo.remove_demo(seeded, editor="tests") > 200
    assert queries.demo_row_count(seeded) == 0
    assert queries.headline(seeded, Filter())["incidents"] == 1
