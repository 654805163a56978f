"""Property-based tests of the write path (Hypothesis): a save writes exactly what the
editor changed, and every change can be undone.

- For any stored incident with claims (nulls, every qualifier whether or not it fits its
  figures, minimum-only figures, Unicode and spaces in quotes, missing coordinates,
  week and month precision, roles, inferred attributions), loading it into the editor's
  form model and saving it unchanged writes nothing, and a new incident saved from the
  unchanged form keeps every loaded value.
- Changing one field of that form writes exactly one logged change, of that field.
- A state machine over edit / add claim / delete claim / set-side / merge / import /
  new incident (linked or distinct) / revert: reverting the changes in reverse order
  brings the store's content (every table but the change log, derived tables included)
  back to what it was before them, after every step, and at the end to the start.

Examples are bounded and derandomized (the same examples on every run) so that ``make
test`` is repeatable and short; ``HYPOTHESIS_PROFILE=long`` runs many more, with a random
seed (docs/testing.md): ``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest
tests/test_write_properties.py``.
"""

from __future__ import annotations

import copy
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from ceasefire import editing, importers, queries, seed, store, taxonomy
from ceasefire.records import ClaimRecord, IncidentRecord, write_records
from ceasefire.store import bootstrap
from ceasefire.tables.dataversion import table_digest
from conftest import delete_claim

ED = "Property Editor"
FIX = Path(__file__).resolve().parent / "fixtures"

settings.register_profile(
    "bounded",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "bounded")
settings.load_profile(PROFILE)
#: the state machine's examples and steps (each step is a write of a second or so)
MACHINE = (
    dict(max_examples=6, stateful_step_count=10)
    if PROFILE == "bounded"
    else dict(max_examples=100, stateful_step_count=25)
)


def content(con) -> str:
    """The store's content: every table but the change log (which only grows)."""
    tables = [t for t in store.table_names(con) if t != "change_log"]
    return "|".join(f"{t}:{table_digest(con, t)}" for t in tables)


_TEMPLATE: dict[str, Path] = {}


def fresh_store(tmp: Path):
    """A copy of a store with the reference data and the seed (built once per session)."""
    if "path" not in _TEMPLATE:
        path = tmp.parent / "template.duckdb"
        con = store.connect(path)
        bootstrap.load_reference(con)
        seed.load_seed(con)
        con.close()
        _TEMPLATE["path"] = path
    target = tmp / f"store-{len(list(tmp.glob('store-*.duckdb')))}.duckdb"
    shutil.copy(_TEMPLATE["path"], target)
    return store.connect(target)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = fresh_store(tmp_path_factory.mktemp("properties"))
    yield connection
    connection.close()


# --- strategies: what a store can hold -------------------------------------------------

_letters = st.characters(exclude_categories=("Cs", "Cc"))
#: texts with what a form could mangle: spaces around, line breaks, accents, quotes
texts = st.text(st.one_of(_letters, st.sampled_from([" ", "\n", "\t", "\u0301", "“"])), max_size=25)
maybe_text = st.one_of(st.none(), texts.filter(lambda t: t.strip()))
days = st.dates(date(2017, 5, 1), date(2024, 12, 31))
counts = st.integers(0, 120)
SOURCES = ["Baladi News", "SOHR", "Enab Baladi", "Sputnik"]
ACTORS = ["Russia", "Syrian government", "Hayat Tahrir al-Sham", "Turkey", "Liwa Property Test"]


@st.composite
def figures(draw, name: str) -> dict:
    """A figure as any writer may have stored it: min, max (>= min) and any qualifier."""
    low = draw(st.one_of(st.none(), counts))
    high = draw(st.one_of(st.none(), st.integers(low or 0, 200)))
    word = draw(st.one_of(st.none(), st.sampled_from(list(editing.QUALIFIERS))))
    return {f"{name}_min": low, f"{name}_max": high, f"{name}_qualifier": word}


