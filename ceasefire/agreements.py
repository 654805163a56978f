"""The agreements, loaded from ``data/agreements.toml`` (data, not code).

Each agreement has its dates, parties, the sides bound by it, its area (by district,
until a polygon exists) and its milestones, which the timeline marks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import duckdb

from .tables.db import PROJECT_ROOT

AGREEMENTS_TOML = PROJECT_ROOT / "data" / "agreements.toml"


@dataclass(frozen=True)
class Agreement:
    agreement_id: str
    name: str
    signed_on: date
    in_force_from: datetime
    in_force_to: datetime | None
    parties: tuple[str, ...]
    bound_sides: tuple[str, ...]
    area: str
    citation: str
    milestones: tuple[tuple[date, str], ...]
    #: when it was announced, where that differs from the signature (else None)
    announced_on: date | None = None


def read_toml(path=AGREEMENTS_TOML) -> tuple[list[Agreement], list[tuple[str, str | None]]]:
    """Parse the agreements file: (agreements, area as (governorate, district|None))."""
    with open(path, "rb") as handle:
        doc = tomllib.load(handle)
    agreements = [
        Agreement(
            agreement_id=a["id"],
            name=a["name"],
            signed_on=a["signed_on"],
            in_force_from=a["in_force_from"],
            in_force_to=a.get("in_force_to"),
            parties=tuple(a["parties"]),
            bound_sides=tuple(a["bound_sides"]),
            area=a["area"],
            citation=a["citation"],
            milestones=tuple((m["on"], m["label"]) for m in a.get("milestones", [])),
            announced_on=a.get("announced_on"),
        )
        for a in doc["agreement"]
    ]
    area = [
        (x["governorate"], None if x["district"] == "*" else x["district"]) for x in doc["area"]
    ]
    return agreements, area


@lru_cache(maxsize=1)
def agreement_names() -> dict[str, str]:
    """Agreement id -> name, from data/agreements.toml: the one source of agreement names
    (the store loads the same file; sentences, the sidebar and the Compare page read this)."""
    return {a.agreement_id: a.name for a in read_toml()[0]}


def load_reference_agreements(con: duckdb.DuckDBPyConnection, path=AGREEMENTS_TOML) -> None:
    """Replace the store's agreements with those of the TOML file."""
    agreements, area = read_toml(path)
    for table in ("agreement", "agreement_area", "agreement_milestone"):
        con.execute(f"DELETE FROM {table}")
    for a in agreements:
        con.execute(
            "INSERT INTO agreement (agreement_id, name, signed_on, in_force_from, in_force_to, "
            "parties, bound_sides, area, citation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                a.agreement_id,
                a.name,
                a.signed_on,
                a.in_force_from,
                a.in_force_to,
                list(a.parties),
                list(a.bound_sides),
                a.area,
                a.citation,
            ],
        )
        for governorate, district in area:
            con.execute(
                "INSERT INTO agreement_area (agreement_id, governorate, district) VALUES (?, ?, ?)",
                [a.agreement_id, governorate, district],
            )
        for on_date, label in a.milestones:
            con.execute(
                "INSERT INTO agreement_milestone (agreement_id, on_date, label) VALUES (?, ?, ?)",
                [a.agreement_id, on_date, label],
            )


def list_agreements(con: duckdb.DuckDBPyConnection) -> list[Agreement]:
    """The agreements as stored, oldest first."""
    rows = con.execute(
        "SELECT agreement_id, name, signed_on, in_force_from, in_force_to, parties, "
        "bound_sides, area, citation FROM agreement ORDER BY signed_on"
    ).fetchall()
    milestones = con.execute(
        "SELECT agreement_id, on_date, label FROM agreement_milestone ORDER BY on_date"
    ).fetchall()
    return [
        Agreement(
            *r[:5],
            tuple(r[5]),
            tuple(r[6]),
            r[7],
            r[8],
            tuple((m[1], m[2]) for m in milestones if m[0] == r[0]),
        )
        for r in rows
    ]
