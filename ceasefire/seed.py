"""Hand-coded incidents shipped with the project (``data/seed/*.toml``).

Each file holds incidents with all their claims, coded by a person from a document
(the founding example is the Jabal al-Duwaila strike of 26 October 2020). The files are
data: add a file to add incidents; loading is an upsert, so loading twice changes
nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb

from .records import ClaimRecord, IncidentRecord, WriteSummary, write_records
from .store import PROJECT_ROOT

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
