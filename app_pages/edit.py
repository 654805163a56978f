"""Incident editor: code a new incident or correct one, with any number of claims.

Widgets only: validation, the counting rule and the write are ``ceasefire.editing``.
Open it empty (``/edit``), on an incident (``/edit?incident=ID``), or prefilled with a
proposal: put the dict in ``st.session_state[editing.PROPOSAL_KEY]`` and
``st.switch_page("app_pages/edit.py")`` (the contract is in editing.py's
docstring; article drafts use it).
"""

from __future__ import annotations

import json

import streamlit as st

from app_pages._same_event import same_event_box
from app_pages._shared import current_editor, stop_page, url_params
from app_pages._tables import history_grid
from ceasefire import editing, gazetteer, pickmap, queries, store, taxonomy
from ceasefire.cache import cached_read, get_connection, writer

P = "ed_"  # prefix of every widget key on this page
FIGURES = {"killed": "Killed", "wounded": "Wounded", "civilians_killed": "Civilians killed"}
QUALIFIERS = ["", *editing.QUALIFIERS, "range"]
NEW = "(new…)"

con = get_connection()
editor = current_editor()
url_incident = (url_params().get("incident") or [None])[-1]
incident_id = int(url_incident) if url_incident and url_incident.isdigit() else None

st.title("Edit incident" if incident_id else "New incident")
if not editor:
    st.info("Coding and correcting incidents writes to the store: sign in as an editor (sidebar).")
    stop_page()


# --- state: load an incident or a proposal once ---------------------------------------
# The form model (``editing.form``) is kept as loaded: a save writes only what the
# editor changed against it, never values the form re-derived for display.

#: a claim's widgets (the slot's key suffix) and the form model's names for them
CLAIM_WIDGETS = {
    "claim_id": "claim_id",
    "kind": "source_kind",
    "affiliation": "source_affiliation",
    "url": "source_url",
    "role": "role",
    "quote": "quote",
    "published_on": "published_on",
    "link": "url",
}


def _claim_state(slot: int, c: dict) -> dict:
    """The widget values of one claim of the form model (its slot is its key)."""
    k = f"{P}c{slot}_"
    state = {k + widget: c.get(name) for widget, name in CLAIM_WIDGETS.items()}
    state.update(
        {
            k + "source": c.get("source_name") or "",
            k + "new_source": "",
            k + "actor": c.get("alleged_actor") or "",
            k + "new_actor": "",
        }
    )
    for fig in FIGURES:
        shown = c[fig]
        state.update({f"{k}{fig}_{part}": shown[part] for part in ("q", "n", "min", "max")})
    return state


def load(model: dict, note: str | None, what: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(P)]:
        del st.session_state[key]
    for field, value in model["fields"].items():
        st.session_state[P + field] = value
    st.session_state[P + "slots"] = [c["key"] for c in model["claims"]]
    st.session_state[P + "next_slot"] = len(model["claims"])
    for c in model["claims"]:
        st.session_state.update(_claim_state(c["key"], c))
    st.session_state[P + "note"] = note or ""
    st.session_state[P + "model"] = model
    st.session_state[P + "loaded"] = what


saved_message = st.session_state.pop(P + "saved", None)  # survives the reload below
proposal = st.session_state.pop(editing.PROPOSAL_KEY, None)
wanted = f"incident {incident_id}" if incident_id else "new"
loaded = st.session_state.get(P + "loaded")
if proposal is not None:
    fields, claims, spans = editing.read_proposal(proposal)
    load(editing.form_state(fields, claims), fields.get("note"), "proposal")
    st.session_state[P + "origin_id"] = fields.get("origin_id")
elif loaded != wanted and not (loaded == "proposal" and not incident_id):
    if incident_id:
        found = cached_read(queries.incident_for_editing, incident_id)
        if found is None:
            st.warning(f"Incident {incident_id} is not in the store.")
            stop_page()
        load(editing.form_state(*found), None, wanted)
    else:
        load(editing.form_state({}, [{}]), None, wanted)

state = st.session_state


def err(key: str) -> None:
    """The field's error from the last save attempt, under the field."""
    message = state.get(P + "errors", {}).get(key)
    if message:
        st.error(f"{key}: {message}")


