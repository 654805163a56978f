"""The store: one DuckDB file, its schema, its migrations and its connection.

This is the only module that writes DDL. Everything else asks ``connect()`` for a
connection whose schema is current. The store's path comes from the environment
variable ``CEASEFIRE_DB`` and defaults to ``data/ceasefire.duckdb`` in the project.

Design notes
- Large tables (incident, claim, the derived tables) carry no PRIMARY KEY or UNIQUE
  index: DuckDB's ART indexes cost memory in proportion to rows and slow bulk loads,
  and the app must stay under 1 GB at ten million incidents. Uniqueness of
  ``incident_id`` and of ``(origin, origin_id)`` is kept by the writers and checked by
  ``integrity_problems()`` (run by the tests and by ``python -m ceasefire check``).
- Fixed vocabularies are CHECK constraints built from ``taxonomy.py``.
- ``incident_fact``, ``incident_actor``, ``incident_actor_fact`` and ``claim_fact`` are
  derived (see ``derive.py``) and are rebuilt inside the same transaction as every
  write, so readers never see a store whose derived tables disagree with its facts.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import taxonomy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "ceasefire.duckdb"
SCHEMA_VERSION = 3


def db_path() -> Path:
    """The store's path: ``$CEASEFIRE_DB`` if set, else the default file under data/."""
    return Path(os.environ.get("CEASEFIRE_DB") or DEFAULT_DB_PATH)


