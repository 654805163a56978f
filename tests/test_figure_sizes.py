"""Figures at journal sizes (~85 mm column, ~175 mm full width): valid files, the right
physical size, nothing dropped from the text, fonts embedded in the PDF."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from ceasefire import charts, export, figures
from ceasefire.charts.layout import fonts_for
from ceasefire.charts.textsize import text_width
from ceasefire.filters import Filter

F = Filter(start=date(2019, 5, 1), end=date(2019, 6, 30))


@pytest.fixture(scope="module")
def rendered(demo_con):
    out = {}
    try:
        for name in ("timeline", "actor-target", "compare"):
            fig = figures.figure(demo_con, name, F, agreement="sochi-2018", days=30)
            for size, width in charts.PRINT_WIDTHS.items():
                fitted = charts.fit_width(fig, width)
                out[name, size] = (
                    fitted,
                    {fmt: export.figure_bytes(fitted, fmt) for fmt in ("png", "svg", "pdf")},
                )
    finally:
        export.close_renderer()
    return out


def test_widths_are_the_journal_sizes():
    assert charts.PRINT_WIDTHS == {"column": 321, "full": 661}  # 85 and 175 mm at 96/in


@pytest.mark.parametrize("size", ["column", "full"])
@pytest.mark.parametrize("name", ["timeline", "actor-target", "compare"])
def test_exports_at_both_sizes_are_valid(rendered, name, size):
    fig, files = rendered[name, size]
    width = charts.PRINT_WIDTHS[size]
    png = files["png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert abs(int.from_bytes(png[16:20], "big") - width * export.PNG_SCALE) <= 1
    with Image.open(io.BytesIO(png)) as image:  # read by Pillow, not by our own code
        assert image.info["dpi"] == pytest.approx((300, 300), abs=1)
    svg = files["svg"].decode()
    assert re.search(rf'width="{width}"', svg)
    reader = PdfReader(io.BytesIO(files["pdf"]))
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(width * 0.75, abs=2)  # points
    fonts = page["/Resources"]["/Font"]
    assert fonts, "no fonts in the PDF"
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        font = descendants[0].get_object() if descendants else font
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    # every word of the title, subtitle and footer is in the figure, wrapped not cut
    meta = fig.layout.meta
    drawn = " ".join(
        [fig.layout.title.text] + [a.text for a in fig.layout.annotations if a.name == "footer"]
    )
    drawn = re.sub(r"<[^>]+>", " ", drawn)
    for part in ("title", "subtitle", "footer"):
        for word in charts.esc(meta[part]).split():
            assert word in drawn, (part, word)


@pytest.mark.parametrize("name", ["timeline", "target-types", "actor-target", "map"])
def test_an_empty_views_message_fits_the_plot_at_every_size(demo_con, name):
    """'No incidents match these filters.' at a fixed 16 px ran out of an 85 mm figure:
    the message takes the title's size (16 px at most) and each of its lines fits the
    plot's width (measured with the charts' own Arial metrics)."""
    nothing = Filter(start=date(2031, 1, 1), end=date(2031, 1, 31))
    fig = figures.figure(demo_con, name, nothing)
    for width in (*charts.PRINT_WIDTHS.values(), 1100):
        layout = charts.fit_width(fig, width).layout
        notes = [a for a in layout.annotations if a.name == "message"]
        assert len(notes) == 1, (name, width)
        px = notes[0].font.size
        assert px == min(16, fonts_for(width).title)
        plot = width - layout.margin.l - layout.margin.r
        lines = notes[0].text.split("<br>")
        assert max(text_width(html.unescape(line), px) for line in lines) <= plot - 16
        assert "No incid" in lines[0]
