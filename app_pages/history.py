"""History: every change on record (who, when, which entity, old -> new, note); an
editor can revert any change, the latest import or demo removal included (the revert
is itself a change)."""

from __future__ import annotations

import streamlit as st

from app_pages._shared import current_editor, stop_page, url_params
from app_pages._tables import history_grid
from ceasefire import editing
from ceasefire.cache import get_connection, writer

st.title("History")
con = get_connection()
editor = current_editor()
url_incident = (url_params().get("incident") or [None])[-1]
incident_id = int(url_incident) if url_incident and url_incident.isdigit() else None
if "history_saved" in st.session_state:
    st.success(st.session_state.pop("history_saved"))
st.caption(
    "The store's change log: append-only, newest first. Each row is one changed field "
    "(or one created or deleted record). "
    + (f"Showing incident {incident_id} and its claims." if incident_id else "Every change.")
)
frame = editing.history_frame(con, incident_id)
if frame.empty:
    st.info("No changes are on record yet.")
    stop_page()
history_grid(frame)

if not editor:
    st.caption("Editors can revert a change here (sign in in the sidebar).")
    stop_page()
# imports and the demo removal too (the latest one, while nothing later stands);
# the revert of an import is not itself revertible (import the file again instead)
entries = {
    e["change_id"]: e
    for e in editing.history(con, incident_id)
    if not (e["entity"] == "import" and e["action"] == "revert")
}
if not entries:
    stop_page()


def revert_picked() -> None:
    pick = st.session_state.get("revert_pick")
    if pick is None:
        st.session_state["history_error"] = "Choose the change to revert."
        return
    change_id = int(pick)
    note = st.session_state.get("revert_note") or None
    try:
        with writer(editor=editor) as wcon:
            new = editing.revert(wcon, change_id, editor=editor, note=note)
    except ValueError as error:
        st.session_state["history_error"] = str(error)
    else:
        st.session_state["history_saved"] = f"Reverted change {change_id} (change {new})."
        # the next revert is a new decision: nothing of this one is carried over
        st.session_state["revert_pick"] = None
        st.session_state["revert_note"] = ""


with st.container(border=True):
    st.selectbox(
        "Change to revert",
        list(entries),
        index=None,
        placeholder="Choose a change",
        key="revert_pick",
        format_func=lambda c: editing.change_label(entries[c]),
    )
    st.text_input("Why (note for the log)", key="revert_note")
    st.button("Revert", key="revert_button", on_click=revert_picked)
    if "history_error" in st.session_state:
        st.error(st.session_state.pop("history_error"))
