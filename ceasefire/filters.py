"""One filter object: the SQL every query uses and the words every chart states.

A ``Filter`` is built from the sidebar, from a URL's query string or from CLI flags,
and gives three things that never disagree because they come from the same fields:

- ``where()``: a parameterised WHERE clause over ``incident_fact`` (alias ``f``);
  user values only ever travel as named parameters (``$start``, ``$weapons_1``:
  ``sqlparams``), each named after its field;
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

Table-driven, as Datasette's ``Filters``: every field is declared ONCE, in ``FIELDS``
below, with its SQL, its words, its URL key, its CLI flag and its sidebar label. The
SQL (``where``), the sentence (``describe``), the URL (``to_query_params`` /
``from_query_params``), the CLI flags (``cli.common.filter_options`` /
``filter_from_args``) and the sidebar (``app_pages/_shared.py``) all read that table.

How to add a field (one place, this module):

1. add the attribute to ``Filter`` with its default (a tuple for a multi-valued field);
2. add its ``Field`` row to ``FIELDS``, in the order its words should appear in the
   sentence. A multi-valued condition on an ``incident_fact`` column is
   ``Field("name", url="key", flag="--flag", label="Sidebar label", column="col",
   phrase="words before the values", choices=VOCABULARY or options="FilterOptions attr")``;
   anything else gives ``sql=`` and/or ``words=`` functions of the filter.

The URL, the CLI flag, the sidebar widget, the SQL and the sentence then follow. A
check at import time fails if ``Filter``'s attributes and ``FIELDS`` differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from . import taxonomy
from .agreements import agreement_names
from .sqlparams import Params, merge, value_list

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
ORIGIN_LABELS = taxonomy.ORIGIN_LABELS  # the old name, kept importable


def fmt_date(day: date) -> str:
    """6 Mar 2020: unambiguous in every locale."""
    return f"{day.day} {day:%b %Y}"


def _list(values: tuple[str, ...], conjunction: str = "or") -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {conjunction} " + values[-1]


# --- the table -----------------------------------------------------------------------

Condition = tuple[str, Params]


@dataclass(frozen=True)
class Field:
    """One filter field: everything the SQL, the sentence, the URL, the CLI and the
    sidebar need to know about it.

    ``kind`` says how the value travels: ``list`` (several values; a URL key that
    repeats, a CLI flag that repeats, a multiselect), ``date``, ``text`` (one value),
    ``choice`` (one of ``choices``) or ``bool`` (a flag whose URL value is "1" when the
    default is False and "0" when it is True).
    """

    name: str
    url: str
    flag: str
    label: str
    kind: str = "list"
    default: object = ()
    #: list fields: ``alias.column IN (...)`` on incident_fact
    column: str | None = None
    #: list fields: the condition on an ``actor`` row (actor and side filters);
    #: the attribution decides how an incident's actors are matched
    actor_column: str | None = None
    #: any other condition: f(filter, alias) -> (sql, named params) or None
    sql: Callable[[Filter, str], Condition | None] | None = None
    #: list fields: the words before the values in the sentence
    phrase: str | None = None
    #: list fields: how a value is named in the sentence (default: as stored)
    display: Mapping[str, str] | None = None
    #: any other field: f(filter) -> words, or None when it adds none
    words: Callable[[Filter], str | None] | None = None
    #: where the words go: a condition, the sentence's subject, or a closing note
    role: str = "condition"
    #: a closed vocabulary: values are checked against it; the CLI and sidebar offer it
    choices: Mapping[str, str] | None = None
    #: an open vocabulary: the FilterOptions attribute the sidebar offers
    options: str | None = None
    help: str | None = None
    metavar: str | None = None
    #: bool fields: the CLI flag sets the value to this
    flag_sets: bool = True

    def is_set(self, f: Filter) -> bool:
        return getattr(f, self.name) != self.default

    def condition(self, f: Filter, alias: str) -> Condition | None:
        value = getattr(f, self.name)
        if self.sql:
            return self.sql(f, alias)
        if self.column and value:
            marks, params = value_list(self.name, value)
            return f"{alias}.{self.column} IN ({marks})", params
        return None

    def text(self, f: Filter) -> str | None:
        if self.words:
            return self.words(f)
        value = getattr(f, self.name)
        if self.phrase and value:
            shown = tuple((self.display or {}).get(v, v) for v in value)
            return f"{self.phrase} {_list(shown)}"
        return None


def _date_words(f: Filter) -> str | None:
    if f.start and f.end:
        return f"from {fmt_date(f.start)} to {fmt_date(f.end)}"
    if f.start:
        return f"from {fmt_date(f.start)}"
    if f.end:
        return f"up to {fmt_date(f.end)}"
    return None


def _agreement_sql(f: Filter, alias: str) -> Condition | None:
    if not f.agreement:
        return None
    return (
        f"{alias}.occurred_on >= (SELECT CAST(in_force_from AS DATE) FROM agreement "
        "WHERE agreement_id = $agreement) AND "
        f"{alias}.occurred_on <= coalesce((SELECT CAST(in_force_to AS DATE) FROM agreement "
        "WHERE agreement_id = $agreement), DATE '9999-12-31')",
        {"agreement": f.agreement},
    )


def _agreement_words(f: Filter) -> str | None:
    if not f.agreement:
        return None
    return f"while the {agreement_names().get(f.agreement, f.agreement)} was in force"


def _source_sql(f: Filter, alias: str) -> Condition | None:
    if f.attribution != "source":
        return None
    return (
        f"{alias}.incident_id IN (SELECT cf.incident_id FROM claim_fact cf "
        "JOIN source s USING (source_id) WHERE s.name = $attribution_source)",
        {"attribution_source": f.attribution_source},
    )


FIELDS: tuple[Field, ...] = (
    Field(
        "start",
        url="from",
        flag="--from",
        label="Dates",
        kind="date",
        default=None,
        sql=lambda f, a: (f"{a}.occurred_on >= $start", {"start": f.start}) if f.start else None,
        words=_date_words,
        help="first day",
        metavar="YYYY-MM-DD",
    ),
    Field(
        "end",
        url="to",
        flag="--to",
        label="Dates",
        kind="date",
        default=None,
        sql=lambda f, a: (f"{a}.occurred_on <= $end", {"end": f.end}) if f.end else None,
        words=lambda f: None,  # said with the start: "from A to B"
        help="last day",
        metavar="YYYY-MM-DD",
    ),
    Field(
        "agreement",
        url="agreement",
        flag="--agreement",
        label="While in force",
        kind="text",
        default=None,
        sql=_agreement_sql,
        words=_agreement_words,
        help="only while this agreement was in force (e.g. sochi-2018); "
        "alleged violations are then of it",
        metavar="ID",
    ),
    Field(
        "actors",
        url="actor",
        flag="--actor",
        label="Alleged actor",
        actor_column="name",
        phrase="alleged against",
        options="actors",
        help="alleged actor (canonical name, e.g. Russia)",
        metavar="NAME",
    ),
    Field(
        "sides",
        url="side",
        flag="--side",
        label="Side",
        actor_column="side",
        words=lambda f: f"by the {_list(f.sides)} side" if f.sides else None,
        choices=taxonomy.SIDES,
        help=SIDES_LABEL,
    ),
    Field(
        "weapons",
        url="weapon",
        flag="--weapon",
        label="Weapon",
        column="weapon",
        phrase="weapon",
        choices=taxonomy.WEAPONS,
        help=f"weapon: {', '.join(taxonomy.WEAPONS)}",
        metavar="WEAPON",
    ),
    Field(
        "target_types",
        url="target",
        flag="--target",
        label="Target type",
        column="target_type",
        phrase="target",
        choices=taxonomy.TARGET_TYPES,
        help=f"target type: {', '.join(taxonomy.TARGET_TYPES)}",
        metavar="TYPE",
    ),
    Field(
        "governorates",
        url="gov",
        flag="--governorate",
        label="Governorate",
        column="governorate",
        phrase="in governorate",
        options="governorates",
        metavar="NAME",
    ),
    Field(
        "districts",
        url="district",
        flag="--district",
        label="District",
        column="district",
        phrase="in district",
        options="districts",
        metavar="NAME",
    ),
    Field(
        "verification",
        url="status",
        flag="--status",
        label="Verification",
        column="verification",
        phrase="verification",
        choices=taxonomy.VERIFICATION_STATUSES,
        help="verification status",
    ),
    Field(
        "origins",
        url="origin",
        flag="--origin",
        label="Origin",
        sql=lambda f, a: (
            (f"list_has_any({a}.origins, $origins)", {"origins": list(f.origins)})
            if f.origins
            else None
        ),
        phrase="from",
        display=ORIGIN_LABELS,
        options="origins",
        help="data origin: acled, ucdp, airwars, manual, demo",
        metavar="ORIGIN",
    ),
    Field(
        "violations_only",
        url="violations",
        flag="--violations-only",
        label="Alleged violations only",
        kind="bool",
        default=False,
        sql=lambda f, a: f.violation_condition(a) if f.violations_only else None,
        words=lambda f: "Alleged violations" if f.violations_only else None,
        role="subject",
        help="alleged violations only",
    ),
    Field(
        "stated_only",
        url="stated",
        flag="--stated-only",
        label="Leave out inferred attributions",
        kind="bool",
        default=False,
        words=lambda f: (
            "perpetrators the tracker inferred (not stated by the source) left out"
            if f.stated_only
            else None
        ),
        role="note",
        help="count only perpetrators the sources state; leave out those the tracker "
        "infers by a named rule (see the About page)",
    ),
    Field(
        "include_demo",
        url="demo",
        flag="--no-demo-data",
        label="Include demo data",
        kind="bool",
        default=True,
        flag_sets=False,
        sql=lambda f, a: (f"NOT {a}.is_demo", {}) if not f.include_demo else None,
        words=lambda f: "demo data excluded" if not f.include_demo else None,
        role="note",
        help="leave out the synthetic demo data",
    ),
    Field(
        "attribution",
        url="attribution",
        flag="--attribution",
        label="Count an incident for the actor named by",
        kind="choice",
        default="any",
        choices=ATTRIBUTION_MODES,
        sql=_source_sql,
        words=lambda f: None,  # stated by attribution_text()
        help="count an incident for the actor named by any claim (default), the "
        "majority of claims, or one source (--source)",
    ),
    Field(
        "attribution_source",
        url="source",
        flag="--source",
        label="Source",
        kind="text",
        default=None,
        words=lambda f: None,  # stated by attribution_text()
        help="the source for --attribution source",
        metavar="NAME",
    ),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
LIST_FIELDS = tuple(field for field in FIELDS if field.kind == "list")
ACTOR_FIELDS = tuple(field for field in FIELDS if field.actor_column)


@dataclass(frozen=True)
class Filter:
    """The conditions of a view. Empty tuples mean "no condition".

    Each attribute has its row in ``FIELDS`` (URL key, CLI flag, SQL, words)."""

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
    stated_only: bool = False  # leave out perpetrators the tracker inferred
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
        for field in LIST_FIELDS:
            if field.choices is None:
                continue
            unknown = [v for v in getattr(self, field.name) if v not in field.choices]
            if unknown:
                raise ValueError(
                    f"unknown {field.name}: {', '.join(unknown)}; known: {', '.join(field.choices)}"
                )

    # --- SQL -------------------------------------------------------------------------

    def where(self, alias: str = "f") -> tuple[str, Params]:
        """WHERE conditions over incident_fact (as ``alias``) and their named parameters."""
        found = [field.condition(self, alias) for field in FIELDS]
        if any(field.is_set(self) for field in ACTOR_FIELDS):
            found.append(self._actor_condition(alias))
        found = [condition for condition in found if condition]
        conditions = ["true", *(sql for sql, _ in found)]
        return " AND ".join(conditions), merge(*(params for _, params in found))

    def violation_condition(self, alias: str = "f") -> tuple[str, Params]:
        """True for alleged violations: of the chosen agreement, or of any agreement
        (with ``stated_only``: the violations that stand on stated attributions and the
        clash rule alone)."""
        prefix = "stated_" if self.stated_only else ""
        if self.agreement:
            return (
                f"list_contains({alias}.{prefix}violated_agreements, $agreement)",
                {"agreement": self.agreement},
            )
        return f"{alias}.is_{'stated' if self.stated_only else 'alleged'}_violation", {}

    def claim_basis(self, claim_alias: str = "cf") -> str:
        """Condition on a claim_fact row: a perpetrator claim this view counts."""
        stated = f" AND {claim_alias}.attribution_basis = 'stated'" if self.stated_only else ""
        return f"{claim_alias}.role = 'perpetrator'{stated}"

    def actor_match(self, actor_alias: str = "a") -> tuple[str, Params]:
        """Condition on an ``actor`` row for the actor and side filters ('true' if none)."""
        parts, params = [], {}
        for field in ACTOR_FIELDS:
            values = getattr(self, field.name)
            if values:
                marks, named = value_list(field.name, values)
                parts.append(f"{actor_alias}.{field.actor_column} IN ({marks})")
                params |= named
        return (" AND ".join(parts) or "true"), params

    def _actor_condition(self, alias: str) -> tuple[str, Params]:
        match, params = self.actor_match("a")
        if self.attribution == "majority":
            inferred = (
                f" AND NOT EXISTS (SELECT 1 FROM incident_actor ia WHERE ia.incident_id = "
                f"{alias}.incident_id AND ia.actor_id = {alias}.majority_actor_id "
                "AND ia.inferred_only)"
                if self.stated_only
                else ""
            )
            return (
                f"{alias}.majority_actor_id IN (SELECT a.actor_id FROM actor a WHERE {match})"
                + inferred,
                params,
            )
        if self.attribution == "source":
            return (
                f"{alias}.incident_id IN (SELECT cf.incident_id FROM claim_fact cf "
                "JOIN source s USING (source_id) JOIN actor a ON a.actor_id = cf.alleged_actor_id "
                f"WHERE s.name = $attribution_source AND {self.claim_basis('cf')} AND {match})",
                merge({"attribution_source": self.attribution_source}, params),
            )
        # 'any': the incidents with a row of a matching actor that meets the filter's
        # other conditions too. Repeating those conditions inside keeps the semi-join's
        # build side small (a date filter skips most row groups); the outer WHERE
        # applies them anyway, so the result is the same as without them.
        others, other_params = self.with_(**{f.name: f.default for f in ACTOR_FIELDS}).where("x")
        return (
            f"{alias}.incident_id IN (SELECT x.incident_id FROM incident_actor_fact x "
            f"WHERE {others} {'AND NOT x.inferred_only ' if self.stated_only else ''}"
            f"AND x.actor_id IN (SELECT a.actor_id FROM actor a WHERE {match}))",
            merge(other_params, params),
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
        words = {"subject": [], "condition": [], "note": []}
        for field in FIELDS:
            text = field.text(self)
            if text:
                words[field.role].append(text)
        subject = words["subject"][0] if words["subject"] else "Incidents"
        parts = words["condition"]
        sentence = subject + (" " + "; ".join(parts) if parts else ", all recorded")
        for note in words["note"]:
            sentence += f"; {note}"
        return sentence + "."

    # --- URL -------------------------------------------------------------------------

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL query form; only non-default fields appear, so links stay short."""
        out: dict[str, str | list[str]] = {}
        for field in FIELDS:
            if not field.is_set(self):
                continue
            value = getattr(self, field.name)
            if field.kind == "list":
                out[field.url] = list(value)
            elif field.kind == "date":
                out[field.url] = value.isoformat()
            elif field.kind == "bool":
                out[field.url] = "1" if value else "0"
            else:
                out[field.url] = value
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

        kwargs: dict[str, object] = {}
        for field in FIELDS:
            if field.kind == "list":
                kwargs[field.name] = many(field.url)
            elif field.kind == "date":
                kwargs[field.name] = day(field.url)
            elif field.kind == "bool":
                flipped = one(field.url) == ("0" if field.default else "1")
                kwargs[field.name] = (not field.default) if flipped else field.default
            else:
                kwargs[field.name] = one(field.url) or field.default
        return cls(**{**kwargs, **extra})

    def with_(self, **changes) -> Filter:
        """A copy with some fields changed."""
        return replace(self, **changes)


_declared = [f.name for f in fields(Filter)]
if sorted(_declared) != sorted(FIELDS_BY_NAME):
    raise RuntimeError(
        f"Filter's attributes and filters.FIELDS differ: {sorted(set(_declared) ^ set(FIELDS_BY_NAME))}"
    )
