"""In a real browser: paste the founding article, review the draft, save it as an editor;
the incident appears as the hand-coded seed has it.

Runs its own server on its own store (reference data and the seed, no demo), so the
write does not disturb the other browser tests' numbers; the store is compared with the
seed file after the server has stopped (DuckDB lets one process hold the file).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    _require_chromium,
    serve_app,
)
from tests.e2e.waiting import goto, next_run

pytestmark = pytest.mark.browser

ARTICLE = "articles/syrian-observer-2020-10-duwaila.txt"


def serve(store: Path, editor: str):
    return serve_app(store, "streamlit-draft.log", {"CEASEFIRE_EDITOR": editor})


def test_paste_review_save_founding_article(tmp_path, shared_data, pw):
    _require_chromium()
    from playwright.sync_api import expect

    from ceasefire import store
    from ceasefire.store import bootstrap

    path = tmp_path / "draft-e2e.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    text = (shared_data / ARTICLE).read_text(encoding="utf-8")

    with serve(path, "Browser Editor") as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        goto(page, url)  # a user arrives on the Overview and opens the page from the menu
        with next_run(page):
            page.get_by_role("link", name="Draft from article").click()
        assert urlparse(page.url).path == "/draft", page.url  # with the view: ?by=week
        page.get_by_label("Article text").fill(text)
        page.get_by_label("Outlet that published it").fill("The Syrian Observer")
        page.get_by_role("spinbutton", name="year, Publication date").click()
        page.keyboard.type("20201027")  # year, month, day segments in turn
        page.keyboard.press("Tab")
        page.get_by_role("button", name="Draft").click()
        # a loaded machine drafts slowly: wait up to a minute for the review
        expect(page.get_by_text("Claim 5: National Liberation Front")).to_be_visible(timeout=60_000)
        # each value beside its words, highlighted
        expect(page.locator("mark", has_text="on Monday").first).to_be_visible()
        expect(page.locator("mark", has_text="Jabal al-Duwaila, near Haram").first).to_be_visible()
        expect(page.get_by_text("Other act 1: offered as a separate incident")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "draft-review.png"), full_page=True)

        # the store holds the seed's incident, the same event: offered, nothing chosen; this
        # test saves the draft as a distinct record to compare it with the seed
        expect(page.get_by_text("Possibly the same event")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Incident 1 (manual duwaila-2020-10-26)")).to_be_visible(
            timeout=60_000
        )
        page.get_by_text("a distinct event (say why below)").click()
        note = page.get_by_label("Why it is a distinct event (for the change log)")
        note.fill("coded again from the article, to compare with the seed")
        note.press("Tab")
        expect(note).to_have_value(
            "coded again from the article, to compare with the seed", timeout=60_000
        )
        page.get_by_role("button", name="Save 1 incident as Browser Editor").click()
        saved = page.get_by_text(re.compile(r"Saved incident \d+"))
        expect(saved).to_be_visible(timeout=60_000)
        incident_id = re.search(r"\d+", saved.inner_text()).group()

        page.goto(f"{url}/incidents?incident={incident_id}")
        body = page.locator("body")
        for words in ("Jabal al-Duwaila, near Haram", "Baladi News", "Sputnik", "Al-Watan",
                      "Al-Mayadeen", "National Liberation Front"):  # fmt: skip
            expect(body).to_contain_text(words, timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "draft-saved-incident.png"), full_page=True)
        browser.close()

    # after the server has stopped: the saved incident equals the hand-coded seed
    with open(ROOT / "data" / "seed" / "duwaila-2020-10-26.toml", "rb") as handle:
        seed = tomllib.load(handle)["incident"][0]
    con = store.connect(path)
    try:
        fields = ("occurred_on", "place_name", "governorate", "district", "weapon",
                  "target_type", "verification", "location_precision", "date_precision")  # fmt: skip
        got = con.execute(
            f"SELECT {', '.join(fields)}, latitude, longitude FROM incident WHERE incident_id = ?",
            [int(incident_id)],
        ).fetchone()
        assert got[: len(fields)] == tuple(seed[f] for f in fields)
        assert got[-2] == pytest.approx(seed["latitude"], abs=0.02)
        assert got[-1] == pytest.approx(seed["longitude"], abs=0.02)
        claims = con.execute(
            """SELECT s.name, s.kind, s.affiliation, c.killed_min, c.killed_max,
                      c.wounded_min, c.wounded_max
               FROM claim c JOIN source s USING (source_id)
               WHERE c.incident_id = ? ORDER BY s.name""",
            [int(incident_id)],
        ).fetchall()
        assert claims == sorted(
            (c["source_name"], c["source_kind"], c["source_affiliation"], c.get("killed_min"),
             c.get("killed_max"), c.get("wounded_min"), c.get("wounded_max"))
            for c in seed["claim"]
        )  # fmt: skip
        # the two incidents (seed and draft) blame the same actors
        actors = con.execute(
            """SELECT i.origin_id LIKE 'article-%', list(DISTINCT a.name ORDER BY a.name)
               FROM claim c JOIN incident i USING (incident_id) JOIN actor a
                 ON a.actor_id = c.alleged_actor_id GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        assert actors[0][1] == actors[1][1] == ["Russia", "Syrian government"]
    finally:
        con.close()
