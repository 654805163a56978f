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

Many processes, one store: writers, readers and snapshots
DuckDB lets one process open a file for writing, or several open it read-only, never
both. So the store is a *working file* that only writers open, and a series of
read-only *snapshots* that everyone else opens (docs/architecture.md has the design,
the alternatives weighed and the measurements):

- ``with writer(editor="name") as con:`` waits for the store's write lock (an ``flock``
  on ``STORE.lock``; a second writer waits, saying who holds it), opens the working file
  (creating and filling a new store, migrating an old one), yields the connection, and
  on leaving checkpoints, closes and **publishes** a new snapshot. Write inside it with
  ``transaction(con)`` (or the writers that use it: ``records.write_frames``, the
  importers, ``demo.remove_demo``...). ``editor`` is readable in SQL as
  ``getvariable('ceasefire_editor')`` and in Python as ``editor_of(con)``.
- ``reader()`` returns a read-only connection on the newest snapshot. Any number of
  processes may read at once, while a writer writes: the app, ``summary``, ``chart``,
  ``export``, ``sql``, ``check``. Close it when done (or use ``with reader() as con``).
- ``current_snapshot()`` says which snapshot is newest (a small JSON pointer,
  ``STORE.snapshots/CURRENT``, replaced atomically) with its data version; the app
  calls it on every run to notice a new data version without a restart.
- Publishing = ``CHECKPOINT``, copy the working file to ``STORE.snapshots/`` under a
  temporary name, fsync, ``os.replace`` into place, then replace the pointer. A kill at
  any moment leaves the old snapshot current or the new one, never half of one; a
  write committed but not yet published (killed in between, or written by a bare
  ``connect()``) is noticed by the next reader (the working file's size, mtime and
  inode differ from those recorded at publishing) and published then.
- ``connect(path)`` still opens the working file directly and exclusively (tests,
  benchmarks, ``:memory:`` stores); a reader publishes what it wrote once it is closed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import derive, taxonomy
from .dataversion import compute_data_version, data_version, record_data_version  # noqa: F401

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "ceasefire.duckdb"
SCHEMA_VERSION = 4


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


def _schema_v4_change_log() -> list[str]:
    """The coding workbench's record (``editing.py``): every change an editor makes.

    - ``change_log``: append-only; who (``editor``), when (``at``, UTC), which entity
      (incident, claim, source, actor, agreement, import), its id, the old and new
      values as JSON (NULL old: created; NULL new: deleted) and the editor's note.
      ``reverts`` names the change a revert undid (the revert is itself a change).
    - ``edit_override``: an editor's value for one field of an incident (``ordinal``
      -1) or of one of its claims as its origin wrote them (``ordinal`` = the claim's
      place among them, from 0; field ``*deleted`` for a claim the editor deleted), keyed
      by the incident's origin and origin id so that it survives a re-import that
      rewrites the row. ``imported`` is what the origin said when the editor overrode
      it, ``latest_imported`` what the latest import said: when they differ, the
      dataset changed a field an editor decided, a conflict the import reports.
    - ``editor_claim``: claims an editor added to an incident; a re-import that
      rewrites the incident's own claims keeps them.
    None of these tables is part of the data version: a revert that restores the facts
    restores the version."""
    return [
        "CREATE SEQUENCE IF NOT EXISTS change_id_seq START 1",
        """CREATE TABLE IF NOT EXISTS change_log (
            change_id BIGINT PRIMARY KEY,
            "at" TIMESTAMP NOT NULL,   -- UTC
            editor VARCHAR NOT NULL,
            entity VARCHAR NOT NULL
                CHECK (entity IN ('incident', 'claim', 'source', 'actor', 'agreement', 'import')),
            entity_id VARCHAR,
            action VARCHAR NOT NULL,
            old JSON,
            new JSON,
            note VARCHAR,
            reverts BIGINT
        )""",
        """CREATE TABLE IF NOT EXISTS edit_override (
            origin VARCHAR NOT NULL,
            origin_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            field VARCHAR NOT NULL,
            value JSON,
            imported JSON,
            latest_imported JSON,
            change_id BIGINT NOT NULL,
            PRIMARY KEY (origin, origin_id, ordinal, field)
        )""",
        """CREATE TABLE IF NOT EXISTS editor_claim (claim_id BIGINT PRIMARY KEY, change_id BIGINT NOT NULL)""",
    ]


#: Ordered migrations: version -> statements that bring the store from version-1 to it.
#: Derived tables are rebuilt after any migration of an existing store (``migrate``).
MIGRATIONS: dict[int, list[str]] = {
    1: _schema_v1(),
    2: _schema_v2(),
    3: _schema_v3(),
    4: _schema_v4_change_log(),
}


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


# --------------------------------------------------------------------------------------
# Many processes, one store: the write lock, snapshots, readers and writers (see the
# module docstring and docs/architecture.md).

