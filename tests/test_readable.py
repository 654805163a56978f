"""Tables and charts a researcher reads without a guide (issue 21): human headers with
units, at most two decimals, thousands separators, words where a measure does not
exist (never 0), one scale for panels that compare, and counting sentences about the
rows shown.

The expectations are literals and hand counts of the fixtures written here."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest

from ceasefire import figures
from ceasefire.analysis import compare, counting
from ceasefire.charts import ChartText, compare_chart
from ceasefire.filters import Filter
from ceasefire.records import ClaimRecord
from conftest import incident, write

IN_FORCE = date(2020, 3, 6)  # the Moscow protocol's ceasefire
#: a number as a reader reads it: thousands separators, at most two decimals
NUMBER = re.compile(r"^\d{1,3}(,\d{3})*(\.\d{1,2})?$")
RATIO, BEFORE, AFTER = compare.READABLE_COLUMNS[2:]


def _row(c, days, measure):
    f = c.frame
    (row,) = f[(f.window_days == days) & (f.measure == measure) & (f.breakdown == "all")].to_dict(
        "records"
    )
    return row


@pytest.fixture
def no_best(con):
    """Three incidents before the date and two after, none with a best estimate; 30
    days either side of the Moscow protocol's entry into force (two far-off incidents
    make the data cover both whole windows)."""
    write(
        con,
        *(incident(f"b{i}", IN_FORCE - timedelta(days=i), "Russia") for i in (1, 2, 3)),
        *(incident(f"a{i}", IN_FORCE + timedelta(days=i), "Russia") for i in (1, 2)),
        incident("x1", date(2019, 1, 1), "Russia"),
        incident("x2", date(2021, 1, 1), "Russia"),
    )
    return compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (30,))


def test_a_sum_of_best_estimates_that_does_not_exist_is_not_zero(no_best):
    """No incident has a best estimate: the sum, its rate and interval are empty and no
    ratio is computed (it read "0, interval 0-1.23", i.e. "nobody killed")."""
    best = _row(no_best, 30, "killed_best")
    assert pd.isna(best["before_count"]) and pd.isna(best["after_count"])
    assert pd.isna(best["before_rate_per_30d"]) and pd.isna(best["before_rate_ci_high"])
    assert pd.isna(best["rate_ratio"]) and pd.isna(best["ci_high"])
    assert (best["before_without_best"], best["after_without_best"]) == (3, 2)
    # the other measures are untouched: 3 and 2 incidents, counts as whole numbers
    incidents = _row(no_best, 30, "incidents")
    assert (incidents["before_count"], incidents["after_count"]) == (3, 2)
    (json_row,) = [
        r
        for r in no_best.to_json_dict()["windows"][0]["rows"]
        if r["measure"] == "killed_best" and r["breakdown"] == "all"
    ]
    assert json_row["before"]["count"] is None and json_row["rate_ratio"] is None
    table = compare.readable_table(no_best.frame)
    words = table[table.Measure == compare.MEASURES["killed_best"]].iloc[0]
    assert words[RATIO] == "no best estimates in either window"
    assert words[BEFORE] == "no best estimate in 30 days"
    assert words[AFTER] == "no best estimate in 30 days"


def test_a_partial_sum_of_best_estimates_says_how_many_have_none(con):
    def with_best(origin_id, on, best):
        claim = ClaimRecord(source_name="UCDP GED", alleged_actor="Russia", killed_min=1)
        claim.killed_best = best
        return incident(origin_id, on, claims=[claim])

    write(
        con,
        with_best("b1", IN_FORCE - timedelta(days=1), 1200),
        with_best("b2", IN_FORCE - timedelta(days=2), None),
        with_best("a1", IN_FORCE + timedelta(days=1), None),
        incident("x1", date(2019, 1, 1), "Russia"),
        incident("x2", date(2021, 1, 1), "Russia"),
    )
    c = compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (30,))
    table = compare.readable_table(c.frame)
    row = table[table.Measure == compare.MEASURES["killed_best"]].iloc[0]
    assert row[BEFORE].startswith("1,200 in 30 days (1 incident has none); 1,200.00 per 30 days (")
    assert row[AFTER] == "no best estimate in 30 days"
    assert row[RATIO] == "no best estimates after"


def test_the_readable_table_has_human_headers_two_decimals_and_the_ratio_first(no_best):
    table = compare.readable_table(no_best.frame)
    assert list(table.columns) == list(compare.READABLE_COLUMNS)
    assert table.columns[2] == RATIO  # beside the measure, not off to the right
    assert not [c for c in table.columns if "_" in c or c in no_best.frame.columns]
    first = table[table.Measure == "Incidents"].iloc[0]
    # 3 before, 2 after in 30 days each: rates 3.00 and 2.00 per 30 days, ratio 0.67
    before = re.fullmatch(r"3 in 30 days; 3\.00 per 30 days \((.+)–(.+)\)", first[BEFORE])
    assert before and all(NUMBER.match(x) for x in before.groups())
    assert first[AFTER].startswith("2 in 30 days; 2.00 per 30 days (")
    ratio = re.fullmatch(r"0\.67 \((.+)–(.+); p = (.+)\)", first[RATIO])
    assert ratio and all(NUMBER.match(x) for x in ratio.groups()), first[RATIO]
    by_side = compare.readable_table(no_best.frame, "side")
    assert by_side.columns[0] == "Side" and set(by_side.Side) == {"pro-government coalition"}


def test_thousands_get_separators():
    from ceasefire.text import number

    assert number(205.66666) == "205.67"
    assert number(12345.6) == "12,345.60"
    assert number(None) == "" and number(float("nan")) == ""


def test_the_two_panels_share_one_scale(con):
    """The panels' tick labels were equal (0-250) but their ranges were not: one scale
    for both (same range, same height). Here the second panel counts fewer incidents:
    six acts of an unbound group do not meet the agreement's terms."""
    write(
        con,
        *(incident(f"r{i}", IN_FORCE - timedelta(days=i), "Russia") for i in (1, 2)),
        *(
            incident(f"h{i}", IN_FORCE - timedelta(days=i), "Hayat Tahrir al-Sham")
            for i in range(3, 9)
        ),
        incident("a1", IN_FORCE + timedelta(days=1), "Russia"),
        incident("x1", date(2019, 1, 1), "Russia"),
        incident("x2", date(2021, 1, 1), "Russia"),
    )
    c = compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (30,))
    assert _row(c, 30, "incidents")["before_count"] == 8
    assert _row(c, 30, "meets_terms")["before_count"] == 2
    layout = compare_chart(c.frame, ChartText("t", "s", "f")).layout
    assert layout.yaxis.range == layout.yaxis2.range
    assert tuple(layout.yaxis.domain or (0, 1)) == tuple(layout.yaxis2.domain or (0, 1))
    # the higher panel's top (8 incidents' upper interval) sets both
    assert layout.yaxis.range[1] == pytest.approx(
        _row(c, 30, "incidents")["before_rate_ci_high"] * 1.3
    )


