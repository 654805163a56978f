"""The coding workbench's core: editors code, correct and judge; every change is on record.

Every function here that writes takes ``editor=`` (``auth.require_editor``: no editor,
no write, ``EditorRequired``), validates everything before it writes (``Invalid``
carries one message per field; nothing is half-saved), writes in one transaction with
its entry in the append-only ``change_log``, and rebuilds the derived tables, so every
count changes at once. The app's pages and the command line call the same functions.

Change log
----------
One row per change: ``change_id``, ``at`` (UTC), ``editor``, ``entity`` (incident,
claim, source, actor, import), ``entity_id``, ``action``, ``old`` and ``new`` (JSON:
the fields before and after; ``old`` NULL for a creation, ``new`` NULL for a deletion),
``note`` and, for a revert, ``reverts`` (the change it undid). ``revert(change_id)``
writes the change's old values back - itself a logged change - and refuses when the
values have changed since (revert the later change first). Imports and the demo
removal are logged as one entry with their report; they are not reverted this way.

Editors' overrides and re-imports
---------------------------------
A corrected field of an incident, or of one of the claims its origin wrote, is kept as
an override keyed by the incident's origin and origin id (``edit_override``). A
re-import of the same file changes nothing; a newer export that rewrites the incident
gets the overrides re-applied, and where the export changed the overridden value
itself the import report lists a conflict. The editor's value stays until an editor
decides (edit the field again to keep a value, or ``accept_imported`` for the
dataset's). Claims an editor added to an imported incident are kept by re-imports.

Proposals: prefilling the incident editor (the contract for article drafts)
----------------------------------------------------------------------------
A *proposal* is a dict with the store's field names::

    {
      "occurred_on": "2020-10-26", "date_precision": "day",
      "place_name": "Jabal al-Duwaila, near Haram", "governorate": "Idleb",
      "district": "Harim", "latitude": 36.2, "longitude": 36.52,
      "location_precision": "near", "weapon": "airstrike",
      "target_type": "training camp", "verification": "disputed",
      "description": "...",
      "claims": [
        {"source_name": "Baladi News", "source_kind": "media",
         "source_affiliation": "opposition", "source_url": "https://...",
         "alleged_actor": "Russian warplanes", "killed_min": 31, "killed_max": null,
         "wounded_min": 31, "quote": "...", "published_on": "2020-10-27"}
      ]
    }

Any value may instead be ``{"value": ..., "span": [start, end]}``: the value and the
character span of the source document it was read from (kept for display, not
stored). Optional keys: ``origin_id`` (default: made from date and place),
``note`` (the change log's note). To open the app's incident editor prefilled, put the
proposal in ``st.session_state[PROPOSAL_KEY]`` and ``st.switch_page`` to the editor
page (``pages/incident_editor.py``); ``python -m ceasefire incident add --json FILE``
writes the same JSON directly. ``read_proposal`` turns either shape into plain values.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pandas as pd

from . import derive, places, taxonomy
from .actors import ActorResolver, alias_key
from .auth import EditorRequired, require_editor
from .records import ClaimRecord, IncidentRecord, WriteSummary, write_records
from .store import next_ids, transaction

__all__ = [
    "EditorRequired",
    "Invalid",
    "PROPOSAL_KEY",
    "accept_imported",
    "add_claim",
    "add_source",
    "create_incident",
    "delete_claim",
    "delete_incident",
    "edit_claim",
    "edit_incident",
    "history",
    "merge_actor",
    "read_proposal",
    "revert",
    "review_queue",
    "set_actor_side",
]

#: st.session_state key under which a proposal opens the incident editor prefilled
PROPOSAL_KEY = "incident_editor_proposal"

#: incident fields an editor may set, with their Python type
INCIDENT_FIELDS: dict[str, type] = {
    "occurred_on": date,
    "date_precision": str,
    "place_name": str,
    "governorate": str,
    "governorate_pcode": str,
    "district": str,
    "district_pcode": str,
    "latitude": float,
    "longitude": float,
    "location_precision": str,
    "weapon": str,
    "target_type": str,
    "description": str,
    "verification": str,
}
#: claim columns an editor may set (names resolve to ids: ``source_name``,
#: ``alleged_actor``)
CLAIM_FIELDS: dict[str, type] = {
    "source_id": int,
    "alleged_actor_id": int,
    **{f: int for f in taxonomy.CASUALTY_FIELDS},
    "quote": str,
    "published_on": date,
    "role": str,
}
#: the words sources use for a figure, and the (min, max) each gives for a number n
QUALIFIERS: dict[str, Callable[[int], tuple[int | None, int | None]]] = {
    "exactly": lambda n: (n, n),
    "more than": lambda n: (n + 1, None),
    "at least": lambda n: (n, None),
    "up to": lambda n: (None, n),
    "about": lambda n: (n, n),
    "dozens": lambda n: (24, None),
}
INCIDENT_ORDINAL = -1  # edit_override.ordinal of an incident's own fields
DELETED = "*deleted"


class Invalid(ValueError):
    """Invalid input; ``errors`` maps each field (``claims[2].killed_max``) to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


# --- values ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _dumps(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=_jsonable, ensure_ascii=False, sort_keys=True)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def qualified_figure(qualifier: str, n: int | None) -> tuple[int | None, int | None]:
    """(min, max) for a figure as a source wrote it: "more than 30" -> (31, None)."""
    if n is None:
        return None, None
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}; one of {list(QUALIFIERS)}")
    return QUALIFIERS[qualifier](int(n))


def _coerce(name: str, value: Any, kind: type) -> Any:
    """A value of ``kind`` (None for blank); ``ValueError`` with a readable message."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if kind is date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if kind is int:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a whole number") from None
        if number != int(number):
            raise ValueError(f"{value!r} is not a whole number")
        if number < 0:
            raise ValueError("must not be negative")
        return int(number)
    if kind is float:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
    return str(value)


def read_proposal(proposal: dict) -> tuple[dict, list[dict], dict[str, list[int]]]:
    """(incident fields, claims, spans) from a proposal: values unwrapped from
    ``{"value": ..., "span": [a, b]}``; spans keyed ``field`` or ``claims[i].field``."""
    spans: dict[str, list[int]] = {}

    def unwrap(key: str, value: Any) -> Any:
        if isinstance(value, dict) and "value" in value:
            if value.get("span") is not None:
                spans[key] = list(value["span"])
            return value["value"]
        return value

    fields = {k: unwrap(k, v) for k, v in proposal.items() if k != "claims"}
    claims = [
        {k: unwrap(f"claims[{i}].{k}", v) for k, v in (c or {}).items()}
        for i, c in enumerate(proposal.get("claims") or [])
    ]
    return fields, claims, spans


# --- validation --------------------------------------------------------------------


def _vocab(errors: dict, key: str, value: Any, allowed: Iterable[str], required: bool) -> None:
    allowed = list(allowed)
    if value is None:
        if required:
            errors[key] = "required"
    elif value not in allowed:
        errors[key] = f"{value!r} is not one of: {', '.join(allowed)}"


def clean_incident(fields: dict, *, partial: bool = False) -> tuple[dict, dict[str, str]]:
    """Typed, checked incident fields and the errors (``partial``: only those given)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in INCIDENT_FIELDS:
            if key in ("origin_id", "note", "origin"):
                continue
            errors[key] = "not an incident field"
            continue
        try:
            out[key] = _coerce(key, value, INCIDENT_FIELDS[key])
        except ValueError as error:
            errors[key] = str(error)
    if not partial:
        for key, default in (
            ("date_precision", "day"),
            ("location_precision", "unknown"),
            ("target_type", "unknown"),
            ("verification", "reported"),
        ):
            if out.get(key) is None:
                out[key] = default
    checks = {
        "date_precision": taxonomy.DATE_PRECISIONS,
        "location_precision": taxonomy.LOCATION_PRECISIONS,
        "weapon": taxonomy.WEAPONS,
        "target_type": taxonomy.TARGET_TYPES,
        "verification": taxonomy.VERIFICATION_STATUSES,
    }
    for key, allowed in checks.items():
        if key in out or not partial:
            _vocab(errors, key, out.get(key), allowed, required=True)
    if not partial and out.get("occurred_on") is None and "occurred_on" not in errors:
        errors["occurred_on"] = "required"
    if out.get("occurred_on") and out["occurred_on"] > date.today():
        errors["occurred_on"] = "lies in the future"
    for key, bound in (("latitude", 90), ("longitude", 180)):
        v = out.get(key)
        if v is not None and not -bound <= v <= bound:
            errors[key] = f"must lie between -{bound} and {bound}"
    # places: OCHA spelling and P-code from the gazetteer
    if "governorate" in out:
        gov = places.governorate(out["governorate"])
        out["governorate"] = gov.name if gov else None
        out["governorate_pcode"] = gov.pcode if gov else None
    if "district" in out:
        gov = places.governorate(out.get("governorate")) if out.get("governorate") else None
        dist = places.district(out["district"], gov)
        out["district"] = dist.name if dist else None
        out["district_pcode"] = dist.pcode if dist else None
    return out, errors


