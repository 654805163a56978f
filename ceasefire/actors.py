"""Canonical actors and the aliases that sources use for them.

ACLED writes "Military Forces of Russia (2000-)", Airwars "Russian Military", an
article "Russian warplanes": all are the actor **Russia**. ``data/actors.csv`` holds
the canonical actors, their side and their known aliases; it is loaded into the
``actor`` and ``actor_alias`` tables. ``resolve()`` maps any name to an actor id and,
for a name it has never seen, creates a new actor flagged ``needs_review`` (side
"other") instead of dropping the claim; the Actors page lists those for a person to
merge or classify.
"""

from __future__ import annotations

import csv
import re

import duckdb

from .store import PROJECT_ROOT, next_ids

ACTORS_CSV = PROJECT_ROOT / "data" / "actors.csv"


def alias_key(name: str) -> str:
    """Case- and spacing-insensitive key for alias matching."""
    return re.sub(r"\s+", " ", name.strip().lower())


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


class ActorResolver:
    """Maps names to actor ids within one write; cached so a million rows cost one query.

    Create it inside the write's transaction: new actors it adds roll back with the
    write if the write fails.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.by_key: dict[str, int] = dict(
            con.execute("SELECT alias_key, actor_id FROM actor_alias").fetchall()
        )
        self.created: list[str] = []

    def resolve(self, name: str | None) -> int | None:
        """The actor id for a name as a source wrote it; None for a blank name."""
        if name is None or not str(name).strip():
            return None
        key = alias_key(str(name))
        if key in self.by_key:
            return self.by_key[key]
        actor_id = next_ids(self.con, "actor_id_seq", 1)[0]
        clean = re.sub(r"\s+", " ", str(name).strip())
        taken = self.con.execute("SELECT count(*) FROM actor WHERE name = ?", [clean]).fetchone()[0]
        self.con.execute(
            "INSERT INTO actor (actor_id, name, side, needs_review) VALUES (?, ?, 'other', true)",
            [actor_id, clean if not taken else f"{clean} (#{actor_id})"],
        )
        self.con.execute(
            "INSERT INTO actor_alias (alias_key, alias, actor_id) VALUES (?, ?, ?)",
            [key, clean, actor_id],
        )
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
