"""A save changes only what the editor changed, and one event stays one incident (issue
20), on the core the pages and the command line share.

The founding article is drafted and saved, then corrected in the editor's form model
(``editing.form``) as the page does: expectations are the article's words and literals.
The same-event proposals and decisions are checked on hand-made incidents whose
distances and dates are set here."""

from __future__ import annotations

import copy
import shutil
from datetime import date

import pytest

from ceasefire import draft, editing, incident_record, queries, seed, store
from ceasefire.filters import Filter
from ceasefire.records import ClaimRecord
from ceasefire.store import bootstrap
from ceasefire.tables.dataversion import table_digest
from conftest import import_records, incident, write

ED = "Test Editor"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A store file with the reference actors and agreements, built once per module."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    con.close()
    return path


@pytest.fixture
def con(reference, tmp_path):
    """A copy of the reference store (conftest's ``con``, at the cost of a file copy)."""
    shutil.copy(reference, tmp_path / "store.duckdb")
    connection = store.connect(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def content(con) -> str:
    """The store's content: every table but the change log (which only grows)."""
    tables = [t for t in store.table_names(con) if t != "change_log"]
    return "|".join(f"{t}:{table_digest(con, t)}" for t in tables)


def founding_proposal(shared_data) -> dict:
    text = (shared_data / "articles" / "syrian-observer-2020-10-duwaila.txt").read_text("utf-8")
    proposal = draft.draft_article(text, outlet="The Syrian Observer", published=date(2020, 10, 27))
    return draft.to_editor_proposal(proposal)


def form_of(con, incident_id: int) -> dict:
    return editing.form_state(*queries.incident_for_editing(con, incident_id))


def words(con, incident_id: int, figure: str = "killed") -> str:
    return incident_record.casualty_words(queries.incident_claims(con, incident_id), figure)


def claim_of(model: dict, source: str) -> dict:
    return next(c for c in model["claims"] if c["source_name"] == source)


def test_the_founding_article_keeps_its_words_through_draft_edit_and_revert(con, shared_data):
    # the draft, saved as the editor's form leaves it untouched
    fields, claims, _ = editing.read_proposal(founding_proposal(shared_data))
    loaded = editing.form_state(fields, claims)
    proposal = editing.form_proposal(loaded, copy.deepcopy(loaded))
    iid = editing.create_incident(con, proposal, editor=ED)
    stored = {
        r[0]: r[1:]
        for r in con.execute(
            """SELECT s.name, c.killed_min, c.killed_max, c.killed_qualifier,
                      c.wounded_min, c.wounded_qualifier
               FROM claim c JOIN source s USING (source_id) WHERE incident_id = ?""",
            [iid],
        ).fetchall()
    }
    assert stored["Baladi News"] == (31, None, "more than", 31, "more than")
    assert stored["Sputnik"] == (None, 75, None, None, None)  # "neutralized": no store word
    assert stored["Al-Watan"] == (43, 43, None, None, None)
    saved = content(con)
    log_before = len(editing.history(con))

    # the editor changes the weapon and Al-Watan's figure, and nothing else
    model = form_of(con, iid)
    assert claim_of(model, "Baladi News")["killed"] == {
        "q": "more than", "n": 30, "min": 31, "max": None
    }  # fmt: skip
    form = copy.deepcopy(model)
    form["fields"]["weapon"] = "rocket/missile"
    claim_of(form, "Al-Watan")["killed"]["n"] = 45
    fields, claims = editing.form_changes(model, form)
    assert fields == {"weapon": "rocket/missile"}
    assert [c for c in claims if len(c) > 1] == [
        {"claim_id": claim_of(model, "Al-Watan")["claim_id"], "killed_qualifier": "exactly",
         "killed_figure": 45}
    ]  # fmt: skip
    editing.save_incident(con, iid, fields, claims, editor=ED, note="re-read")
    log = editing.history(con)[: len(editing.history(con)) - log_before]
    assert [(e["entity"], e["action"], e["old"], e["new"]) for e in reversed(log)] == [
        ("incident", "update", {"weapon": "airstrike"}, {"weapon": "rocket/missile"}),
        (
            "claim",
            "update",
            {"killed_min": 43, "killed_max": 43, "incident_id": iid},
            {"killed_min": 45, "killed_max": 45, "incident_id": iid},
        ),
    ]
    killed = words(con, iid)
    assert "more than 30 (Baladi News)" in killed and "up to 75 (Sputnik)" in killed
    assert "45 (Al-Watan)" in killed
    assert "more than 30 (Baladi News)" in words(con, iid, "wounded")

    # both reverted, newest first: the store's content is the one right after the save
    for entry in log:
        editing.revert(con, entry["change_id"], editor=ED)
    assert content(con) == saved
    assert "more than 30 (Baladi News)" in words(con, iid)


def test_an_untouched_form_writes_nothing_whatever_the_stored_values(con):
    # values a form could not have produced: a qualifier that does not fit its figures,
    # "dozens" over a stated minimum, "exactly" kept, a minimum of 0, a quote's spaces
    # and decomposed accents, a coordinate's digits, a party role, an inferred claim
    claims = [
        ClaimRecord(source_name="A", alleged_actor="Russia", killed_min=36, killed_max=40,
                    killed_qualifier="about", wounded_min=36, wounded_qualifier="dozens",
                    quote="  “more than 30”\n  said the source\u0301  ", published_on=None),
        ClaimRecord(source_name="B", alleged_actor="HTS", role="party", killed_min=0,
                    civilians_killed_min=7, civilians_killed_max=7,
                    civilians_killed_qualifier="exactly", attribution_basis="inferred",
                    attribution_rule="acled-other-actor-civilians", url="https://example.org/a b"),
        ClaimRecord(source_name=None, alleged_actor=None, wounded_max=0),
    ]  # fmt: skip
    write(
        con,
        incident(
            "odd",
            date(2020, 3, 1),
            claims=claims,
            date_precision="month",
            latitude=35.123456789,
            longitude=36.987654321,
            place_name=" Kafr  Nabl ",
            description="two\n\nparagraphs ",
            location_precision="exact",
        ),  # fmt: skip
        origin="acled",
    )
    iid = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'odd'").fetchone()[0]
    before = content(con)
    model = form_of(con, iid)
    fields, claims = editing.form_changes(model, copy.deepcopy(model))
    assert fields == {} and all(set(c) == {"claim_id"} for c in claims)
    assert editing.save_incident(con, iid, fields, claims, editor=ED) == []
    assert content(con) == before and editing.history(con) == []


def test_changing_the_quote_writes_the_quote_only_and_keeps_it_as_typed(con):
    write(con, incident("q", date(2020, 3, 1), "Russia"))
    iid = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'q'").fetchone()[0]
    model = form_of(con, iid)
    form = copy.deepcopy(model)
    form["claims"][0]["quote"] = "  “Ten killed”,\nsaid Ma\u0300rra  "
    editing.save_incident(con, iid, *editing.form_changes(model, form), editor=ED)
    (entry,) = editing.history(con)
    assert entry["new"] == {"quote": "  “Ten killed”,\nsaid Ma\u0300rra  ", "incident_id": iid}
    assert con.execute("SELECT quote FROM claim WHERE incident_id = ?", [iid]).fetchone()[0] == (
        "  “Ten killed”,\nsaid Ma\u0300rra  "
    )


# --- one event, one incident ---------------------------------------------------------

NEAR = dict(latitude=36.2, longitude=36.52, place_name="Jabal al-Duwaila, near Haram")


def proposal(**fields) -> dict:
    base = {
        "occurred_on": "2020-10-26",
        "weapon": "airstrike",
        "location_precision": "near",
        "governorate": "Idleb",
        "district": "Harim",
        **NEAR,
        "claims": [{"source_name": "Orient News", "alleged_actor": "Russia", "killed_min": 3}],
    }
    base.update(fields)
    return base


def ids(found) -> list[int]:
    return [c.incident_id for c in found]


def test_the_founding_article_is_offered_the_seed_incident_and_linking_counts_it_once(
    seeded, shared_data
):
    seed_id = seeded.execute("SELECT incident_id FROM incident").fetchone()[0]
    draft_proposal = founding_proposal(shared_data)
    found = editing.same_event_candidates(seeded, draft_proposal)
    assert ids(found) == [seed_id]
    assert found[0].shared_sources == [
        "Al-Mayadeen", "Al-Watan", "Baladi News", "National Liberation Front", "Sputnik"
    ]  # fmt: skip
    assert found[0].day_gap == 0 and round(found[0].km, 1) == 1.3
    start, headline = content(seeded), queries.headline(seeded, Filter())
    with pytest.raises(editing.SameEventUndecided) as undecided:
        editing.create_incident(seeded, draft_proposal, editor=ED)
    assert ids(undecided.value.candidates) == [seed_id] and content(seeded) == start

    iid = editing.create_incident(
        seeded, draft_proposal, editor=ED, same_event=editing.Link(seed_id)
    )
    assert seeded.execute(
        "SELECT linked_to FROM incident WHERE incident_id = ?", [iid]
    ).fetchone() == (seed_id,)
    assert queries.headline(seeded, Filter()) == headline  # counted once: every total the same
    origins = queries.incident_records(seeded, iid)
    assert sorted(origins.origin_id.tolist()) == sorted(
        ["duwaila-2020-10-26", draft_proposal["origin_id"]]
    )
    link, create = editing.history(seeded)[:2]
    assert (link["action"], link["old"], link["new"]) == (
        "link", {"linked_to": None}, {"linked_to": seed_id}
    )  # fmt: skip
    assert create["action"] == "create"

    # the link reverted: counted twice; the creation reverted: the store as it was
    editing.revert(seeded, link["change_id"], editor=ED)
    assert queries.headline(seeded, Filter())["incidents"] == headline["incidents"] + 1
    editing.revert(seeded, create["change_id"], editor=ED)
    assert content(seeded) == start


def test_a_distinct_mark_needs_a_note_is_kept_from_the_linking_and_reverts(con):
    write(con, incident("acled-1", date(2020, 10, 26), "Russia", **NEAR), origin="acled")
    other = con.execute("SELECT incident_id FROM incident").fetchone()[0]
    with pytest.raises(editing.Invalid, match="note"):
        editing.create_incident(con, proposal(), editor=ED, same_event=editing.Distinct("  "))
    with pytest.raises(editing.SameEventUndecided):  # decided without seeing this one
        editing.create_incident(con, proposal(), editor=ED, same_event=editing.Distinct("x", ()))
    iid = editing.create_incident(
        con, proposal(), editor=ED, same_event=editing.Distinct("two strikes that day")
    )
    assert con.execute("SELECT incident_id, other_id FROM incident_distinct").fetchall() == [
        (iid, other)
    ]
    # the next import runs the linking: 0 km apart, the same day, yet kept apart
    assert import_records(con, origin="acled") == 0
    mark = editing.history(con)[0]
    assert (mark["action"], mark["new"], mark["note"]) == (
        "distinct", {"distinct_from": [other]}, "two strikes that day"
    )  # fmt: skip
    editing.revert(con, mark["change_id"], editor=ED)
    assert con.execute("SELECT count(*) FROM incident_distinct").fetchone()[0] == 0
    assert import_records(con, origin="acled") == 1  # now the rule links them


def test_which_incidents_are_offered(con):
    day = date(2020, 10, 26)
    north = 1 / 111.2  # degrees of latitude per km
    write(
        con,
        incident("near", day, "Russia", **NEAR),
        incident("far", day, "Russia", latitude=36.2 + 6 * north, longitude=36.52),
        incident("later", date(2020, 10, 28), "Russia", **NEAR),
        incident("a-day-on", date(2020, 10, 27), "Russia", **NEAR),
        incident("month", date(2020, 10, 1), "Russia", date_precision="month",
                 latitude=None, longitude=None, place_name="Jabal ad-Duwayla"),
        incident("same-source", day, "Iran", latitude=35.0, longitude=36.0,
                 claims=[ClaimRecord(source_name="Orient News")]),
        incident("source-late", date(2020, 10, 29), "Iran", latitude=35.0, longitude=36.0,
                 claims=[ClaimRecord(source_name="Orient News")]),
        incident("report", date(2019, 1, 1), "Iran", latitude=35.0, longitude=36.0,
                 claims=[ClaimRecord(source_name="X", url="https://example.org/report-1")]),
        incident("demo", day, "Russia", is_demo=True, **NEAR),
    )  # fmt: skip
    by_key = dict(con.execute("SELECT origin_id, incident_id FROM incident").fetchall())
    found = editing.same_event_candidates(
        con,
        proposal(
            claims=[
                {"source_name": "Orient News", "url": "https://example.org/report-1"},
            ]
        ),
    )
    offered = {c.origin_id: c for c in found}
    assert set(offered) == {"near", "a-day-on", "month", "same-source", "report"}
    assert offered["near"].why == "0.0 km away, the same day"
    assert offered["a-day-on"].why == "0.0 km away, 1 day apart"
    assert offered["month"].why == "the same place, the same day"  # the month holds the day
    assert offered["same-source"].why == "on the same day; also cites Orient News"
    assert offered["report"].why.endswith("a claim links to the same report")
    assert ids(found)[:3] == [by_key["near"], by_key["a-day-on"], by_key["month"]]
    # without coordinates the new incident is matched by its place's name
    found = editing.same_event_candidates(
        con, proposal(latitude=None, longitude=None, place_name="Jabal ad-Duwayla", claims=[])
    )
    assert {c.origin_id for c in found} == {"near", "a-day-on", "month"}


def test_a_manual_link_to_an_imported_incident_survives_a_reimport(con, tmp_path):
    from ceasefire import importers

    csv = tmp_path / "acled.csv"
    rows = (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
        "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
        "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"
        "SYR9,26 October 2020,2020,1,Political violence,Explosions/Remote violence,Air/drone "
        "strike,Military Forces of Russia (2000-),,8,Civilians (Syria),,7,78,Civilian "
        "targeting,760,Middle East,Syria,Idleb,Harim,Harim,Haram,36.2,36.52,1,SOHR,Other,"
        '"Russian jets struck near Haram.",{n},,1\n'
    )
    csv.write_text(rows.format(n=4))
    importers.import_file(con, "acled", csv, editor=ED)
    acled = con.execute("SELECT incident_id FROM incident WHERE origin = 'acled'").fetchone()[0]
    iid = editing.create_incident(con, proposal(), editor=ED, same_event=editing.Link(acled))
    csv.write_text(rows.format(n=9))  # the export changed the row: it is rewritten
    report = importers.import_file(con, "acled", csv, editor=ED)
    assert report.summary.updated == 1
    assert (
        con.execute("SELECT linked_to FROM incident WHERE incident_id = ?", [iid]).fetchone()[0]
        == acled
    )
    assert con.execute("SELECT count(*) FROM incident_fact").fetchone()[0] == 1


def test_reverting_a_deletion_restores_its_links_marks_and_added_claims(seeded):
    seed_id = seeded.execute("SELECT incident_id FROM incident").fetchone()[0]
    linked = editing.create_incident(
        seeded, proposal(origin_id="l"), editor=ED, same_event=editing.Link(seed_id)
    )
    editing.create_incident(
        seeded, proposal(origin_id="d"), editor=ED, same_event=editing.Distinct("apart")
    )
    editing.add_claim(seeded, seed_id, {"source_name": "Enab Baladi"}, editor=ED)
    before = content(seeded)
    change = editing.delete_incident(seeded, seed_id, editor=ED, note="test")
    assert seeded.execute(
        "SELECT linked_to FROM incident WHERE incident_id = ?", [linked]
    ).fetchone() == (None,)
    editing.revert(seeded, change, editor=ED)
    assert content(seeded) == before


def test_incident_add_lists_candidates_and_exits_3_unless_decided(tmp_path, capsys, shared_data):
    import json

    from ceasefire.cli import main

    db = str(tmp_path / "cli.duckdb")
    with store.writer(db, with_demo=False):
        pass
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(founding_proposal(shared_data)))
    add = ["--db", db, "incident", "add", "--json", str(path), "--editor", ED]
    assert main(add) == 3
    out = capsys.readouterr().out
    assert "Incident 1 (manual duwaila-2020-10-26)" in out
    assert "- Baladi News: Russia (perpetrator); killed more than 30, wounded more than 30" in out
    assert "Nothing written" in out
    with store.reader(db) as con:
        assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 1
    assert main([*add, "--link", "1"]) == 0
    assert "linked to incident 1 (the same event)" in capsys.readouterr().out
    with store.reader(db) as con:
        assert con.execute("SELECT count(*), count(linked_to) FROM incident").fetchone() == (2, 1)
        assert con.execute("SELECT count(*) FROM incident_fact").fetchone()[0] == 1


def test_the_seed_loader_is_untouched_by_the_same_event_rule(con):
    # the seed and importers write through records, not the editor: no decision asked
    seed.load_seed(con)
    seed.load_seed(con)
    assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 1
