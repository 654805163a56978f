"""Build benchmark stores of 100k, 1M or 10M incidents, fast.

The distributions are ``ceasefire.demo.generate``'s (dates clustered around the
escalations, skewed actors, 1-3 claims per incident, some conflicting and some marked
disputed). ``records.write_frames`` is bypassed: it hashes rows and upserts, which is
right for imports and far too slow for ten million rows. Instead the frames are
generated in chunks of at most ``CHUNK`` incidents (one seed per chunk), given ids from
ranges, inserted straight into ``incident`` and ``claim``, and the derived tables are
built once at the end with ``derive.refresh``.

Usage::

    .venv/bin/python bench/make_store.py --size 1000000 --out bench/out/store-1000000.duckdb

``store_path(size)`` / ``ensure_bench_store(size)`` build once and reuse the file under
bench/out/ (git-ignored). Generated incidents get origin ``bench`` and ``is_demo = false``
so the app shows them like imported data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ceasefire import demo  # noqa: E402
from ceasefire.actors import ActorResolver  # noqa: E402
from ceasefire.store import bootstrap, connect, record_data_version, transaction  # noqa: E402
from ceasefire.tables import derive  # noqa: E402
from ceasefire.taxonomy import CASUALTY_FIELDS  # noqa: E402

#: Where built stores are kept: bench/out/ (git-ignored), or $CEASEFIRE_BENCH_STORES (a
#: 10M store is about 1 GB, with its snapshots three times that: keep it off the repo's disk
#: if space is short)
OUT_DIR = Path(os.environ.get("CEASEFIRE_BENCH_STORES") or ROOT / "bench" / "out")
ORIGIN = "bench"
CHUNK = 1_000_000
SEED = 20180917


def store_path(size: int, seed: int = SEED) -> Path:
    """Where the cached store for a size lives."""
    return OUT_DIR / f"store-{size}-s{seed}.duckdb"


def _source_ids(con) -> dict[str, int]:
    """Create the demo generator's sources once; name -> source_id."""
    for name, kind, affiliation in demo._SOURCES:
        con.execute(
            "INSERT INTO source SELECT nextval('source_id_seq'), ?, ?, ?, NULL "
            "WHERE NOT EXISTS (SELECT 1 FROM source WHERE name = ?)",
            [name, kind, affiliation, name],
        )
    return dict(con.execute("SELECT name, source_id FROM source").fetchall())


def _insert_chunk(
    con,
    incidents: pd.DataFrame,
    claims: pd.DataFrame,
    first_id: int,
    first_claim_id: int,
    chunk_no: int,
    actor_ids: dict,
    source_ids: dict,
) -> None:
    """Insert one generated chunk with ids from ranges (no per-row Python work in SQL)."""
    n = len(incidents)
    inc = incidents.copy()
    inc["incident_id"] = np.arange(first_id, first_id + n, dtype=np.int64)
    inc["origin_id"] = f"b{chunk_no}-" + inc["origin_id"].astype(str)
    inc["occurred_on"] = pd.to_datetime(inc["occurred_on"])
    inc["is_demo"] = False
    owner = pd.Index(incidents["origin_id"]).get_indexer(claims["origin_id"])
    cl = pd.DataFrame(
        {
            "claim_id": np.arange(first_claim_id, first_claim_id + len(claims), dtype=np.int64),
            "incident_id": inc["incident_id"].to_numpy()[owner],
            "source_id": claims["source_name"].map(source_ids).astype("Int32"),
            "alleged_actor_id": claims["alleged_actor"].map(actor_ids).astype("Int32"),
            **{c: claims[c] for c in CASUALTY_FIELDS},
            "published_on": pd.to_datetime(claims["published_on"]),
        }
    )
    con.register("_inc", inc)
    con.execute(
        """INSERT INTO incident BY NAME
           SELECT incident_id, CAST(occurred_on AS DATE) AS occurred_on, date_precision,
                  place_name, governorate, district, latitude, longitude, location_precision,
                  weapon, target_type, description, ? AS origin, origin_id, verification,
                  is_demo FROM _inc""",
        [ORIGIN],
    )
    con.register("_cl", cl)
    con.execute(
        """INSERT INTO claim BY NAME
           SELECT claim_id, incident_id, source_id, alleged_actor_id, killed_min, killed_max,
                  wounded_min, wounded_max, civilians_killed_min, civilians_killed_max,
                  'Synthetic claim.' AS quote, CAST(published_on AS DATE) AS published_on,
                  false AS is_demo FROM _cl"""
    )
    con.unregister("_inc")
    con.unregister("_cl")


def build(size: int, out: Path, seed: int = SEED, log=print) -> Path:
    """Build a store of about ``size`` incidents at ``out`` (atomically: tmp then rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    con = bootstrap.ensure_store(tmp, with_demo=False)  # schema, actors, agreements, seed
    resolver = ActorResolver(con)
    actor_ids = {name: resolver.resolve(name) for name in demo._ACTORS if name}
    source_ids = _source_ids(con)
    next_id = con.execute("SELECT coalesce(max(incident_id), 0) + 1 FROM incident").fetchone()[0]
    next_claim = con.execute("SELECT coalesce(max(claim_id), 0) + 1 FROM claim").fetchone()[0]
    chunks = max(1, -(-size // CHUNK))
    for k in range(chunks):
        part = size // chunks + (1 if k < size % chunks else 0)
        incidents, claims = demo.generate(part, seed + k)
        with transaction(con):
            _insert_chunk(con, incidents, claims, next_id, next_claim, k, actor_ids, source_ids)
        next_id += len(incidents)
        next_claim += len(claims)
        log(
            f"  chunk {k + 1}/{chunks}: {len(incidents):,} incidents, {len(claims):,} claims "
            f"({time.perf_counter() - started:.0f} s)"
        )
    # later writes (imports into a bench store) must not reuse the ids taken above
    con.execute(f"CREATE OR REPLACE SEQUENCE incident_id_seq START {int(next_id)}")
    con.execute(f"CREATE OR REPLACE SEQUENCE claim_id_seq START {int(next_claim)}")
    with transaction(con):
        derive.refresh(con)
    con.execute("CHECKPOINT")
    n = con.execute("SELECT count(*) FROM incident_fact").fetchone()[0]
    con.close()
    os.replace(tmp, out)
    log(f"  built {out.name}: {n:,} incidents in {time.perf_counter() - started:.0f} s")
    return out


def ensure_bench_store(size: int, seed: int = SEED, log=print) -> Path:
    """The cached store for ``size``, built on first use."""
    path = store_path(size, seed)
    if not path.exists():
        log(f"building a {size:,}-incident store (cached at {path})")
        build(size, path, seed, log)
    con = connect(path)
    try:  # a store built before data versions were recorded: record it once
        if not con.execute("SELECT 1 FROM schema_meta WHERE key = 'data_version'").fetchone():
            record_data_version(con)
    finally:
        con.close()
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="approximate incident count")
    parser.add_argument(
        "--out", type=Path, help="store path (default: bench/out/store-SIZE-sSEED.duckdb)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    build(args.size, args.out or store_path(args.size, args.seed), args.seed)


if __name__ == "__main__":
    main()
