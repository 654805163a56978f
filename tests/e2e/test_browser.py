"""The app in a real browser: filters change the charts, downloads arrive whole and
carry their provenance, and a copied link reopens the same view in a fresh browser."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from PIL import Image

from .conftest import ARTIFACTS
from .waiting import goto, next_run

pytestmark = pytest.mark.browser

METRICS = '[data-testid="stMetricValue"]'
# a legend entry too long for its column is wrapped with <br> in the trace name (issue 22)
TRACES_JS = """Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => ({
    title: (g.layout && g.layout.title && g.layout.title.text) || '',
    subtitle: (g.layout && g.layout.meta && g.layout.meta.subtitle) || '',
    traces: (g._fullData || []).map(t => ({name: (t.name || '').replace(/<br>/g, ' '),
        total: Array.from(t.y || []).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0)}))}))"""


def open_overview(context, url: str):
    """A new tab on the Overview at ``url``, once its first run has finished."""
    page = context.new_page()
    goto(page, url)
    assert len(charts(page)) >= 4
    assert page.get_by_role("dialog").count() == 0, page.get_by_role("dialog").all_inner_texts()
    return page


def metrics(page) -> list[str]:
    return page.locator(METRICS).all_inner_texts()


def charts(page) -> list[dict]:
    return page.evaluate(TRACES_JS)


def choose(page, label: str, option: str) -> None:
    """Pick an option in the sidebar multiselect called ``label``."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    # at the sidebar's bottom edge the option list does not open: bring the box to the
    # middle of the sidebar first, as a user scrolls to it
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def download(page, key: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        page.locator(f".st-key-{key} button").click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def test_overview_filter_changes_charts_and_link_reopens_view(app_url, context, browser, expected):
    page = open_overview(context, f"{app_url}/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    before = metrics(page)
    assert before[0] == f"{expected['all']['incidents']:,}"
    before_charts = charts(page)

    with next_run(page):
        choose(page, "Alleged actor", "Russia")
    after = metrics(page)
    assert after[0] == f"{expected['russia']['incidents']:,}"
    assert after[1] == f"{expected['russia']['alleged_violations']:,}"
    after_charts = charts(page)
    assert after_charts != before_charts
    timeline = after_charts[0]
    # the page shows the subtitle (filters, attribution) as page text; the figure keeps it
    assert "alleged against Russia" in timeline["subtitle"]
    assert sorted(t["name"] for t in timeline["traces"]) == expected["russia_actors"]
    assert sum(t["total"] for t in timeline["traces"]) >= expected["russia"]["incidents"]

    # The URL holds the whole view; a fresh browser context opening it sees the same.
    with next_run(page):
        page.get_by_text("month", exact=True).click()
    shared = page.url
    query = parse_qs(urlparse(shared).query)
    assert query["actor"] == ["Russia"] and query["by"] == ["month"]
    grouped = charts(page)
    assert "(per month)" in grouped[0]["title"]

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = open_overview(fresh, shared)
        assert metrics(other) == metrics(page)
        assert charts(other) == grouped
    finally:
        fresh.close()


def test_downloads_arrive_with_provenance(app_url, context, expected):
    page = open_overview(context, f"{app_url}/")
    version = expected["data_version"]

    name, png = download(page, "dl_timeline_png")
    assert name == f"timeline_all_week_{version}.png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:  # Pillow, not our own reader
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)

    name, svg = download(page, "dl_timeline_svg")
    assert name.endswith(".svg")
    text = svg.decode("utf-8")
    assert text.startswith("<svg") and text.rstrip().endswith("</svg>")
    for needed in (
        "Incidents over time by alleged actor",
        "Attribution:",
        "Data: ",
        f"data version {version}",
        "made ",
    ):
        assert needed in text, needed

    name, pdf = download(page, "dl_map_pdf")
    assert name == f"map_all_week_{version}.pdf"
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        words = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert "Where the incidents took place" in words
        assert f"data version {version}" in words

    # The CSV download: a ZIP with the CSV (header first) and its datapackage.json.
    name, zipped = download(page, "dl_incidents_csv")
    assert name == f"incidents_all_week_{version}.zip"
    files = unzip(zipped)
    assert sorted(files) == ["datapackage.json", "incidents.csv"]
    package = json.loads(files["datapackage.json"])
    assert package["ceasefire"]["filters"].startswith("Incidents")
    assert package["ceasefire"]["data_version"] == version
    lines = files["incidents.csv"].decode("utf-8").splitlines()
    assert lines[0].startswith("incident_id,occurred_on,")
    assert "counted_under" in lines[0].split(",")
    assert len(pd.read_csv(io.BytesIO(files["incidents.csv"]))) == expected["all"]["incidents"]

    name, claims = download(page, "dl_claims_csv")
    assert name == f"claims_all_week_{version}.zip"
    frame = pd.read_csv(io.BytesIO(unzip(claims)["claims.csv"]))
    assert len(frame) == expected["claims"]
    assert {"source", "role", "actor", "quote", "source_url"} <= set(frame.columns)


def test_shared_compare_link_reproduces_view(app_url, browser, expected):
    url = f"{app_url}/compare?actor=Russia&compare=sochi-2018&days=120"
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = goto(ctx.new_page(), url)
        assert urlparse(page.url).path == "/compare"
        query = parse_qs(urlparse(page.url).query)
        assert query["compare"] == ["sochi-2018"] and query["days"] == ["120"]
        assert query["actor"] == ["Russia"]
        (chart,) = charts(page)
        assert chart["title"].startswith("<b>Before and after the entry into force of the Sochi")
        assert "120 days each side" in chart["title"]
        frame = expected["compare"].set_index(["breakdown", "measure"])
        for period in ("before", "after"):
            # one trace per panel: all incidents, then those meeting the terms
            drawn = [t["total"] for t in chart["traces"] if t["name"] == period.capitalize()]
            rates = [
                frame.loc[("all", m), f"{period}_rate_per_30d"]
                for m in ("incidents", "meets_terms")
            ]
            assert drawn == pytest.approx(rates)
        name, zipped = download(page, "dl_compare-table_csv")
        assert re.fullmatch(r"compare-table_russia_sochi-2018_120-days_[0-9a-f]{10}\.zip", name)
        package = json.loads(unzip(zipped)["datapackage.json"])
        assert package["ceasefire"]["filters"] == "Incidents alleged against Russia."
    finally:
        ctx.close()


def test_shared_link_with_attribution_and_grouping(app_url, browser, expected):
    """A link made elsewhere (attribution, side, grouping) opens as that view.

    The Overview is the default page, so its address is the app's root, as the address
    bar shows it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = open_overview(ctx, f"{app_url}/?attribution=majority&side=Turkey&by=month")
        query = parse_qs(urlparse(page.url).query)
        assert query["attribution"] == ["majority"] and query["side"] == ["Turkey"]
        assert query["by"] == ["month"]
        assert page.get_by_role("radio", name="the majority of claims").is_checked()
        assert metrics(page)[0] == f"{expected['majority']['incidents']:,}"
        timeline = charts(page)[0]
        assert "(per month)" in timeline["title"]
        assert "most of its sources name" in timeline["subtitle"]
        # the full rule: the page's caption and every figure's footnote
        page.get_by_text("the actor named by the most sources", exact=False).first.wait_for()
        assert sorted(t["name"] for t in timeline["traces"]) == expected["majority_actors"]
    finally:
        ctx.close()


def test_an_overview_link_lands_on_the_overview_with_its_view(app_url, context, expected):
    """The Overview's address is / (the default page); /overview, typed or from an
    older link, lands there with its query string instead of "page not found"."""
    page = open_overview(context, f"{app_url}/overview?actor=Russia&by=month")
    assert urlparse(page.url).path == "/"
    query = parse_qs(urlparse(page.url).query)
    assert query["actor"] == ["Russia"] and query["by"] == ["month"]
    assert metrics(page)[0] == f"{expected['russia']['incidents']:,}"
    assert "(per month)" in charts(page)[0]["title"]


def test_overview_shows_the_clash_group_awaiting_review_and_best_estimate(
    app_url, context, expected
):
    """Issue 10: clashes are their own group in the timeline and the matrix, never under a
    party; the incidents naming only actors awaiting review are stated; the best
    estimate stands beside the range; the figures' subtitles say the same."""
    from ceasefire.analysis import counting
    from ceasefire.filters import CLASH_GROUP

    head = expected["headline_by_code"]
    assert head["incidents"] == expected["all"]["incidents"]
    assert head["awaiting_review"] == 2 and head["clashes_direction_undetermined"] == 2
    page = open_overview(context, f"{app_url}/")
    sentence = counting.awaiting_review_text(2)
    assert page.get_by_text(sentence).count() == 1
    assert page.get_by_text(counting.best_estimate_text(head)).count() == 1
    figures = charts(page)
    timeline = figures[0]
    clash = [t for t in timeline["traces"] if t["name"] == CLASH_GROUP]
    assert clash and clash[0]["total"] == head["clashes"] == 3
    # how clashes count stands once, above the figures: the page's footnote under them
    # keeps the credits, dates and version (issue 22); an export's footnote has both
    assert page.get_by_text(counting.clashes_text(head)).count() == 1
    assert page.get_by_text("Clashes with no stated initiator count as").count() == 0
    rows = page.evaluate(
        """Array.from(document.querySelectorAll('.js-plotly-plot'))
           .filter(g => (g._fullData || []).some(t => t.type === 'heatmap'))
           .map(g => g._fullData.filter(t => t.type === 'heatmap')
                .map(t => Array.from(t.y).concat(Array.from(t.x))))"""
    )  # the matrix's actors are its rows, or its columns when it is turned to fit
    assert rows and CLASH_GROUP in rows[0][0]
    assert CLASH_GROUP in expected["matrix_actors"]
    page.screenshot(path=str(ARTIFACTS / "overview-clashes.png"), full_page=True)
