"""Incremental refresh of the derived tables: after every kind of write the derived
rows a write rebuilt for the incidents it touched equal a full rebuild.

The comparison is a content hash over every row of every derived table, computed here
with plain SQL (order-independent: incremental rows are appended, a full rebuild writes
them in date order). Each write is also checked to have taken the incremental path
(``derive.refresh`` called with incidents or actors), so the test cannot pass by a
silent full refresh."""

from __future__ import annotations

from datetime import date

import pytest

from ceasefire import demo, editing, seed, store
from ceasefire.store import bootstrap
from ceasefire.tables import derive
from ceasefire.tables.dataversion import compute_data_version
from conftest import delete_claim, incident, write

ED = "Test Editor"
DERIVED = ("claim_fact", "incident_actor", "incident_fact", "incident_actor_fact")


def derived_hash(con) -> dict[str, tuple]:
    out = {}
    for table in DERIVED:
        out[table] = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash(t)), 0), coalesce(sum(hash(t) % 1000003), 0) "
            f"FROM {table} t"
        ).fetchone()
    return out


def recorded_version(con) -> str:
    """The data version the last write recorded (incrementally, for a scoped refresh);
    the tests compare it with ``compute_data_version``, which hashes every row."""
    return con.execute("SELECT value FROM schema_meta WHERE key = 'data_version'").fetchone()[0]


@pytest.fixture
def linked():
    """Reference data, the seed, the demo set, and two events recorded twice (a linked
    record each), set up with plain SQL and one full refresh."""
    con = store.connect(":memory:")
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con)
    write(
        con,
        incident("canon-a", date(2020, 3, 10), "Russia", "Turkey"),
        incident("canon-b", date(2020, 4, 2), "Syrian government"),
    )
    write(
        con,
        incident("copy-a", date(2020, 3, 10), "Hayat Tahrir al-Sham"),
        incident("copy-b", date(2020, 4, 2), "Opposition rebels", weapon="shelling/artillery"),
        origin="ucdp",
    )
    ids = dict(con.execute("SELECT origin_id, incident_id FROM incident").fetchall())
    for copy, canon in (("copy-a", "canon-a"), ("copy-b", "canon-b")):
        con.execute(
            "UPDATE incident SET linked_to = ? WHERE incident_id = ?", [ids[canon], ids[copy]]
        )
    derive.refresh(con)
    yield con, ids
    con.close()


def claim_of(con, origin_id: str) -> int:
    return con.execute(
        "SELECT min(claim_id) FROM claim JOIN incident USING (incident_id) WHERE origin_id = ?",
        [origin_id],
    ).fetchone()[0]


#: a new incident where and when canon-b (and its linked copy) happened
SAME_AS_B = {
    "occurred_on": "2020-04-02",
    "latitude": 35.643,
    "longitude": 36.674,
    "weapon": "airstrike",
    "claims": [{"source_name": "Outlet", "alleged_actor": "Russia", "killed_min": 5}],
}


