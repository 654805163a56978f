"""Reviewing an article draft and saving what the editor confirmed (no Streamlit here).

The review page (``app_pages/draft.py``) shows each proposed value beside the
sentence it came from (``context``), lets the editor keep, correct or drop it, and
builds the reviewed proposal in the incident editor's shape (``draft.to_editor_proposal``).
``save_reviewed`` writes it - only when an editor confirms, and only with the editor's
name - through the core's write path, keeping the draft's origin: the incident's
``origin_id`` is ``article-<sha256 prefix>`` and its description ends with "Drafted from
article '…' (…); text sha256 …", the whole hash of the article's text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from . import places
from .draft import plain, split_sentences


def context(text: str, span) -> tuple[str, str, str]:
    """(before, marked, after): the sentence(s) around ``span`` split at the span, so a
    page can show the words a value came from highlighted inside their sentence."""
    if not span:
        return "", "", ""
    a, b = span
    start, end = a, b
    for s in split_sentences(text):
        if s.start <= a < s.end or s.start < b <= s.end:
            start, end = min(start, s.start), max(end, s.end)
    return text[start:a], text[a:b], text[b:end]


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def records_from_proposal(proposal: dict):
    """(IncidentRecord, origin_id) from a reviewed proposal (values or value/span dicts)."""
    from .records import ClaimRecord, IncidentRecord

    fields = {k: plain(v) for k, v in proposal.items() if k not in ("claims", "note", "origin_id")}
    if not fields.get("occurred_on"):
        raise ValueError("the incident needs a date")
    gov = places.governorate(fields.get("governorate"))
    dist = places.district(fields.get("district"), gov)
    note = proposal.get("note") or ""
    description = fields.get("description") or ""
    if note and note not in description:
        description = f"{description}\n\n{note}".strip()
    incident = IncidentRecord(
        origin_id=proposal["origin_id"],
        occurred_on=_date(fields["occurred_on"]),
        weapon=fields.get("weapon") or "other",
        target_type=fields.get("target_type") or "unknown",
        date_precision=fields.get("date_precision") or "day",
        place_name=fields.get("place_name") or None,
        governorate=gov.name if gov else None,
        governorate_pcode=gov.pcode if gov else None,
        district=dist.name if dist else None,
        district_pcode=dist.pcode if dist else None,
        latitude=fields.get("latitude"),
        longitude=fields.get("longitude"),
        location_precision=fields.get("location_precision") or "unknown",
        description=description or None,
        verification=fields.get("verification") or "reported",
    )
    for raw in proposal.get("claims") or []:
        c = {k: plain(v) for k, v in raw.items()}
        incident.claims.append(
            ClaimRecord(
                source_name=c.get("source_name") or None,
                alleged_actor=c.get("alleged_actor") or None,
                killed_min=c.get("killed_min"),
                killed_max=c.get("killed_max"),
                wounded_min=c.get("wounded_min"),
                wounded_max=c.get("wounded_max"),
                civilians_killed_min=c.get("civilians_killed_min"),
                civilians_killed_max=c.get("civilians_killed_max"),
                quote=c.get("quote") or None,
                published_on=_date(c.get("published_on")),
                source_kind=c.get("source_kind") or "media",
                source_affiliation=c.get("source_affiliation") or "unknown",
                source_url=c.get("source_url") or None,
                role=c.get("role") or "perpetrator",
            )
        )
    return incident


def save_reviewed(
    con: duckdb.DuckDBPyConnection, proposal: dict, editor: str | None, *, same_event=None
) -> int:
    """Write a reviewed proposal; returns the new incident's id. Refuses without an
    editor's name (``PermissionError``), when the article's incident is already in the
    store (``ValueError``: same ``origin_id``), or when the store holds incidents that
    may record the same event and ``same_event`` does not decide (``editing.Link`` or
    ``editing.Distinct``; ``editing.SameEventUndecided``, a ``ValueError``)."""
    if editor is None or not str(editor).strip():
        raise PermissionError("saving a draft needs an editor: sign in as an editor")
    try:  # the workbench's logged write path, where it exists
        from . import editing  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - before the workbench
        editing = None
    exists = con.execute(
        "SELECT count(*) FROM incident WHERE origin = 'manual' AND origin_id = ?",
        [proposal["origin_id"]],
    ).fetchone()[0]
    if exists:
        raise ValueError(
            f"this article's incident is already in the store ({proposal['origin_id']})"
        )
    if editing is not None and hasattr(editing, "create_incident"):
        reviewed: dict[str, Any] = dict(proposal)
        description = plain(reviewed.get("description")) or ""
        if reviewed.get("note") and reviewed["note"] not in description:
            reviewed["description"] = f"{description}\n\n{reviewed['note']}".strip()
        return int(
            editing.create_incident(
                con, reviewed, editor=editor, note=reviewed.get("note"), same_event=same_event
            )
        )
    from .records import write_records

    record = records_from_proposal(proposal)
    write_records(con, "manual", [record])
    return int(
        con.execute(
            "SELECT incident_id FROM incident WHERE origin = 'manual' AND origin_id = ?",
            [record.origin_id],
        ).fetchone()[0]
    )
