"""Incidents: the filtered incidents as a sortable table; pick one to see its claims."""

import streamlit as st

from ceasefire.cache import cached_incidents, get_connection
from ceasefire.queries import incident_claims, incident_detail
from pages._shared import (
    demo_banner,
    ensure_navigation,
    filter_sidebar,
    range_text,
    set_url,
    url_params,
)

ensure_navigation()

ORDERS = {"date": "Newest first", "killed": "Most killed (upper figure)", "claims": "Most claims"}
LIMIT = 1000

st.title("Incidents")
demo_banner()
f = filter_sidebar()
order = st.selectbox("Order", list(ORDERS), format_func=ORDERS.get, key="order")
table = cached_incidents(f, LIMIT, order)
st.caption(
    f"{f.describe()} {f.attribution_text()} Showing up to {LIMIT:,} rows; "
    "click a column header to sort what is shown."
)
if table.empty:
    st.info("No incidents match these filters.")
    set_url(f)
    st.stop()

picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="incident_table",
    column_config={
        "is_disputed": st.column_config.CheckboxColumn("disputed"),
        "occurred_on": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
    },
)
rows = picked.selection.rows if picked and picked.selection else []
url_incident = (url_params().get("incident") or [None])[-1]
incident_id = (
    int(table.iloc[rows[0]].incident_id)
    if rows
    else (int(url_incident) if url_incident and url_incident.isdigit() else None)
)
set_url(f, incident=str(incident_id) if incident_id else "")
if incident_id is None:
    st.info("Select a row to see every claim about that incident side by side.")
    st.stop()

con = get_connection()
detail = incident_detail(con, incident_id)
if detail is None:
    st.warning(f"Incident {incident_id} is not in the store.")
    st.stop()
st.subheader(f"{detail['place_name'] or 'Unknown place'}, {detail['occurred_on']:%d %b %Y}")
st.text(detail["description"] or "")
cols = st.columns(4)
cols[0].metric("Weapon", detail["weapon"])
cols[1].metric("Target", detail["target_type"])
cols[2].metric(
    "Verification", detail["verification"] + (" (disputed)" if detail["is_disputed"] else "")
)
cols[3].metric("Origins", ", ".join(detail["origins"] or []))
claims = incident_claims(con, incident_id)
claims["killed"] = [
    range_text(a, b) for a, b in zip(claims.killed_min, claims.killed_max, strict=True)
]
claims["wounded"] = [
    range_text(a, b) for a, b in zip(claims.wounded_min, claims.wounded_max, strict=True)
]
st.markdown(f"**{len(claims)} claims**, side by side:")
st.dataframe(
    claims[
        [
            "source",
            "source_affiliation",
            "alleged_actor",
            "killed",
            "wounded",
            "civilians_killed_min",
            "civilians_killed_max",
            "quote",
            "published_on",
            "source_url",
            "origin",
            "origin_id",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={"source_url": st.column_config.LinkColumn("link")},
)
