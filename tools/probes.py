"""Re-run issue 9's probes: break one rule by one line, in a scratch copy, and check
that the literal-expectation tests fail (tests/MUTATION.md, "Probes from the issue").

    .venv/bin/python tools/probes.py [--tests tests/test_expectations.py] [-k NAME]

Each probe is (name, file, old text, new text). The copy is made from the working tree
(``ceasefire/``, ``tests/``, ``data/``, ``mappings/``, ``conftest.py``, ``pyproject.toml``)
into a temporary directory; the original files are never touched. A probe whose old text
is no longer in its file is reported as "does not apply" (the code moved: update the
probe). Exit status 1 when a probe is not caught or does not apply.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ["ceasefire", "tests", "data", "mappings", "conftest.py", "pyproject.toml"]

F, D, L = "ceasefire/filters.py", "ceasefire/tables/derive.py", "ceasefire/importers/linking.py"
T = "ceasefire/taxonomy.py"
PROBES = [
    ("drop the district filter", F, 'column="district",', "column=None,"),
    ("drop the verification filter", F, 'column="verification",', "column=None,"),
    ("drop the weapon filter", F, 'column="weapon",', "column=None,"),
    (
        "drop the origin filter",
        F,
        '(f"list_has_any({a}.origins, ?)", [list(f.origins)]) if f.origins else None',
        "None",
    ),
    (
        "drop include-demo",
        F,
        'sql=lambda f, a: (f"NOT {a}.is_demo", []) if not f.include_demo else None,',
        "sql=lambda f, a: None,",
    ),
    ("drop the side filter", F, 'actor_column="side",', ""),
    (
        "drop the source-attribution restriction",
        F,
        '    if f.attribution != "source":\n        return None',
        "    return None",
    ),
    (
        "start >= becomes >",
        F,
        '(f"{a}.occurred_on >= ?", [f.start])',
        '(f"{a}.occurred_on > ?", [f.start])',
    ),
    (
        "drop the agreement end in derive",
        D,
        "AND (ag.in_force_to IS NULL OR w.window_end <= CAST(ag.in_force_to AS DATE))",
        "",
    ),
    (
        "drop the agreement end in the filter",
        F,
        "coalesce((SELECT CAST(in_force_to AS DATE)",
        "coalesce((SELECT CAST(NULL AS DATE)",
    ),
    (
        "week window 13 days longer",
        D,
        "WHEN 'week' THEN occurred_on + INTERVAL 6 DAY",
        "WHEN 'week' THEN occurred_on + INTERVAL 19 DAY",
    ),
    (
        "Compare 'after' window a day longer (compare_counts, the page's)",
        "ceasefire/queries/periods.py",
        "on + timedelta(days=days)",
        "on + timedelta(days=days + 1)",
    ),
    ("linking: no 5 km limit", T, "SAME_EVENT_MAX_KM = 5.0", "SAME_EVENT_MAX_KM = 5e6"),
    ("linking: earth radius / 100", L, "2 * 6371.0 * asin", "2 * 63.71 * asin"),
    (
        "linking: no perpetrator compatibility",
        L,
        "AND (len(lo.ids) = 0 OR",
        "AND (true OR",
    ),
    ("linking: 3-day gap", T, "SAME_EVENT_MAX_DAYS = 1", "SAME_EVENT_MAX_DAYS = 3"),
    # issue 20: three rules no test pinned
    (
        "month window ends a day early",
        D,
        "WHEN 'month' THEN last_day(occurred_on)",
        "WHEN 'month' THEN last_day(occurred_on) - INTERVAL 1 DAY",
    ),
    ("IED not kinetic", T, '    "ground clash",\n    "IED",\n)', '    "ground clash",\n)'),
    (
        "a minimum-only claim has no maximum in the claim facts",
        D,
        "c.killed_min, coalesce(c.killed_max, c.killed_min) AS killed_max,",
        "c.killed_min, c.killed_max,",
    ),
    (
        "linking: an editor's distinct pair linked",
        L,
        "WHERE d.a = lo.incident_id AND d.b = hi.incident_id)",
        "WHERE false)",
    ),
    (
        "no max >= min check",
        "ceasefire/importers/table.py",
        "out.append(check_min_max(lo[0], hi[0]))",
        "pass",
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="+", default=["tests/test_expectations.py"])
    parser.add_argument("-k", default="", help="only probes whose name contains this")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="probes-") as tmp:
        for name, path, old, new in PROBES:
            if args.k and args.k not in name:
                continue
            work = Path(tmp) / "copy"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            for item in COPY:
                src = ROOT / item
                if src.is_dir():
                    shutil.copytree(src, work / item, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy2(src, work / item)
            target = work / path
            text = target.read_text()
            if text.count(old) != 1:
                print(f"DOES NOT APPLY  {name}  ({path}: old text found {text.count(old)} times)")
                failures += 1
                continue
            target.write_text(text.replace(old, new))
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                 "-m", "not browser and not slow", *args.tests],
                cwd=work, capture_output=True, text=True,
            )  # fmt: skip
            last = (run.stdout.strip().splitlines() or ["(no output)"])[-1]
            caught = run.returncode != 0
            failures += not caught
            print(f"{'caught' if caught else 'MISSED':14s}  {name}  ({last})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
