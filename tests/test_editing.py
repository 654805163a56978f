"""The coding workbench's core (ceasefire/editing): edits, the change log, revert,
actor decisions, overrides that survive re-imports, and the editor requirement.

Expected values are literals or computed here from the test's own fixtures, never
from ``queries`` of the code under test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ceasefire import auth, demo, editing, importers, queries
from ceasefire.cli import main
from ceasefire.filters import Filter
from ceasefire.store import compute_data_version, integrity_problems
from conftest import delete_claim, incident, write

FIX = Path(__file__).resolve().parent / "fixtures"
SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "duwaila-2020-10-26.toml"
ED = "Test Editor"


def claim_id(con, source: str) -> int:
    return con.execute(
        "SELECT claim_id FROM claim JOIN source USING (source_id) WHERE name = ?", [source]
    ).fetchone()[0]


def duwaila(con) -> int:
    return con.execute(
        "SELECT incident_id FROM incident WHERE origin_id = 'duwaila-2020-10-26'"
    ).fetchone()[0]


def test_edit_a_figure_changes_the_headline_and_history_shows_old_and_new(seeded):
    # the seed: more than 30 (31+), 43, up to 75 -> 31-75 killed
    assert (queries.headline(seeded, Filter())["killed_max"]) == 75
    change = editing.edit_claim(
        seeded, claim_id(seeded, "Sputnik"), {"killed_max": "90"}, editor=ED, note="re-read"
    )
    h = queries.headline(seeded, Filter())
    assert (h["killed_min"], h["killed_max"]) == (31, 90)
    entries = editing.history(seeded, duwaila(seeded))
    assert entries[0]["change_id"] == change
    assert entries[0]["editor"] == ED and entries[0]["note"] == "re-read"
    assert entries[0]["old"]["killed_max"] == 75 and entries[0]["new"]["killed_max"] == 90
    table = editing.history_frame(seeded, duwaila(seeded))
    row = table[table.field == "killed_max"].iloc[0]
    assert (row.old, row.new, row.editor) == ("75", "90", ED)


def test_revert_restores_the_store_content_hash(seeded):
    original = compute_data_version(seeded)
    iid = duwaila(seeded)
    changes = [
        editing.edit_claim(seeded, claim_id(seeded, "Sputnik"), {"killed_max": 90}, editor=ED),
        editing.edit_incident(
            seeded, iid, {"weapon": "shelling/artillery", "latitude": 36.3}, editor=ED
        ),
        delete_claim(seeded, claim_id(seeded, "Al-Watan"), editor=ED),
    ]
    new_claim = editing.add_claim(
        seeded,
        iid,
        {"source_name": "A new outlet", "alleged_actor": "Some brigade", "killed_min": 3},
        editor=ED,
    )
    assert compute_data_version(seeded) != original
    # undo newest first: the claim, its new actor and source, then the edits
    for entry in editing.history(seeded):
        if entry["change_id"] > changes[-1]:
            editing.revert(seeded, entry["change_id"], editor="Reviewer")
    for change in reversed(changes):
        editing.revert(seeded, change, editor="Reviewer")
    assert compute_data_version(seeded) == original
    assert new_claim not in [r[0] for r in seeded.execute("SELECT claim_id FROM claim").fetchall()]
    reverts = [e for e in editing.history(seeded) if e["reverts"]]
    assert len(reverts) == 6 and {e["editor"] for e in reverts} == {"Reviewer"}
    assert integrity_problems(seeded) == []


def test_revert_refuses_when_the_value_changed_since(seeded):
    cid = claim_id(seeded, "Sputnik")
    first = editing.edit_claim(seeded, cid, {"killed_max": 90}, editor=ED)
    editing.edit_claim(seeded, cid, {"killed_max": 80}, editor=ED)
    with pytest.raises(ValueError, match="changed since"):
        editing.revert(seeded, first, editor=ED)


def test_invalid_fields_are_all_reported_and_nothing_is_written(seeded):
    before = compute_data_version(seeded)
    with pytest.raises(editing.Invalid) as err:
        editing.edit_incident(
            seeded,
            duwaila(seeded),
            {"weapon": "catapult", "latitude": "95", "occurred_on": "26/10/2020"},
            editor=ED,
        )
    assert set(err.value.errors) == {"weapon", "latitude", "occurred_on"}
    with pytest.raises(editing.Invalid) as err:
        editing.create_incident(
            seeded,
            {
                "occurred_on": "2020-10-27",
                "weapon": "airstrike",
                "claims": [{"source_name": "X", "killed_min": 5, "killed_max": 2}],
            },
            editor=ED,
        )
    assert set(err.value.errors) == {"claims[0].killed_max"}
    assert compute_data_version(seeded) == before
    assert editing.history(seeded) == []


def test_a_write_without_an_editor_is_refused(seeded, tmp_path):
    before = compute_data_version(seeded)
    iid = duwaila(seeded)
    calls = [
        lambda: editing.edit_incident(seeded, iid, {"weapon": "IED"}, editor=None),
        lambda: editing.edit_claim(
            seeded, claim_id(seeded, "Sputnik"), {"killed_max": 1}, editor=""
        ),
        lambda: editing.add_claim(seeded, iid, {"source_name": "X"}, editor="  "),
        lambda: editing.delete_incident(seeded, iid, editor=None, note=None),
        lambda: editing.set_actor_side(seeded, "Russia", "other", editor=None),
        lambda: editing.merge_actor(seeded, "Iran", "Russia", editor=None),
        lambda: editing.create_incident(
            seeded, {"occurred_on": "2020-01-01", "weapon": "IED"}, editor=None
        ),
        lambda: importers.import_file(seeded, "acled", FIX / "acled_quirks.csv"),
        lambda: demo.remove_demo(seeded),
    ]
    for call in calls:
        with pytest.raises(auth.EditorRequired, match="needs an editor"):
            call()
    assert compute_data_version(seeded) == before
    assert editing.history(seeded) == []


def test_assigning_a_side_changes_the_violation_count_by_the_expected_number(con):
    """Hand-made incidents name "Liwa Test" (unknown: flagged for review). Those the
    Moscow protocol's rule would count once the group is opposition: in its area,
    after 6 March 2020, kinetic, and not already counted for another bound actor."""
    d = date(2020, 6, 1)
    cases = [
        # (origin_id, actors, fields, counts once Liwa Test is opposition?)
        ("a", ["Liwa Test"], {}, True),
        ("b", ["Liwa Test"], {"weapon": "shelling/artillery"}, True),
        ("c", ["Liwa Test", "Russia"], {}, False),  # already a violation (Russia)
        ("d", ["Liwa Test"], {"weapon": "other"}, False),  # not kinetic
        ("e", ["Liwa Test"], {"governorate": "Deir-ez-Zor", "district": "Al Mayadin"}, False),
        ("f", ["Liwa Test"], {"occurred_on": date(2017, 1, 1)}, False),  # before Astana
        ("g", ["HTS"], {}, False),
        ("h", ["Liwa Test"], {"district": "Harim"}, True),
    ]
    for origin_id, actors, fields, _ in cases:
        fields = dict(fields)
        write(con, incident(origin_id, fields.pop("occurred_on", d), *actors, **fields))
    expected_change = sum(counts for *_, counts in cases)
    assert expected_change == 3
    queue = editing.review_queue(con)
    row = queue[queue.name == "Liwa Test"].iloc[0]
    assert (row.incidents, row.claims) == (7, 7)
    before = queries.headline(con, Filter())["alleged_violations"]
    change = editing.set_actor_side(
        con, "Liwa Test", "opposition factions", editor=ED, note="SJAC report, p. 4"
    )
    after = queries.headline(con, Filter())["alleged_violations"]
    assert after - before == expected_change
    assert "Liwa Test" not in set(editing.review_queue(con).name)
    editing.revert(con, change, editor=ED)
    assert queries.headline(con, Filter())["alleged_violations"] == before
    assert "Liwa Test" in set(editing.review_queue(con).name)


def test_merging_an_actor_moves_its_claims_and_can_be_undone(con):
    write(con, incident("m1", date(2020, 6, 1), "Russian jets (test)"))
    original = compute_data_version(con)
    change = editing.merge_actor(con, "Russian jets (test)", "Russia", editor=ED, note="same")
    assert queries.headline(con, Filter(actors=("Russia",)))["incidents"] == 1
    assert editing.review_queue(con).empty
    # an import naming it again now resolves to Russia
    write(con, incident("m2", date(2020, 6, 2), "russian JETS (test)"))
    assert queries.headline(con, Filter(actors=("Russia",)))["incidents"] == 2
    con.execute(
        "DELETE FROM claim WHERE incident_id IN (SELECT incident_id FROM incident "
        "WHERE origin_id = 'm2')"
    )
    con.execute("DELETE FROM incident WHERE origin_id = 'm2'")
    editing.revert(con, change, editor=ED)
    assert compute_data_version(con) == original


ACLED_SRC = FIX / "acled_quirks.csv"


def test_an_edit_survives_reimport_and_a_changed_export_reports_the_conflict(con, tmp_path):
    importers.import_file(con, "acled", ACLED_SRC, editor=ED)
    syr1 = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'SYR1'").fetchone()[0]
    acled_claim = con.execute(
        "SELECT min(claim_id) FROM claim JOIN source USING (source_id) "
        "WHERE incident_id = ? AND name = 'ACLED'",
        [syr1],
    ).fetchone()[0]
    editing.edit_incident(con, syr1, {"place_name": "Kafr Nabl (corrected)"}, editor=ED)
    editing.edit_claim(con, acled_claim, {"killed_max": 6}, editor=ED, note="SOHR says 6")
    added = editing.add_claim(
        con, syr1, {"source_name": "Enab Baladi", "alleged_actor": "Russia"}, editor=ED
    )

    def state():
        return (
            con.execute("SELECT place_name FROM incident WHERE origin_id = 'SYR1'").fetchone()[0],
            con.execute(
                "SELECT killed_min, killed_max FROM claim JOIN source USING (source_id) "
                "WHERE incident_id = ? AND name = 'ACLED' ORDER BY claim_id LIMIT 1",
                [syr1],
            ).fetchone(),
            con.execute(
                "SELECT count(*) FROM claim JOIN source USING (source_id) "
                "WHERE name = 'Enab Baladi'"
            ).fetchone()[0],
        )

    assert state() == ("Kafr Nabl (corrected)", (4, 6), 1)
    again = importers.import_file(con, "acled", ACLED_SRC, editor=ED)
    assert (again.summary.unchanged, again.summary.conflicts) == (3, [])
    assert state() == ("Kafr Nabl (corrected)", (4, 6), 1)

    # a newer export: SYR1's fatalities 4 -> 5 (the claim's figures) and its location
    lines = ACLED_SRC.read_text().splitlines(keepends=True)
    row = lines[1].replace('",4,,1', '",5,,1').replace(",Kafr Nabel,35.6136", ",Kafranbel,35.6136")
    assert row != lines[1]
    newer = tmp_path / "newer.csv"
    newer.write_text(lines[0] + row + "".join(lines[2:]))
    report = importers.import_file(con, "acled", newer, editor=ED)
    s = report.summary
    assert (s.updated, s.unchanged) == (1, 2)
    text = " ".join(s.conflicts)
    assert len(s.conflicts) == 2, s.conflicts
    assert "place_name is now 'Kafranbel'" in text and "killed_max is now 5" in text
    assert "CONFLICTS" in report.as_text()
    # the overrides stay; the field no editor touched takes the file's value
    assert state() == ("Kafr Nabl (corrected)", (5, 6), 1)
    assert added in [r[0] for r in con.execute("SELECT claim_id FROM claim").fetchall()]
    assert len(editing.conflicts(con)) == 2
    # the import is one logged change with its report
    imports = [e for e in editing.history(con) if e["entity"] == "import"]
    assert len(imports) == 3 and "CONFLICTS (2)" in imports[0]["new"]["report"]
    assert imports[0]["new"]["conflicts"] == s.conflicts
    # an editor settles one in the dataset's favour
    editing.accept_imported(con, "acled", "SYR1", "place_name", editor=ED)
    assert state()[0] == "Kafranbel"
    assert len(editing.conflicts(con)) == 1
    assert integrity_problems(con) == []


def test_a_deleted_imported_claim_stays_deleted_after_a_rewrite(con, tmp_path):
    importers.import_file(con, "acled", ACLED_SRC, editor=ED)
    syr1 = con.execute("SELECT incident_id FROM incident WHERE origin_id = 'SYR1'").fetchone()[0]
    claims = con.execute(
        "SELECT claim_id, source_id, alleged_actor_id FROM claim WHERE incident_id = ? "
        "ORDER BY claim_id",
        [syr1],
    ).fetchall()
    delete_claim(con, claims[1][0], editor=ED)
    lines = ACLED_SRC.read_text().splitlines(keepends=True)
    newer = tmp_path / "newer.csv"
    newer.write_text(lines[0] + lines[1].replace('",4,,1', '",5,,1') + "".join(lines[2:]))
    importers.import_file(con, "acled", newer, editor=ED)
    kept = con.execute(
        "SELECT source_id, alleged_actor_id FROM claim WHERE incident_id = ? ORDER BY claim_id",
        [syr1],
    ).fetchall()
    assert kept == [(c[1], c[2]) for i, c in enumerate(claims) if i != 1]


def test_create_incident_from_the_seed_file_matches_the_seed(con, seeded_elsewhere):
    from ceasefire.cli.edit import proposals_from_toml

    proposal = proposals_from_toml(SEED)[0]
    proposal["origin_id"] = "coded-again"
    iid = editing.create_incident(con, proposal, editor=ED, note="from the article")
    # the seed file gives no P-codes; the editor adds them from the gazetteer
    fields = ", ".join(f for f in editing.INCIDENT_FIELDS if not f.endswith("pcode"))
    pcodes = con.execute("SELECT governorate_pcode, district_pcode FROM incident").fetchone()
    assert pcodes[0] == "SY07" and pcodes[1].startswith("SY07")
    claim_sql = """SELECT s.name, s.kind, s.affiliation, s.url, a.name, c.killed_min,
                          c.killed_max, c.wounded_min, c.wounded_max, c.civilians_killed_min,
                          c.civilians_killed_max, c.quote, c.published_on
                   FROM claim c LEFT JOIN source s USING (source_id)
                   LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id ORDER BY c.claim_id"""
    ours = con.execute(f"SELECT {fields} FROM incident WHERE incident_id = ?", [iid]).fetchone()
    seed_row = seeded_elsewhere.execute(f"SELECT {fields} FROM incident").fetchone()
    assert ours == seed_row
    assert con.execute(claim_sql).fetchall() == seeded_elsewhere.execute(claim_sql).fetchall()
    assert queries.headline(con, Filter())["killed_max"] == 75
    entries = editing.history(con)
    assert [e["entity"] for e in entries].count("source") == 5
    assert entries[0]["entity"] == "incident" and entries[0]["action"] == "create"
    assert len(entries[0]["new"]["claims"]) == 5


@pytest.fixture
def seeded_elsewhere():
    from ceasefire import seed, store
    from ceasefire.store import bootstrap

    other = store.connect(":memory:")
    bootstrap.load_reference(other)
    seed.load_seed(other)
    yield other
    other.close()


def test_proposal_values_may_carry_spans(con):
    proposal = {
        "occurred_on": {"value": "2020-10-26", "span": [10, 20]},
        "weapon": "airstrike",
        "governorate": "Idlib",
        "district": {"value": "Harem", "span": [30, 35]},
        "claims": [{"source_name": {"value": "Baladi News", "span": [0, 11]}, "killed_min": 31}],
    }
    fields, claims, spans = editing.read_proposal(proposal)
    assert spans == {
        "occurred_on": [10, 20],
        "district": [30, 35],
        "claims[0].source_name": [0, 11],
    }
    iid = editing.create_incident(con, proposal, editor=ED)
    row = con.execute(
        "SELECT governorate, district, district_pcode FROM incident WHERE incident_id = ?", [iid]
    ).fetchone()
    assert row[0] == "Idleb" and row[2] is not None


def test_qualifiers_give_min_and_max():
    assert editing.qualified_figure("more than", 30) == (31, None)
    assert editing.qualified_figure("at least", 30) == (30, None)
    assert editing.qualified_figure("up to", 75) == (None, 75)
    assert editing.qualified_figure("exactly", 43) == (43, 43)


def test_cli_twins(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "cli.duckdb")
    monkeypatch.delenv("CEASEFIRE_EDITOR", raising=False)
    assert main(["--db", db, "init", "--no-demo"]) == 0
    proposal = tmp_path / "p.json"
    proposal.write_text(
        json.dumps(
            {
                "occurred_on": "2020-06-01",
                "weapon": {"value": "airstrike", "span": [0, 5]},
                "governorate": "Idleb",
                "district": "Harim",
                "claims": [{"source_name": "CLI outlet", "alleged_actor": "Liwa CLI"}],
            }
        )
    )
    # no editor: refused with a clear message, nothing written
    assert main(["--db", db, "incident", "add", "--json", str(proposal)]) == 2
    assert "needs an editor" in capsys.readouterr().err
    assert main(["--db", db, "incident", "add", "--json", str(proposal), "--editor", "cli"]) == 0
    monkeypatch.setenv("CEASEFIRE_EDITOR", "env editor")
    assert main(["--db", db, "actors", "review"]) == 0
    assert "Liwa CLI" in capsys.readouterr().out
    assert (
        main(
            ["--db", db, "actors", "set-side", "Liwa CLI", "opposition factions", "--note", "cite"]
        )
        == 0
    )
    assert main(["--db", db, "actors", "merge", "Liwa CLI", "--into", "Russia"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "history", "--format", "json"]) == 0
    log = json.loads(capsys.readouterr().out)
    keys = {"change_id", "at", "editor", "entity", "entity_id", "old", "new", "note"}
    assert all(keys <= set(e) for e in log)
    assert [e["action"] for e in log[:2]] == ["merge", "set-side"]
    assert log[0]["editor"] == "env editor" and log[1]["note"] == "cite"
    iid = next(e["entity_id"] for e in log if e["entity"] == "incident")
    assert (
        main(
            [
                "--db",
                db,
                "incident",
                "edit",
                iid,
                "--set",
                "weapon=IED",
                "--set",
                "latitude=36.1",
                "--set",
                "longitude=36.6",
            ]
        )
        == 0
    )
    assert main(["--db", db, "incident", "edit", iid, "--set", "weapon=trebuchet"]) == 2
    assert "weapon" in capsys.readouterr().err
    assert main(["--db", db, "history", "--incident", iid, "--format", "json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert mine[0]["new"] == {"weapon": "IED", "latitude": 36.1, "longitude": 36.6}
    assert main(["--db", db, "revert", str(mine[0]["change_id"])]) == 0
    assert main(["--db", db, "incident", "add", "--toml", str(SEED)]) == 2  # seeded already
    capsys.readouterr()
    copy = tmp_path / "copy.toml"
    copy.write_text(SEED.read_text().replace('"duwaila-2020-10-26"', '"duwaila-copy"'))
    # the same event as the seed's incident: listed, nothing written, exit 3
    assert main(["--db", db, "incident", "add", "--toml", str(copy)]) == 3
    out = capsys.readouterr().out
    assert "Incident 1 (manual duwaila-2020-10-26)" in out and "Nothing written" in out
    args = ["--db", db, "incident", "add", "--toml", str(copy), "--distinct"]
    with pytest.raises(SystemExit, match="2"):  # --distinct needs a note (a usage error)
        main(args)
    assert main([*args, "--note", "a second strike that day"]) == 0


def test_password_hashes_check(monkeypatch, tmp_path):
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    known = {"ann": hashed}
    assert auth.check_password("ann", "correct horse", known)
    assert not auth.check_password("ann", "wrong horse", known)
    assert not auth.check_password("bob", "correct horse", known)
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[editors.accounts]\nann = "{hashed}"\n')
    monkeypatch.setenv("CEASEFIRE_ACCOUNTS", str(accounts))
    monkeypatch.setenv("CEASEFIRE_EDITOR", "local me")
    assert auth.accounts() == known
    assert auth.local_editor() is None  # sign-in configured: no default editor
    monkeypatch.delenv("CEASEFIRE_ACCOUNTS")
    assert auth.local_editor() == "local me"


def test_save_incident_is_all_or_nothing(seeded):
    iid = duwaila(seeded)
    before = compute_data_version(seeded)
    claims = seeded.execute(
        "SELECT claim_id FROM claim WHERE incident_id = ? ORDER BY claim_id", [iid]
    ).fetchall()
    keep = [
        {"claim_id": c[0], "source_name": n}
        for c, n in zip(claims[:2], ["Baladi News", "Sputnik"], strict=True)
    ]
    keep[0].update(alleged_actor="Russian warplanes", killed_min=31, wounded_min=31)
    keep[1].update(alleged_actor="Syrian Arab Air Force", killed_max=75)
    bad = [*keep, {"source_name": "New one", "killed_min": 9, "killed_max": 1}]
    with pytest.raises(editing.Invalid) as err:
        editing.save_incident(seeded, iid, {"weapon": "IED"}, bad, editor=ED)
    assert set(err.value.errors) == {"claims[2].killed_max"}
    assert compute_data_version(seeded) == before
    good = [*keep, {"source_name": "New one", "killed_min": 9}]
    changes = editing.save_incident(seeded, iid, {"weapon": "IED"}, good, editor=ED, note="n")
    n = seeded.execute("SELECT count(*) FROM claim WHERE incident_id = ?", [iid]).fetchone()[0]
    assert n == 3  # two kept, three deleted, one added
    # the two kept claims gave their stored values: nothing of theirs was written (their
    # quotes, which the call did not give, are kept)
    quotes = seeded.execute(
        "SELECT count(*) FROM claim WHERE claim_id IN (?, ?) AND quote IS NOT NULL",
        [claims[0][0], claims[1][0]],
    ).fetchone()[0]
    assert quotes == 2
    kinds = [
        (e["entity"], e["action"])
        for e in editing.history(seeded)
        if e["change_id"] in changes and e["entity"] in ("incident", "claim")
    ]
    assert sorted(kinds) == sorted(
        [("incident", "update"), ("claim", "delete"), ("claim", "delete"), ("claim", "delete"),
         ("claim", "create")]
    )  # fmt: skip


def test_explain_counting_says_what_the_incident_will_count_as(con):
    from ceasefire.cli.edit import proposals_from_toml

    proposal = proposals_from_toml(SEED)[0]
    text = editing.explain_counting(con, proposal)
    assert text.startswith("Alleged violation of Astana memorandum")
    assert "inside Harim district (Idleb), airstrike" in text
    assert "Russia named as perpetrator by 4 of 5 sources" in text
    other = dict(proposal, weapon="other")
    assert "weapon (other) is not kinetic" in editing.explain_counting(con, other)
    hts = dict(proposal, claims=[{"source_name": "X", "alleged_actor": "HTS"}])
    assert "no claim names a perpetrator on a side the agreements bind" in (
        editing.explain_counting(con, hts)
    )
    assert editing.history(con) == []  # nothing written
