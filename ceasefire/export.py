"""Files a researcher can publish: figures as PNG/SVG/PDF/HTML, tables as CSV/XLSX/Parquet.

Figures are rendered by Plotly's static export (kaleido), which drives a local
Chromium (Debian's ``chromium`` package; ``$BROWSER_PATH`` overrides). Nothing is
fetched from the internet: Plotly's own bundled plotly.js is used and MathJax (a CDN
script by default) is switched off. The figure itself already carries its title,
subtitle (filters and attribution) and footer (data credits, dates, made-on, data
version), so every file stands alone.

Starting Chromium costs a few seconds, so a long-lived process (the app) keeps one
browser open behind a lock (``render``); the CLI closes it when done
(``close_renderer``).

Tables: the CSV download is a ZIP holding the CSV (header on its first line, so any
program opens it as is) and a Frictionless ``datapackage.json`` with the provenance
(``package.py``); XLSX gets a "provenance" sheet and Parquet key-value metadata. Text cells starting with ``= + - @`` (or a tab or carriage
return) are prefixed with ``'`` in CSV and XLSX so a spreadsheet shows them as text
instead of running them as formulas; numbers stay numbers.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import html
import io
import json
import os
import re
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .provenance import Provenance

FIGURE_FORMATS = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "json": "application/json",
}
STATIC_FORMATS = ("png", "svg", "pdf")
#: File name extension where it differs from the format's name.
FILE_EXTENSIONS = {"csv": "zip"}
TABLE_FORMATS = {
    "csv": "application/zip",  # the CSV and its datapackage.json (package.py)
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}

#: Layout size of exported figures in CSS pixels (96 per inch): 11.5 in wide.
EXPORT_WIDTH = 1100
#: PNGs are rendered at print resolution and say so in their pHYs chunk.
PRINT_DPI = 300
PNG_SCALE = PRINT_DPI / 96
RENDER_TIMEOUT = 90.0


# --- figures ---------------------------------------------------------------------------


def _opts(fig: go.Figure, fmt: str, width: int | None, height: int | None) -> dict:
    return {
        "format": fmt,
        "width": width or fig.layout.width or EXPORT_WIDTH,
        "height": height or fig.layout.height or 500,
        "scale": PNG_SCALE if fmt == "png" else 1,
    }


def _kaleido():
    import kaleido  # imported late: the app's pages never pay for it unless exporting

    return kaleido.Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT)


class _Renderer:
    """One Chromium kept open in a background event loop; calls are serialised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()
        self._kaleido = _kaleido()
        self._run(self._kaleido.open(), 60)

    def _stop(self) -> None:
        if self._loop is None:
            return
        try:
            if self._kaleido is not None:
                self._run(self._kaleido.close(), 20)
        except Exception:  # noqa: BLE001  (best effort: the browser may already be gone)
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._loop = self._thread = self._kaleido = None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def render(self, fig_dict: dict, opts: dict) -> bytes:
        with self._lock:
            for attempt in (1, 2):
                if self._loop is None:
                    self._start()
                try:
                    return self._run(self._kaleido.calc_fig(fig_dict, opts=opts), RENDER_TIMEOUT)
                except Exception:
                    # A dead or stuck browser: start a fresh one once, then give up.
                    self._stop()
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    def print_pdf(self, url: str, options: dict) -> bytes:
        """The page at ``url`` printed to PDF by the same Chromium (Page.printToPDF)."""
        with self._lock:
            for attempt in (1, 2):
                if self._loop is None:
                    self._start()
                try:
                    data = self._run(self._print(url, options), RENDER_TIMEOUT)
                    return base64.b64decode(data)
                except Exception:
                    self._stop()
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    async def _print(self, url: str, options: dict) -> str:
        tab = await self._kaleido.create_tab("about:blank")
        try:
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            response = await tab.send_command("Page.navigate", params={"url": url})
            if "error" in response:
                raise RuntimeError(f"could not open the page to print: {response['error']}")
            await asyncio.wait_for(loaded, RENDER_TIMEOUT)
            response = await tab.send_command("Page.printToPDF", params=options)
            if "error" in response:
                raise RuntimeError(f"could not print the page: {response['error']}")
            return response["result"]["data"]
        finally:
            await self._kaleido.close_tab(tab)


_renderer = _Renderer()
atexit.register(_renderer.close)
_warming: threading.Thread | None = None


