"""The period brief (issue 22): the brief for March 2020 on the demo store, read back
with ``pdftotext`` (poppler), against numbers computed without the brief's code: its
headline against ``summary`` (for the period, the previous period and the 52 weeks
before), its changes against ``changes``, its incidents against the incident page's
record functions, every section present, 2 to 4 A4 pages (the parties' counts of
issue 25 included), fonts embedded, title and subject set; the same brief as
Markdown with its figures beside it. The parties' counts (the tallies of the reference
set, ``data/tallies/reference.csv``) against sums over that CSV and ``summary`` per
governorate (``tests/test_brief_tallies.py`` has the rest of that section's tests).

Costs one store (``init``), one PDF (three SVG renders and a print) and one Markdown
brief (three PNG renders): about 25 s.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from ceasefire import brief, queries, store
from ceasefire.analysis import changes
from ceasefire.cli import main
from ceasefire.filters import Filter, fmt_date
from ceasefire.incident_record import casualty_words

PERIOD = ("2020-03-01", "2020-03-31")
SECTIONS = (
    "The period in numbers",
    "What changed in the week of 23 Mar 2020",
    "By alleged actor",
    "By governorate",
    "Over time",
    "Where",
    "The most lethal incidents",
    "What the parties counted",
    "What stays uncounted",
    "Methods",
    "Data, credits and version",
)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The demo store as ``make app`` builds it, and its March 2020 brief as PDF (read
    back by pdftotext -layout) and as Markdown."""
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    folder = tmp_path_factory.mktemp("brief")
    db = str(folder / "demo.duckdb")
    assert main(["--db", db, "init"]) == 0
    pdf = folder / "brief.pdf"
    assert main(["--db", db, "brief", "--from", PERIOD[0], "--to", PERIOD[1], "-o", str(pdf)]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    md = folder / "md" / "march.md"
    assert main(["--db", db, "brief", "--from", PERIOD[0], "--to", PERIOD[1], "-o", str(md)]) == 0
    return {"db": db, "pdf": pdf, "text": _flat(text), "md": md}


def _summary(capsys, db: str, start: str, end: str) -> dict:
    capsys.readouterr()
    assert main(["--db", db, "summary", "--from", start, "--to", end]) == 0
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])


def test_every_section_is_in_the_pdf(made):
    for heading in SECTIONS:
        assert heading in made["text"], heading
    assert "Alleged ceasefire violations in the Idlib area, 1–31 Mar 2020" in made["text"]


