"""records.write_frames' bookkeeping, checked against literals (tests/MUTATION.md lists the
records.py mutants these were written for): what a write reports as added, updated and
unchanged; how a blank source kind is stored; that a row's hash depends on its values, not
on the dtype a frame happened to carry them in."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire import editing, progress, records, store
from ceasefire.records import (
    ClaimRecord,
    delete_origin,
    records_to_frames,
    write_frames,
    write_records,
)
from ceasefire.store import bootstrap
from ceasefire.tables import derive
from conftest import incident, write


def fresh_store():
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    return con


def test_a_first_write_adds_and_a_repeated_write_changes_nothing():
    con = fresh_store()
    rows = [incident("R1", date(2020, 6, 1), "Russia"), incident("R2", date(2020, 6, 2), "Turkey")]
    first = write(con, *rows)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    again = write(con, *rows)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    con.close()


def test_a_blank_source_kind_is_stored_as_media():
    con = fresh_store()
    claims = [
        ClaimRecord(source_name="Kind left out", alleged_actor="Russia", source_kind=None),
        ClaimRecord(source_name="Kind blank", alleged_actor="Russia", source_kind=""),
        ClaimRecord(source_name="Kind given", alleged_actor="Russia", source_kind="monitor"),
    ]
    write(con, incident("K1", date(2020, 6, 1), claims=claims))
    kinds = dict(
        con.execute(
            "SELECT name, kind FROM source WHERE name IN ('Kind left out', 'Kind blank', "
            "'Kind given')"
        ).fetchall()
    )
    assert kinds == {"Kind left out": "media", "Kind blank": "media", "Kind given": "monitor"}
    con.close()


def test_the_same_values_in_float_columns_are_unchanged():
    con = fresh_store()
    rows = [incident("F1", date(2020, 6, 1), "Russia"), incident("F2", date(2020, 6, 2), "HTS")]
    write(con, *rows)
    incidents, claims = records_to_frames(rows)
    for column in ("killed_min", "killed_max"):
        claims[column] = claims[column].astype("float64")  # 1 -> 1.0, the same figure
    summary = write_frames(con, "manual", incidents, claims)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 2)
    con.close()


def test_a_changed_figure_counts_as_one_update():
    con = fresh_store()
    r1, r2 = incident("C1", date(2020, 6, 1), "Russia"), incident("C2", date(2020, 6, 2), "HTS")
    write(con, r1, r2)
    r1.claims[0].killed_max = 9  # was 2
    summary = write(con, r1, r2)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 1)
    assert con.execute("SELECT max(killed_max) FROM claim").fetchone()[0] == 9
    # and what the charts count follows: an update alone refreshes the derived tables
    fact = "SELECT killed_max FROM incident_fact f JOIN incident i USING (incident_id) WHERE i.origin_id = 'C1'"
    assert con.execute(fact).fetchone()[0] == 9
    con.close()


def test_an_importers_own_row_hash_decides_what_changed():
    """Importers hash the source row themselves (``row_hash``); write_frames trusts it."""
    con = fresh_store()
    rows = [incident("H1", date(2020, 6, 1), "Russia"), incident("H2", date(2020, 6, 2), "HTS")]
    incidents, claims = records_to_frames(rows)
    write_frames(con, "acled", incidents.assign(row_hash=["a", "b"]), claims)
    claims["killed_max"] = 7  # new figures, but the importer says the rows are as before
    same = write_frames(con, "acled", incidents.assign(row_hash=["a", "b"]), claims)
    assert (same.added, same.updated, same.unchanged) == (0, 0, 2)
    changed = write_frames(con, "acled", incidents.assign(row_hash=["a", "b2"]), claims)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    con.close()


def test_an_incident_with_no_claim_yet_is_written():
    """A record whose claims are still to be coded: its claims frame is empty but still has
    every column the write reads."""
    con = fresh_store()
    summary = write(con, incident("E1", date(2020, 6, 1)))  # no actor, so no claim
    assert (summary.added, summary.claims_written) == (1, 0)
    assert con.execute("SELECT count(*) FROM incident WHERE origin_id = 'E1'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM claim").fetchone()[0] == 0
    con.close()


def test_an_empty_write_changes_nothing_and_reports_what_the_input_lacks():
    con = fresh_store()
    write(con, incident("K1", date(2020, 6, 1), "Russia"))
    empty = write_records(con, "manual", [])
    assert (empty.added, empty.updated, empty.unchanged) == (0, 0, 0)
    assert empty.removed_from_source == ["K1"]  # reported, and kept
    assert con.execute("SELECT count(*) FROM incident WHERE origin_id = 'K1'").fetchone()[0] == 1
    con.close()


def test_write_records_hands_its_summary_to_on_commit_inside_the_write():
    """``on_commit`` is where the change log is written: it must run, with this write's
    summary and a connection that already sees the new rows."""
    con = fresh_store()
    seen = []

    def on_commit(c, summary):
        n = c.execute("SELECT count(*) FROM incident WHERE origin_id = 'L1'").fetchone()[0]
        seen.append((summary.added, n))

    write_records(con, "manual", [incident("L1", date(2020, 6, 1), "HTS")], on_commit=on_commit)
    assert seen == [(1, 1)]
    con.close()


def test_delete_origin_hands_its_connection_to_both_callbacks():
    """``before_write`` sees the rows still there (the demo removal copies them for undo);
    ``on_commit`` sees them gone and gets the number removed."""
    con = fresh_store()
    write(con, incident("D1", date(2020, 6, 1), "Russia"), incident("D2", date(2020, 6, 2), "HTS"))
    count = "SELECT count(*) FROM incident WHERE origin = 'manual'"
    seen = []
    n = delete_origin(
        con,
        "manual",
        before_write=lambda c: seen.append(("before", c.execute(count).fetchone()[0])),
        on_commit=lambda c, removed: seen.append(
            ("after", c.execute(count).fetchone()[0], removed)
        ),
    )
    assert n == 2
    assert seen == [("before", 2), ("after", 0, 2)]
    con.close()


def test_a_new_sources_blank_affiliation_is_unknown_and_its_link_is_kept_only_if_given():
    con = fresh_store()
    claims = [
        ClaimRecord(source_name="Aff left out", alleged_actor="Russia", source_affiliation=None),
        ClaimRecord(source_name="Aff blank", alleged_actor="Russia", source_affiliation=""),
        ClaimRecord(
            source_name="Aff given",
            alleged_actor="Russia",
            source_affiliation="pro-government",
            source_url="https://example.org/outlet",
        ),
        ClaimRecord(source_name="Link blank", alleged_actor="Russia", source_url=""),
    ]
    write(con, incident("A1", date(2020, 6, 1), claims=claims))
    rows = con.execute(
        "SELECT name, affiliation, url FROM source WHERE name IN "
        "('Aff left out', 'Aff blank', 'Aff given', 'Link blank') ORDER BY name"
    ).fetchall()
    assert rows == [
        ("Aff blank", "unknown", None),
        ("Aff given", "pro-government", "https://example.org/outlet"),
        ("Aff left out", "unknown", None),
        ("Link blank", "unknown", None),
    ]
    con.close()


def test_a_blank_actor_name_is_stored_as_no_actor_beside_a_named_one():
    """A source that names no one (a blank, not a missing, actor) gets no actor id; it
    must not stop the other claims of the same write getting theirs."""
    con = fresh_store()
    claims = [
        ClaimRecord(source_name="Names no one", alleged_actor="   "),
        ClaimRecord(source_name="Names Russia", alleged_actor="Russia"),
    ]
    write(con, incident("B1", date(2020, 6, 1), claims=claims))
    rows = con.execute(
        """SELECT s.name, a.name FROM claim c JOIN source s USING (source_id)
           LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id ORDER BY s.name"""
    ).fetchall()
    assert rows == [("Names Russia", "Russia"), ("Names no one", None)]  # "R" sorts before "n"
    con.close()


def test_a_write_leaves_no_work_tables_or_views_behind():
    """The write's TEMP tables and registered frames are its own: none outlives it (a
    later write on the same connection would otherwise read stale rows)."""
    con = fresh_store()
    write(con, incident("W1", date(2020, 6, 1), "Russia", "Some new armed group"))
    left = con.execute(
        """SELECT table_name FROM information_schema.tables
           WHERE table_name LIKE '\\_wf%' ESCAPE '\\' OR table_name LIKE '\\_new%' ESCAPE '\\'"""
    ).fetchall()
    assert left == []
    con.close()


def test_an_input_without_an_incident_column_is_refused_by_name():
    con = fresh_store()
    incidents, claims = records_to_frames([incident("M1", date(2020, 6, 1), "Russia")])
    with pytest.raises(
        KeyError, match=r"manual: incident columns missing from the input: \['weapon'\]"
    ):
        write_frames(con, "manual", incidents.drop(columns=["weapon"]), claims)
    assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 0
    con.close()


def test_an_origin_id_given_twice_is_refused_and_nothing_is_written():
    con = fresh_store()
    rows = [
        incident("U1", date(2020, 6, 1), "Russia"),
        incident("U2", date(2020, 6, 2), "HTS"),
        incident("U1", date(2020, 6, 3), "Turkey"),
    ]
    with pytest.raises(ValueError, match=r"^manual: origin ids repeat within the input: \['U1'\]$"):
        write(con, *rows)
    assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 0
    con.close()


def test_links_made_after_the_write_refresh_every_incident_they_touch():
    """``after_write`` (the importers' linking) may change incidents this write did not
    touch; when it reports a change, the derived tables are rebuilt for all of them."""
    con = fresh_store()
    write(con, incident("OLD", date(2020, 6, 1), "Russia"), origin="dataset-a")

    def link_old_to_new(c):
        c.execute(
            """UPDATE incident SET linked_to = (SELECT incident_id FROM incident
                                                WHERE origin_id = 'NEW')
               WHERE origin_id = 'OLD'"""
        )
        return 1

    incidents, claims = records_to_frames([incident("NEW", date(2020, 6, 1), "Russia")])
    write_frames(con, "dataset-b", incidents, claims, after_write=link_old_to_new)
    facts = con.execute(
        "SELECT i.origin_id, f.origins FROM incident_fact f JOIN incident i USING (incident_id)"
    ).fetchall()
    assert [(o, sorted(origins)) for o, origins in facts] == [("NEW", ["dataset-a", "dataset-b"])]
    con.close()


def test_a_rewrite_keeps_an_editors_correction_and_reports_the_conflict():
    con = fresh_store()
    write(con, incident("E1", date(2020, 6, 1), "Russia"), origin="dataset")
    claim_id = con.execute("SELECT claim_id FROM claim").fetchone()[0]
    editing.edit_claim(con, claim_id, {"killed_max": 9}, editor="Test Editor", note="recount")
    newer = incident("E1", date(2020, 6, 1), "Russia")
    newer.claims[0].killed_max = 5  # was 2; the editor's 9 stands
    summary = write(con, newer, origin="dataset")
    assert (summary.updated, summary.overrides_kept, len(summary.conflicts)) == (1, 1, 1)
    assert "killed_max is now 5" in summary.conflicts[0]
    assert con.execute("SELECT killed_max FROM claim").fetchone()[0] == 9
    con.close()


def test_a_write_reports_its_derive_stage_to_the_progress_callback():
    con = fresh_store()
    calls = []
    with progress.tracking(lambda fraction, stage: calls.append((round(fraction, 2), stage))):
        write(con, incident("P1", date(2020, 6, 1), "Russia"))
    # the stages before "derive" weigh 0.60 of an import (progress.IMPORT_STAGES)
    assert calls == [(0.6, "derive"), (1.0, "derive")]
    con.close()


def test_a_write_rebuilds_the_derived_rows_it_needs_and_no_more(monkeypatch):
    """Nothing changed: nothing rebuilt. Up to ``INCREMENTAL_MAX`` incidents added or
    updated: only theirs. Above it: all (in date order). Both give the same rows
    (tests/test_derive_incremental.py); this pins which one runs, which is the cost."""
    con = fresh_store()
    calls = []
    real_refresh = derive.refresh

    def spy(c, incidents=None, **kwargs):
        calls.append(None if incidents is None else sorted(incidents))
        return real_refresh(c, incidents, **kwargs)

    monkeypatch.setattr(derive, "refresh", spy)
    monkeypatch.setattr(records, "INCREMENTAL_MAX", 2)
    rows = [incident(f"S{i}", date(2020, 6, i + 1), "Russia") for i in range(4)]
    write(con, *rows[:2])  # 2 added, not above 2: only these two
    ids = [r[0] for r in con.execute("SELECT incident_id FROM incident ORDER BY 1").fetchall()]
    assert calls == [ids]
    write(con, *rows[:2])  # unchanged: no rebuild
    assert calls == [ids]
    rows[0].claims[0].killed_max = 7
    write(con, *rows)  # 2 added + 1 updated = 3, above 2: everything
    assert calls == [ids, None]
    con.close()