def _keep_pcodes(cleaned: dict, current: dict) -> None:
    """Leave stored P-codes alone unless the place names themselves change."""
    for name, pcode in (("governorate", "governorate_pcode"), ("district", "district_pcode")):
        if cleaned.get(name) == current.get(name):
            cleaned.pop(pcode, None)


def _check_pairs(record: dict, errors: dict, prefix: str = "") -> None:
    for lo, hi in zip(taxonomy.CASUALTY_FIELDS[::2], taxonomy.CASUALTY_FIELDS[1::2], strict=True):
        a, b = record.get(lo), record.get(hi)
        if a is not None and b is not None and b < a:
            errors[f"{prefix}{hi}"] = f"is smaller than {lo} ({b} < {a})"


def clean_claim(claim: dict, prefix: str = "") -> tuple[dict, dict[str, str]]:
    """A claim from a form or a proposal: names kept as names (``source_name``,
    ``alleged_actor``), figures typed; a ``*_qualifier`` + ``*_figure`` pair (e.g.
    ``killed_qualifier="more than"``, ``killed_figure=30``) gives min and max."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    texts = ("source_name", "source_kind", "source_affiliation", "source_url", "alleged_actor")
    for key in texts:
        value = claim.get(key)
        out[key] = str(value).strip() or None if value is not None else None
    for key, kind in CLAIM_FIELDS.items():
        if key in ("source_id", "alleged_actor_id"):
            continue
        try:
            out[key] = _coerce(key, claim.get(key), kind)
        except ValueError as error:
            errors[f"{prefix}{key}"] = str(error)
    for figure in ("killed", "wounded", "civilians_killed"):
        qualifier = claim.get(f"{figure}_qualifier")
        if qualifier:
            try:
                n = _coerce(figure, claim.get(f"{figure}_figure"), int)
                lo, hi = qualified_figure(qualifier, n)
                out[f"{figure}_min"], out[f"{figure}_max"] = lo, hi
            except ValueError as error:
                errors[f"{prefix}{figure}_figure"] = str(error)
    if out.get("role") is None:
        out["role"] = taxonomy.ROLE_PERPETRATOR
    _vocab(errors, f"{prefix}role", out["role"], taxonomy.CLAIM_ROLES, True)
    if out["source_kind"]:
        _vocab(errors, f"{prefix}source_kind", out["source_kind"], taxonomy.SOURCE_KINDS, False)
    if out["source_affiliation"]:
        _vocab(
            errors,
            f"{prefix}source_affiliation",
            out["source_affiliation"],
            taxonomy.AFFILIATIONS,
            False,
        )
    url = out["source_url"]
    if url and not re.match(r"^https?://[^\s]+$", url):
        errors[f"{prefix}source_url"] = "must be an http(s):// address"
    _check_pairs(out, errors, prefix)
    return out, errors


# --- the log -----------------------------------------------------------------------


def log_change(
    con: duckdb.DuckDBPyConnection,
    *,
    editor: str,
    entity: str,
    entity_id: Any,
    action: str,
    old: Any = None,
    new: Any = None,
    note: str | None = None,
    reverts: int | None = None,
) -> int:
    """Append one entry to the change log (inside the caller's transaction)."""
    change_id = next_ids(con, "change_id_seq", 1)[0]
    con.execute(
        "INSERT INTO change_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            change_id,
            datetime.now(UTC).replace(tzinfo=None),
            editor,
            entity,
            None if entity_id is None else str(entity_id),
            action,
            _dumps(old),
            _dumps(new),
            (note or "").strip() or None,
            reverts,
        ],
    )
    return change_id


def history(
    con: duckdb.DuckDBPyConnection, incident_id: int | None = None, limit: int | None = None
) -> list[dict]:
    """The change log, newest first: every change, or those of one incident (its own
    fields and its claims). Each entry: change_id, at, editor, entity, entity_id,
    action, old, new, note, reverts."""
    where, params = "", []
    if incident_id is not None:
        where = """WHERE (entity = 'incident' AND entity_id = ?)
                   OR (entity = 'claim'
                       AND json_extract_string(coalesce(new, old), '$.incident_id') = ?)"""
        params = [str(incident_id), str(incident_id)]
    sql = f"SELECT * FROM change_log {where} ORDER BY change_id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        entry = dict(zip(names, row, strict=True))
        entry["at"] = entry["at"].isoformat(timespec="seconds") + "Z"
        entry["old"], entry["new"] = _loads(entry["old"]), _loads(entry["new"])
        out.append(entry)
    return out


def history_frame(con: duckdb.DuckDBPyConnection, incident_id: int | None = None) -> pd.DataFrame:
    """The history as a table for the pages: one row per changed field (old -> new)."""
    rows = []
    for e in history(con, incident_id):
        old, new = e["old"] or {}, e["new"] or {}
        if e["action"] in ("update", "set-side") and isinstance(old, dict):
            keys = [k for k in new if k not in ("incident_id", "name")] or list(old)
            for k in keys:
                rows.append(
                    {**_row_head(e), "field": k, "old": _text(old.get(k)), "new": _text(new.get(k))}
                )
        else:
            rows.append({**_row_head(e), "field": "", "old": _brief(old), "new": _brief(new)})
    columns = ["change_id", "at", "editor", "entity", "entity_id", "action", "field"]
    return pd.DataFrame(rows, columns=[*columns, "old", "new", "note", "reverts"]).astype(
        {"old": object, "new": object}
    )


