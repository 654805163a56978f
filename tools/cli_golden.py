"""Golden record of the command line: run every command of docs/cli.md (and every subcommand
with typical arguments and error cases) on a temporary store and record, per command,
its exit code, stdout, the first and last lines of stderr and the files it wrote.

    .venv/bin/python tools/cli_golden.py record before.json   # e.g. on the old CLI
    .venv/bin/python tools/cli_golden.py record after.json    # on the new one
    .venv/bin/python tools/cli_golden.py compare before.json after.json

Each command runs as a user runs it (``python -m ceasefire ...`` in a subprocess, from
the checkout this script sits in), in order, on one store in a temporary directory:
later commands see what earlier ones wrote. Outputs are normalised before recording:
the temporary directory, the checkout's path, timestamps, argon2 hashes and the hashes
that depend on them (data version, content hash) are replaced by placeholders, so two
runs of the same code record the same thing. The recording stays outside the repository
(it holds a draft of ../shared/data's article). ``compare`` prints every command whose
record differs and exits 1 if any does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
ARTICLE = ROOT.parent / "shared" / "data" / "articles" / "syrian-observer-2020-10-duwaila.txt"


def commands(t: Path) -> list[dict]:
    """Each command: ``argv`` (after ``python -m ceasefire``; ``{db}``, ``{tmp}`` and
    ``{change}`` = the last "Change N logged" are filled in), optional ``env`` additions,
    ``stdin``, and ``files`` written that are recorded."""
    db = ["--db", "{db}"]
    fresh = ["--db", "{tmp}/fresh.duckdb"]
    ed = ["--editor", "golden"]
    out = []

    def c(*argv, env=None, stdin=None, files=()):
        out.append({"argv": list(argv), "env": env or {}, "stdin": stdin, "files": list(files)})

    # usage errors with no store
    c()
    c("nonsense")
    # create
    c(*fresh, "init", "--no-demo")
    c(*db, "init")
    c(*db, "check")
    c("summary", env={"CEASEFIRE_DB": "{db}"})  # the store from the environment
    # summary with filters
    c(*db, "summary")
    c(*db, "summary", "--actor", "Russia", "--agreement", "sochi-2018")
    c(
        *db,
        "summary",
        "--actor",
        "Russia",
        "--agreement",
        "moscow-2020",
        "--attribution",
        "majority",
    )
    c(*db, "summary", "--source", "Sputnik")
    c(*db, "summary", "--attribution", "source", "--source", "Baladi News")
    c(
        *db,
        "summary",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--weapon",
        "airstrike",
        "--weapon",
        "shelling/artillery",
        "--violations-only",
        "--stated-only",
        "--no-demo-data",
    )
    c(
        *db,
        "summary",
        "--side",
        "pro-government coalition",
        "--target",
        "civilian residential",
        "--status",
        "disputed",
        "--governorate",
        "Idleb",
        "--district",
        "Harim",
    )
    c(*db, "summary", "--origin", "manual", "--actor", "Turkey", "--actor", "Iran")
    # sql
    c(*db, "sql", "timeline", "--actor", "Russia", "--agreement", "sochi-2018", "--by", "month")
    for name in ("actor-target", "headline", "target-types"):
        c(*db, "sql", name, "--weapon", "airstrike", "--attribution", "majority")
    # charts and exports
    c(
        *db,
        "chart",
        "timeline",
        "--agreement",
        "sochi-2018",
        "--actor",
        "Russia",
        "--by",
        "week",
        "--format",
        "svg",
        "-o",
        "{tmp}/fig.svg",
        files=["fig.svg"],
    )
    c(
        *db,
        "chart",
        "compare",
        "--compare-agreement",
        "moscow-2020",
        "--days",
        "90",
        "-o",
        "{tmp}/compare.json",
        files=["compare.json"],
    )
    c(*db, "chart", "target-types", "--size", "column", "--format", "json", "-o", "-")
    c(*db, "chart", "actor-target", "-o", "{tmp}/at.html", files=["at.html"])
    c(
        *db,
        "export",
        "data",
        "--actor",
        "Russia",
        "-o",
        "{tmp}/rows.csv",
        files=["rows.csv", "rows.datapackage.json"],
    )
    c(*db, "export", "data", "--actor", "Russia", "--format", "xlsx", "-o", "{tmp}/rows.xlsx")
    c(*db, "export", "data", "--format", "parquet", "-o", "{tmp}/rows.parquet")
    c(*db, "export", "data", "--weapon", "airstrike", "-o", "{tmp}/rows.zip")
    # compare and changes
    c(*db, "compare", "--agreement", "moscow-2020", "--days", "90", "--format", "json")
    c(
        *db,
        "compare",
        "--agreement",
        "sochi-2018",
        "--milestone",
        "signed",
        "--days",
        "30",
        "--days",
        "180",
    )
    c(
        *db,
        "compare",
        "--date",
        "2019-04-30",
        "--days",
        "60",
        "--actor",
        "Russia",
        "--format",
        "csv",
        "-o",
        "{tmp}/cmp.csv",
        files=["cmp.csv"],
    )
    c(*db, "compare", "--agreement", "astana-2017")
    c(*db, "changes", "--week-of", "2019-05-08", "--by", "district", "--format", "json")
    c(*db, "changes", "--week-of", "2019-05-08", "--by", "actor")
    c(
        *db,
        "changes",
        "--week-of",
        "2019-05-08",
        "--format",
        "csv",
        "-o",
        "{tmp}/chg.csv",
        files=["chg.csv"],
    )
    # drafts (write nothing)
    c(
        *db,
        "draft",
        str(ARTICLE),
        "--outlet",
        "The Syrian Observer",
        "--published",
        "2020-10-27",
        "--format",
        "json",
    )
    c(
        *db,
        "draft",
        str(ARTICLE),
        "--outlet",
        "The Syrian Observer",
        "--published",
        "2020-10-27",
        "--format",
        "text",
    )
    c(
        *db,
        "draft",
        str(FIX / "articles" / "alwatan-2020-01-maarat.html"),
        "--outlet",
        "Al-Watan",
        "--format",
        "editor",
    )
    c(
        *db,
        "draft",
        str(FIX / "articles" / "sana-2019-08-mhardeh-rockets.txt"),
        "--outlet",
        "SANA",
        "--published",
        "2019-08-20",
        "--format",
        "editor",
        "--act",
        "1",
    )
    # imports
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"), "--dry-run")
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"), *ed)
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"), *ed)  # again: unchanged
    c(*db, "import", "acled", str(FIX / "acled_roles.csv"), "--no-link", *ed)
    c(*db, "import", "ucdp", str(FIX / "ucdp_current.csv"), *ed)
    c(*db, "import", "ucdp", str(FIX / "ucdp_multiline.csv"), *ed)
    c(
        *db,
        "import",
        "table",
        str(FIX / "own_sheet.csv"),
        "--mapping",
        str(FIX / "own_sheet.toml"),
        *ed,
    )
    c(
        *db,
        "import",
        "table",
        str(FIX / "own_sheet.xlsx"),
        "--mapping",
        str(FIX / "own_sheet.toml"),
        "--dry-run",
    )
    c(*db, "import", "acled", "{tmp}/bad.csv", *ed)  # a bad row: rejected whole
    c(
        *db,
        "import",
        "acled",
        "{tmp}/bad.csv",
        "--keep-good-rows",
        "--rejects",
        "{tmp}/bad.rejects.csv",
        *ed,
        files=["bad.rejects.csv"],
    )
    c(*db, "import", "acled", "{tmp}/bad.csv", "--dry-run")
    c("import", "acled", str(FIX / "acled_quirks.csv"), "--db", "{tmp}/other.duckdb", *ed)
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"), "--encoding", "latin-1", *ed)
    c(*db, "import", "acled", "{tmp}/missing.csv", *ed)
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"))  # no editor
    c(*db, "import", "acled", str(FIX / "acled_quirks.csv"), env={"CEASEFIRE_EDITOR": "env ed"})
    c(
        *db,
        "import",
        "acled",
        str(FIX / "acled_quirks.csv"),
        *ed,
        env={"CEASEFIRE_MEMORY_LIMIT": "300MB"},
    )
    c(*db, "import", "table", str(FIX / "own_sheet.csv"), *ed)  # no --mapping
    c(*db, "import", "spss", "x.sav")
    # the workbench
    c(
        *db,
        "incident",
        "add",
        "--toml",
        str(ROOT / "data/seed/duwaila-2020-10-26.toml"),
        *ed,
        "--note",
        "again",
    )
    c(
        *db,
        "draft",
        str(FIX / "articles" / "orient-2018-11-atarib-shelling.txt"),
        "--outlet",
        "Orient",
        "--published",
        "2018-11-20",
        "--format",
        "editor",
    )
    c(*db, "incident", "add", "--json", "{tmp}/proposal.json", *ed)
    c(*db, "incident", "add", *ed)
    c(*db, "incident", "add", "--toml", "a.toml", "--json", "b.json", *ed)
    c(
        *db,
        "incident",
        "edit",
        "1",
        "--set",
        "weapon=shelling/artillery",
        "--set",
        "latitude=36.21",
        "--note",
        "why",
        *ed,
    )
    c(*db, "incident", "edit", "1", "--claim", "1", "--set", "killed_max=43", *ed)
    c(*db, "incident", "edit", "1", "--claim", "999999", "--set", "killed_max=43", *ed)
    c(*db, "incident", "edit", "1", "--set", "weapon", *ed)
    c(*db, "incident", "edit", "1", "--set", "weapon=catapult", *ed)
    c(*db, "incident", "edit", "1", "--set", "weapon=airstrike", *ed)
    c(*db, "incident", "edit", "1", *ed)
    c(*db, "incident", "edit", "x", "--set", "weapon=airstrike", *ed)
    c(*db, "incident", "delete", "2", *ed, "--note", "test")
    c(*db, "revert", "{change}", *ed)
    c(*db, "incident", "delete", "2")  # no editor
    c(*db, "actors", "review")
    c(*db, "actors", "review", "--format", "json")
    c(*db, "actors", "set-side", "Brand New Brigade", "other", "--note", "src", *ed)
    c(*db, "actors", "set-side", "Islamist Militia (Syria)", "martians", *ed)
    c(*db, "actors", "merge", "Brand New Militia", "--into", "Russia", "--note", "same", *ed)
    c(*db, "actors", "merge", "Nobody at all", "--into", "Russia", *ed)
    c(*db, "actors")
    c(*db, "history")
    c(*db, "history", "--incident", "1")
    c(*db, "history", "--incident", "1", "--format", "json")
    c(*db, "history", "--limit", "3")
    c(*db, "history", "--limit", "2", "--format", "json")
    c(*db, "history", "--incident", "424242")
    c(*db, "revert", "{change}", *ed)
    c(*db, "revert", "999999", *ed)
    c(*db, "revert", "abc", *ed)
    c("editors", "hash", "Ann Editor", "--password-stdin", stdin="s3cret pass\n")
    c("editors")
    # backup and restore
    c(*db, "backup", "{tmp}/bk", files=["bk/manifest.json"])
    c(*db, "backup", "{tmp}/bk")  # not empty
    c(*db, "restore", "{tmp}/bk")  # refuses a store with incidents
    c("--db", "{tmp}/restored.duckdb", "restore", "{tmp}/bk")
    c("--db", "{tmp}/restored.duckdb", "check")
    c(*db, "restore", "{tmp}/bk", "--force")
    c(*db, "restore", "{tmp}/nowhere")
    # demo data and reference
    c(*db, "demo", "remove")  # no editor
    c(*db, "demo", "remove", *ed)
    c(*db, "demo", "add")
    c(*db, "demo", "remove", env={"CEASEFIRE_EDITOR": "env ed"})
    c(*db, "demo", "juggle")
    c(*db, "reload-reference")
    c(*db, "check")
    # bad flag values and files
    c(*db, "summary", "--target", "castle")
    c(*db, "summary", "--from", "2020-13-45")
    c(*db, "summary", "--from", "2021-01-01", "--to", "2020-01-01")
    c(*db, "summary", "--attribution", "loudest")
    c(*db, "summary", "--agreement", "no-such-agreement")
    c(*db, "sql", "nosuch")
    c(*db, "sql", "timeline", "--by", "fortnight")
    c(*db, "chart", "nosuch", "-o", "{tmp}/x.svg")
    c(*db, "chart", "timeline")
    c(*db, "chart", "timeline", "-o", "{tmp}/x.bogus")
    c(*db, "chart", "timeline", "--days", "many", "-o", "{tmp}/x.svg")
    c(*db, "export", "stuff", "-o", "{tmp}/x.csv")
    c(*db, "compare", "--days", "30")
    c(*db, "compare", "--agreement", "nope")
    c(*db, "compare", "--date", "yesterday")
    c(*db, "changes", "--by", "district")
    c(*db, "changes", "--week-of", "2019-05-08", "--by", "village")
    c(*db, "draft", "{tmp}/missing.txt", "--outlet", "X")
    c(*db, "draft", str(ARTICLE))
    c(*db, "summary", "--no-such-flag")
    c("--db", "{tmp}/not-a-store.duckdb", "summary")
    c("--db", "{tmp}", "summary")
    c("--db", "{tmp}/new-by-reading.duckdb", "summary")
    c("--db", "{tmp}/nodir/deeper/x.duckdb", "check")
    return out


_REPLACE = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12}|<HEX>)"), "<UUID>"),
    (re.compile(r'"file": "[^"]*?\.\.\.'), '"file": "<PATH>...'),  # cut short in a table
    (re.compile(r"\$argon2id\$[^\"\s]+"), "<ARGON2>"),
    (re.compile(r"/tmp/cli-golden-[\w.]*"), "<TMP>"),  # a path cut short in a table
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"), "<TIME>"),
    (re.compile(r"\b[0-9a-f]{10,64}\b"), "<HEX>"),
    (re.compile(r"\d+(\.\d+)?s\b"), "<SECONDS>"),
]


def normalise(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp), "<TMP>").replace(str(ROOT), "<ROOT>")
    plotly_id = re.search(r'<defs id="defs-([0-9a-f]{6})"', text)  # an SVG's random id
    if plotly_id:
        text = text.replace(plotly_id.group(1), "<PLOTLY-ID>")
    for pattern, replacement in _REPLACE:
        text = pattern.sub(replacement, text)
    return text


def _fill(value: str, tmp: Path, state: dict) -> str:
    return (
        value.replace("{db}", str(tmp / "store.duckdb"))
        .replace("{tmp}", str(tmp))
        .replace("{change}", str(state.get("change", 0)))
    )


def record(target: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cli-golden-"))
    try:
        bad = tmp / "bad.csv"
        bad.write_text(
            (FIX / "acled_quirks.csv").read_text().replace("01 March 2019", "1st of March")
        )
        (tmp / "not-a-store.duckdb").write_text("not a database\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CEASEFIRE_")}
        env.update(CEASEFIRE_WRITE_WAIT="20", COLUMNS="100", PYTHONHASHSEED="0")
        state: dict = {}
        records = []
        for i, cmd in enumerate(commands(tmp)):
            argv = [_fill(a, tmp, state) for a in cmd["argv"]]
            run_env = dict(env, **{k: _fill(v, tmp, state) for k, v in cmd["env"].items()})
            done = subprocess.run(
                [sys.executable, "-m", "ceasefire", *argv],
                cwd=ROOT,
                env=run_env,
                input=(cmd["stdin"] or "").encode(),
                capture_output=True,
                timeout=600,
            )
            try:
                stdout = done.stdout.decode("utf-8")
            except UnicodeDecodeError:
                stdout = f"<{len(done.stdout)} binary bytes>"
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            if argv[-2:] == ["--format", "editor"] and done.returncode == 0:
                (tmp / "proposal.json").write_text(stdout)
            found = re.findall(r"[Cc]hange (\d+)", stdout)
            if found:
                state["change"] = int(found[-1])
            files = {}
            for name in cmd["files"]:
                path = tmp / name
                if path.exists():
                    files[name] = normalise(path.read_text(encoding="utf-8", errors="replace"), tmp)
                else:
                    files[name] = None
            records.append(
                {
                    "n": i,
                    "argv": normalise(" ".join(cmd["argv"]), tmp),
                    "env": cmd["env"],
                    "code": done.returncode,
                    "stdout": normalise(stdout, tmp),
                    "stderr_first": normalise(err[0], tmp) if err else "",
                    "stderr_last": normalise(err[-1], tmp) if err else "",
                    "files": files,
                }
            )
            print(f"{i:3d} rc={done.returncode} {' '.join(cmd['argv'])[:90]}", file=sys.stderr)
        target.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text())
    b = json.loads(after.read_text())
    if len(a) != len(b):
        print(f"different numbers of commands: {len(a)} vs {len(b)}")
        return 1
    differ = 0
    for x, y in zip(a, b, strict=True):
        for r in (x, y):  # recordings made before a normalisation was added get it too
            r["stdout"] = normalise(r["stdout"], ROOT / "-")
            r["files"] = {k: v and normalise(v, ROOT / "-") for k, v in r["files"].items()}
        keys = [
            k
            for k in ("code", "stdout", "stderr_first", "stderr_last", "files")
            if x.get(k) != y.get(k)
        ]
        if keys:
            differ += 1
            print(f"#{x['n']} {x['argv']}  differs in {', '.join(keys)}")
            for k in keys:
                print(f"   before {k}: {str(x[k])[:300]!r}")
                print(f"   after  {k}: {str(y[k])[:300]!r}")
    print(f"{differ} of {len(a)} commands differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "record":
        record(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
