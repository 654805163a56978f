"""A claim in its source's words: the qualifier before each figure and the claim's own
link (schema 5) - stored, validated, read back in words, downloaded, in the seed/TOML
format - and editors' overrides matched to claims by identity, not by place.

Expected values are literals or come from the test's own fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ceasefire import auth, editing, store
from ceasefire.cli import main
from ceasefire.filters import Filter
from ceasefire.incident_record import casualty_words, claim_fields, figure_words
from ceasefire.queries import claims, incident_claims
from ceasefire.records import ClaimRecord
from conftest import delete_claim, incident, write

ED = "Test Editor"

BASE = {
    "occurred_on": "2020-10-26",
    "place_name": "Ariha",
    "governorate": "Idleb",
    "district": "Ariha",
    "weapon": "airstrike",
}


def claim_row(con, source: str) -> dict:
    cursor = con.execute(
        """SELECT c.* FROM claim c JOIN source s USING (source_id) WHERE s.name = ?""", [source]
    )
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def test_qualifiers_and_link_are_stored_and_read_back_in_the_sources_words(con):
    incident_id = editing.create_incident(
        con,
        {
            **BASE,
            "claims": [
                {
                    "source_name": "Outlet A",
                    "alleged_actor": "Russia",
                    "killed_qualifier": "about",
                    "killed_figure": 40,
                    "wounded_qualifier": "dozens",
                    "url": "https://example.org/a/report-1",
                },
                {
                    "source_name": "Outlet B",
                    "alleged_actor": "Russia",
                    "killed_qualifier": "at least",
                    "killed_figure": "30",
                    "civilians_killed_qualifier": "exactly",  # a plain number: no word kept
                    "civilians_killed_figure": 12,
                },
                {"source_name": "Outlet C", "killed_qualifier": "up to", "killed_figure": 75},
            ],
        },
        editor=ED,
    )
    a, b, c = (claim_row(con, f"Outlet {x}") for x in "ABC")
    assert (a["killed_min"], a["killed_max"], a["killed_qualifier"]) == (40, 40, "about")
    assert (a["wounded_min"], a["wounded_max"], a["wounded_qualifier"]) == (24, None, "dozens")
    assert a["url"] == "https://example.org/a/report-1"
    assert (b["killed_min"], b["killed_max"], b["killed_qualifier"]) == (30, None, "at least")
    assert (b["civilians_killed_min"], b["civilians_killed_qualifier"]) == (12, None)
    assert (c["killed_min"], c["killed_max"], c["killed_qualifier"]) == (None, 75, "up to")

    frame = incident_claims(con, incident_id)
    assert casualty_words(frame, "killed") == (
        "30–75 killed: about 40 (Outlet A), at least 30 (Outlet B), up to 75 (Outlet C)."
    )
    assert casualty_words(frame, "wounded") == (
        "24+ wounded: dozens (Outlet A); not stated by Outlet B and Outlet C."
    )
    card = dict(claim_fields(next(frame[frame.source == "Outlet A"].itertuples())))
    assert (card["Killed"], card["Wounded"]) == ("about 40", "dozens")

    # the claims download carries the words and the link
    down = claims(con, Filter()).set_index("source")
    assert down.loc["Outlet A", "killed_qualifier"] == "about"
    assert down.loc["Outlet A", "wounded_qualifier"] == "dozens"
    assert down.loc["Outlet A", "link"] == "https://example.org/a/report-1"
    assert down.loc["Outlet C", "killed_qualifier"] == "up to"


def test_figure_words_use_the_qualifier_only_where_it_fits_the_figures():
    assert figure_words(31, None, "more than") == "more than 30"
    assert figure_words(31, None, None) == "more than 30"  # how "more than 30" is coded
    assert figure_words(30, None, "at least") == "at least 30"
    assert figure_words(40, 40, "about") == "about 40"
    assert figure_words(None, 75, "up to") == "up to 75"
    assert figure_words(24, None, "dozens") == "dozens"
    # an edit made the figures a range: the stored word no longer fits, the range shows
    assert figure_words(30, 45, "at least") == "30–45"
    assert figure_words(None, None, "about") is None


@pytest.mark.parametrize(
    ("claim", "field", "words"),
    [
        ({"url": "javascript:alert(1)"}, "claims[0].url", "http(s)"),
        ({"url": "https://example.org/a b"}, "claims[0].url", "http(s)"),
        ({"url": 'https://x.org/"><script>'}, "claims[0].url", "http(s)"),
        ({"killed_qualifier": "roughly", "killed_min": 3}, "claims[0].killed_qualifier", "one of"),
        ({"killed_qualifier": "more than"}, "claims[0].killed_figure", "qualifies no figure"),
    ],
)
def test_a_bad_link_or_qualifier_is_refused_and_nothing_is_written(con, claim, field, words):
    before = con.execute("SELECT count(*) FROM claim").fetchone()[0]
    with pytest.raises(editing.Invalid) as refused:
        editing.create_incident(con, {**BASE, "claims": [claim]}, editor=ED)
    assert field in refused.value.errors and words in refused.value.errors[field]
    assert con.execute("SELECT count(*) FROM claim").fetchone()[0] == before


def test_edit_a_qualifier_and_link_then_revert(seeded):
    baladi = claim_row(seeded, "Baladi News")
    assert (baladi["killed_qualifier"], baladi["killed_min"]) == ("more than", 31)  # the seed
    change = editing.edit_claim(
        seeded,
        baladi["claim_id"],
        {"killed_qualifier": "at least", "url": "https://example.org/baladi/duwaila"},
        editor=ED,
    )
    now = claim_row(seeded, "Baladi News")
    assert (now["killed_qualifier"], now["url"]) == (
        "at least",
        "https://example.org/baladi/duwaila",
    )
    with pytest.raises(editing.Invalid):
        editing.edit_claim(seeded, baladi["claim_id"], {"url": "ftp://x.org/a"}, editor=ED)
    editing.revert(seeded, change, editor=ED)
    back = claim_row(seeded, "Baladi News")
    assert (back["killed_qualifier"], back["url"]) == ("more than", None)


def test_toml_incident_add_keeps_qualifiers_and_links(con, tmp_path, monkeypatch, capsys):
    path = tmp_path / "store.duckdb"
    toml = tmp_path / "one.toml"
    toml.write_text(
        """[[incident]]
