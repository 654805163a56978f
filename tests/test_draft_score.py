"""The claim-level scorer (``ceasefire.draft.score``, ``python -m ceasefire draft-score``)
on hand-made proposals whose counts are worked out by hand, and its CLI.

The corpus gates (the drafter's scores on tests/drafting/) are in
tests/test_draft_corpus.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ceasefire.cli import main
from ceasefire.draft import score

ROOT = Path(__file__).resolve().parents[1]


def v(value):
    return {"value": value, "span": None}


def claim(source, actor=None, also=(), role="perpetrator", **figures):
    c = {"source_name": v(source), "alleged_actor": {**v(actor), "actor": actor}, "role": v(role)}
    if also:
        c["also_named"] = v(list(also))
    for name, (lo, hi, qual) in figures.items():
        if lo is not None:
            c[f"{name}_min"] = {**v(lo), "qualifier": qual}
        if hi is not None:
            c[f"{name}_max"] = {**v(hi), "qualifier": qual}
    return c


def incident(**fields):
    base = dict(
        occurred_on="2023-06-25", place_name="Jisr al-Shughur", governorate="Idleb",
        district="Jisr-Ash-Shugur", weapon="airstrike", target_type="market",
        verification="reported",
    )  # fmt: skip
    base.update(fields)
    return {k: v(x) for k, x in base.items()}


EXPECTED = {
    "outlet": "Associated Press",
    "published": "2023-06-25",
    "incidents": [
        {
            "occurred_on": "2023-06-25", "place_name": ["Jisr al-Shughur"], "governorate": "Idleb",
            "district": "Jisr-Ash-Shugur", "weapon": "airstrike", "target_type": "market",
            "verification": "reported",
            "claims": [
                {"source": "Associated Press", "actor": "Russia",
                 "killed": {"min": 9, "max": None, "qualifier": "at least"}},
                {"source": "Syrian Observatory for Human Rights", "actor": ["Russia", "Syrian government"]},
                {"source": "Syria Civil Defence", "aliases": ["White Helmets"], "actor": None,
                 "wounded": {"min": 31, "max": None, "qualifier": "more than"}},
            ],
        },
        {
            "occurred_on": None, "place_name": None, "governorate": None, "district": None,
            "weapon": "shelling/artillery", "target_type": "armed-group position",
            "verification": "reported",
            "claims": [{"source": "Associated Press", "actor": "Pro-government militias|Iran"}],
        },
    ],
}  # fmt: skip


def test_counts_of_a_proposal_worked_out_by_hand():
    proposal = {
        "incident": incident(place_name="Jisr ash Shughur", verification="disputed"),
        "claims": [
            # right source, right actor, right figure
            claim("Associated Press", "Russia", killed=(9, None, "at least")),
            # right source (case and spelling), one of two actors, plus a wrong one
            claim("the Syrian Observatory For Human Rights", "Russia", also=["Turkey"]),
            # an alias; the wounded figure's qualifier wrong; an extra killed figure
            claim("White Helmets", None, wounded=(31, None, "over"), killed=(2, 2, None)),
            # a source the expectation does not have
            claim("Sputnik", "Syrian government"),
        ],
        "other_incidents": [],
    }
    n = score.score_proposal(proposal, EXPECTED)
    assert (n.incidents_expected, n.incidents_proposed, n.incidents_matched) == (2, 1, 1)
    # claims: 4 expected (3 + 1 in the missed act), 4 proposed, 3 matched
    assert (n.claims_expected, n.claims_proposed, n.claims_matched) == (4, 4, 3)
    # pairs: expected AP-Russia, SOHR-Russia, SOHR-Syrian government, AP-(militias|Iran);
    # proposed AP-Russia, SOHR-Russia, SOHR-Turkey, Sputnik-Syrian government
    assert (n.pairs_expected, n.pairs_proposed) == (4, 4)
    assert (n.pairs_matched_expected, n.pairs_matched_proposed) == (2, 2)
    # figures: AP killed (right); White Helmets wounded (qualifier wrong), killed (extra)
    assert (n.figures_total, n.figures_right) == (3, 1)
    # fields of the matched act: all six right (the place by its gazetteer key)
    assert all(n.fields[f] == [1, 1] for f in score.FIELDS)
    assert n.false_disputes == 1
    rates = n.rates()
    assert rates["claim_recall"] == 0.75 and rates["blame_precision"] == 0.5


def test_null_fields_are_not_scored_except_a_date():
    assert score.field_right("district", None, "Idleb") is None
    assert score.field_right("occurred_on", None, None) is True
    assert score.field_right("occurred_on", None, "2023-06-25") is False
    assert score.field_right("governorate", ["Idleb", "Hama"], "Hama") is True
    assert score.field_right("place_name", "Jabal al-Duwaila", "Jabal al-Duwaila, near Haram")


def test_names_and_qualifiers_compare_by_rule():
    assert score.norm_source("The Russian Center for Reconciliation") == score.norm_source(
        "Russian Centre for Reconciliation"
    )
    assert score.norm_source("Turkish Defense Ministry") == "turkish defence ministry"
    assert (
        score.norm_qualifier("Neutralizing") == score.norm_qualifier("neutralised") == "neutralized"
    )


def test_a_party_of_a_clash_is_not_a_blame_pair():
    proposal = {
        "incident": incident(),
        "claims": [claim("Associated Press", "Russia", role="party", killed=(9, None, "at least"))],
        "other_incidents": [],
    }
    expected = {**EXPECTED, "incidents": EXPECTED["incidents"][:1]}
    n = score.score_proposal(proposal, expected)
    assert n.pairs_proposed == 0


def test_cli_scores_a_folder_and_refuses_a_case_without_text(tmp_path, capsys):
    corpus = ROOT / "tests" / "drafting" / "corpus" / "dev"
    name = "sohr-2020-01-15-idlib-market"
    for suffix in (".txt", ".expected.json"):
        shutil.copy(corpus / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    assert main(["draft-score", str(tmp_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"articles", "total"} and name in out["articles"]
    assert out["total"]["claims_expected"] == 2
    (tmp_path / f"{name}.txt").unlink()
    assert main(["draft-score", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"no {name}.txt" in err and err.startswith("error:")


@pytest.mark.parametrize("bad", ["{", '{"outlet": "X"}'])
def test_cli_names_the_file_of_a_bad_expectation(tmp_path, capsys, bad):
    (tmp_path / "a.expected.json").write_text(bad, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    assert main(["draft-score", str(tmp_path)]) == 2
    assert "a.expected.json" in capsys.readouterr().err