@st.composite
def claims(draw) -> ClaimRecord:
    values: dict = {}
    for name in ("killed", "wounded", "civilians_killed"):
        values.update(draw(figures(name)))
    inferred = draw(st.booleans())
    return ClaimRecord(
        source_name=draw(st.one_of(st.none(), st.sampled_from(SOURCES))),
        alleged_actor=draw(st.one_of(st.none(), st.sampled_from(ACTORS))),
        quote=draw(st.one_of(st.none(), texts)),
        published_on=draw(st.one_of(st.none(), days)),
        role=draw(st.sampled_from(list(taxonomy.CLAIM_ROLES))),
        attribution_basis="inferred" if inferred else "stated",
        attribution_rule=(
            draw(st.sampled_from(list(taxonomy.ATTRIBUTION_RULES))) if inferred else None
        ),
        killed_best=draw(st.one_of(st.none(), counts)),
        url=draw(st.one_of(st.none(), st.just("https://example.org/r?id=1"), texts)),
        **values,
    )


@st.composite
def incidents(draw, origin_id: str) -> IncidentRecord:
    located = draw(st.booleans())
    coordinate = st.floats(-1.0, 1.0, allow_nan=False)
    return IncidentRecord(
        origin_id=origin_id,
        occurred_on=draw(days),
        weapon=draw(st.sampled_from(list(taxonomy.WEAPONS))),
        target_type=draw(st.sampled_from(list(taxonomy.TARGET_TYPES))),
        date_precision=draw(st.sampled_from(taxonomy.DATE_PRECISIONS)),
        place_name=draw(maybe_text),
        governorate=draw(st.sampled_from([None, "Idleb", "Idlib Governorate", "Aleppo"])),
        district=draw(st.sampled_from([None, "Harim", "Al Mara", "Jisr-Ash-Shugur"])),
        latitude=35.8 + draw(coordinate) if located else None,
        longitude=36.6 + draw(coordinate) if located else None,
        location_precision=draw(st.sampled_from(taxonomy.LOCATION_PRECISIONS)),
        description=draw(st.one_of(st.none(), texts)),
        verification=draw(st.sampled_from(list(taxonomy.VERIFICATION_STATUSES))),
        claims=draw(st.lists(claims(), max_size=3)),
    )


_counter = iter(range(10**9))


def stored(con, data) -> int:
    """Write a generated incident under a new origin id; its id."""
    origin = data.draw(st.sampled_from(["manual", "acled"]), label="origin")
    origin_id = f"p{next(_counter)}"
    write_records(con, origin, [data.draw(incidents(origin_id), label="incident")])
    return con.execute(
        "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?", [origin, origin_id]
    ).fetchone()[0]


def form_of(con, incident_id: int) -> dict:
    return editing.form_state(*queries.incident_for_editing(con, incident_id))


def log_size(con) -> int:
    return con.execute("SELECT count(*) FROM change_log").fetchone()[0]


# --- 1. an untouched form writes nothing ---------------------------------------------


@given(data=st.data())
def test_an_untouched_form_writes_nothing_and_keeps_every_value(con, data):
    incident_id = stored(con, data)
    before, logged = content(con), log_size(con)
    model = form_of(con, incident_id)
    fields, claims_ = editing.form_changes(model, copy.deepcopy(model))
    assert fields == {} and all(set(c) == {"claim_id"} for c in claims_)
    assert editing.save_incident(con, incident_id, fields, claims_, editor=ED) == []
    assert content(con) == before and log_size(con) == logged
    # a new incident made from the unchanged form takes every loaded value as it was
    fields, rows = queries.incident_for_editing(con, incident_id)
    proposal = editing.form_proposal(model, copy.deepcopy(model))
    for name in editing.FORM_FIELDS:
        assert proposal[name] == fields[name], name
    for row, claim in zip(rows, proposal["claims"], strict=True):
        for name, value in row.items():
            if name != "claim_id":
                assert claim[name] == value, name


# --- 2. one field changed, one change logged ------------------------------------------