occurred_on = 2020-11-02
place_name = "Ariha"
governorate = "Idleb"
district = "Ariha"
weapon = "shelling/artillery"

  [[incident.claim]]
  source_name = "Outlet T"
  alleged_actor = "Syrian Arab Army"
  killed_qualifier = "up to"
  killed_max = 9
  url = "https://example.org/t/2"
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    assert main(["incident", "add", "--toml", str(toml), "--editor", ED]) == 0
    check = duckdb.connect(str(path), read_only=True)
    try:
        row = check.execute(
            "SELECT killed_min, killed_max, killed_qualifier, c.url FROM claim c "
            "JOIN source s USING (source_id) WHERE s.name = 'Outlet T'"
        ).fetchone()
    finally:
        check.close()
    assert row == (None, 9, "up to", "https://example.org/t/2")


def test_words_in_a_written_record_do_not_change_the_hash_of_rows_without_them(con):
    """Rows written without qualifiers or links (every importer's) keep their content
    hash, so a re-import after the upgrade finds them unchanged."""
    first = write(con, incident("w-1", date(2020, 5, 1), "Russia"), origin="test")
    assert first.added == 1
    again = write(con, incident("w-1", date(2020, 5, 1), "Russia"), origin="test")
    assert (again.unchanged, again.updated) == (1, 0)
    worded = incident(
        "w-1",
        date(2020, 5, 1),
        claims=[
            ClaimRecord(
                source_name="Test source 0",
                alleged_actor="Russia",
                killed_min=1,
                killed_max=2,
                url="https://example.org/w",
            )
        ],
    )
    assert write(con, worded, origin="test").updated == 1