# --- the incident -------------------------------------------------------------------

if saved_message:
    st.success(saved_message)
if state.get(P + "errors"):
    st.error(
        "Not saved - fix these fields:  \n"
        + "  \n".join(f"{k}: {v}" for k, v in state[P + "errors"].items())
    )

sources = cached_read(queries.source_names)
actors = cached_read(queries.actor_names)

left, right = st.columns(2)
left.date_input("Date", key=P + "occurred_on", format="YYYY-MM-DD")
with left:
    err("occurred_on")
right.selectbox("Date precision", taxonomy.DATE_PRECISIONS, key=P + "date_precision")

st.markdown("**Place**")


def use_place() -> None:
    found = state.get(P + "place_pick")
    if not found:
        return
    place = next(
        m.place for m in gazetteer.search(state[P + "place_query"], limit=10) if _label(m) == found
    )
    state[P + "place_name"] = place.name
    state[P + "governorate"] = place.governorate or ""
    state[P + "district"] = place.district or ""
    state[P + "latitude"] = place.lat
    state[P + "longitude"] = place.lon
    state[P + "location_precision"] = place.precision_default


def _label(m) -> str:
    p = m.place
    return f"{p.name} ({p.kind}; {p.district or '-'}, {p.governorate or '-'}; {p.lat:.4f}, {p.lon:.4f})"


q1, q2 = st.columns([2, 3])
q1.text_input(
    "Find a place in the gazetteer", key=P + "place_query", placeholder="e.g. Duwaila, Haram"
)
matches = (
    gazetteer.search(state.get(P + "place_query") or "", limit=10)
    if state.get(P + "place_query")
    else []
)
if matches:
    q2.selectbox("Matches", [_label(m) for m in matches], key=P + "place_pick")
    q2.button("Use this place", key=P + "use_place", on_click=use_place)
elif state.get(P + "place_query"):
    q2.caption("No place in the gazetteer matches; type the place and its coordinates below.")
# the place's name on a row of its own: in a third of the width at 900 px it was cut
st.text_input("Place name", key=P + "place_name")
p2, p3 = st.columns(2)
p2.text_input(
    "Governorate", key=P + "governorate", help="OCHA name; other spellings are normalised"
)
p3.text_input("District", key=P + "district", help="OCHA name; other spellings are normalised")
# two columns, not three: at 900 px a third column cut the coordinates' last digit
c1, c2 = st.columns(2)
c1.number_input("Latitude", key=P + "latitude", format="%.5f", min_value=-90.0, max_value=90.0)
c2.number_input("Longitude", key=P + "longitude", format="%.5f", min_value=-180.0, max_value=180.0)
c1.selectbox("Location precision", taxonomy.LOCATION_PRECISIONS, key=P + "location_precision")
with st.container():
    err("latitude")
    err("longitude")


def use_map_pick() -> None:
    """A click on the map: its coordinates, and the nearest gazetteer place's governorate
    and district where those are still empty."""
    point = pickmap.picked(state.get(P + "map"))
    if point is None:
        return
    lat, lon = point
    state[P + "latitude"], state[P + "longitude"] = lat, lon
    note = f"Coordinates from the map: {lat:.4f}°N, {lon:.4f}°E"
    near = gazetteer.nearest(lat, lon)
    if near is not None:
        place = near.place
        km = gazetteer.distance_km(lat, lon, place.lat, place.lon)
        note += f"; nearest place in the gazetteer: {place.name} ({km:.1f} km)"
        if not state.get(P + "governorate") and place.governorate:
            state[P + "governorate"] = place.governorate
        if not state.get(P + "district") and place.district:
            state[P + "district"] = place.district
    state[P + "map_note"] = note + "."


# the map only on demand: its pick grid is thousands of points, sent on every rerun
if st.toggle("Pick the coordinates on the map", key=P + "show_map"):
    here = (state.get(P + "latitude"), state.get(P + "longitude"))
    st.plotly_chart(
        pickmap.pick_map(*here) if None not in here else pickmap.pick_map(),
        key=P + "map",
        on_select=use_map_pick,
        selection_mode="points",
        config={"displayModeBar": False, "scrollZoom": True},
    )
    st.caption(
        "Click the map: the nearest point of its grid (about 2 km apart on the whole "
        "region, 500 m once the incident has coordinates, when the map zooms to them) "
        "or a town gives the coordinates; type exact figures if you have them."
    )
    if state.get(P + "map_note"):
        st.success(state[P + "map_note"])

