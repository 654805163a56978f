"""Values of the workbench: the fields an editor may set, qualifiers, JSON for the log,
and proposals (see ``ceasefire.editing``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .. import taxonomy
from ..overrides import DELETED as DELETED  # re-exported: override code lives below records
from ..overrides import INCIDENT_KEY as INCIDENT_KEY
from ..overrides import from_json_text as from_json_text
from ..overrides import jsonable as jsonable
from ..overrides import to_json_text as to_json_text

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
    "killed_qualifier": str,
    "wounded_qualifier": str,
    "civilians_killed_qualifier": str,
    "url": str,
}
#: the figures a claim gives, each as ``<figure>_min``/``_max`` and ``<figure>_qualifier``
FIGURES = ("killed", "wounded", "civilians_killed")
#: a claim in its source's words: the qualifier before each figure, and its own link
WORD_FIELDS = (*(f"{figure}_qualifier" for figure in FIGURES), "url")
#: what a link must look like (http or https, no spaces, quotes or brackets)
URL_PATTERN = re.compile(r"https?://[^\s<>()\[\]\"']+")
#: the words sources use for a figure, and the (min, max) each gives for a number n
QUALIFIERS: dict[str, Callable[[int], tuple[int | None, int | None]]] = {
    "exactly": lambda n: (n, n),
    "more than": lambda n: (n + 1, None),
    "at least": lambda n: (n, None),
    "up to": lambda n: (None, n),
    "about": lambda n: (n, n),
    "dozens": lambda n: (24, None),
}
#: the number a source wrote, back from a qualifier and the stored (min, max)
_NUMBER_BACK: dict[str, Callable[[int | None, int | None], int | None]] = {
    "exactly": lambda lo, hi: lo,
    "more than": lambda lo, hi: None if lo is None else lo - 1,
    "at least": lambda lo, hi: lo,
    "up to": lambda lo, hi: hi,
    "about": lambda lo, hi: lo,
    "dozens": lambda lo, hi: None,
}


class Invalid(ValueError):
    """Invalid input; ``errors`` maps each field (``claims[2].killed_max``) to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def qualified_figure(qualifier: str, n: int | None) -> tuple[int | None, int | None]:
    """(min, max) for a figure as a source wrote it: "more than 30" -> (31, None)."""
    if n is None:
        return None, None
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}; one of {list(QUALIFIERS)}")
    return QUALIFIERS[qualifier](int(n))


def source_number(qualifier: str | None, lo: int | None, hi: int | None) -> int | None:
    """The number a source wrote before ``qualifier`` ("more than" 30 for min 31);
    None for "dozens", or when the qualifier does not fit the stored figures."""
    back = _NUMBER_BACK.get(qualifier or "")
    return None if back is None else back(lo, hi)


#: texts kept exactly as written: a quote's (or description's) spacing, line breaks and
#: characters are the source's; only a blank text is "not given"
VERBATIM = ("quote", "description")


def coerce_value(name: str, value: Any, kind: type) -> Any:
    """A value of ``kind`` (None for blank); ``ValueError`` with a readable message.
    Texts are trimmed, except ``VERBATIM`` ones, kept as given."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        if value.strip() == "":
            return None
        if name not in VERBATIM:
            value = value.strip()
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
    for raw, claim in zip(proposal.get("claims") or [], claims, strict=True):
        # a draft's figure may carry the word the source used: keep it as the qualifier
        for figure in FIGURES:
            words = [
                (raw or {}).get(f"{figure}_{end}", {}).get("qualifier")
                for end in ("min", "max")
                if isinstance((raw or {}).get(f"{figure}_{end}"), dict)
            ]
            word = next((w for w in words if w in QUALIFIERS), None)
            if word and not claim.get(f"{figure}_qualifier"):
                claim[f"{figure}_qualifier"] = word
    return fields, claims, spans
