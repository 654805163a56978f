"""Before/after comparisons: same measures on both sides, rates, ratios and intervals.

The real-data expectations are computed with pandas straight from the ACLED CSV in
../shared/data (read in place), the intervals with statsmodels' own functions on the
same counts; the hand-made fixture checks the where/how/who measure and breakdowns."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pandas as pd
import pytest
from statsmodels.stats import rates as sm_rates
from statsmodels.stats.rates import confint_poisson_2indep

from ceasefire import importers
from ceasefire.analysis import compare
from ceasefire.cli import main
from ceasefire.filters import CLASH_GROUP, Filter
from ceasefire.queries import UNDETERMINED_GROUP
from ceasefire.records import ClaimRecord
from ceasefire.store.bootstrap import ensure_store
from conftest import SHARED_DATA, incident, write


def _row(c, days, measure="incidents", breakdown="all", group="All"):
    f = c.frame
    (row,) = f[
        (f.window_days == days)
        & (f.measure == measure)
        & (f.breakdown == breakdown)
        & (f.group == group)
    ].to_dict("records")
    return row


# --- hand-made fixture --------------------------------------------------------------


@pytest.fixture
def around(con):
    d = date(2020, 3, 6)
    write(
        con,
        # before: 2 Russian airstrikes in the area, 1 HTS (unbound side), 1 outside the area
        incident("b1", d - timedelta(days=1), "Russia"),
        incident("b2", d - timedelta(days=10), "Russia"),
        incident("b3", d - timedelta(days=3), "Hayat Tahrir al-Sham"),
        incident("b4", d - timedelta(days=5), "Russia", governorate="Deir-ez-Zor", district=None),
        # after (the day of entry into force counts as after): 1 Turkish shelling, 1
        # "other" weapon (not kinetic), and one on day 30 (outside a 30-day window)
        incident("a1", d, "Turkey", weapon="shelling/artillery"),
        incident("a2", d + timedelta(days=2), "Russia", weapon="other"),
        incident("a3", d + timedelta(days=30), "Russia"),
        # far away, to widen the data's coverage
        incident("x1", date(2019, 1, 1), "Russia"),
        incident("x2", date(2021, 1, 1), "Russia"),
    )
    return con


def test_same_measures_on_both_sides(around):
    ref = compare.reference(around, "moscow-2020")
    assert ref.on == date(2020, 3, 6) and ref.milestones["signed"] == date(2020, 3, 5)
    c = compare.compare(around, Filter(), ref, (30,))
    r = _row(c, 30)
    assert (r["before_count"], r["after_count"]) == (4, 2)
    assert (r["before_days"], r["after_days"]) == (30, 30)
    # where (not Deir-ez-Zor) / how (not 'other') / who (not HTS), whatever the date
    m = _row(c, 30, "meets_terms")
    assert (m["before_count"], m["after_count"]) == (2, 1)
    k = _row(c, 30, "killed_min")
    assert (k["before_count"], k["after_count"]) == (4, 2)  # 1 killed min per claim
    k = _row(c, 30, "killed_max")
    assert (k["before_count"], k["after_count"]) == (8, 4)
    assert _row(c, 30, "incidents", "side", "Turkey")["after_count"] == 1
    assert _row(c, 30, "incidents", "actor", "Russia")["before_count"] == 3
    assert _row(c, 30, "meets_terms", "actor", "Hayat Tahrir al-Sham")["before_count"] == 0
    assert r["before_rate_per_30d"] == 4 and r["after_rate_per_30d"] == 2


def _clash(origin_id, on, *actors, **fields):
    claims = [ClaimRecord(source_name="S", alleged_actor=a, role="party") for a in actors]
    return incident(origin_id, on, weapon="ground clash", claims=claims, **fields)


def test_clashes_are_their_own_group_and_bound_ones_meet_the_terms(con):
    d = date(2020, 3, 6)
    write(
        con,
        _clash("c1", d - timedelta(days=2), "Syrian government", "Opposition rebels"),
        _clash("c2", d - timedelta(days=4), "Syrian government", "Hayat Tahrir al-Sham"),
        _clash("c3", d + timedelta(days=1), "Syrian government", "Opposition rebels"),
    )
    c = compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (30,))
    clashes = _row(c, 30, "incidents", "actor", CLASH_GROUP)
    assert (clashes["before_count"], clashes["after_count"]) == (2, 1)
    assert not (c.frame.group == "Syrian government").any()  # a party is no perpetrator
    undetermined = _row(c, 30, "incidents", "clash", UNDETERMINED_GROUP)
    assert (undetermined["before_count"], undetermined["after_count"]) == (1, 1)  # not c2
    m = _row(c, 30, "meets_terms")
    assert (m["before_count"], m["after_count"]) == (1, 1)
    # after entry into force the clash rule makes c3 an alleged violation: same count
    assert (
        con.execute(
            "SELECT count(*) FROM incident_fact WHERE list_contains(violated_agreements, "
            "'moscow-2020')"
        ).fetchone()[0]
        == 1
    )


def test_meets_terms_equals_alleged_violations_while_in_force(around):
    """Inside the period in force the where/how/who measure is the alleged violations."""
    ref = compare.reference(around, "moscow-2020")
    c = compare.compare(around, Filter(), ref, (400,))
    violations = around.execute(
        "SELECT count(*) FROM incident_fact WHERE list_contains(violated_agreements, "
        "'moscow-2020') AND occurred_on < DATE '2020-03-06' + 400"
    ).fetchone()[0]
    assert _row(c, 400, "meets_terms")["after_count"] == violations == 3  # a1, a3, x2


def test_signature_milestone_and_typed_date(around):
    c = compare.compare(around, Filter(), compare.reference(around, "moscow-2020", "signed"), (1,))
    r = _row(c, 1)  # 5 Mar is after; the day before it, 4 Mar, has nothing
    assert (r["before_count"], r["after_count"]) == (0, 1)  # b1 is dated 5 Mar
    c = compare.compare(around, Filter(), compare.reference(around, on=date(2020, 3, 1)), (5,))
    assert "meets_terms" not in set(c.frame.measure)  # no agreement, no terms
    assert (_row(c, 5)["before_count"], _row(c, 5)["after_count"]) == (1, 3)  # b2 | b4, b3, b1


def test_window_cut_to_the_data(con):
    write(
        con,
        incident("a", date(2020, 1, 1), "Russia"),
        incident("b", date(2020, 3, 10), "Russia"),
    )
    c = compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (90,))
    r = _row(c, 90)
    assert r["after_days"] == 5  # 6-10 March: the data ends on 10 March
    assert r["before_days"] == (date(2020, 3, 5) - date(2020, 1, 1)).days + 1


def test_interval_is_statsmodels_and_zero_sides_are_handled():
    ratio, low, high, p, method = compare.rate_ratio(185, 90, 788, 90)
    expected = confint_poisson_2indep(185, 90, 788, 90, method="score", compare="ratio")
    assert (low, high) == pytest.approx(tuple(float(x) for x in expected))
    assert p == pytest.approx(
        sm_rates.test_poisson_2indep(185, 90, 788, 90, method="score", compare="ratio").pvalue
    )
    assert ratio == pytest.approx(185 / 788) and method == compare.CI_SCORE
    ratio, low, high, _, method = compare.rate_ratio(0, 30, 12, 30)
    assert ratio == 0 and low == 0 and 0 < high < 1 and method == compare.CI_EXACT
    ratio, low, high, _, _ = compare.rate_ratio(5, 30, 0, 30)
    share = 0.025 ** (1 / 5)  # Clopper-Pearson lower limit of 5 of 5 events after
    assert math.isinf(ratio) and math.isinf(high) and low == pytest.approx(share / (1 - share))
    assert compare.rate_ratio(0, 30, 0, 30)[0] is None


# --- real data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def acled_store():

    path = SHARED_DATA / "acled" / "acled_syria_nw_battles_2018_2019.csv"
    if not path.exists():
        import os

        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared data is missing at {path}")
        pytest.skip(f"real data not available: {path}")
    con = ensure_store(":memory:", with_demo=False)
    importers.import_file(con, "acled", path, editor="tests")
    frame = pd.read_csv(path, usecols=["event_date", "fatalities"])
    frame["day"] = pd.to_datetime(frame.event_date, format="%d %B %Y").dt.date
    yield con, frame
    con.close()


@pytest.mark.parametrize(
    ("agreement", "milestone", "on"),
    [("sochi-2018", "in_force", None), (None, "in_force", date(2019, 12, 1))],
)
def test_real_acled_counts_match_pandas(acled_store, agreement, milestone, on):
    con, frame = acled_store
    ref = compare.reference(con, agreement, milestone, on)
    c = compare.compare(con, Filter(origins=("acled",)), ref, (30, 90, 180))
    first, last = frame.day.min(), frame.day.max()
    for days in (30, 90, 180):
        before_from = max(ref.on - timedelta(days=days), first)
        before = frame[(frame.day >= before_from) & (frame.day < ref.on)]
        after_to = min(ref.on + timedelta(days=days - 1), last)
        after = frame[(frame.day >= ref.on) & (frame.day <= after_to)]
        r = _row(c, days)
        assert (r["before_count"], r["after_count"]) == (len(before), len(after))
        assert r["before_days"] == (ref.on - before_from).days
        assert r["after_days"] == (after_to - ref.on).days + 1
        k = _row(c, days, "killed_min")
        assert (k["before_count"], k["after_count"]) == (
            int(before.fatalities.sum()),
            int(after.fatalities.sum()),
        )
        low, high = confint_poisson_2indep(
            len(after), r["after_days"], len(before), r["before_days"], method="score"
        )
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((float(low), float(high)))
        assert r["after_rate_per_30d"] == pytest.approx(len(after) * 30 / r["after_days"])


def test_cli_json_keys(acled_store, tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.duckdb"
    monkeypatch.setenv("CEASEFIRE_DB", str(db))
    assert main(["init", "--no-demo"]) == 0
    capsys.readouterr()
    assert main(["compare", "--agreement", "moscow-2020", "--days", "90", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reference"]["date"] == "2020-03-06"
    (window,) = doc["windows"]
    row = window["rows"][0]
    assert window["days"] == 90 and row["measure"] == "incidents"
    assert {"count", "days", "rate_per_30d"} <= set(row["before"]) == set(row["after"])
    assert {"rate_ratio", "ci_low", "ci_high"} <= set(row)
    assert main(["compare", "--date", "2020-10-26", "--days", "7", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("window_days,measure,breakdown,group,before_count")
    assert main(["compare", "--days", "7"]) == 2  # neither agreement nor date


def test_best_estimates_are_summed_where_given_and_the_rest_counted(con):
    """A best estimate is summed over the incidents that have one; each side says how
    many have none, so a partial sum is never read as a total."""
    d = date(2020, 3, 6)

    def with_best(origin_id, on, best):
        claim = ClaimRecord(
            source_name="UCDP GED", alleged_actor="Russia", killed_min=1, killed_max=9
        )
        claim.killed_best = best
        return incident(origin_id, on, claims=[claim])

    write(
        con,
        with_best("b1", d - timedelta(days=1), 4),
        with_best("b2", d - timedelta(days=2), 5),
        with_best("b3", d - timedelta(days=3), None),
        with_best("a1", d + timedelta(days=1), 7),
    )
    c = compare.compare(con, Filter(), compare.reference(con, "moscow-2020"), (30,))
    best = _row(c, 30, "killed_best")
    assert (best["before_count"], best["after_count"]) == (9, 7)  # 4 + 5; 7
    assert (best["before_without_best"], best["after_without_best"]) == (1, 0)
    assert pd.isna(_row(c, 30, "killed_max")["before_without_best"])
    rows = c.to_json_dict()["windows"][0]["rows"]
    (j,) = [r for r in rows if r["measure"] == "killed_best" and r["breakdown"] == "all"]
    assert j["before"]["incidents_without_best"] == 1