# two a row: in a third of the width at 900 px "armed-group position" and
# "shelling/artillery" were cut
w1, w2 = st.columns(2)
w1.selectbox("Weapon", [None, *taxonomy.WEAPONS], key=P + "weapon", format_func=lambda v: v or "-")
w2.selectbox("Target type", list(taxonomy.TARGET_TYPES), key=P + "target_type")
w3, _ = st.columns(2)
w3.selectbox("Verification", list(taxonomy.VERIFICATION_STATUSES), key=P + "verification")
with st.container():
    err("weapon")
st.text_area("Description", key=P + "description")

# --- claims -------------------------------------------------------------------------

st.subheader("Claims")
st.caption(
    "One claim per source: who it says did it and the figures it gives, with the "
    'qualifier it used ("more than 30" counts as at least 31).'
)


def remove_claim(slot: int) -> None:
    state[P + "slots"] = [s for s in state[P + "slots"] if s != slot]


def add_claim() -> None:
    slot = state[P + "next_slot"]
    state[P + "next_slot"] = slot + 1
    state[P + "slots"] = [*state[P + "slots"], slot]
    state.update(_claim_state(slot, editing.blank_claim(slot)))


for i, slot in enumerate(state[P + "slots"]):
    k = f"{P}c{slot}_"
    title = f"Claim {i + 1}: {state.get(k + 'source') or state.get(k + 'new_source') or 'source?'}"
    with st.container(border=True, key=f"claim_{i}"):
        st.markdown(f"**{title}**")
        # names on rows of their own, the new source's details two a row: at 900 px a
        # half or a quarter of the width cut a source's or an actor's name
        options = ["", *sources, NEW]
        if state.get(k + "source") not in options:
            # a source the registry does not know yet (a proposal's): added on save
            state[k + "new_source"] = state.get(k + "source") or ""
            state[k + "source"] = NEW
        st.selectbox("Source", options, key=k + "source", format_func=lambda v: v or "-")
        if state.get(k + "source") == NEW:
            st.text_input("New source: name", key=k + "new_source")
            n2, n3 = st.columns(2)
            n2.selectbox("Kind", taxonomy.SOURCE_KINDS, key=k + "kind")
            n3.selectbox("Affiliation", taxonomy.AFFILIATIONS, key=k + "affiliation")
            st.text_input("URL", key=k + "url")
        st.radio("Role", list(taxonomy.CLAIM_ROLES), key=k + "role", horizontal=True)
        actor_options = ["", *actors, NEW]
        if state.get(k + "actor") not in actor_options:
            state[k + "new_actor"] = state.get(k + "actor") or ""
            state[k + "actor"] = NEW
        st.selectbox(
            "Alleged actor",
            actor_options,
            key=k + "actor",
            format_func=lambda v: v or "-",
            help="A canonical actor, or a new name (it goes to the Actors page's review queue)",
        )
        if state.get(k + "actor") == NEW:
            st.text_input("New actor name (as the source wrote it)", key=k + "new_actor")
        cols = st.columns(3)
        for col, (fig, label) in zip(cols, FIGURES.items(), strict=True):
            f = k + fig
            col.selectbox(
                f"{label}: the source says",
                QUALIFIERS,
                key=f + "_q",
                format_func=lambda v: v or "not stated",
            )
            if state.get(f + "_q") == "range":
                col.number_input(f"{label}: min", key=f + "_min", min_value=0, step=1)
                col.number_input(f"{label}: max", key=f + "_max", min_value=0, step=1)
            elif state.get(f + "_q"):
                col.number_input(f"{label}: number", key=f + "_n", min_value=0, step=1)
        st.text_area("Quote", key=k + "quote", height=80)
        # two a row and the button as wide as its label: at 900 px the date field cut its
        # "yyyy-mm-dd" and the button its label ("Remove …")
        d1, d2 = st.columns(2)
        d1.date_input("Published on", key=k + "published_on", format="YYYY-MM-DD")
        d2.text_input(
            "Link to this claim's report",
            key=k + "link",
            placeholder="https://…",
            help="The article or post this claim comes from (http or https)",
        )
        st.button(
            "Remove this claim",
            key=k + "remove",
            on_click=remove_claim,
            args=(slot,),
            width="content",
        )
        for key, message in state.get(P + "errors", {}).items():
            if key.startswith(f"claims[{i}]."):
                st.error(f"{key.split('.', 1)[1]}: {message}")

