"""The store: schema, migrations, constraints, all-or-nothing writes, data version."""

from datetime import date

import duckdb
import pytest

from ceasefire import seed, store
from ceasefire.records import ClaimRecord
from ceasefire.store import bootstrap
from conftest import incident, write


def test_new_store_has_the_current_schema_version(con):
    assert store.schema_version(con) == store.SCHEMA_VERSION
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "incident",
        "claim",
        "source",
        "actor",
        "actor_alias",
        "agreement",
        "incident_fact",
        "incident_actor",
        "claim_fact",
    } <= tables


def test_migrate_twice_changes_nothing(con):
    assert store.migrate(con) is False


def test_a_store_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "future.duckdb"
    con = store.connect(path)
    con.execute("UPDATE schema_meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(RuntimeError, match="newer than this program"):
        store.connect(path)


def test_store_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CEASEFIRE_DB", str(tmp_path / "x.duckdb"))
    assert store.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CEASEFIRE_DB")
    assert store.db_path() == store.DEFAULT_DB_PATH


@pytest.mark.parametrize(
    "field, value",
    [("weapon", "laser"), ("target_type", "castle"), ("verification", "maybe"), ("latitude", 91.0)],
)
def test_constraints_reject_values_outside_the_model(con, field, value):
    with pytest.raises(duckdb.ConstraintException):
        write(con, incident("bad", date(2020, 1, 1), "Russia", **{field: value}))
    assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 0


def test_negative_casualties_are_rejected_and_nothing_is_written(con):
    write(con, incident("good", date(2020, 1, 1), "Russia"))
    before = con.execute("SELECT count(*), (SELECT count(*) FROM claim) FROM incident").fetchone()
    bad = incident("bad", date(2020, 1, 2), claims=[ClaimRecord(source_name="X", killed_min=-1)])
    with pytest.raises(duckdb.ConstraintException):
        write(con, bad)
    after = con.execute("SELECT count(*), (SELECT count(*) FROM claim) FROM incident").fetchone()
    assert after == before
    assert store.integrity_problems(con) == []


def test_rewriting_the_same_records_changes_nothing(con):
    records = [incident("a", date(2020, 1, 1), "Russia"), incident("b", date(2020, 1, 2), "Iran")]
    first = write(con, *records)
    version = store.data_version(con)
    second = write(con, *records)
    assert (first.added, second.added, second.unchanged, second.updated) == (2, 0, 2, 0)
    assert store.data_version(con) == version


def test_a_changed_record_is_updated_under_the_same_id(con):
    write(con, incident("a", date(2020, 1, 1), "Russia"))
    (old_id,) = con.execute("SELECT incident_id FROM incident").fetchone()
    version = store.data_version(con)
    summary = write(con, incident("a", date(2020, 1, 1), "Russia", target_type="market"))
    assert (summary.added, summary.updated) == (0, 1)
    assert con.execute("SELECT incident_id, target_type FROM incident").fetchall() == [
        (old_id, "market")
    ]
    assert con.execute("SELECT count(*) FROM claim").fetchone()[0] == 1
    assert store.data_version(con) != version


def test_records_missing_from_a_new_input_are_reported_not_deleted(con):
    write(con, incident("a", date(2020, 1, 1), "Russia"), incident("b", date(2020, 1, 2), "Russia"))
    summary = write(con, incident("a", date(2020, 1, 1), "Russia"))
    assert summary.removed_from_source == ["b"]
    assert con.execute("SELECT count(*) FROM incident").fetchone()[0] == 2


def test_unknown_actor_names_become_flagged_actors(con):
    summary = write(con, incident("a", date(2020, 1, 1), "Liwa Imaginary Brigade"))
    assert summary.new_actors == ["Liwa Imaginary Brigade"]
    assert con.execute(
        "SELECT side, needs_review FROM actor WHERE name = 'Liwa Imaginary Brigade'"
    ).fetchone() == ("other", True)


def test_aliases_resolve_to_one_canonical_actor(con):
    write(
        con,
        *[
            incident(n, date(2020, 1, 1), n)
            for n in ("Military Forces of Russia (2000-)", "Russian Military", "russian  warplanes")
        ],
    )
    names = con.execute(
        "SELECT DISTINCT a.name FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id"
    ).fetchall()
    assert names == [("Russia",)]


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path):
    import subprocess
    import sys
    import time

    path = tmp_path / "busy.duckdb"
    store.connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(store.StoreBusy, match="open in another process"):
            store.connect(path)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    store.connect(path).close()


