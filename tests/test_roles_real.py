"""Roles on the real ACLED and UCDP files in ../shared/data (read in place).

Expectations are computed from the CSVs with pandas and from the project's data files
(data/actors.csv, data/actor_patterns.csv, data/agreements.toml), not from the store:
- no ACLED Battle (Armed clash or territorial) and no UCDP type 1/2 row yields a
  perpetrator claim;
- UCDP type 3 rows keep every group of ``side_a`` as perpetrator;
- the incidents counted as "alleged violation, direction undetermined" are exactly the
  rows inside an agreement's area and period, with kinetic means, whose actors include
  two different sides the agreement binds.

Each file goes into its own store without cross-dataset linking, so one row is one
incident. Data: ACLED (acleddata.com, ACLED terms of use); UCDP GED (CC BY 4.0).
"""

from __future__ import annotations

import calendar
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from ceasefire import importers, places
from ceasefire.importers.ucdp import WEAPON_PATTERNS
from ceasefire.store.bootstrap import ensure_store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", str(name).lower()).strip()


def _sides() -> dict:
    """name -> side, from data/actors.csv aliases then data/actor_patterns.csv."""
    actors = pd.read_csv(ROOT / "data" / "actors.csv", keep_default_na=False)
    side_of = dict(zip(actors.actor, actors.side, strict=True))
    by_alias = {}
    for row in actors.itertuples():
        for alias in [row.actor, *filter(None, row.aliases.split("|"))]:
            by_alias.setdefault(_key(alias), row.side)
    patterns = pd.read_csv(ROOT / "data" / "actor_patterns.csv")

    def side(name: str) -> str:
        key = _key(name)
        if key in by_alias:
            return by_alias[key]
        for p in patterns.itertuples():
            if re.search(p.pattern, key):
                return side_of[p.actor]
        return "other"  # flagged for review

    return side


def _agreements():
    with open(ROOT / "data" / "agreements.toml", "rb") as handle:
        doc = tomllib.load(handle)
    area = {(a["governorate"], a["district"]) for a in doc["area"]}
    return doc["agreement"], area


def _window(day, precision: str):
    if precision == "week":
        return day, day + timedelta(days=6)
    if precision == "month":
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def _undetermined(rows: pd.DataFrame, side) -> set[str]:
    """ids of rows (columns id, day, precision, gov, dist, kinetic, actors) that are
    alleged violations, direction undetermined, of at least one agreement."""
    agreements, area = _agreements()
    out = set()
    for r in rows.itertuples():
        text = lambda v: v if isinstance(v, str) and v else None  # noqa: E731
        g = places.governorate(text(r.gov))
        d = places.district(text(r.dist), g) if g else None
        gov, dist = (g.name if g else None), (d.name if d else None)
        inside = (gov, "*") in area or (gov, dist) in area
        if not (inside and r.kinetic):
            continue
        start, end = _window(r.day, r.precision)
        sides = {side(a) for a in r.actors}
        for ag in agreements:
            begins = ag["in_force_from"].date()
            ends = ag.get("in_force_to")
            in_period = start >= begins and (ends is None or end <= ends.date())
            if in_period and len(sides & set(ag["bound_sides"])) >= 2:
                out.add(str(r.id))
                break
    return out


def _store(kind: str, path: Path):
    con = ensure_store(":memory:", with_demo=False)
    importers.import_file(con, kind, path, link=False, editor="tests")
    return con


def _claims(con, origin: str) -> pd.DataFrame:
    return con.execute(
        """SELECT i.origin_id, c.role, c.alleged_actor_id, c.killed_best
           FROM claim c JOIN incident i USING (incident_id) WHERE i.origin = ?""",
        [origin],
    ).df()


def _store_undetermined(con, origin: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT i.origin_id FROM incident_fact f JOIN incident i USING (incident_id) "
            "WHERE f.direction_undetermined AND i.origin = ?",
            [origin],
        ).fetchall()
    }