st.button("Add a claim", key=P + "add_claim", on_click=add_claim)


# --- what it will count as, and save ------------------------------------------------


def submitted() -> dict:
    """The form as the editor leaves it, in the form model's shape (``editing.form``)."""
    claims = []
    for slot in state[P + "slots"]:
        k = f"{P}c{slot}_"
        claim = {"key": slot, **{name: state.get(k + w) for w, name in CLAIM_WIDGETS.items()}}
        new_source, new_actor = state.get(k + "source") == NEW, state.get(k + "actor") == NEW
        claim["source_name"] = state.get(k + ("new_source" if new_source else "source")) or ""
        claim["alleged_actor"] = state.get(k + ("new_actor" if new_actor else "actor")) or ""
        for fig in FIGURES:
            claim[fig] = {part: state.get(f"{k}{fig}_{part}") for part in ("q", "n", "min", "max")}
        claims.append(claim)
    return {"fields": {f: state.get(P + f) for f in editing.FORM_FIELDS}, "claims": claims}


@st.cache_data(show_spinner=False, max_entries=32)
def _explain(proposal_json: str, version: str) -> str:
    return editing.explain_counting(get_connection(), json.loads(proposal_json))


@st.cache_data(show_spinner=False, max_entries=32)
def _candidates(proposal_json: str, version: str) -> list:
    return editing.same_event_candidates(get_connection(), json.loads(proposal_json))


model = state[P + "model"]
form_now = submitted()
proposal_now = editing.form_proposal(model, form_now)
proposal_json = json.dumps(proposal_now, default=str, sort_keys=True)
version = store.data_version(con)
st.subheader("What it will count as")
try:
    st.info(_explain(proposal_json, version))
except editing.Invalid as invalid:
    st.caption("Complete the form to see how it counts: " + str(invalid))

# --- one event, one incident: a new incident beside the ones it may record again -----
try:
    found = [] if incident_id else _candidates(proposal_json, version)
except editing.Invalid:
    found = []  # an incomplete form: proposed once it is complete
same_event = same_event_box(found, P + "same_event")

st.text_input("Note for the change log (why; a citation)", key=P + "note")
if st.button("Save incident", type="primary", key=P + "save"):
    state[P + "errors"] = {}
    note = state.get(P + "note") or None
    try:
        with writer(editor=editor) as wcon:
            if incident_id:
                fields, claims = editing.form_changes(model, form_now)
                editing.save_incident(wcon, incident_id, fields, claims, editor=editor, note=note)
                saved_id = incident_id
            else:
                new = {**proposal_now, "origin_id": state.get(P + "origin_id")}
                saved_id = editing.create_incident(
                    wcon, new, editor=editor, note=note, same_event=same_event
                )
    except editing.SameEventUndecided as undecided:
        state[P + "errors"] = {
            "same event": "decide first whether it is the same event as "
            + ", ".join(f"incident {c.incident_id}" for c in undecided.candidates[:5])
            + " (the box above Save)"
        }
        st.rerun()
    except editing.Invalid as invalid:
        state[P + "errors"] = invalid.errors
        st.rerun()
    state[P + "loaded"] = None  # reload from the store
    state[P + "saved"] = f"Saved incident {saved_id}."
    st.switch_page("app_pages/edit.py", query_params={"incident": str(saved_id)})

if incident_id:
    st.subheader("History of this incident")
    history_grid(editing.history_frame(con, incident_id))
    st.page_link("app_pages/history.py", label="The whole store's history, and revert")
