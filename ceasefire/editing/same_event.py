"""One event, one incident: the incidents a new one may record again, and the editor's
decision about them.

Before a new incident is saved (the incident editor, an article draft, ``incident
add``), ``candidates`` proposes the stored incidents that may be the same event:

- **the linking rule's window** (``importers.linking``): its date window lies within
  ``MAX_DAYS`` (1) day of the new incident's (a date's window is the day itself, the 7
  days from a week-precision date, the calendar month of a month-precision one, as in
  ``derive``), and it lies within ``MAX_KM`` (5 km) of the new incident, or, where
  either of the two has no coordinates, it names the same place (``gazetteer.key`` of
  the place names: "Jabal al-Duwaila" and "Jebel Duwayla" are one place);
- **the same source**: inside that date window, wherever it lies, one of its claims
  cites a source one of the new incident's claims cites (by registry name); or, at any
  date, one of its claims links to the same report (``claim.url``).

Demo incidents (synthetic) are never proposed. The nearest come first (the same place
or within 5 km, then by the number of shared sources, distance and date gap).

``create_incident(..., same_event=...)`` refuses a new incident that has candidates
until the editor decides (``SameEventUndecided`` lists them; the command line exits 3):

- ``Link(incident_id)``: the same event. The new incident is linked to that incident's
  event (``linked_to`` = its canonical incident), so the event is counted once and its
  page lists both records, as it does for linked imported records. Nothing re-derives
  a link an editor made: a re-import of the other incident keeps it.
- ``Distinct(note)``: a distinct event, with a note saying why; each candidate and the
  new incident go to ``incident_distinct``, and the cross-dataset linking never links
  such a pair.

Each decision is one logged change of the new incident (action ``link`` or
``distinct``), and ``revert`` undoes it (the link is removed; the pairs are forgotten).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from .. import gazetteer
from ..tables import derive
from ..taxonomy import SAME_EVENT_MAX_DAYS as MAX_DAYS
from ..taxonomy import SAME_EVENT_MAX_KM as MAX_KM
from .log import logged
from .rows import incident_row
from .values import Invalid

#: at most this many candidates are listed (the nearest first); a decision covers all
SHOWN = 20


@dataclass(frozen=True)
class Link:
    """The new incident records the same event as ``incident_id``."""

    incident_id: int
    note: str | None = None


@dataclass(frozen=True)
class Distinct:
    """The new incident is a distinct event; ``note`` says why (required). ``seen``:
    the candidates the editor was shown (None: whatever the store proposes now); a save
    that finds others refuses, so that nobody decides about an incident unseen."""

    note: str
    seen: tuple[int, ...] | None = None


@dataclass
class Candidate:
    """A stored incident that may record the same event as a new one."""

    incident_id: int
    occurred_on: date
    date_precision: str
    place_name: str | None
    governorate: str | None
    district: str | None
    weapon: str
    origin: str
    origin_id: str
    linked_to: int | None
    km: float | None
    day_gap: int
    #: within 5 km, or (where either lacks coordinates) the same place
    nearby: bool
    shared_sources: list[str]
    same_report: bool
    claims: list[dict] = field(default_factory=list)

    @property
    def why(self) -> str:
        """Why it is proposed, in words: '1.3 km away, the same day; also cites Sputnik'."""
        parts = []
        if self.km is not None and self.km <= MAX_KM:
            parts.append(f"{self.km:.1f} km away")
        elif self.nearby:
            parts.append("the same place")
        if self.day_gap == 0:
            parts.append("the same day" if parts else "on the same day")
        else:
            parts.append(f"{self.day_gap} day{'s' if self.day_gap > 1 else ''} apart")
        text = ", ".join(parts)
        if self.shared_sources:
            text += "; also cites " + ", ".join(self.shared_sources)
        if self.same_report:
            text += "; a claim links to the same report"
        return text


class SameEventUndecided(ValueError):
    """A new incident may record an event already in the store: link it or mark it
    distinct (``candidates`` lists what the store proposes)."""

    def __init__(self, candidates: list[Candidate]):
        self.candidates = candidates
        ids = ", ".join(str(c.incident_id) for c in candidates[:SHOWN])
        super().__init__(
            f"possibly the same event as incident{'s' if len(candidates) > 1 else ''} {ids}: "
            "link it to one of them (the same event, counted once) or mark it distinct "
            "with a note"
        )


def date_window(day: date, precision: str) -> tuple[date, date]:
    """The days a date stands for: the day, the 7 days from a week's date, the month."""
    if precision == "week":
        return day, day + timedelta(days=6)
    if precision == "month":
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def candidates(
    con: duckdb.DuckDBPyConnection, incident: dict, claims: list[dict]
) -> list[Candidate]:
    """The stored incidents that may be the same event as a new one (module doc), nearest
    first. ``incident`` and ``claims`` are cleaned values (``validate_proposal``)."""
    day = _day(incident["occurred_on"])
    start, end = date_window(day, incident.get("date_precision") or "day")
    lo, hi = start - timedelta(days=MAX_DAYS), end + timedelta(days=MAX_DAYS)
    sources = sorted({c["source_name"] for c in claims if c.get("source_name")})
    reports = sorted({c["url"] for c in claims if c.get("url")})
    cursor = con.execute(
        """WITH cand AS (
               SELECT incident_id, occurred_on, date_precision, place_name, governorate,
                      district, weapon, origin, origin_id, linked_to, latitude, longitude,
                      CASE date_precision
                          WHEN 'week' THEN occurred_on + INTERVAL 6 DAY
                          WHEN 'month' THEN last_day(occurred_on)
                          ELSE occurred_on END::DATE AS window_end
               FROM incident
               WHERE NOT is_demo AND occurred_on <= ? AND occurred_on >= ? - INTERVAL 31 DAY
           )
           SELECT cand.*, list_sort(list_distinct(list(s.name) FILTER (
                      WHERE s.name IN (SELECT unnest(?::VARCHAR[]))))) AS shared,
                  false AS same_report
           FROM cand LEFT JOIN claim c USING (incident_id)
           LEFT JOIN source s USING (source_id)
           WHERE cand.window_end >= ?
           GROUP BY ALL
           UNION ALL BY NAME
           SELECT i.incident_id, i.occurred_on, i.date_precision, i.place_name, i.governorate,
                  i.district, i.weapon, i.origin, i.origin_id, i.linked_to, i.latitude,
                  i.longitude, true AS same_report
           FROM incident i
           WHERE NOT i.is_demo AND i.incident_id IN (
               SELECT incident_id FROM claim WHERE url IN (SELECT unnest(?::VARCHAR[])))""",
        [hi, lo, sources, lo, reports],
    )
    names = [d[0] for d in cursor.description]
    found: dict[int, Candidate] = {}
    place = _place_keys(incident.get("place_name"))
    lat, lon = incident.get("latitude"), incident.get("longitude")
    for values in cursor.fetchall():
        r = dict(zip(names, values, strict=True))
        km = None
        if None not in (lat, lon, r["latitude"], r["longitude"]):
            km = gazetteer.distance_km(lat, lon, r["latitude"], r["longitude"])
        same_place = bool(place & _place_keys(r["place_name"]))
        in_window = r["window_end"] is not None  # a row of the date window's branch
        near = km <= MAX_KM if km is not None else same_place
        shared = list(r["shared"] or [])
        report = bool(r["same_report"])
        if not ((in_window and (near or shared)) or report):
            continue
        day = _day(r["occurred_on"])
        c = found.setdefault(
            r["incident_id"],
            Candidate(
                incident_id=r["incident_id"],
                occurred_on=day,
                date_precision=r["date_precision"],
                place_name=r["place_name"],
                governorate=r["governorate"],
                district=r["district"],
                weapon=r["weapon"],
                origin=r["origin"],
                origin_id=r["origin_id"],
                linked_to=r["linked_to"],
                km=km,
                day_gap=_gap(start, end, day, date_window(day, r["date_precision"])[1]),
                nearby=near,
                shared_sources=[],
                same_report=False,
            ),
        )
        c.shared_sources = sorted({*c.shared_sources, *shared})
        c.same_report = c.same_report or report
    ranked = sorted(
        found.values(),
        key=lambda c: (
            not c.nearby,
            -len(c.shared_sources),
            c.km if c.km is not None else MAX_KM * 1000,
            c.day_gap,
            c.incident_id,
        ),
    )
    _attach_claims(con, ranked[:SHOWN])
    return ranked


