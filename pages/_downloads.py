"""Download buttons for figures and tables (widgets only; the bytes come from the core).

Rendering a figure takes Chromium about a second, so nothing is rendered until a button
is clicked: each button gets a callable (``st.download_button(data=callable)``), and
clicking it neither reruns the page nor slows it down.

Each button's text names what it downloads and in which format ("Timeline as PDF"),
so a screen reader listing the page's buttons tells them apart; no icon is drawn
(Streamlit's icons are words a screen reader would read out). File names carry a slug
of the view (``export.view_slug``) and the data version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from ceasefire import export
from ceasefire.provenance import Provenance

LABELS = {
    "png": "PNG (300 dpi)",
    "svg": "SVG",
    "pdf": "PDF",
    "csv": "CSV (ZIP with datapackage.json)",
    "xlsx": "XLSX",
    "parquet": "Parquet",
}


def figure_downloads(
    fig: go.Figure, stem: str, prov: Provenance, what: str = "Figure", slug: str = ""
) -> None:
    """PNG, SVG and PDF of one figure, with its title, filters and provenance on it.

    ``what``: the figure's short name on the buttons ("Timeline as PNG (300 dpi)")."""
    export.warm_renderer()  # the first click should not wait for the browser to start
    row = st.container(horizontal=True, key=f"downloads_{stem}")
    for fmt in export.STATIC_FORMATS:
        row.download_button(
            f"{what} as {LABELS[fmt]}",
            data=partial(export.figure_bytes, fig, fmt),
            file_name=export.file_name(stem, prov, fmt, slug),
            mime=export.FIGURE_FORMATS[fmt],
            key=f"dl_{stem}_{fmt}",
            on_click="ignore",
        )


def brief_downloads(f, last_date, prov: Provenance, slug: str = "") -> None:
    """The Brief buttons: the view's period brief as a PDF, and as Markdown with its
    figures in a ZIP (made on click, from the same functions as ``python -m ceasefire
    brief``). The period is the filter's dates, else the month of the last incident in
    view (``brief.default_period``); the buttons say which."""
    from ceasefire import brief
    from ceasefire.brief import render
    from ceasefire.cache import get_connection

    period = brief.default_period(f, last_date)
    if period is None:
        st.caption("No incident in this view: no brief to make.")
        return

    def made():
        return brief.build(get_connection(), f, period.start, period.end)

    def pdf() -> bytes:
        return render.pdf_bytes(made())

    def markdown() -> bytes:
        return render.markdown_zip(made(), "brief")

    words = period.words()
    row = st.container(horizontal=True, key="downloads_brief")
    row.download_button(
        f"Brief for {words} as PDF",
        data=pdf,
        file_name=export.file_name("brief", prov, "pdf", slug),
        mime="application/pdf",
        key="dl_brief_pdf",
        on_click="ignore",
        help="2-4 pages: headline counts against the previous period and the 52 weeks "
        "before, what changed, the timeline and the map, the most lethal incidents with "
        "each source's figures, what stays uncounted, methods, credits, data version.",
    )
    row.download_button(
        f"Brief for {words} as Markdown (ZIP with its figures)",
        data=markdown,
        file_name=export.file_name("brief", prov, "zip", slug),
        mime="application/zip",
        key="dl_brief_md",
        on_click="ignore",
    )


def table_downloads(
    make: Callable[[str], bytes], stem: str, prov: Provenance, label: str = "Data", slug: str = ""
) -> None:
    """CSV, XLSX and Parquet of a table; ``make(fmt)`` returns the file's bytes."""
    row = st.container(horizontal=True, key=f"downloads_{stem}")
    for fmt in export.TABLE_FORMATS:
        row.download_button(
            f"{label} as {LABELS[fmt]}",
            data=partial(make, fmt),
            file_name=export.file_name(stem, prov, fmt, slug),
            mime=export.TABLE_FORMATS[fmt],
            key=f"dl_{stem}_{fmt}",
            on_click="ignore",
        )