#: How long a writer waits for another writer before giving up (seconds);
#: ``$CEASEFIRE_WRITE_WAIT`` overrides.
WRITE_WAIT_SECONDS = 600.0
#: Snapshots kept after publishing: the new one and the one before it (a reader that
#: read the pointer just before a publish still finds its file). Older ones are deleted;
#: a process that still has one open keeps reading it (POSIX keeps an open file's data
#: until it is closed).
KEEP_SNAPSHOTS = 2
POINTER = "CURRENT"


def snapshot_dir(path: Path | str | None = None) -> Path:
    """Where a store's snapshots live: ``STORE.snapshots/`` next to the working file."""
    return Path(str(path if path is not None else db_path()) + ".snapshots")


def lock_path(path: Path | str | None = None) -> Path:
    return Path(str(path if path is not None else db_path()) + ".lock")


@dataclass(frozen=True)
class Snapshot:
    """One published, read-only copy of the store."""

    file: Path
    data_version: str
    schema_version: int
    published_at: float
    fingerprint: list  # the working file's (inode, size, mtime, WAL) when published

    @property
    def name(self) -> str:
        return self.file.name


def _fingerprint(path: Path) -> list | None:
    """What changes whenever a write reaches the working file (or its WAL)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    try:
        w = os.stat(str(path) + ".wal")
        wal = [w.st_size, w.st_mtime_ns]
    except FileNotFoundError:
        wal = None
    return [st.st_ino, st.st_size, st.st_mtime_ns, wal]


def read_pointer(path: Path | str | None = None) -> Snapshot | None:
    """The newest published snapshot as the pointer names it (None: none yet)."""
    directory = snapshot_dir(path)
    try:
        data = json.loads((directory / POINTER).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return Snapshot(
        file=directory / data["file"],
        data_version=data["data_version"],
        schema_version=int(data["schema_version"]),
        published_at=float(data["published_at"]),
        fingerprint=data["fingerprint"],
    )


class _WriteLock:
    """An exclusive ``flock`` on ``STORE.lock``, held by one writer at a time (across
    processes and across threads of one process: each holder opens its own file
    description). The holder writes who it is into the file for a waiting writer's
    message. The kernel drops the lock when the holder dies, even by ``kill -9``."""

    def __init__(self, path: Path):
        self.file = lock_path(path)
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        who = {
            "pid": os.getpid(),
            "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv))[
                :200
            ],
            "since": time.strftime("%H:%M:%S"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(who).encode(), 0)
        self.fd = fd
        return True

    def holder(self) -> str:
        try:
            who = json.loads(self.file.read_text() or "{}")
        except (OSError, ValueError):
            who = {}
        if not who:
            return "another writer"
        return f"process {who.get('pid')} ({who.get('command')}), writing since {who.get('since')}"

    def acquire(self, timeout: float | None, on_wait: Callable[[str], None] | None) -> None:
        if self.try_acquire():
            return
        timeout = timeout if timeout is not None else _write_wait()
        message = (
            f"Waiting for the store's write lock: {self.holder()} is writing to "
            f"{self.file.with_suffix('')}. Readers are not held up; this write starts when "
            "that one ends."
        )
        (on_wait or (lambda m: print(m, file=sys.stderr, flush=True)))(message)
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"The store's write lock is still held after {timeout:.0f} s by "
                    f"{self.holder()}. Try again when it has finished."
                )
            time.sleep(0.05)

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _write_wait() -> float:
    return float(os.environ.get("CEASEFIRE_WRITE_WAIT") or WRITE_WAIT_SECONDS)


def _copy_durably(src: Path, dst: Path) -> None:
    """Copy a file and fsync the copy (a reflink where the file system offers one)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), 0x40049409, fin.fileno())  # FICLONE (btrfs, xfs)
        except OSError:
            shutil.copyfileobj(fin, fout, 16 * 1024 * 1024)  # sendfile/copy_file_range
        fout.flush()
        os.fsync(fout.fileno())


def _write_pointer(directory: Path, data: dict) -> None:
    tmp = directory / f"{POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, directory / POINTER)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _publish_locked(path: Path) -> Snapshot:
    """Publish the working file as the newest snapshot. The caller holds the write lock.
    Nothing is copied when the working file has not changed since the last publish."""
    current = read_pointer(path)
    if current is not None and current.file.exists() and current.fingerprint == _fingerprint(path):
        return current
    con = connect(path)  # migrates an older store first
    try:
        con.execute("CHECKPOINT")
        version = data_version(con)
        schema = schema_version(con)
    finally:
        con.close()
    fingerprint = _fingerprint(path)
    directory = snapshot_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.tmp"):  # a publish killed half-way
        leftover.unlink(missing_ok=True)
    name = f"{time.time_ns()}-{version}.duckdb"
    tmp = directory / f"{name}.tmp"
    try:
        _copy_durably(path, tmp)
        os.replace(tmp, directory / name)
        data = {
            "file": name,
            "data_version": version,
            "schema_version": schema,
            "published_at": time.time(),
            "fingerprint": fingerprint,
        }
        _write_pointer(directory, data)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StoreWriteFailed(
            f"Could not publish a snapshot of {path} in {directory}: {error.strerror or error}. "
            "Readers keep the previous snapshot; free some disk space and run any write "
            "(or `python -m ceasefire check`) to publish again."
        ) from error
    snapshots = sorted(directory.glob("*.duckdb"))
    for old in snapshots[:-KEEP_SNAPSHOTS]:
        old.unlink(missing_ok=True)
    return read_pointer(path)


