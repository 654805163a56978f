"""The "possibly the same event" box of the incident editor and the Draft page: the
stored incidents a new one may record again, each with its claims, and the editor's
decision - link it (the same event, counted once) or mark it distinct with a note.
Nothing is chosen for the editor: the choice starts empty."""

from __future__ import annotations

import streamlit as st

from ceasefire import editing, incident_record

md = incident_record.md_escape


def same_event_box(found: list, key: str):
    """Show the candidates (``editing.same_event_candidates``) and return the editor's
    decision (``editing.Link`` or ``editing.Distinct``), None until one is chosen."""
    if not found:
        return None
    shown = found[: editing.SAME_EVENT_SHOWN]
    st.subheader("Possibly the same event")
    st.warning(
        f"The store holds {len(found)} incident{'s' if len(found) > 1 else ''} that may "
        "record this event (within a day, and within 5 km or at the same place, or citing "
        "the same source). If it is the same event, link the new incident to it: the "
        "event is then counted once and its page lists both records. Otherwise say why it "
        "is a distinct event."
        + (f" The nearest {len(shown)} are shown." if len(found) > len(shown) else "")
    )
    for c in shown:
        title, lines = incident_record.candidate_text(c)
        with st.container(border=True, key=f"{key}_candidate_{c.incident_id}"):
            st.markdown(f"**{md(title)}**")
            st.caption(md(c.why))
            st.markdown("\n".join(f"- {md(line)}" for line in lines))
    ids = [c.incident_id for c in shown]
    pick = st.radio(
        "The new incident is",
        [*ids, "distinct"],
        index=None,
        key=f"{key}_pick",
        format_func=lambda v: (
            "a distinct event (say why below)"
            if v == "distinct"
            else f"the same event as incident {v} (link it: counted once)"
        ),
    )
    if pick == "distinct":
        note = st.text_input("Why it is a distinct event (for the change log)", key=f"{key}_note")
        return editing.Distinct(note or "", seen=tuple(ids))
    return None if pick is None else editing.Link(int(pick))
