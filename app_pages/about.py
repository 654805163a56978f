"""About the rules: the alleged-violation rule, the agreements and the vocabularies, in
words a reader follows without the code (no table, field or module names)."""

import pandas as pd
import streamlit as st

from app_pages._shared import carry_view
from ceasefire import actors, geo, taxonomy
from ceasefire.agreements import list_agreements
from ceasefire.analysis import counting
from ceasefire.cache import get_connection
from ceasefire.incident_record import md_escape
from ceasefire.tables import derive

carry_view()  # the session's view stays in the address


def table(rows, headers: list[str]) -> None:
    """A table of text that wraps (no cell is cut at any width), its cells shown as
    written (escaped for the table's Markdown)."""
    st.table(pd.DataFrame(list(rows), columns=headers).map(md_escape), hide_index=True)


st.title("How the tracker counts")
st.markdown(derive.RULES)
st.subheader("Who did it: roles and the tracker's inference rules")
st.markdown(
    "Each claim gives its actor a role. Datasets are read by their codebooks: ACLED says "
    "*Actor 1 and Actor 2 do not imply directionality (e.g. attacker or defender)*, so its "
    "battles give one **party** claim per actor; UCDP GED's state-based and non-state "
    "events (types 1 and 2) give party claims for both sides, and its one-sided events "
    "(type 3) keep their first side as the **perpetrator**; Airwars' belligerents and "
    "hand-coded claims are perpetrators. " + counting.CLASH_RULE
)
table(taxonomy.CLAIM_ROLES.items(), ["Role", "Meaning"])
st.markdown(
    "Where a source names no perpetrator, the tracker may infer one by one of the rules "
    "below; such a claim says it is *inferred* and names its rule, and the sidebar's "
    "**Leave out inferred attributions** counts only what sources state."
)
table(taxonomy.ATTRIBUTION_RULES.items(), ["Rule (as a claim names it)", "What it does"])

st.subheader("Actor names by rule")
st.markdown(
    "State forces come in many units: ACLED writes *Military Forces of Syria (2000-) 4th "
    "Armored Division* or *Police Forces of Syria (2000-) State Security*, UCDP "
    "*Government of Syria*. Listing every unit as an alias would leave the next unknown "
    "unit flagged for review, and an incident blamed on it uncounted. So names that no "
    "alias matches are also matched against the patterns below (regular expressions): "
    "any unit of a state's military or police forces, and its government, count as that "
    "state's actor, are never flagged for review, and the name is kept as an alias. "
    "Names are compared ignoring case, spacing and punctuation: *HTS: Hayat Tahrir "
    "al-Sham*, *hts hayat tahrir al sham* and *HTS - Hayat Tahrir al Sham* are one name."
)
patterns = pd.read_csv(actors.PATTERNS_CSV)
table(
    patterns[["pattern", "actor", "explains"]].itertuples(index=False),
    ["Pattern (a regular expression)", "Actor", "What it covers"],
)
st.markdown(
    "An incident whose only named actors await review is not counted as an alleged "
    "violation; every view says how many such incidents it holds "
    '("N incidents in this view name only actors awaiting review and are not counted '
    'as alleged violations").'
)

st.subheader("Agreements")
area: dict[str, list[str]] = {}
for governorate, district in geo.agreement_area():
    area.setdefault(governorate, []).append(district or "")
st.markdown(
    "The area the rule's **where** applies (the same for the three agreements): "
    + "; ".join(
        f"{md_escape(g)} governorate"
        + (
            " (all of it)"
            if "" in districts
            else f": {', '.join(md_escape(d) for d in districts)} districts"
        )
        for g, districts in area.items()
    )
    + "."
)
for a in list_agreements(get_connection()):
    with st.expander(f"{a.name} — signed {a.signed_on:%d %b %Y}"):
        until = f" to {a.in_force_to:%d %b %Y}" if a.in_force_to else " (no end date)"
        lines = [
            f"**In force:** from {a.in_force_from:%d %b %Y, %H:%M}{until}",
            f"**Parties:** {md_escape(', '.join(a.parties))}",
            f"**Sides bound:** {md_escape(', '.join(a.bound_sides))}",
            f"**Area:** {md_escape(a.area)}",
            f"**Citation:** {md_escape(a.citation)}",
            "**Milestones:** "
            + "; ".join(f"{d:%d %b %Y}: {md_escape(label)}" for d, label in a.milestones),
        ]
        st.markdown("\n".join(f"- {line}" for line in lines))
for title, vocabulary in (
    ("Target types", taxonomy.TARGET_TYPES),
    ("Weapons", taxonomy.WEAPONS),
    ("Verification statuses", taxonomy.VERIFICATION_STATUSES),
    ("Sides", taxonomy.SIDES),
    ("Tally kinds (what the parties counted)", taxonomy.TALLY_KINDS),
):
    st.subheader(title)
    table(vocabulary.items(), ["Value", "Meaning"])
