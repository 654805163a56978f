"""A proposal's other shapes: plain values, the incident editor's proposal, plain text."""

from __future__ import annotations

from typing import Any

from ..editing.values import QUALIFIERS


def plain(value: Any) -> Any:
    """A proposal with every {"value": ..., "span": ...} replaced by its value."""
    if isinstance(value, dict):
        if "value" in value and "span" in value:
            return plain(value["value"])
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_INCIDENT_KEYS = (
    "occurred_on", "date_precision", "place_name", "governorate", "governorate_pcode",
    "district", "district_pcode", "latitude", "longitude", "location_precision", "weapon",
    "target_type", "description", "verification",
)  # fmt: skip
_CLAIM_KEYS = (
    "source_name", "source_kind", "source_affiliation", "source_url", "alleged_actor", "role",
    "killed_min", "killed_max", "wounded_min", "wounded_max", "civilians_killed_min",
    "civilians_killed_max", "quote", "published_on",
)  # fmt: skip


def origin_note(proposal: dict) -> str:
    """'Drafted from article …' with the article's text hash, for the change log."""
    a = proposal["article"]
    title = plain(a.get("title")) or "untitled"
    via = plain(a.get("reporting_outlet"))
    by = a["outlet"] + (f" (reporting {via})" if via and via != a["outlet"] else "")
    url = f", {a['url']}" if a.get("url") else ""
    return (
        f"Drafted from article {title!r} ({by}, {a['published']}{url}); text sha256 {a['sha256']}"
    )


def to_editor_proposal(proposal: dict, which: int = 0) -> dict:
    """The shape the incident editor and ``incident add --json`` take (editing.py):
    incident fields at the top, ``claims`` with the store's names, values still
    ``{"value", "span"}``; ``origin_id`` from the article hash (a second act gets
    ``-2``...), ``note`` = origin_note (also appended to the description, so the saved
    incident keeps it). ``which`` 0 is the main incident, 1.. the other acts; any other
    number is a ValueError that says how many there are."""
    others = len(proposal.get("other_incidents") or [])
    if not 0 <= which <= others:
        raise ValueError(
            f"--act {which}: the article has {others} other act{'s' if others != 1 else ''} "
            "besides the main one (--act 0)"
        )
    part = proposal if which == 0 else proposal["other_incidents"][which - 1]
    out: dict[str, Any] = {k: part["incident"][k] for k in _INCIDENT_KEYS if k in part["incident"]}
    out["claims"] = [_editor_claim(c) for c in part["claims"]]
    suffix = "" if which == 0 else f"-{which + 1}"
    out["origin_id"] = f"article-{proposal['article']['sha256'][:12]}{suffix}"
    out["note"] = origin_note(proposal)
    description = out.get("description") or {"value": None, "span": None}
    text = "\n\n".join(filter(None, [plain(description), out["note"]]))
    out["description"] = {**description, "value": text}
    return out


def _editor_claim(claim: dict) -> dict:
    """A drafted claim in the editor's shape. The word a source put before a figure
    ("more than 30") rides on the figure's value in the draft; the store keeps it as the
    claim's ``<figure>_qualifier`` (one of ``editing.QUALIFIERS``, with the figure's
    span), so it is a field of its own here, reviewed and saved with the figures. A word
    the store has no qualifier for ("neutralized") stays in the figure's ``words``."""
    out = {k: claim[k] for k in _CLAIM_KEYS if k in claim}
    for figure in ("killed", "wounded", "civilians_killed"):
        for end in ("min", "max"):
            value = claim.get(f"{figure}_{end}")
            word = value.get("qualifier") if isinstance(value, dict) else None
            if word in QUALIFIERS and f"{figure}_qualifier" not in out:
                out[f"{figure}_qualifier"] = {"value": word, "span": value.get("span")}
    return out


def as_text(proposal: dict, text: str) -> str:
    """A readable summary: each proposed value with the words it came from."""

    def line(label: str, v: Any) -> str:
        if not isinstance(v, dict) or "value" not in v:
            return f"  {label}: {v}"
        words = ""
        if v.get("span"):
            a, b = v["span"]
            snippet = text[a:b]
            words = f'   <- "{snippet[:90]}{"…" if len(snippet) > 90 else ""}"'
        note = f"   ({v['note']})" if v.get("note") else ""
        return f"  {label}: {v['value']}{words}{note}"

    out = [
        f"Article: {plain(proposal['article'].get('title'))} ({proposal['article']['outlet']}, "
        f"{proposal['article']['published']}), sha256 {proposal['article']['sha256'][:12]}…"
    ]
    parts = [("Incident", proposal)] + [
        (f"Other act {i}", o) for i, o in enumerate(proposal["other_incidents"], 1)
    ]
    for title, part in parts:
        out.append(f"{title}:")
        out += [line(k, v) for k, v in part["incident"].items()]
        for i, claim in enumerate(part["claims"], 1):
            out.append(f" Claim {i}:")
            out += [line(k, v) for k, v in claim.items() if k != "quote"]
    for c in proposal["caveats"]:
        out.append(f"Caveat: {c['value']}")
    for r in proposal["review"]:
        out.append(f"Review: {r}")
    return "\n".join(out)
