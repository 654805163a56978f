"""About the rules: the alleged-violation rule, the agreements and the vocabularies."""

import pandas as pd
import streamlit as st

from ceasefire import actors, counting, derive, taxonomy
from ceasefire.agreements import list_agreements
from ceasefire.cache import get_connection
from pages._shared import carry_view, ensure_navigation

ensure_navigation()
carry_view()  # the session's view stays in the address

st.title("How the tracker counts")
st.markdown(derive.RULES)
st.subheader("Who did it: roles and the tracker's inference rules")
st.markdown(
    "Each claim gives its actor a role. Datasets are read by their codebooks: ACLED says "
    "*Actor 1 and Actor 2 do not imply directionality (e.g. attacker or defender)*, so its "
    "Battles give one **party** claim per actor; UCDP GED's state-based and non-state "
    "events (types 1 and 2) give party claims for both sides and its one-sided events "
    "(type 3) keep `side_a` as **perpetrator**; Airwars' belligerents and hand-coded "
    "claims are perpetrators. " + counting.CLASH_RULE
)
st.dataframe(
    pd.DataFrame(list(taxonomy.CLAIM_ROLES.items()), columns=["role", "meaning"]),
    hide_index=True,
    width="stretch",
)
st.markdown(
    "Where the tracker infers a perpetrator the source does not name, the claim says "
    "`inferred` and names its rule; the sidebar's **Leave out inferred attributions** "
    "counts only what sources state."
)
st.dataframe(
    pd.DataFrame(list(taxonomy.ATTRIBUTION_RULES.items()), columns=["rule", "what it does"]),
    hide_index=True,
    width="stretch",
)
st.subheader("Actor names by rule")
st.markdown(actors.__doc__.split("Names by rule, not by list", 1)[1].split("\n", 2)[2])
patterns = pd.read_csv(actors.PATTERNS_CSV)
st.dataframe(patterns, hide_index=True, width="stretch")
st.markdown(
    "An incident whose only named actors await review is not counted as an alleged "
    "violation; every view says how many such incidents it holds "
    '("N incidents in this view name only actors awaiting review and are not counted '
    'as alleged violations").'
)
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
    ("Tally kinds (what the parties counted)", taxonomy.TALLY_KINDS),
):
    st.subheader(title)
    st.dataframe(
        pd.DataFrame(list(vocabulary.items()), columns=["value", "meaning"]),
        hide_index=True,
        width="stretch",
    )