def _old_store(path, version: int, data_from) -> None:
    """A store written by schema ``version``: only that version's migrations run, then
    the facts of ``data_from`` (a current store) copied in as that version stored them
    (columns it did not have are left out); its derived tables are left empty (the
    migration rebuilds them)."""
    con = duckdb.connect(str(path))
    for v in range(1, version + 1):
        for statement in store.MIGRATIONS[v]:
            con.execute(statement)
    con.execute("INSERT INTO schema_meta VALUES ('schema_version', ?)", [str(version)])
    con.execute(f"ATTACH '{data_from}' AS cur (READ_ONLY)")
    tables = ("source", "actor", "actor_alias", "agreement", "agreement_area")
    for table in (*tables, "agreement_milestone", "incident", "claim"):
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = "
                "current_database() AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        names = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM cur.{table}")
    for table in ("incident", "claim", "source", "actor"):
        top = con.execute(f"SELECT coalesce(max({table}_id), 0) FROM {table}").fetchone()[0]
        con.execute(f"DROP SEQUENCE {table}_id_seq")
        con.execute(f"CREATE SEQUENCE {table}_id_seq START {top + 1}")
    con.close()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_store_is_migrated_and_its_derived_tables_rebuilt(tmp_path, version):
    """Version 2 added three columns to incident_fact and the incident_actor_fact table;
    version 3 the claim's role, attribution basis and rule and best estimate; version 4
    the change log and the editors' overrides (empty in a migrated store). A store
    written by an older version gets them, its derived tables filled from its facts,
    and ends with the data version of the same facts written by this version."""
    current = tmp_path / "current.duckdb"
    con = store.connect(current)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    # the words of schema 5 (qualifiers, links) cannot live in an older store: compare the
    # facts an older version could hold
    con.execute(
        "UPDATE claim SET killed_qualifier = NULL, wounded_qualifier = NULL, "
        "civilians_killed_qualifier = NULL, url = NULL"
    )
    con.execute("DELETE FROM tally")  # nor the parties' tallies of schema 7
    version_now = store.compute_data_version(con)
    expected = con.execute("SELECT count(*) FROM incident_actor_fact").fetchone()[0]
    con.close()
    path = tmp_path / f"v{version}.duckdb"
    _old_store(path, version, current)

    con = store.connect(path)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM incident_actor_fact").fetchone()[0] == expected > 0
    assert con.execute(
        "SELECT DISTINCT origins_key, is_alleged_violation, has_coordinates FROM incident_fact"
    ).fetchall() == [("manual", True, True)]
    assert con.execute(
        "SELECT DISTINCT role, attribution_basis, attribution_rule, killed_best FROM claim"
    ).fetchall() == [("perpetrator", "stated", None, None)]
    for table in ("change_log", "edit_override", "editor_claim"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert store.data_version(con) == version_now


def test_version_2_dataset_claims_without_direction_become_parties(tmp_path):
    """The v3 migration never keeps a perpetrator a source did not name: claims the
    importers wrote for ACLED Battles and UCDP type 1/2 rows become parties; a UCDP
    one-sided (type 3) claim and an ACLED strike stay perpetrators."""
    current = tmp_path / "current.duckdb"
    con = store.connect(current)
    bootstrap.load_reference(con)
    quotes = {
        "battle": "ACLED Battles / Armed clash; primary actor: Military Forces of Syria (2000-)",
        "strike": "ACLED Explosions/Remote violence / Air/drone strike; primary actor: X",
        "ged1": "UCDP GED type of violence 1; side_a: Government of Syria",
        "ged2": "UCDP GED type of violence 2; side_a: HTS",
        "ged3": "UCDP GED type of violence 3; side_a: Government of Syria",
    }
    claim = lambda q: [ClaimRecord(source_name="D", alleged_actor="Russia", quote=q)]  # noqa: E731
    write(con, *(incident(k, date(2020, 6, 1), claims=claim(q)) for k, q in quotes.items()))
    con.close()
    path = tmp_path / "v2.duckdb"
    _old_store(path, 2, current)
    con = store.connect(path)
    roles = dict(
        con.execute(
            "SELECT i.origin_id, c.role FROM claim c JOIN incident i USING (incident_id)"
        ).fetchall()
    )
    assert roles == {
        "battle": "party",
        "strike": "perpetrator",
        "ged1": "party",
        "ged2": "party",
        "ged3": "perpetrator",
    }
