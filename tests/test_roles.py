"""Who did it, honestly: claim roles, the clash rule and how charts group clashes.

Hand-made incidents; expectations are literals from the rule in derive.py."""

from datetime import date

import duckdb
import pytest

from ceasefire import queries
from ceasefire.filters import CLASH_GROUP, Filter
from ceasefire.records import ClaimRecord
from conftest import incident, write


def party(actor: str, source: str = "ACLED") -> ClaimRecord:
    return ClaimRecord(source_name=source, alleged_actor=actor, role="party", killed_min=2)


def fact(con, origin_id: str) -> dict:
    cursor = con.execute(
        "SELECT f.* FROM incident_fact f JOIN incident i USING (incident_id) WHERE i.origin_id = ?",
        [origin_id],
    )
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def clash(origin_id: str, *actors: str, **fields):
    fields.setdefault("weapon", "ground clash")
    return incident(origin_id, date(2020, 6, 1), claims=[party(a) for a in actors], **fields)


def test_a_clash_between_two_bound_sides_is_a_violation_direction_undetermined(con):
    write(
        con,
        clash("gov-rebels", "Military Forces of Syria (2000-)", "Opposition Rebels (Syria)"),
        clash("gov-turkey", "Syrian Arab Army", "Turkish Military"),
        clash("gov-hts", "Syrian Arab Army", "HTS: Hayat Tahrir al-Sham"),
        clash("gov-russia", "Syrian Arab Army", "Russian forces"),  # one side
        clash(
            "outside",
            "Syrian Arab Army",
            "Turkish Military",
            district="Afrin",
            governorate="Aleppo",
        ),
        clash("one-party", "Syrian Arab Army"),
    )
    for key in ("gov-rebels", "gov-turkey"):
        row = fact(con, key)
        assert row["is_clash"] and row["direction_undetermined"], key
        assert row["violated_agreements"] == ["astana-2017", "moscow-2020", "sochi-2018"]
        assert row["n_alleged_actors"] == 0 and row["majority_actor_id"] is None
    assert fact(con, "gov-rebels")["clash_pair"] == "Opposition rebels – Syrian government"
    for key in ("gov-hts", "gov-russia", "outside", "one-party"):
        row = fact(con, key)
        assert row["is_clash"] and not row["is_alleged_violation"], key
        assert not row["direction_undetermined"]


def test_a_perpetrator_claim_makes_it_a_directed_incident(con):
    claims = [
        party("Syrian Arab Army"),
        party("Opposition rebels"),
        ClaimRecord(source_name="Outlet", alleged_actor="Russia"),
    ]
    write(con, incident("mixed", date(2020, 6, 1), claims=claims))
    row = fact(con, "mixed")
    assert not row["is_clash"] and row["is_alleged_violation"]
    assert not row["direction_undetermined"]
    names = con.execute(
        "SELECT a.name FROM incident_actor JOIN actor a USING (actor_id)"
    ).fetchall()
    assert names == [("Russia",)]  # the parties are not perpetrators


@pytest.mark.parametrize("attribution", ["any", "majority", "source"])
def test_charts_count_clashes_as_their_own_group_never_under_a_party(con, attribution):
    write(
        con,
        clash("c1", "Syrian Arab Army", "Opposition rebels"),
        clash("c2", "Syrian Arab Army", "Turkish Military"),
        incident(
            "strike",
            date(2020, 6, 2),
            claims=[ClaimRecord(source_name="ACLED", alleged_actor="Russia")],
        ),
    )
    f = Filter(
        attribution=attribution, attribution_source="ACLED" if attribution == "source" else None
    )
    timeline, matrix = queries.attributed_counts(con, f, by="month")
    counts = timeline.groupby("actor")["incidents"].sum().to_dict()
    assert counts == {CLASH_GROUP: 2, "Russia": 1}
    assert (
        queries.timeline(con, f, by="month").groupby("actor")["incidents"].sum().to_dict() == counts
    )
    assert matrix.groupby("actor")["incidents"].sum().to_dict() == counts


def test_an_inferred_claim_names_its_rule_and_roles_are_checked(con):
    inferred = ClaimRecord(
        source_name="ACLED",
        alleged_actor="Russia",
        attribution_basis="inferred",
        attribution_rule="acled-other-actor-civilians",
    )
    write(con, incident("inferred", date(2020, 6, 1), claims=[inferred]))
    assert con.execute(
        "SELECT role, attribution_basis, attribution_rule FROM claim"
    ).fetchall() == [("perpetrator", "inferred", "acled-other-actor-civilians")]
    row = fact(con, "inferred")
    assert row["is_alleged_violation"] and not row["is_stated_violation"]
    assert row["stated_violated_agreements"] == []
    with pytest.raises(duckdb.ConstraintException):
        write(
            con,
            incident(
                "bad-role",
                date(2020, 6, 1),
                claims=[ClaimRecord(source_name="X", alleged_actor="Russia", role="attacker")],
            ),
        )
    with pytest.raises(duckdb.ConstraintException):  # inferred without a rule
        write(
            con,
            incident(
                "no-rule",
                date(2020, 6, 1),
                claims=[
                    ClaimRecord(
                        source_name="X", alleged_actor="Russia", attribution_basis="inferred"
                    )
                ],
            ),
        )


