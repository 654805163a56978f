"""The store's schema as ordered migration steps: ``MIGRATIONS[v]`` holds the
statements that bring a store from version v-1 to v, ``SCHEMA_VERSION`` the newest.

This is the only module that writes DDL. Add a step as a new function and a new
``MIGRATIONS`` entry (and raise ``SCHEMA_VERSION``); ``db.migrate`` applies the steps a
store lacks and rebuilds its derived tables."""

from __future__ import annotations

from .. import taxonomy

SCHEMA_VERSION = 7


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
    """The coding workbench's record (``ceasefire.editing``): every change an editor makes.

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


def _schema_v5_claim_words() -> list[str]:
    """A claim in its source's words, and its identity (issue 11, ``ceasefire.editing``).

    - ``claim.killed_qualifier``, ``wounded_qualifier``, ``civilians_killed_qualifier``:
      the word the source put before the figure (``editing.QUALIFIERS``: "more than",
      "at least", "up to", "about", "dozens", "exactly"); NULL where none was recorded.
      The min/max columns stay what the charts count ("more than 30" = 31 or more).
    - ``claim.url``: a link to this claim's own report (http or https; the writers
      check it); the source's home page stays ``source.url``.
    - ``claim.origin_key``: the claim's identity among its incident's claims as its
      origin wrote it (source | actor as written | role #n), set by every write; NULL
      for claims an editor added and for claims written before this version.
    - ``edit_override`` is keyed by ``claim_key`` instead of the claim's place:
      ``''`` for the incident's own fields, the claim's ``origin_key`` for a claim, or
      ``#n`` (the n-th of the origin's claims, from 0) for an override made before this
      version - matched by place once more at the next re-import, then by identity.
      A re-import that reorders an incident's claims keeps each override on its claim."""
    return [
        "ALTER TABLE claim ADD COLUMN killed_qualifier VARCHAR",
        "ALTER TABLE claim ADD COLUMN wounded_qualifier VARCHAR",
        "ALTER TABLE claim ADD COLUMN civilians_killed_qualifier VARCHAR",
        "ALTER TABLE claim ADD COLUMN url VARCHAR",
        "ALTER TABLE claim ADD COLUMN origin_key VARCHAR",
        """CREATE TABLE edit_override_v5 (
            origin VARCHAR NOT NULL,
            origin_id VARCHAR NOT NULL,
            claim_key VARCHAR NOT NULL,   -- '' the incident; a claim's origin_key; '#n'
            field VARCHAR NOT NULL,
            value JSON,
            imported JSON,
            latest_imported JSON,
            change_id BIGINT NOT NULL,
            PRIMARY KEY (origin, origin_id, claim_key, field)
        )""",
        """INSERT INTO edit_override_v5
            SELECT origin, origin_id,
                   CASE WHEN ordinal < 0 THEN '' ELSE '#' || ordinal END AS claim_key,
                   field, value, imported, latest_imported, change_id
            FROM edit_override""",
        "DROP TABLE edit_override",
        "ALTER TABLE edit_override_v5 RENAME TO edit_override",
    ]


def _schema_v6_same_event() -> list[str]:
    """One event, one incident (issue 20, ``ceasefire.editing.same_event``).

    - ``incident_distinct``: an editor's decision that two incidents the store proposed
      as possibly the same event are distinct (the new incident, the candidate shown,
      the logged change). The cross-dataset linking (``importers.linking``) never links
      such a pair, and a revert of the decision deletes its rows. An editor's decision
      that they are the same event is ``incident.linked_to`` itself (kept by re-imports)."""
    return [
        """CREATE TABLE incident_distinct (
            incident_id BIGINT NOT NULL,
            other_id BIGINT NOT NULL,
            change_id BIGINT NOT NULL,
            PRIMARY KEY (incident_id, other_id)
        )""",
    ]


_CHANGE_LOG_ENTITIES = ("incident", "claim", "source", "actor", "agreement", "import", "tally")


def _schema_v7_tallies() -> list[str]:
    """What the parties counted (issue 25, ``ceasefire.tallies``): the guarantors' and
    monitors' own violation tallies, kept apart from incidents.

    - ``tally``: one count a reporter (a source in the registry) gave for a period and
      an area, in its own unit: ``kind`` 'governorate' (one of the 14 OCHA
      governorates) or 'total' (the whole area of its statement: ``area`` names it, or
      NULL when the statement does not); whose violations it counts
      (``violator_actor_id`` or ``violator_side``; both NULL: unspecified); ``count``
      NULL when a province is named without a count; the words (``quote``), language,
      publication date and link; ``bulletin`` groups one bulletin's tallies (a total
      and its governorates are never summed together). ``origin`` 'reference' marks the
      shipped reference set (``origin_id`` its row), 'manual' an editor's.
    - ``change_log.entity`` admits 'tally' (DuckDB cannot change a CHECK, so the table
      is copied once).
    No derived table, filter or headline reads ``tally``: a tally never counts as an
    incident."""
    t = taxonomy
    return [
        "CREATE SEQUENCE IF NOT EXISTS tally_id_seq START 1",
        f"""CREATE TABLE tally (
            tally_id BIGINT PRIMARY KEY,
            bulletin VARCHAR NOT NULL,
            reporter_id INTEGER NOT NULL,
            violator_actor_id INTEGER,
            violator_side VARCHAR CHECK (violator_side IN {_in(t.SIDES)}),
            kind VARCHAR NOT NULL CHECK (kind IN {_in(t.TALLY_KINDS)}),
            governorate VARCHAR,
            governorate_pcode VARCHAR,
            area VARCHAR,
            period_start DATE NOT NULL,
            period_end DATE NOT NULL,
            count INTEGER CHECK (count >= 0),
            unit VARCHAR NOT NULL,
            quote VARCHAR,
            language VARCHAR,
            published_on DATE,
            link VARCHAR,
            origin VARCHAR NOT NULL DEFAULT 'manual',
            origin_id VARCHAR,
            CHECK (period_end >= period_start),
            CHECK ((kind = 'governorate') = (governorate IS NOT NULL)),
            CHECK (violator_actor_id IS NULL OR violator_side IS NULL)
        )""",
        f"""CREATE TABLE change_log_v7 (
            change_id BIGINT PRIMARY KEY,
            "at" TIMESTAMP NOT NULL,   -- UTC
            editor VARCHAR NOT NULL,
            entity VARCHAR NOT NULL CHECK (entity IN {_in(_CHANGE_LOG_ENTITIES)}),
            entity_id VARCHAR,
            action VARCHAR NOT NULL,
            old JSON,
            new JSON,
            note VARCHAR,
            reverts BIGINT
        )""",
        "INSERT INTO change_log_v7 SELECT * FROM change_log",
        "DROP TABLE change_log",
        "ALTER TABLE change_log_v7 RENAME TO change_log",
    ]


#: Ordered migrations: version -> statements that bring the store from version-1 to it.
#: Derived tables are rebuilt after any migration of an existing store (``migrate``).
MIGRATIONS: dict[int, list[str]] = {
    1: _schema_v1(),
    2: _schema_v2(),
    3: _schema_v3(),
    4: _schema_v4_change_log(),
    5: _schema_v5_claim_words(),
    6: _schema_v6_same_event(),
    7: _schema_v7_tallies(),
}
