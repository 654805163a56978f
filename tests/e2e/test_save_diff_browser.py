"""In a real browser, issue 20's walk: draft the founding article, save it as a distinct
event beside the seed's incident, open it in the incident editor, change the weapon and
Al-Watan's figure, save, and revert both from the History page. The record reads "more
than 30 (Baladi News)" and "up to 75 (Sputnik)" throughout, the log holds exactly the
editor's two changes, and after the reverts the store's content equals the content
right after the draft was saved.

Its own server on its own store (reference data and the seed, no demo). The store is
read while the server runs through ``store.reader`` (the published snapshot), as any
second process reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_chromium, serve_app
from tests.e2e.waiting import next_run

pytestmark = pytest.mark.browser

ARTICLE = "articles/syrian-observer-2020-10-duwaila.txt"
EDITOR = "Diff Editor"
#: a loaded machine drafts and writes slowly; a wait ends as soon as its text shows
WAIT = 180_000


def content(path: Path) -> str:
    """The store's content as published: every table but the change log."""
    from ceasefire import store
    from ceasefire.tables.dataversion import table_digest

    with store.reader(path) as con:
        tables = [t for t in store.table_names(con) if t != "change_log"]
        return "|".join(f"{t}:{table_digest(con, t)}" for t in tables)


def log_after(path: Path, change_id: int) -> list[tuple]:
    from ceasefire import editing, store

    with store.reader(path) as con:
        return [
            (e["entity"], e["action"], e["editor"], e["old"], e["new"])
            for e in reversed(editing.history(con))
            if e["change_id"] > change_id
        ]


def last_change(path: Path) -> int:
    from ceasefire import store

    with store.reader(path) as con:
        return con.execute("SELECT max(change_id) FROM change_log").fetchone()[0]


def reads_the_sources_words(page, url: str, incident_id: str, expect) -> None:
    page.goto(f"{url}/incidents?incident={incident_id}")
    body = page.locator("body")
    expect(body).to_contain_text("more than 30 (Baladi News)", timeout=WAIT)
    expect(body).to_contain_text("up to 75 (Sputnik)", timeout=WAIT)


def test_draft_save_edit_two_fields_and_revert_them(tmp_path, shared_data, pw):
    _require_chromium()
    from playwright.sync_api import expect

    from ceasefire.store import bootstrap

    path = tmp_path / "save-diff.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    text = (shared_data / ARTICLE).read_text(encoding="utf-8")

    with serve_app(path, "streamlit-save-diff.log", {"CEASEFIRE_EDITOR": EDITOR}) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(180_000)  # a loaded machine drafts and writes slowly

        # 1. draft the article and save it as a distinct event beside the seed's
        page.goto(f"{url}/draft")
        page.get_by_label("Article text").fill(text)
        page.get_by_label("Outlet that published it").fill("The Syrian Observer")
        page.get_by_role("spinbutton", name="year, Publication date").click()
        page.keyboard.type("20201027")
        page.keyboard.press("Tab")
        page.get_by_role("button", name="Draft").click()
        expect(page.get_by_text("Claim 5: National Liberation Front")).to_be_visible(timeout=WAIT)
        expect(page.get_by_text("Incident 1 (manual duwaila-2020-10-26)")).to_be_visible(
            timeout=WAIT
        )
        page.get_by_text("a distinct event (say why below)").click()
        note = page.get_by_label("Why it is a distinct event (for the change log)")
        note.fill("the article's own record, kept beside the seed's")
        note.press("Tab")
        expect(note).to_have_value("the article's own record, kept beside the seed's", timeout=WAIT)
        page.get_by_role("button", name="Save 1 incident as Diff Editor").click()
        saved = page.get_by_text(re.compile(r"Saved incident \d+"))
        try:
            expect(saved).to_be_visible(timeout=WAIT)
        finally:
            page.screenshot(path=str(ARTIFACTS / "save-diff-draft.png"), full_page=True)
        incident_id = re.search(r"\d+", saved.inner_text()).group()
        after_save, saved_at = content(path), last_change(path)
        reads_the_sources_words(page, url, incident_id, expect)

        # 2. the editor: the weapon and Al-Watan's figure (43 -> 45), nothing else
        page.goto(f"{url}/edit?incident={incident_id}")
        expect(page.get_by_role("heading", name="Edit incident")).to_be_visible(timeout=WAIT)
        watan = page.locator(".st-key-claim_2")
        expect(watan).to_contain_text("Claim 3: Al-Watan", timeout=WAIT)
        weapon = page.get_by_label("Weapon", exact=True)
        weapon.click()
        page.keyboard.type("rocket/missile")
        with next_run(page):
            page.keyboard.press("Enter")
        expect(weapon).to_have_value("rocket/missile", timeout=WAIT)
        figure = watan.get_by_label("Killed: number")
        expect(figure).to_have_value("43", timeout=WAIT)
        figure.fill("45")
        with next_run(page):
            figure.press("Tab")
        note = page.get_by_label("Note for the change log (why; a citation)")
        note.fill("re-read the article")
        with next_run(page):
            note.press("Tab")
        page.get_by_role("button", name="Save incident").click()
        expect(page.get_by_text(f"Saved incident {incident_id}.")).to_be_visible(timeout=WAIT)
        page.screenshot(path=str(ARTIFACTS / "save-diff-editor.png"), full_page=True)
        edits = log_after(path, saved_at)
        assert [(e[0], e[1], e[2]) for e in edits] == [
            ("incident", "update", EDITOR),
            ("claim", "update", EDITOR),
        ], edits
        assert (edits[0][3], edits[0][4]) == ({"weapon": "airstrike"}, {"weapon": "rocket/missile"})
        assert {k: v for k, v in edits[1][4].items() if k != "incident_id"} == {
            "killed_min": 45,
            "killed_max": 45,
        }
        reads_the_sources_words(page, url, incident_id, expect)
        expect(page.locator("body")).to_contain_text("45 (Al-Watan)", timeout=WAIT)

        # 3. both reverted from the History page, newest first, each with its own note
        first_edit = last_change(path) - 1
        for change_id in (first_edit + 1, first_edit):
            page.goto(f"{url}/history?incident={incident_id}")
            pick = page.get_by_label("Change to revert")
            pick.click()
            page.keyboard.type(f"{change_id}: ")
            with next_run(page):
                page.keyboard.press("Enter")
            why = page.get_by_label("Why (note for the log)")
            expect(why).to_have_value("", timeout=WAIT)  # the form starts empty every time
            why.fill(f"undo {change_id}")
            with next_run(page):
                why.press("Tab")
            page.get_by_role("button", name="Revert").click()
            expect(page.get_by_text(f"Reverted change {change_id}")).to_be_visible(timeout=WAIT)
        page.screenshot(path=str(ARTIFACTS / "save-diff-history.png"), full_page=True)
        reverts = log_after(path, first_edit + 1)
        assert [(e[0], e[1]) for e in reverts] == [("claim", "update"), ("incident", "update")]
        assert content(path) == after_save
        reads_the_sources_words(page, url, incident_id, expect)
        expect(page.locator("body")).to_contain_text("43 (Al-Watan)", timeout=WAIT)
        browser.close()
