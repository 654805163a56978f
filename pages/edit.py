"""Incident editor: code a new incident or correct one, with any number of claims.

Widgets only: validation, the counting rule and the write are ``ceasefire.editing``.
Open it empty (``/edit``), on an incident (``/edit?incident=ID``), or prefilled with a
proposal: put the dict in ``st.session_state[editing.PROPOSAL_KEY]`` and
``st.switch_page("pages/edit.py")`` (the contract is in editing.py's
docstring; article drafts use it).
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from ceasefire import editing, gazetteer, pickmap, queries, store, taxonomy
from ceasefire.cache import get_connection, writer
from pages._shared import current_editor, ensure_navigation, stop_page, url_params

ensure_navigation()

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


def _figure_state(prefix: str, lo, hi, qualifier=None) -> dict:
    """A stored min/max as the qualifier the source used (stored with the claim), or,
    for a claim without one, as the qualifier a source would use (lossless)."""
    number = editing.source_number(qualifier, lo, hi)
    if qualifier and (number is not None or qualifier == "dozens"):
        low, high = editing.qualified_figure(qualifier, number or 0)
        if (low, high) == (lo, hi):
            return {
                f"{prefix}_q": qualifier,
                f"{prefix}_n": number,
                f"{prefix}_min": lo,
                f"{prefix}_max": hi,
            }
    if lo is None and hi is None:
        return {
            f"{prefix}_q": "",
            f"{prefix}_n": None,
            f"{prefix}_min": None,
            f"{prefix}_max": None,
        }
    if lo is not None and hi is not None and lo == hi:
        q, n = "exactly", lo
    elif hi is None:
        q, n = "at least", lo
    elif lo is None:
        q, n = "up to", hi
    else:
        q, n = "range", None
    return {f"{prefix}_q": q, f"{prefix}_n": n, f"{prefix}_min": lo, f"{prefix}_max": hi}


def _claim_state(slot: int, c: dict) -> dict:
    k = f"{P}c{slot}_"
    state = {
        k + "claim_id": c.get("claim_id"),
        k + "source": c.get("source_name") or "",
        k + "new_source": "",
        k + "kind": c.get("source_kind") or "media",
        k + "affiliation": c.get("source_affiliation") or "unknown",
        k + "url": c.get("source_url") or "",
        k + "role": c.get("role") or "perpetrator",
        k + "actor": c.get("alleged_actor") or "",
        k + "new_actor": "",
        k + "quote": c.get("quote") or "",
        k + "published_on": _date(c.get("published_on")),
        k + "link": c.get("url") or "",
    }
    for fig in FIGURES:
        state.update(
            _figure_state(
                k + fig, c.get(f"{fig}_min"), c.get(f"{fig}_max"), c.get(f"{fig}_qualifier")
            )
        )
    return state


def _date(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def load(fields: dict, claims: list[dict], note: str | None, what: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(P)]:
        del st.session_state[key]
    for field in editing.INCIDENT_FIELDS:
        value = fields.get(field)
        st.session_state[P + field] = _date(value) if field == "occurred_on" else value
    for field, default in (
        ("date_precision", "day"),
        ("location_precision", "unknown"),
        ("target_type", "unknown"),
        ("verification", "reported"),
    ):
        st.session_state[P + field] = st.session_state.get(P + field) or default
    for field in ("place_name", "governorate", "district", "description"):
        st.session_state[P + field] = st.session_state.get(P + field) or ""
    st.session_state[P + "slots"] = list(range(len(claims)))
    st.session_state[P + "next_slot"] = len(claims)
    for slot, c in enumerate(claims):
        st.session_state.update(_claim_state(slot, c))
    st.session_state[P + "note"] = note or ""
    st.session_state[P + "loaded"] = what


saved_message = st.session_state.pop(P + "saved", None)  # survives the reload below
proposal = st.session_state.pop(editing.PROPOSAL_KEY, None)
wanted = f"incident {incident_id}" if incident_id else "new"
loaded = st.session_state.get(P + "loaded")
if proposal is not None:
    fields, claims, spans = editing.read_proposal(proposal)
    load(fields, claims, fields.get("note"), "proposal")
    st.session_state[P + "origin_id"] = fields.get("origin_id")
elif loaded != wanted and not (loaded == "proposal" and not incident_id):
    if incident_id:
        found = queries.incident_for_editing(con, incident_id)
        if found is None:
            st.warning(f"Incident {incident_id} is not in the store.")
            stop_page()
        fields, claims = found
        load(fields, claims, None, wanted)
    else:
        load({}, [{}], None, wanted)

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

sources = queries.source_names(con)
actors = queries.actor_names(con)

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
p1, p2, p3 = st.columns(3)
p1.text_input("Place name", key=P + "place_name")
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

w1, w2, w3 = st.columns(3)
w1.selectbox("Weapon", [None, *taxonomy.WEAPONS], key=P + "weapon", format_func=lambda v: v or "-")
w2.selectbox("Target type", list(taxonomy.TARGET_TYPES), key=P + "target_type")
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
    state.update(_claim_state(slot, {}))


for i, slot in enumerate(state[P + "slots"]):
    k = f"{P}c{slot}_"
    title = f"Claim {i + 1}: {state.get(k + 'source') or state.get(k + 'new_source') or 'source?'}"
    with st.container(border=True, key=f"claim_{i}"):
        st.markdown(f"**{title}**")
        a, b = st.columns(2)
        options = ["", *sources, NEW]
        if state.get(k + "source") not in options:
            # a source the registry does not know yet (a proposal's): added on save
            state[k + "new_source"] = state.get(k + "source") or ""
            state[k + "source"] = NEW
        a.selectbox("Source", options, key=k + "source", format_func=lambda v: v or "-")
        if state.get(k + "source") == NEW:
            n1, n2, n3, n4 = st.columns(4)
            n1.text_input("New source: name", key=k + "new_source")
            n2.selectbox("Kind", taxonomy.SOURCE_KINDS, key=k + "kind")
            n3.selectbox("Affiliation", taxonomy.AFFILIATIONS, key=k + "affiliation")
            n4.text_input("URL", key=k + "url")
        b.radio("Role", list(taxonomy.CLAIM_ROLES), key=k + "role", horizontal=True)
        a2, b2 = st.columns(2)
        actor_options = ["", *actors, NEW]
        if state.get(k + "actor") not in actor_options:
            state[k + "new_actor"] = state.get(k + "actor") or ""
            state[k + "actor"] = NEW
        a2.selectbox(
            "Alleged actor",
            actor_options,
            key=k + "actor",
            format_func=lambda v: v or "-",
            help="A canonical actor, or a new name (it goes to the Actors page's review queue)",
        )
        if state.get(k + "actor") == NEW:
            b2.text_input("New actor name (as the source wrote it)", key=k + "new_actor")
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
        d1, d2, d3 = st.columns([1, 2, 1], vertical_alignment="bottom")
        d1.date_input("Published on", key=k + "published_on", format="YYYY-MM-DD")
        d2.text_input(
            "Link to this claim's report",
            key=k + "link",
            placeholder="https://…",
            help="The article or post this claim comes from (http or https)",
        )
        d3.button("Remove this claim", key=k + "remove", on_click=remove_claim, args=(slot,))
        for key, message in state.get(P + "errors", {}).items():
            if key.startswith(f"claims[{i}]."):
                st.error(f"{key.split('.', 1)[1]}: {message}")

st.button("Add a claim", key=P + "add_claim", on_click=add_claim)


# --- what it will count as, and save ------------------------------------------------


def form_claims() -> list[dict]:
    out = []
    for slot in state[P + "slots"]:
        k = f"{P}c{slot}_"
        new_source = state.get(k + "source") == NEW
        claim = {
            "claim_id": state.get(k + "claim_id"),
            "source_name": state.get(k + "new_source") if new_source else state.get(k + "source"),
            "alleged_actor": state.get(k + "new_actor")
            if state.get(k + "actor") == NEW
            else state.get(k + "actor"),
            "role": state.get(k + "role"),
            "quote": state.get(k + "quote"),
            "published_on": state.get(k + "published_on"),
            "url": state.get(k + "link"),
        }
        if new_source:
            claim.update(
                source_kind=state.get(k + "kind"),
                source_affiliation=state.get(k + "affiliation"),
                source_url=state.get(k + "url"),
            )
        for fig in FIGURES:
            f = k + fig
            q = state.get(f + "_q")
            if q == "range":
                claim[f"{fig}_min"], claim[f"{fig}_max"] = (
                    state.get(f + "_min"),
                    state.get(f + "_max"),
                )
            elif q:
                claim[f"{fig}_qualifier"], claim[f"{fig}_figure"] = q, state.get(f + "_n")
            else:
                claim[f"{fig}_min"] = claim[f"{fig}_max"] = None
        out.append(claim)
    return out


def form_fields() -> dict:
    return {
        field: state.get(P + field)
        for field in editing.INCIDENT_FIELDS
        if not field.endswith("pcode")
    }


@st.cache_data(show_spinner=False, max_entries=32)
def _explain(proposal_json: str, version: str) -> str:
    return editing.explain_counting(get_connection(), json.loads(proposal_json))


proposal_now = {**form_fields(), "claims": form_claims()}
st.subheader("What it will count as")
try:
    version = store.data_version(con)
    st.info(_explain(json.dumps(proposal_now, default=str, sort_keys=True), version))
except editing.Invalid as invalid:
    st.caption("Complete the form to see how it counts: " + str(invalid))

st.text_input("Note for the change log (why; a citation)", key=P + "note")
if st.button("Save incident", type="primary", key=P + "save"):
    state[P + "errors"] = {}
    note = state.get(P + "note") or None
    try:
        with writer(editor=editor) as wcon:
            if incident_id:
                editing.save_incident(
                    wcon, incident_id, form_fields(), form_claims(), editor=editor, note=note
                )
                saved_id = incident_id
            else:
                new = {**proposal_now, "origin_id": state.get(P + "origin_id")}
                for c in new["claims"]:
                    c.pop("claim_id", None)
                saved_id = editing.create_incident(wcon, new, editor=editor, note=note)
    except editing.Invalid as invalid:
        state[P + "errors"] = invalid.errors
        st.rerun()
    state[P + "loaded"] = None  # reload from the store
    state[P + "saved"] = f"Saved incident {saved_id}."
    st.switch_page("pages/edit.py", query_params={"incident": str(saved_id)})

if incident_id:
    st.subheader("History of this incident")
    st.dataframe(editing.history_frame(con, incident_id), hide_index=True, width="stretch")
    st.page_link("pages/history.py", label="The whole store's history, and revert")
