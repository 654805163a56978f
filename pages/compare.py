"""Compare periods: the same counts before and after an agreement entered into force."""

import streamlit as st

from ceasefire import export
from ceasefire.cache import get_connection
from ceasefire.figures import compare_view
from ceasefire.filters import agreement_names
from pages._downloads import figure_downloads, table_downloads
from pages._shared import demo_banner, ensure_navigation, filter_sidebar, set_url, url_params

ensure_navigation()

st.title("Before and after each agreement")
demo_banner()
f = filter_sidebar()
names = agreement_names()
params = url_params()
if "compare_agreement" not in st.session_state:
    wanted = (params.get("compare") or [""])[-1]
    st.session_state["compare_agreement"] = wanted if wanted in names else list(names)[-1]
if "compare_days" not in st.session_state:
    days = (params.get("days") or ["90"])[-1]
    st.session_state["compare_days"] = int(days) if days.isdigit() and 7 <= int(days) <= 730 else 90
agreement = st.selectbox("Agreement", list(names), format_func=names.get, key="compare_agreement")
days = st.slider("Days on each side", 7, 730, key="compare_days")
set_url(f, compare=agreement, days=str(days))
st.caption(
    "Counts incidents in the same number of days before and after the agreement entered into "
    "force, under the sidebar's other filters (its date range and agreement are ignored here). "
    "Alleged violations are of this agreement, so 'before' has none by definition."
)
frame, prov, fig = compare_view(get_connection(), f, agreement, days)
st.plotly_chart(fig, width="stretch", key="chart_compare", theme=None)
slug = export.view_slug(f.to_query_params(), agreement, f"{days}-days")
figure_downloads(fig, "compare", prov, "Comparison", slug)
st.dataframe(frame, hide_index=True)
table_downloads(
    lambda fmt: export.table_bytes(frame, prov, fmt, sheet="compare"),
    "compare-table",
    prov,
    label="Comparison table",
    slug=slug,
)
