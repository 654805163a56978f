"""The incident editor's form model: what the form shows for an incident, and what a
submitted form changes - only what the editor changed.

A figure is stored as min, max and the source's qualifier ("more than 30" is min 31,
no max, "more than"); the form shows it as the source would write it: a qualifier and
a number, or a range. For a stored figure without a qualifier the form has to choose
one to show ("43" for 43-43, "more than 30" for a minimum of 31, "up to 75" for a
maximum of 75, as the incident page reads them), and that choice is the form's, not
the source's. So a save never compares the form with values re-derived for display:
``form_changes`` compares the submitted form with the form *as loaded*, field by
field, and only a field the editor changed becomes a value to write. A figure the
editor did not touch keeps its stored min, max and qualifier exactly; so do a quote's
spacing and characters, a null (never turned into 0), dates and coordinates.

The model is plain data (the page keeps it in its session state)::

    {"fields": {"occurred_on": date, "place_name": "...", "latitude": 36.2, ...},
     "claims": [{"key": 0, "claim_id": 17, "source_name": "Sputnik", "role": ...,
                 "killed": {"q": "up to", "n": 75, "min": None, "max": 75}, ...}],
     "stored": {"fields": {...}, "claims": {0: {...}}}}

``fields`` and ``claims`` are what the widgets show (``""`` for an empty text);
``stored`` keeps the values they came from (the store's row, or a proposal's values),
which a new incident saved from a proposal takes for every field the editor left alone
(``form_proposal``). ``key`` ties a claim of the submitted form to the loaded one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .values import (
    FIGURES,
    INCIDENT_FIELDS,
    QUALIFIERS,
    coerce_value,
    qualified_figure,
    source_number,
)

#: what the form's qualifier box offers besides the source's words: no figure, a range
NO_FIGURE, RANGE = "", "range"
#: incident fields the form shows (P-codes follow the names on save)
FORM_FIELDS = tuple(f for f in INCIDENT_FIELDS if not f.endswith("pcode"))
#: the form's defaults for a new incident (the store's column defaults)
DEFAULTS = {
    "date_precision": "day",
    "location_precision": "unknown",
    "target_type": "unknown",
    "verification": "reported",
}
#: text fields the form shows as a text box ("" for none)
_TEXTS = ("place_name", "governorate", "district", "description")
#: a claim's fields in the form besides its figures
CLAIM_FORM_FIELDS = (
    "claim_id", "source_name", "source_kind", "source_affiliation", "source_url",
    "alleged_actor", "role", "quote", "published_on", "url",
)  # fmt: skip
_CLAIM_DEFAULTS = {"source_kind": "media", "source_affiliation": "unknown", "role": "perpetrator"}
_CLAIM_TEXTS = ("source_name", "source_url", "alleged_actor", "quote", "url")


def figure_form(qualifier: str | None, low: int | None, high: int | None) -> dict:
    """A stored figure as the form shows it: ``q`` (a qualifier, ``"range"`` or ``""``
    for none), ``n`` (the number the source wrote) and ``min``/``max``. The stored
    qualifier where it fits the figures; otherwise the reading the incident page gives
    (a plain number, "more than" the floor less one, "up to", a range)."""
    number = source_number(qualifier, low, high)
    if qualifier in QUALIFIERS and (number is not None or qualifier == "dozens"):
        if qualified_figure(qualifier, number or 0) == (low, high):
            return {"q": qualifier, "n": number, "min": low, "max": high}
    if low is None and high is None:
        return {"q": NO_FIGURE, "n": None, "min": None, "max": None}
    if low is not None and high is not None:
        if low == high:
            return {"q": "exactly", "n": low, "min": low, "max": high}
        return {"q": RANGE, "n": None, "min": low, "max": high}
    if high is None:
        if low > 0:
            return {"q": "more than", "n": low - 1, "min": low, "max": None}
        return {"q": "at least", "n": 0, "min": 0, "max": None}
    return {"q": "up to", "n": high, "min": None, "max": high}


def figure_values(form: dict) -> dict:
    """An edited figure as claim values (``clean_claim`` turns a qualifier and the
    number the source wrote into min and max): a range is min and max with no word,
    no figure is all empty."""
    q = form.get("q") or NO_FIGURE
    if q == NO_FIGURE:
        return {"qualifier": None, "min": None, "max": None}
    if q == RANGE:
        return {"qualifier": None, "min": form.get("min"), "max": form.get("max")}
    return {"qualifier": q, "figure": form.get("n")}


def _stored_figure(claim: dict, figure: str) -> tuple[Any, Any, Any]:
    """(min, max, qualifier) of a claim's figure: stored min/max, or a proposal's
    qualifier with the number the source wrote (``killed_figure``)."""
    qualifier = claim.get(f"{figure}_qualifier")
    given = claim.get(f"{figure}_figure")
    if given not in (None, "") and qualifier in QUALIFIERS:
        low, high = qualified_figure(qualifier, coerce_value(figure, given, int))
        return low, high, qualifier
    low, high = claim.get(f"{figure}_min"), claim.get(f"{figure}_max")
    return _number(low), _number(high), qualifier


def _number(value):
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return int(value)


def _date(value):
    if value is None or value == "" or value != value:  # NaT too
        return None
    if isinstance(value, datetime):  # a pandas Timestamp as well
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_shown(value, name: str, defaults: dict, texts) -> Any:
    """A value as the form shows it: a missing one is the field's default, else empty in
    a text box (a widget shows no None)."""
    if value is None and name in defaults:
        value = defaults[name]
    if value is None and name in texts:
        value = ""
    return value


def _shown_fields(fields: dict) -> dict:
    """An incident's fields as the form's widgets show them."""
    out: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = fields.get(name)
        if name == "occurred_on":
            value = _date(value)
        elif name in ("latitude", "longitude") and value is not None:
            value = float(value)
        out[name] = _as_shown(value, name, DEFAULTS, _TEXTS)
    return out


def _shown_claim(key: int, claim: dict) -> dict:
    """A claim as the form's widgets show it, its figures as qualifier and numbers."""
    out: dict[str, Any] = {"key": key}
    for name in CLAIM_FORM_FIELDS:
        value = claim.get(name)
        if name == "published_on":
            value = _date(value)
        out[name] = _as_shown(value, name, _CLAIM_DEFAULTS, _CLAIM_TEXTS)
    for figure in FIGURES:
        out[figure] = figure_form(*_rotate(_stored_figure(claim, figure)))
    return out


