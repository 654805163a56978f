"""What a view leaves out or counts apart, in words every figure and export repeats.

Three things a reader of a by-actor chart must be told (issue 10):

- **Clashes**: an incident whose sources name only parties to fighting, not who started
  it, is counted as "Clashes, initiator not stated", never under a party; between two
  sides an agreement binds it is an alleged violation, direction undetermined.
- **Awaiting review**: an incident whose only named actors are flagged for review (a
  name no alias or pattern matched) cannot be an alleged violation until a person
  classifies them; the view says how many such incidents it holds.
- **Best estimate**: where a dataset gives one (UCDP ``best``), the killed are also
  summed as a best estimate; the sum is stated as covering only the incidents that have
  one when some lack it.

``notes(headline)`` gives the sentences from the headline counts
(``queries.headline`` / ``queries.summary``); ``provenance`` prints them under every
chart and in every export's header.
"""

from __future__ import annotations

from ..filters import CLASH_GROUP

CLASH_RULE = (
    f"Clashes whose sources do not say who started them are counted as '{CLASH_GROUP}', "
    "never under a party; one between two sides an agreement binds is an alleged "
    "violation, direction undetermined."
)


def _n(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def awaiting_review_text(n: int) -> str:
    """The sentence for incidents naming only actors awaiting review ('' when none)."""
    if not n:
        return ""
    subject = "1 incident in this view names" if n == 1 else f"{n:,} incidents in this view name"
    return (
        f"{subject} only actors awaiting review and "
        f"{'is' if n == 1 else 'are'} not counted as alleged violations."
    )


def clashes_text(headline: dict) -> str:
    """How clashes are counted, with this view's numbers."""
    clashes = _n(headline.get("clashes"))
    undetermined = _n(headline.get("clashes_direction_undetermined"))
    if not clashes:
        return CLASH_RULE
    return (
        f"{CLASH_RULE} This view holds {clashes:,} such clashes, {undetermined:,} of them "
        "alleged violations, direction undetermined."
    )


def best_estimate_text(headline: dict) -> str:
    """'Killed: 43 best estimate, 31–75 range' with the summing rule; '' when no incident
    in view has a best estimate. The best estimates are summed as a total only when
    every incident in view has one; otherwise the sentence says how many it covers."""
    incidents = _n(headline.get("incidents"))
    lacking = _n(headline.get("without_killed_best"))
    having = incidents - lacking
    if having <= 0:
        return ""
    low, high = _n(headline.get("killed_min")), _n(headline.get("killed_max"))
    best = _n(headline.get("killed_best"))
    if not lacking:
        return (
            f"Killed: {best:,} best estimate, {low:,}–{high:,} range "
            "(every incident in view has a best estimate: their sum)."
        )
    some = (
        "the 1 incident that has one" if having == 1 else f"the {having:,} incidents that have one"
    )
    return (
        f"Killed: {low:,}–{high:,} range; best estimate {best:,}, summed over {some} "
        f"({lacking:,} {'has' if lacking == 1 else 'have'} none, so no total best estimate)."
    )


def notes(headline: dict) -> str:
    """Every counting sentence for a view, as one line."""
    parts = [clashes_text(headline), awaiting_review_text(_n(headline.get("awaiting_review")))]
    return " ".join(p for p in parts if p)