def _in(values) -> str:
    """A SQL IN-list of fixed vocabulary values (never user input) for a CHECK."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _schema_v1() -> list[str]:
    t = taxonomy
    return [
        """CREATE TABLE IF NOT EXISTS schema_meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
        f"""CREATE TABLE source (
            source_id INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            kind VARCHAR NOT NULL CHECK (kind IN {_in(t.SOURCE_KINDS)}),
            affiliation VARCHAR NOT NULL CHECK (affiliation IN {_in(t.AFFILIATIONS)}),
            url VARCHAR
        )""",
        f"""CREATE TABLE actor (
            actor_id INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            side VARCHAR NOT NULL CHECK (side IN {_in(t.SIDES)}),
            needs_review BOOLEAN NOT NULL DEFAULT false
        )""",
        """CREATE TABLE actor_alias (
            alias_key VARCHAR PRIMARY KEY,  -- normalised with actors.alias_key()
            alias VARCHAR NOT NULL,
            actor_id INTEGER NOT NULL
        )""",
        f"""CREATE TABLE incident (
            incident_id BIGINT NOT NULL,
            occurred_on DATE NOT NULL,
            date_precision VARCHAR NOT NULL DEFAULT 'day'
                CHECK (date_precision IN {_in(t.DATE_PRECISIONS)}),
            place_name VARCHAR,
            governorate VARCHAR,
            governorate_pcode VARCHAR,
            district VARCHAR,
            district_pcode VARCHAR,
            latitude DOUBLE CHECK (latitude BETWEEN -90 AND 90),
            longitude DOUBLE CHECK (longitude BETWEEN -180 AND 180),
            location_precision VARCHAR NOT NULL DEFAULT 'unknown'
                CHECK (location_precision IN {_in(t.LOCATION_PRECISIONS)}),
            weapon VARCHAR NOT NULL CHECK (weapon IN {_in(t.WEAPONS)}),
            target_type VARCHAR NOT NULL CHECK (target_type IN {_in(t.TARGET_TYPES)}),
            description VARCHAR,
            origin VARCHAR NOT NULL,          -- 'acled', 'ucdp', 'airwars', 'manual', 'demo', ...
            origin_id VARCHAR NOT NULL,       -- the id in the origin dataset
            verification VARCHAR NOT NULL DEFAULT 'reported'
                CHECK (verification IN {_in(t.VERIFICATION_STATUSES)}),
            is_demo BOOLEAN NOT NULL DEFAULT false,
            linked_to BIGINT,                 -- same event recorded by another origin
            row_hash VARCHAR                  -- hash of the source row, for re-imports
        )""",
        """CREATE TABLE claim (
            claim_id BIGINT NOT NULL,
            incident_id BIGINT NOT NULL,
            source_id INTEGER,                -- NULL: the origin dataset itself, no outlet named
            alleged_actor_id INTEGER,         -- NULL: the claim names no perpetrator
            killed_min INTEGER CHECK (killed_min >= 0),
            killed_max INTEGER CHECK (killed_max >= killed_min),
            wounded_min INTEGER CHECK (wounded_min >= 0),
            wounded_max INTEGER CHECK (wounded_max >= wounded_min),
            civilians_killed_min INTEGER CHECK (civilians_killed_min >= 0),
            civilians_killed_max INTEGER CHECK (civilians_killed_max >= civilians_killed_min),
            quote VARCHAR,
            published_on DATE,
            is_demo BOOLEAN NOT NULL DEFAULT false
        )""",
        """CREATE TABLE agreement (
            agreement_id VARCHAR PRIMARY KEY,  -- short slug, e.g. 'sochi-2018'
            name VARCHAR NOT NULL,
            signed_on DATE NOT NULL,
            in_force_from TIMESTAMP NOT NULL,  -- local time in Syria
            in_force_to TIMESTAMP,             -- NULL: still in force
            parties VARCHAR[] NOT NULL,
            bound_sides VARCHAR[] NOT NULL,    -- sides whose acts count as violations
            area VARCHAR NOT NULL,
            citation VARCHAR NOT NULL
        )""",
        """CREATE TABLE agreement_area (
            agreement_id VARCHAR NOT NULL,
            governorate VARCHAR NOT NULL,
            district VARCHAR                   -- NULL: the whole governorate
        )""",
        """CREATE TABLE agreement_milestone (
            agreement_id VARCHAR NOT NULL,
            on_date DATE NOT NULL,
            label VARCHAR NOT NULL
        )""",
        # Derived (rebuilt by derive.refresh); one row per counted incident.
        """CREATE TABLE incident_fact (
            incident_id BIGINT NOT NULL,
            occurred_on DATE NOT NULL,
            governorate VARCHAR,
            district VARCHAR,
            latitude DOUBLE,
            longitude DOUBLE,
            weapon VARCHAR NOT NULL,
            target_type VARCHAR NOT NULL,
            verification VARCHAR NOT NULL,
            origins VARCHAR[] NOT NULL,        -- this incident's origin and its linked ones'
            is_demo BOOLEAN NOT NULL,
            n_claims INTEGER NOT NULL,
            n_alleged_actors INTEGER NOT NULL,
            is_disputed BOOLEAN NOT NULL,
            majority_actor_id INTEGER,         -- NULL: no claim names an actor, or a tie
            majority_is_tie BOOLEAN NOT NULL,
            killed_min INTEGER, killed_max INTEGER,
            wounded_min INTEGER, wounded_max INTEGER,
            civilians_killed_min INTEGER, civilians_killed_max INTEGER,
            violated_agreements VARCHAR[] NOT NULL
        )""",
        """CREATE TABLE incident_actor (
            incident_id BIGINT NOT NULL,
            actor_id INTEGER NOT NULL,
            n_claims INTEGER NOT NULL
        )""",
        """CREATE TABLE claim_fact (          -- claim with its canonical incident
            incident_id BIGINT NOT NULL,
            claim_id BIGINT NOT NULL,
            source_id INTEGER,
            alleged_actor_id INTEGER,
            killed_min INTEGER, killed_max INTEGER,
            wounded_min INTEGER, wounded_max INTEGER,
            civilians_killed_min INTEGER, civilians_killed_max INTEGER
        )""",
        "CREATE SEQUENCE IF NOT EXISTS incident_id_seq START 1",
        "CREATE SEQUENCE IF NOT EXISTS claim_id_seq START 1",
        "CREATE SEQUENCE IF NOT EXISTS source_id_seq START 1",
        "CREATE SEQUENCE IF NOT EXISTS actor_id_seq START 1",
    ]


