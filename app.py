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
OVERVIEW = st.Page("app_pages/overview.py", title="Overview", url_path="home", default=True)


def overview_alias() -> None:
    """/overview: the Overview is the default page, so its address is /. A typed or
    older link to /overview lands there, query string (the view) included, instead of
    on Streamlit's "page not found"."""
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    st.switch_page(OVERVIEW, query_params=params)


# Each page's file is named after its address (app_pages/draft.py serves /draft). The
# folder is not called pages/: Streamlit takes a folder of that name beside app.py for an
# old-style multipage app on a server's first request, before this navigation has run
# (a shared link then ran the page alone, or showed "Page not found").
PAGES = [
    OVERVIEW,
    st.Page(overview_alias, title="Overview", url_path="overview", visibility="hidden"),
    st.Page("app_pages/incidents.py", title="Incidents", url_path="incidents"),
    st.Page("app_pages/compare.py", title="Compare periods", url_path="compare"),
    st.Page("app_pages/changes.py", title="What changed", url_path="changes"),
    st.Page("app_pages/tallies.py", title="What the parties counted", url_path="tallies"),
    st.Page("app_pages/import.py", title="Import", url_path="import"),
    st.Page("app_pages/draft.py", title="Draft from article", url_path="draft"),
    st.Page("app_pages/edit.py", title="New / edit incident", url_path="edit"),
    st.Page("app_pages/actors.py", title="Actors & sources", url_path="actors"),
    st.Page("app_pages/history.py", title="History", url_path="history"),
    st.Page("app_pages/about.py", title="About the rules", url_path="about"),
]

# The sidebar's page links are the app's own (app_pages/_shared.py, "The address is the view"):
# Streamlit's drop the query string, so a click landed on an address without the view.
navigation = st.navigation(PAGES, position="hidden")
from app_pages._shared import accessible_style, editor_panel, run_page  # noqa: E402  (after sys.path)

accessible_style()
links = st.sidebar.container(key="page_links")  # filled at the end of the run
editor_panel()
# the page, then its address, the page links and the end-of-run marker
run_page(navigation, [page for page in PAGES if page.url_path != "overview"], links)