def test_only_actors_awaiting_review_and_best_estimate(con):
    write(
        con,
        incident("unknown-names", date(2020, 6, 1), "Brigade Nobody Knows"),
        incident("known", date(2020, 6, 1), "Russia", "Another Unknown Group"),
        incident(
            "best",
            date(2020, 6, 1),
            claims=[
                ClaimRecord(
                    source_name="UCDP GED",
                    alleged_actor="Russia",
                    killed_min=2,
                    killed_max=9,
                    killed_best=4,
                ),
                ClaimRecord(source_name="Outlet", alleged_actor="Russia", killed_min=3),
            ],
        ),
    )
    assert fact(con, "unknown-names")["awaiting_review"]
    assert not fact(con, "unknown-names")["is_alleged_violation"]
    assert not fact(con, "known")["awaiting_review"]
    assert fact(con, "best")["killed_best"] == 4
    assert fact(con, "known")["killed_best"] is None


# --- the importers' roles and the naming patterns (invented names, in no real file) ----

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def test_acled_roles_by_sub_type_and_state_force_units_by_pattern(con):
    from ceasefire import importers

    report = importers.import_file(
        con, "acled", FIXTURES / "acled_roles.csv", link=False, editor="tests"
    )
    assert report.rows_imported == 6
    assert report.summary.new_actors == []  # invented units of state forces: never flagged
    got = con.execute(
        """SELECT i.origin_id, a.name, c.role, c.attribution_basis, c.attribution_rule
           FROM claim c JOIN incident i USING (incident_id)
           JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE i.origin = 'acled'
           ORDER BY 1, 2"""
    ).fetchall()
    assert got == [
        ("RL1", "Opposition rebels", "party", "stated", None),
        ("RL1", "Syrian government", "party", "stated", None),
        ("RL2", "Syrian government", "party", "stated", None),
        ("RL2", "Turkey", "party", "stated", None),
        # the other actor is civilians: the strike's perpetrator is inferred, civilians no claim
        ("RL3", "Russia", "perpetrator", "inferred", "acled-other-actor-civilians"),
        # only one of the two can strike from the air
        ("RL4", "Russia", "perpetrator", "inferred", "acled-strike-one-side-capable"),
        ("RL5", "Opposition rebels", "party", "stated", None),  # both sides can shell
        ("RL5", "Syrian government", "party", "stated", None),
        ("RL6", "Hayat Tahrir al-Sham", "party", "stated", None),  # 'hts - hayat tahrir al-sham'
        ("RL6", "Turkey", "party", "stated", None),
    ]
    undetermined = {
        r[0]
        for r in con.execute(
            "SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) "
            "WHERE f.direction_undetermined"
        ).fetchall()
    }
    assert undetermined == {"RL1", "RL2", "RL5"}  # RL6: Turkey vs HTS, HTS is not bound
    aliases = {r[0] for r in con.execute("SELECT alias FROM actor_alias").fetchall()}
    assert "Military Forces of Syria (2000-) 99th Imaginary Brigade" in aliases


def test_units_flagged_before_a_pattern_existed_are_folded_on_reload(con):
    from ceasefire.store import bootstrap

    con.execute(
        "INSERT INTO actor (actor_id, name, side, needs_review) VALUES (9001, 'Military Forces of Turkey (2016-) Kite Unit', 'other', true)"
    )
    con.execute(
        "INSERT INTO actor_alias (alias_key, alias, actor_id) VALUES ('old key', 'Military Forces of Turkey (2016-) Kite Unit', 9001)"
    )
    write(con, incident("flagged", date(2020, 6, 1), "Military Forces of Turkey (2016-) Kite Unit"))
    assert fact(con, "flagged")["awaiting_review"]
    bootstrap.load_reference(con)
    assert con.execute("SELECT count(*) FROM actor WHERE actor_id = 9001").fetchone()[0] == 0
    row = fact(con, "flagged")
    assert not row["awaiting_review"] and row["is_alleged_violation"]
    assert con.execute(
        "SELECT a.name FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id"
    ).fetchall() == [("Turkey",)]


def _inferred(actor: str) -> ClaimRecord:
    return ClaimRecord(
        source_name="ACLED",
        alleged_actor=actor,
        attribution_basis="inferred",
        attribution_rule="acled-other-actor-civilians",
    )


