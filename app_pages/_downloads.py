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
from typing import NamedTuple

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


class Download(NamedTuple):
    """One download button: ``name`` ends its key and, unless ``ending`` says otherwise,
    its file's name; ``data`` makes the bytes when it is clicked."""

    name: str
    text: str
    data: Callable[[], bytes]
    mime: str
    ending: str | None = None
    help: str | None = None


def download_row(stem: str, prov: Provenance, slug: str, buttons: list[Download]) -> None:
    """A row of download buttons (keys ``downloads_<stem>`` and ``dl_<stem>_<name>``), the
    files named after ``stem``, the view's slug and the data version."""
    row = st.container(horizontal=True, key=f"downloads_{stem}")
    for b in buttons:
        row.download_button(
            b.text,
            data=b.data,
            file_name=export.file_name(stem, prov, b.ending or b.name, slug),
            mime=b.mime,
            key=f"dl_{stem}_{b.name}",
            on_click="ignore",
            help=b.help,
        )


def figure_downloads(
    fig: go.Figure, stem: str, prov: Provenance, what: str = "Figure", slug: str = ""
) -> None:
    """PNG, SVG and PDF of one figure, with its title, filters and provenance on it.

    ``what``: the figure's short name on the buttons ("Timeline as PNG (300 dpi)")."""
    export.warm_renderer()  # the first click should not wait for the browser to start
    buttons = [
        Download(
            fmt,
            f"{what} as {LABELS[fmt]}",
            partial(export.figure_bytes, fig, fmt),
            export.FIGURE_FORMATS[fmt],
        )
        for fmt in export.STATIC_FORMATS
    ]
    download_row(stem, prov, slug, buttons)


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
    pdf_help = (
        "2-4 pages: headline counts against the previous period and the 52 weeks "
        "before, what changed, the timeline and the map, the most lethal incidents with "
        "each source's figures, what stays uncounted, methods, credits, data version."
    )
    buttons = [
        Download("pdf", f"Brief for {words} as PDF", pdf, "application/pdf", help=pdf_help),
        Download(
            "md",
            f"Brief for {words} as Markdown (ZIP with its figures)",
            markdown,
            "application/zip",
            ending="zip",
        ),
    ]
    download_row("brief", prov, slug, buttons)


def table_downloads(
    make: Callable[[str], bytes], stem: str, prov: Provenance, label: str = "Data", slug: str = ""
) -> None:
    """CSV, XLSX and Parquet of a table; ``make(fmt)`` returns the file's bytes."""
    buttons = [
        Download(fmt, f"{label} as {LABELS[fmt]}", partial(make, fmt), mime)
        for fmt, mime in export.TABLE_FORMATS.items()
    ]
    download_row(stem, prov, slug, buttons)
