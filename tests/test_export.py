"""Exports stand alone and match the app: provenance in every file, print-resolution
PNG, formula-safe spreadsheets, stable colours, and the same figure from page and CLI."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from PIL import Image

from ceasefire import colors, demo, export, figures, provenance, seed, store
from ceasefire.analysis import overview
from ceasefire.cli import main
from ceasefire.filters import Filter
from ceasefire.store import bootstrap

MADE = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
RUSSIA = Filter(agreement="sochi-2018", actors=("Russia",))


class _FixedNow(datetime):
    @classmethod
    def now(cls, tz=None):
        return MADE


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(provenance, "datetime", _FixedNow)


@pytest.fixture(scope="module")
def rendered(demo_con):
    """The timeline for Russia under Sochi, rendered once in each static format."""
    fig = figures.figure(demo_con, "timeline", RUSSIA, made=MADE)
    prov = provenance.provenance(demo_con, RUSSIA, MADE)
    try:
        files = {fmt: export.figure_bytes(fig, fmt) for fmt in export.STATIC_FORMATS}
    finally:
        export.close_renderer()
    return prov, files


def _provenance_words(prov) -> list[str]:
    return [
        "Incidents over time by alleged actor (per week)",
        "alleged against Russia",
        "Sochi memorandum",
        "Attribution: every actor any claim names",
        prov.credit_line(),
        prov.date_range_text(),
        "made 2024-05-01 12:00 UTC",
        f"data version {prov.data_version}",
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_png_is_valid_and_at_print_resolution(rendered):
    _, files = rendered
    png = files["png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:  # Pillow: a reader independent of ours
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        assert image.width >= export.EXPORT_WIDTH * 3  # 1100 layout px at 300/96


def test_svg_carries_title_filters_attribution_and_provenance(rendered):
    prov, files = rendered
    svg = files["svg"].decode("utf-8")
    assert svg.startswith("<svg")
    import html

    lines = svg.replace("</tspan>", " </tspan>")  # a footnote's lines are tspans
    text = _flat(html.unescape(re.sub(r"<[^>]+>", "", " ".join(lines.split("</text>")))))
    for needed in _provenance_words(prov):
        assert _flat(needed) in text, needed
    # the actor keeps its fixed colour in the export
    r, g, b = (int(colors.actor_color("Russia")[i : i + 2], 16) for i in (1, 3, 5))
    assert f"fill: rgb({r}, {g}, {b})" in svg


def test_pdf_is_valid_and_carries_provenance(rendered):
    prov, files = rendered
    pdf = files["pdf"]
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text")
    text = _flat(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    for needed in _provenance_words(prov):
        assert _flat(needed) in text, needed


def test_pdf_metadata_title_and_subject_are_the_figures(rendered):
    """Not Chromium's page title ("Kaleido-fier"): a reader and a reference manager
    show the figure's title, and its subtitle (filters and attribution) as subject."""
    prov, files = rendered
    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(files["pdf"])).metadata
    assert meta.title == "Incidents over time by alleged actor (per week)"
    assert meta.subject == prov.chart_text("").subtitle  # the filters and the attribution
    assert meta.subject == f"{prov.filter_text} {prov.attribution_short}"
    assert "Kaleido" not in str(dict(meta))


def test_png_dpi_is_replaced_not_duplicated():
    png = export.set_png_dpi(export.set_png_dpi(_tiny_png(), 72), 300)
    assert png.count(b"pHYs") == 1
    with Image.open(io.BytesIO(png)) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        image.load()  # the chunk CRCs and the image data are intact


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


DANGEROUS = pd.DataFrame(
    {
        "place_name": [
            '=HYPERLINK("http://x","y")',
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rcmd",
            "Idlib",
            None,
        ],
        "killed_max": [1, -5, 0, 2, 3, 4, 5, 6],
        "share": [0.5, -0.25, 1.0, 0.0, 0.1, 0.2, 0.3, 0.4],
    }
)


