"""An incident as a record a researcher can cite: its figures in words, each claim's
fields under plain labels, and the alleged-violation rule applied step by step.

Pure functions over what ``queries.incident_detail``, ``incident_claims``,
``incident_records`` and ``violation_checks`` return; the Incidents page only lays
them out.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from .filters import fmt_date
from .text import range_text

#: Plain labels for the fields a page shows (never raw column names).
LABELS = {
    "occurred_on": "Date",
    "place_name": "Place",
    "governorate": "Governorate",
    "district": "District",
    "weapon": "Weapon",
    "target_type": "Target",
    "verification": "Verification",
    "counted_under": "Counted under",
    "alleged_actors": "Alleged actors",
    "n_claims": "Claims",
    "killed": "Killed",
    "wounded": "Wounded",
    "origins": "Origins",
    "is_disputed": "Disputed",
    "incident_id": "Incident",
}
PRECISION_WORDS = {"day": "on the day", "week": "within the week from", "month": "in the month of"}


def _value(x) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


#: the shape of (min, max) each stored qualifier fits, and the number it puts after it
_QUALIFIED = {
    "more than": (lambda lo, hi: lo is not None and hi is None, lambda lo, hi: lo - 1),
    "at least": (lambda lo, hi: lo is not None and hi is None, lambda lo, hi: lo),
    "up to": (lambda lo, hi: lo is None and hi is not None, lambda lo, hi: hi),
    "about": (lambda lo, hi: lo is not None and lo == hi, lambda lo, hi: lo),
}


def figure_words(low, high, qualifier=None) -> str | None:
    """One claim's figure as its source gave it: '43', 'more than 30', 'at least 30',
    'about 40', 'dozens', 'up to 75', '10–12'; None when the claim gives none. The
    source's own qualifier (``claim.killed_qualifier``...) is used where it fits the
    figures; without one, a minimum with no maximum reads 'more than' the floor less one
    (how 'more than 30' = 31 is coded)."""
    low, high = _value(low), _value(high)
    if low is None and high is None:
        return None
    qualifier = qualifier if isinstance(qualifier, str) else None
    if qualifier == "dozens" and high is None:
        return "dozens"
    if qualifier in _QUALIFIED:
        fits, number = _QUALIFIED[qualifier]
        if fits(low, high):
            return f"{qualifier} {number(low, high):,}"
    if high is None:
        return f"more than {low - 1:,}" if low > 0 else "0 or more"
    if low is None:
        return f"up to {high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def casualty_words(claims: pd.DataFrame, field: str = "killed") -> str:
    """'31–75 killed: more than 30 (Baladi News), 43 (Al-Watan), up to 75 (Sputnik);
    not stated by Al-Mayadeen and National Liberation Front.' The range runs from the
    lowest minimum to the highest maximum any claim gives, as the charts count it."""
    low_col, high_col = f"{field}_min", f"{field}_max"
    said, silent = [], []
    for row in claims.itertuples(index=False):
        words = figure_words(
            getattr(row, low_col), getattr(row, high_col), getattr(row, f"{field}_qualifier", None)
        )
        who = row.source if isinstance(row.source, str) else f"{row.origin} record"
        if words is None:
            silent.append(who)
        else:
            said.append(f"{words} ({who})")
    lows = claims[low_col].dropna()
    closed = claims[high_col].dropna()
    open_lows = claims.loc[claims[high_col].isna(), low_col].dropna()
    low = lows.min() if len(lows) else None
    if len(open_lows) and (not len(closed) or open_lows.max() >= closed.max()):
        total = (
            f"{int(open_lows.max()):,}+"
            if low is None or low == open_lows.max()
            else (f"{int(low):,}–{int(open_lows.max()):,}+")
        )
    else:
        total = range_text(low, closed.max() if len(closed) else None)
    noun = field.replace("_", " ")
    if not said:
        return f"{noun.capitalize()}: not stated by any source."
    text = f"{total} {noun}: " + ", ".join(said)
    if silent:
        text += "; not stated by " + _and(sorted(set(silent)))
    return text + "."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def role_words(claim) -> str:
    """What the claim says about who did it, in words."""
    actor = claim.alleged_actor if isinstance(claim.alleged_actor, str) else None
    if actor is None:
        return "names no perpetrator"
    side = f" ({claim.alleged_side})" if isinstance(claim.alleged_side, str) else ""
    if claim.role == "party":
        return f"names {actor}{side} as a party to fighting whose initiator it does not state"
    return f"says {actor}{side} carried it out"


def basis_words(claim) -> str:
    if claim.attribution_basis == "inferred":
        return f"inferred by the tracker (rule: {claim.attribution_rule})"
    return "stated by the source"


def claim_fields(claim) -> list[tuple[str, str]]:
    """(label, text) pairs for one claim card, in reading order; figures a claim does
    not give read 'not stated' (never 'None')."""
    kind = ", ".join(
        str(x) for x in (claim.source_kind, claim.source_affiliation) if isinstance(x, str)
    )
    fields = [
        (
            "Source",
            (claim.source if isinstance(claim.source, str) else "the dataset itself")
            + (f" ({kind})" if kind else ""),
        ),
        ("Attribution", f"{role_words(claim)}; {basis_words(claim)}"),
        ("Killed", _words(claim, "killed")),
    ]
    best = _value(getattr(claim, "killed_best", None))
    if best is not None:
        fields.append(("Best estimate of the killed", f"{best:,}"))
    fields.append(("Wounded", _words(claim, "wounded")))
    fields.append(("Civilians killed", _words(claim, "civilians_killed")))
    published = claim.published_on
    fields.append(
        (
            "Published",
            fmt_date(pd.Timestamp(published).date())
            if not _missing(published)
            else "date not recorded",
        )
    )
    fields.append(("Recorded by", f"{claim.origin} record {claim.origin_id}"))
    return fields


def _words(claim, figure: str) -> str:
    low, high = getattr(claim, f"{figure}_min"), getattr(claim, f"{figure}_max")
    qualifier = getattr(claim, f"{figure}_qualifier", None)
    return figure_words(low, high, qualifier) or "not stated"


def _missing(x) -> bool:
    return x is None or (not isinstance(x, (list, tuple, str, np.ndarray)) and pd.isna(x))


def _day(x) -> date:
    return pd.Timestamp(x).date()


def violation_reasoning(checks: pd.DataFrame) -> list[tuple[str, bool, list[str]]]:
    """Per agreement: (headline, violated, the four steps in words). The verdict is the
    stored one; the steps say why, so a reader can check the rule on this incident."""
    out = []
    for row in checks.itertuples(index=False):
        start, end = _day(row.window_start), _day(row.window_end)
        window = fmt_date(start) if start == end else f"{fmt_date(start)} to {fmt_date(end)}"
        period_end = "" if _missing(row.in_force_to) else f" to {fmt_date(_day(row.in_force_to))}"
        period = f"in force from {fmt_date(_day(row.in_force_from))}{period_end}"
        when = (
            f"When: yes — dated {window}, inside the period {period}."
            if row.when
            else f"When: no — dated {window}, not wholly inside the period {period}."
        )
        place = ", ".join(x for x in (row.district, row.governorate) if isinstance(x, str))
        place = place or "no place recorded"
        where = (
            f"Where: yes — {place} is in the agreement's area."
            if row.where
            else f"Where: no — {place} is not in the agreement's area"
            + (
                " (with no district, only a wholly covered governorate counts)."
                if not isinstance(row.district, str)
                else "."
            )
        )
        how = (
            f"How: yes — {row.weapon} is a kinetic weapon."
            if row.how
            else f"How: no — '{row.weapon}' is not a kinetic weapon."
        )
        bound = list(row.bound_perpetrators) if not _missing(row.bound_perpetrators) else []
        named = list(row.perpetrators) if not _missing(row.perpetrators) else []
        parties = list(row.parties) if not _missing(row.parties) else []
        if bound:
            who = f"Who: yes — claims name {_and(bound)}, on a side the agreement binds."
        elif row.is_clash and row.bound_party_sides >= 2:
            who = (
                f"Who: yes — a clash between {_and(parties)}: two sides the agreement binds "
                "(direction undetermined)."
            )
        elif row.is_clash:
            who = (
                f"Who: no — a clash between {_and(parties)}, not between two sides the "
                "agreement binds."
            )
        elif named:
            who = f"Who: no — claims name only {_and(named)}, on no side the agreement binds."
        else:
            who = "Who: no — no claim names a perpetrator."
        verdict = "alleged violation" if row.violated else "not counted as a violation"
        out.append((f"{row.name}: {verdict}", bool(row.violated), [when, where, how, who]))
    return out


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def md_escape(text: object) -> str:
    """Text from the store shown through Markdown as written: every character Markdown
    would read as formatting, a link or HTML is backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def candidate_text(candidate) -> tuple[str, list[str]]:
    """A stored incident proposed as possibly the same event as a new one
    (``editing.Candidate``), in plain text: a title ("Incident 1 (manual
    duwaila-2020-10-26): 26 Oct 2020, Jabal al-Duwaila, near Haram, airstrike") and one
    line per claim ("Baladi News: Russia (perpetrator); killed more than 30, wounded
    more than 30")."""
    c = candidate
    when = PRECISION_WORDS.get(c.date_precision, "on the day")
    day = fmt_date(c.occurred_on) if when == "on the day" else f"{when} {fmt_date(c.occurred_on)}"
    place = ", ".join(x for x in (c.place_name, c.district, c.governorate) if x) or "no place"
    title = f"Incident {c.incident_id} ({c.origin} {c.origin_id}): {day}, {place}, {c.weapon}"
    if c.linked_to is not None:
        title += f" (linked to incident {c.linked_to})"
    lines = []
    for claim in c.claims:
        who = claim.get("source") or "the dataset itself"
        actor = claim.get("alleged_actor")
        blame = f"{actor} ({claim.get('role')})" if actor else "names no perpetrator"
        figures = [
            f"{figure} {words}"
            for figure in ("killed", "wounded")
            if (
                words := figure_words(
                    claim.get(f"{figure}_min"),
                    claim.get(f"{figure}_max"),
                    claim.get(f"{figure}_qualifier"),
                )
            )
        ]
        lines.append(f"{who}: {blame}" + (f"; {', '.join(figures)}" if figures else ""))
    return title, lines or ["no claims"]
