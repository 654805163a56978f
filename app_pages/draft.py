"""Draft from an article: paste or upload an article, review the proposed incident and
claims beside the words each value came from, then save (editors only).

Nothing is saved until an editor presses Save. The article's text is shown escaped:
only the highlight marks are markup.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import streamlit as st

from app_pages._same_event import same_event_box
from app_pages._shared import carry_view, stop_page
from ceasefire import draft, draft_review, editing, taxonomy
from ceasefire.cache import get_connection, writer

carry_view()  # the session's view stays in the address

ROLES = ("perpetrator", "party")
FIGURES = ("killed", "wounded", "civilians_killed")
SELECTS = {
    "date_precision": taxonomy.DATE_PRECISIONS,
    "location_precision": taxonomy.LOCATION_PRECISIONS,
    "weapon": tuple(taxonomy.WEAPONS),
    "target_type": tuple(taxonomy.TARGET_TYPES),
    "verification": tuple(taxonomy.VERIFICATION_STATUSES),
    "source_kind": taxonomy.SOURCE_KINDS,
    "source_affiliation": taxonomy.AFFILIATIONS,
    "role": ROLES,
    **{f"{figure}_qualifier": tuple(editing.QUALIFIERS) for figure in FIGURES},
}
NUMBERS = {"latitude", "longitude", *taxonomy.CASUALTY_FIELDS}
INCIDENT_FIELDS = (
    "occurred_on", "date_precision", "place_name", "governorate", "district", "latitude",
    "longitude", "location_precision", "weapon", "target_type", "verification", "description",
)  # fmt: skip
CLAIM_FIELDS = (
    "source_name", "source_kind", "source_affiliation", "source_url", "alleged_actor", "role",
    *(f"{figure}_{part}" for figure in FIGURES for part in ("qualifier", "min", "max")),
    "quote",
)  # fmt: skip
LABELS = {
    "occurred_on": "date",
    "place_name": "place",
    "alleged_actor": "alleged actor",
    **{
        f"{figure}_qualifier": f"{figure.replace('_', ' ')}: the source's word"
        for figure in FIGURES
    },
}


EDITOR_PAGE = Path(__file__).resolve().parent / "edit.py"


def editor_handoff():
    """(PROPOSAL_KEY, page) of the workbench's incident editor, or None without one."""
    try:
        from ceasefire import editing
    except ImportError:
        return None
    key = getattr(editing, "PROPOSAL_KEY", None)
    return (key, "app_pages/edit.py") if key and EDITOR_PAGE.exists() else None


def with_spans(reviewed: dict, original: dict) -> dict:
    """The reviewed values, each with the span its proposed value came from (for the
    incident editor to show beside it)."""

    def wrap(values: dict, source: dict) -> dict:
        out = {}
        for k, v in values.items():
            field = source.get(k)
            span = field.get("span") if isinstance(field, dict) else None
            if k == "alleged_actor" and v:
                v = draft.canonical_actor(v) or v  # the editor lists canonical actors
            out[k] = {"value": v, "span": span} if span and k not in ("origin_id", "note") else v
        return out

    result = wrap({k: v for k, v in reviewed.items() if k != "claims"}, original)
    result["claims"] = [
        wrap(c, o) for c, o in zip(reviewed["claims"], original.get("claims", []), strict=False)
    ]
    return result


def current_editor() -> str | None:
    """The signed-in editor (the workbench's sign-in), else the local editor."""
    try:
        from pages import _shared

        if hasattr(_shared, "current_editor"):
            return _shared.current_editor()
    except ImportError:  # pragma: no cover
        pass
    import os

    return os.environ.get("CEASEFIRE_EDITOR") or None


def source_words(text: str, field: dict | None) -> None:
    """The sentence a value came from, its words highlighted (the text escaped)."""
    span = field.get("span") if isinstance(field, dict) else None
    if isinstance(field, dict) and field.get("note"):
        st.caption(f"Note: {field['note']}")
    if not span:
        extra = field.get("rule") if isinstance(field, dict) else None
        st.caption(extra or "not read from the text")
        return
    before, marked, after = draft_review.context(text, span)
    st.markdown(
        f'<div class="draft-source">{html.escape(before)}<mark>{html.escape(marked)}</mark>'
        f"{html.escape(after)}</div>",
        unsafe_allow_html=True,
    )


