"""The offline map: shipped boundaries, towns, the agreements' area, points coloured by
the attribution in force, and the district choropleth."""

from __future__ import annotations

import json
import re
from datetime import date

import plotly.graph_objects as go
import pytest

from ceasefire import charts, figures, geo, queries
from ceasefire.charts import maps
from ceasefire.filters import Filter


def test_shipped_boundaries_are_small_and_credited():
    assert geo.BOUNDARIES.stat().st_size < 100_000
    doc = geo.boundaries()
    assert "OCHA COD-AB" in doc["attribution"] and "CC BY-IGO 3.0" in doc["attribution"]
    governorates = {s[0] for s in geo.shapes("governorate")}
    assert governorates == {"Idleb", "Aleppo", "Hama", "Lattakia"}
    districts = {(s[1], s[0]) for s in geo.shapes("district")}
    # every district of the agreements' area has a boundary to shade
    for governorate, district in geo.agreement_area():
        if district is not None:
            assert (governorate, district) in districts
    assert {"Idlib", "Maarat al-Numan", "Saraqib"} <= {t[0] for t in geo.towns()}


def test_built_from_the_shared_source(shared_data):
    from tools.build_boundaries import build

    rebuilt = build(shared_data / "boundaries")
    assert json.loads(geo.BOUNDARIES.read_text()) == json.loads(json.dumps(rebuilt))


def _names(fig: go.Figure) -> set[str]:
    return {t.name for t in fig.data}


@pytest.mark.parametrize("f", [Filter(start=date(2019, 5, 1), end=date(2019, 5, 31)), Filter()])
def test_map_has_boundaries_towns_and_area(demo_con, f):
    fig = figures.figure(demo_con, "map", f)
    assert {"Governorate boundaries", "District boundaries", "Towns"} <= _names(fig)
    assert "De-escalation area (by district)" in _names(fig)
    assert fig.layout.yaxis.scaleanchor == "x"  # equal aspect
    (footer,) = [a for a in fig.layout.annotations if a.name == "footer"]
    assert "OCHA COD-AB" in footer.text  # footer credit


def _legend_counts(fig: go.Figure) -> dict[str, int]:
    """'Russia (1,224)' -> {'Russia': 1224}, for the incident traces."""
    out = {}
    for trace in fig.data:
        if str(trace.uid).startswith(maps.DATA_UID):
            name, count = re.fullmatch(
                r"(.+) \(([\d,]+)\)", trace.name.replace("<br>", " ")
            ).groups()
            out[name] = int(count.replace(",", ""))
    return out


def test_points_are_coloured_and_counted_by_the_attribution_in_force(demo_con):
    """Issue 22: under "any claim" an incident blamed on several actors is drawn and
    counted under each, as the caption says and as the timeline counts it (the legend
    gave 807 for Russia, the timeline 994); under "majority" each incident once. The
    expected counts are plain SQL over the claims (tests/oracle.py)."""
    import oracle

    f = Filter(start=date(2019, 5, 1), end=date(2019, 5, 31))
    frame, binned = queries.map_frame(demo_con, f)
    assert not binned and frame.actor.notna().all()
    fig = charts.map_chart(frame, charts.ChartText("t"), binned)
    counts = _legend_counts(fig)
    located = set(
        demo_con.execute("SELECT incident_id FROM incident WHERE latitude IS NOT NULL")
        .df()
        .incident_id
    )
    for actor in ("Russia", "Syrian government"):
        under = oracle.view(demo_con, actors=(actor,), start=f.start, end=f.end)
        assert counts[actor] == len(set(under.incident_id) & located), actor
    several = frame[frame.actors.map(len) > 1]
    assert len(several) > 0 and "Several actors" not in counts
    drawn = sum(len(t.x) for t in fig.data if str(t.uid).startswith(maps.DATA_UID))
    assert drawn == frame.actors.map(len).sum() == sum(counts.values()) > len(frame)
    assert "one marker per actor" in fig.layout.meta["notes"]
    majority_frame = queries.map_frame(demo_con, f.with_(attribution="majority"))[0]
    majority = charts.map_chart(majority_frame, charts.ChartText("t"), False)
    assert sum(_legend_counts(majority).values()) == len(majority_frame) == len(frame)
    assert "Several actors" not in set(majority_frame.actor)  # one actor per incident


def test_legend_numbers_have_thousands_separators(demo_con):
    fig = figures.figure(demo_con, "map", Filter())
    names = [t.name for t in fig.data if str(t.uid).startswith(maps.DATA_UID)]
    assert any(re.search(r"\(\d,\d{3}\)", n) for n in names), names


def test_empty_map_still_shows_the_region(demo_con):
    fig = figures.figure(demo_con, "map", Filter(start=date(2001, 1, 1), end=date(2001, 1, 2)))
    assert "Governorate boundaries" in _names(fig)
    assert "No incidents with coordinates" in " ".join(a.text for a in fig.layout.annotations)


def test_district_map_counts(demo_con):
    f = Filter(start=date(2019, 1, 1), end=date(2019, 12, 31))
    frame = queries.district_counts(demo_con, f)
    expected = demo_con.execute(
        "SELECT count(*) FROM incident_fact WHERE occurred_on BETWEEN '2019-01-01' AND "
        "'2019-12-31' AND district = 'Ariha'"
    ).fetchone()[0]
    assert int(frame[frame.district == "Ariha"].incidents.iloc[0]) == expected
    fig = figures.figure(demo_con, "district-map", f)
    ariha = [t for t in fig.data if t.name == "Ariha (Idleb)"]
    assert len(ariha) == 1 and f"{expected:,} incidents" in ariha[0].text
    validated = go.Figure(fig.to_dict())
    assert json.loads(validated.to_json()) == json.loads(fig.to_json())