def test_two_to_four_a4_pages_fonts_embedded_title_and_subject(made):
    reader = PdfReader(io.BytesIO(made["pdf"].read_bytes()))
    # the issue's 2 to 4 pages, the parties' counts included (March 2020 has tallies)
    assert 2 <= len(reader.pages) <= 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (596, 842)  # A4, points
    assert reader.metadata.title == "Alleged ceasefire violations in the Idlib area, 1–31 Mar 2020"
    assert reader.metadata.subject.startswith("Incidents from 1 Mar 2020 to 31 Mar 2020.")
    fonts = 0
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            font = descendants[0].get_object() if descendants else font
            descriptor = font["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            fonts += 1
    assert fonts
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in made["text"]


def test_headline_numbers_equal_summary(made, capsys):
    """This period, the previous 31 days and the 52 weeks before, each from ``summary``;
    the baseline is the average week times the period's weeks."""
    now = _summary(capsys, made["db"], *PERIOD)
    before = _summary(capsys, made["db"], "2020-01-30", "2020-02-29")
    year = _summary(capsys, made["db"], "2019-03-03", "2020-02-29")
    weeks = 31 / 7
    text = made["text"]

    def pct(a, b):
        return f"{(a - b) / b * 100:+.0f} %"

    for label, key in (("Incidents", "incidents"), ("Alleged violations", "alleged_violations")):
        base = year[key] / 52 * weeks
        flag = changes.flag(now[key] / weeks, before[key] / weeks)
        flag_52 = changes.flag(now[key] / weeks, base / weeks)
        row = (
            f"{label} {now[key]:,} {before[key]:,} {pct(now[key], before[key])} {flag} "
            f"{base:,.1f} {pct(now[key], base)} {flag_52}"
        )
        assert row in text, row
    for label, key in (("Killed (range)", "killed"), ("Wounded (range)", "wounded")):
        lo, hi = f"{key}_min", f"{key}_max"
        row = (
            f"{label} {now[lo]:,}–{now[hi]:,} {before[lo]:,}–{before[hi]:,} "
            f"{pct(now[lo], before[lo])} {year[lo] / 52 * weeks:,.0f}–{year[hi] / 52 * weeks:,.0f}"
        )
        assert row in text, row
    assert f"Disputed {now['disputed']:,} {before['disputed']:,}" in text
    assert now["incidents"] == 56  # the demo set is fixed (seeded)


def test_changes_equal_the_changes_command(made, capsys):
    for by in ("actor", "governorate"):
        capsys.readouterr()
        assert main(
            ["--db", made["db"], "changes", "--week-of", "2020-03-23", "--by", by, "--format", "json"]
        ) == 0  # fmt: skip
        rows = json.loads(capsys.readouterr().out)["rows"]
        shown = [r for r in rows if r["week_count"] or r["flag_52w"] != "limited change"]
        assert shown
        for r in shown[: brief.CHANGES_ROWS]:
            line = (
                f"{r['group']} {r['week_count']} {r['avg_4w']:.2f} {r['avg_52w']:.2f} "
                f"{r['pct_4w']:+.0f} % {r['pct_52w']:+.0f} % {r['flag_4w']} {r['flag_52w']}"
            )
            assert line in made["text"], line


def test_incident_lines_equal_the_incident_pages(made):
    """The five incidents with the highest killed figure (plain SQL), each with the
    incident page's heading and casualty sentences (the page's record functions)."""
    con = store.connect(made["db"], read_only=True)
    try:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT incident_id FROM incident_fact WHERE occurred_on BETWEEN ? AND ? "
                "AND killed_max IS NOT NULL "
                "ORDER BY killed_max DESC, occurred_on DESC, incident_id DESC LIMIT 5",
                list(PERIOD),
            ).fetchall()
        ]
        assert len(ids) == 5
        for incident_id in ids:
            detail = queries.incident_detail(con, incident_id)
            claims = queries.incident_claims(con, incident_id)
            heading = f"{detail['place_name']}, {fmt_date(detail['occurred_on'])} (incident {incident_id})"
            assert heading in made["text"], heading
            for field in ("killed", "wounded"):
                words = _flat(casualty_words(claims, field))
                assert words in made["text"], words
    finally:
        con.close()


def test_markdown_brief_has_the_same_numbers_and_its_figures(made, capsys):
    md = made["md"]
    text = md.read_text(encoding="utf-8")
    now = _summary(capsys, made["db"], *PERIOD)
    assert f"| Incidents | {now['incidents']:,} |" in text
    for heading in SECTIONS:
        assert heading in text
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (md.parent / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in md.parent.iterdir()) == [
        "march.map.png",
        "march.md",
        "march.tallies.png",
        "march.timeline.png",
    ]


def test_the_period_words_and_its_last_full_week():
    march = brief.Period(date(2020, 3, 1), date(2020, 3, 31))
    assert march.words() == "1–31 Mar 2020"
    assert march.previous() == brief.Period(date(2020, 1, 30), date(2020, 2, 29))
    assert march.baseline().start == date(2019, 3, 3)
    assert brief.last_full_week(march) == date(2020, 3, 23)
    week = brief.Period(date(2020, 3, 23), date(2020, 3, 29))
    assert brief.last_full_week(week) == date(2020, 3, 23)
    short = brief.Period(date(2020, 3, 4), date(2020, 3, 6))
    assert brief.last_full_week(short) == date(2020, 3, 2)
    assert brief.Period(date(2019, 12, 1), date(2020, 1, 31)).words() == "1 Dec 2019 – 31 Jan 2020"


def test_the_cli_needs_a_period(made, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--db", made["db"], "brief", "--from", "2020-03-01", "-o", "x.pdf"])
    assert stop.value.code == 2
    assert "--to" in capsys.readouterr().err


def test_a_section_can_be_added(made, monkeypatch):
    """w25's tally figure, or anything else: a function of the context, after a named
    section."""
    sections = list(brief.SECTIONS)
    monkeypatch.setattr(brief, "SECTIONS", sections)

    def tally_section(ctx):
        return brief.Section("tally", "Tally", "<p>t</p>", "t")

    brief.add_section(tally_section, after="incidents")
    keys = [s.__name__ for s in brief.SECTIONS]
    assert keys[keys.index("incidents_section") + 1] == "tally_section"


def test_the_overview_offers_the_brief_of_its_period(made, monkeypatch):
    """The Brief buttons name the period: the filter's dates, else the month of the last
    incident in view."""
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[1] / "app.py")
    monkeypatch.setenv("CEASEFIRE_DB", made["db"])
    at = AppTest.from_file(app, default_timeout=90)
    at.query_params["from"], at.query_params["to"] = PERIOD
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Brief for 1–31 Mar 2020 as PDF" in labels
    assert "Brief for 1–31 Mar 2020 as Markdown (ZIP with its figures)" in labels
    con = store.connect(made["db"], read_only=True)
    try:
        last = queries.headline(con, Filter()).get("last_date")
    finally:
        con.close()
    period = brief.default_period(Filter(), last)
    assert (period.start.day, period.end) == (1, last.date())