@pytest.mark.parametrize("attribution", ["any", "majority", "source"])
def test_leaving_out_inferred_attributions(con, attribution):
    write(
        con,
        incident("inferred", date(2020, 6, 1), claims=[_inferred("Russia")]),
        incident(
            "stated",
            date(2020, 6, 2),
            claims=[ClaimRecord(source_name="ACLED", alleged_actor="Turkish Military")],
        ),
        clash("clash", "Syrian Arab Army", "Opposition rebels"),
    )
    source = "ACLED" if attribution == "source" else None
    every = Filter(attribution=attribution, attribution_source=source)
    stated = every.with_(stated_only=True)
    assert "inferred" in stated.describe() and stated.to_query_params()["stated"] == "1"
    assert Filter.from_query_params(stated.to_query_params()) == stated

    def by_actor(f):
        timeline, matrix = queries.attributed_counts(con, f, by="month")
        return timeline.groupby("actor")["incidents"].sum().to_dict()

    assert by_actor(every) == {"Russia": 1, "Turkey": 1, CLASH_GROUP: 1}
    assert by_actor(stated) == {"Unknown": 1, "Turkey": 1, CLASH_GROUP: 1}
    assert queries.headline(con, every)["alleged_violations"] == 3
    assert queries.headline(con, stated)["alleged_violations"] == 2  # the clash stays
    russia = stated.with_(actors=("Russia",))
    assert queries.headline(con, russia)["incidents"] == 0
    assert queries.headline(con, every.with_(actors=("Russia",)))["incidents"] == 1


def test_the_counting_sentences_reach_subtitles_exports_and_summary(con):
    from ceasefire import provenance
    from ceasefire.analysis import counting

    write(
        con,
        clash("clash", "Syrian Arab Army", "Opposition rebels"),
        incident("unknown-names", date(2020, 6, 1), "Brigade Nobody Knows"),
        incident(
            "best",
            date(2020, 6, 1),
            claims=[
                ClaimRecord(
                    source_name="UCDP GED",
                    alleged_actor="Russia",
                    killed_min=2,
                    killed_max=9,
                    killed_best=4,
                )
            ],
        ),
    )
    h = queries.headline(con, Filter())
    assert (h["awaiting_review"], h["clashes"], h["clashes_direction_undetermined"]) == (1, 1, 1)
    sentence = (
        "1 incident in this view names only actors awaiting review and is not "
        "counted as alleged violations."
    )
    assert counting.awaiting_review_text(1) == sentence
    assert counting.awaiting_review_text(3).startswith("3 incidents in this view name only")
    prov = provenance.provenance(con, Filter())
    # the method sentences are the figures' footnote (issue 22: a short subtitle)
    assert sentence in prov.chart_text("x").footer
    assert CLASH_GROUP in prov.chart_text("x").footer
    assert any(sentence in line for line in prov.header_lines())
    best = counting.best_estimate_text(h)
    # ranges: clash 2, names 1–2, best 2–9; one of three incidents has a best estimate
    assert best == (
        "Killed: 5–13 range; best estimate 4, summed over the 1 incident that has one "
        "(2 have none, so no total best estimate)."
    )
    only = {**h, "incidents": 1, "without_killed_best": 0, "killed_min": 2, "killed_max": 9}
    assert counting.best_estimate_text(only) == (
        "Killed: 4 best estimate, 2–9 range (every incident in view has a best estimate: "
        "their sum)."
    )


def test_the_clash_group_names_its_pairs_in_the_hover_and_the_incident_table(con):
    from ceasefire import figures
    from ceasefire.analysis import overview

    write(
        con,
        clash("c1", "Syrian Arab Army", "Opposition rebels"),
        clash("c2", "Syrian Arab Army", "Opposition rebels"),
        clash("c3", "Syrian Arab Army", "Turkish Military"),
    )
    view = overview.compute_overview(con, Filter(), by="month")
    (trace,) = [t for t in view.figures["timeline"].data if t.name == CLASH_GROUP]
    assert list(trace.customdata) == [
        "Opposition rebels – Syrian government: 2<br>Syrian government – Turkey: 1"
    ]
    same = figures.overview_figure(con, "timeline", Filter(), by="month")
    assert same.data[0].customdata.tolist() == list(trace.customdata)
    table = queries.incidents(con, Filter())
    assert set(table.clash_pair) == {
        "Opposition rebels – Syrian government",
        "Syrian government – Turkey",
    }
    assert set(table.counted_under) == {CLASH_GROUP}
    assert table.alleged_actors.isna().all() and table.direction_undetermined.all()
    assert set(table.parties) == {
        "Opposition rebels; Syrian government",
        "Syrian government; Turkey",
    }
