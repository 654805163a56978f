"""Actors & sources: the canonical actors, their aliases and sides, and the sources."""

import streamlit as st

from ceasefire.actors import actor_table
from ceasefire.cache import get_connection
from ceasefire.queries import source_table
from pages._shared import ensure_navigation

ensure_navigation()

st.title("Actors and sources")
con = get_connection()
actors = actor_table(con)
flagged = int(actors.needs_review.sum())
if flagged:
    st.warning(
        f"{flagged} actor names came from imports and match no known alias; they are "
        "kept (side 'other') and flagged for review. Add them as aliases in "
        "data/actors.csv to merge them."
    )
st.subheader("Actors")
st.dataframe(actors, hide_index=True, width="stretch")
st.subheader("Sources")
st.dataframe(
    source_table(con),
    hide_index=True,
    width="stretch",
    column_config={"url": st.column_config.LinkColumn("url")},
)
