"""The workbench's pages driven headless (AppTest): code an incident in the editor, see
what it will count as, fix a field error, save; correct a figure; decide on an actor in
the review queue and undo it; revert from the History page. Expectations are literals
or read from the store with plain SQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import auth, editing, store
from conftest import incident

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "pages.duckdb"
    with store.writer(path, with_demo=False) as con:
        # an incident blamed only on a group awaiting review, in the Moscow period
        from ceasefire.records import write_records

        write_records(con, "manual", [incident("liwa-1", date(2020, 6, 1), "Liwa Page Test")])
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Page Editor")
    monkeypatch.delenv("CEASEFIRE_ACCOUNTS", raising=False)
    monkeypatch.setattr(auth, "secrets", dict)
    return path


def query(path, sql, params=()):
    with store.reader(path) as con:
        return con.execute(sql, list(params)).fetchall()


def editor_page(at: AppTest, **params) -> AppTest:
    at.run()
    at.query_params.update(params)
    at.switch_page("app_pages/edit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_code_a_new_incident_in_the_editor(store_path):
    at = editor_page(AppTest.from_file(APP, default_timeout=60))
    at.date_input(key="ed_occurred_on").set_value(date(2020, 10, 26))
    at.text_input(key="ed_place_query").input("Haram").run()
    assert at.selectbox(key="ed_place_pick").options, "the gazetteer offers places"
    at.text_input(key="ed_place_name").input("Jabal al-Duwaila, near Haram")
    at.text_input(key="ed_governorate").input("Idlib")
    at.text_input(key="ed_district").input("Harem")
    at.number_input(key="ed_latitude").set_value(36.2)
    at.number_input(key="ed_longitude").set_value(36.52)
    at.selectbox(key="ed_location_precision").set_value("near")
    at.selectbox(key="ed_target_type").set_value("training camp")
    at.selectbox(key="ed_c0_source").set_value("(new…)").run()
    at.text_input(key="ed_c0_new_source").input("Baladi News")
    at.selectbox(key="ed_c0_affiliation").set_value("opposition")
    at.selectbox(key="ed_c0_actor").set_value("Russia")
    at.selectbox(key="ed_c0_killed_q").set_value("more than").run()
    at.number_input(key="ed_c0_killed_n").set_value(30)
    # no weapon yet: the save is refused with the field named, nothing written
    at.button(key="ed_save").click().run()
    assert any("weapon" in e.value for e in at.error)
    assert query(store_path, "SELECT count(*) FROM incident")[0][0] == 2  # seed + fixture
    at.selectbox(key="ed_weapon").set_value("airstrike").run()
    assert any(
        "Alleged violation of" in i.value and "inside Harim district (Idleb), airstrike" in i.value
        for i in at.info
    ), [i.value for i in at.info]
    at.button(key="ed_add_claim").click().run()
    at.selectbox(key="ed_c1_source").set_value("(new…)").run()
    at.text_input(key="ed_c1_new_source").input("Sputnik")
    at.selectbox(key="ed_c1_actor").set_value("(new…)").run()
    at.text_input(key="ed_c1_new_actor").input("Regime warplanes")
    at.selectbox(key="ed_c1_killed_q").set_value("up to").run()
    at.number_input(key="ed_c1_killed_n").set_value(75)
    at.text_input(key="ed_note").input("coded from the Syrian Observer").run()
    # the seed's incident is the same day, 0 km away: offered, nothing chosen for the editor
    seed_id = query(
        store_path, "SELECT incident_id FROM incident WHERE origin_id = 'duwaila-2020-10-26'"
    )[0][0]
    pick = at.radio(key="ed_same_event_pick")
    assert (
        pick.value is None
        and pick.options[0] == f"the same event as incident {seed_id} (link it: counted once)"
    )
    at.button(key="ed_save").click().run()
    assert any(f"incident {seed_id}" in e.value for e in at.error), [e.value for e in at.error]
    assert query(store_path, "SELECT count(*) FROM incident")[0][0] == 2  # nothing written
    at.radio(key="ed_same_event_pick").set_value("distinct").run()
    at.text_input(key="ed_same_event_note").input("a test of the editor, coded apart")
    at.button(key="ed_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = query(
        store_path,
        """SELECT i.district, i.governorate_pcode, s.name, a.name, c.killed_min, c.killed_max
           FROM incident i JOIN claim c USING (incident_id) JOIN source s USING (source_id)
           LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE i.origin_id NOT IN ('liwa-1', 'duwaila-2020-10-26') ORDER BY c.claim_id""",
    )
    assert rows == [
        ("Harim", "SY07", "Baladi News", "Russia", 31, None),
        ("Harim", "SY07", "Sputnik", "Syrian government", None, 75),
    ]
    log = query(
        store_path, "SELECT entity, action, editor, note FROM change_log ORDER BY change_id"
    )
    assert ("incident", "create", "Page Editor", "coded from the Syrian Observer") in log
    assert ("incident", "distinct", "Page Editor", "a test of the editor, coded apart") in log


def test_correct_a_figure_and_revert_it_from_history(store_path):
    iid, cid = query(
        store_path,
        "SELECT incident_id, claim_id FROM claim JOIN incident USING (incident_id) "
        "WHERE origin_id = 'liwa-1'",
    )[0]
    original = query(store_path, "SELECT value FROM schema_meta WHERE key = 'data_version'")
    at = editor_page(AppTest.from_file(APP, default_timeout=60), incident=str(iid))
    assert at.selectbox(key="ed_c0_killed_q").value == "range"  # 1-2 in the fixture
    at.number_input(key="ed_c0_killed_max").set_value(9)
    at.button(key="ed_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert query(store_path, "SELECT killed_max FROM claim WHERE claim_id = ?", [cid]) == [(9,)]
    history = at.dataframe[-1].value
    row = history[history.field == "killed_max"].iloc[0]
    assert (row.old, row.new, row.editor) == ("2", "9", "Page Editor")
    change = int(row.change_id)

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    pick = at.selectbox(key="revert_pick")
    assert pick.value is None  # nothing is chosen for the editor
    assert pick.format_func(change).startswith(f"{change}: claim {cid} of incident {iid}: ")
    assert "killed_max 2 → 9 by Page Editor" in pick.format_func(change)
    pick.set_value(change)
    at.text_input(key="revert_note").input("the fixture says 1-2")
    at.button(key="revert_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # the form is empty again: the next revert gets its own note
    assert at.text_input(key="revert_note").value == ""
    assert at.selectbox(key="revert_pick").value is None
    assert query(store_path, "SELECT note FROM change_log ORDER BY change_id DESC LIMIT 1") == [
        ("the fixture says 1-2",)
    ]
    assert query(store_path, "SELECT killed_max FROM claim WHERE claim_id = ?", [cid]) == [(2,)]
    assert query(store_path, "SELECT value FROM schema_meta WHERE key = 'data_version'") == original


def test_review_queue_assign_a_side_and_undo(store_path):
    def violations():
        return query(store_path, "SELECT count(*) FROM incident_fact WHERE is_alleged_violation")[
            0
        ][0]

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/actors.py").run()
    assert not at.exception, [e.value for e in at.exception]
    queue = at.dataframe[0].value
    assert queue[queue.name == "Liwa Page Test"][["incidents", "claims"]].values.tolist() == [
        [1, 1]
    ]
    before = violations()
    at.selectbox(key="review_name").set_value("Liwa Page Test")
    # no judgment is pre-filled: neither a side nor a merge target is chosen
    assert at.selectbox(key="review_side").value is None
    assert at.selectbox(key="review_into").value is None
    at.text_input(key="review_note").input("a note without a side")
    at.button(key="review_assign").click().run()
    assert any("Choose the side" in e.value for e in at.error), [e.value for e in at.error]
    at.button(key="review_merge").click().run()
    assert any("Choose the actor to merge into" in e.value for e in at.error)
    at.text_input(key="review_note").input("")
    at.selectbox(key="review_side").set_value("opposition factions")
    at.button(key="review_assign").click().run()
    assert any("Give a note" in e.value for e in at.error)  # a judgment needs its citation
    at.text_input(key="review_note").input("SJAC, 2020-06 report")
    at.button(key="review_assign").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert violations() == before + 1
    assert any("No actor awaits review" in s.value for s in at.success)
    assert at.selectbox(key="undo_pick").value is None  # which decision to undo: not chosen
    at.button(key="undo_decision").click().run()
    assert any("Choose the decision" in e.value for e in at.error)
    assert violations() == before + 1
    (change,) = query(store_path, "SELECT max(change_id) FROM change_log")[0]
    label = at.selectbox(key="undo_pick").format_func(change)
    assert "side other → opposition factions" in label and "Page Editor" in label, label
    at.selectbox(key="undo_pick").set_value(change)
    at.button(key="undo_decision").click().run()
    assert violations() == before
    entries = query(store_path, "SELECT action, note FROM change_log ORDER BY change_id")
    assert entries[-2] == ("set-side", "SJAC, 2020-06 report")
    assert editing.review_queue  # the queue function the page shows


def test_a_viewer_cannot_open_the_editor_or_revert(store_path, monkeypatch):
    monkeypatch.delenv("CEASEFIRE_EDITOR")
    at = editor_page(AppTest.from_file(APP, default_timeout=60))
    assert any("sign in as an editor" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Save incident"]
    at.switch_page("app_pages/history.py").run()
    assert not [b for b in at.button if b.label == "Revert"]