def _prov(demo_con):
    return provenance.provenance(demo_con, RUSSIA, MADE)


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_csv_opens_as_is_and_neutralises_formulas(demo_con):
    data = export.csv_bytes(DANGEROUS).decode("utf-8")
    assert data.splitlines()[0] == ",".join(DANGEROUS.columns)  # the header comes first
    back = pd.read_csv(io.StringIO(data), keep_default_na=False)  # no options needed
    assert list(back.place_name[:5]) == [
        '\'=HYPERLINK("http://x","y")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert '"\'\rcmd"' in data
    assert back.place_name[6] == "Idlib"
    assert list(back.killed_max) == [1, -5, 0, 2, 3, 4, 5, 6]  # numbers stay numbers
    for line in data.splitlines():
        assert not line.startswith(("=", "+", "-", "@"))


def test_csv_download_is_a_zip_with_a_valid_data_package(demo_con, tmp_path):
    """The CSV reads with plain pandas.read_csv; datapackage.json beside it describes
    every field and carries the provenance, and frictionless validates the package."""
    from frictionless import Package, validate

    prov = _prov(demo_con)
    rows = figures.view_rows(demo_con, RUSSIA)
    files = unzip(export.table_bytes(rows, prov, "csv"))
    assert sorted(files) == ["datapackage.json", "incidents.csv"]
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    back = pd.read_csv(tmp_path / "incidents.csv")
    assert list(back.columns) == list(rows.columns)
    assert len(back) == len(rows)
    assert back.killed_max.sum() == rows.killed_max.sum()
    meta = json.loads(files["datapackage.json"])
    (resource,) = meta["resources"]
    assert [f["name"] for f in resource["schema"]["fields"]] == list(rows.columns)
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    assert types["occurred_on"] == "date" and types["killed_min"] == "integer"
    assert types["latitude"] == "number" and types["is_demo"] == "boolean"
    assert all(f["description"] for f in resource["schema"]["fields"])
    assert meta["ceasefire"]["data_version"] == prov.data_version
    assert meta["ceasefire"]["filters"] == prov.filter_text
    assert meta["ceasefire"]["attribution"] == prov.attribution_text
    assert {s["title"] for s in meta["sources"]} >= {
        "Hand-coded reports; each claim names its source and link"
    }
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert Package(tmp_path / "datapackage.json").get_resource("incidents").read_rows()


def test_xlsx_has_provenance_sheet_and_neutralised_formulas(demo_con):
    prov = _prov(demo_con)
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(DANGEROUS, prov)))
    assert book.sheetnames == ["incidents", "provenance"]
    sheet = book["incidents"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells)
    assert sheet.cell(row=3, column=2).value == -5 and sheet.cell(row=3, column=2).data_type == "n"
    lines = [c.value for c in book["provenance"]["A"]][1:]
    assert f"Data version: {prov.data_version}" in lines
    assert f"Filters: {prov.filter_text}" in lines


def test_parquet_keeps_values_and_carries_provenance_metadata(demo_con):
    prov = _prov(demo_con)
    table = pq.read_table(io.BytesIO(export.parquet_bytes(DANGEROUS, prov)))
    meta = table.schema.metadata
    assert meta[b"ceasefire.data_version"].decode() == prov.data_version
    assert meta[b"ceasefire.filters"].decode() == prov.filter_text
    assert json.loads(meta[b"ceasefire.provenance"])[0].startswith("Filters:")
    assert table.column("place_name").to_pylist()[0].startswith("=HYPERLINK")


def test_view_data_download_counts_every_incident(demo_con):
    data = unzip(figures.view_data_bytes(demo_con, RUSSIA, "csv"))["incidents.csv"]
    rows = pd.read_csv(io.BytesIO(data))
    from ceasefire import queries

    assert len(rows) == queries.headline(demo_con, RUSSIA)["incidents"]


def test_actor_colours_are_stable_across_views(demo_con):
    def trace_colours(f):
        fig = figures.figure(demo_con, "timeline", f, made=MADE)
        return {t.name: t.marker.color for t in fig.data}

    everyone = trace_colours(Filter())
    majority = trace_colours(Filter(attribution="majority"))
    for name, colour in {**everyone, **majority}.items():
        assert colour == colors.actor_color(name)
    assert everyone["Russia"] == majority["Russia"] == colors.FIXED["Russia"]


