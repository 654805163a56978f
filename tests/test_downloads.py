"""The downloads of a view: one row per claim, and the actor each incident was counted
under, checked against a hand-made store whose answers are written out below."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from ceasefire import export, queries
from ceasefire.figures import claims_data_bytes, view_claims, view_rows
from ceasefire.filters import Filter
from ceasefire.provenance import provenance
from ceasefire.records import ClaimRecord
from ceasefire.store import transaction
from conftest import incident, write


def claim(source: str, actor: str | None, killed: int | None = None, quote: str = ""):
    return ClaimRecord(
        source_name=source,
        alleged_actor=actor,
        killed_min=killed,
        killed_max=killed,
        quote=quote or None,
        source_url=f"https://example.org/{source.lower().replace(' ', '-')}",
    )


@pytest.fixture
def store(con):
    """Four incidents, seven claims (an eighth on a linked record of incident A):

    - A 2020-10-26: Russia (Source 1, Source 2), Syrian government (Source 3);
      the linked ACLED record A2 adds Russia (ACLED)
    - B 2020-11-02: Russia (Source 1), Syrian government (Source 2): a tie
    - C 2020-11-05: Turkey (Source 2)
    - D 2020-11-09: no actor named (Source 3)
    """
    write(
        con,
        incident(
            "A",
            date(2020, 10, 26),
            claims=[
                claim("Source 1", "Russia", 43, "=SUM(A1) 43 killed"),
                claim("Source 2", "Russia"),
                claim("Source 3", "Syrian government"),
            ],
        ),
        incident(
            "B",
            date(2020, 11, 2),
            claims=[claim("Source 1", "Russia"), claim("Source 2", "Syrian government")],
        ),
        incident("C", date(2020, 11, 5), claims=[claim("Source 2", "Turkey")]),
        incident("D", date(2020, 11, 9), claims=[claim("Source 3", None)]),
    )
    write(
        con,
        incident("A2", date(2020, 10, 26), claims=[claim("ACLED", "Russia", 35)]),
        origin="acled",
    )
    with transaction(con):
        con.execute(
            "UPDATE incident SET linked_to = (SELECT incident_id FROM incident WHERE origin_id = 'A') "
            "WHERE origin_id = 'A2'"
        )
        from ceasefire.tables import derive

        derive.refresh(con)
    return con


#: Under which actors each incident counts, per attribution (written out by hand).
COUNTED_UNDER = {
    "any": {
        "A": "Russia; Syrian government",
        "B": "Russia; Syrian government",
        "C": "Turkey",
        "D": "Unknown",
    },
    # A: Russia by 3 sources (Source 1, Source 2, ACLED) against 1; B: 1 against 1
    "majority": {"A": "Russia", "B": "No majority (tie)", "C": "Turkey", "D": "Unknown"},
    # Source 2's incidents only, under the actor Source 2 names
    "source": {"A": "Russia", "B": "Syrian government", "C": "Turkey"},
}


def mode_filter(mode: str, **more) -> Filter:
    return Filter(
        attribution=mode, attribution_source="Source 2" if mode == "source" else None, **more
    )


@pytest.mark.parametrize("mode", list(COUNTED_UNDER))
def test_counted_under_is_what_the_charts_count(store, mode):
    f = mode_filter(mode)
    rows = view_rows(store, f)
    got = dict(zip(rows.origin_id, rows.counted_under, strict=True))
    assert got == COUNTED_UNDER[mode]
    # each actor's total in the chart = the rows counted under it
    per_actor = rows.counted_under.str.split("; ").explode().value_counts().sort_index()
    timeline = queries.timeline(store, f, "month").groupby("actor").incidents.sum().sort_index()
    assert per_actor.to_dict() == timeline.to_dict()
    matrix = queries.actor_target(store, f).groupby("actor").incidents.sum().sort_index()
    assert per_actor.to_dict() == matrix.to_dict()


def test_counted_under_follows_an_actor_filter(store):
    """With an actor filter the charts count only that actor: so does the column."""
    rows = view_rows(store, Filter(actors=("Russia",)))
    assert dict(zip(rows.origin_id, rows.counted_under, strict=True)) == {
        "A": "Russia",
        "B": "Russia",
    }


def csv_in_zip(data: bytes, name: str) -> bytes:
    """The CSV download is a ZIP: the CSV and its datapackage.json."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "datapackage.json" in z.namelist()
        return z.read(name)


@pytest.mark.parametrize(
    "f, n_claims",
    [
        (Filter(), 8),  # every claim, the linked record's too
        (Filter(actors=("Russia",)), 6),  # incidents A (3 + 1 linked) and B (2)
        (mode_filter("majority", actors=("Turkey",)), 1),
        (mode_filter("source"), 7),  # A (4), B (2), C (1): all their claims, not only Source 2's
    ],
)
def test_claims_download_has_one_row_per_claim_in_view(store, f, n_claims):
    rows = view_claims(store, f)
    assert len(rows) == n_claims
    assert rows.claim_id.is_unique
    for fmt, read in (
        ("csv", lambda b: pd.read_csv(io.BytesIO(csv_in_zip(b, "claims.csv")))),
        ("xlsx", lambda b: pd.read_excel(io.BytesIO(b), sheet_name="claims")),
        ("parquet", lambda b: pd.read_parquet(io.BytesIO(b))),
    ):
        assert len(read(claims_data_bytes(store, f, fmt))) == n_claims, fmt


def test_a_claim_row_carries_its_source_actor_figures_quote_and_link(store):
    rows = view_claims(store, Filter()).set_index(["origin_id", "source"])
    row = rows.loc[("A", "Source 1")]
    assert (row.role, row.actor, row.killed_min, row.killed_max) == (
        "perpetrator",
        "Russia",
        43,
        43,
    )
    assert row.quote == "=SUM(A1) 43 killed"
    assert row.source_url == "https://example.org/source-1"
    linked = rows.loc[("A2", "ACLED")]
    # the linked record's claim is listed under the incident it is linked to
    assert linked.incident_id == row.incident_id and linked.origin == "acled"
    csv = csv_in_zip(claims_data_bytes(store, Filter(), "csv"), "claims.csv").decode()
    assert "'=SUM(A1) 43 killed" in csv  # no formula in a spreadsheet


def test_file_names_carry_a_readable_slug_of_the_view(store):
    prov = provenance(store, Filter())
    f = Filter(agreement="sochi-2018", actors=("Russia",), attribution="majority")
    slug = export.view_slug(f.to_query_params(), "month")
    assert slug == "sochi-2018_russia_majority_month"
    assert export.file_name("timeline", prov, "png", slug) == (
        f"timeline_sochi-2018_russia_majority_month_{prov.data_version}.png"
    )
    assert export.view_slug(Filter().to_query_params(), "week") == "all_week"
    both = Filter(
        start=date(2019, 1, 1),
        include_demo=False,
        violations_only=True,
        actors=("Syrian government",),
    )
    assert (
        export.view_slug(both.to_query_params())
        == "from-2019-01-01_syrian-government_violations_no-demo"
    )
    many = Filter(actors=tuple(f"Actor number {i}" for i in range(20)))
    long = export.view_slug(many.to_query_params(), "week")
    assert long.endswith("_etc_week") and len(long) <= export.SLUG_LIMIT + 4