def value_widget(key: str, name: str, field, label: str, keep_column):
    """A keep checkbox and a prefilled input; returns the reviewed value (None: dropped)."""
    value = draft.plain(field)
    keep = keep_column.checkbox("keep", value=value is not None, key=f"{key}_keep")
    if name == "occurred_on":
        got = st.date_input(label, value=date.fromisoformat(value) if value else None, key=key)
        got = got.isoformat() if got else None
    elif name in SELECTS:
        options = list(SELECTS[name])
        index = options.index(value) if value in options else None
        got = st.selectbox(label, options, index=index, key=key)
    elif name in NUMBERS:
        is_int = name in taxonomy.CASUALTY_FIELDS
        got = st.number_input(
            label,
            value=value,
            key=key,
            min_value=0 if is_int else None,
            step=1 if is_int else 0.0001,
            format=None if is_int else "%.5f",
        )
        got = int(got) if is_int and got is not None else got
    elif name in ("description", "quote"):
        got = st.text_area(label, value=value or "", key=key, height=100) or None
    else:
        got = st.text_input(label, value=value or "", key=key) or None
    return got if keep else None


def review_fields(text: str, prefix: str, fields: dict, names) -> dict:
    out = {}
    shown = None
    for name in names:
        field = fields.get(name)
        label = LABELS.get(name, name.replace("_", " "))
        keep, left, right = st.columns([0.5, 2, 3], vertical_alignment="bottom")
        with left:
            out[name] = value_widget(f"{prefix}_{name}", name, field, label, keep)
        with right:
            span = field.get("span") if isinstance(field, dict) else None
            if span and span == shown:
                st.caption("the same words as above")
            else:
                source_words(text, field)
            shown = span or shown
    return out


def reviewed_act(text: str, proposal: dict, which: int) -> dict | None:
    part = proposal if which == 0 else proposal["other_incidents"][which - 1]
    editor_shape = draft.to_editor_proposal(proposal, which)
    prefix = f"rv{which}"
    if which:
        st.subheader(f"Other act {which}: offered as a separate incident")
        source_words(text, part.get("why"))
        if not st.checkbox("Save this one too", value=False, key=f"{prefix}_include"):
            return None
    else:
        st.subheader("Incident")
    reviewed = review_fields(text, prefix, part["incident"], INCIDENT_FIELDS)
    claims = []
    st.caption(
        "Figures: the source's word and the figures the charts count "
        '("more than 30" is a minimum of 31 and no maximum).'
    )
    for i, (claim, proposed) in enumerate(zip(part["claims"], editor_shape["claims"], strict=True)):
        name = draft.plain(claim.get("source_name")) or "unnamed source"
        actor = draft.plain(claim.get("alleged_actor")) or "no actor named"
        with st.expander(f"Claim {i + 1}: {name} → {actor}", expanded=which == 0):
            if not st.checkbox("keep this claim", value=True, key=f"{prefix}_c{i}_keep"):
                continue
            detail = draft.plain(claim.get("source_detail"))
            if detail:
                st.caption(f"Source as the text names it: {detail}")
            combined = [
                (k, claim[k])
                for k in ("killed_or_wounded_min", "killed_or_wounded_max")
                if k in claim
            ]
            for k, field in combined:
                st.caption(
                    f"{k.replace('_', ' ')}: {field['value']} (a combined figure, kept as "
                    "the source gives it; not stored)"
                )
            got = review_fields(text, f"{prefix}_c{i}", proposed, CLAIM_FIELDS)
            got["published_on"] = draft.plain(claim.get("published_on"))
            claims.append(got)
    reviewed["claims"] = claims
    reviewed["origin_id"] = editor_shape["origin_id"]
    reviewed["note"] = editor_shape["note"]
    handoff = editor_handoff()
    if handoff and st.button("Open in the incident editor", key=f"{prefix}_handoff"):
        key, page = handoff
        # kept claims only, each with the spans of its proposed values
        kept = [
            c
            for i, c in enumerate(editor_shape["claims"])
            if st.session_state.get(f"{prefix}_c{i}_keep", True)
        ]
        original = {**editor_shape, "claims": [{**c} for c in kept]}
        st.session_state[key] = with_spans(reviewed, original)
        st.switch_page(page)
    return reviewed


