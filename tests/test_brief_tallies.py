"""The brief's "What the parties counted" (issue 25, item 3), section by section on the
demo store (its reference tallies are ``data/tallies/reference.csv``, read here by hand
for the expected numbers): a period without a tally says so in words, never as 0; a
view of named governorates shows each one, a province named without a count is said,
not counted; the incident numbers of the brief are the same with and without the
section, and with and without any tally in the store. The PDF and Markdown of the
March 2020 brief, with this section, are checked in ``tests/test_brief.py``.

No PDF or PNG is made here: the sections' text only (about 5 s with the demo store).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ceasefire import brief
from ceasefire.brief.tallies import STATEMENT, TITLE, tallies_section
from ceasefire.filters import Filter
from ceasefire.tallies.chart import REPORTER_COLORS, bar_place, reporter_colors

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "tallies" / "reference.csv"
RUSSIAN = "Russian Centre for Reconciliation (Russian part of the joint commission)"
TURKISH = "Turkish part of the joint commission"


def _reference(start: str, end: str) -> list[dict]:
    """The reference CSV's tallies whose counted days lie in ``start``-``end``."""
    with open(REFERENCE, newline="", encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if start <= row["period_start"] and row["period_end"] <= end
        ]


def _section(con, start: date, end: date, **view) -> brief.Section:
    return tallies_section(brief.context(con, Filter(**view), start, end))


def test_a_period_without_tallies_says_so_in_words(demo_con):
    assert not _reference("2019-04-01", "2019-04-30")  # April 2019: no bulletin compiled
    section = _section(demo_con, date(2019, 4, 1), date(2019, 4, 30))
    assert section.title == TITLE and not section.figures
    assert section.markdown == (
        "No party's own count of violations for 1–30 Apr 2019 is on record in this store: "
        "no bulletin for these dates has been added to it, which does not mean that nobody "
        "counted."
    )
    assert not re.search(r"\b0\b", section.markdown) and "|" not in section.markdown
    named = _section(demo_con, date(2019, 4, 1), date(2019, 4, 30), governorates=("Idleb",))
    assert named.markdown.startswith("No party's own count of violations in Idleb for 1–30 Apr")


def test_named_governorates_each_shown_and_a_missing_count_said(demo_con):
    """May 2019, Idleb and Homs: the Turkish part's Idleb count (the CSV summed by hand,
    its bulletin naming Idleb without a number said apart), Homs with no tally in
    words, the totals (counts for all provinces a bulletin names) left out and said."""
    rows = _reference("2019-05-01", "2019-05-31")
    idleb = [r for r in rows if r["governorate"] == "Idleb" and r["kind"] == "governorate"]
    assert {r["reporter"] for r in idleb} == {TURKISH}
    counted = [int(r["count"]) for r in idleb if r["count"]]
    days = len({r["period_start"] for r in idleb if r["count"]})
    without = sum(1 for r in idleb if not r["count"])
    totals = sum(1 for r in rows if r["kind"] == "total")
    assert (sum(counted), days, without, totals) == (8, 2, 1, 6)

    section = _section(
        demo_con, date(2019, 5, 1), date(2019, 5, 31), governorates=("Idleb", "Homs")
    )
    head = brief.context(
        demo_con, Filter(governorates=("Idleb",)), date(2019, 5, 1), date(2019, 5, 31)
    ).headline
    text = section.markdown
    assert (
        f"| Idleb | Turkish part of the joint commission | {sum(counted)} | {days} "
        f"| {head['incidents']:,} | {head['alleged_violations']:,} |"
    ) in text
    assert "| Homs | No tally on record |   |   | 0 | 0 |" in text
    assert "The store holds no incident in Homs at any date" in text
    assert f"Turkish part of the joint commission, Idleb {without}." in text
    assert f"{totals} totals in the period" in text and "are not shown" in text
    assert STATEMENT in text and set(section.figures) == {"tallies"}


def test_the_incident_numbers_are_the_same_with_or_without_the_section(demo_con, monkeypatch):
    """The headline and the incidents of March 2020, built with the section, without it,
    and with every tally gone from the store (a rolled-back delete): the same text."""
    start, end = date(2020, 3, 1), date(2020, 3, 31)
    kept = [brief.SECTIONS[0], *(s for s in brief.SECTIONS if s.__name__ == "incidents_section")]

    def made(*sections) -> dict[str, str]:
        monkeypatch.setattr(brief, "SECTIONS", list(sections))
        built = brief.build(demo_con, Filter(), start, end)
        return {s.key: s.markdown for s in built.sections}

    with_section = made(kept[0], tallies_section, kept[1])
    assert "| Idleb | Russian part of the joint commission |" in with_section["tallies"]
    without = made(*kept)
    demo_con.execute("BEGIN TRANSACTION")
    try:
        demo_con.execute("DELETE FROM tally")
        no_tallies = made(kept[0], tallies_section, kept[1])
    finally:
        demo_con.execute("ROLLBACK")
    for key in ("headline", "incidents"):
        assert with_section[key] == without[key] == no_tallies[key], key
    assert no_tallies["tallies"].startswith("No party's own count of violations for 1–31 Mar")
    assert demo_con.execute("SELECT count(*) FROM tally").fetchone()[0] > 300  # rolled back


def test_a_reporter_keeps_its_colour_and_bars_stay_in_their_day():
    alone = reporter_colors([TURKISH])
    both = reporter_colors([TURKISH, RUSSIAN])
    assert alone[TURKISH] == both[TURKISH] == REPORTER_COLORS[1]
    assert both[RUSSIAN] == REPORTER_COLORS[0]
    other = reporter_colors(["A local monitor", TURKISH])
    assert other["A local monitor"] != other[TURKISH]
    day = 24 * 3600 * 1000
    place = bar_place(pd.Series(pd.to_datetime(["2020-03-17", "2020-03-31"])), "day", 1, 2)
    for width, offset in zip(place["width"], place["offset"], strict=True):
        assert 0 < offset and offset + width <= day  # inside its day, right of the first
        assert width == pytest.approx(day * 0.85 / 2)
