"""Checking what an editor typed: typed, vocabulary-checked fields and one message per
field (``Invalid``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from .. import places, taxonomy
from .values import (
    CLAIM_FIELDS,
    FIGURES,
    INCIDENT_FIELDS,
    QUALIFIERS,
    URL_PATTERN,
    WORD_FIELDS,
    coerce_value,
    jsonable,
    qualified_figure,
)


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
            out[key] = coerce_value(key, value, INCIDENT_FIELDS[key])
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


def keep_pcodes(cleaned: dict, current: dict) -> None:
    """Leave stored P-codes alone unless the place names themselves change."""
    for name, pcode in (("governorate", "governorate_pcode"), ("district", "district_pcode")):
        if cleaned.get(name) == current.get(name):
            cleaned.pop(pcode, None)


def _check_pairs(record: dict, errors: dict, prefix: str = "") -> None:
    for lo, hi in zip(taxonomy.CASUALTY_FIELDS[::2], taxonomy.CASUALTY_FIELDS[1::2], strict=True):
        a, b = record.get(lo), record.get(hi)
        if a is not None and b is not None and b < a:
            errors[f"{prefix}{hi}"] = f"is smaller than {lo} ({b} < {a})"


def check_words(record: dict, errors: dict, prefix: str = "") -> None:
    """A claim's qualifiers are known words with a figure to qualify, and its link is an
    http(s) address."""
    for figure in FIGURES:
        key = f"{figure}_qualifier"
        qualifier = record.get(key)
        if qualifier is None:
            continue
        if qualifier not in QUALIFIERS:
            errors[f"{prefix}{key}"] = f"{qualifier!r} is not one of: {', '.join(QUALIFIERS)}"
        elif record.get(f"{figure}_min") is None and record.get(f"{figure}_max") is None:
            errors[f"{prefix}{figure}_figure"] = (
                f"{qualifier!r} qualifies no figure: give the number the source wrote"
            )
    url = record.get("url")
    if url is not None and not URL_PATTERN.fullmatch(url):
        errors[f"{prefix}url"] = "must be an http(s):// address (no spaces, quotes or brackets)"


def clean_claim(claim: dict, prefix: str = "") -> tuple[dict, dict[str, str]]:
    """A claim from a form or a proposal: names kept as names (``source_name``,
    ``alleged_actor``), figures typed; a ``*_qualifier`` + ``*_figure`` pair (e.g.
    ``killed_qualifier="more than"``, ``killed_figure=30``) gives min and max, and the
    qualifier is kept as the source's word ("exactly", a plain number, is kept as none);
    a qualifier beside ``*_min``/``*_max`` (the seed file's format) is kept as given.
    ``url`` is the claim's own link (http or https)."""
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
            out[key] = coerce_value(key, claim.get(key), kind)
        except ValueError as error:
            errors[f"{prefix}{key}"] = str(error)
    _figures_from_words(out, claim, out, errors, prefix)
    check_words(out, errors, prefix)
    if out.get("role") is None:
        out["role"] = taxonomy.ROLE_PERPETRATOR
    _vocab(errors, f"{prefix}role", out["role"], taxonomy.CLAIM_ROLES, True)
    _check_source(out, errors, prefix)
    _check_pairs(out, errors, prefix)
    return out, errors


def _figures_from_words(
    out: dict, given: dict, known: dict, errors: dict, prefix: str, whole: bool = True
) -> None:
    """A qualifier with the number the source wrote (``killed_qualifier`` "more than",
    ``killed_figure`` 30: the editor's form) gives min and max in ``out``; a qualifier
    beside min/max (the seed file's format) is kept as it is ("dozens" alone gives 24 or
    more, for a ``whole`` claim). ``known`` holds the qualifier when ``given`` has none (a
    claim's stored one). A given "exactly" (a plain number, "killing 43") is kept as no
    qualifier."""
    for figure in FIGURES:
        key = f"{figure}_qualifier"
        qualifier = out.get(key) if key in out else known.get(key)
        raw = given.get(f"{figure}_figure")
        if qualifier in QUALIFIERS and (raw not in (None, "") or qualifier == "dozens"):
            if f"{figure}_figure" in given or (whole and key in given):
                try:
                    n = coerce_value(figure, raw, int)
                    lo, hi = qualified_figure(qualifier, 0 if n is None else n)
                    out[f"{figure}_min"], out[f"{figure}_max"] = lo, hi
                except ValueError as error:
                    errors[f"{prefix}{figure}_figure"] = str(error)
        if out.get(key) == "exactly":
            out[key] = None


def _check_source(out: dict, errors: dict, prefix: str) -> None:
    """A new source's kind and affiliation are known words, its address http(s)."""
    if out.get("source_kind"):
        _vocab(errors, f"{prefix}source_kind", out["source_kind"], taxonomy.SOURCE_KINDS, False)
    if out.get("source_affiliation"):
        _vocab(
            errors,
            f"{prefix}source_affiliation",
            out["source_affiliation"],
            taxonomy.AFFILIATIONS,
            False,
        )
    url = out.get("source_url")
    if url and not re.match(r"^https?://[^\s]+$", url):
        errors[f"{prefix}source_url"] = "must be an http(s):// address"


#: a claim's names (resolved to ids on write) and a new source's description
NAME_FIELDS = ("source_name", "source_kind", "source_affiliation", "source_url", "alleged_actor")


def clean_claim_changes(
    current: dict, changes: dict, prefix: str = ""
) -> tuple[dict, dict[str, str]]:
    """Typed, checked values of the fields ``changes`` gives for the stored claim
    ``current`` (the rest of it stays as it is): names kept as names (``source_name``,
    with ``source_kind``, ``source_affiliation``, ``source_url`` for a new source;
    ``alleged_actor``), a figure given as the number the source wrote
    (``killed_qualifier`` + ``killed_figure``) turned into min and max. Checked against
    the claim as it will be (min <= max, a qualifier has a figure)."""
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    figures = {f"{figure}_figure" for figure in FIGURES}
    for key, value in changes.items():
        if key == "claim_id" or key in figures:
            continue
        if key in NAME_FIELDS:
            typed[key] = str(value).strip() or None if value is not None else None
        elif key in CLAIM_FIELDS and key not in ("source_id", "alleged_actor_id"):
            try:
                typed[key] = jsonable(coerce_value(key, value, CLAIM_FIELDS[key]))
            except ValueError as error:
                errors[f"{prefix}{key}"] = str(error)
        else:
            errors[f"{prefix}{key}"] = "not a claim field"
    _figures_from_words(typed, changes, current, errors, prefix, whole=False)
    # the claim as it will be is checked, but only what this change touches is refused:
    # a stored value the editor left alone (an imported link with a space) stays
    merged = {**current, **{k: v for k, v in typed.items() if k in CLAIM_FIELDS}}
    touched = {k for k in changes if k in CLAIM_FIELDS or k in figures} | set(typed)
    touched |= {k.rsplit("_", 1)[0] for k in touched if k.rsplit("_", 1)[0] in FIGURES}
    found: dict[str, str] = {}
    _check_pairs(merged, found, prefix)
    check_words({k: merged.get(k) for k in (*CLAIM_FIELDS, *WORD_FIELDS)}, found, prefix)
    for key, message in found.items():
        field = key[len(prefix) :]
        if field in touched or field.rsplit("_", 1)[0] in touched:
            errors[key] = message
    if "role" in typed:
        _vocab(errors, f"{prefix}role", typed["role"], taxonomy.CLAIM_ROLES, True)
    _check_source(typed, errors, prefix)
    return typed, errors
