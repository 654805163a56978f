"""A tally's fields, their checks, and a draft's proposals as rows to save.

A tally as the writers, the CSV template and ``tally add --json`` take it (every value
a plain string, number or None; dates ISO)::

    {"reporter": "Turkish part of the joint commission",   # a source in the registry
     "violator": null,               # whose violations: an actor or a side; null: unspecified
     "kind": "governorate",          # or "total" (the statement's whole area)
     "governorate": "Idlib",         # any spelling; stored as OCHA's ("Idleb", SY07)
     "area": null,                   # a total's named area ("Idlib de-escalation zone")
     "period_start": "2019-05-09", "period_end": "2019-05-09",
     "count": 4,                     # null: named without a count (never 0)
     "unit": "cases of ceasefire violations",   # the reporter's words
     "quote": "Idlib (4)", "language": "en",
     "published_on": "2019-05-10", "link": "https://...",
     "bulletin": "https://..."}      # groups one bulletin's tallies (default: the link)

``clean_tally`` checks one and returns (cleaned, errors): errors name the field, so the
CSV import can say "line 7, column count: ..." and the page can mark the field.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from .. import taxonomy
from . import provinces

#: The fields a tally is given with, in the CSV template's order.
FIELDS = (
    "reporter",
    "violator",
    "kind",
    "governorate",
    "area",
    "period_start",
    "period_end",
    "count",
    "unit",
    "quote",
    "language",
    "published_on",
    "link",
    "bulletin",
)
#: What each field holds (the CSV template's second header; docs/tallies.md describes the fields).
FIELD_HELP = {
    "reporter": "who counted: a source in the registry (e.g. 'Turkish part of the joint commission')",
    "violator": "whose violations it counts, if the reporter says: an actor or a side; empty: unspecified",
    "kind": "'governorate' (one governorate) or 'total' (the statement's whole area); "
    "empty: governorate when one is given",
    "governorate": "one of the 14 governorates, any spelling (Idlib, Idleb, Идлиб...)",
    "area": "for a total: the area it covers as the reporter names it; empty: not stated",
    "period_start": "first day counted, YYYY-MM-DD",
    "period_end": "last day counted, YYYY-MM-DD (empty: the first day)",
    "count": "the number the reporter gives; empty: named without a number (never 0)",
    "unit": "what it counts, in the reporter's words ('cases of firing')",
    "quote": "the words the count comes from (short)",
    "language": "the language of the words: en, ru, ar, tr...",
    "published_on": "when the report was published, YYYY-MM-DD",
    "link": "the report's address (http or https)",
    "bulletin": "a key grouping one bulletin's tallies (empty: the link)",
}
KIND_GOVERNORATE, KIND_TOTAL = "governorate", "total"


def _date(value, errors: dict, name: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        errors[name] = f"not a date like 2019-05-09: {value!r}"
        return None


def _text(value) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def clean_tally(raw: dict) -> tuple[dict, dict[str, str]]:
    """A tally's values checked and normalised: (cleaned, errors by field). The
    reporter's and violator's names are checked against the store by the writer."""
    errors: dict[str, str] = {}
    unknown = sorted(set(raw) - set(FIELDS) - {"governorate_pcode", "side", "span", "words"})
    if unknown:
        errors["fields"] = f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}"
    out = {name: _text(raw.get(name)) for name in FIELDS}
    if not out["reporter"]:
        errors["reporter"] = "required: who counted"
    if not out["unit"]:
        errors["unit"] = "required: what the count counts, in the reporter's words"
    if out["governorate"]:
        found = provinces.lookup(out["governorate"])
        if found is None:
            names = ", ".join(g.name for g in provinces.governorates())
            errors["governorate"] = (
                f"{out['governorate']!r} is not a governorate of Syria ({names})"
            )
        else:
            out["governorate"] = found.name
    out["governorate_pcode"] = (
        provinces.lookup(out["governorate"]).pcode
        if out["governorate"] and "governorate" not in errors
        else None
    )
    kind = out["kind"] or (KIND_GOVERNORATE if out["governorate"] else KIND_TOTAL)
    if kind not in taxonomy.TALLY_KINDS:
        errors["kind"] = f"one of {', '.join(taxonomy.TALLY_KINDS)}, not {kind!r}"
    elif kind == KIND_GOVERNORATE and not out["governorate"] and "governorate" not in errors:
        errors["governorate"] = "required for a governorate tally (or kind 'total')"
    elif kind == KIND_TOTAL and out["governorate"]:
        errors["governorate"] = "a total covers the statement's whole area: leave it empty"
    if kind == KIND_GOVERNORATE and out["area"]:
        errors["area"] = "only a total names an area; a governorate tally has its governorate"
    out["kind"] = kind
    count = raw.get("count")
    if count in (None, ""):
        out["count"] = None
    else:
        try:
            number = float(str(count).strip())
            if number != int(number) or number < 0:
                raise ValueError
            out["count"] = int(number)
        except ValueError:
            errors["count"] = f"a whole number of 0 or more, or empty; not {count!r}"
            out["count"] = None
    out["period_start"] = _date(raw.get("period_start"), errors, "period_start")
    out["period_end"] = _date(raw.get("period_end"), errors, "period_end") or out["period_start"]
    if not out["period_start"] and "period_start" not in errors:
        errors["period_start"] = "required: the first day the count covers"
    elif out["period_start"] and out["period_end"] and out["period_end"] < out["period_start"]:
        errors["period_end"] = f"before the first day ({out['period_start']})"
    out["published_on"] = _date(raw.get("published_on"), errors, "published_on")
    if out["link"] and not re.match(r"https?://\S+$", out["link"]):
        errors["link"] = "an http or https address"
    if out["language"] and not re.fullmatch(r"[a-z]{2,3}", out["language"]):
        errors["language"] = "a language code like en, ru, ar"
    if out["violator"] in taxonomy.SIDES:
        out["violator_side"], out["violator_actor"] = out["violator"], None
    else:
        out["violator_side"], out["violator_actor"] = None, out["violator"]
    if not out["bulletin"]:
        out["bulletin"] = out["link"] or bulletin_key(out)
    return out, errors


def bulletin_key(row: dict) -> str:
    """A bulletin's key when it has no link: its reporter, publication and period."""
    text = "|".join(str(row.get(k) or "") for k in ("reporter", "published_on", "period_start"))
    return "bulletin-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def rows_from_draft(draft: dict, *, link: str | None = None) -> list[dict]:
    """A bulletin draft's proposals (``bulletin.draft_bulletin``) as tallies to save:
    every proposal in ``draft['tallies']``, with the bulletin's language, publication
    date and link, the words as the quote."""
    bulletin = draft.get("bulletin") or {}
    link = link or bulletin.get("url")
    key = link or f"text-{(bulletin.get('sha256') or '')[:12]}"
    out = []
    for t in draft["tallies"]:
        out.append(
            {
                "reporter": t.get("reporter"),
                "violator": t.get("violator"),
                "kind": t.get("kind"),
                "governorate": t.get("governorate"),
                "area": t.get("area"),
                "period_start": t.get("period_start"),
                "period_end": t.get("period_end"),
                "count": t.get("count"),
                "unit": t.get("unit"),
                "quote": t.get("words") or t.get("quote"),
                "language": t.get("language") or bulletin.get("language"),
                "published_on": t.get("published_on") or bulletin.get("published"),
                "link": t.get("link") or link,
                "bulletin": t.get("bulletin") or key,
            }
        )
    return out
