"""The Streamlit app, driven headless with AppTest against a small store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import bootstrap, demo, queries
from ceasefire.filters import Filter

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["pages/overview.py", "pages/incidents.py", "pages/compare.py", "pages/import_data.py",
         "pages/actors.py", "pages/about.py"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "app.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    demo.load_demo(con, size=600)
    con.close()
    return path


@pytest.fixture
def app(store_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_DB", str(store_path))
    return AppTest.from_file(APP, default_timeout=60)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def expected(store_path, f: Filter) -> dict:
    from ceasefire import store

    con = store.connect(store_path)
    try:
        return queries.headline(con, f)
    finally:
        con.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]


def test_overview_shows_the_stores_figures_and_the_demo_banner(app, store_path):
    app.run()
    h = expected(store_path, Filter())
    assert metric(app, "Incidents") == f"{h['incidents']:,}"
    assert metric(app, "Killed (range)") == f"{h['killed_min']:,}–{h['killed_max']:,}"
    assert any("SYNTHETIC" in w.value for w in app.warning)


def test_a_filter_changes_the_figures_and_the_url(app, store_path):
    app.run()
    before = metric(app, "Incidents")
    app.sidebar.multiselect(key="actors").set_value(["Russia"]).run()
    after = metric(app, "Incidents")
    assert after != before
    opts = app.query_params
    f = Filter(start=Filter.from_query_params(opts).start, end=Filter.from_query_params(opts).end,
               actors=("Russia",))
    assert after == f"{expected(store_path, f)['incidents']:,}"
    assert app.query_params["actor"] == ["Russia"] or app.query_params["actor"] == "Russia"


def test_a_query_string_restores_the_view(app, store_path):
    app.query_params["actor"] = "Russia"
    app.query_params["target"] = "market"
    app.query_params["attribution"] = "majority"
    app.query_params["by"] = "month"
    app.run()
    assert not app.exception
    assert app.sidebar.multiselect(key="actors").value == ["Russia"]
    assert app.sidebar.radio(key="attribution").value == "majority"
    assert app.sidebar.radio(key="by").value == "month"
    f = Filter(actors=("Russia",), target_types=("market",), attribution="majority")
    assert metric(app, "Incidents") == f"{expected(store_path, f)['incidents']:,}"


def test_an_empty_result_says_so(app):
    app.query_params["from"] = "2030-01-01"
    app.query_params["to"] = "2030-12-31"
    app.run()
    assert not app.exception
    assert metric(app, "Incidents") == "0"
    assert any("No incidents match" in i.value for i in app.info)


def test_a_malformed_link_is_reported_not_fatal(app):
    app.query_params["from"] = "yesterday"
    app.run()
    assert not app.exception
    assert any("Ignoring part of the link" in w.value for w in app.warning)
