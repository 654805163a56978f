"""Writing incidents and their claims: the one path every writer takes.

The seed file, the demo generator and every importer map their input to two frames
(or to ``IncidentRecord`` objects, turned into those frames) and call
``write_frames()``. It

- upserts by ``(origin, origin_id)``: a row whose content hash is unchanged is left
  alone, a changed one is replaced under the same ``incident_id``, a new one added, so
  importing the same file twice changes nothing;
- resolves actor names through the alias table (unknown names become new actors
  flagged for review, never dropped) and source names to ``source`` rows;
- rebuilds the derived tables;
- does all of it in one transaction, so a failure (or a kill) leaves the store as it
  was.

Frames
------
``incidents``: one row per incident with the columns of ``INCIDENT_COLUMNS``
(``origin_id`` unique within the frame; ``row_hash`` optional, computed if absent).

``claims``: one row per claim with ``origin_id`` (the incident's) and the columns of
``CLAIM_COLUMNS``; ``alleged_actor`` is a name as the source wrote it; ``source_name``
(with optional ``source_kind``, ``source_affiliation``, ``source_url``) names the
outlet, or is empty when the claim is the origin dataset's own coding.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

import duckdb
import pandas as pd

from . import derive
from .actors import ActorResolver
from .store import next_ids, transaction

INCIDENT_COLUMNS = [
    "origin_id", "occurred_on", "date_precision", "place_name", "governorate",
    "governorate_pcode", "district", "district_pcode", "latitude", "longitude",
    "location_precision", "weapon", "target_type", "description", "verification", "is_demo",
]
CLAIM_COLUMNS = [
    "origin_id", "source_name", "alleged_actor", "killed_min", "killed_max", "wounded_min",
    "wounded_max", "civilians_killed_min", "civilians_killed_max", "quote", "published_on",
]
SOURCE_COLUMNS = ["source_kind", "source_affiliation", "source_url"]


@dataclass
class ClaimRecord:
    """What one source says about one incident. None means "the source does not say"."""

    source_name: str | None = None
    alleged_actor: str | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    wounded_min: int | None = None
    wounded_max: int | None = None
    civilians_killed_min: int | None = None
    civilians_killed_max: int | None = None
    quote: str | None = None
    published_on: date | None = None
    source_kind: str = "media"
    source_affiliation: str = "unknown"
    source_url: str | None = None


@dataclass
class IncidentRecord:
    origin_id: str
    occurred_on: date
    weapon: str
    target_type: str = "unknown"
    date_precision: str = "day"
    place_name: str | None = None
    governorate: str | None = None
    governorate_pcode: str | None = None
    district: str | None = None
    district_pcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "unknown"
    description: str | None = None
    verification: str = "reported"
    is_demo: bool = False
    claims: list[ClaimRecord] = field(default_factory=list)


@dataclass
class WriteSummary:
    """What a write did; ``removed_from_source`` lists origin ids the store has but the
    input lacks (they are kept, and reported, so nothing disappears silently)."""

    origin: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed_from_source: list[str] = field(default_factory=list)
    claims_written: int = 0
    new_actors: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        text = (
            f"{self.origin}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.removed_from_source)} in the store but "
            f"not in this file (kept); {self.claims_written} claims written"
        )
        if self.new_actors:
            text += f"; {len(self.new_actors)} new actors flagged for review"
        return text


def records_to_frames(records: list[IncidentRecord]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn records into the two frames ``write_frames`` takes."""
    incident_rows, claim_rows = [], []
    for record in records:
        row = asdict(record)
        claims = row.pop("claims")
        incident_rows.append(row)
        for claim in claims:
            claim_rows.append({"origin_id": record.origin_id, **claim})
    incidents = pd.DataFrame(incident_rows, columns=INCIDENT_COLUMNS)
    claims = pd.DataFrame(claim_rows, columns=CLAIM_COLUMNS + SOURCE_COLUMNS)
    return incidents, claims


