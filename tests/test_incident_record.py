"""The incident page's words: figures as sources gave them, the rule step by step."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire import queries
from ceasefire.incident_record import casualty_words, figure_words, md_escape, violation_reasoning


@pytest.mark.parametrize(
    "low, high, words",
    [
        (43, 43, "43"),
        (31, None, "more than 30"),  # coded as one above the stated floor
        (None, 75, "up to 75"),
        (10, 12, "10–12"),
        (None, None, None),
        (float("nan"), float("nan"), None),
    ],
)
def test_a_claims_figure_reads_as_the_source_gave_it(low, high, words):
    assert figure_words(low, high) == words


def test_the_founding_incident_reads_as_in_the_readme(seeded):
    claims = queries.incident_claims(seeded, 1)
    assert casualty_words(claims) == (
        "31–75 killed: 43 (Al-Watan), more than 30 (Baladi News), up to 75 (Sputnik); "
        "not stated by Al-Mayadeen and National Liberation Front."
    )
    assert casualty_words(claims, "wounded").startswith("31+ wounded: more than 30 (Baladi News)")
    assert (
        casualty_words(claims, "civilians_killed") == "Civilians killed: not stated by any source."
    )


def test_the_rule_in_words_agrees_with_the_stored_verdict(demo_con):
    """For 80 demo incidents and every agreement: 'alleged violation' exactly when all
    four steps say yes, and the verdict is the one the charts count."""
    ids = [
        r[0]
        for r in demo_con.execute(
            "SELECT incident_id FROM incident_fact USING SAMPLE 80 ROWS (reservoir, 7)"
        ).fetchall()
    ]
    seen = set()
    for incident_id in ids:
        checks = queries.violation_checks(demo_con, incident_id)
        stored = set(
            demo_con.execute(
                "SELECT violated_agreements FROM incident_fact WHERE incident_id = ?", [incident_id]
            ).fetchone()[0]
        )
        for (headline, violated, steps), agreement in zip(
            violation_reasoning(checks), checks.agreement_id, strict=True
        ):
            all_yes = all(": yes" in step for step in steps)
            assert violated == all_yes == (agreement in stored), (incident_id, headline, steps)
            seen.add((violated, tuple(": yes" in s for s in steps)))
    assert (True, (True, True, True, True)) in seen and len(seen) > 3  # varied cases


def test_store_text_cannot_format_or_link_through_markdown():
    text = md_escape("**bold** [x](javascript:alert(1)) <b>hi</b> # h")
    assert "**" not in text.replace("\\*", "") and "](" not in text.replace("\\]\\(", "")
    assert "<b>" not in text.replace("\\<", "")
    assert pd.Series([text]).str.contains(r"\\\*\\\*bold").all()


@pytest.mark.parametrize("order", ["newest", "oldest", "killed", "claims", "place"])
def test_pages_cover_the_filtered_set_in_order_from_either_end(demo_con, order):
    """Pages cut from the end (``total`` given: the last pages are sorted in reverse)
    equal pages cut from the start, and together they are every incident once, in the
    order pandas gives."""
    from ceasefire.filters import Filter

    f = Filter(governorates=("Idleb",))
    facts = demo_con.execute(
        "SELECT f.incident_id, f.occurred_on, f.killed_max, f.n_claims, i.place_name, "
        "f.governorate FROM incident_fact f JOIN incident i USING (incident_id)"
    ).df()
    facts = facts[facts.governorate == "Idleb"]
    sort = {
        "newest": (["occurred_on", "incident_id"], [False, False]),
        "oldest": (["occurred_on", "incident_id"], [True, True]),
        "killed": (["killed_max", "occurred_on", "incident_id"], [False, False, False]),
        "claims": (["n_claims", "occurred_on", "incident_id"], [False, False, False]),
        "place": (["place_name", "occurred_on", "incident_id"], [True, False, False]),
    }[order]
    expected = facts.sort_values(sort[0], ascending=sort[1], na_position="last").incident_id
    total = len(expected)
    per = 350
    ids, ids_from_end = [], []
    for offset in range(0, total, per):
        ids += queries.incidents(demo_con, f, per, offset, order).incident_id.tolist()
        ids_from_end += queries.incidents(
            demo_con, f, per, offset, order, total=total
        ).incident_id.tolist()
    assert ids == ids_from_end == expected.tolist()