REFERENCE_TALLIES = Path(__file__).resolve().parents[1] / "data" / "tallies" / "reference.csv"


def _reference_counts(start: str, end: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(governorate, reporter's short name) -> (count, days counted) over the reference
    CSV's governorate tallies lying in the period: summed by hand, not by the app."""
    counts: dict[tuple[str, str], list] = {}
    with open(REFERENCE_TALLIES, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            inside = start <= row["period_start"] and row["period_end"] <= end
            if row["kind"] != "governorate" or not inside or not row["count"]:
                continue
            name = re.sub(r"^.*\((.*)\)$", r"\1", row["reporter"])  # 'Russian part of ...'
            entry = counts.setdefault((row["governorate"], name), [0, set()])
            entry[0] += int(row["count"])
            entry[1].add(row["period_start"])
    return {key: (total, len(days)) for key, (total, days) in counts.items()}


def test_the_parties_counts_beside_the_incidents(made, capsys):
    """March 2020: each reporter's count per governorate (the reference CSV summed by
    hand) beside that governorate's incidents and alleged violations (``summary``), in
    the PDF and in the Markdown; the statement that tallies are not incidents; the
    side-by-side figure of Idleb."""
    expected = _reference_counts(*PERIOD)
    assert len(expected) == 5  # Idleb (2 reporters), Hama, Aleppo, Lattakia
    markdown = made["md"].read_text(encoding="utf-8")
    for governorate in sorted({g for g, _ in expected}):
        capsys.readouterr()
        assert main(["--db", made["db"], "summary", "--governorate", governorate,
                     "--from", PERIOD[0], "--to", PERIOD[1]]) == 0  # fmt: skip
        out = capsys.readouterr().out
        now = json.loads(out[out.index("{") :])
        reporters = sorted(r for g, r in expected if g == governorate)
        for i, reporter in enumerate(reporters):
            count, days = expected[(governorate, reporter)]
            first = i == 0
            cells = [governorate if first else "", reporter, f"{count:,}", f"{days:,}"]
            if first:
                cells += [f"{now['incidents']:,}", f"{now['alleged_violations']:,}"]
            pdf_row = " ".join(c for c in cells if c)
            assert pdf_row in made["text"], pdf_row
            md_row = "| " + " | ".join(c or " " for c in cells + [" "] * (6 - len(cells))) + " |"
            assert md_row in markdown, md_row
    statement = brief.tallies.STATEMENT
    assert statement in made["text"] and statement in markdown
    title = "Idleb per day, 1–31 Mar 2020: the parties' counts and the incidents"
    assert title in made["text"]
    assert f"![{title}](march.tallies.png)" in markdown
    # the totals, which name no governorate, apart: the Russian part's 4 + 2 over 2 days
    assert (
        "Russian part of the joint commission the provinces its bulletin lists 6 2"
        in (made["text"])
    )


def test_a_period_the_data_does_not_reach_reads_no_data(made):
    """Numbers of a period outside the data are unknown, not zero; a period at the
    start of the data has nothing to compare with."""
    from ceasefire.brief.counts import coverage_note, headline_rows

    con = store.connect(made["db"], read_only=True)
    try:
        later = brief.context(con, Filter(), date(2030, 1, 1), date(2030, 1, 31))
        rows = headline_rows(later)
        assert all(row[1:3] == ["no data", "no data"] for row in rows)
        assert "0" not in {cell for row in rows for cell in row[1:]}
        assert "outside it" in coverage_note(later)
        first = brief.context(con, Filter(), date(2018, 1, 1), date(2018, 1, 31))
        assert first.baseline_weeks == 0
        assert headline_rows(first)[0][1:4] == ["65", "no data", "no data"]
        assert "nothing before this period" in coverage_note(first)
        march = brief.context(con, Filter(), *(date.fromisoformat(d) for d in PERIOD))
        assert march.baseline_weeks == 52 and coverage_note(march) == ""
    finally:
        con.close()