def _row_hashes(con: duckdb.DuckDBPyConnection, incidents: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """A content hash per incident, covering its fields and all its claims."""
    con.register("_inc", incidents[INCIDENT_COLUMNS])
    con.register("_cl", claims.reindex(columns=CLAIM_COLUMNS + SOURCE_COLUMNS))
    hashes = con.execute(
        """SELECT i.origin_id,
                  md5(CAST(i AS VARCHAR) || coalesce(
                      (SELECT string_agg(CAST(c AS VARCHAR), '|' ORDER BY CAST(c AS VARCHAR))
                       FROM _cl c WHERE c.origin_id = i.origin_id), '')) AS row_hash
           FROM _inc i"""
    ).df()
    con.unregister("_inc")
    con.unregister("_cl")
    return incidents["origin_id"].map(dict(zip(hashes.origin_id, hashes.row_hash, strict=True)))


def _source_ids(con: duckdb.DuckDBPyConnection, claims: pd.DataFrame) -> pd.Series:
    """Source id per claim row, creating source rows for names the store lacks."""
    known = dict(con.execute("SELECT name, source_id FROM source").fetchall())
    names = claims["source_name"].where(claims["source_name"].notna(), None)
    wanted = claims.loc[names.notna()].drop_duplicates("source_name")
    wanted = wanted.loc[~wanted["source_name"].isin(known)]
    if len(wanted):  # one batched insert: an import may name thousands of outlets
        new = pd.DataFrame({
            "source_id": next_ids(con, "source_id_seq", len(wanted)),
            "name": wanted["source_name"].tolist(),
            "kind": wanted.get("source_kind", pd.Series(index=wanted.index, dtype=object)).fillna("media").tolist(),
            "affiliation": wanted.get("source_affiliation", pd.Series(index=wanted.index, dtype=object)).fillna("unknown").tolist(),
            "url": wanted.get("source_url", pd.Series(index=wanted.index, dtype=object)).tolist(),
        })
        new["kind"] = new["kind"].replace("", "media")
        new["affiliation"] = new["affiliation"].replace("", "unknown")
        new["url"] = new["url"].where(new["url"].notna() & (new["url"] != ""), None)
        con.register("_new_sources", new)
        con.execute("INSERT INTO source BY NAME SELECT source_id, name, kind, affiliation, url FROM _new_sources")
        con.unregister("_new_sources")
        known.update(zip(new["name"], new["source_id"], strict=True))
    return names.map(known).astype("Int64")


def write_frames(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    incidents: pd.DataFrame,
    claims: pd.DataFrame,
    *,
    refresh_derived: bool = True,
) -> WriteSummary:
    """Upsert one origin's incidents and claims in one transaction (see module doc)."""
    if incidents["origin_id"].duplicated().any():
        dupes = incidents.loc[incidents["origin_id"].duplicated(), "origin_id"].head(5).tolist()
        raise ValueError(f"{origin}: origin ids repeat within the input: {dupes}")
    claims = claims.reindex(columns=CLAIM_COLUMNS + SOURCE_COLUMNS)
    summary = WriteSummary(origin)
    with transaction(con):
        incidents = incidents.copy()
        if "row_hash" not in incidents:
            incidents["row_hash"] = _row_hashes(con, incidents, claims)
        existing = con.execute(
            "SELECT origin_id, incident_id, row_hash FROM incident WHERE origin = ?", [origin]
        ).df()
        merged = incidents.merge(existing, on="origin_id", how="left", suffixes=("", "_old"))
        is_new = merged["incident_id"].isna()
        is_same = ~is_new & (merged["row_hash"] == merged["row_hash_old"])
        summary.added = int(is_new.sum())
        summary.unchanged = int(is_same.sum())
        summary.updated = int((~is_new & ~is_same).sum())
        summary.removed_from_source = sorted(set(existing.origin_id) - set(incidents.origin_id))

        merged["incident_id"] = merged["incident_id"].astype("Int64")
        if summary.added:
            merged.loc[is_new, "incident_id"] = next_ids(con, "incident_id_seq", summary.added)
        to_write = merged.loc[~is_same].copy()
        to_write["incident_id"] = to_write["incident_id"].astype("int64")
        replaced = to_write.loc[~is_new[~is_same], "incident_id"].tolist()
        if replaced:
            con.register("_replaced", pd.DataFrame({"incident_id": replaced}))
            con.execute("DELETE FROM claim WHERE incident_id IN (SELECT incident_id FROM _replaced)")
            # keep links pointing at a replaced incident: they are restored below
            links = con.execute(
                "SELECT incident_id, linked_to FROM incident WHERE incident_id IN "
                "(SELECT incident_id FROM _replaced)"
            ).df()
            con.execute("DELETE FROM incident WHERE incident_id IN (SELECT incident_id FROM _replaced)")
            con.unregister("_replaced")
            to_write = to_write.merge(links, on="incident_id", how="left")
        if "linked_to" not in to_write:
            to_write["linked_to"] = None
        to_write["origin"] = origin
        con.register("_new_incidents", to_write)
        con.execute(
            """INSERT INTO incident BY NAME
               SELECT incident_id, CAST(occurred_on AS DATE) AS occurred_on, date_precision,
                      place_name, governorate, governorate_pcode, district, district_pcode,
                      latitude, longitude, location_precision, weapon, target_type,
                      description, origin, origin_id, verification, is_demo,
                      CAST(linked_to AS BIGINT) AS linked_to, row_hash
               FROM _new_incidents"""
        )
        con.unregister("_new_incidents")

        new_claims = claims.merge(to_write[["origin_id", "incident_id", "is_demo"]], on="origin_id")
        if len(new_claims):
            resolver = ActorResolver(con)
            actor_ids = {n: resolver.resolve(n) for n in new_claims["alleged_actor"].dropna().unique()}
            new_claims["alleged_actor_id"] = new_claims["alleged_actor"].map(actor_ids).astype("Int64")
            new_claims["source_id"] = _source_ids(con, new_claims)
            new_claims["claim_id"] = next_ids(con, "claim_id_seq", len(new_claims))
            summary.new_actors = resolver.created
            con.register("_new_claims", new_claims)
            con.execute(
                """INSERT INTO claim BY NAME
                   SELECT claim_id, incident_id, source_id, alleged_actor_id,
                          killed_min, killed_max, wounded_min, wounded_max,
                          civilians_killed_min, civilians_killed_max, quote,
                          CAST(published_on AS DATE) AS published_on, is_demo
                   FROM _new_claims"""
            )
            con.unregister("_new_claims")
        summary.claims_written = len(new_claims)
        if refresh_derived:
            derive.refresh(con)
    return summary


def write_records(con: duckdb.DuckDBPyConnection, origin: str, records: list[IncidentRecord]) -> WriteSummary:
    """``write_frames`` for a list of records (seed file, manual entry, small imports)."""
    incidents, claims = records_to_frames(records)
    return write_frames(con, origin, incidents, claims)


def delete_origin(con: duckdb.DuckDBPyConnection, origin: str) -> int:
    """Remove every incident (and its claims) of one origin; returns incidents removed."""
    with transaction(con):
        n = con.execute("SELECT count(*) FROM incident WHERE origin = ?", [origin]).fetchone()[0]
        con.execute(
            "DELETE FROM claim WHERE incident_id IN (SELECT incident_id FROM incident WHERE origin = ?)",
            [origin],
        )
        # incidents of other origins linked to these become canonical again
        con.execute(
            "UPDATE incident SET linked_to = NULL WHERE linked_to IN "
            "(SELECT incident_id FROM incident WHERE origin = ?)",
            [origin],
        )
        con.execute("DELETE FROM incident WHERE origin = ?", [origin])
        derive.refresh(con)
    return n
