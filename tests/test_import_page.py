"""The Import page, driven headless with AppTest: upload, preview, confirm; a broken file.

Streamlit's AppTest drives ``st.file_uploader`` (``FileUploader.upload``), so the page is
tested without a browser, against a fresh store per test ($CEASEFIRE_DB).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import queries, store
from ceasefire.filters import Filter
from ceasefire.store import bootstrap

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FIX = Path(__file__).resolve().parent / "fixtures"
ACLED = FIX / "acled_quirks.csv"


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "page.duckdb"
    bootstrap.ensure_store(path, with_demo=False).close()
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Page Editor")  # importing is an editor's write
    return path


def snapshot(path: Path) -> dict:
    """What the store holds: counts, data version, integrity."""
    con = store.connect(path)
    try:
        return {
            "acled": con.execute("SELECT count(*) FROM incident WHERE origin = 'acled'").fetchone()[
                0
            ],
            "claims": con.execute("SELECT count(*) FROM claim").fetchone()[0],
            "counted": queries.headline(con, Filter())["incidents"],
            "data_version": store.data_version(con),
            "integrity_problems": store.integrity_problems(con),
        }
    finally:
        con.close()


def import_page(upload_name: str, content: bytes) -> AppTest:
    """The app on its Import page with ``content`` uploaded as an ACLED export."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/import.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio[0].value == "acled"
    at.file_uploader[0].upload(upload_name, content, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def import_button(at: AppTest):
    return next(b for b in at.button if b.label == "Import")


def test_upload_preview_confirm_counts_the_new_incidents(store_path):
    before = snapshot(store_path)
    at = import_page("acled_quirks.csv", ACLED.read_bytes())

    # the mapped preview: OCHA spellings, ACLED's Battles as ground clashes, the outlets
    preview = at.dataframe[0].value
    # human headers, not field names; dates as dates, not "2019-03-01 00:00:00"
    assert not [c for c in preview.columns if "_" in c]
    assert list(preview["Record id in the file"]) == ["SYR1", "SYR2", "SYR3"]
    assert set(preview["Governorate"]) == {"Idleb"}
    assert set(preview["Weapon"]) == {"ground clash"}
    assert all(type(d) is date for d in preview["Date"]), list(preview["Date"])
    assert "00:00:00" not in preview.to_string()
    syr1 = preview.set_index("Record id in the file").loc["SYR1"]
    assert set(syr1["Sources"].split("; ")) == {"ACLED", "SOHR", "Step News Agency"}
    assert (syr1["Killed, lowest figure"], syr1["Killed, highest figure"]) == (4, 4)
    assert any("All 3 rows are valid" in s.value for s in at.success)
    assert snapshot(store_path) == before  # a preview writes nothing

    import_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("3 incidents added, 0 updated" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    after = snapshot(store_path)
    assert after["acled"] == 3 and after["counted"] == before["counted"] + 3
    assert after["integrity_problems"] == []

    # a new session's Overview counts them (the import cleared the query caches). The
    # same session would keep the date range its sidebar took from the store before
    # the import (session state), which may leave the new rows out.
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.run()
    incidents = next(m.value for m in fresh.metric if m.label == "Incidents")
    assert incidents == f"{after['counted']:,}"


def test_a_broken_file_shows_the_problem_line_and_writes_nothing(store_path):
    before = snapshot(store_path)
    lines = ACLED.read_text().splitlines(keepends=True)
    assert lines[2].startswith("SYR2,2019-03-02,")
    lines[2] = lines[2].replace("2019-03-02", "2019-13-02", 1)  # line 3: no such month
    at = import_page("acled_broken.csv", "".join(lines).encode())

    assert any("1 problem in 1 of 3 rows." in e.value for e in at.error), [
        e.value for e in at.error
    ]
    problems = at.dataframe[1].value
    assert list(problems["Line"]) == [3]
    assert list(problems["Column"]) == ["event_date"]  # the file's own column name
    assert list(problems["Value"]) == ["2019-13-02"]
    assert problems["Reason"][0] == "2019-13-02 is not a real date: there is no month 13"
    assert import_button(at).disabled  # refused whole unless "good rows only" is ticked
    assert snapshot(store_path) == before


def test_an_upload_is_prepared_once_and_kept_in_one_scratch_folder(store_path, monkeypatch):
    from ceasefire import importers

    calls = []
    real = importers.prepare_file
    monkeypatch.setattr(
        importers, "prepare_file", lambda *a, **k: calls.append(a[2]) or real(*a, **k)
    )
    lines = ACLED.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("2019-03-02", "2019-13-02", 1)
    at = import_page("acled_broken.csv", "".join(lines).encode())
    at.checkbox[-1].check().run()  # "import the good rows": a rerun of the page
    at.checkbox[-1].uncheck().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1  # the preview and the report come from one preparation
    scratch = Path(at.session_state["import_tmp"].name)
    assert [p.name for p in (scratch / "upload").iterdir()] == ["acled_broken.csv"]
    at.file_uploader[0].upload("acled_quirks.csv", ACLED.read_bytes(), "text/csv").run()
    assert len(calls) == 2  # another upload is prepared again, in place of the first
    assert [p.name for p in (scratch / "upload").iterdir()] == ["acled_quirks.csv"]
    at.session_state["import_tmp"].cleanup()  # what the session's end does
    assert not scratch.exists()
