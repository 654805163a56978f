"""The Streamlit app, driven headless with AppTest against a small store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import bootstrap, demo, derive, queries
from ceasefire.filters import Filter
from ceasefire.records import ClaimRecord, IncidentRecord, write_records
from ceasefire.store import transaction

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [
    "pages/overview.py",
    "pages/incidents.py",
    "pages/compare.py",
    "pages/changes.py",
    "pages/import_data.py",
    "pages/actors.py",
    "pages/about.py",
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "app.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    demo.load_demo(con, size=600)
    # the founding incident as a second dataset recorded it, linked to the hand-coded one
    write_records(
        con,
        "acled",
        [
            IncidentRecord(
                origin_id="SYR-TEST-1",
                occurred_on=date(2020, 10, 26),
                weapon="airstrike",
                governorate="Idleb",
                district="Harim",
                latitude=36.2,
                longitude=36.52,
                claims=[
                    ClaimRecord(
                        source_name="ACLED",
                        alleged_actor="Military Forces of Russia (2000-)",
                        killed_min=35,
                        killed_max=35,
                    )
                ],
            )
        ],
    )
    with transaction(con):
        con.execute(
            "UPDATE incident SET linked_to = (SELECT incident_id FROM incident "
            "WHERE origin = 'manual') WHERE origin = 'acled'"
        )
        derive.refresh(con)
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
    f = Filter(
        start=Filter.from_query_params(opts).start,
        end=Filter.from_query_params(opts).end,
        actors=("Russia",),
    )
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


def test_an_incident_link_shows_its_claims_side_by_side(app, store_path):
    from ceasefire import store

    con = store.connect(store_path)
    (incident_id,) = con.execute(
        "SELECT incident_id FROM incident WHERE origin = 'manual'"
    ).fetchone()
    con.close()
    app.switch_page("pages/incidents.py")
    app.query_params["incident"] = str(incident_id)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Jabal al-Duwaila" in h.value for h in app.subheader)
    claims = app.dataframe[-1].value
    assert sorted(claims.source) == [
        "ACLED",
        "Al-Mayadeen",
        "Al-Watan",
        "Baladi News",
        "National Liberation Front",
        "Sputnik",
    ]
    assert next(m.value for m in app.metric if m.label == "Origins") == "acled, manual"
    assert claims.set_index("source").loc["Al-Watan", "killed"] == "43"
    assert claims.set_index("source").loc["Baladi News", "killed"] == "31+"


def test_all_dates_follow_the_store_after_an_import(tmp_path, monkeypatch):
    from ceasefire import store

    path = tmp_path / "grow.duckdb"
    bootstrap.ensure_store(path, with_demo=False).close()
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert metric(at, "Incidents") == "1"
    assert "from" not in at.query_params  # all dates: no dates in the link
    con = store.connect(path)
    write_records(
        con,
        "manual",
        [
            IncidentRecord(
                origin_id="later",
                occurred_on=date(2023, 5, 1),
                weapon="shelling/artillery",
                governorate="Idleb",
                district="Ariha",
                claims=[ClaimRecord(source_name="Test", alleged_actor="Syrian Arab Army")],
            )
        ],
    )
    con.close()
    at.run()  # no cache clearing: the store's data version is part of every cache key
    assert metric(at, "Incidents") == "2"


def test_removing_demo_data_asks_first_and_says_how_many_rows_go(tmp_path, monkeypatch):
    """The banner's button only asks; Cancel keeps everything; "Yes" removes them all."""
    path = tmp_path / "demo.duckdb"
    con = bootstrap.ensure_store(path, with_demo=False)
    demo.load_demo(con, size=200)
    n_incidents = con.execute("SELECT count(*) FROM incident WHERE is_demo").fetchone()[0]
    n_claims = con.execute("SELECT count(*) FROM claim WHERE is_demo").fetchone()[0]
    con.close()
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button(key="remove_demo").click().run()
    question = [w.value for w in at.warning if "This deletes" in w.value]
    assert question == [
        f"This deletes {n_incidents:,} demo incidents and {n_claims:,} claims about them from "
        "the store, on every page and for every user of this store. Real incidents are not "
        "touched. It cannot be undone (reload the demo set with `python -m ceasefire demo add`)."
    ]
    assert at.button(key="remove_demo_yes").label == f"Yes, remove {n_incidents:,} demo incidents"
    at.button(key="remove_demo_cancel").click().run()
    assert not [w for w in at.warning if "This deletes" in w.value]
    assert any(f"{n_incidents:,} of the incidents" in w.value for w in at.warning)  # kept

    at.button(key="remove_demo").click().run()
    at.button(key="remove_demo_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [f"Removed {n_incidents:,} demo incidents."]
    assert not any("SYNTHETIC" in w.value for w in at.warning)