st.title("Draft an incident from an article")
st.caption(
    "Paste an article (or upload a .txt or .html file). The drafter proposes an incident "
    "and one claim per source, each value beside the words it came from. Keep, correct or "
    "drop each value; nothing is saved until an editor presses Save. The rules and their "
    "measured scores are in docs/drafting.md."
)

with st.form("draft_input"):
    pasted = st.text_area("Article text", height=220, key="draft_text")
    upload = st.file_uploader(
        "Or an article file (.txt or .html)", type=["txt", "html", "htm"], key="draft_file"
    )
    # two fields a row: in three columns the date field cut its own "yyyy/mm/dd" at 900 px
    c1, c2 = st.columns(2)
    outlet = c1.text_input("Outlet that published it", key="draft_outlet")
    published = c2.date_input(
        "Publication date",
        value=None,
        key="draft_published",
        help="Leave empty when the text states its date.",
    )
    url = st.text_input("Address (optional)", key="draft_url")
    go = st.form_submit_button("Draft", type="primary")

if go:
    text = draft.article_text(upload.getvalue(), upload.name) if upload else pasted
    if not text or not text.strip():
        st.error("Paste an article or choose a file.")
    elif not outlet.strip():
        st.error("Name the outlet that published the article.")
    else:
        try:
            st.session_state["draft_proposal"] = draft.draft_article(
                text,
                outlet=outlet.strip(),
                published=published,
                url=url.strip() or None,
                con=get_connection(),
            )
            st.session_state["draft_article_text"] = text
            st.session_state.pop("draft_saved", None)
            for key in [k for k in st.session_state if str(k).startswith("rv")]:
                del st.session_state[key]
        except ValueError as error:
            st.error(str(error))

saved = st.session_state.get("draft_saved")
if saved:
    for incident_id in saved:
        st.success(f"Saved incident {incident_id}.")
        st.page_link(
            "app_pages/incidents.py",
            label=f"Open incident {incident_id}",
            query_params={"incident": str(incident_id)},
        )

proposal = st.session_state.get("draft_proposal")
if not proposal:
    stop_page()
text = st.session_state["draft_article_text"]

article = proposal["article"]
st.markdown(
    f"**{html.escape(str(draft.plain(article.get('title')) or 'Untitled'))}** — "
    f"{html.escape(article['outlet'])}, published {article['published']}; "
    f"text sha256 `{article['sha256'][:16]}…`"
)
for caveat in proposal["caveats"]:
    st.warning(f"The outlet's caveat: {caveat['value']}")
for note in proposal["review"]:
    st.info(note)

acts = [reviewed_act(text, proposal, 0)]
for which in range(1, len(proposal["other_incidents"]) + 1):
    acts.append(reviewed_act(text, proposal, which))
acts = [a for a in acts if a is not None]

editor = current_editor()
if not editor:
    st.info("Viewing only: sign in as an editor to save the reviewed incident.")
    stop_page()
decisions = []
for n, act in enumerate(acts):
    try:
        found = editing.same_event_candidates(get_connection(), act)
    except editing.Invalid:  # incomplete, or already saved: the save says why
        found = []
    decisions.append(same_event_box(found, f"draft_same_event_{n}"))
if st.button(
    f"Save {len(acts)} incident{'s' if len(acts) > 1 else ''} as {editor}", type="primary"
):
    done = []
    try:
        with writer(editor=editor) as wcon:
            for act, decision in zip(acts, decisions, strict=True):
                done.append(draft_review.save_reviewed(wcon, act, editor, same_event=decision))
    except (ValueError, PermissionError) as error:
        st.error(str(error))
    else:
        st.session_state["draft_saved"] = done
        st.session_state.pop("draft_proposal", None)
        st.rerun()
