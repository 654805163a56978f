"""The "Draft from article" page, driven headless with AppTest: draft, review, save.

Expectations come from the seed TOML (read with tomllib) and literals.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import store
from ceasefire.store import bootstrap

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ARTICLES = ROOT / "tests" / "fixtures" / "articles"


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "draft.duckdb"
    bootstrap.ensure_store(path, with_demo=False).close()
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    return path


def draft_page(text: str, outlet: str, published: date | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/draft.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="draft_text").set_value(text)
    at.text_input(key="draft_outlet").set_value(outlet)
    if published:
        at.date_input(key="draft_published").set_value(published)
    next(b for b in at.button if b.label == "Draft").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rows(path: Path, sql: str, params=()):
    con = store.connect(path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_founding_article_drafted_reviewed_and_saved(store_path, shared_data, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Test Editor")
    text = (shared_data / "articles" / "syrian-observer-2020-10-duwaila.txt").read_text("utf-8")
    at = draft_page(text, "The Syrian Observer", date(2020, 10, 27))
    assert at.date_input(key="rv0_occurred_on").value == date(2020, 10, 26)
    assert at.text_input(key="rv0_place_name").value == "Jabal al-Duwaila, near Haram"
    assert at.selectbox(key="rv0_weapon").value == "airstrike"
    assert at.selectbox(key="rv0_verification").value == "disputed"
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("<mark>on Monday</mark>" in m for m in marked)
    before = rows(store_path, "SELECT count(*) FROM incident")[0][0]
    totals = (
        "SELECT count(*), sum(killed_min), sum(killed_max), sum(wounded_min) FROM incident_fact"
    )
    counted = rows(store_path, totals)
    (seed_id,) = rows(
        store_path, "SELECT incident_id FROM incident WHERE origin_id = 'duwaila-2020-10-26'"
    )[0]

    # the store holds the seed's incident, the same event: offered, nothing chosen; a save
    # without a decision is refused and writes nothing
    pick = at.radio(key="draft_same_event_0_pick")
    assert pick.value is None and pick.options == [
        f"the same event as incident {seed_id} (link it: counted once)",
        "a distinct event (say why below)",
    ]
    save = next(b for b in at.button if b.label.startswith("Save 1 incident as Test Editor"))
    save.click().run()
    assert any(f"incident {seed_id}" in e.value for e in at.error), [e.value for e in at.error]
    assert rows(store_path, "SELECT count(*) FROM incident")[0][0] == before

    # linked: one more record, the same events and totals (the event is counted once)
    at.radio(key="draft_same_event_0_pick").set_value(seed_id).run()
    save = next(b for b in at.button if b.label.startswith("Save 1 incident as Test Editor"))
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert rows(store_path, "SELECT count(*) FROM incident")[0][0] == before + 1
    assert rows(store_path, totals) == counted

    with open(ROOT / "data" / "seed" / "duwaila-2020-10-26.toml", "rb") as handle:
        seed = tomllib.load(handle)["incident"][0]
    (inc,) = rows(
        store_path,
        """SELECT incident_id, occurred_on, place_name, governorate, district, weapon,
                  target_type, verification, location_precision, description, linked_to
           FROM incident WHERE origin = 'manual' AND origin_id LIKE 'article-%'""",
    )
    assert inc[10] == seed_id
    assert inc[1:9] == (
        seed["occurred_on"],
        seed["place_name"],
        seed["governorate"],
        seed["district"],
        seed["weapon"],
        seed["target_type"],
        seed["verification"],
        seed["location_precision"],
    )
    assert "Drafted from article 'Heavy Casualties Following Russian Air Raids'" in inc[9]
    import hashlib

    assert hashlib.sha256(text.encode()).hexdigest() in inc[9]
    # each claim as the seed codes it, the source's words too ("more than 30")
    claims = rows(
        store_path,
        """SELECT s.name, a.name, c.killed_min, c.killed_max, c.wounded_min, c.wounded_max,
                  c.killed_qualifier, c.wounded_qualifier
           FROM claim c JOIN source s USING (source_id) LEFT JOIN actor a
             ON a.actor_id = c.alleged_actor_id
           WHERE c.incident_id = ? ORDER BY s.name""",
        [inc[0]],
    )
    seed_claims = sorted(
        (
            c["source_name"],
            {"Russian warplanes": "Russia", "Syrian Arab Air Force": "Syrian government"}.get(
                c["alleged_actor"], c["alleged_actor"]
            ),
            c.get("killed_min"),
            c.get("killed_max"),
            c.get("wounded_min"),
            c.get("wounded_max"),
            c.get("killed_qualifier"),
            c.get("wounded_qualifier"),
        )
        for c in seed["claim"]
    )
    assert ("Baladi News", "Russia", 31, None, 31, None, "more than", "more than") in claims
    assert sorted(claims) == seed_claims
    # the retaliation was offered but not saved (its box was left unticked)
    assert (
        rows(store_path, "SELECT count(*) FROM incident WHERE origin_id LIKE 'article-%'")[0][0]
        == 1
    )


def test_viewer_sees_no_save_and_nothing_is_written(store_path, monkeypatch):
    monkeypatch.delenv("CEASEFIRE_EDITOR", raising=False)
    text = (ARTICLES / "sana-2019-08-mhardeh-rockets.txt").read_text("utf-8")
    before = rows(store_path, "SELECT count(*) FROM incident")[0][0]
    at = draft_page(text, "SANA", date(2019, 8, 20))
    assert at.text_input(key="rv0_place_name").value == "Mhardeh"
    assert not [b for b in at.button if b.label.startswith("Save")]
    assert any("sign in as an editor" in i.value for i in at.info)
    assert rows(store_path, "SELECT count(*) FROM incident")[0][0] == before


def test_article_text_is_escaped_not_rendered(store_path, monkeypatch):
    monkeypatch.delenv("CEASEFIRE_EDITOR", raising=False)
    text = (
        'Regime warplanes <script>alert("x")</script> bombed the market of Saraqib on '
        "Monday, killing 4 civilians, SANA reported."
    )
    at = draft_page(text, "Test outlet", date(2020, 3, 3))
    shown = " ".join(m.value for m in at.markdown)
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown


def test_missing_outlet_is_an_error(store_path):
    at = draft_page("Some text about nothing.", "", date(2020, 1, 1))
    assert any("outlet" in e.value for e in at.error)


def test_review_opens_the_incident_editor_prefilled(store_path, shared_data, monkeypatch):
    """The reviewed draft goes to the workbench's incident editor, filled in, with the
    article's origin and text hash as the change-log note; nothing is saved yet."""
    import hashlib

    monkeypatch.setenv("CEASEFIRE_EDITOR", "Test Editor")
    text = (shared_data / "articles" / "syrian-observer-2020-10-duwaila.txt").read_text("utf-8")
    before = rows(store_path, "SELECT count(*) FROM incident")[0][0]
    at = draft_page(text, "The Syrian Observer", date(2020, 10, 27))
    next(b for b in at.button if b.key == "rv0_handoff").click().run()
    assert not at.exception, [e.value for e in at.exception]
    texts = {t.label: t.value for t in at.text_input}
    assert texts["Place name"] == "Jabal al-Duwaila, near Haram"
    assert (texts["Governorate"], texts["District"]) == ("Idleb", "Harim")
    boxes = {s.label: s.value for s in at.selectbox}
    assert (boxes["Weapon"], boxes["Target type"], boxes["Verification"]) == (
        "airstrike",
        "training camp",
        "disputed",
    )
    notes = [t.value for t in at.text_input if t.label.startswith("Note for the change log")]
    assert notes and hashlib.sha256(text.encode()).hexdigest() in notes[0]
    assert rows(store_path, "SELECT count(*) FROM incident")[0][0] == before