def _override_state(con, actor_name: str) -> tuple:
    return con.execute(
        """SELECT c.killed_min, c.killed_max FROM claim c JOIN incident i USING (incident_id)
           JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE i.origin_id = 'id-1' AND a.name = ?""",
        [actor_name],
    ).fetchone()


def test_a_reimport_that_reorders_claims_keeps_each_override_on_its_claim(con):
    def export(order: list[str], killed: int):
        claims_ = [
            ClaimRecord(
                source_name="Dataset",
                alleged_actor=a,
                role="party",
                killed_min=killed,
                killed_max=killed,
            )
            for a in order
        ]
        return incident("id-1", date(2020, 2, 1), claims=claims_, weapon="ground clash")

    write(con, export(["HTS", "Syrian Arab Army"], 4), origin="dataset")
    hts = con.execute(
        """SELECT c.claim_id FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE a.name = 'Hayat Tahrir al-Sham'"""
    ).fetchone()[0]
    editing.edit_claim(con, hts, {"killed_max": 9}, editor=ED, note="HTS's own count")
    assert _override_state(con, "Hayat Tahrir al-Sham") == (4, 9)

    # a newer export: the claims in the other order, and a new figure (4 -> 5)
    summary = write(con, export(["Syrian Arab Army", "HTS"], 5), origin="dataset")
    assert summary.updated == 1 and summary.overrides_kept == 1
    assert _override_state(con, "Hayat Tahrir al-Sham") == (5, 9)  # the editor's max kept
    assert _override_state(con, "Syrian government") == (5, 5)  # the file's value
    assert len(summary.conflicts) == 1
    assert "naming hts (party)" in summary.conflicts[0]
    assert "killed_max is now 5" in summary.conflicts[0]
    # settled in the dataset's favour through the key the conflicts table names
    key = editing.conflicts(con).claim_key.iloc[0]
    editing.accept_imported(con, "dataset", "id-1", "killed_max", claim_key=key, editor=ED)
    assert _override_state(con, "Hayat Tahrir al-Sham") == (5, 5)
    assert editing.conflicts(con).empty


def test_a_deleted_claim_stays_deleted_when_the_export_reorders(con):
    def export(order):
        return incident("id-2", date(2020, 2, 2), *order)

    write(con, export(["Russia", "Syrian Arab Army", "HTS"]), origin="dataset")
    saa = con.execute(
        """SELECT c.claim_id FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE a.name = 'Syrian government'"""
    ).fetchone()[0]
    delete_claim(con, saa, editor=ED)
    # reversed, and each claim now under another "Test source i" name would change the
    # identity; keep the sources with their actors as a newer export of the same claims does
    reordered = incident(
        "id-2",
        date(2020, 2, 2),
        claims=[
            ClaimRecord(
                source_name="Test source 2", alleged_actor="HTS", killed_min=1, killed_max=3
            ),
            ClaimRecord(
                source_name="Test source 1",
                alleged_actor="Syrian Arab Army",
                killed_min=1,
                killed_max=3,
            ),
            ClaimRecord(
                source_name="Test source 0", alleged_actor="Russia", killed_min=1, killed_max=3
            ),
        ],
    )
    assert write(con, reordered, origin="dataset").updated == 1
    names = [
        r[0]
        for r in con.execute(
            """SELECT a.name FROM claim c JOIN incident i USING (incident_id)
               JOIN actor a ON a.actor_id = c.alleged_actor_id WHERE i.origin_id = 'id-2'
               ORDER BY a.name"""
        ).fetchall()
    ]
    assert names == ["Hayat Tahrir al-Sham", "Russia"]


