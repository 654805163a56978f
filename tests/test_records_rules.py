"""records.write_frames' bookkeeping, checked against literals (tests/MUTATION.md lists the
records.py mutants these were written for): what a write reports as added, updated and
unchanged; how a blank source kind is stored; that a row's hash depends on its values, not
on the dtype a frame happened to carry them in."""

from __future__ import annotations

from datetime import date

from ceasefire import bootstrap, store
from ceasefire.records import ClaimRecord, records_to_frames, write_frames
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