def test_incremental_refresh_equals_full_refresh_after_every_kind_of_write(linked, monkeypatch):
    con, ids = linked
    calls: list[tuple] = []
    real = derive.refresh

    def spy(c, incidents=None, *, actors=None):
        calls.append((incidents, actors))
        return real(c, incidents, actors=actors)

    monkeypatch.setattr(derive, "refresh", spy)
    demo_id = con.execute(
        "SELECT min(incident_id) FROM incident WHERE is_demo AND linked_to IS NULL"
    ).fetchone()[0]
    steps = {
        "edit an incident with a linked record": lambda: editing.edit_incident(
            con, ids["canon-a"], {"weapon": "shelling/artillery", "district": "Ariha"}, editor=ED
        ),
        "edit a linked record's claim": lambda: editing.edit_claim(
            con, claim_of(con, "copy-a"), {"killed_max": 40, "role": "party"}, editor=ED
        ),
        "add a claim naming a new actor": lambda: editing.add_claim(
            con,
            ids["canon-b"],
            {"source_name": "New outlet", "alleged_actor": "Brigade X", "killed_min": 3},
            editor=ED,
        ),
        "delete a claim": lambda: delete_claim(con, claim_of(con, "canon-b"), editor=ED),
        "edit a demo incident's date": lambda: editing.edit_incident(
            con, demo_id, {"occurred_on": "2019-01-01"}, editor=ED
        ),
        "delete a canonical incident (its linked record becomes canonical)": lambda: (
            editing.delete_incident(con, ids["canon-a"], editor=ED, note=None)
        ),
        "delete a linked record": lambda: editing.delete_incident(
            con, ids["copy-b"], editor=ED, note=None
        ),
        "create an incident": lambda: editing.create_incident(
            con,
            {
                "occurred_on": "2020-03-12",
                "governorate": "Idleb",
                "district": "Idleb",
                "weapon": "airstrike",
                "target_type": "civilian residential",
                "claims": [{"source_name": "Outlet", "alleged_actor": "Russia", "killed_min": 2}],
            },
            editor=ED,
        ),
        "set an actor's side": lambda: editing.set_actor_side(
            con, "Brigade X", "opposition factions", editor=ED
        ),
        "change a widely named actor's side": lambda: editing.set_actor_side(
            con, "Hayat Tahrir al-Sham", "opposition factions", editor=ED
        ),
        "merge two actors": lambda: editing.merge_actor(
            con, "Brigade X", "Opposition rebels", editor=ED
        ),
        "link a new incident to an event recorded twice": lambda: editing.create_incident(
            con,
            {**SAME_AS_B, "origin_id": "linked-new"},
            editor=ED,
            same_event=editing.Link(ids["canon-b"]),
        ),
        "mark a new incident distinct": lambda: editing.create_incident(
            con,
            {**SAME_AS_B, "origin_id": "distinct-new"},
            editor=ED,
            same_event=editing.Distinct("another strike that day"),
        ),
    }
    start = max((e["change_id"] for e in editing.history(con)), default=0)
    for name, step in steps.items():
        before = derived_hash(con)
        calls.clear()
        step()
        assert calls and all(c != (None, None) for c in calls), f"{name}: a full refresh ran"
        after = derived_hash(con)
        assert after != before, f"{name}: nothing changed"
        assert recorded_version(con) == compute_data_version(con), f"{name}: data version"
        real(con)  # the full rebuild
        assert derived_hash(con) == after, f"{name}: incremental differs from full"
    # every change undone, newest first (unmerge, sides back, deletions restored, ...)
    for entry in [e for e in editing.history(con) if e["change_id"] > start]:
        editing.revert(con, entry["change_id"], editor="Reviewer")
        after = derived_hash(con)
        assert recorded_version(con) == compute_data_version(con), (
            f"revert {entry['entity']} {entry['action']}"
        )
        real(con)
        assert derived_hash(con) == after, f"revert of {entry['entity']} {entry['action']}"


def test_a_small_import_refreshes_incrementally_and_a_large_one_fully(con, monkeypatch):
    calls: list = []
    real = derive.refresh
    monkeypatch.setattr(
        derive,
        "refresh",
        lambda c, incidents=None, *, actors=None: (
            calls.append(incidents),
            real(c, incidents, actors=actors),
        ),
    )
    write(con, *[incident(f"x{i}", date(2020, 3, 1 + i % 20), "Russia") for i in range(5)])
    assert len(calls) == 1 and sorted(calls[0]) == sorted(
        r[0] for r in con.execute("SELECT incident_id FROM incident").fetchall()
    )
    assert recorded_version(con) == compute_data_version(con)
    monkeypatch.setattr("ceasefire.records.INCREMENTAL_MAX", 3)
    write(con, *[incident(f"y{i}", date(2020, 3, 1 + i % 20), "Turkey") for i in range(5)])
    assert calls[-1] is None  # over the limit: the full rebuild
    after = derived_hash(con)
    real(con)
    assert derived_hash(con) == after
    assert con.execute("SELECT count(*) FROM incident_fact").fetchone()[0] == 10
