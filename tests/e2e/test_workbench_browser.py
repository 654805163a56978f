"""In a real browser: a viewer sees no write controls; an editor signs in (a local
account, argon2) and codes the founding article (../shared/data/articles/...duwaila.txt)
from scratch in the incident editor - the incident, its five claims and their new
sources - and the store, the Overview and the incident page then show it exactly as the
hand-coded seed file does (compared field by field).

Runs its own server on its own store (reference data only: the seed incident and its
sources are removed first, so every source is new), so the write does not disturb the
other browser tests' numbers.
"""

from __future__ import annotations

from pathlib import Path

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
SEED = ROOT / "data" / "seed" / "duwaila-2020-10-26.toml"
PASSWORD = "duwaila-2020"


def serve(store: Path, env: dict):
    return serve_app(store, "streamlit-workbench.log", env, drop=("CEASEFIRE_EDITOR",))


def choose(scope, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` (typed, then Enter), and wait
    for the run it starts (none when it was chosen already)."""
    box = scope.get_by_label(label, exact=True)
    chosen = box.input_value().startswith(option)
    box.click()
    box.page.keyboard.type(option)
    if chosen:
        box.page.keyboard.press("Enter")
        return
    with next_run(box.page):
        box.page.keyboard.press("Enter")


def type_into(scope, label: str, text: str) -> None:
    """Type ``text`` into the field labelled ``label``, leave it (Tab), and wait for the
    run that starts."""
    field = scope.get_by_label(label, exact=True)
    field.fill(text)
    with next_run(field.page):
        field.press("Tab")


FIGURES = {"killed": "Killed", "wounded": "Wounded"}


def claim_figures(claim: dict) -> dict[str, tuple[str, int]]:
    """How an editor reads the seed's numbers as the source's words."""
    out = {}
    for fig in FIGURES:
        lo, hi = claim.get(f"{fig}_min"), claim.get(f"{fig}_max")
        if lo is not None and hi is None:
            out[fig] = ("more than", lo - 1)  # "more than 30" is stored as 31
        elif lo is None and hi is not None:
            out[fig] = ("up to", hi)
        elif lo is not None:
            out[fig] = ("exactly", lo)
    return out


def test_code_the_founding_article_from_scratch(tmp_path, shared_data, pw):
    _require_chromium()
    from playwright.sync_api import expect

    from ceasefire import auth, editing, store
    from ceasefire.seed import read_seed_file

    assert "Jabal al-Duwaila" in (shared_data / ARTICLE).read_text(encoding="utf-8")
    _, (seed,) = read_seed_file(SEED)
    path = tmp_path / "workbench-e2e.duckdb"
    with store.writer(path, with_demo=False) as con:  # reference data, then no seed
        con.execute("DELETE FROM claim")
        con.execute("DELETE FROM incident")
        con.execute("DELETE FROM source")
        from ceasefire.tables import derive

        derive.refresh(con)
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(
        f'[editors.accounts]\n"Browser Editor" = "{auth.hash_password(PASSWORD)}"\n'
    )

    with serve(path, {"CEASEFIRE_ACCOUNTS": str(accounts)}) as url:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        # a viewer: no write controls anywhere
        goto(page, f"{url}/edit")
        expect(page.get_by_text("sign in as an editor")).to_be_visible()
        expect(page.get_by_role("button", name="Save incident")).to_have_count(0)
        goto(page, f"{url}/actors")
        expect(page.get_by_role("heading", name="Actors and sources")).to_be_visible()
        expect(page.get_by_role("button", name="Assign side")).to_have_count(0)
        goto(page, f"{url}/import")
        expect(page.get_by_text("sign in as an editor")).to_be_visible()
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)

        # sign in as the editor
        page.get_by_text("Editor sign-in").click()
        page.get_by_label("Editor name", exact=True).fill("Browser Editor")  # a form: no run
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        with next_run(page):
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Editing as Browser Editor")).to_be_visible()

        # code the incident
        with next_run(page):
            page.get_by_role("link", name="New / edit incident").click()
        assert page.url.startswith(f"{url}/edit")
        page.get_by_role("spinbutton", name="year, Date").click()
        page.keyboard.type(seed.occurred_on.strftime("%Y%m%d"))
        page.keyboard.press("Tab")  # to the calendar button, still in the date field
        with next_run(page):
            page.keyboard.press("Tab")  # out of the field: the date applies
        type_into(page, "Place name", seed.place_name)
        type_into(page, "Governorate", seed.governorate)
        type_into(page, "District", seed.district)
        type_into(page, "Latitude", f"{seed.latitude}")
        type_into(page, "Longitude", f"{seed.longitude}")
        choose(page, "Location precision", seed.location_precision)
        choose(page, "Weapon", seed.weapon)
        choose(page, "Target type", seed.target_type)
        choose(page, "Verification", seed.verification)
        type_into(page, "Description", seed.description)

        for i, claim in enumerate(seed.claims):
            if i:
                with next_run(page):
                    page.get_by_role("button", name="Add a claim").click()
            box = page.locator(f".st-key-claim_{i}")
            choose(box, "Source", "(new")
            type_into(box, "New source: name", claim.source_name)
            choose(box, "Kind", claim.source_kind)
            choose(box, "Affiliation", claim.source_affiliation)
            if claim.source_url:
                type_into(box, "URL", claim.source_url)
            choose(box, "Alleged actor", "(new")
            type_into(box, "New actor name (as the source wrote it)", claim.alleged_actor)
            for fig, (qualifier, n) in claim_figures(claim.__dict__).items():
                choose(box, f"{FIGURES[fig]}: the source says", qualifier)
                type_into(box, f"{FIGURES[fig]}: number", str(n))
            type_into(box, "Quote", claim.quote)

        counted = page.get_by_text("Alleged violation of Astana memorandum")
        expect(counted).to_be_visible()
        expect(counted).to_contain_text("inside Harim district (Idleb), airstrike")
        expect(counted).to_contain_text("Russia named as perpetrator by 4 of 5 sources")
        type_into(page, "Note for the change log (why; a citation)", f"coded from {ARTICLE}")
        page.screenshot(path=str(ARTIFACTS / "workbench-editor.png"), full_page=True)
        page.get_by_role("button", name="Save incident").click()
        expect(page.get_by_text("Saved incident")).to_be_visible()
        expect(page.get_by_text("History of this incident")).to_be_visible()

        # the Overview and the incident page show it as the seed does
        goto(page, url)
        page.screenshot(path=str(ARTIFACTS / "workbench-overview.png"))
        expect(page.get_by_text("31–75").first).to_be_visible()
        incident_id = None
        with store.reader(path) as con:
            incident_id = con.execute("SELECT incident_id FROM incident").fetchone()[0]
        page.goto(f"{url}/incidents?incident={incident_id}")
        body = page.locator("body")
        expect(body).to_contain_text(seed.place_name)
        for claim in seed.claims:
            expect(body).to_contain_text(claim.source_name)
        page.screenshot(path=str(ARTIFACTS / "workbench-incident.png"), full_page=True)
        browser.close()

    # field by field against a store loaded from the seed file
    from ceasefire import seed as seed_module
    from ceasefire.store import bootstrap

    reference = store.connect(":memory:")
    bootstrap.load_reference(reference)
    seed_module.load_seed(reference)
    fields = ", ".join(f for f in editing.INCIDENT_FIELDS if not f.endswith("pcode"))
    claims_sql = """SELECT s.name, s.kind, s.affiliation, s.url, a.name, c.role, c.killed_min,
                           c.killed_max, c.wounded_min, c.wounded_max, c.civilians_killed_min,
                           c.civilians_killed_max, c.quote, c.published_on
                    FROM claim c LEFT JOIN source s USING (source_id)
                    LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id ORDER BY c.claim_id"""
    with store.reader(path) as con:
        assert (
            con.execute(f"SELECT {fields} FROM incident").fetchall()
            == reference.execute(f"SELECT {fields} FROM incident").fetchall()
        )
        assert con.execute(claims_sql).fetchall() == reference.execute(claims_sql).fetchall()
        facts = "SELECT killed_min, killed_max, wounded_min, wounded_max, is_disputed, violated_agreements FROM incident_fact"
        assert con.execute(facts).fetchall() == reference.execute(facts).fetchall()
        log = con.execute(
            "SELECT entity, action, editor FROM change_log ORDER BY change_id"
        ).fetchall()
    assert ("incident", "create", "Browser Editor") in log
    assert sum(1 for e in log if e[:2] == ("source", "create")) == 5
    reference.close()