@pytest.mark.parametrize("name", ["timeline", "target-types", "actor-target", "map"])
def test_single_figure_path_matches_the_overview(demo_con, fixed_now, name):
    page = overview.compute_overview(demo_con, RUSSIA, "month").figures[
        figures.OVERVIEW_FIGURES[name]
    ]
    assert figures.figure(demo_con, name, RUSSIA, by="month").to_json() == page.to_json()


@pytest.fixture
def file_store(tmp_path):
    path = tmp_path / "cli.duckdb"
    con = store.connect(path)
    bootstrap.load_reference(con)
    seed.load_seed(con)
    demo.load_demo(con, size=300)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('first_run_done', 'true')")
    con.close()
    return path


def test_cli_figure_equals_the_page_figure(file_store, tmp_path, fixed_now, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_DB", str(file_store))
    out = tmp_path / "fig.json"
    assert (
        main(
            [
                "chart",
                "timeline",
                "--agreement",
                "sochi-2018",
                "--actor",
                "Russia",
                "--by",
                "week",
                "--format",
                "json",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    con = store.connect(file_store)
    page = overview.compute_overview(con, RUSSIA, "week").figures["timeline"]
    assert json.loads(out.read_text()) == json.loads(page.to_json())


def test_cli_export_and_compare_chart(file_store, tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_DB", str(file_store))
    rows = tmp_path / "rows.xlsx"
    assert main(["export", "data", "--actor", "Russia", "-o", str(rows)]) == 0
    assert openpyxl.load_workbook(rows).sheetnames == ["incidents", "provenance"]
    html = tmp_path / "cmp.html"
    assert (
        main(
            [
                "chart",
                "compare",
                "--compare-agreement",
                "moscow-2020",
                "--days",
                "30",
                "-o",
                str(html),
            ]
        )
        == 0
    )
    page = html.read_text()
    assert "Before and after the entry into force of the Moscow" in page
    assert "30 days each side" in page
    assert "<script src=" not in page  # plotly.js inlined: opens offline
    assert main(["chart", "compare", "--compare-agreement", "nope", "-o", str(html)]) == 2


def test_charts_name_at_most_nine_actors_and_sum_the_rest():
    import pandas as pd

    from ceasefire.charts import OTHER_ACTORS, group_minor_actors

    frame = pd.DataFrame(
        {
            "period": ["2019-01-01"] * 12,
            "actor": [f"Group {i}" for i in range(11)] + ["Unknown"],
            "incidents": list(range(20, 9, -1)) + [5],
        }
    )
    grouped = group_minor_actors(frame, ["period"])
    assert grouped.incidents.sum() == frame.incidents.sum()
    assert "Unknown" in set(grouped.actor)
    assert f"{OTHER_ACTORS} (3)" in set(grouped.actor)
    assert grouped.actor.nunique() == 10  # 8 named + Other + Unknown


def test_cli_csv_export_writes_the_csv_and_its_data_package_beside_it(file_store, tmp_path):
    from frictionless import validate

    out = tmp_path / "rows.csv"
    assert (
        main(["--db", str(file_store), "export", "data", "--actor", "Russia", "-o", str(out)]) == 0
    )
    rows = pd.read_csv(out)
    con = store.connect(file_store, read_only=True)
    try:  # independent of the code under test: incidents with a claim naming Russia
        expected = con.execute(
            "SELECT count(DISTINCT coalesce(i.linked_to, i.incident_id)) FROM claim c "
            "JOIN incident i USING (incident_id) JOIN actor a ON a.actor_id = c.alleged_actor_id "
            "WHERE a.name = 'Russia' AND c.role = 'perpetrator'"
        ).fetchone()[0]
    finally:
        con.close()
    assert len(rows) == expected > 0
    report = validate(tmp_path / "rows.datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "rows.datapackage.json").read_text())
    assert package["resources"][0]["path"] == "rows.csv"
    assert package["ceasefire"]["filters"] == "Incidents alleged against Russia."
