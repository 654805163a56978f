"""One filter object: the SQL every query uses and the words every chart states.

A ``Filter`` is built from the sidebar, from a URL's query string or from CLI flags,
and gives three things that never disagree because they come from the same fields:

- ``where()``: a parameterised WHERE clause over ``incident_fact`` (alias ``f``);
  user values only ever travel as parameters;
- ``describe()``: the same conditions as an English sentence, printed in every chart's
  subtitle, every export's provenance header and the CLI's output;
- ``to_query_params()`` / ``from_query_params()``: the URL form, so a copied link
  reopens the same view.

Attribution (which claims say who did it) is part of the filter because it changes
both which incidents an actor filter selects and under which actor a chart counts them:

- ``any``: an incident counts for every actor that any claim names; an incident blamed
  on two actors appears under both, so stacked totals can exceed the incident count.
- ``majority``: an incident counts for the actor named by the most distinct sources;
  a tie is shown as "No majority (tie)".
- ``source``: only incidents the named source reported, under the actor it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache

from . import taxonomy
from .agreements import read_toml

ATTRIBUTION_MODES = {
    "any": "any claim",
    "majority": "the majority of claims",
    "source": "a named source",
}
UNKNOWN_ACTOR = "Unknown"
SIDES_LABEL = "; ".join(f"{side}: {text}" for side, text in taxonomy.SIDES.items())
NO_MAJORITY = "No majority (tie)"
#: The group under which the by-actor charts count clashes: incidents whose sources name
#: only parties to fighting, never who started it (see derive.py). A party is never
#: shown as a perpetrator.
CLASH_GROUP = "Clashes, initiator not stated"
CLASH_SIDE = "clash"
#: How origins are named in sentences (the ids are what the store and URLs use).
ORIGIN_LABELS = {
    "acled": "ACLED",
    "ucdp": "UCDP GED",
    "airwars": "Airwars",
    "manual": "hand-coded reports",
    "demo": "demo data",
}


@lru_cache(maxsize=1)
def agreement_names() -> dict[str, str]:
    """Agreement id -> name, from data/agreements.toml (the store loads the same file)."""
    return {a.agreement_id: a.name for a in read_toml()[0]}


def fmt_date(day: date) -> str:
    """6 Mar 2020: unambiguous in every locale."""
    return f"{day.day} {day:%b %Y}"


def _list(values: tuple[str, ...], conjunction: str = "or") -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {conjunction} " + values[-1]


@dataclass(frozen=True)
class Filter:
    """The conditions of a view. Empty tuples mean "no condition"."""

    start: date | None = None
    end: date | None = None
    agreement: str | None = None  # agreement_id: its period in force; violations of it
    actors: tuple[str, ...] = ()  # canonical actor names, under the attribution
    sides: tuple[str, ...] = ()
    target_types: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    governorates: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    verification: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    violations_only: bool = False
    include_demo: bool = True
    attribution: str = "any"
    attribution_source: str | None = None

    def __post_init__(self):
        if self.attribution not in ATTRIBUTION_MODES:
            raise ValueError(
                f"attribution must be one of {', '.join(ATTRIBUTION_MODES)}, not {self.attribution!r}"
            )
        if self.attribution == "source" and not self.attribution_source:
            raise ValueError("attribution 'source' needs a source name (attribution_source)")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        for name, allowed in (
            ("target_types", taxonomy.TARGET_TYPES),
            ("weapons", taxonomy.WEAPONS),
            ("verification", taxonomy.VERIFICATION_STATUSES),
            ("sides", taxonomy.SIDES),
        ):
            unknown = [v for v in getattr(self, name) if v not in allowed]
            if unknown:
                raise ValueError(
                    f"unknown {name}: {', '.join(unknown)}; known: {', '.join(allowed)}"
                )

    # --- SQL -------------------------------------------------------------------------

    def where(self, alias: str = "f") -> tuple[str, list]:
        """WHERE conditions over incident_fact (as ``alias``) and their parameters."""
        conditions: list[str] = ["true"]
        params: list = []

        def add(sql: str, *values):
            conditions.append(sql)
            params.extend(values)

        def add_in(column: str, values: tuple[str, ...]):
            if values:
                add(f"{alias}.{column} IN ({', '.join('?' * len(values))})", *values)

        if self.start:
            add(f"{alias}.occurred_on >= ?", self.start)
        if self.end:
            add(f"{alias}.occurred_on <= ?", self.end)
        if self.agreement:
            add(
                f"{alias}.occurred_on >= (SELECT CAST(in_force_from AS DATE) FROM agreement "
                "WHERE agreement_id = ?)",
                self.agreement,
            )
            add(
                f"{alias}.occurred_on <= coalesce((SELECT CAST(in_force_to AS DATE) FROM agreement "
                "WHERE agreement_id = ?), DATE '9999-12-31')",
                self.agreement,
            )
        add_in("target_type", self.target_types)
        add_in("weapon", self.weapons)
        add_in("governorate", self.governorates)
        add_in("district", self.districts)
        add_in("verification", self.verification)
        if self.origins:
            add(f"list_has_any({alias}.origins, ?)", list(self.origins))
        if self.violations_only:
            sql, values = self.violation_condition(alias)
            add(sql, *values)
        if not self.include_demo:
            add(f"NOT {alias}.is_demo")
        if self.attribution == "source":
            add(
                f"{alias}.incident_id IN (SELECT cf.incident_id FROM claim_fact cf "
                "JOIN source s USING (source_id) WHERE s.name = ?)",
                self.attribution_source,
            )
        if self.actors or self.sides:
            sql, values = self._actor_condition(alias)
            add(sql, *values)
        return " AND ".join(conditions), params

    def violation_condition(self, alias: str = "f") -> tuple[str, list]:
        """True for alleged violations: of the chosen agreement, or of any agreement."""
        if self.agreement:
            return f"list_contains({alias}.violated_agreements, ?)", [self.agreement]
        return f"{alias}.is_alleged_violation", []

    def actor_match(self, actor_alias: str = "a") -> tuple[str, list]:
        """Condition on an ``actor`` row for the actor and side filters ('true' if none)."""
        parts, params = [], []
        if self.actors:
            parts.append(f"{actor_alias}.name IN ({', '.join('?' * len(self.actors))})")
            params.extend(self.actors)
        if self.sides:
            parts.append(f"{actor_alias}.side IN ({', '.join('?' * len(self.sides))})")
            params.extend(self.sides)
        return (" AND ".join(parts) or "true"), params

    def _actor_condition(self, alias: str) -> tuple[str, list]:
        match, params = self.actor_match("a")
        if self.attribution == "majority":
            return (
                f"{alias}.majority_actor_id IN (SELECT a.actor_id FROM actor a WHERE {match})",
                params,
            )
        if self.attribution == "source":
            return (
                f"{alias}.incident_id IN (SELECT cf.incident_id FROM claim_fact cf "
                "JOIN source s USING (source_id) JOIN actor a ON a.actor_id = cf.alleged_actor_id "
                f"WHERE s.name = ? AND {match})",
                [self.attribution_source, *params],
            )
        # 'any': the incidents with a row of a matching actor that meets the filter's
        # other conditions too. Repeating those conditions inside keeps the semi-join's
        # build side small (a date filter skips most row groups); the outer WHERE
        # applies them anyway, so the result is the same as without them.
        others, other_params = self.with_(actors=(), sides=()).where("x")
        return (
            f"{alias}.incident_id IN (SELECT x.incident_id FROM incident_actor_fact x "
            f"WHERE {others} AND x.actor_id IN (SELECT a.actor_id FROM actor a WHERE {match}))",
            other_params + params,
        )

    # --- words -----------------------------------------------------------------------

    def attribution_text(self) -> str:
        """Which attribution the figures count, in one sentence."""
        if self.attribution == "majority":
            return (
                f"Attribution: the actor named by the most sources; ties shown as '{NO_MAJORITY}'."
            )
        if self.attribution == "source":
            return f"Attribution: as reported by {self.attribution_source} (its incidents only)."
        return (
            "Attribution: every actor any claim names; an incident blamed on several actors "
            "counts under each."
        )

    def describe(self) -> str:
        """The filter as one English sentence (without the attribution)."""
        parts: list[str] = []
        if self.start and self.end:
            parts.append(f"from {fmt_date(self.start)} to {fmt_date(self.end)}")
        elif self.start:
            parts.append(f"from {fmt_date(self.start)}")
        elif self.end:
            parts.append(f"up to {fmt_date(self.end)}")
        if self.agreement:
            name = agreement_names().get(self.agreement, self.agreement)
            parts.append(f"while the {name} was in force")
        if self.actors:
            parts.append(f"alleged against {_list(self.actors)}")
        if self.sides:
            parts.append(f"by the {_list(self.sides)} side")
        for label, values in (
            ("weapon", self.weapons),
            ("target", self.target_types),
            ("in governorate", self.governorates),
            ("in district", self.districts),
            ("verification", self.verification),
            ("from", tuple(ORIGIN_LABELS.get(o, o) for o in self.origins)),
        ):
            if values:
                parts.append(f"{label} {_list(values)}")
        subject = "Alleged violations" if self.violations_only else "Incidents"
        sentence = subject + (" " + "; ".join(parts) if parts else ", all recorded")
        if not self.include_demo:
            sentence += "; demo data excluded"
        return sentence + "."

    # --- URL -------------------------------------------------------------------------

    _LISTS = {
        "actors": "actor",
        "sides": "side",
        "target_types": "target",
        "weapons": "weapon",
        "governorates": "gov",
        "districts": "district",
        "verification": "status",
        "origins": "origin",
    }

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL query form; only non-default fields appear, so links stay short."""
        out: dict[str, str | list[str]] = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.agreement:
            out["agreement"] = self.agreement
        for name, key in self._LISTS.items():
            if getattr(self, name):
                out[key] = list(getattr(self, name))
        if self.violations_only:
            out["violations"] = "1"
        if not self.include_demo:
            out["demo"] = "0"
        if self.attribution != "any":
            out["attribution"] = self.attribution
        if self.attribution_source:
            out["source"] = self.attribution_source
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | list[str]], **extra) -> Filter:
        """Inverse of ``to_query_params``; raises ValueError on a malformed value."""

        def one(key: str) -> str | None:
            value = params.get(key)
            if isinstance(value, list):
                return value[-1] if value else None
            return value

        def many(key: str) -> tuple[str, ...]:
            value = params.get(key)
            if value is None:
                return ()
            return tuple(v for v in ([value] if isinstance(value, str) else value) if v)

        def day(key: str) -> date | None:
            value = one(key)
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError as error:
                raise ValueError(
                    f"'{key}' must be a date like 2020-03-06, not {value!r}"
                ) from error

        kwargs = {name: many(key) for name, key in cls._LISTS.items()}
        return cls(
            start=day("from"),
            end=day("to"),
            agreement=one("agreement") or None,
            violations_only=one("violations") == "1",
            include_demo=one("demo") != "0",
            attribution=one("attribution") or "any",
            attribution_source=one("source") or None,
            **kwargs,
            **extra,
        )

    def with_(self, **changes) -> Filter:
        """A copy with some fields changed."""
        return replace(self, **changes)


FILTER_FIELDS = [f.name for f in fields(Filter)]
