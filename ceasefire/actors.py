"""Canonical actors and the aliases that sources use for them.

ACLED writes "Military Forces of Russia (2000-)", Airwars "Russian Military", an
article "Russian warplanes": all are the actor **Russia**. ``data/actors.csv`` holds
the canonical actors, their side and their known aliases; it is loaded into the
``actor`` and ``actor_alias`` tables. ``resolve()`` maps any name to an actor id and,
for a name it has never seen, creates a new actor flagged ``needs_review`` (side
"other") instead of dropping the claim; the Actors page lists those for a person to
merge or classify.

Names by rule, not by list
--------------------------
State forces come in many units: ACLED writes ``Military Forces of Syria (2000-) 4th
Armored Division``, ``... Republican Guard``, ``Military Forces of Turkey (2016-)
Gendarmerie``, ``Police Forces of Syria (2000-) State Security``; UCDP ``Government of
Syria``. Listing every unit as an alias would leave the next unknown unit flagged for
review - and an incident blamed on it uncounted. So ``data/actor_patterns.csv`` holds
regular expressions (one per line: ``pattern``, canonical ``actor``, what it
``explains``), matched against a name's key (below) when no alias matches: any unit of
a state's military or police forces, and its government, resolve to that state's
actor, are never flagged, and the name is added as an alias. ``reload-reference``
(``load_reference_actors``) also folds actors flagged before a pattern existed into
the actor the pattern names.

Matching is case-, spacing- and punctuation-insensitive: ``alias_key`` lowercases a
name and turns every run of characters other than letters and digits into one space,
so ``HTS: Hayat Tahrir al-Sham``, ``hts hayat tahrir al sham`` and ``HTS - Hayat
Tahrir al Sham`` are one name.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import duckdb

from .tables.db import PROJECT_ROOT, next_ids

ACTORS_CSV = PROJECT_ROOT / "data" / "actors.csv"
PATTERNS_CSV = PROJECT_ROOT / "data" / "actor_patterns.csv"


def alias_key(name: str) -> str:
    """Case-, spacing- and punctuation-insensitive key for alias matching."""
    return re.sub(r"[\W_]+", " ", name.lower()).strip()


@lru_cache(maxsize=4)
def name_patterns(path: Path = PATTERNS_CSV) -> tuple[tuple[re.Pattern, str, str], ...]:
    """(compiled pattern, canonical actor, what it explains) from data/actor_patterns.csv."""
    with open(path, newline="", encoding="utf-8") as handle:
        return tuple(
            (re.compile(row["pattern"]), row["actor"], row["explains"])
            for row in csv.DictReader(handle)
        )


def actor_by_pattern(name: str) -> str | None:
    """The canonical actor a name resolves to by pattern, or None."""
    key = alias_key(name)
    for pattern, actor, _ in name_patterns():
        if pattern.search(key):
            return actor
    return None


def load_reference_actors(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the actors and aliases of data/actors.csv that the store lacks."""
    with open(ACTORS_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found = con.execute(
                "SELECT actor_id FROM actor WHERE name = ?", [row["actor"]]
            ).fetchone()
            if found:
                actor_id = found[0]
            else:
                actor_id = next_ids(con, "actor_id_seq", 1)[0]
                con.execute(
                    "INSERT INTO actor (actor_id, name, side, needs_review) VALUES (?, ?, ?, false)",
                    [actor_id, row["actor"], row["side"]],
                )
            for alias in [row["actor"], *filter(None, row["aliases"].split("|"))]:
                con.execute(
                    "INSERT OR IGNORE INTO actor_alias (alias_key, alias, actor_id) VALUES (?, ?, ?)",
                    [alias_key(alias), alias.strip(), actor_id],
                )
    fold_pattern_matches(con)


def fold_pattern_matches(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Actors flagged for review whose name a pattern now resolves (e.g. a unit of the
    Turkish forces flagged before ``data/actor_patterns.csv`` had it) become aliases of
    the pattern's actor: their claims and aliases move to it and the flagged actor goes.
    Returns the names folded. The caller rebuilds the derived tables."""
    folded = []
    flagged = con.execute("SELECT actor_id, name FROM actor WHERE needs_review").fetchall()
    for actor_id, name in flagged:
        target_name = actor_by_pattern(name)
        if target_name is None:
            continue
        target = con.execute("SELECT actor_id FROM actor WHERE name = ?", [target_name]).fetchone()
        if target is None:
            continue
        con.execute(
            "UPDATE claim SET alleged_actor_id = ? WHERE alleged_actor_id = ?",
            [target[0], actor_id],
        )
        con.execute("UPDATE actor_alias SET actor_id = ? WHERE actor_id = ?", [target[0], actor_id])
        con.execute("DELETE FROM actor WHERE actor_id = ?", [actor_id])
        folded.append(name)
    return folded


class ActorResolver:
    """Maps names to actor ids within one write; cached so a million rows cost one query.

    Create it inside the write's transaction: new actors it adds roll back with the
    write if the write fails.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        # keys recomputed from the alias text: a store written under an older key rule
        # matches by the current one
        self.by_key: dict[str, int] = {
            alias_key(alias): actor_id
            for alias, actor_id in con.execute("SELECT alias, actor_id FROM actor_alias").fetchall()
        }
        self.by_name: dict[str, int] = dict(
            con.execute("SELECT name, actor_id FROM actor").fetchall()
        )
        self.created: list[str] = []

    def resolve(self, name: str | None) -> int | None:
        """The actor id for a name as a source wrote it; None for a blank name."""
        if name is None or not str(name).strip():
            return None
        key = alias_key(str(name))
        if key in self.by_key:
            return self.by_key[key]
        clean = re.sub(r"\s+", " ", str(name).strip())
        by_rule = actor_by_pattern(clean)
        if by_rule is not None and by_rule in self.by_name:  # a state's forces: never flagged
            actor_id = self.by_name[by_rule]
            self.con.execute(
                "INSERT OR IGNORE INTO actor_alias (alias_key, alias, actor_id) VALUES (?, ?, ?)",
                [key, clean, actor_id],
            )
            self.by_key[key] = actor_id
            return actor_id
        actor_id = next_ids(self.con, "actor_id_seq", 1)[0]
        taken = self.con.execute("SELECT count(*) FROM actor WHERE name = ?", [clean]).fetchone()[0]
        self.con.execute(
            "INSERT INTO actor (actor_id, name, side, needs_review) VALUES (?, ?, 'other', true)",
            [actor_id, clean if not taken else f"{clean} (#{actor_id})"],
        )
        self.con.execute(
            "INSERT OR IGNORE INTO actor_alias (alias_key, alias, actor_id) VALUES (?, ?, ?)",
            [key, clean, actor_id],
        )
        self.by_name.setdefault(clean, actor_id)
        self.by_key[key] = actor_id
        self.created.append(clean)
        return actor_id


def actor_table(con: duckdb.DuckDBPyConnection):
    """All actors with their side, review flag and aliases, for the Actors page and CLI."""
    return con.execute(
        """SELECT a.actor_id, a.name, a.side, a.needs_review,
                  string_agg(al.alias, '; ' ORDER BY al.alias) AS aliases
           FROM actor a LEFT JOIN actor_alias al USING (actor_id)
           GROUP BY ALL ORDER BY a.needs_review DESC, a.side, a.name"""
    ).df()