def test_a_version_4_store_migrates_its_overrides_to_claim_keys(tmp_path):
    path = tmp_path / "v4.duckdb"
    old = duckdb.connect(str(path))
    for version in range(1, 5):
        for statement in store.MIGRATIONS[version]:
            old.execute(statement)
    old.execute("INSERT INTO schema_meta VALUES ('schema_version', '4')")
    old.execute(
        """INSERT INTO edit_override VALUES
           ('acled', 'SYR1', -1, 'place_name', '"Kafr Nabl"', '"Kafr Nabel"', '"Kafr Nabel"', 1),
           ('acled', 'SYR1', 1, 'killed_max', '6', '4', '4', 2),
           ('acled', 'SYR1', 2, '*deleted', 'true', NULL, NULL, 3)"""
    )
    old.close()
    con = store.connect(path)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        rows = con.execute(
            "SELECT claim_key, field, value FROM edit_override ORDER BY claim_key"
        ).fetchall()
        assert rows == [
            ("", "place_name", '"Kafr Nabl"'),
            ("#1", "killed_max", "6"),
            ("#2", "*deleted", "true"),
        ]
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'claim'"
            ).fetchall()
        }
        assert {
            "killed_qualifier",
            "wounded_qualifier",
            "civilians_killed_qualifier",
            "url",
            "origin_key",
        } <= columns
    finally:
        con.close()


# --- the pages (AppTest) --------------------------------------------------------------

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def page_store(tmp_path, monkeypatch):
    """A store with the seed incident, the local editor 'Page Editor'."""
    path = tmp_path / "words.duckdb"
    with store.writer(path, with_demo=False):
        pass
    monkeypatch.setenv("CEASEFIRE_DB", str(path))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "Page Editor")
    monkeypatch.delenv("CEASEFIRE_ACCOUNTS", raising=False)
    monkeypatch.setattr(auth, "secrets", dict)
    return path


def _seed_incident(path) -> int:
    with store.reader(path) as con:
        return con.execute(
            "SELECT incident_id FROM incident WHERE origin_id = 'duwaila-2020-10-26'"
        ).fetchone()[0]


def test_the_editor_shows_the_stored_qualifier_and_saves_a_claims_link(page_store):
    incident_id = _seed_incident(page_store)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params.update(incident=str(incident_id))
    at.switch_page("app_pages/edit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    slot = next(
        sb.key[len("ed_c") : -len("_source")]
        for sb in at.selectbox
        if sb.key and sb.key.endswith("_source") and sb.value == "Baladi News"
    )
    # "more than 30", as the source wrote it (stored: 31 and the word)
    assert at.selectbox(key=f"ed_c{slot}_killed_q").value == "more than"
    assert at.number_input(key=f"ed_c{slot}_killed_n").value == 30
    at.text_input(key=f"ed_c{slot}_link").input("https://example.org/baladi/duwaila")
    at.button(key="ed_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with store.reader(page_store) as con:
        row = con.execute(
            "SELECT c.url, c.killed_qualifier, c.killed_min FROM claim c "
            "JOIN source s USING (source_id) WHERE s.name = 'Baladi News'"
        ).fetchone()
    assert row == ("https://example.org/baladi/duwaila", "more than", 31)


def test_the_incident_page_links_only_http_addresses(page_store):
    incident_id = _seed_incident(page_store)
    with store.writer(page_store, editor="Page Editor") as con:
        # one good link through the editor, one bad one written past the checks
        editing.edit_claim(
            con,
            claim_row(con, "Al-Watan")["claim_id"],
            {"url": "https://example.org/watan/43"},
            editor="Page Editor",
        )
        con.execute(
            "UPDATE claim SET url = 'javascript:alert(1)' WHERE claim_id = ?",
            [claim_row(con, "Sputnik")["claim_id"]],
        )
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params.update(incident=str(incident_id))
    at.switch_page("app_pages/incidents.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "**Link:** [" in text and "](https://example.org/watan/43)" in text
    assert "javascript:" not in text
    assert "more than 30 \\(Baladi News\\)" in text  # escaped markdown
