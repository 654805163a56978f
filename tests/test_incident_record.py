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
