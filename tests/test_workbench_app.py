"""Editors and viewers in the app (AppTest): a viewer's session shows no write controls;
an editor (local set-up, or a local account signed in) sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import auth, demo
from ceasefire.store import bootstrap

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WRITE_BUTTONS = {"Remove demo data…", "Import", "Save incident", "Assign side", "Merge"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("workbench") / "wb.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    demo.load_demo(con, size=200)
    con.close()
    return path


@pytest.fixture
def viewer(store_path, monkeypatch, tmp_path):
    monkeypatch.setenv("CEASEFIRE_DB", str(store_path))
    monkeypatch.delenv("CEASEFIRE_EDITOR", raising=False)
    monkeypatch.delenv("CEASEFIRE_ACCOUNTS", raising=False)
    monkeypatch.setattr(auth, "secrets", dict)  # no secrets file of the machine's
    return AppTest.from_file(APP, default_timeout=60)


def write_controls(at: AppTest) -> set[str]:
    labels = {b.label for b in at.button} | {b.label for b in at.get("form_submit_button")}
    return (labels & WRITE_BUTTONS) | ({"file upload"} if at.get("file_uploader") else set())


PAGES = [
    "app_pages/overview.py",
    "app_pages/incidents.py",
    "app_pages/import.py",
    "app_pages/actors.py",
]


def test_a_viewer_sees_no_write_controls(viewer):
    viewer.run()
    assert not viewer.exception, [e.value for e in viewer.exception]
    assert any("SYNTHETIC" in w.value for w in viewer.warning)
    for page in PAGES:
        viewer.switch_page(page).run()
        assert not viewer.exception, [e.value for e in viewer.exception]
        assert write_controls(viewer) == set(), page
    assert any("Viewing only" in c.value for c in viewer.caption)


def test_the_local_editor_sees_them(viewer, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Local Editor")
    viewer.run()
    assert "Remove demo data…" in write_controls(viewer)
    assert any("Local Editor" in c.value for c in viewer.caption)
    viewer.switch_page("app_pages/import.py").run()
    assert "file upload" in write_controls(viewer)


def test_with_accounts_a_viewer_signs_in_as_an_editor(viewer, monkeypatch, tmp_path):
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[editors.accounts]\nann = "{auth.hash_password("s3cret-pass")}"\n')
    monkeypatch.setenv("CEASEFIRE_ACCOUNTS", str(accounts))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "ignored when accounts exist")
    viewer.run()
    assert write_controls(viewer) == set()
    viewer.text_input(key="sign_in_name").input("ann")
    viewer.text_input(key="sign_in_password").input("wrong password")
    viewer.get("form_submit_button")[0].click().run()
    assert write_controls(viewer) == set()
    assert any("wrong password" in e.value for e in viewer.error)
    viewer.text_input(key="sign_in_name").input("ann")
    viewer.text_input(key="sign_in_password").input("s3cret-pass")
    viewer.get("form_submit_button")[0].click().run()
    assert not viewer.exception, [e.value for e in viewer.exception]
    assert "Remove demo data…" in write_controls(viewer)
    assert any("ann" in c.value for c in viewer.caption)
