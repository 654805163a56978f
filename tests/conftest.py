"""Shared fixtures: small stores built in memory, and the real data in ../shared."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from ceasefire import demo, seed, store
from ceasefire.importers import linking
from ceasefire.records import (
    ClaimRecord,
    IncidentRecord,
    records_to_frames,
    write_frames,
    write_records,
)
from ceasefire.store import bootstrap

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# pages run by tests (AppTest, the browser tests' app) start no export browser in the
# background (export.warm_renderer): a test that exports starts it when it needs it
os.environ.setdefault("CEASEFIRE_WARM_EXPORT", "0")


@pytest.fixture
def con():
    """An empty store with the reference actors and agreements."""
    connection = store.connect(":memory:")
    bootstrap.load_reference(connection)
    yield connection
    connection.close()


@pytest.fixture
def seeded(con):
    """The store with the hand-coded founding incident."""
    seed.load_seed(con)
    return con


@pytest.fixture(scope="module")
def demo_con():
    """Reference data, the seed incident and the demo set (read-only use, please)."""
    connection = store.connect(":memory:")
    bootstrap.load_reference(connection)
    seed.load_seed(connection)
    demo.load_demo(connection)
    yield connection
    connection.close()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data; skipped with a reason when absent, but never under CI."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared data is missing at {SHARED_DATA}")
        pytest.skip(f"real data not available: {SHARED_DATA} does not exist")
    return SHARED_DATA


def incident(origin_id: str, occurred_on: date, *actors: str, **fields) -> IncidentRecord:
    """A realistic incident in Idleb with one claim per alleged actor (test shorthand)."""
    defaults = dict(
        weapon="airstrike",
        target_type="civilian residential",
        governorate="Idleb",
        district="Al Ma'ra",
        place_name="Maarrat al-Numan",
        latitude=35.643,
        longitude=36.674,
        location_precision="near",
    )
    defaults.update(fields)
    claims = fields.pop("claims", None) or [
        ClaimRecord(source_name=f"Test source {i}", alleged_actor=a, killed_min=1, killed_max=2)
        for i, a in enumerate(actors)
    ]
    defaults.pop("claims", None)
    return IncidentRecord(origin_id=origin_id, occurred_on=occurred_on, claims=claims, **defaults)


def write(con, *records: IncidentRecord, origin: str = "manual"):
    return write_records(con, origin, list(records))


def delete_claim(con, claim_id: int, *, editor: str) -> int:
    """Delete one claim as the incident editor does: save its incident with every other
    claim (``editing.save_incident``, unchanged ones given by id only); the change id."""
    from ceasefire import editing

    incident_id = con.execute(
        "SELECT incident_id FROM claim WHERE claim_id = ?", [claim_id]
    ).fetchone()[0]
    others = con.execute(
        "SELECT claim_id FROM claim WHERE incident_id = ? AND claim_id <> ?",
        [incident_id, claim_id],
    ).fetchall()
    keep = [{"claim_id": other} for (other,) in others]
    (change_id,) = editing.save_incident(con, incident_id, {}, keep, editor=editor)
    return change_id


def import_records(con, *records: IncidentRecord, origin: str) -> int:
    """Write records as an import writes a file's rows: the cross-dataset linking runs
    over the whole store inside the same write (``after_write``, as
    ``importers.pipeline.commit`` passes it); returns the links it added. With no
    records it is a re-import that changes no row, which runs the linking all the same."""
    added: list[int] = []

    def link(c) -> int:
        added.append(linking.apply_links(c))
        return added[-1]

    write_frames(con, origin, *records_to_frames(list(records)), after_write=link)
    return added[0]