def _schema_v2() -> list[str]:
    """Two derived structures that spare the Overview a join per filter change (measured
    in bench/README.md, round 5): at a million incidents the join of the filtered
    incidents to their actors took ~150 ms of a ~400 ms view.

    - ``incident_fact.origins_key``: the origins as one string ('acled;ucdp'); listing
      the origins in a view is a DISTINCT over a few dictionary values, not an unnest
      of every row's list.
    - ``incident_fact.is_alleged_violation`` (``violated_agreements`` is not empty) and
      ``has_coordinates``: the headline counts them for every filter change, and
      reading a boolean costs a fraction of reading a list or two doubles (a third of
      the headline's scan at a million incidents).
    - ``incident_actor_fact``: what 'any' attribution counts, one row per incident and
      alleged actor (``actor_id`` NULL when no claim names one), carrying every column
      ``Filter.where()`` reads, so the counts by actor are a scan of one table. Rows are
      stored in date order, so a date filter skips whole row groups."""
    return [
        "ALTER TABLE incident_fact ADD COLUMN origins_key VARCHAR",
        "ALTER TABLE incident_fact ADD COLUMN is_alleged_violation BOOLEAN",
        "ALTER TABLE incident_fact ADD COLUMN has_coordinates BOOLEAN",
        """CREATE TABLE incident_actor_fact (
            incident_id BIGINT NOT NULL,
            actor_id INTEGER,                 -- NULL: no claim names an actor
            occurred_on DATE NOT NULL,
            governorate VARCHAR,
            district VARCHAR,
            weapon VARCHAR NOT NULL,
            target_type VARCHAR NOT NULL,
            verification VARCHAR NOT NULL,
            origins VARCHAR[] NOT NULL,
            is_demo BOOLEAN NOT NULL,
            violated_agreements VARCHAR[] NOT NULL,
            is_alleged_violation BOOLEAN NOT NULL
        )""",
    ]


#: Claims written by the importers before roles existed whose source states no
#: direction (the quote the importers wrote says which row type they came from). The
#: v3 migration turns them into ``party`` claims instead of leaving a perpetrator the
#: source never named; re-importing the file then adds the other party.
_UNDIRECTED_QUOTES = (
    "ACLED Battles / %",
    "UCDP GED type of violence 1;%",
    "UCDP GED type of violence 2;%",
)


