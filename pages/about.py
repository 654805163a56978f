"""About the rules: the alleged-violation rule, the agreements and the vocabularies."""

import pandas as pd
import streamlit as st

from ceasefire import derive, taxonomy
from ceasefire.agreements import list_agreements
from ceasefire.cache import get_connection
from pages._shared import carry_view, ensure_navigation

ensure_navigation()
carry_view()  # the session's view stays in the address

st.title("How the tracker counts")
st.markdown(derive.RULES)
st.subheader("Agreements")
for a in list_agreements(get_connection()):
    with st.expander(f"{a.name} — signed {a.signed_on:%d %b %Y}"):
        st.text(
            f"In force from {a.in_force_from:%d %b %Y %H:%M}"
            + (f" to {a.in_force_to:%d %b %Y}" if a.in_force_to else " (no end date)")
            + f"\nParties: {', '.join(a.parties)}\nSides bound: {', '.join(a.bound_sides)}"
            + f"\nArea: {a.area}\nCitation: {a.citation}\nMilestones:\n"
            + "\n".join(f"  {d:%d %b %Y}: {label}" for d, label in a.milestones)
        )
for title, vocabulary in (
    ("Target types", taxonomy.TARGET_TYPES),
    ("Weapons", taxonomy.WEAPONS),
    ("Verification statuses", taxonomy.VERIFICATION_STATUSES),
    ("Sides", taxonomy.SIDES),
):
    st.subheader(title)
    st.dataframe(
        pd.DataFrame(list(vocabulary.items()), columns=["value", "meaning"]),
        hide_index=True,
        width="stretch",
    )
