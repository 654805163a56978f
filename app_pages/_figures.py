"""How the pages show a figure: title in the chart, subtitle and footer as page text that
wraps to the chart's real width, and downloads at the size the reader picks.

Widgets only; the layouts come from ``ceasefire.charts`` (``page_figure`` for the page,
``fit_width`` for the downloads)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages._downloads import figure_downloads
from app_pages._shared import page_option, url_params
from ceasefire.charts import DEFAULT_WIDTH, PRINT_WIDTHS, chart_notes, fit_width, page_figure
from ceasefire.provenance import Provenance

SIZES = {
    "screen": f"{DEFAULT_WIDTH} px (screen, slides)",
    "full": "175 mm (full text width)",
    "column": "85 mm (one journal column)",
}


def export_size_picker(key: str = "export_size") -> int:
    """A choice of download size, in the page's address (``size=full``); returns the
    figure width in CSS pixels."""
    if key not in st.session_state:
        wanted = (url_params().get("size") or [""])[-1]
        st.session_state[key] = wanted if wanted in SIZES else "screen"
    size = st.radio(
        "Figure downloads at",
        list(SIZES),
        format_func=SIZES.get,
        horizontal=True,
        key=key,
        help="PNG at 300 dpi, SVG and PDF (fonts embedded). Text is re-wrapped and the "
        "legend moved for narrow sizes; nothing is cut.",
    )
    page_option(size="" if size == "screen" else size)
    return PRINT_WIDTHS.get(size, DEFAULT_WIDTH)


def show_figure(
    fig: go.Figure,
    key: str,
    stem: str,
    prov: Provenance,
    what: str,
    slug: str = "",
    *,
    width: int = DEFAULT_WIDTH,
    narrow: bool = False,
    captions: bool = True,
) -> None:
    """The chart as the page shows it, its subtitle and footnote under it (unless
    ``captions`` is False, when the page states them once: then only the chart's own
    notes, such as the timeline's milestone key), and its downloads."""
    shown, subtitle, footer = page_figure(fig, narrow=narrow)
    # Speed: the footer says when the view was computed ("Made 2026-12-07 17:56 UTC..."),
    # so a view computed again a minute later (another grouping, say) would change every
    # figure that carries it, and Streamlit remounts, redraws (Plotly newPlot) and resends
    # a chart whose spec changed in any byte; an identical one it leaves as it is. The
    # page shows the footer as a caption and the downloads use ``fig``, so the chart on
    # the page goes without it (bench/README.md, the browser benchmark).
    meta = dict(shown.layout.meta or {})
    if meta.pop("footer", None) is not None:
        shown.layout.meta = meta
    st.plotly_chart(shown, width="stretch", key=key, theme=None)
    if captions:
        if subtitle:
            st.caption(subtitle)
        if footer:
            st.caption(footer)
    elif chart_notes(fig):
        st.caption(chart_notes(fig))
    export = fig if width == DEFAULT_WIDTH else fit_width(fig, width)
    figure_downloads(export, stem, prov, what, slug)