def test_the_awaiting_review_sentence_counts_the_windows_only(con):
    """Two incidents naming only an unknown group: one inside the 30-day windows, one a
    year before; the figure's counting sentence counts the one in the windows (it
    counted the whole filter)."""
    unknown = "Brigade of the Invented Hill"
    write(
        con,
        incident("in", IN_FORCE - timedelta(days=3), unknown),
        incident("out", IN_FORCE - timedelta(days=400), unknown),
        incident("r", IN_FORCE + timedelta(days=3), "Russia"),
    )
    _frame, prov, _fig = figures.compare_view(con, Filter(), "moscow-2020", 30)
    assert counting.awaiting_review_text(1) in prov.counting_text
    assert counting.awaiting_review_text(2) not in prov.counting_text


def test_the_changes_table_is_words_and_numbers_a_reader_reads(con):
    """Two incidents in the week, one in each of the 4 weeks before and none earlier:
    averages 1.00 (4 weeks) and the change +100%; a district new to an actor this week
    is listed; no field name is a header."""
    from ceasefire.analysis import changes

    week = date(2020, 6, 1)  # a Monday
    write(
        con,
        incident("w1", week, "Russia"),
        incident("w2", week + timedelta(days=2), "Russia"),
        *(
            incident(f"p{k}", week - timedelta(weeks=k), "Russia", district="Ariha")
            for k in (1, 2, 3, 4)
        ),
        incident("x0", date(2019, 1, 7), "Russia", district="Ariha"),
    )
    c = changes.changes(con, Filter(), week, "actor")
    table = changes.readable_table(c)
    assert list(table.columns) == [
        "Alleged actor",
        "Incidents this week",
        "Against the previous 4 weeks",
        "Against the previous 52 weeks",
        "Areas new to it this week",
    ]
    assert not [h for h in table.columns if "_" in h or h in c.frame.columns]
    (row,) = table.to_dict("records")
    assert row["Alleged actor"] == "Russia" and row["Incidents this week"] == "2"
    assert row["Against the previous 4 weeks"] == "average 1.00 a week; +100%; limited change"
    assert row["Areas new to it this week"] == "Al Ma'ra"


def test_the_small_multiples_share_one_year_and_whole_counts():
    """What changed's panels: a group whose only incidents fall in the chosen week drew
    a sliver at its panel's edge on an x axis of its own, with a tick at 0.5 incidents.
    Every panel now spans the same 53 weeks, its count ticks are whole numbers up to
    the busiest week (gridlines stop under the title), and the title sits above the
    bars: the y range leaves it room."""
    from ceasefire.charts import changes_small_multiples

    weeks = [date(2020, 3, 2) - timedelta(weeks=k) for k in range(52, -1, -1)]
    busy = [7 if k % 4 == 0 else 2 for k in range(53)]
    series = pd.DataFrame(
        {
            "group": ["Ariha"] * 53 + ["Harim"] * 53,
            "week": weeks * 2,
            "incidents": busy + [0] * 52 + [1],
        }
    )
    fig = changes_small_multiples(
        series, {"Ariha": "large increase", "Harim": "limited change"}, ChartText("t", "s", "f")
    )
    layout = fig.layout
    first, last = pd.Timestamp(weeks[0]), pd.Timestamp(weeks[-1]) + pd.Timedelta(days=7)
    for x in (layout.xaxis, layout.xaxis2):
        assert [pd.Timestamp(v) for v in x.range] == [first, last]
    assert list(layout.yaxis.tickvals) == list(layout.yaxis2.tickvals) == [0, 2, 4, 6]
    assert layout.yaxis.range == layout.yaxis2.range
    # the bars' top (7) under the title: the panel's top part is the title's
    panel_px = (layout.yaxis.domain[1] - layout.yaxis.domain[0]) * (
        layout.height - layout.margin.t - layout.margin.b
    )
    (title,) = [a for a in layout.annotations if a.name == "panel" and "Ariha" in a.text]
    title_lines = title.text.count("<br>") + 1
    bars_px = panel_px * 7 / layout.yaxis.range[1]
    assert panel_px - bars_px > title_lines * 1.3 * title.font.size
