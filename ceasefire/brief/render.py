"""The brief as files: an A4 PDF, and Markdown for pasting into a newsletter.

**Why Chromium prints the PDF.** The project already needs Chromium (Debian's
``chromium``) for every figure export (kaleido drives it), so the brief is an HTML
document printed by that same browser (``export.html_pdf``: DevTools'
``Page.printToPDF``): the figures go in as the very SVG a download gives, so they stay
vector and identical to the app's; CSS lays out the pages (A4, tables that never split,
numbered pages); Chromium embeds subsets of the fonts. Nothing new to install, nothing
fetched at run time. Weighed: WeasyPrint (a maintained HTML-to-PDF library) needs
Pango from the system and draws SVG with its own renderer, not plotly's; ReportLab and
fpdf2 would mean laying out every table by hand and converting the figures;
Playwright's ``page.pdf`` is the same Chromium printing but a second browser driver
beside kaleido's.

The Markdown brief is the same sections; its figures are PNG files written beside it
(``brief.md`` -> ``brief.timeline.png``, ``brief.map.png``), or, from the app, in one
ZIP with it.
"""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import plotly.graph_objects as go

from .. import charts, export
from . import Brief, md_escape

#: The figures' layout width: the full text width of an A4 page (175 mm), except for
#: ``WIDE``: laid out wider with the legend right of the plot and printed at the text
#: width (text at about 7.5 pt), which makes them about a third shorter, so the brief
#: keeps to four pages.
FIGURE_WIDTH = charts.PRINT_WIDTHS["full"]
WIDE = {"timeline": 820, "map": 820, "tallies": 820}

STYLE = """
@page { size: A4; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 9pt; color: #222;
       line-height: 1.3; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 3pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; padding-bottom: 2pt;
     border-bottom: 1px solid #888; break-after: avoid; }
h3 { font-size: 10pt; margin: 8pt 0 3pt; break-after: avoid; }
h3 .id { font-weight: normal; color: #555; font-size: 8.5pt; }
p { margin: 0 0 4pt; }
.subtitle { font-size: 10.5pt; margin-bottom: 2pt; }
.made, .note { font-size: 8pt; color: #444; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0;
        break-inside: avoid; }
th { text-align: right; font-weight: bold; border-bottom: 1px solid #555;
     padding: 2pt 4pt; vertical-align: bottom; }
th:first-child { text-align: left; }
td { border-bottom: 1px solid #ddd; padding: 2pt 4pt; }
td.num { text-align: right; white-space: nowrap; }
td.label { text-align: left; white-space: nowrap; }
th.text, td.text { text-align: left; }
.figure { break-inside: avoid; margin: 4pt 0 8pt; text-align: center; }
.figure svg { max-width: 100%; height: auto; }
.figure.wide svg { width: 100%; }
.incident { break-inside: avoid; margin-bottom: 4pt; }
.incident p { margin: 0 0 1pt; }
.incident p.figures { margin-left: 10pt; }
.id { color: #555; }
section.keep { break-inside: avoid; }
ul { margin: 0; padding-left: 14pt; }
li { margin-bottom: 2pt; }
"""


def figure_for_print(name: str, fig: go.Figure) -> go.Figure:
    """A brief's figure: the chart as the page lays it out (its title, no subtitle or
    footnote: the brief states them) at the width it is printed."""
    width = WIDE.get(name, FIGURE_WIDTH)
    legend = "right" if name in WIDE else None
    spec = charts.arrange(fig.to_dict(), width, page=True, legend=legend)
    spec["layout"]["width"] = width
    return go.Figure(spec, _validate=False)


def _header(brief: Brief) -> tuple[str, str]:
    made = (
        f"Made {brief.prov.made_on} with the ceasefire tracker; data version "
        f"{brief.prov.data_version}."
    )
    return brief.subtitle, made


def to_html(brief: Brief, svgs: dict[str, str]) -> str:
    """The brief as one self-contained HTML document (figures as inline SVG)."""
    subtitle, made = _header(brief)
    body = [
        f"<h1>{html.escape(brief.title)}</h1>",
        f"<p class='subtitle'>{html.escape(subtitle)}</p>",
        f"<p class='made'>{html.escape(made)}</p>",
    ]
    for section in brief.sections:
        text = section.html
        for name in section.figures:
            wide = " wide" if name in WIDE else ""
            text = text.replace(
                "{figure:" + name + "}", f"<div class='figure{wide}'>{svgs[name]}</div>"
            )
        # a figure stays with its heading, unless the section may flow
        keep = (
            " class='keep'" if (section.figures if section.keep is None else section.keep) else ""
        )
        body.append(
            f"<section id='{section.key}'{keep}><h2>{html.escape(section.title)}</h2>"
            f"{text}</section>"
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(brief.title)}</title>"
        f"<meta name='description' content='{html.escape(subtitle, quote=True)}'>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )


def to_markdown(brief: Brief, images: dict[str, str]) -> str:
    """The brief as Markdown; ``images`` maps a figure's name to its file's path."""
    subtitle, made = _header(brief)
    parts = [f"# {md_escape(brief.title)}", md_escape(subtitle), f"*{md_escape(made)}*"]
    for section in brief.sections:
        text = section.markdown
        for name, fig in section.figures.items():
            alt = charts.esc((fig.layout.meta or {}).get("title", name))
            text = text.replace("{figure:" + name + "}", f"![{alt}]({images[name]})")
        parts.append(f"## {md_escape(section.title)}\n\n{text}")
    return "\n\n".join(parts) + "\n"


def pdf_bytes(brief: Brief) -> bytes:
    """The brief as an A4 PDF (fonts embedded, title and subject set)."""
    svgs = {
        name: _inline_svg(export.figure_bytes(figure_for_print(name, fig), "svg"))
        for name, fig in brief.figures.items()
    }
    return export.html_pdf(to_html(brief, svgs), brief.title, brief.subtitle)


def _inline_svg(svg: bytes) -> str:
    text = svg.decode("utf-8")
    return text[text.index("<svg") :] if "<svg" in text else text


def markdown_files(brief: Brief, stem: str) -> dict[str, bytes]:
    """``{stem}.md`` and its figures as PNG (``{stem}.timeline.png`` ...): file name ->
    bytes."""
    files: dict[str, bytes] = {}
    images = {}
    for name, fig in brief.figures.items():
        image = f"{stem}.{name}.png"
        files[image] = export.figure_bytes(figure_for_print(name, fig), "png")
        images[name] = image
    files[f"{stem}.md"] = to_markdown(brief, images).encode("utf-8")
    return files


def markdown_zip(brief: Brief, stem: str = "brief") -> bytes:
    """The Markdown brief and its figures in one ZIP (the app's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in markdown_files(brief, stem).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(brief: Brief, output: str) -> list[Path]:
    """Write the brief to ``output`` (.pdf, or .md with its figures beside it); returns
    the files written."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".md"):
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        path.write_bytes(pdf_bytes(brief))
        return [path]
    if suffix == ".md":
        written = []
        for name, data in markdown_files(brief, path.stem).items():
            target = path.with_name(name)
            target.write_bytes(data)
            written.append(target)
        return written
    raise ValueError(f"the brief is written as .pdf or .md, not {output!r}")
