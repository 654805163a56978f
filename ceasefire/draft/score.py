"""Scoring drafts against hand-coded expectations, claim by claim.

A case is ``NAME.txt`` (or ``.html``) and ``NAME.expected.json`` (the format is described
in ``tests/drafting/corpus/README.md``). The drafter runs on the text with the expected
file's ``outlet`` and ``published``; its proposal (the main incident and every other act)
is matched to the expected incidents, and then:

- **Incidents** are matched one to one, greedily by a similarity that counts shared
  claim sources, governorate, place, date, weapon and target (ties go to the main
  incident, then to the order in the article). An expected act with no match is *missed*; its claims and blame
  pairs count as missed too. Field accuracy is over matched pairs only, so a missed act
  costs recall, not field accuracy.
- **Fields** (date, place, governorate, district, weapon, target): right when the
  proposed value is one of the expected values. A ``null`` expected place, governorate or
  district is not scored (the text does not give it); a ``null`` expected date is right
  only when the proposal leaves the date empty too. Places compare by the gazetteer's
  spelling-insensitive key, so Saraqeb = Saraqib; a proposal "X, near Y" is right if X is.
- **Claims** are matched within matched incidents by source (its name or an expected
  alias, compared case- and spelling-insensitively: Center = Centre, Defense = Defence,
  a leading "the" dropped). Recall = matched / expected, precision = matched / proposed.
- **Blame pairs** (source → actor named as perpetrator) per incident: the proposal's
  pairs are each claim's alleged actor and the actors it also names (role perpetrator;
  a clash's parties are not perpetrators); the expected pairs are each claim's actors
  (``"A|B"``: either). Precision and recall over all pairs.
- **Figures** per matched claim: each of killed, wounded, civilians killed, killed or
  wounded that either side gives is one figure; it is right when min, max and qualifier
  all agree ("neutralizing" = "neutralized").
- **False disputes**: proposed incidents marked disputed that the expectation does not
  mark disputed (an unmatched proposed incident marked disputed counts too).

Totals are sums over articles (micro averages), so a long article weighs more. The
scorer reads only the expected files and the gazetteer's key function; it shares nothing
with the rules it measures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

FIELDS = ("occurred_on", "place_name", "governorate", "district", "weapon", "target_type")
FIELD_LABELS = {
    "occurred_on": "date",
    "place_name": "place",
    "governorate": "governorate",
    "district": "district",
    "weapon": "weapon",
    "target_type": "target",
}
FIGURES = ("killed", "wounded", "civilians_killed", "killed_or_wounded")


class CaseError(ValueError):
    """A case that cannot be scored (missing text, bad JSON): the message names the file."""


def _value(v: Any) -> Any:
    return v["value"] if isinstance(v, dict) and "value" in v and "span" in v else v


def norm_source(name: str | None) -> str:
    """A source name compared case- and spelling-insensitively."""
    s = (name or "").lower().replace("’", "'")
    s = re.sub(r"\bcenter\b", "centre", s)
    s = re.sub(r"\bdefense\b", "defence", s)
    s = re.sub(r"[^\w' ]+", " ", s)
    s = re.sub(r"^\s*the\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


def norm_qualifier(q: str | None) -> str | None:
    if not q:
        return None
    q = q.lower().strip()
    q = re.sub(r"^neutrali[sz](?:ed|ing|es|e)$", "neutralized", q)
    q = re.sub(r"^eliminat(?:ed|ing|es|e)$", "eliminated", q)
    return q


def _alternatives(v: Any) -> list:
    return v if isinstance(v, list) else [v]


def _place_key(name: str | None) -> str:
    from .. import gazetteer

    return gazetteer.key(name or "")


def field_right(fld: str, expected: Any, proposed: Any) -> bool | None:
    """True/False, or None when the field is not scored (expected null, not a date)."""
    if expected is None:
        return None if fld != "occurred_on" else proposed is None
    options = _alternatives(expected)
    if fld == "place_name":
        if not proposed:
            return False
        keys = {_place_key(o) for o in options if o}
        head = str(proposed).split(", near ")[0]
        return _place_key(proposed) in keys or _place_key(head) in keys
    return proposed in options


# --- the proposal, flattened ------------------------------------------------------------


@dataclass
class PClaim:
    source: str
    actors: list[str]  # canonical perpetrators (alleged actor + also named)
    figures: dict[str, tuple[int | None, int | None, str | None]]
    role: str


@dataclass
class PIncident:
    fields: dict[str, Any]
    claims: list[PClaim]


def _proposed_claim(c: dict) -> PClaim:
    role = _value(c.get("role")) or "perpetrator"
    actors: list[str] = []
    if role == "perpetrator":
        actor = (c.get("alleged_actor") or {}).get("actor")
        if actor:
            actors.append(actor)
        actors += [a for a in (_value(c.get("also_named")) or []) if a and a not in actors]
    figures = {}
    for fld in FIGURES:
        lo, hi = c.get(f"{fld}_min"), c.get(f"{fld}_max")
        if lo is None and hi is None:
            continue
        qual = (lo or {}).get("qualifier") or (hi or {}).get("qualifier")
        figures[fld] = (_value(lo), _value(hi), norm_qualifier(qual))
    return PClaim(str(_value(c.get("source_name")) or ""), actors, figures, role)


def flatten(proposal: dict) -> list[PIncident]:
    parts = [proposal] + list(proposal.get("other_incidents") or [])
    out = []
    for part in parts:
        inc = part["incident"]
        out.append(
            PIncident(
                {k: _value(inc.get(k)) for k in (*FIELDS, "verification")},
                [_proposed_claim(c) for c in part.get("claims", [])],
            )
        )
    return out


# --- counts -------------------------------------------------------------------------------


@dataclass
class Counts:
    incidents_expected: int = 0
    incidents_proposed: int = 0
    incidents_matched: int = 0
    claims_expected: int = 0
    claims_proposed: int = 0
    claims_matched: int = 0
    pairs_expected: int = 0
    pairs_proposed: int = 0
    pairs_matched_expected: int = 0  # expected pairs found
    pairs_matched_proposed: int = 0  # proposed pairs that are right
    figures_total: int = 0
    figures_right: int = 0
    false_disputes: int = 0
    missed_disputes: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    misses: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in (
            "incidents_expected", "incidents_proposed", "incidents_matched",
            "claims_expected", "claims_proposed", "claims_matched", "pairs_expected",
            "pairs_proposed", "pairs_matched_expected", "pairs_matched_proposed",
            "figures_total", "figures_right", "false_disputes", "missed_disputes",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for f in FIELDS:
            self.fields[f][0] += other.fields[f][0]
            self.fields[f][1] += other.fields[f][1]

    def rates(self) -> dict[str, float | None]:
        def r(a: int, b: int) -> float | None:
            return a / b if b else None

        out = {
            "claim_recall": r(self.claims_matched, self.claims_expected),
            "claim_precision": r(self.claims_matched, self.claims_proposed),
            "blame_precision": r(self.pairs_matched_proposed, self.pairs_proposed),
            "blame_recall": r(self.pairs_matched_expected, self.pairs_expected),
            "figures": r(self.figures_right, self.figures_total),
            "incident_recall": r(self.incidents_matched, self.incidents_expected),
        }
        for f in FIELDS:
            out[FIELD_LABELS[f]] = r(*self.fields[f])
        return out

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "fields"}
        d["fields"] = {FIELD_LABELS[f]: list(v) for f, v in self.fields.items()}
        d["rates"] = self.rates()
        return d


def _claim_names(c: dict) -> set[str]:
    return {norm_source(c["source"])} | {norm_source(a) for a in c.get("aliases", [])}


def _expected_actors(c: dict) -> list[set[str]]:
    actors = c.get("actor")
    if actors is None:
        return []
    return [set(a.split("|")) for a in _alternatives(actors)]


def _expected_figures(c: dict) -> dict[str, tuple]:
    return {
        f: (c[f].get("min"), c[f].get("max"), norm_qualifier(c[f].get("qualifier")))
        for f in FIGURES
        if c.get(f)
    }


def _similarity(e: dict, p: PIncident, ei: int, pi: int) -> float:
    names = {n for c in e["claims"] for n in _claim_names(c)}
    shared = sum(1 for c in p.claims if norm_source(c.source) in names)
    score = 2.0 * shared
    for fld, weight in (
        ("governorate", 1.0),
        ("place_name", 2.0),
        ("occurred_on", 1.0),
        ("weapon", 1.0),
        ("target_type", 0.5),
    ):
        if field_right(fld, e.get(fld), p.fields.get(fld)):
            score += weight
    if score == 0:
        return 0.0
    return score + (0.5 if ei == pi == 0 else 0.0) - 0.01 * abs(ei - pi)


def match_incidents(expected: list[dict], proposed: list[PIncident]) -> list[tuple[int, int]]:
    pairs = sorted(
        (
            (_similarity(e, p, i, j), i, j)
            for i, e in enumerate(expected)
            for j, p in enumerate(proposed)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_e: set[int] = set()
    used_p: set[int] = set()
    out = []
    for s, i, j in pairs:
        if s <= 0 or i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        out.append((i, j))
    return sorted(out)


def score_proposal(proposal: dict, expected: dict) -> Counts:
    """Counts for one article (see the module docstring)."""
    exp = expected["incidents"]
    prop = flatten(proposal)
    n = Counts(incidents_expected=len(exp), incidents_proposed=len(prop))
    matches = match_incidents(exp, prop)
    n.incidents_matched = len(matches)
    matched_e = {i for i, _ in matches}
    matched_p = {j for _, j in matches}
    for i, e in enumerate(exp):
        n.claims_expected += len(e["claims"])
        n.pairs_expected += sum(len(_expected_actors(c)) for c in e["claims"])
        if i not in matched_e:
            n.misses.append(f"act {i + 1} missed ({e.get('place_name')}, {e.get('occurred_on')})")
    for j, p in enumerate(prop):
        n.claims_proposed += len(p.claims)
        n.pairs_proposed += sum(len(c.actors) for c in p.claims)
        if j not in matched_p:
            if p.fields.get("verification") == "disputed":
                n.false_disputes += 1
            if j > 0 or not matches:
                n.misses.append(f"proposed act {j + 1} matches no expected act")
    for i, j in matches:
        e, p = exp[i], prop[j]
        for fld in FIELDS:
            ok = field_right(fld, e.get(fld), p.fields.get(fld))
            if ok is None:
                continue
            n.fields[fld][1] += 1
            n.fields[fld][0] += int(ok)
            if not ok:
                n.misses.append(
                    f"act {i + 1} {FIELD_LABELS[fld]}: {p.fields.get(fld)!r}, expected {e.get(fld)!r}"
                )
        want_disputed = "disputed" in _alternatives(e.get("verification", "reported"))
        got_disputed = p.fields.get("verification") == "disputed"
        if got_disputed and not want_disputed:
            n.false_disputes += 1
            n.misses.append(f"act {i + 1}: proposed disputed, expected not")
        if want_disputed and not got_disputed:
            n.missed_disputes += 1
        _score_claims(n, i, e["claims"], p.claims)
    return n


def _score_claims(n: Counts, act: int, expected: list[dict], proposed: list[PClaim]) -> None:
    used: set[int] = set()
    pairs: list[tuple[dict, PClaim]] = []
    for c in expected:
        names = _claim_names(c)
        cands = [
            k for k, pc in enumerate(proposed) if k not in used and norm_source(pc.source) in names
        ]
        if not cands:
            n.misses.append(f"act {act + 1}: claim of {c['source']!r} missed")
            continue
        want = _expected_actors(c)
        best = max(
            cands, key=lambda k: sum(1 for a in proposed[k].actors if any(a in w for w in want))
        )
        used.add(best)
        pairs.append((c, proposed[best]))
        n.claims_matched += 1
    for k, pc in enumerate(proposed):
        if k not in used:
            n.misses.append(f"act {act + 1}: extra claim of {pc.source!r}")
    for c, pc in pairs:
        want = _expected_actors(c)
        found = [w for w in want if any(a in w for a in pc.actors)]
        n.pairs_matched_expected += len(found)
        for a in pc.actors:
            if any(a in w for w in want):
                n.pairs_matched_proposed += 1
            else:
                n.misses.append(f"act {act + 1}: {c['source']} wrongly blames {a}")
        for w in want:
            if w not in found:
                n.misses.append(f"act {act + 1}: {c['source']} -> {'|'.join(sorted(w))} missed")
        ef, pf = _expected_figures(c), pc.figures
        for fld in sorted(set(ef) | set(pf)):
            n.figures_total += 1
            if ef.get(fld) == pf.get(fld):
                n.figures_right += 1
            else:
                n.misses.append(
                    f"act {act + 1}: {c['source']} {fld} {pf.get(fld)}, expected {ef.get(fld)}"
                )
    for k, pc in enumerate(proposed):
        if k not in used:
            for a in pc.actors:
                n.misses.append(f"act {act + 1}: {pc.source} (extra claim) blames {a}")


# --- cases on disk ----------------------------------------------------------------------


def find_cases(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise CaseError(f"{directory}: not a directory")
    cases = sorted(directory.glob("*.expected.json"))
    if not cases:
        raise CaseError(f"{directory}: no NAME.expected.json files")
    return cases


def load_case(expected_path: Path, texts: Path | None = None) -> tuple[str, dict]:
    """The article's text and its expectation. The text is NAME.txt or NAME.html beside
    the expected file, else in ``texts``, else in the expected file's ``text_dir``
    (relative to it)."""
    from .sentences import article_text

    try:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CaseError(
            f"{expected_path}: line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    for key in ("outlet", "published", "incidents"):
        if key not in expected:
            raise CaseError(f"{expected_path}: no {key!r}")
    name = expected_path.name.removesuffix(".expected.json")
    dirs = [expected_path.parent]
    if texts is not None:
        dirs.append(texts)
    if expected.get("text_dir"):
        dirs.append((expected_path.parent / expected["text_dir"]).resolve())
    for d in dirs:
        for suffix in (".txt", ".html", ".htm"):
            path = d / f"{name}{suffix}"
            if path.exists():
                return article_text(path.read_bytes(), path.name), expected
    raise CaseError(
        f"{expected_path}: no {name}.txt or {name}.html in {', '.join(str(d) for d in dirs)}"
    )


def score_case(expected_path: Path, texts: Path | None = None) -> tuple[Counts, dict]:
    text, expected = load_case(expected_path, texts)
    return score_loaded(text, expected)


def score_loaded(text: str, expected: dict) -> tuple[Counts, dict]:
    from .drafter import draft_article

    proposal = draft_article(
        text, outlet=expected["outlet"], published=date.fromisoformat(expected["published"])
    )
    return score_proposal(proposal, expected), proposal


def score_directory(
    directory: Path, texts: Path | None = None, progress=None
) -> tuple[list[tuple[str, Counts]], Counts]:
    """Every case of a folder scored, per article and in total. All cases are read
    first, so a bad one stops the run before anything is drafted."""
    cases = [(path, *load_case(path, texts)) for path in find_cases(directory)]
    rows = []
    total = Counts()
    for k, (path, text, expected) in enumerate(cases, 1):
        if progress:
            progress(k, len(cases), path.name)
        counts, _ = score_loaded(text, expected)
        rows.append((path.name.removesuffix(".expected.json"), counts))
        total.add(counts)
    return rows, total


# --- the table --------------------------------------------------------------------------

COLUMNS = (
    ("claims R", "claim_recall"),
    ("claims P", "claim_precision"),
    ("blame P", "blame_precision"),
    ("blame R", "blame_recall"),
    ("date", "date"),
    ("place", "place"),
    ("gov.", "governorate"),
    ("district", "district"),
    ("weapon", "weapon"),
    ("target", "target"),
    ("figures", "figures"),
)


def _cell(n: Counts, key: str) -> str:
    fractions = {
        "claim_recall": (n.claims_matched, n.claims_expected),
        "claim_precision": (n.claims_matched, n.claims_proposed),
        "blame_precision": (n.pairs_matched_proposed, n.pairs_proposed),
        "blame_recall": (n.pairs_matched_expected, n.pairs_expected),
        "figures": (n.figures_right, n.figures_total),
    }
    for f in FIELDS:
        fractions[FIELD_LABELS[f]] = tuple(n.fields[f])
    a, b = fractions[key]
    return f"{a}/{b}" if b else "none"


def table(rows: list[tuple[str, Counts]], total: Counts, markdown: bool = True) -> str:
    """Per article and total: fractions right/total; the total row also as a rate."""
    head = ["article", *(c for c, _ in COLUMNS), "false disputes"]
    lines = [[name, *(_cell(n, k) for _, k in COLUMNS), str(n.false_disputes)] for name, n in rows]
    rates = total.rates()
    lines.append(
        ["**total**" if markdown else "TOTAL"]
        + [
            f"{_cell(total, k)} ({rates[k]:.2f})" if rates[k] is not None else "none"
            for _, k in COLUMNS
        ]
        + [str(total.false_disputes)]
    )
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(r[k]) for r in [head, *lines]) for k in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *lines]
    )
