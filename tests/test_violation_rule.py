"""The alleged-violation rule (derive.py), at its edges.

Each test writes hand-made incidents and reads back which agreements the store says
they allegedly violate."""

from datetime import date

from ceasefire.records import ClaimRecord
from conftest import incident, write


def violated(con, origin_id: str) -> list[str]:
    return con.execute(
        "SELECT f.violated_agreements FROM incident_fact f JOIN incident i USING (incident_id) "
        "WHERE i.origin_id = ?",
        [origin_id],
    ).fetchone()[0]


def test_moscow_ceasefire_starts_on_6_march_2020(con):
    write(
        con,
        incident("day-before", date(2020, 3, 5), "Russia"),
        incident("first-day", date(2020, 3, 6), "Russia"),
        incident("day-after", date(2020, 3, 7), "Russia"),
    )
    assert "moscow-2020" not in violated(con, "day-before")
    assert "moscow-2020" in violated(con, "first-day")
    assert "moscow-2020" in violated(con, "day-after")


def test_sochi_starts_on_signature_and_astana_before_it(con):
    write(
        con,
        incident("before-sochi", date(2018, 9, 16), "Syrian Arab Army"),
        incident("sochi-day", date(2018, 9, 17), "Syrian Arab Army"),
        incident("before-astana", date(2017, 5, 5), "Syrian Arab Army"),
        incident("astana-in-force", date(2017, 5, 6), "Syrian Arab Army"),
    )
    assert violated(con, "before-sochi") == ["astana-2017"]
    assert violated(con, "sochi-day") == ["astana-2017", "sochi-2018"]
    assert violated(con, "before-astana") == []
    assert violated(con, "astana-in-force") == ["astana-2017"]


def test_outside_the_area_is_not_a_violation(con):
    write(
        con,
        # Afrin district (Aleppo) is outside the Idlib de-escalation area
        incident(
            "afrin", date(2020, 6, 1), "Turkish Military", governorate="Aleppo", district="Afrin"
        ),
        # Jebel Saman (Aleppo) is inside
        incident(
            "atarib",
            date(2020, 6, 1),
            "Turkish Military",
            governorate="Aleppo",
            district="Jebel Saman",
        ),
        # Idleb with no district known: the whole governorate is covered
        incident("idleb-no-district", date(2020, 6, 1), "Russia", district=None),
        # Hama with no district known: only parts of Hama are covered, so it cannot count
        incident("hama-no-district", date(2020, 6, 1), "Russia", governorate="Hama", district=None),
    )
    assert violated(con, "afrin") == []
    assert "moscow-2020" in violated(con, "atarib")
    assert "moscow-2020" in violated(con, "idleb-no-district")
    assert violated(con, "hama-no-district") == []


def test_non_kinetic_and_unbound_actors_do_not_count(con):
    write(
        con,
        incident("other-weapon", date(2020, 6, 1), "Russia", weapon="other"),
        incident("hts-only", date(2020, 6, 1), "HTS"),
        incident(
            "nobody-named", date(2020, 6, 1), claims=[ClaimRecord(source_name="X", killed_min=1)]
        ),
    )
    assert violated(con, "other-weapon") == []
    assert violated(con, "hts-only") == []
    assert violated(con, "nobody-named") == []


def test_conflicting_attributions_count_when_any_claim_names_a_bound_side(con):
    write(con, incident("conflict", date(2020, 6, 1), "HTS", "Russia"))
    assert "moscow-2020" in violated(con, "conflict")
    row = con.execute(
        "SELECT is_disputed, n_alleged_actors, majority_is_tie FROM incident_fact"
    ).fetchone()
    assert row == (True, 2, True)


def test_week_and_month_precision_count_only_if_the_whole_window_is_in_force(con):
    write(
        con,
        incident("week-straddles", date(2020, 3, 2), "Russia", date_precision="week"),
        incident("week-inside", date(2020, 3, 6), "Russia", date_precision="week"),
        incident("month-straddles", date(2020, 3, 1), "Russia", date_precision="month"),
        incident("month-inside", date(2020, 4, 1), "Russia", date_precision="month"),
    )
    assert "moscow-2020" not in violated(con, "week-straddles")
    assert "moscow-2020" in violated(con, "week-inside")
    assert "moscow-2020" not in violated(con, "month-straddles")
    assert "moscow-2020" in violated(con, "month-inside")


def test_one_source_naming_two_actors_jointly_is_not_a_dispute(con):
    joint = [
        ClaimRecord(source_name="UCDP GED", alleged_actor=a, killed_min=3)
        for a in ("Government of Syria", "Government of Russia (Soviet Union)")
    ]
    write(con, incident("joint", date(2019, 5, 1), claims=joint))
    assert con.execute("SELECT is_disputed, n_alleged_actors FROM incident_fact").fetchone() == (
        False,
        2,
    )


def test_majority_counts_sources_not_claims(con):
    # one outlet repeating itself three times does not outvote two independent outlets
    claims = [ClaimRecord(source_name="Outlet A", alleged_actor="Russia") for _ in range(3)] + [
        ClaimRecord(source_name=name, alleged_actor="Syrian Arab Army") for name in ("B", "C")
    ]
    write(con, incident("majority", date(2019, 5, 1), claims=claims))
    majority = con.execute(
        "SELECT a.name FROM incident_fact f JOIN actor a ON a.actor_id = f.majority_actor_id"
    ).fetchone()
    assert majority == ("Syrian government",)
