"""Import (placeholder until the importers land)."""

import streamlit as st

st.title("Import data")
st.info("Importers are being added; use the CLI meanwhile.")