def _place_keys(name: str | None) -> set[str]:
    """A place name's spelling-insensitive keys, articles left out wherever they stand
    ("Jabal al-Duwaila" = "Jebel Duwayla"): the whole name's and, for "X, near Y", the
    place's own (X)."""
    parts = [name or "", (name or "").split(",")[0]]
    return {k for k in (gazetteer.article_free_key(p) for p in parts) if k}


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _gap(start: date, end: date, other_start: date, other_end: date) -> int:
    """Days between two date windows (0 when they overlap)."""
    if other_end < start:
        return (start - other_end).days
    if other_start > end:
        return (other_start - end).days
    return 0


def _attach_claims(con: duckdb.DuckDBPyConnection, shown: list[Candidate]) -> None:
    """Each shown candidate's claims (source, actor, role, figures as stored), oldest
    first, to show beside the new incident's."""
    if not shown:
        return
    cursor = con.execute(
        """SELECT c.incident_id, s.name AS source, a.name AS alleged_actor, c.role,
                  c.killed_min, c.killed_max, c.killed_qualifier,
                  c.wounded_min, c.wounded_max, c.wounded_qualifier, c.quote
           FROM claim c LEFT JOIN source s USING (source_id)
           LEFT JOIN actor a ON a.actor_id = c.alleged_actor_id
           WHERE c.incident_id IN (SELECT unnest(?::BIGINT[])) ORDER BY c.claim_id""",
        [[c.incident_id for c in shown]],
    )
    names = [d[0] for d in cursor.description]
    by_id = {c.incident_id: c for c in shown}
    for row in cursor.fetchall():
        claim = dict(zip(names, row, strict=True))
        by_id[claim.pop("incident_id")].claims.append(claim)