#: the claim fields a change may touch, by the form's name for them
FIGURE_COLUMNS = {
    figure: {f"{figure}_min", f"{figure}_max", f"{figure}_qualifier"}
    for figure in ("killed", "wounded", "civilians_killed")
}


def change_one(data, model: dict, sources: list[str], actors: dict[str, int], part=None):
    """A copy of the form with one field changed to a different valid value, and the
    (entity, store columns) the change may write; ``part`` "incident" or "claim" picks
    a field of that part only."""
    form = copy.deepcopy(model)
    f = form["fields"]
    options = [
        "occurred_on", "date_precision", "place_name", "latitude", "location_precision",
        "weapon", "target_type", "verification", "description",
    ]  # fmt: skip
    if part == "claim":
        options = []
    if form["claims"] and part != "incident":
        options += ["claim:quote", "claim:role", "claim:url", "claim:published_on"]
        options += ["claim:killed", "claim:wounded", "claim:source", "claim:actor"]
    what = data.draw(st.sampled_from(options), label="field")
    if not what.startswith("claim:"):
        old = f[what]
        if what == "occurred_on":
            f[what] = old - timedelta(days=1)
        elif what == "latitude":
            f["latitude"] = round((old or 35.0) + 0.25, 6)
            f["longitude"] = f["longitude"] if f["longitude"] is not None else 36.5
            return form, ("incident", {"latitude", "longitude"})
        elif what in ("place_name", "description"):
            f[what] = (old or "") + data.draw(texts.filter(lambda t: t.strip()), label="added")
        else:
            vocab = {
                "date_precision": taxonomy.DATE_PRECISIONS,
                "location_precision": taxonomy.LOCATION_PRECISIONS,
                "weapon": list(taxonomy.WEAPONS),
                "target_type": list(taxonomy.TARGET_TYPES),
                "verification": list(taxonomy.VERIFICATION_STATUSES),
            }[what]
            f[what] = data.draw(st.sampled_from([v for v in vocab if v != old]), label="value")
        return form, ("incident", {what})
    claim = data.draw(st.sampled_from(form["claims"]), label="claim")
    name = what.split(":")[1]
    if name == "quote":
        claim["quote"] = (claim["quote"] or "") + data.draw(texts.filter(str.strip), label="q")
        return form, ("claim", {"quote"})
    if name == "role":
        claim["role"] = "party" if claim["role"] == "perpetrator" else "perpetrator"
        return form, ("claim", {"role"})
    if name == "url":
        claim["url"] = (
            "https://example.org/changed" if claim["url"] != "https://example.org/changed" else ""
        )
        return form, ("claim", {"url"})
    if name == "published_on":
        claim["published_on"] = (claim["published_on"] or date(2020, 1, 2)) - timedelta(days=1)
        return form, ("claim", {"published_on"})
    if name == "source":
        other = [s for s in sources if s != claim["source_name"]]
        claim["source_name"] = data.draw(st.sampled_from(other), label="source")
        return form, ("claim", {"source_id"})
    if name == "actor":
        current = actors.get(claim["alleged_actor"])
        other = [a for a, i in actors.items() if i != current]
        claim["alleged_actor"] = data.draw(st.sampled_from(other), label="actor")
        return form, ("claim", {"alleged_actor_id"})
    shown = claim[name]
    bigger = (shown["min"] or 0) + (shown["max"] or 0) + 7
    claim[name] = {"q": "exactly", "n": bigger, "min": None, "max": None}
    return form, ("claim", FIGURE_COLUMNS[name])


