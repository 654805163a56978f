"""Ceasefire-violation tracker: the Streamlit entry point (navigation only).

Run with ``streamlit run app.py``; the store is $CEASEFIRE_DB or data/ceasefire.duckdb,
created and filled with the seed and demo data on first run.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

st.set_page_config(page_title="Ceasefire tracker", layout="wide")

# The default page is served at /; Streamlit still wants a unique url_path for it,
# which is never shown ("overview" is kept for the alias below).
OVERVIEW = st.Page("pages/overview.py", title="Overview", url_path="home", default=True)


def overview_alias() -> None:
    """/overview: the Overview is the default page, so its address is /. A typed or
    older link to /overview lands there, query string (the view) included, instead of
    on Streamlit's "page not found"."""
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    st.switch_page(OVERVIEW, query_params=params)


# Each page's file is named after its address (pages/draft.py serves /draft): on a
# server's very first request Streamlit treats pages/ as an old-style multipage folder
# whose addresses are the file names, before this navigation has run once; an address
# without a file of that name then showed "Page not found" (pages/_shared.py,
# ensure_navigation).
PAGES = [
    OVERVIEW,
    st.Page(overview_alias, title="Overview", url_path="overview", visibility="hidden"),
    st.Page("pages/incidents.py", title="Incidents", url_path="incidents"),
    st.Page("pages/compare.py", title="Compare periods", url_path="compare"),
    st.Page("pages/changes.py", title="What changed", url_path="changes"),
    st.Page("pages/tallies.py", title="What the parties counted", url_path="tallies"),
    st.Page("pages/import.py", title="Import", url_path="import"),
    st.Page("pages/draft.py", title="Draft from article", url_path="draft"),
    st.Page("pages/edit.py", title="New / edit incident", url_path="edit"),
    st.Page("pages/actors.py", title="Actors & sources", url_path="actors"),
    st.Page("pages/history.py", title="History", url_path="history"),
    st.Page("pages/about.py", title="About the rules", url_path="about"),
]

# The sidebar's page links are the app's own (pages/_shared.py, "The address is the view"):
# Streamlit's drop the query string, so a click landed on an address without the view.
navigation = st.navigation(PAGES, position="hidden")
from pages._shared import accessible_style, editor_panel, run_page  # noqa: E402  (after sys.path)

accessible_style()
links = st.sidebar.container(key="page_links")  # filled at the end of the run
editor_panel()
# the page, then its address, the page links and the end-of-run marker
run_page(navigation, [page for page in PAGES if page.url_path != "overview"], links)