def _rotate(values: tuple) -> tuple:
    low, high, qualifier = values
    return qualifier, low, high


def form_state(fields: dict, claims: list[dict]) -> dict:
    """The form model (module doc) of a stored incident (``queries.incident_for_editing``)
    or of a proposal (``read_proposal``); an empty new form from ``({}, [{}])``."""
    stored_claims = {}
    for key, claim in enumerate(claims):
        kept = dict(claim)
        for figure in FIGURES:
            low, high, qualifier = _stored_figure(claim, figure)
            kept.pop(f"{figure}_figure", None)
            kept.update(
                {f"{figure}_min": low, f"{figure}_max": high, f"{figure}_qualifier": qualifier}
            )
        stored_claims[key] = kept
    return {
        "fields": _shown_fields(fields),
        "claims": [_shown_claim(key, claim) for key, claim in enumerate(claims)],
        "stored": {"fields": dict(fields), "claims": stored_claims},
    }


def blank_claim(key: int) -> dict:
    """A new, empty claim of the form (the "Add a claim" button's)."""
    return _shown_claim(key, {})


def _claim_changes(loaded: dict, submitted: dict) -> dict:
    """The claim values the editor changed (a figure as ``figure_values``)."""
    out: dict[str, Any] = {}
    for name in CLAIM_FORM_FIELDS:
        if name != "claim_id" and submitted.get(name) != loaded.get(name):
            out[name] = submitted.get(name)
    for figure in FIGURES:
        if _figure_shown(submitted.get(figure)) != _figure_shown(loaded.get(figure)):
            for end, value in figure_values(submitted.get(figure) or {}).items():
                out[f"{figure}_{end}"] = value
    for name in ("source_kind", "source_affiliation", "source_url"):
        # they describe a new source: sent, as shown, with a changed name only
        if "source_name" in out:
            out[name] = submitted.get(name)
        else:
            out.pop(name, None)
    return out


def _figure_shown(form: dict | None) -> tuple:
    """What a figure's widgets show: the number for a qualifier, min and max for a range."""
    form = form or {}
    q = form.get("q") or NO_FIGURE
    if q == NO_FIGURE:
        return (q,)
    if q == RANGE:
        return (q, _number(form.get("min")), _number(form.get("max")))
    return (q, _number(form.get("n")))


def _new_claim(claim: dict) -> dict:
    """A claim the editor added, as claim values."""
    out = {k: claim.get(k) for k in CLAIM_FORM_FIELDS if k != "claim_id"}
    for figure in FIGURES:
        for end, value in figure_values(claim.get(figure) or {}).items():
            out[f"{figure}_{end}"] = value
    return out


def form_changes(loaded: dict, submitted: dict) -> tuple[dict, list[dict]]:
    """(incident fields, claims) to save for an existing incident (``save_incident``):
    the fields whose widgets the editor changed, and every claim the form keeps - a
    loaded one as its ``claim_id`` with only the values the editor changed, a new one
    whole. A claim of the loaded form missing from the submitted one is deleted."""
    fields = {
        name: submitted["fields"].get(name)
        for name in FORM_FIELDS
        if submitted["fields"].get(name) != loaded["fields"].get(name)
    }
    before = {c["key"]: c for c in loaded["claims"]}
    claims = []
    for claim in submitted["claims"]:
        old = before.get(claim.get("key"))
        if old is None or old.get("claim_id") is None:
            claims.append(_new_claim(claim))
        else:
            claims.append({"claim_id": old["claim_id"], **_claim_changes(old, claim)})
    return fields, claims


def form_proposal(loaded: dict, submitted: dict) -> dict:
    """A new incident (a proposal for ``create_incident``) from the form: the loaded
    values (a draft's, say) for every field the editor left alone, exactly as they came
    (a qualifier word, a minimum without a maximum, a quote's spacing, a coordinate's
    digits), the editor's for those changed, and claims the editor added whole."""
    stored = loaded["stored"]
    proposal: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = submitted["fields"].get(name)
        if value == loaded["fields"].get(name) and name in stored["fields"]:
            value = stored["fields"][name]
        proposal[name] = value
    for name in ("governorate_pcode", "district_pcode"):
        base = name.replace("_pcode", "")
        if name in stored["fields"] and proposal.get(base) == stored["fields"].get(base):
            proposal[name] = stored["fields"][name]
    before = {c["key"]: c for c in loaded["claims"]}
    claims = []
    for claim in submitted["claims"]:
        old = before.get(claim.get("key"))
        if old is None:
            claims.append(_new_claim(claim))
            continue
        values = {k: v for k, v in stored["claims"][old["key"]].items() if k != "claim_id"}
        values.update(_claim_changes(old, claim))
        claims.append(values)
    proposal["claims"] = claims
    return proposal


__all__ = [
    "CLAIM_FORM_FIELDS",
    "DEFAULTS",
    "FORM_FIELDS",
    "NO_FIGURE",
    "RANGE",
    "blank_claim",
    "figure_form",
    "figure_values",
    "form_changes",
    "form_proposal",
    "form_state",
]