def _text(value: Any) -> str | None:
    """A logged value as a table shows it (one type per column)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _row_head(e: dict) -> dict:
    keys = ("change_id", "at", "editor", "entity", "entity_id", "action", "note", "reverts")
    return {k: e[k] for k in keys}


def _brief(value: Any) -> str | None:
    if value in (None, {}, []):
        return None
    if isinstance(value, dict):
        shown = {k: v for k, v in value.items() if k not in ("claims", "quote", "description")}
        text = json.dumps(shown, ensure_ascii=False, default=str)
        return text if len(text) < 300 else text[:297] + "..."
    return str(value)


# --- helpers -----------------------------------------------------------------------


def _row(con, table: str, key: str, value: Any) -> dict | None:
    cursor = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [value])
    row = cursor.fetchone()
    if row is None:
        return None
    return {d[0]: _jsonable(v) for d, v in zip(cursor.description, row, strict=True)}


def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [{n: _jsonable(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _incident(con, incident_id: int) -> dict:
    row = _row(con, "incident", "incident_id", int(incident_id))
    if row is None:
        raise ValueError(f"incident {incident_id} is not in the store")
    return row


def _claim(con, claim_id: int) -> dict:
    row = _row(con, "claim", "claim_id", int(claim_id))
    if row is None:
        raise ValueError(f"claim {claim_id} is not in the store")
    return row


def _insert(con, table: str, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [_typed(table, c, row[c]) for c in cols],
    )


def _typed(table: str, column: str, value: Any) -> Any:
    """JSON values back to the store's types (dates arrive as ISO strings)."""
    if value is not None and column in ("occurred_on", "published_on"):
        return date.fromisoformat(str(value)[:10])
    return value


def _update(con, table: str, key: str, key_value: Any, fields: dict) -> None:
    if not fields:
        return
    sets = ", ".join(f"{c} = ?" for c in fields)
    con.execute(
        f"UPDATE {table} SET {sets} WHERE {key} = ?",
        [*(_typed(table, c, v) for c, v in fields.items()), key_value],
    )


def _imported_claim_ids(con, incident_id: int) -> list[int]:
    """The claims the incident's origin wrote (not added by an editor), in input order."""
    return [
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM claim WHERE incident_id = ? AND claim_id NOT IN "
            "(SELECT claim_id FROM editor_claim) ORDER BY claim_id",
            [incident_id],
        ).fetchall()
    ]


def _ordinal_map(con, origin: str, origin_id: str, claim_ids: list[int]) -> dict[int, int]:
    """claim_id -> its place among the claims the origin wrote, counting the ones an
    editor deleted (their places are taken)."""
    deleted = {
        r[0]
        for r in con.execute(
            "SELECT ordinal FROM edit_override WHERE origin = ? AND origin_id = ? AND field = ?",
            [origin, origin_id, DELETED],
        ).fetchall()
    }
    out, place = {}, 0
    for claim_id in claim_ids:
        while place in deleted:
            place += 1
        out[claim_id] = place
        place += 1
    return out


def _set_override(con, inc: dict, ordinal: int, field: str, value, imported, change_id) -> None:
    found = con.execute(
        "SELECT imported FROM edit_override WHERE origin = ? AND origin_id = ? AND ordinal = ? "
        "AND field = ?",
        [inc["origin"], inc["origin_id"], ordinal, field],
    ).fetchone()
    if found is None:
        con.execute(
            "INSERT INTO edit_override VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                inc["origin"],
                inc["origin_id"],
                ordinal,
                field,
                _dumps(value),
                _dumps(imported),
                _dumps(imported),
                change_id,
            ],
        )
        return
    if _loads(found[0]) == value:  # back to what the origin said: no override left
        _drop_override(con, inc, ordinal, field)
        return
    con.execute(
        "UPDATE edit_override SET value = ?, change_id = ? WHERE origin = ? AND origin_id = ? "
        "AND ordinal = ? AND field = ?",
        [_dumps(value), change_id, inc["origin"], inc["origin_id"], ordinal, field],
    )


def _drop_override(con, inc: dict, ordinal: int, field: str) -> None:
    con.execute(
        "DELETE FROM edit_override WHERE origin = ? AND origin_id = ? AND ordinal = ? AND field = ?",
        [inc["origin"], inc["origin_id"], ordinal, field],
    )


def _claim_override_key(con, claim: dict) -> tuple[dict, int] | None:
    """(its incident, its ordinal) for a claim the origin wrote; None for editor claims."""
    if con.execute(
        "SELECT count(*) FROM editor_claim WHERE claim_id = ?", [claim["claim_id"]]
    ).fetchone()[0]:
        return None
    inc = _incident(con, claim["incident_id"])
    ids = _imported_claim_ids(con, claim["incident_id"])
    return inc, _ordinal_map(con, inc["origin"], inc["origin_id"], ids)[claim["claim_id"]]


def _resolve_source(con, claim: dict, editor: str, note: str | None, log: list) -> int | None:
    """The source id for a claim's ``source_name``; a new name is added to the registry
    (kind, affiliation and URL from the claim) and logged."""
    name = claim.get("source_name")
    if not name:
        return None
    found = con.execute("SELECT source_id FROM source WHERE name = ?", [name]).fetchone()
    if found:
        return found[0]
    row = {
        "source_id": next_ids(con, "source_id_seq", 1)[0],
        "name": name,
        "kind": claim.get("source_kind") or "media",
        "affiliation": claim.get("source_affiliation") or "unknown",
        "url": claim.get("source_url"),
    }
    _insert(con, "source", row)
    log.append(("source", row["source_id"], "create", None, row))
    return row["source_id"]


def _resolve_actor(con, name: str | None, log: list) -> int | None:
    """An actor id for a name: a known alias, or a new actor flagged for review."""
    if not name:
        return None
    resolver = ActorResolver(con)
    actor_id = resolver.resolve(name)
    if resolver.created:
        log.append(("actor", actor_id, "create", None, _actor_state(con, actor_id)))
    return actor_id


def _actor_state(con, actor_id: int) -> dict:
    row = _row(con, "actor", "actor_id", actor_id)
    row["aliases"] = [
        r[0]
        for r in con.execute(
            "SELECT alias_key FROM actor_alias WHERE actor_id = ? ORDER BY alias_key", [actor_id]
        ).fetchall()
    ]
    return row


def _flush(con, pending: list, editor: str, note: str | None) -> list[int]:
    return [
        log_change(
            con,
            editor=editor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            old=old,
            new=new,
            note=note,
        )
        for entity, entity_id, action, old, new in pending
    ]


# --- incidents ---------------------------------------------------------------------


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "incident"


def validate_proposal(proposal: dict) -> tuple[dict, list[dict]]:
    """Clean incident fields and claims of a proposal; ``Invalid`` lists every problem."""
    fields, claims, _ = read_proposal(proposal)
    incident, errors = clean_incident(fields)
    cleaned = []
    for i, claim in enumerate(claims):
        c, claim_errors = clean_claim(claim, prefix=f"claims[{i}].")
        errors.update(claim_errors)
        cleaned.append(c)
    if errors:
        raise Invalid(errors)
    incident["origin_id"] = fields.get("origin_id")
    return incident, cleaned


def _record(incident: dict, claims: list[dict], origin_id: str) -> IncidentRecord:
    fields = {k: v for k, v in incident.items() if k in INCIDENT_FIELDS}
    record_claims = []
    for c in claims:
        kw = {k: v for k, v in c.items() if k in ClaimRecord.__dataclass_fields__}
        kw["source_kind"] = kw.get("source_kind") or "media"
        kw["source_affiliation"] = kw.get("source_affiliation") or "unknown"
        record_claims.append(ClaimRecord(**kw))
    return IncidentRecord(origin_id=origin_id, claims=record_claims, **fields)


