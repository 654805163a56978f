"""Hand-coded incidents shipped with the project (``data/seed/*.toml``).

Each file holds incidents with all their claims, coded by a person from a document
(the founding example is the Jabal al-Duwaila strike of 26 October 2020). The files are
data: add a file to add incidents; loading is an upsert, so loading twice changes
nothing.

A claim's keys are ``records.ClaimRecord``'s fields. ``role`` says what the source says
its ``alleged_actor`` did: ``"perpetrator"`` (the default for a hand-coded claim: the
source says this actor carried out the act) or ``"party"`` (the source names the actor
as one side of fighting and does not say who started it; code one claim per side).
``attribution_basis`` is ``"stated"`` (default) or ``"inferred"`` with an
``attribution_rule`` from ``taxonomy.ATTRIBUTION_RULES``; ``killed_best`` a best
estimate where the source gives one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb

from .records import ClaimRecord, IncidentRecord, WriteSummary, write_records
from .tables.db import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "data" / "seed"


def read_seed_file(path: Path) -> tuple[str, list[IncidentRecord]]:
    """Parse one seed file into (origin, records)."""
    with open(path, "rb") as handle:
        doc = tomllib.load(handle)
    records = []
    for raw in doc["incident"]:
        raw = dict(raw)
        claims = [ClaimRecord(**c) for c in raw.pop("claim", [])]
        records.append(IncidentRecord(**raw, claims=claims))
    return doc.get("origin", "manual"), records


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path = SEED_DIR) -> list[WriteSummary]:
    """Upsert every seed file's incidents."""
    summaries = []
    for path in sorted(seed_dir.glob("*.toml")):
        origin, records = read_seed_file(path)
        summaries.append(write_records(con, origin, records))
    return summaries