def warm_renderer(delay: float = 2.0) -> None:
    """Start the export's browser in the background, once per process, ``delay`` seconds
    from now (after the page that offers a download has been sent, so the start does not
    compete with drawing it): the first download then waits for a render only, not for
    Chromium to start and load plotly.js (bench/README.md has the times). A download
    clicked meanwhile waits for the start, as it would without this. Costs a Chromium
    (about 150 MB) per app process; ``CEASEFIRE_WARM_EXPORT=0`` turns it off (the test
    suite does, so pages run in tests start no browser)."""
    global _warming
    if _warming is not None or os.environ.get("CEASEFIRE_WARM_EXPORT") == "0":
        return

    def warm() -> None:
        time.sleep(delay)
        try:
            _renderer.render(
                {"data": [], "layout": {}}, {"format": "png", "width": 10, "height": 10}
            )
        except Exception:  # noqa: BLE001  (best effort: a real export reports its own error)
            pass

    _warming = threading.Thread(target=warm, name="kaleido-warm", daemon=True)
    _warming.start()


def _static(fig: go.Figure) -> dict:
    """The figure for static export: WebGL traces drawn as SVG (same look; WebGL in a
    headless browser without a GPU is slow and rasterised, SVG stays vector in PDF/SVG)."""
    spec = fig.to_plotly_json()
    for trace in spec.get("data", []):
        if trace.get("type") == "scattergl":
            trace["type"] = "scatter"
    return spec


def figure_bytes(
    fig: go.Figure, fmt: str, *, width: int | None = None, height: int | None = None
) -> bytes:
    """One figure as a file: png (300 dpi), svg, pdf, html (self-contained) or json."""
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(FIGURE_FORMATS)}, not {fmt!r}")
    if fmt == "html":
        # plotly.js inlined (no CDN), so the file opens offline.
        return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")
    if fmt == "json":
        return fig.to_json(pretty=True).encode("utf-8")
    data = _renderer.render(_static(fig), _opts(fig, fmt, width, height))
    if fmt == "pdf":
        return pdf_with_metadata(data, *figure_text(fig))
    return set_png_dpi(data, PRINT_DPI) if fmt == "png" else data


#: A4 in inches, and the page footer Chromium prints on every page of a document.
A4_INCHES = (8.27, 11.69)
PAGE_FOOTER = (
    "<div style='font: 7pt Arial, Helvetica, sans-serif; color: #555; width: 100%; "
    "margin: 0 15mm; text-align: right'>Page <span class='pageNumber'></span> of "
    "<span class='totalPages'></span></div>"
)


def html_pdf(document: str, title: str, subject: str) -> bytes:
    """An HTML document printed to an A4 PDF by the export's Chromium: text and inline
    SVG stay vector, the fonts are embedded (subsets), every page is numbered, and the
    document's title and subject are set. The document must be self-contained (nothing
    is fetched: it is printed from a temporary file)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="ceasefire-print-") as folder:
        page = Path(folder) / "document.html"
        page.write_text(document, encoding="utf-8")
        width, height = A4_INCHES
        pdf = _renderer.print_pdf(
            page.as_uri(),
            {
                "paperWidth": width,
                "paperHeight": height,
                "marginTop": 0.55,
                "marginBottom": 0.65,
                "marginLeft": 0.6,
                "marginRight": 0.6,
                "printBackground": True,
                "displayHeaderFooter": True,
                "headerTemplate": "<span></span>",
                "footerTemplate": PAGE_FOOTER,
            },
        )
    return pdf_with_metadata(pdf, title, subject)


def close_renderer() -> None:
    """Close the kept-open browser (tests and the CLI call this when done)."""
    _renderer.close()


def set_png_dpi(png: bytes, dpi: int) -> bytes:
    """Write (or replace) the pHYs chunk, so the PNG opens at ``dpi`` in print tools."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    per_metre = round(dpi / 0.0254)
    body = struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", len(body)) + b"pHYs" + body
    chunk += struct.pack(">I", zlib.crc32(b"pHYs" + body) & 0xFFFFFFFF)
    out, pos, inserted = bytearray(png[:8]), 8, False
    while pos < len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        kind = png[pos + 4 : pos + 8]
        end = pos + 12 + length
        if kind != b"pHYs":
            out += png[pos:end]
        if kind == b"IHDR" and not inserted:
            out += chunk
            inserted = True
        pos = end
    return bytes(out)