def create_incident(
    con: duckdb.DuckDBPyConnection,
    proposal: dict,
    *,
    editor: str | None,
    note: str | None = None,
    origin: str = taxonomy.ORIGIN_MANUAL,
) -> int:
    """Add an incident with its claims (a proposal, see the module doc); its new
    sources go into the registry and new actor names to the review queue, each logged.
    Returns the new incident's id. Refuses an ``origin_id`` already in the store."""
    editor = require_editor(editor, "adding an incident")
    incident, claims = validate_proposal(proposal)
    origin_id = incident.pop("origin_id", None) or (
        f"{incident['occurred_on']:%Y-%m-%d}-{_slug(incident.get('place_name') or 'incident')}"
    )
    taken = {
        r[0]
        for r in con.execute(
            "SELECT origin_id FROM incident WHERE origin = ? AND origin_id LIKE ?",
            [origin, origin_id + "%"],
        ).fetchall()
    }
    if proposal.get("origin_id") and origin_id in taken:
        raise Invalid({"origin_id": f"{origin}/{origin_id} is already in the store"})
    base, n = origin_id, 2
    while origin_id in taken:
        origin_id, n = f"{base}-{n}", n + 1
    note = note or proposal.get("note")
    before_sources = {r[0] for r in con.execute("SELECT name FROM source").fetchall()}

    def log(c: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
        incident_id = c.execute(
            "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?",
            [origin, origin_id],
        ).fetchone()[0]
        pending = []
        for name in sorted({cl["source_name"] for cl in claims if cl.get("source_name")}):
            if name not in before_sources:
                row = _row(c, "source", "name", name)
                pending.append(("source", row["source_id"], "create", None, row))
        for name in summary.new_actors:
            actor_id = c.execute("SELECT actor_id FROM actor WHERE name = ?", [name]).fetchone()
            if actor_id:
                pending.append(("actor", actor_id[0], "create", None, _actor_state(c, actor_id[0])))
        row = _row(c, "incident", "incident_id", incident_id)
        row["claims"] = _rows(
            c, "SELECT * FROM claim WHERE incident_id = ? ORDER BY claim_id", [incident_id]
        )
        pending.append(("incident", incident_id, "create", None, row))
        _flush(c, pending, editor, note)

    write_records(con, origin, [_record(incident, claims, origin_id)], on_commit=log)
    return con.execute(
        "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?", [origin, origin_id]
    ).fetchone()[0]


def edit_incident(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    changes: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Set incident fields; returns the change id (None when nothing changed). The new
    values are kept as the editor's overrides (they survive re-imports)."""
    editor = require_editor(editor, "editing an incident")
    current = _incident(con, incident_id)
    cleaned, errors = clean_incident(changes, partial=True)
    _keep_pcodes(cleaned, current)
    merged = {**current, **{k: _jsonable(v) for k, v in cleaned.items()}}
    for key in ("latitude", "longitude"):
        if (merged["latitude"] is None) != (merged["longitude"] is None) and key in cleaned:
            errors[key] = "latitude and longitude go together (give both or neither)"
    if errors:
        raise Invalid(errors)
    diff = {k: _jsonable(v) for k, v in cleaned.items() if _jsonable(v) != current[k]}
    if not diff:
        return None
    old = {k: current[k] for k in diff}
    with transaction(con):
        change_id = _apply_incident_update(con, current, old, diff, editor, note)
    return change_id


def _apply_incident_update(con, current, old, new, editor, note, reverts=None, action="update"):
    _update(con, "incident", "incident_id", current["incident_id"], new)
    change_id = log_change(
        con,
        editor=editor,
        entity="incident",
        entity_id=current["incident_id"],
        action=action,
        old=old,
        new=new,
        note=note,
        reverts=reverts,
    )
    for field, value in new.items():
        _set_override(con, current, INCIDENT_ORDINAL, field, value, old[field], change_id)
    derive.refresh(con)
    return change_id


def delete_incident(
    con: duckdb.DuckDBPyConnection, incident_id: int, *, editor: str | None, note: str | None
) -> int:
    """Delete an incident and its claims (revertible: the log keeps them)."""
    editor = require_editor(editor, "deleting an incident")
    row = _incident(con, incident_id)
    with transaction(con):
        change_id = _delete_incident_rows(con, row, editor, note, None, "delete")
    return change_id


def _delete_incident_rows(con, row, editor, note, reverts, action):
    incident_id = row["incident_id"]
    row["claims"] = _rows(
        con, "SELECT * FROM claim WHERE incident_id = ? ORDER BY claim_id", [incident_id]
    )
    row["editor_claims"] = [
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM editor_claim WHERE claim_id IN "
            "(SELECT claim_id FROM claim WHERE incident_id = ?)",
            [incident_id],
        ).fetchall()
    ]
    con.execute(
        "UPDATE incident SET linked_to = NULL WHERE linked_to = ?", [incident_id]
    )  # linked records of the same event become canonical
    con.execute(
        "DELETE FROM editor_claim WHERE claim_id IN (SELECT claim_id FROM claim "
        "WHERE incident_id = ?)",
        [incident_id],
    )
    con.execute("DELETE FROM claim WHERE incident_id = ?", [incident_id])
    con.execute("DELETE FROM incident WHERE incident_id = ?", [incident_id])
    change_id = log_change(
        con,
        editor=editor,
        entity="incident",
        entity_id=incident_id,
        action=action,
        old=row,
        new=None,
        note=note,
        reverts=reverts,
    )
    derive.refresh(con)
    return change_id


def _insert_incident_rows(con, row: dict) -> None:
    incident = {k: v for k, v in row.items() if k not in ("claims", "editor_claims")}
    _insert(con, "incident", incident)
    for claim in row.get("claims") or []:
        _insert(con, "claim", claim)
    for claim_id in row.get("editor_claims") or []:
        con.execute("INSERT OR IGNORE INTO editor_claim VALUES (?, 0)", [claim_id])


# --- claims ------------------------------------------------------------------------


def add_claim(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    claim: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Add a claim to an incident (source by name, added to the registry if new; actor
    by name, a new name flagged for review); returns the claim id."""
    editor = require_editor(editor, "adding a claim")
    _incident(con, incident_id)
    cleaned, errors = clean_claim(claim)
    if errors:
        raise Invalid(errors)
    with transaction(con):
        change_id = _add_claim_row(con, int(incident_id), cleaned, editor, note)
    return con.execute(
        "SELECT claim_id FROM editor_claim WHERE change_id = ?", [change_id]
    ).fetchone()[0]


def edit_claim(
    con: duckdb.DuckDBPyConnection,
    claim_id: int,
    changes: dict,
    *,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Change a claim: figures, quote, publication date, ``source_name`` or
    ``alleged_actor`` (by name). Returns the change id, None if nothing changed."""
    editor = require_editor(editor, "editing a claim")
    current = _claim(con, claim_id)
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("source_name", "alleged_actor"):
            typed[key] = str(value).strip() if value not in (None, "") else None
        elif key in CLAIM_FIELDS and key not in ("source_id", "alleged_actor_id"):
            try:
                typed[key] = _jsonable(_coerce(key, value, CLAIM_FIELDS[key]))
            except ValueError as error:
                errors[key] = str(error)
        else:
            errors[key] = "not a claim field"
    merged = {**current, **{k: v for k, v in typed.items() if k in CLAIM_FIELDS}}
    _check_pairs(merged, errors)
    if "role" in typed:
        _vocab(errors, "role", typed["role"], taxonomy.CLAIM_ROLES, True)
    if errors:
        raise Invalid(errors)
    with transaction(con):
        pending: list = []
        if "source_name" in typed:
            typed["source_id"] = _resolve_source(
                con, {"source_name": typed.pop("source_name")}, editor, note, pending
            )
        if "alleged_actor" in typed:
            typed["alleged_actor_id"] = _resolve_actor(con, typed.pop("alleged_actor"), pending)
        diff = {k: v for k, v in typed.items() if v != current[k]}
        if not diff:
            _flush(con, pending, editor, note)
            return None
        _flush(con, pending, editor, note)
        change_id = _apply_claim_update(
            con, current, {k: current[k] for k in diff}, diff, editor, note
        )
    return change_id


def _apply_claim_update(con, current, old, new, editor, note, reverts=None, action="update"):
    key = _claim_override_key(con, current)
    _update(con, "claim", "claim_id", current["claim_id"], new)
    change_id = log_change(
        con,
        editor=editor,
        entity="claim",
        entity_id=current["claim_id"],
        action=action,
        old={**old, "incident_id": current["incident_id"]},
        new={**new, "incident_id": current["incident_id"]},
        note=note,
        reverts=reverts,
    )
    if key is not None:
        inc, ordinal = key
        for field, value in new.items():
            _set_override(con, inc, ordinal, field, value, old[field], change_id)
    derive.refresh(con)
    return change_id


def delete_claim(
    con: duckdb.DuckDBPyConnection, claim_id: int, *, editor: str | None, note: str | None = None
) -> int:
    """Delete a claim (revertible). A claim its origin wrote stays deleted after a
    re-import of the incident."""
    editor = require_editor(editor, "deleting a claim")
    row = _claim(con, claim_id)
    with transaction(con):
        change_id = _delete_claim_row(con, row, editor, note, None, "delete")
    return change_id


def _delete_claim_row(con, row, editor, note, reverts, action):
    key = _claim_override_key(con, row)
    con.execute("DELETE FROM claim WHERE claim_id = ?", [row["claim_id"]])
    con.execute("DELETE FROM editor_claim WHERE claim_id = ?", [row["claim_id"]])
    change_id = log_change(
        con,
        editor=editor,
        entity="claim",
        entity_id=row["claim_id"],
        action=action,
        old={**row, "editor_added": key is None, "ordinal": None if key is None else key[1]},
        new=None,
        note=note,
        reverts=reverts,
    )
    if key is not None:
        inc, ordinal = key
        _set_override(con, inc, ordinal, DELETED, True, None, change_id)
    derive.refresh(con)
    return change_id


def _restore_claim_row(con, old: dict, editor, note, reverts, action) -> int:
    row = {k: v for k, v in old.items() if k not in ("editor_added", "ordinal")}
    _insert(con, "claim", row)
    change_id = log_change(
        con,
        editor=editor,
        entity="claim",
        entity_id=row["claim_id"],
        action=action,
        old=None,
        new=row,
        note=note,
        reverts=reverts,
    )
    if old.get("editor_added", True):
        con.execute(
            "INSERT OR IGNORE INTO editor_claim VALUES (?, ?)", [row["claim_id"], change_id]
        )
    elif old.get("ordinal") is not None:
        _drop_override(con, _incident(con, row["incident_id"]), old["ordinal"], DELETED)
    derive.refresh(con)
    return change_id


# --- sources -----------------------------------------------------------------------


def add_source(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    kind: str = "media",
    affiliation: str = "unknown",
    url: str | None = None,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Add a source to the registry; returns its id (refuses a name already there)."""
    editor = require_editor(editor, "adding a source")
    cleaned, errors = clean_claim(
        {
            "source_name": name,
            "source_kind": kind,
            "source_affiliation": affiliation,
            "source_url": url,
        }
    )
    if not cleaned["source_name"]:
        errors["source_name"] = "required"
    elif con.execute("SELECT count(*) FROM source WHERE name = ?", [name.strip()]).fetchone()[0]:
        errors["source_name"] = f"{name.strip()!r} is already in the registry"
    if errors:
        raise Invalid(errors)
    with transaction(con):
        pending: list = []
        source_id = _resolve_source(con, cleaned, editor, note, pending)
        _flush(con, pending, editor, note)
    return source_id


# --- actors ------------------------------------------------------------------------


def find_actor(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """An actor id by its name or any alias; ``ValueError`` if unknown."""
    found = con.execute("SELECT actor_id FROM actor WHERE name = ?", [name.strip()]).fetchone()
    if not found:
        found = con.execute(
            "SELECT actor_id FROM actor_alias WHERE alias_key = ?", [alias_key(name)]
        ).fetchone()
    if not found:
        raise ValueError(f"no actor or alias named {name!r}")
    return found[0]


def review_queue(con: duckdb.DuckDBPyConnection, examples: int = 3) -> pd.DataFrame:
    """Actors awaiting review, most-named first: how many incidents and claims name
    each, and a few example incidents ("2020-03-05 Saraqab (acled SYR123)")."""
    return con.execute(
        """WITH named AS (
               SELECT c.alleged_actor_id AS actor_id, c.claim_id,
                      coalesce(i.linked_to, i.incident_id) AS incident_id,
                      i.occurred_on, i.place_name, i.origin, i.origin_id
               FROM claim c JOIN incident i USING (incident_id)
               WHERE c.alleged_actor_id IN (SELECT actor_id FROM actor WHERE needs_review)),
           ex AS (
               SELECT actor_id, string_agg(
                   strftime(occurred_on, '%Y-%m-%d') || ' ' || coalesce(place_name, '?')
                   || ' (' || origin || ' ' || origin_id || ')', '; '
                   ORDER BY occurred_on DESC) AS examples
               FROM (SELECT *, row_number() OVER (PARTITION BY actor_id
                                                  ORDER BY occurred_on DESC, claim_id) AS n
                     FROM named) WHERE n <= ? GROUP BY actor_id)
           SELECT a.actor_id, a.name, a.side,
                  count(DISTINCT n.incident_id) AS incidents, count(n.claim_id) AS claims,
                  ex.examples
           FROM actor a LEFT JOIN named n USING (actor_id) LEFT JOIN ex USING (actor_id)
           WHERE a.needs_review
           GROUP BY a.actor_id, a.name, a.side, ex.examples
           ORDER BY claims DESC, a.name""",
        [examples],
    ).df()


def set_actor_side(
    con: duckdb.DuckDBPyConnection,
    name: str,
    side: str,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Assign an actor's side (and take it off the review queue); revertible."""
    editor = require_editor(editor, "assigning an actor's side")
    if side not in taxonomy.SIDES:
        raise Invalid({"side": f"{side!r} is not one of: {', '.join(taxonomy.SIDES)}"})
    actor_id = find_actor(con, name)
    row = _row(con, "actor", "actor_id", actor_id)
    old = {"side": row["side"], "needs_review": row["needs_review"]}
    new = {"side": side, "needs_review": False}
    with transaction(con):
        change_id = _apply_actor_update(con, actor_id, old, new, editor, note)
    return change_id


def _apply_actor_update(con, actor_id, old, new, editor, note, reverts=None):
    _update(con, "actor", "actor_id", actor_id, new)
    change_id = log_change(
        con,
        editor=editor,
        entity="actor",
        entity_id=actor_id,
        action="set-side",
        old={**old, "name": _row(con, "actor", "actor_id", actor_id)["name"]},
        new=new,
        note=note,
        reverts=reverts,
    )
    derive.refresh(con)
    return change_id


def merge_actor(
    con: duckdb.DuckDBPyConnection,
    name: str,
    into: str,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Make an actor an alias of another: its aliases and claims move to ``into`` and
    it is removed; revertible (the log keeps which aliases and claims moved)."""
    editor = require_editor(editor, "merging actors")
    source_id = find_actor(con, name)
    target_id = find_actor(con, into)
    if source_id == target_id:
        raise Invalid({"into": f"{name!r} and {into!r} are the same actor"})
    with transaction(con):
        change_id = _merge(con, source_id, target_id, editor, note, None)
    return change_id


def _merge(con, source_id, target_id, editor, note, reverts) -> int:
    state = _actor_state(con, source_id)
    state["claim_ids"] = [
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM claim WHERE alleged_actor_id = ? ORDER BY claim_id", [source_id]
        ).fetchall()
    ]
    con.execute("UPDATE actor_alias SET actor_id = ? WHERE actor_id = ?", [target_id, source_id])
    con.execute(
        "UPDATE claim SET alleged_actor_id = ? WHERE alleged_actor_id = ?", [target_id, source_id]
    )
    con.execute("DELETE FROM actor WHERE actor_id = ?", [source_id])
    target = _row(con, "actor", "actor_id", target_id)
    change_id = log_change(
        con,
        editor=editor,
        entity="actor",
        entity_id=source_id,
        action="merge",
        old=state,
        new={"into": target_id, "into_name": target["name"]},
        note=note,
        reverts=reverts,
    )
    derive.refresh(con)
    return change_id


def _unmerge(con, state: dict, editor, note, reverts) -> int:
    actor = {k: state[k] for k in ("actor_id", "name", "side", "needs_review")}
    _insert(con, "actor", actor)
    for key in state["aliases"]:
        con.execute(
            "UPDATE actor_alias SET actor_id = ? WHERE alias_key = ?", [actor["actor_id"], key]
        )
    if state["claim_ids"]:
        con.execute(
            "UPDATE claim SET alleged_actor_id = ? WHERE claim_id IN (SELECT unnest(?))",
            [actor["actor_id"], state["claim_ids"]],
        )
    change_id = log_change(
        con,
        editor=editor,
        entity="actor",
        entity_id=actor["actor_id"],
        action="unmerge",
        old=None,
        new=state,
        note=note,
        reverts=reverts,
    )
    derive.refresh(con)
    return change_id


# --- revert ------------------------------------------------------------------------


def _change(con, change_id: int) -> dict:
    entries = [e for e in history(con) if e["change_id"] == int(change_id)]
    if not entries:
        raise ValueError(f"change {change_id} is not in the log")
    return entries[0]


def _require_current(current: dict, expected: dict, what: str) -> None:
    changed = {k: current.get(k) for k, v in expected.items() if current.get(k) != v}
    if changed:
        raise ValueError(
            f"{what} has changed since ({', '.join(f'{k} is now {v!r}' for k, v in changed.items())}); "
            "revert the later change first"
        )


def revert(
    con: duckdb.DuckDBPyConnection,
    change_id: int,
    *,
    editor: str | None,
    note: str | None = None,
) -> int:
    """Undo one change by writing its old values back; the revert is itself a logged
    change (``reverts`` = the change undone). Returns the new change's id."""
    editor = require_editor(editor, "reverting a change")
    c = _change(con, change_id)
    note = note or f"revert of change {c['change_id']}"
    entity, action, old, new = c["entity"], c["action"], c["old"], c["new"]
    if entity == "import":
        raise ValueError(
            f"change {change_id} is an import ({c['entity_id']}); imports are not reverted "
            "change by change: remove the origin's rows or re-import the earlier file"
        )
    with transaction(con):
        if entity in ("incident", "claim") and old is not None and new is not None:
            fields = {k: v for k, v in old.items() if k != "incident_id"}
            after = {k: v for k, v in new.items() if k != "incident_id"}
            if entity == "incident":
                current = _incident(con, int(c["entity_id"]))
                _require_current(current, after, f"incident {c['entity_id']}")
                return _apply_incident_update(con, current, after, fields, editor, note, change_id)
            current = _claim(con, int(c["entity_id"]))
            _require_current(current, after, f"claim {c['entity_id']}")
            return _apply_claim_update(con, current, after, fields, editor, note, change_id)
        if entity == "incident" and old is None:  # a creation: delete it again
            row = _incident(con, int(c["entity_id"]))
            return _delete_incident_rows(con, row, editor, note, change_id, "delete")
        if entity == "incident" and new is None:  # a deletion: restore it
            if _row(con, "incident", "incident_id", old["incident_id"]):
                raise ValueError(f"incident {old['incident_id']} is in the store already")
            _insert_incident_rows(con, old)
            new_id = log_change(
                con,
                editor=editor,
                entity="incident",
                entity_id=old["incident_id"],
                action="create",
                old=None,
                new=old,
                note=note,
                reverts=change_id,
            )
            derive.refresh(con)
            return new_id
        if entity == "claim" and old is None:
            row = _claim(con, int(c["entity_id"]))
            return _delete_claim_row(con, row, editor, note, change_id, "delete")
        if entity == "claim" and new is None:
            if _row(con, "claim", "claim_id", old["claim_id"]):
                raise ValueError(f"claim {old['claim_id']} is in the store already")
            return _restore_claim_row(con, old, editor, note, change_id, "create")
        if entity == "source" and old is None:
            used = con.execute(
                "SELECT count(*) FROM claim WHERE source_id = ?", [new["source_id"]]
            ).fetchone()[0]
            if used:
                raise ValueError(
                    f"source {new['name']!r} is cited by {used} claims; revert or edit those first"
                )
            con.execute("DELETE FROM source WHERE source_id = ?", [new["source_id"]])
            return log_change(
                con,
                editor=editor,
                entity="source",
                entity_id=new["source_id"],
                action="delete",
                old=new,
                new=None,
                note=note,
                reverts=change_id,
            )
        if entity == "source" and new is None:
            _insert(con, "source", old)
            return log_change(
                con,
                editor=editor,
                entity="source",
                entity_id=old["source_id"],
                action="create",
                old=None,
                new=old,
                note=note,
                reverts=change_id,
            )
        if entity == "actor" and action == "set-side":
            actor_id = int(c["entity_id"])
            current = _row(con, "actor", "actor_id", actor_id)
            if current is None:
                raise ValueError(f"actor {actor_id} is no longer in the store (merged?)")
            _require_current(current, new, f"actor {current['name']!r}")
            back = {"side": old["side"], "needs_review": old["needs_review"]}
            return _apply_actor_update(
                con, actor_id, {k: current[k] for k in back}, back, editor, note, change_id
            )
        if entity == "actor" and action == "merge":
            return _unmerge(con, old, editor, note, change_id)
        if entity == "actor" and action == "unmerge":
            into = _change(con, c["reverts"])["new"]["into"] if c["reverts"] else None
            if into is None:
                raise ValueError(f"cannot tell which actor change {change_id} split from")
            return _merge(con, new["actor_id"], into, editor, note, change_id)
        if entity == "actor" and old is None:  # a new actor: remove it if unused
            actor_id = new["actor_id"]
            used = con.execute(
                "SELECT count(*) FROM claim WHERE alleged_actor_id = ?", [actor_id]
            ).fetchone()[0]
            if used:
                raise ValueError(
                    f"actor {new['name']!r} is named by {used} claims; revert or edit those first"
                )
            con.execute("DELETE FROM actor_alias WHERE actor_id = ?", [actor_id])
            con.execute("DELETE FROM actor WHERE actor_id = ?", [actor_id])
            derive.refresh(con)
            return log_change(
                con,
                editor=editor,
                entity="actor",
                entity_id=actor_id,
                action="delete",
                old=new,
                new=None,
                note=note,
                reverts=change_id,
            )
        if entity == "actor" and new is None:
            _insert(con, "actor", {k: old[k] for k in ("actor_id", "name", "side", "needs_review")})
            for key in old.get("aliases") or []:
                con.execute(
                    "INSERT OR IGNORE INTO actor_alias VALUES (?, ?, ?)",
                    [key, key, old["actor_id"]],
                )
            derive.refresh(con)
            return log_change(
                con,
                editor=editor,
                entity="actor",
                entity_id=old["actor_id"],
                action="create",
                old=None,
                new=old,
                note=note,
                reverts=change_id,
            )
    raise ValueError(f"change {change_id} ({entity} {action}) cannot be reverted")


# --- overrides on re-import --------------------------------------------------------


def reapply_overrides(
    con: duckdb.DuckDBPyConnection, origin: str, diff_table: str, summary: WriteSummary
) -> None:
    """After a write rewrote incidents (status 'changed' in ``diff_table``), put the
    editors' values back and report where the new input changed an overridden value.
    Runs inside the write's transaction (``records.write_frames``)."""
    rows = con.execute(
        f"""SELECT o.origin_id, o.ordinal, o.field, o.value, o.imported, i.incident_id
            FROM edit_override o JOIN {diff_table} d ON d.origin_id = o.origin_id
            JOIN incident i ON i.origin = o.origin AND i.origin_id = o.origin_id
            WHERE o.origin = ? AND d.status = 'changed'
            ORDER BY o.origin_id, o.ordinal, o.field""",
        [origin],
    ).fetchall()
    by_incident: dict[str, list] = {}
    for row in rows:
        by_incident.setdefault(row[0], []).append(row)
    for origin_id, overrides in by_incident.items():
        incident_id = overrides[0][5]
        ids = _imported_claim_ids(con, incident_id)
        # the rewrite numbered the origin's claims afresh: place k is the k-th claim
        by_ordinal = dict(enumerate(ids))
        inc_row = _incident(con, incident_id)
        to_delete = []
        for _, ordinal, field, value, imported, _ in overrides:
            value, imported = _loads(value), _loads(imported)
            if ordinal == INCIDENT_ORDINAL:
                latest = inc_row.get(field)
                target = ("incident", "incident_id", incident_id)
            else:
                claim_id = by_ordinal.get(ordinal)
                if claim_id is None:
                    summary.conflicts.append(
                        f"{origin}/{origin_id}: claim {ordinal + 1} an editor changed is no "
                        "longer in the file"
                    )
                    continue
                if field == DELETED:
                    to_delete.append(claim_id)
                    summary.overrides_kept += 1
                    continue
                latest = _claim(con, claim_id).get(field)
                target = ("claim", "claim_id", claim_id)
            con.execute(
                "UPDATE edit_override SET latest_imported = ? WHERE origin = ? AND origin_id = ? "
                "AND ordinal = ? AND field = ?",
                [_dumps(latest), origin, origin_id, ordinal, field],
            )
            if latest != imported:
                where = "" if ordinal == INCIDENT_ORDINAL else f"claim {ordinal + 1} "
                summary.conflicts.append(
                    f"{origin}/{origin_id}: {where}{field} is now {latest!r} in the file "
                    f"(was {imported!r}); the editor's {value!r} is kept"
                )
            _update(con, target[0], target[1], target[2], {field: value})
            summary.overrides_kept += 1
        for claim_id in to_delete:
            con.execute("DELETE FROM claim WHERE claim_id = ?", [claim_id])


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Overrides whose dataset value changed since the editor decided (open conflicts)."""
    return con.execute(
        """SELECT o.origin, o.origin_id, o.ordinal, o.field, o.value AS editor_value,
                  o.imported AS imported_then, o.latest_imported AS imported_now, o.change_id
           FROM edit_override o WHERE o.latest_imported IS DISTINCT FROM o.imported
           ORDER BY o.origin, o.origin_id, o.ordinal, o.field"""
    ).df()


def accept_imported(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    origin_id: str,
    field: str,
    *,
    ordinal: int = INCIDENT_ORDINAL,
    editor: str | None,
    note: str | None = None,
) -> int | None:
    """Settle a conflict in the dataset's favour: the field takes the latest imported
    value and the override goes (logged as an edit)."""
    editor = require_editor(editor, "settling a conflict")
    found = con.execute(
        "SELECT latest_imported FROM edit_override WHERE origin = ? AND origin_id = ? AND "
        "ordinal = ? AND field = ?",
        [origin, origin_id, ordinal, field],
    ).fetchone()
    if found is None:
        raise ValueError(f"no override of {field} on {origin}/{origin_id}")
    value = _loads(found[0])
    incident_id = con.execute(
        "SELECT incident_id FROM incident WHERE origin = ? AND origin_id = ?", [origin, origin_id]
    ).fetchone()[0]
    if ordinal == INCIDENT_ORDINAL:
        change = edit_incident(con, incident_id, {field: value}, editor=editor, note=note)
    else:
        claim_id = _imported_claim_ids(con, incident_id)[ordinal]
        change = edit_claim(con, claim_id, {field: value}, editor=editor, note=note)
    with transaction(con):
        con.execute(
            "DELETE FROM edit_override WHERE origin = ? AND origin_id = ? AND ordinal = ? "
            "AND field = ?",
            [origin, origin_id, ordinal, field],
        )
    return change


# --- imports and demo removal ------------------------------------------------------


def import_logger(editor: str, file: str, report_text: Callable[[WriteSummary], str]):
    """An ``on_commit`` hook that logs an import as one change with its report."""

    def log(con: duckdb.DuckDBPyConnection, summary: WriteSummary) -> None:
        log_change(
            con,
            editor=editor,
            entity="import",
            entity_id=summary.origin,
            action="import",
            old=None,
            new={
                "file": file,
                "added": summary.added,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "new_actors": summary.new_actors,
                "conflicts": summary.conflicts,
                "report": report_text(summary),
            },
        )

    return log


# --- the incident editor's whole save, and what an incident will count as -----------


def save_incident(
    con: duckdb.DuckDBPyConnection,
    incident_id: int,
    fields: dict,
    claims: list[dict],
    *,
    editor: str | None,
    note: str | None = None,
) -> list[int]:
    """The incident editor's save of an existing incident, all or nothing: new field
    values, each claim with a ``claim_id`` updated, each without one added, and the
    incident's claims missing from ``claims`` deleted. Everything is validated first
    (``Invalid`` lists every problem); returns the change ids."""
    editor = require_editor(editor, "editing an incident")
    current = _incident(con, incident_id)
    cleaned, errors = clean_incident(fields, partial=True)
    _keep_pcodes(cleaned, current)
    merged = {**current, **{k: _jsonable(v) for k, v in cleaned.items()}}
    if (merged["latitude"] is None) != (merged["longitude"] is None):
        errors["latitude"] = "latitude and longitude go together (give both or neither)"
    existing = {
        r[0]
        for r in con.execute(
            "SELECT claim_id FROM claim WHERE incident_id = ?", [int(incident_id)]
        ).fetchall()
    }
    clean_claims = []
    for i, claim in enumerate(claims):
        c, claim_errors = clean_claim(claim, prefix=f"claims[{i}].")
        errors.update(claim_errors)
        if claim.get("claim_id") is not None and int(claim["claim_id"]) not in existing:
            errors[f"claims[{i}].claim_id"] = f"claim {claim['claim_id']} is not this incident's"
        c["claim_id"] = None if claim.get("claim_id") is None else int(claim["claim_id"])
        clean_claims.append(c)
    if errors:
        raise Invalid(errors)
    changes: list[int] = []
    with transaction(con):
        diff = {k: _jsonable(v) for k, v in cleaned.items() if _jsonable(v) != current[k]}
        if diff:
            changes.append(
                _apply_incident_update(
                    con, current, {k: current[k] for k in diff}, diff, editor, note
                )
            )
        kept = {c["claim_id"] for c in clean_claims if c["claim_id"] is not None}
        for claim_id in sorted(existing - kept):
            changes.append(
                _delete_claim_row(con, _claim(con, claim_id), editor, note, None, "delete")
            )
        for c in clean_claims:
            pending: list = []
            if c["claim_id"] is None:
                changes.append(_add_claim_row(con, int(incident_id), c, editor, note))
                continue
            row = _claim(con, c["claim_id"])
            wanted = {
                "source_id": _resolve_source(con, c, editor, note, pending),
                "alleged_actor_id": _resolve_actor(con, c.get("alleged_actor"), pending),
                **{f: c.get(f) for f in taxonomy.CASUALTY_FIELDS},
                "role": c["role"],
                "quote": c.get("quote"),
                "published_on": _jsonable(c.get("published_on")),
            }
            changes.extend(_flush(con, pending, editor, note))
            delta = {k: v for k, v in wanted.items() if v != row.get(k)}
            if delta:
                changes.append(
                    _apply_claim_update(con, row, {k: row[k] for k in delta}, delta, editor, note)
                )
    return changes


def _add_claim_row(con, incident_id: int, cleaned: dict, editor: str, note: str | None) -> int:
    """Insert one claim an editor added (names resolved, new ones logged); its change id."""
    pending: list = []
    row = {
        "claim_id": next_ids(con, "claim_id_seq", 1)[0],
        "incident_id": int(incident_id),
        "source_id": _resolve_source(con, cleaned, editor, note, pending),
        "alleged_actor_id": _resolve_actor(con, cleaned.get("alleged_actor"), pending),
        **{f: cleaned.get(f) for f in taxonomy.CASUALTY_FIELDS},
        "role": cleaned["role"],
        "quote": cleaned.get("quote"),
        "published_on": _jsonable(cleaned.get("published_on")),
        "is_demo": False,
    }
    _insert(con, "claim", row)
    pending.append(("claim", row["claim_id"], "create", None, row))
    ids = _flush(con, pending, editor, note)
    con.execute("INSERT INTO editor_claim VALUES (?, ?)", [row["claim_id"], ids[-1]])
    derive.refresh(con)
    return ids[-1]


_REFERENCE_TABLES = ("actor", "actor_alias", "source", "agreement", "agreement_area")


def explain_counting(con: duckdb.DuckDBPyConnection, proposal: dict) -> str:
    """What an incident (a proposal, before it is saved) will count as, in one sentence:
    "Alleged violation of the Sochi memorandum and the Moscow protocol: inside Harim
    district (Idleb), airstrike, Russia named by 3 of 5 sources." or why it is not.

    The verdict is the store's own rule (``derive.py``), applied to the proposal in a
    scratch in-memory store holding this store's actors, sources and agreements, so it
    reads ``con`` only (a read-only snapshot will do). ``Invalid`` if the proposal is."""
    from .store import connect

    incident, claims = validate_proposal(proposal)
    scratch = connect(":memory:")
    try:
        for table in _REFERENCE_TABLES:
            frame = con.execute(f"SELECT * FROM {table}").df()
            if not frame.empty:
                scratch.register("_ref", frame)
                scratch.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _ref")
                scratch.unregister("_ref")
        top = scratch.execute("SELECT coalesce(max(actor_id), 0) FROM actor").fetchone()[0]
        scratch.execute("DROP SEQUENCE actor_id_seq")
        scratch.execute(f"CREATE SEQUENCE actor_id_seq START {top + 1}")
        top = scratch.execute("SELECT coalesce(max(source_id), 0) FROM source").fetchone()[0]
        scratch.execute("DROP SEQUENCE source_id_seq")
        scratch.execute(f"CREATE SEQUENCE source_id_seq START {top + 1}")
        incident.pop("origin_id", None)
        write_records(scratch, "manual", [_record(incident, claims, "preview")])
        return _sentence(scratch)
    finally:
        scratch.close()


def _sentence(s: duckdb.DuckDBPyConnection) -> str:
    fact = _rows(s, "SELECT * FROM incident_fact", [])[0]
    inc = _rows(s, "SELECT * FROM incident", [])[0]
    names = dict(s.execute("SELECT agreement_id, name FROM agreement").fetchall())
    n_sources = s.execute(
        "SELECT count(DISTINCT coalesce(source_id, -claim_id)) FROM claim"
    ).fetchone()[0]
    named = s.execute(
        """SELECT a.name, a.side, a.needs_review, c.role,
                  count(DISTINCT coalesce(c.source_id, -c.claim_id)) AS n
           FROM claim c JOIN actor a ON a.actor_id = c.alleged_actor_id
           GROUP BY ALL ORDER BY n DESC, a.name"""
    ).fetchall()
    place = (
        f"inside {inc['district']} district ({inc['governorate']})"
        if inc.get("district")
        else (f"in {inc['governorate']}" if inc.get("governorate") else "place unknown")
    )
    who = [
        f"{name} named as {'a party' if role == 'party' else 'perpetrator'} by {n} of "
        f"{n_sources} sources" + (" (awaiting review)" if review else "")
        for name, _, review, role, n in named
    ]
    who_text = "; ".join(who) if who else "no claim names an actor"
    if fact["violated_agreements"]:
        order = [
            r[0]
            for r in s.execute("SELECT agreement_id FROM agreement ORDER BY signed_on").fetchall()
        ]
        violated = [a for a in order if a in fact["violated_agreements"]]
        agreements = ", ".join(names[a] for a in violated[:-1])
        agreements = f"{agreements} and {names[violated[-1]]}" if agreements else names[violated[0]]
        extra = (
            " (a clash between bound sides: who started it is not stated)"
            if fact.get("direction_undetermined")
            else ""
        )
        return f"Alleged violation of {agreements}{extra}: {place}, {inc['weapon']}, {who_text}."
    reasons = []
    if inc["weapon"] not in taxonomy.KINETIC_WEAPONS:
        reasons.append(f"the weapon ({inc['weapon']}) is not kinetic")
    in_force = s.execute(
        """SELECT count(*) FROM agreement WHERE CAST(in_force_from AS DATE) <= ?
           AND (in_force_to IS NULL OR CAST(in_force_to AS DATE) >= ?)""",
        [inc["occurred_on"], inc["occurred_on"]],
    ).fetchone()[0]
    if not in_force:
        reasons.append(f"no agreement was in force on {inc['occurred_on']}")
    in_area = s.execute(
        """SELECT count(*) FROM agreement_area WHERE governorate = ?
           AND (district IS NULL OR district = ?)""",
        [inc.get("governorate"), inc.get("district")],
    ).fetchone()[0]
    if not in_area:
        reasons.append(f"{place.replace('inside ', '')} is outside the agreements' area")
    bound = {
        side
        for (sides,) in s.execute("SELECT bound_sides FROM agreement").fetchall()
        for side in sides
    }
    if not any(side in bound for _, side, _, role, _ in named if role != "party"):
        reasons.append(
            "no claim names a perpetrator on a side the agreements bind"
            + (f" ({who_text})" if named else "")
        )
    why = "; ".join(reasons) or "its date window is not wholly inside a period in force"
    return f"Not an alleged violation: {why}. {place[0].upper() + place[1:]}, {inc['weapon']}."
