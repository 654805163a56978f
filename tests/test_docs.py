"""The front door and the manual: README.md stays short (a newcomer reads it in five
minutes; the manual is in docs/), and no relative link in README.md or docs/*.md points
at a file that does not exist (a moved or renamed file breaks a link silently)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: Markdown links and images ``[text](target)``, and HTML ``src="target"`` / ``href=``.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?:src|href)=\"([^\"]+)\"")


def relative_links(path: Path) -> list[str]:
    """Every link in a Markdown file that points inside the repository, anchors cut,
    links inside fenced code blocks ignored."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    found = []
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "//")):
            continue
        found.append(target.split("#", 1)[0])
    return [target for target in found if target]


def test_the_readme_is_at_most_200_lines():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines: move the detail to docs/"


def test_every_relative_link_points_at_a_file():
    files = [README, *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        f"{path.relative_to(ROOT)}: {target}"
        for path in files
        for target in relative_links(path)
        if not (path.parent / target).exists()
    ]
    assert broken == []


def test_the_link_reader_finds_links_and_skips_addresses(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '[a](docs/a.md#part) ![b](figures/b.png "title") <img src="c.png" alt="c">\n'
        "[web](https://example.org) [here](#top) [mail](mailto:x@example.org)\n"
        "```\n[code](not/a/link.md)\n```\n",
        encoding="utf-8",
    )
    assert relative_links(page) == ["docs/a.md", "figures/b.png", "c.png"]


def test_the_readme_links_every_manual_page():
    linked = {Path(target).name for target in relative_links(README)}
    unlinked = sorted(p.name for p in (ROOT / "docs").glob("*.md") if p.name not in linked)
    assert unlinked == [], "a docs/ page the README does not link to"