def test_acled_battles_give_no_perpetrator_and_clashes_count_undetermined(shared_data):
    path = shared_data / "acled" / "acled_syria_nw_battles_2018_2019.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    battles = set(raw.loc[raw.event_type == "Battles", "event_id_cnty"])
    assert len(battles) == 3728 and (raw.sub_event_type == "Armed clash").sum() == 2745
    con = _store("acled", path)
    claims = _claims(con, "acled")
    named = claims[claims.alleged_actor_id.notna()]
    assert not named[named.origin_id.isin(battles)].role.eq("perpetrator").any()
    # one party claim per distinct named actor (actor1 and actor2)
    per_row = named.groupby("origin_id").size().to_dict()
    expected = {
        r.event_id_cnty: len({a for a in (r.actor1, r.actor2) if a}) for r in raw.itertuples()
    }
    assert per_row == expected
    rows = pd.DataFrame(
        {
            "id": raw.event_id_cnty,
            "day": pd.to_datetime(raw.event_date, format="mixed").dt.date,
            "precision": raw.time_precision.map({"2": "week", "3": "month"}).fillna("day"),
            "gov": raw.admin1,
            "dist": raw.admin2,
            "kinetic": True,  # every Battle is a ground clash
            "actors": [[a for a in pair if a] for pair in zip(raw.actor1, raw.actor2, strict=True)],
        }
    )
    expected_ids = _undetermined(rows, _sides())
    assert len(expected_ids) > 500
    assert _store_undetermined(con, "acled") == expected_ids


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(",") if p.strip()]


def test_ucdp_types_1_2_are_parties_type_3_keeps_side_a(shared_data):
    path = shared_data / "ucdp" / "ged_syria_nw_2018_2019.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    con = _store("ucdp", path)
    claims = _claims(con, "ucdp")
    named = claims[claims.alleged_actor_id.notna()]
    dyadic = set(raw.loc[raw.type_of_violence.isin(["1", "2"]), "id"])
    one_sided = raw[raw.type_of_violence == "3"]
    assert len(dyadic) == 2340 and len(one_sided) == 65
    assert not named[named.origin_id.isin(dyadic)].role.eq("perpetrator").any()
    # type 3: exactly side_a's groups are perpetrators, resolved from their own names
    alias = dict(con.execute("SELECT lower(alias), actor_id FROM actor_alias").fetchall())
    perpetrators = named[named.role == "perpetrator"]
    assert set(perpetrators.origin_id) == set(one_sided.id)
    for row in one_sided.itertuples():
        got = set(perpetrators.loc[perpetrators.origin_id == row.id, "alleged_actor_id"])
        assert got == {alias[n.lower()] for n in _split(row.side_a)}, row.id
    # the best estimate is kept on the dataset's claims
    best = raw.set_index("id")["best"].astype(int)
    kept = named.groupby("origin_id")["killed_best"].first()
    assert (kept == best.loc[kept.index]).all()

    def precision(code: str) -> str:
        return {"2": "week", "3": "week", "4": "month", "5": "month"}.get(code, "day")

    def kinetic(headline: str) -> bool:
        h = headline.lower()
        return sum(bool(re.search(p, h)) for p in WEAPON_PATTERNS.values()) == 1

    rows = pd.DataFrame(
        {
            "id": raw.id,
            "day": pd.to_datetime(raw.date_start).dt.date,
            "precision": raw.date_prec.map(precision),
            "gov": raw.adm_1.str.replace(r"\s*\(.*\)$", "", regex=True),
            "dist": raw.adm_2,
            "kinetic": raw.source_headline.map(kinetic),
            "actors": [
                _split(a) + _split(b) if t in ("1", "2") else []
                for a, b, t in zip(raw.side_a, raw.side_b, raw.type_of_violence, strict=True)
            ],
        }
    )
    expected_ids = _undetermined(rows, _sides())
    assert len(expected_ids) > 100
    assert _store_undetermined(con, "ucdp") == expected_ids