def check_decision(
    con: duckdb.DuckDBPyConnection, found: list[Candidate], decision: Link | Distinct | None
) -> None:
    """Refuse a save the decision does not settle: candidates and no decision, a distinct
    mark without a note or made without seeing some of them, a link to no incident."""
    if isinstance(decision, Link):
        target = con.execute(
            "SELECT is_demo FROM incident WHERE incident_id = ?", [int(decision.incident_id)]
        ).fetchone()
        if target is None:
            raise Invalid({"link": f"incident {decision.incident_id} is not in the store"})
        if target[0]:
            raise Invalid({"link": f"incident {decision.incident_id} is a demo incident"})
        return
    if not found:
        return
    if decision is None:
        raise SameEventUndecided(found)
    if not isinstance(decision, Distinct):
        raise TypeError(f"a same-event decision is a Link or a Distinct, not {decision!r}")
    if not (decision.note or "").strip():
        raise Invalid({"note": "say why it is a distinct event (a note is required)"})
    if decision.seen is not None:
        unseen = [c for c in found if c.incident_id not in set(decision.seen)]
        if unseen:
            raise SameEventUndecided(found)


def apply_decision(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    found: list[Candidate],
    decision: Link | Distinct | None,
    editor: str,
) -> int | None:
    """Write the decision about a new incident (inside its creation's transaction, before
    the derived tables are rebuilt); its change id, None when there was none to make."""
    if isinstance(decision, Link):
        target = canonical(con, decision.incident_id)
        return _set_link(con, incident_id, None, target, editor, decision.note, None, "link")
    if isinstance(decision, Distinct) and found:
        others = sorted(c.incident_id for c in found)
        return _set_distinct(con, incident_id, [], others, editor, decision.note, None)
    return None