@given(data=st.data())
def test_changing_one_field_writes_exactly_one_logged_change_of_it(con, data):
    incident_id = stored(con, data)
    sources = [r[0] for r in con.execute("SELECT name FROM source ORDER BY name").fetchall()]
    actors = dict(con.execute("SELECT name, actor_id FROM actor WHERE NOT needs_review").fetchall())
    assume(len(sources) > 1)
    model = form_of(con, incident_id)
    form, (entity, columns) = change_one(data, model, sources, actors)
    logged = log_size(con)
    fields, claims_ = editing.form_changes(model, form)
    editing.save_incident(con, incident_id, fields, claims_, editor=ED, note="one field")
    entries = editing.history(con)[: log_size(con) - logged]
    assert len(entries) == 1, [(e["entity"], e["action"], e["new"]) for e in entries]
    (entry,) = entries
    assert (entry["entity"], entry["action"], entry["note"]) == (entity, "update", "one field")
    written = set(entry["new"]) - {"incident_id"}
    assert written and written <= columns, (written, columns)
    editing.revert(con, entry["change_id"], editor=ED)  # leaves the module's store tidy


# --- 3. every change can be undone, in reverse order ------------------------------------


class Writes(RuleBasedStateMachine):
    """Writes of every kind on one store; ``undo`` reverts the latest step's changes."""

    reached: set[str] = set()

    def __init__(self):
        super().__init__()
        self.con = fresh_store(Writes.tmp)
        self.start = content(self.con)
        self.steps: list[tuple[list[int], str]] = []  # (change ids, content before)
        self.imported = False
        self.seed_id = self.con.execute("SELECT incident_id FROM incident").fetchone()[0]

    def step(self, write) -> None:
        before, last = content(self.con), self._last()
        write()
        for (action,) in self.con.execute(
            "SELECT DISTINCT entity || ' ' || action FROM change_log WHERE change_id > ?", [last]
        ).fetchall():
            Writes.reached.add(action)  # which kinds of write the examples reached
        ids = [
            r[0]
            for r in self.con.execute(
                "SELECT change_id FROM change_log WHERE change_id > ? ORDER BY change_id", [last]
            ).fetchall()
        ]
        if ids:
            self.steps.append((ids, before))
        else:
            assert content(self.con) == before  # nothing logged, nothing changed

    def _last(self) -> int:
        return self.con.execute("SELECT coalesce(max(change_id), 0) FROM change_log").fetchone()[0]

    def _incidents(self) -> list[int]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT incident_id FROM incident ORDER BY incident_id"
            ).fetchall()
        ]

    def _claims(self) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT claim_id FROM claim ORDER BY 1").fetchall()]

    def edit_in_the_form(self, data, incident_id: int, part: str):
        model = form_of(self.con, incident_id)
        sources = [r[0] for r in self.con.execute("SELECT name FROM source").fetchall()]
        actors = dict(
            self.con.execute("SELECT name, actor_id FROM actor WHERE NOT needs_review").fetchall()
        )
        form, _ = change_one(data, model, sorted(sources), actors, part)
        fields, claims_ = editing.form_changes(model, form)
        self.step(lambda: editing.save_incident(self.con, incident_id, fields, claims_, editor=ED))

    @rule(data=st.data())
    def edit_an_incident(self, data):
        incident_id = data.draw(st.sampled_from(self._incidents()), label="incident")
        self.edit_in_the_form(data, incident_id, "incident")

    @precondition(lambda self: self._claims())
    @rule(data=st.data())
    def edit_a_claim(self, data):
        claim_id = data.draw(st.sampled_from(self._claims()), label="claim")
        incident_id = self.con.execute(
            "SELECT incident_id FROM claim WHERE claim_id = ?", [claim_id]
        ).fetchone()[0]
        self.edit_in_the_form(data, incident_id, "claim")

    @rule(data=st.data())
    def add_a_claim(self, data):
        incident_id = data.draw(st.sampled_from(self._incidents()), label="incident")
        claim = {
            "source_name": data.draw(st.sampled_from([*SOURCES, "A new outlet"]), label="src"),
            "alleged_actor": data.draw(st.sampled_from([*ACTORS, "A new brigade"]), label="a"),
            "killed_qualifier": data.draw(st.sampled_from(["more than", "up to"]), label="q"),
            "killed_figure": data.draw(counts, label="n"),
            "quote": data.draw(maybe_text, label="quote"),
        }
        self.step(lambda: editing.add_claim(self.con, incident_id, claim, editor=ED))

    @precondition(lambda self: self._claims())
    @rule(data=st.data())
    def delete_a_claim(self, data):
        claim_id = data.draw(st.sampled_from(self._claims()), label="claim")
        self.step(lambda: delete_claim(self.con, claim_id, editor=ED))

    @rule(data=st.data())
    def set_a_side(self, data):
        names = [r[0] for r in self.con.execute("SELECT name FROM actor ORDER BY 1").fetchall()]
        name = data.draw(st.sampled_from(names), label="actor")
        side = data.draw(st.sampled_from(list(taxonomy.SIDES)), label="side")
        self.step(lambda: editing.set_actor_side(self.con, name, side, editor=ED, note="side"))

    @rule(data=st.data())
    def merge_actors(self, data):
        names = [r[0] for r in self.con.execute("SELECT name FROM actor ORDER BY 1").fetchall()]
        name = data.draw(st.sampled_from(names), label="actor")
        into = data.draw(st.sampled_from([n for n in names if n != name]), label="into")
        self.step(lambda: editing.merge_actor(self.con, name, into, editor=ED, note="alias"))

    @initialize(which=st.sampled_from(["acled_quirks.csv", "acled_roles.csv", None]))
    def begin(self, which):
        """Most examples start with an import, the other writes then land on its rows."""
        if which is not None:
            self.import_a_file(which)

    @precondition(lambda self: not self.imported)
    @rule(which=st.sampled_from(["acled_quirks.csv", "acled_roles.csv"]))
    def import_a_file(self, which):
        # one import at a time: only the latest import keeps its before-state (undo.py)
        self.step(lambda: importers.import_file(self.con, "acled", FIX / which, editor=ED))
        self.imported = True

    @rule(data=st.data())
    def add_an_incident(self, data):
        proposal = {
            "occurred_on": "2020-10-26",
            "weapon": "airstrike",
            "latitude": 36.2 + data.draw(st.sampled_from([0.0, 0.01, 0.5]), label="north"),
            "longitude": 36.52,
            "place_name": "Jabal al-Duwaila",
            "claims": [{"source_name": "Baladi News", "alleged_actor": "Russia"}],
        }
        found = editing.same_event_candidates(self.con, proposal)
        decision = None
        if found:
            decision = data.draw(
                st.sampled_from(
                    [editing.Link(found[0].incident_id), editing.Distinct("not the same")]
                ),
                label="decision",
            )
        self.step(
            lambda: editing.create_incident(self.con, proposal, editor=ED, same_event=decision)
        )

    @precondition(lambda self: self.steps)
    @rule()
    def undo(self):
        ids, before = self.steps.pop()
        for change_id in reversed(ids):
            editing.revert(self.con, change_id, editor=ED, note="undo")
        if any(self._action(i) == "import" for i in ids):
            self.imported = False
        assert content(self.con) == before

    def _action(self, change_id: int) -> str:
        return self.con.execute(
            "SELECT action FROM change_log WHERE change_id = ?", [change_id]
        ).fetchone()[0]

    @invariant()
    def store_is_whole(self):
        assert store.integrity_problems(self.con) == []

    def teardown(self):
        while self.steps:
            self.undo()
        assert content(self.con) == self.start
        self.con.close()


def test_every_write_reverts_in_reverse_order_to_the_content_before_it(tmp_path):
    Writes.tmp = tmp_path
    Writes.TestCase.settings = settings(settings(), **MACHINE)
    Writes.TestCase().runTest()
    # the examples reached every kind of write (else the property says less than it claims)
    kinds = {
        "incident update", "claim update", "claim create", "claim delete", "source create",
        "actor create", "actor set-side", "actor merge", "import import", "incident create",
    }  # fmt: skip
    assert kinds <= Writes.reached, kinds - Writes.reached
    assert Writes.reached & {"incident link", "incident distinct"}, Writes.reached