# --- tables ----------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as formulas; other columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell).astype(object)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _for_files(frame: pd.DataFrame) -> pd.DataFrame:
    """Timezone-free datetimes (Excel has no time zones); everything else as is."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    return out


def csv_bytes(frame: pd.DataFrame, prov: Provenance | None = None) -> bytes:
    """UTF-8 CSV with the header on its first line (``pandas.read_csv(path)`` and R's
    ``read.csv`` read it with no options). Its provenance goes beside it: ``csv_zip``."""
    from .package import csv_bytes as plain

    return plain(frame)


def csv_zip(frame: pd.DataFrame, prov: Provenance, name: str = "incidents") -> bytes:
    """The CSV download: ``NAME.csv`` and its ``datapackage.json`` in one ZIP."""
    from .package import package_zip

    return package_zip({name: frame}, prov)


def xlsx_bytes(frame: pd.DataFrame, prov: Provenance, sheet: str = "incidents") -> bytes:
    """A workbook: the rows on one sheet, the provenance lines on a "provenance" sheet."""
    buffer = io.BytesIO()
    lines = [*prov.header_lines(), f"Rows: {len(frame)}"]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(_for_files(frame)).to_excel(writer, sheet_name=sheet, index=False)
        pd.DataFrame({"provenance": [neutralise_cell(line) for line in lines]}).to_excel(
            writer, sheet_name="provenance", index=False
        )
    return buffer.getvalue()


def parquet_bytes(frame: pd.DataFrame, prov: Provenance) -> bytes:
    """Parquet with the provenance as key-value metadata (``ceasefire.*`` keys).

    Values are kept exactly (no formula prefix): Parquet is read by programs, not
    spreadsheets."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update({f"ceasefire.{k}".encode(): v.encode() for k, v in prov.as_dict().items()})
    meta[b"ceasefire.provenance"] = json.dumps(prov.header_lines()).encode()
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buffer)
    return buffer.getvalue()


def table_bytes(frame: pd.DataFrame, prov: Provenance, fmt: str, sheet: str = "incidents") -> bytes:
    if fmt == "csv":
        return csv_zip(frame, prov, sheet)
    if fmt == "xlsx":
        return xlsx_bytes(frame, prov, sheet)
    if fmt == "parquet":
        return parquet_bytes(frame, prov)
    raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")


#: A file name's view slug stops near this many characters (then "_etc").
SLUG_LIMIT = 80


def _slug_word(text: str) -> str:
    """'Syrian government' -> 'syrian-government': lower case, letters, digits, dashes."""
    word = re.sub(r"[^0-9a-z]+", "-", unicodedata.normalize("NFKD", str(text)).lower())
    return word.strip("-")


def view_slug(params: Mapping[str, str | list[str]], *extra: str) -> str:
    """A short, readable name for a view, from its URL query form (``Filter.
    to_query_params()``, which lists only what differs from the defaults) and page
    options such as the grouping: 'sochi-2018_russia_majority_month'. Flags read as
    words ('violations', 'no-demo'), dates as 'from-2019-01-01'; 'all' when nothing
    is filtered."""
    words: list[str] = []
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        if key == "violations":
            words.append("violations")
        elif key == "demo":
            words.append("no-demo")
        elif key in ("from", "to"):
            words.append(f"{key}-{values[-1]}")
        else:
            words.extend(_slug_word(v) for v in values)
    words = [w for w in words if w] or ["all"]
    tail = "".join(f"_{_slug_word(e)}" for e in extra if e)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 + len(tail) > SLUG_LIMIT:
            slug += "_etc"
            break
        slug = f"{slug}_{word}" if slug else word
    return slug + tail


def file_name(stem: str, prov: Provenance, fmt: str, slug: str = "") -> str:
    """e.g. timeline_sochi-2018_russia_majority_month_3f2a9c01de.png: what the file shows,
    the view (``view_slug``) and the data version, so two downloads are told apart."""
    ext = FILE_EXTENSIONS.get(fmt, fmt)
    return "_".join(part for part in (stem, slug, prov.data_version) if part) + f".{ext}"


def figure_text(fig: go.Figure) -> tuple[str, str]:
    """(title, subtitle) of a figure as plain text, from its layout title."""
    raw = (fig.layout.title.text or "") if fig.layout.title else ""
    head, _, rest = raw.partition("<br>")

    def plain(fragment: str) -> str:
        text = re.sub(r"<br\s*/?>", " ", fragment)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())

    return plain(head), plain(rest)


def pdf_with_metadata(pdf: bytes, title: str, subject: str) -> bytes:
    """The PDF with its document title and subject set (Chromium writes the page's
    title, "Kaleido-fier"); a reader's window, file list and citation managers show
    these."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata(
        {"/Title": title, "/Subject": subject, "/Creator": "Ceasefire tracker (Idlib)"}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
