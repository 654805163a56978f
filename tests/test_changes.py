"""What changed this week: flags, the low-baseline guard, emerging actors, and a week of
2019 checked against an independent weekly count from the ACLED CSV (pandas)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pandas as pd
import pytest

from ceasefire import importers
from ceasefire.analysis import changes
from ceasefire.cli import main
from ceasefire.filters import Filter
from ceasefire.store.bootstrap import ensure_store
from conftest import SHARED_DATA, incident, write


@pytest.mark.parametrize(
    ("count", "baseline", "expected"),
    [
        (13, 10, "large increase"),  # +30 %
        (12.5, 10, "moderate increase"),  # +25 % exactly: not more than 25
        (11, 10, "moderate increase"),  # +10 %
        (10.9, 10, "limited change"),
        (7.5, 10, "limited change"),  # -25 % exactly
        (7, 10, "large decrease"),
        (5, 2, "limited change"),  # low baseline, at most 5 this week
        (6, 2, "large increase"),  # more than 5 this week: the guard does not apply
        (0, 2, "limited change"),
        (3, 0, "limited change"),
        (6, 0, "large increase"),
        (0, 3, "large decrease"),
    ],
)
def test_flags_and_low_baseline_guard(count, baseline, expected):
    assert changes.flag(count, baseline) == expected


def test_week_against_baselines_and_emerging(con):
    week = date(2020, 6, 1)  # a Monday
    records = []
    # Russia in Al Ma'ra: 1 a week for the 52 weeks before, 8 this week
    for k in range(1, 53):
        records.append(incident(f"r{k}", week - timedelta(weeks=k) + timedelta(days=2), "Russia"))
    records += [incident(f"rw{i}", week + timedelta(days=i % 7), "Russia") for i in range(8)]
    # Turkey appears this week in Ariha, where nobody was before
    records.append(incident("t1", week + timedelta(days=6), "Turkey", district="Ariha"))
    # next week's incident is not this week's
    records.append(incident("n1", week + timedelta(days=7), "Turkey", district="Ariha"))
    write(con, *records)
    c = changes.changes(con, Filter(), week + timedelta(days=3), "district")
    assert c.week == week
    rows = c.frame.set_index("group")
    maara = rows.loc["Al Ma'ra"]
    assert (maara.week_count, maara.avg_4w, maara.avg_52w) == (8, 1.0, 1.0)
    assert maara.pct_52w == 700 and maara.flag_52w == "large increase"
    assert rows.loc["Ariha"].week_count == 1 and rows.loc["Ariha"].emerging == ["Turkey"]
    assert maara.emerging == []
    by_actor = changes.changes(con, Filter(), week, "actor").frame.set_index("group")
    assert by_actor.loc["Turkey"].emerging == ["Ariha"]
    assert by_actor.loc["Turkey"].flag_4w == "limited change"  # 1 vs 0: low baseline


def test_baseline_counts_only_weeks_the_data_covers(con):
    week = date(2020, 6, 1)
    write(
        con,
        incident("a", week - timedelta(weeks=2), "Russia"),
        incident("b", week, "Russia"),
    )
    c = changes.changes(con, Filter(), week, "governorate")
    r = c.frame.iloc[0]
    assert (r.weeks_4w, r.weeks_52w) == (2, 2) and r.avg_52w == 0.5


@pytest.fixture(scope="module")
def acled():
    path = SHARED_DATA / "acled" / "acled_syria_nw_battles_2018_2019.csv"
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared data is missing at {path}")
        pytest.skip(f"real data not available: {path}")
    con = ensure_store(":memory:", with_demo=False)
    importers.import_file(con, "acled", path, editor="tests")
    frame = pd.read_csv(path, usecols=["event_date", "admin1"])
    day = pd.to_datetime(frame.event_date, format="%d %B %Y")
    frame["monday"] = (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).dt.date
    yield con, frame
    con.close()


@pytest.mark.parametrize("week_of", [date(2019, 5, 8), date(2019, 12, 30)])
def test_real_acled_week_matches_pandas(acled, week_of):
    con, frame = acled
    c = changes.changes(con, Filter(origins=("acled",)), week_of, "governorate")
    week = week_of - timedelta(days=week_of.weekday())
    this = frame[frame.monday == week].admin1.value_counts()
    four = frame[(frame.monday < week) & (frame.monday >= week - timedelta(weeks=4))]
    year = frame[(frame.monday < week) & (frame.monday >= week - timedelta(weeks=52))]
    first_monday = frame.monday.min()
    weeks_52 = sum(1 for k in range(1, 53) if week - timedelta(weeks=k) >= first_monday)
    rows = c.frame.set_index("group")
    assert set(rows.index) == set(year.admin1) | set(this.index)
    for gov in rows.index:
        r = rows.loc[gov]
        assert r.week_count == this.get(gov, 0)
        assert r.avg_4w == pytest.approx((four.admin1 == gov).sum() / 4)
        assert r.avg_52w == pytest.approx((year.admin1 == gov).sum() / weeks_52)


def test_cli_json_keys(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CEASEFIRE_DB", str(tmp_path / "cli.duckdb"))
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["changes", "--week-of", "2019-05-08", "--by", "district", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["week_of"] == "2019-05-06" and doc["rows"]
    keys = {"week_count", "avg_4w", "avg_52w", "pct_4w", "pct_52w", "flag_4w", "flag_52w"}
    assert keys | {"emerging"} <= set(doc["rows"][0])
    assert main(["changes", "--week-of", "2019-05-08", "--by", "actor", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("group,week_count,avg_4w,avg_52w,pct_4w")