class StoreWriteFailed(RuntimeError):
    """A write could not complete (e.g. the disk is full); the store is unchanged."""


_local = threading.local()  # the stores this thread holds the write lock of


@contextmanager
def writer(
    path: Path | str | None = None,
    *,
    editor: str | None = None,
    with_demo: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Write to the store: take the write lock (waiting for another writer, with a
    message through ``on_wait`` or on stderr, at most ``timeout`` seconds), open the
    working file (a new store is created and filled, ``with_demo`` or not; an old one
    migrated), yield the connection, then publish a new snapshot.

    Make each change inside ``transaction(con)``: that is the unit of all-or-nothing.
    ``editor`` names who writes (readable as ``getvariable('ceasefire_editor')``)."""
    target = Path(path if path is not None else db_path())
    held = _local.__dict__.setdefault("held", set())
    key = os.path.abspath(target)
    if key in held:
        raise RuntimeError(f"writer() inside writer() for {target}: use the outer connection")
    lock = _WriteLock(target)
    lock.acquire(timeout, on_wait)
    held.add(key)
    try:
        con = connect(target)
        try:
            from . import bootstrap  # bootstrap imports this module

            bootstrap.fill_new_store(con, with_demo=with_demo)
            if editor is not None:
                con.execute("SET VARIABLE ceasefire_editor = ?", [editor])
            yield con
        except BaseException:
            con.close()
            try:  # publish what earlier transactions of this block committed
                _publish_locked(target)
            except Exception:
                pass
            raise
        con.close()
        _publish_locked(target)
    finally:
        held.discard(key)
        lock.release()


@contextmanager
def write_lock(
    path: Path | str | None = None,
    *,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """The write lock alone, for work on the working file as a whole (``restore``
    replaces it); call ``publish_locked(path)`` inside to publish the result."""
    target = Path(path if path is not None else db_path())
    lock = _WriteLock(target)
    lock.acquire(timeout, on_wait)
    try:
        yield target
    finally:
        lock.release()


def publish_locked(path: Path | str) -> Snapshot:
    """Publish the working file now (the caller holds ``write_lock``)."""
    return _publish_locked(Path(path))


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the store, sorted."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]


def content_hash(con: duckdb.DuckDBPyConnection) -> str:
    """A hash over every row of every table (order-independent), for comparing whole
    stores: a backup with its restore, a store before and after a killed write. Unlike
    ``data_version`` it covers the derived tables and ``schema_meta`` too."""
    parts = []
    for table in table_names(con):
        row = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash(t)), 0), "
            f"coalesce(sum(hash(t) % 1000003), 0) FROM {table} t"
        ).fetchone()
        parts.append(f"{table}:{row[0]}:{row[1]}:{row[2]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def editor_of(con: duckdb.DuckDBPyConnection) -> str | None:
    """The ``editor`` a ``writer()`` was opened with (None when not given)."""
    try:
        return con.execute("SELECT getvariable('ceasefire_editor')").fetchone()[0]
    except duckdb.Error:
        return None


def current_snapshot(path: Path | str | None = None) -> Snapshot:
    """The newest snapshot, publishing one first when needed: none exists yet (a new
    store is created), the schema is older than this program's (migrated), or the
    working file changed since the last publish (a write was committed but not
    published: a writer was killed between the two, or wrote with a bare ``connect``).

    Cheap when nothing changed (a small file read and two ``stat`` calls), so the app
    calls it on every run. A stale snapshot is republished only if no writer is at work
    (that writer publishes when it is done); meanwhile readers get the last one."""
    target = Path(path if path is not None else db_path())
    snap = read_pointer(target)
    fingerprint = _fingerprint(target)
    usable = snap is not None and snap.schema_version == SCHEMA_VERSION and fingerprint is not None
    if usable and snap.fingerprint == fingerprint:
        return snap
    if usable:
        lock = _WriteLock(target)
        if not lock.try_acquire():
            return snap
        try:
            return _publish_locked(target)
        except StoreBusy:  # a process holds the working file open with a bare connect()
            return snap
        finally:
            lock.release()
    with writer(target):
        pass
    return read_pointer(target)


def open_snapshot(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A read-only connection on one snapshot."""
    return duckdb.connect(str(snapshot.file), read_only=True, config=_duckdb_config())


def reader(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the newest snapshot (see ``current_snapshot``). Any
    number of processes may hold one while a writer writes; close it when done."""
    for _ in range(5):
        snap = current_snapshot(path)
        try:
            return open_snapshot(snap)
        except duckdb.IOException:
            if snap.file.exists():
                raise
            # pruned between reading the pointer and opening it: read the pointer again
    raise StoreBusy("The store's snapshots are changing too fast to open one; try again.")
