"""The Streamlit app, driven headless with AppTest against a small store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import oracle
import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import demo
from ceasefire.records import ClaimRecord, IncidentRecord, write_records
from ceasefire.store import bootstrap, transaction
from ceasefire.tables import derive

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [
    "app_pages/overview.py",
    "app_pages/incidents.py",
    "app_pages/compare.py",
    "app_pages/changes.py",
    "app_pages/import.py",
    "app_pages/actors.py",
    "app_pages/about.py",
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


def expected(store_path, **view) -> dict:
    """The view's headline by plain SQL over the facts (tests/oracle.py), not ``queries``."""
    from ceasefire import store

    con = store.connect(store_path)
    try:
        return oracle.headline(oracle.view(con, **view))
    finally:
        con.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]


def test_overview_shows_the_stores_figures_and_the_demo_banner(app, store_path):
    app.run()
    h = expected(store_path)
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
    view = {key: opts[key] for key in ("from", "to") if key in opts}
    assert not view  # the sidebar's full date range puts no dates in the URL
    assert after == f"{expected(store_path, actors=('Russia',))['incidents']:,}"
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
    view = dict(actors=("Russia",), target_types=("market",), attribution="majority")
    assert metric(app, "Incidents") == f"{expected(store_path, **view)['incidents']:,}"


def _sidebar_widget(app, key):
    widgets = [
        w
        for kind in ("date_input", "selectbox", "radio", "multiselect", "checkbox")
        for w in getattr(app.sidebar, kind)
        if w.key == key
    ]
    return widgets[0] if widgets else None


def test_reset_puts_every_sidebar_control_back_to_its_default(app, store_path):
    """Reset filters clears every filter control, whatever filters.FIELDS holds: each
    field's widget is set away from its default, then Reset puts every one back (the
    inferred-attributions box was missing from the hand-written reset list and stayed
    ticked)."""
    from app_pages._shared import sidebar_fields, widget_key
    from ceasefire.filters import FIELDS, Filter

    app.run()
    default = metric(app, "Incidents")
    shown = {widget_key(field) for field in sidebar_fields()}
    assert {widget_key(field) for field in FIELDS} == shown  # a widget for every field
    app.sidebar.radio(key="attribution").set_value("source").run()  # shows the source box
    for field in sidebar_fields():
        widget = _sidebar_widget(app, widget_key(field))
        assert widget is not None, field.name
        if field.kind == "date":
            first, last = widget.value
            widget.set_value((first, first + (last - first) / 2)).run()
        elif field.kind == "list":
            widget.set_value(widget.options[:1]).run()
        elif field.kind == "bool":
            widget.set_value(not widget.value).run()
        elif field.name == "agreement":
            widget.set_value(widget.options[1]).run()
    assert metric(app, "Incidents") != default
    app.sidebar.button(key="reset_filters").click().run()
    defaults = Filter()
    for field in sidebar_fields():
        widget = _sidebar_widget(app, widget_key(field))
        if field.name == "attribution_source":  # asked only for one source's attribution
            assert widget is None
        elif field.kind == "date":
            assert tuple(widget.value) == tuple(app.session_state["dates_full_range"])
        elif field.kind == "list":
            assert widget.value == [], field.name
        elif field.name == "agreement":
            assert widget.value == ""
        else:
            assert widget.value == getattr(defaults, field.name), field.name
    assert metric(app, "Incidents") == default == f"{expected(store_path)['incidents']:,}"


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
    (acled_id,) = con.execute("SELECT incident_id FROM incident WHERE origin = 'acled'").fetchone()
    # its place in the newest-first list, counted by hand: incidents dated after it
    (newer,) = con.execute(
        "SELECT count(*) FROM incident WHERE linked_to IS NULL AND (occurred_on > DATE "
        "'2020-10-26' OR (occurred_on = DATE '2020-10-26' AND incident_id > ?))",
        [incident_id],
    ).fetchone()
    con.close()
    app.switch_page("app_pages/incidents.py")
    app.query_params["incident"] = str(incident_id)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.header[0].value == "Jabal al-Duwaila, near Haram, 26 Oct 2020"
    # the link opened the table at the page holding the incident, and selected it
    assert app.number_input(key="incident_page").value == newer // 50 + 1
    opener = next(s for s in app.selectbox if s.key and s.key.startswith("incident_open"))
    assert opener.value == incident_id
    assert str(incident_id) in app.dataframe[0].value.incident_id.astype(str).tolist()
    text = "\n".join(m.value for m in app.markdown).replace("\\", "")
    # the range in words, each source's figure as stated; 'not stated', never 'None'
    assert (
        "31–75 killed: 35 (ACLED), 43 (Al-Watan), more than 30 (Baladi News), up to 75 "
        "(Sputnik); not stated by Al-Mayadeen and National Liberation Front." in text
    )
    assert "None" not in text
    cards = [m.value.replace("\\", "") for m in app.markdown if m.value.startswith("**Claim ")]
    assert sorted(c.split(": ", 1)[1].strip("*") for c in cards) == [
        "ACLED",
        "Al-Mayadeen",
        "Al-Watan",
        "Baladi News",
        "National Liberation Front",
        "Sputnik",
    ]
    assert "- **Killed:** 43" in text and "- **Killed:** more than 30" in text
    # the whole quote, not cut
    assert "Russian warplanes launched raids targeting Failaq al-Sham at their training" in text
    assert (
        "Sochi memorandum on the stabilisation of the Idlib de-escalation area: alleged violation"
        in text
    )
    # both origins, the linked record with a link to itself
    assert f"[acled record SYR-TEST-1](?incident={acled_id})" in text
    assert f"[manual record duwaila-2020-10-26](?incident={incident_id})" in text