def _schema_v3() -> list[str]:
    """Who did it, honestly (issue 10): what role a claim gives its actor.

    - ``claim.role``: ``perpetrator`` (the source says the actor carried out the act) or
      ``party`` (the actor took part in fighting whose initiator the source does not
      state); see ``taxonomy.CLAIM_ROLES``.
    - ``claim.attribution_basis``: ``stated`` by the source or ``inferred`` by the
      tracker, with the rule's name in ``claim.attribution_rule``
      (``taxonomy.ATTRIBUTION_RULES``).
    - ``claim.killed_best``: a dataset's best estimate of the killed (UCDP ``best``),
      NULL where none is given.

    DuckDB cannot add a column with a CHECK constraint, so the claim table is rebuilt
    with them (a one-off copy). Existing claims become ``perpetrator``/``stated``, except
    the importers' undirected rows (``_UNDIRECTED_QUOTES``), which become ``party``.

    Derived columns (``derive.py``): per claim its role, basis and best estimate; per
    incident its best estimate, whether it is a clash (party claims only) and between
    whom, whether it is an alleged violation only by the clash rule (direction
    undetermined), whether every actor it names awaits review, and the violations that
    stand on stated attributions alone (for views that leave inferred ones out)."""
    t = taxonomy
    undirected = " OR ".join(f"quote LIKE '{pattern}'" for pattern in _UNDIRECTED_QUOTES)
    return [
        f"""CREATE TABLE claim_v3 (
            claim_id BIGINT NOT NULL,
            incident_id BIGINT NOT NULL,
            source_id INTEGER,
            alleged_actor_id INTEGER,
            role VARCHAR NOT NULL DEFAULT 'perpetrator' CHECK (role IN {_in(t.CLAIM_ROLES)}),
            attribution_basis VARCHAR NOT NULL DEFAULT 'stated'
                CHECK (attribution_basis IN {_in(t.ATTRIBUTION_BASES)}),
            attribution_rule VARCHAR CHECK (attribution_rule IN {_in(t.ATTRIBUTION_RULES)}),
            killed_min INTEGER CHECK (killed_min >= 0),
            killed_max INTEGER CHECK (killed_max >= killed_min),
            killed_best INTEGER CHECK (killed_best >= 0),
            wounded_min INTEGER CHECK (wounded_min >= 0),
            wounded_max INTEGER CHECK (wounded_max >= wounded_min),
            civilians_killed_min INTEGER CHECK (civilians_killed_min >= 0),
            civilians_killed_max INTEGER CHECK (civilians_killed_max >= civilians_killed_min),
            quote VARCHAR,
            published_on DATE,
            is_demo BOOLEAN NOT NULL DEFAULT false,
            CHECK ((attribution_basis = 'inferred') = (attribution_rule IS NOT NULL))
        )""",
        f"""INSERT INTO claim_v3 BY NAME
            SELECT *, CASE WHEN {undirected} THEN 'party' ELSE 'perpetrator' END AS role
            FROM claim""",
        "DROP TABLE claim",
        "ALTER TABLE claim_v3 RENAME TO claim",
        "ALTER TABLE claim_fact ADD COLUMN role VARCHAR",
        "ALTER TABLE claim_fact ADD COLUMN attribution_basis VARCHAR",
        "ALTER TABLE claim_fact ADD COLUMN killed_best INTEGER",
        "ALTER TABLE incident_actor ADD COLUMN inferred_only BOOLEAN",
        "ALTER TABLE incident_fact ADD COLUMN killed_best INTEGER",
        "ALTER TABLE incident_fact ADD COLUMN is_clash BOOLEAN",
        "ALTER TABLE incident_fact ADD COLUMN clash_pair VARCHAR",
        "ALTER TABLE incident_fact ADD COLUMN direction_undetermined BOOLEAN",
        "ALTER TABLE incident_fact ADD COLUMN awaiting_review BOOLEAN",
        "ALTER TABLE incident_fact ADD COLUMN stated_violated_agreements VARCHAR[]",
        "ALTER TABLE incident_fact ADD COLUMN is_stated_violation BOOLEAN",
        "ALTER TABLE incident_actor_fact ADD COLUMN inferred_only BOOLEAN",
        "ALTER TABLE incident_actor_fact ADD COLUMN is_clash BOOLEAN",
        "ALTER TABLE incident_actor_fact ADD COLUMN stated_violated_agreements VARCHAR[]",
        "ALTER TABLE incident_actor_fact ADD COLUMN is_stated_violation BOOLEAN",
    ]


#: Ordered migrations: version -> statements that bring the store from version-1 to it.
#: Derived tables are rebuilt after any migration of an existing store (``migrate``).
MIGRATIONS: dict[int, list[str]] = {1: _schema_v1(), 2: _schema_v2(), 3: _schema_v3()}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the schema up to SCHEMA_VERSION; True if anything was changed."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"The store has schema version {current}, newer than this program's "
            f"{SCHEMA_VERSION}. Upgrade the program or point CEASEFIRE_DB at another store."
        )
    if current == SCHEMA_VERSION:
        return False
    with transaction(con):
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            con.execute(
                "INSERT OR REPLACE INTO schema_meta VALUES ('schema_version', ?)", [str(version)]
            )
        if current > 0:  # an existing store: fill new derived columns and tables
            from . import derive  # derive imports this module

            print(
                f"Migrating the store from schema version {current} to {SCHEMA_VERSION}: "
                "rebuilding its derived tables (once; about 10 s per million incidents)...",
                file=sys.stderr,
            )
            derive.refresh(con)
    return True


