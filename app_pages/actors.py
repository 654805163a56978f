"""Actors & sources: the review queue (assign a side, or merge into an actor as an
alias, with a note; undoable), the canonical actors with aliases and sides, and the
source registry."""

import streamlit as st

from app_pages._shared import carry_view, current_editor
from app_pages._tables import grid_columns
from ceasefire import editing, taxonomy
from ceasefire.actors import actor_table
from ceasefire.cache import cached_read, get_connection, writer
from ceasefire.incident_record import md_escape
from ceasefire.queries import source_table

carry_view()  # the session's view stays in the address

st.title("Actors and sources")
con = get_connection()
editor = current_editor()
if "actors_saved" in st.session_state:
    st.success(st.session_state.pop("actors_saved"))
actors = actor_table(con)
queue = editing.review_queue(con)

st.subheader(f"Awaiting review ({len(queue)})")
if queue.empty:
    st.success("No actor awaits review.")
else:
    st.caption(
        "Names from imports or claims that match no known actor. They are kept on side "
        "'other', so incidents they alone are blamed for do not count as alleged "
        "violations until an editor decides: assign a side, or merge the name into an "
        "existing actor (it becomes an alias). Every decision is logged and can be undone."
    )
    shown = queue.drop(columns=["actor_id"])
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=grid_columns(
            shown,
            {
                "name": "Name as sources write it",
                "side": "Side until decided",
                "incidents": "Incidents",
                "claims": "Claims",
                "examples": "Latest incidents naming it",
            },
        ),
    )


def decide(action: str) -> None:
    name, note = st.session_state["review_name"], (st.session_state["review_note"] or "").strip()
    chosen = st.session_state.get("review_side" if action == "side" else "review_into")
    if chosen is None:
        st.session_state["actors_error"] = (
            "Choose the side first." if action == "side" else "Choose the actor to merge into."
        )
        return
    if not note:
        st.session_state["actors_error"] = "Give a note: the source or reasoning for the judgment."
        return
    try:
        with writer(editor=editor) as wcon:
            if action == "side":
                side = st.session_state["review_side"]
                change = editing.set_actor_side(wcon, name, side, editor=editor, note=note)
                message = f"{name}: side set to {side!r} (change {change})."
            else:
                into = st.session_state["review_into"]
                change = editing.merge_actor(wcon, name, into, editor=editor, note=note)
                message = f"{name} is now an alias of {into} (change {change})."
    except ValueError as error:
        st.session_state["actors_error"] = str(error)
        return
    st.session_state["actors_saved"] = message
    # the next decision starts empty: no side, target or note carried over
    for key, empty in (("review_side", None), ("review_into", None), ("review_note", "")):
        st.session_state[key] = empty


def undo(editor: str) -> None:
    if st.session_state.get("undo_pick") is None:
        st.session_state["undo_error"] = "Choose the decision to undo."
        return
    pick = int(st.session_state["undo_pick"])
    try:
        with writer(editor=editor) as wcon:
            editing.revert(wcon, pick, editor=editor, note="undone on the Actors page")
    except ValueError as error:
        st.session_state["undo_error"] = str(error)
        return
    st.session_state["actors_saved"] = f"Decision {pick} undone."
    st.session_state["undo_pick"] = None


if editor and not queue.empty:
    with st.container(border=True):
        st.markdown("**Decide**")
        st.selectbox("Actor awaiting review", queue.name.tolist(), key="review_name")
        canonical = actors[~actors.needs_review].name.tolist()
        a, b = st.columns(2)
        # a side and a merge target are judgments: nothing is chosen for the editor
        a.selectbox(
            "Side", list(taxonomy.SIDES), index=None, placeholder="Choose a side", key="review_side"
        )
        b.selectbox(
            "Or merge into",
            canonical,
            index=None,
            placeholder="Choose an actor",
            key="review_into",
        )
        st.text_input("Note (a citation for the judgment)", key="review_note")
        x, y = st.columns(2)
        x.button("Assign side", key="review_assign", on_click=decide, args=("side",))
        y.button("Merge", key="review_merge", on_click=decide, args=("merge",))
        if "actors_error" in st.session_state:
            st.error(st.session_state.pop("actors_error"))

if editor:
    decisions = [
        e
        for e in editing.history(con, limit=200)
        if e["entity"] == "actor" and e["action"] in ("set-side", "merge") and not e["reverts"]
    ][:10]
    undone = {e["reverts"] for e in editing.history(con, limit=500) if e["reverts"]}
    decisions = [d for d in decisions if d["change_id"] not in undone]
    if decisions:
        with st.expander("Undo a decision"):
            st.selectbox(
                "Decision",
                [d["change_id"] for d in decisions],
                index=None,
                placeholder="Choose a decision",
                format_func=lambda c: next(
                    editing.change_label(d) for d in decisions if d["change_id"] == c
                ),
                key="undo_pick",
            )
            st.button("Undo", key="undo_decision", on_click=undo, args=(editor,))
            if "undo_error" in st.session_state:
                st.error(st.session_state.pop("undo_error"))

st.subheader("Actors")
# a table that wraps: an actor's other names run long (a state's units, in every
# dataset's spelling), and a grid cut them at its column's edge
st.table(
    actors.assign(
        needs_review=actors.needs_review.map({True: "yes", False: ""}),
        aliases=actors.aliases.fillna(""),
    )
    .drop(columns=["actor_id"])
    .rename(
        columns={
            "name": "Actor",
            "side": "Side",
            "needs_review": "Awaiting review",
            "aliases": "Other names it is known by",
        }
    )
    .map(md_escape),
    hide_index=True,
)
st.subheader("Sources")
sources = cached_read(source_table)
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_config=grid_columns(
        sources,
        {
            "name": "Source",
            "kind": "Kind",
            "affiliation": "Affiliation",
            "url": st.column_config.LinkColumn("Address"),
            "claims": "Claims",
        },
    ),
)
if editor:
    with st.expander("Add a source to the registry"), st.form("add_source", clear_on_submit=True):
        name = st.text_input("Name")
        kind = st.selectbox("Kind", taxonomy.SOURCE_KINDS)
        affiliation = st.selectbox(
            "Affiliation", taxonomy.AFFILIATIONS, index=len(taxonomy.AFFILIATIONS) - 1
        )
        url = st.text_input("URL")
        if st.form_submit_button("Add source"):
            try:
                with writer(editor=editor) as wcon:
                    editing.add_source(
                        wcon,
                        name,
                        kind=kind,
                        affiliation=affiliation,
                        url=url or None,
                        editor=editor,
                    )
            except editing.Invalid as invalid:
                st.error(str(invalid))
            else:
                st.session_state["actors_saved"] = f"Added {name!r} to the sources."
                st.rerun()
