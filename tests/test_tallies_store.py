"""Tallies in the store: the reference set, the migration, editors' writes and reverts,
the CLI, the side-by-side numbers and the page.

The reference set's expectations are computed from ``data/tallies/reference.csv`` with
the csv module, not through the code under test; the incidents beside the tallies are
checked against the Overview's own headline query."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from ceasefire import editing, queries, store
from ceasefire.cli import main
from ceasefire.editing import Invalid
from ceasefire.editing.tallies import add_tallies, delete_tally, edit_tally
from ceasefire.filters import Filter
from ceasefire.tables import schema
from ceasefire.tables.dataversion import table_digest
from ceasefire.tallies import reference
from ceasefire.tallies.bulletin import draft_bulletin
from ceasefire.tallies.figure import side_by_side_view
from ceasefire.tallies.model import rows_from_draft
from ceasefire.tallies.reads import side_by_side, tally_frame

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "tallies" / "reference.csv"
SOURCES = ROOT / "data" / "tallies" / "SOURCES.md"
RU = "Russian Centre for Reconciliation (Russian part of the joint commission)"
TR = "Turkish part of the joint commission"
MAY_2019 = (
    "Over the last 24 hours, the Russian party of the Russia-Turkey Commission on violations "
    "of the Joint Agreement has registered 5 cases of firing in the provinces of Aleppo (1) "
    "and Latakia (4). The Turkish side has registered 15 cases of ceasefire violations in the "
    "provinces of Aleppo (8), Idlib (4), Latakia (2) and Hama (1)."
)


def reference_rows() -> list[dict]:
    with open(REFERENCE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the reference set -------------------------------------------------------------


def test_the_reference_set_is_thirty_real_bulletins_across_2017_to_2020():
    rows = reference_rows()
    bulletins = {r["link"]: r["published_on"] for r in rows}
    assert len(bulletins) >= 30
    assert {p[:4] for p in bulletins.values()} == {"2017", "2018", "2019", "2020"}
    assert all(link.startswith(("http://", "https://")) for link in bulletins)
    sources = SOURCES.read_text(encoding="utf-8")
    assert all(f"<{link}>" in sources for link in bulletins)  # every report listed
    assert all(r["quote"] == "" for r in rows)  # facts only: no text copied
    assert len({r["ref_id"] for r in rows}) == len(rows)
    assert reference.read_reference()  # and every row passes the model's checks
    reporters = {r["reporter"] for r in rows}
    assert {RU, TR, "Turkish Ministry of National Defence", "SNHR"} <= reporters


def test_the_reference_totals_reconcile_except_where_the_sources_say():
    """Sum of provinces vs stated total per bulletin and reporter, computed here."""
    totals, parts = {}, defaultdict(list)
    for r in reference_rows():
        key = (r["published_on"], r["reporter"])
        if r["kind"] == "total":
            totals[key] = int(r["count"])
        else:
            parts[key].append(None if r["count"] == "" else int(r["count"]))
    differ = {
        key
        for key, counts in parts.items()
        if key in totals and None not in counts and sum(counts) != totals[key]
    }
    # TASS 3 Jan 2018 (Turkish 10 vs 11) and «в том числе» 2 Feb 2020 (8 of 32): both
    # as the reports give them, both in SOURCES.md
    assert differ == {("2018-01-03", TR), ("2020-02-02", RU)}
    assert sum(len(c) for c in parts.values()) + len(totals) == len(reference_rows())


# --- the store -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """A file store made by ``init`` (reference data, seed, the demo set)."""
    path = tmp_path_factory.mktemp("tallies") / "store.duckdb"
    assert main(["--db", str(path), "init"]) == 0
    return path


SUMMARIES = [
    [],
    ["--violations-only"],
    ["--agreement", "sochi-2018"],
    ["--governorate", "Idleb", "--attribution", "majority"],
    ["--actor", "Russia", "--stated-only"],
]


def _summaries(path, capsys) -> list[str]:
    out = []
    for args in SUMMARIES:
        capsys.readouterr()
        assert main(["--db", str(path), "summary", *args]) == 0
        out.append(capsys.readouterr().out)
    return out


def test_tallies_never_change_an_incident_count(demo_store, capsys):
    with store.reader(demo_store) as con:
        assert con.execute("SELECT count(*) FROM tally").fetchone()[0] == len(reference_rows())
        derived = {t: table_digest(con, t) for t in _derived_tables(con)}
    with_tallies = _summaries(demo_store, capsys)
    with store.writer(demo_store) as con, store.transaction(con):
        con.execute("DELETE FROM tally")
    without = _summaries(demo_store, capsys)
    assert main(["--db", str(demo_store), "reload-reference"]) == 0
    reloaded = _summaries(demo_store, capsys)
    assert with_tallies == without == reloaded  # every summary figure, word for word
    assert '"incidents": 3' in with_tallies[0]  # (the demo set's thousands)
    with store.reader(demo_store) as con:
        assert con.execute("SELECT count(*) FROM tally").fetchone()[0] == len(reference_rows())
        assert {t: table_digest(con, t) for t in _derived_tables(con)} == derived


def _derived_tables(con) -> list[str]:
    return ["incident", "claim", "incident_fact", "incident_actor", "claim_fact"]


def test_a_store_of_schema_6_migrates_and_gets_the_reference_set_once(tmp_path):
    path = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(path))
    for version in range(1, 7):
        for statement in schema.MIGRATIONS[version]:
            con.execute(statement)
    con.execute(
        "INSERT INTO schema_meta VALUES ('schema_version', '6'), ('first_run_done', 'true')"
    )
    con.execute(
        "INSERT INTO change_log VALUES (1, TIMESTAMP '2026-01-01', 'Ann', 'source', '1', "
        "'create', NULL, '{}', 'kept', NULL)"
    )
    con.close()
    with store.writer(path) as w:
        assert store.schema_version(w) == 7
        assert w.execute("SELECT note FROM change_log").fetchall() == [("kept",)]
        assert w.execute("SELECT count(*) FROM tally").fetchone()[0] == len(reference_rows())
        w.execute("DELETE FROM tally")  # an editor's store without them...
    with store.writer(path) as w:  # ...is not refilled behind their back
        assert w.execute("SELECT count(*) FROM tally").fetchone()[0] == 0


def test_editors_add_edit_delete_and_revert_tallies(con):
    before = store.compute_data_version(con)
    draft = draft_bulletin(MAY_2019, reporter="x", published=date(2019, 5, 10))
    ids = add_tallies(con, rows_from_draft(draft, link="https://example.org/b"), editor="Ann")
    assert len(ids) == 8  # six provinces and two totals
    added = tally_frame(con, bulletin="https://example.org/b")
    assert sorted(added.loc[added.kind == "governorate", "count"].tolist()) == [1, 1, 2, 4, 4, 8]
    assert store.compute_data_version(con) != before
    idlib = int(added[(added.governorate == "Idleb")].tally_id.iloc[0])
    change = edit_tally(con, idlib, {"count": 5}, editor="Bo", note="misread")
    assert edit_tally(con, idlib, {"count": 5}, editor="Bo") is None  # nothing to change
    entry = editing.history(con, limit=1)[0]
    assert (entry["entity"], entry["action"], entry["old"], entry["new"]) == (
        "tally",
        "update",
        {"count": 4},
        {"count": 5},
    )
    editing.revert(con, change, editor="Cy")
    assert tally_frame(con, tally_ids=(idlib,))["count"].iloc[0] == 4
    deleted = delete_tally(con, idlib, editor="Bo")
    assert tally_frame(con, tally_ids=(idlib,)).empty
    editing.revert(con, deleted, editor="Cy")
    assert tally_frame(con, tally_ids=(idlib,))["count"].iloc[0] == 4
    created = [
        e for e in editing.history(con) if e["entity"] == "tally" and e["action"] == "create"
    ]
    for e in [e for e in created if e["reverts"] is None]:  # every creation undone
        editing.revert(con, e["change_id"], editor="Cy")
    assert tally_frame(con, bulletin="https://example.org/b").empty
    assert store.compute_data_version(con) == before


def test_bad_tallies_are_refused_whole_with_their_fields(con):
    n = con.execute("SELECT count(*) FROM tally").fetchone()[0]
    good = {
        "reporter": TR,
        "governorate": "Idlib",
        "period_start": "2019-05-08",
        "count": 3,
        "unit": "cases",
    }
    bad = [
        good,
        {**good, "reporter": "Nobody", "governorate": "Atlantis", "count": -1},
        {**good, "kind": "total", "period_end": "2019-05-01"},
    ]
    with pytest.raises(Invalid) as caught:
        add_tallies(con, bad, editor="Ann")
    assert set(caught.value.errors) >= {
        "tallies[1].governorate",
        "tallies[1].count",
        "tallies[2].governorate",
        "tallies[2].period_end",
    }
    with pytest.raises(Invalid) as caught:
        add_tallies(con, [{**good, "reporter": "Nobody"}], editor="Ann")
    assert "tallies[0].reporter" in caught.value.errors
    assert con.execute("SELECT count(*) FROM tally").fetchone()[0] == n
    with pytest.raises(editing.EditorRequired):
        add_tallies(con, [good], editor=None)


def test_reloading_the_reference_set_keeps_an_editors_correction(con):
    ref = int(
        con.execute("SELECT tally_id FROM tally WHERE origin_id = '2019-05-09-ru-SY06'").fetchone()[
            0
        ]
    )
    edit_tally(con, ref, {"count": 40}, editor="Ann", note="a test")
    with store.transaction(con):
        counts = reference.load_reference_tallies(con)
    assert counts == {"added": 0, "updated": 0, "kept": 1}
    assert tally_frame(con, tally_ids=(ref,))["count"].iloc[0] == 40


# --- side by side ----------------------------------------------------------------------


def test_side_by_side_sums_the_tallies_on_record_and_counts_incidents_as_the_overview(
    demo_store,
):
    f = Filter(start=date(2019, 1, 1), end=date(2019, 12, 31))
    with store.reader(demo_store) as con:
        result = side_by_side(con, f, "Idleb", "month")
        incidents = {
            month: queries.headline(
                con,
                f.with_(governorates=("Idleb",), start=month, end=_month_end(month)),
            )
            for month in [date(2019, m, 1) for m in range(1, 13)]
        }
    frame = result.frame
    expected = defaultdict(int)
    for r in reference_rows():  # Idleb's governorate tallies of 2019, by month
        if r["governorate"] == "Idleb" and r["period_start"][:4] == "2019" and r["count"]:
            expected[(r["period_start"][:7], r["reporter"])] += int(r["count"])
    tallies = frame[(frame.kind == "tally") & frame.value.notna()]
    got = {
        (str(p)[:7], s): int(v)
        for p, s, v in zip(tallies.period, tallies.series, tallies.value, strict=True)
    }
    assert got == dict(expected)
    for series, measure in (
        ("Incidents on record", "incidents"),
        ("Alleged violations on record", "alleged_violations"),
    ):
        part = frame[frame.series == series]
        got = {pd.Timestamp(p).date(): int(v) for p, v in zip(part.period, part.value, strict=True)}
        assert got == {m: h[measure] for m, h in incidents.items() if h["incidents"]}
    notes = " ".join(result.notes)
    assert "not incidents" in notes and "without a count (not 0)" in notes
    assert not re.search(r"(?<![\d,])1 (?:tallies|days)\b", notes), notes


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def test_the_figure_says_what_tallies_are_and_validates(demo_store, tmp_path):
    f = Filter(start=date(2019, 1, 1), end=date(2019, 12, 31))
    with store.reader(demo_store) as con:
        _, prov, fig = side_by_side_view(con, f, "Idleb", "month")
    go.Figure(fig.to_dict())  # Plotly validates what the chart wrote without validation
    meta = fig.layout.meta
    assert "they are not incidents and are never added to incident counts" in meta["subtitle"]
    assert prov.data_version in meta["footer"] and "SOURCES.md" in meta["footer"]
    names = {t.name for t in fig.data}
    assert {"Russian part of the joint commission", "Turkish part of the joint commission"} <= names
    assert {"Incidents on record", "Alleged violations on record"} <= names
    assert "Province named, no count" in names  # Feb 2019: provinces named, no numbers
    out = tmp_path / "fig.svg"
    assert main(["--db", str(demo_store), "tally", "chart", "Idlib", "--from", "2019-01-01",
                 "--to", "2019-12-31", "--size", "column", "-o", str(out)]) == 0  # fmt: skip
    svg = out.read_text(encoding="utf-8")
    assert "not incidents" in svg and "Idleb" in svg


# --- the command line ------------------------------------------------------------------


def test_tally_draft_prints_the_issue_shape_and_writes_nothing(tmp_path, capsys):
    text = tmp_path / "bulletin.txt"
    text.write_text(MAY_2019, encoding="utf-8")
    db = tmp_path / "never.duckdb"
    capsys.readouterr()
    code = main(["--db", str(db), "tally", "draft", str(text), "--reporter",
                 "Russian Centre for Reconciliation", "--published", "2019-05-10",
                 "--format", "json"])  # fmt: skip
    assert code == 0 and not db.exists()
    out = json.loads(capsys.readouterr().out)
    keys = {
        "reporter",
        "side",
        "governorate",
        "count",
        "unit",
        "period_start",
        "period_end",
        "span",
    }
    assert all(keys <= set(t) for t in out["tallies"])
    assert {(t["side"], t["governorate"], t["count"]) for t in out["tallies"]} == {
        ("Russian part", "Aleppo", 1),
        ("Russian part", "Lattakia", 4),
        ("Russian part", None, 5),
        ("Turkish part", "Aleppo", 8),
        ("Turkish part", "Idleb", 4),
        ("Turkish part", "Lattakia", 2),
        ("Turkish part", "Hama", 1),
        ("Turkish part", None, 15),
    }
    assert [t["check"] for t in out["totals"]] == ["matches", "matches"]


def test_tally_import_names_line_and_column_and_saves_nothing_on_error(
    demo_store, tmp_path, capsys
):
    template = tmp_path / "template.csv"
    assert main(["tally", "template", "-o", str(template)]) == 0
    lines = template.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    bad = [
        *lines[: header + 1],
        f"{TR},,governorate,Idlib,,2019-05-08,,4,cases of firing,,en,2019-05-09,https://a.org/x,",
        f"{TR},,governorate,Atlantis,,2019-05-08,,four,cases of firing,,en,,https://a.org/x,",
    ]
    file = tmp_path / "tallies.csv"
    file.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with store.reader(demo_store) as con:
        n = con.execute("SELECT count(*) FROM tally").fetchone()[0]
    capsys.readouterr()
    assert main(["--db", str(demo_store), "tally", "import", str(file), "--editor", "Ann"]) == 1
    err = capsys.readouterr().err
    line = header + 3  # the file's line of the second row
    assert f"line {line}, column governorate: 'Atlantis' is not a governorate" in err
    assert f"line {line}, column count:" in err
    with store.reader(demo_store) as con:
        assert con.execute("SELECT count(*) FROM tally").fetchone()[0] == n
    file.write_text("\n".join(bad[:-1]) + "\n", encoding="utf-8")
    assert main(["--db", str(demo_store), "tally", "import", str(file), "--editor", "Ann"]) == 0
    capsys.readouterr()
    assert main(["--db", str(demo_store), "tally", "list", "--bulletin", "https://a.org/x",
                 "--format", "json"]) == 0  # fmt: skip
    listed = json.loads(capsys.readouterr().out)["tallies"]
    assert [(t["governorate"], t["count"], t["period_end"]) for t in listed] == [
        ("Idleb", 4, "2019-05-08")
    ]


# --- the page --------------------------------------------------------------------------


def test_the_page_drafts_and_saves_a_bulletin(demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CEASEFIRE_DB", str(demo_store))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Page Editor")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("app_pages/tallies.py")
    at.run()
    assert not at.exception
    assert any("they are not incidents" in c.value for c in at.caption)
    at.text_area[0].set_value(MAY_2019)
    at.date_input(key="tally_published").set_value(date(2019, 5, 10))
    next(b for b in at.button if b.label == "Propose tallies").click()
    at.run()
    assert not at.exception
    assert any("<mark>Aleppo (8)</mark>" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Save 8 tallies as Page Editor").click()
    at.run()
    assert not at.exception and at.success[0].value.startswith("Saved tallies")
    with store.reader(demo_store) as con:
        saved = con.execute(
            "SELECT count(*) FROM change_log WHERE entity = 'tally' AND editor = 'Page Editor'"
        ).fetchone()[0]
    assert saved == 8


def test_tally_writes_record_the_data_version_and_refresh_no_derived_table(con, monkeypatch):
    """Every tally write (and its revert) records the same data version a full hash
    gives, and never rebuilds a derived table: a tally is no incident."""
    from ceasefire.tables import derive
    from ceasefire.tables.dataversion import compute_data_version

    calls = []
    monkeypatch.setattr(derive, "refresh", lambda *a, **k: calls.append(a))
    derived = {t: table_digest(con, t) for t in ("incident_fact", "incident_actor_fact")}

    def recorded() -> str:
        return con.execute("SELECT value FROM schema_meta WHERE key = 'data_version'").fetchone()[0]

    good = {"reporter": "SOHR", "kind": "total", "area": "Idlib countryside",
            "period_start": "2020-06-01", "period_end": "2020-06-30", "count": 45,
            "unit": "violations", "link": "https://example.org/sohr"}  # fmt: skip
    versions = [recorded()]
    (tally_id,) = add_tallies(con, [good], editor="Ann")
    edit_tally(con, tally_id, {"count": 46}, editor="Ann")
    delete_tally(con, tally_id, editor="Ann")
    for entry in [e for e in editing.history(con) if e["entity"] in ("tally", "source")][:3]:
        assert recorded() == compute_data_version(con)
        versions.append(recorded())
        editing.revert(con, entry["change_id"], editor="Bo")
    assert recorded() == compute_data_version(con)
    assert len(set(versions)) == len(versions)  # each write changed it
    assert calls == []
    assert {t: table_digest(con, t) for t in derived} == derived