def _duckdb_config() -> dict[str, str]:
    """DuckDB settings from the environment: ``$CEASEFIRE_MEMORY_LIMIT`` (e.g. ``512MB``)
    caps DuckDB's buffer pool and working memory. DuckDB's default (80 % of RAM) lets a
    ten-million-incident store's joins take the app past 1 GB; capped, DuckDB spills to
    disk instead (see bench/README.md). Unset: DuckDB's default."""
    limit = os.environ.get("CEASEFIRE_MEMORY_LIMIT")
    return {"memory_limit": limit} if limit else {}


class StoreBusy(RuntimeError):
    """Another process holds the store's write lock."""


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store (``:memory:`` allowed) and make sure its schema is current."""
    target = str(path if path is not None else db_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only, config=_duckdb_config())
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise StoreBusy(
            f"The store {target} is open in another process (is the app running?). DuckDB "
            "lets one process write a store at a time: stop that process, or point "
            "CEASEFIRE_DB at another store."
        ) from error
    if not read_only:
        migrate(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: commit on success, roll back on any exception (or a kill)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def next_ids(con: duckdb.DuckDBPyConnection, sequence: str, count: int) -> list[int]:
    """Reserve ``count`` ids from a sequence (``incident_id_seq``, ``claim_id_seq``...)."""
    if count == 0:
        return []
    rows = con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count]).fetchall()
    return [r[0] for r in rows]


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A short hash of the store's content, printed on every export.

    Two figures with the same data version were made from the same facts. Hashing ten
    million rows takes seconds, too slow for every filter change, so ``derive.refresh``
    (which every write runs, in the write's transaction) records the hash in
    ``schema_meta``; this reads it, and computes it only for a store that lacks it.
    """
    row = con.execute("SELECT value FROM schema_meta WHERE key = 'data_version'").fetchone()
    return row[0] if row else compute_data_version(con)


def record_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Compute the data version and store it in ``schema_meta`` (called by every write)."""
    version = compute_data_version(con)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('data_version', ?)", [version])
    return version


def compute_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The hash itself: the incident and claim tables (an order-independent aggregate of
    row hashes), actors, aliases, sources and agreements, so it changes with any edit
    that could change a figure."""
    parts = []
    for table in ("incident", "claim", "actor", "actor_alias", "source", "agreement"):
        row = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash(t)), 0), coalesce(sum(hash(t) % 1000003), 0) "
            f"FROM {table} t"
        ).fetchone()
        parts.append(f"{table}:{row[0]}:{row[1]}:{row[2]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:10]


def integrity_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Checks the constraints the schema leaves to the writers; [] when all hold."""
    checks = {
        "duplicate incident_id": "SELECT count(*) - count(DISTINCT incident_id) FROM incident",
        "duplicate (origin, origin_id)": "SELECT count(*) FROM (SELECT origin, origin_id "
        "FROM incident GROUP BY ALL HAVING count(*) > 1)",
        "duplicate claim_id": "SELECT count(*) - count(DISTINCT claim_id) FROM claim",
        "claim without incident": "SELECT count(*) FROM claim c ANTI JOIN incident i "
        "USING (incident_id)",
        "claim with unknown source": "SELECT count(*) FROM claim c WHERE source_id IS NOT NULL "
        "AND source_id NOT IN (SELECT source_id FROM source)",
        "claim with unknown actor": "SELECT count(*) FROM claim WHERE alleged_actor_id IS NOT "
        "NULL AND alleged_actor_id NOT IN (SELECT actor_id FROM actor)",
        "alias of unknown actor": "SELECT count(*) FROM actor_alias WHERE actor_id NOT IN "
        "(SELECT actor_id FROM actor)",
        "link to unknown incident": "SELECT count(*) FROM incident WHERE linked_to IS NOT NULL "
        "AND linked_to NOT IN (SELECT incident_id FROM incident)",
    }
    problems = []
    for label, sql in checks.items():
        n = con.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{label}: {n}")
    return problems