def canonical(con: duckdb.DuckDBPyConnection, incident_id: int) -> int:
    """The canonical incident of an incident's event (itself when not linked)."""
    row = incident_row(con, incident_id)
    return int(row["linked_to"] if row["linked_to"] is not None else row["incident_id"])


def _set_link(con, incident_id, old, new, editor, note, reverts, action) -> int:
    """Set ``linked_to`` of an incident (a link or its undoing), rebuild the derived rows
    of the events before and after, log it."""
    touched = [incident_id, *(t for t in (old, new) if t is not None)]
    con.execute("UPDATE incident SET linked_to = ? WHERE incident_id = ?", [new, incident_id])
    change_id = logged(
        con,
        "incident",
        incident_id,
        action,
        {"linked_to": old},
        {"linked_to": new},
        editor,
        note,
        reverts,
    )
    derive.refresh(con, touched)
    return change_id


def _set_distinct(con, incident_id, old, new, editor, note, reverts) -> int:
    """Put the pairs (incident, other) of ``new`` in ``incident_distinct`` in place of
    those of ``old``; log it."""
    con.execute(
        "DELETE FROM incident_distinct WHERE incident_id = ? AND other_id IN "
        "(SELECT unnest(?::BIGINT[]))",
        [incident_id, list(old)],
    )
    change_id = logged(
        con,
        "incident",
        incident_id,
        "distinct",
        {"distinct_from": list(old)},
        {"distinct_from": list(new)},
        editor,
        note,
        reverts,
    )
    for other in new:
        con.execute(
            "INSERT INTO incident_distinct VALUES (?, ?, ?)", [incident_id, other, change_id]
        )
    return change_id


def revert_decision(con, entry: dict, editor: str, note: str | None) -> int:
    """Undo a logged link or distinct mark (or the undoing of one): the values before it
    back, refused when they changed since."""
    incident_id = int(entry["entity_id"])
    current = incident_row(con, incident_id)
    if entry["action"] in ("link", "unlink"):
        old, new = entry["old"]["linked_to"], entry["new"]["linked_to"]
        if current["linked_to"] != new:
            raise ValueError(
                f"incident {incident_id} is now linked to {current['linked_to']!r}; "
                "revert the later change first"
            )
        action = "unlink" if entry["action"] == "link" else "link"
        return _set_link(con, incident_id, new, old, editor, note, entry["change_id"], action)
    old, new = entry["old"]["distinct_from"], entry["new"]["distinct_from"]
    stored = [
        r[0]
        for r in con.execute(
            "SELECT other_id FROM incident_distinct WHERE incident_id = ? ORDER BY other_id",
            [incident_id],
        ).fetchall()
    ]
    if sorted(stored) != sorted(new):
        raise ValueError(
            f"incident {incident_id} is now marked distinct from {stored}; "
            "revert the later change first"
        )
    return _set_distinct(con, incident_id, new, old, editor, note, entry["change_id"])


def distinct_rows(con, incident_id: int) -> list[list[int]]:
    """The ``incident_distinct`` rows naming an incident (kept with its deletion)."""
    return [
        [int(v) for v in r]
        for r in con.execute(
            "SELECT incident_id, other_id, change_id FROM incident_distinct "
            "WHERE ? IN (incident_id, other_id) ORDER BY ALL",
            [int(incident_id)],
        ).fetchall()
    ]


__all__ = [
    "SHOWN",
    "Candidate",
    "Distinct",
    "Link",
    "SameEventUndecided",
    "apply_decision",
    "candidates",
    "canonical",
    "check_decision",
    "date_window",
    "distinct_rows",
    "revert_decision",
]