def test_the_search_finds_an_incident_by_place_quote_or_source(app):
    app.switch_page("app_pages/incidents.py")
    app.run()
    app.text_input(key="incident_search").input("Duwaila").run()
    assert not app.exception, [e.value for e in app.exception]
    table = app.dataframe[0].value
    assert table.place_name.tolist() == ["Jabal al-Duwaila, near Haram"]
    assert (
        app.query_params["q"] == ["Duwaila"]
        if isinstance(app.query_params["q"], list)
        else app.query_params["q"] == "Duwaila"
    )
    # a word of a quote and a source's name, together
    app.text_input(key="incident_search").input("neutralized sputnik").run()
    assert app.dataframe[0].value.place_name.tolist() == ["Jabal al-Duwaila, near Haram"]
    app.text_input(key="incident_search").input("no-such-place-anywhere").run()
    assert any("No incidents match" in i.value for i in app.info)


def test_paging_reaches_the_oldest_incident(app, store_path):
    from ceasefire import store

    con = store.connect(store_path)
    total, oldest = con.execute(
        "SELECT count(*), min(occurred_on) FROM incident WHERE linked_to IS NULL"
    ).fetchone()
    con.close()
    app.switch_page("app_pages/incidents.py")
    app.run()
    assert any(f"1–50 of {total:,} incidents" in c.value for c in app.caption)
    app.button(key="page_last").click().run()
    last = -(-total // 50)
    assert app.number_input(key="incident_page").value == last
    table = app.dataframe[0].value
    assert len(table) == total - 50 * (last - 1)
    assert table.occurred_on.iloc[-1] == oldest
    app.button(key="page_prev").click().run()
    assert app.number_input(key="incident_page").value == last - 1
    app.selectbox(key="incident_order").select("oldest").run()
    assert app.number_input(key="incident_page").value == 1  # a new order starts at page 1
    assert app.dataframe[0].value.occurred_on.iloc[0] == oldest


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
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Demo Remover")  # removing data is an editor's
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button(key="remove_demo").click().run()
    question = [w.value for w in at.warning if "This deletes" in w.value]
    assert question == [
        f"This deletes {n_incidents:,} demo incidents and {n_claims:,} claims about them from "
        "the store, on every page and for every user of this store. Real incidents are not "
        "touched. To undo it, revert this removal on the History page while it is the latest "
        "import or removal (or reload the demo set with `python -m ceasefire demo add`)."
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


def test_no_folder_named_pages_beside_the_app():
    """Streamlit takes a folder named pages/ beside app.py for an old-style multipage app
    (streamlit's PagesManager checks only that it exists): on a server's first request a
    shared link then ran its page without app.py's navigation. The pages live in
    app_pages/; a pages/ left by an older checkout (its __pycache__) must be deleted."""
    assert not (Path(APP).parent / "pages").exists(), "delete the folder pages/ (see docstring)"


def test_every_page_file_is_named_after_its_address():
    """A page's file is named after its address (/draft is app_pages/draft.py), so the
    file behind an address is found without reading app.py. The browser test opens every
    address on a fresh server (tests/e2e/test_addresses.py)."""
    import ast

    tree = ast.parse(Path(APP).read_text())
    pages = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            target = node.args[0]
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            if isinstance(target, ast.Constant):
                pages[target.value] = kw["url_path"]
    assert len(pages) >= 10, pages
    for path, url in pages.items():
        if url == "home":  # the default page, served at / (never at /home)
            continue
        assert Path(path).stem == url, (path, url)


def test_about_speaks_in_words_not_code(app):
    """The About page named code: ``taxonomy.KINETIC_WEAPONS``, ``agreement_area``, "a
    NULL district", ``incident_actor``. No module, table, column or constant name may
    show: nothing dotted or snake_case, no upper-case constants, no NULL."""
    import re

    app.switch_page("app_pages/about.py").run()
    assert not app.exception, [e.value for e in app.exception]
    shown = [m.value for m in app.markdown] + [s.value for s in app.subheader]
    for t in app.table:
        frame = t.value
        shown += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    text = "\n".join(shown)
    assert "the incident's whole date window" in text  # the rule is there
    code = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[A-Za-z_]+\(|\b[A-Z]+_[A-Z_]+\b|\bNULL\b")
    assert not code.findall(text), sorted(set(code.findall(text)))
