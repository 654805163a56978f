"""Incidents: every filtered incident, paged and sorted in the store, with a text search;
open one to read it as a record (claims, figures in words, the rule applied to it).

Widgets only: paging, sorting and the search are parameterised DuckDB queries
(``queries.incidents``, ``incident_count``, ``incident_position``, read through
``cache`` as every query a page makes); the record's words come from
``ceasefire.incident_record``. The page, the order, the search and the open
incident are in the URL with the filters, so a copied address reopens the same view.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import streamlit as st

from app_pages._shared import (
    current_editor,
    demo_banner,
    filter_sidebar,
    range_text,
    set_url,
    stop_page,
    url_params,
    view_params,
)
from app_pages._tables import grid_columns
from ceasefire.cache import cached_incident_count, cached_incident_page, cached_read
from ceasefire.filters import fmt_date
from ceasefire.incident_record import (
    casualty_words,
    claim_fields,
    md_escape,
    violation_reasoning,
)
from ceasefire.queries import (
    INCIDENT_ORDERS,
    incident_claims,
    incident_detail,
    incident_position,
    incident_records,
    violation_checks,
)
from ceasefire.text import plural

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_SIZE = 50
ss = st.session_state

# Printing an incident: the record only, without the sidebar, the table and the controls.
st.html(
    "<style>@media print {"
    "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'],"
    ".st-key-incident_controls, .st-key-incident_table_box, .st-key-remove_demo,"
    "[data-testid='stDecoration'] {display: none !important;}"
    ".st-key-incident_record {break-inside: auto;}"
    "[data-testid='stVerticalBlockBorderWrapper'] {break-inside: avoid;}"
    "}</style>"
)

st.title("Incidents")
demo_banner()
f = filter_sidebar()
params = url_params()


def first(key: str, default: str = "") -> str:
    return (params.get(key) or [default])[-1]


def to_first_page() -> None:
    ss["incident_page"] = 1


link = first("incident")
if "incident_search" not in ss:
    ss["incident_search"] = first("q")
if "incident_order" not in ss:
    ss["incident_order"] = first("order", "newest")
    if ss["incident_order"] not in INCIDENT_ORDERS:
        ss["incident_order"] = "newest"
if "incident_per" not in ss:
    per = first("per", str(DEFAULT_SIZE))
    ss["incident_per"] = int(per) if per.isdigit() and int(per) in PAGE_SIZES else DEFAULT_SIZE
if "incident_pick" not in ss:
    ss["incident_pick"] = int(link) if link.isdigit() else None

controls = st.container(key="incident_controls")
# the rows-per-page list needs room for its number beside its arrow at 900 px
search_col, order_col, size_col = controls.columns([5, 3, 2])
search = search_col.text_input(
    "Search places, descriptions, claim quotes and sources",
    key="incident_search",
    placeholder="e.g. Duwaila",
    help="Every word must appear in the incident's place or description, in one of its "
    "claims' quotes or in a source's name. Combined with the sidebar's filters.",
    on_change=to_first_page,
).strip()
order = order_col.selectbox(
    "Order",
    list(INCIDENT_ORDERS),
    format_func=lambda key: INCIDENT_ORDERS[key][0],
    key="incident_order",
    on_change=to_first_page,
)
per = size_col.selectbox("Rows per page", PAGE_SIZES, key="incident_per", on_change=to_first_page)

total = cached_incident_count(f, search)
n_pages = max(1, math.ceil(total / per))
if "incident_page" not in ss:
    wanted = first("page")
    page_no = int(wanted) if wanted.isdigit() else 1
    if link.isdigit() and not wanted:
        # a permalink opens the table at the page that holds its incident
        position = cached_read(incident_position, f, int(link), order, search)
        if position is not None:
            page_no = position // per + 1
    ss["incident_page"] = page_no
ss["incident_page"] = min(max(1, int(ss["incident_page"])), n_pages)


def go(page_no: int) -> None:
    ss["incident_page"] = page_no


current = ss["incident_page"]
nav = controls.container(horizontal=True, key="incident_nav", vertical_alignment="bottom")
nav.button("First page", on_click=go, args=(1,), disabled=current == 1, key="page_first")
nav.button(
    "Previous page", on_click=go, args=(current - 1,), disabled=current == 1, key="page_prev"
)
nav.number_input(
    f"Page (of {n_pages:,})",
    min_value=1,
    max_value=n_pages,
    step=1,
    key="incident_page",
    width=160,
)
nav.button(
    "Next page",
    on_click=go,
    args=(current + 1,),
    disabled=current >= n_pages,
    key="page_next",
)
nav.button("Last page", on_click=go, args=(n_pages,), disabled=current >= n_pages, key="page_last")
page_no = ss["incident_page"]
offset = (page_no - 1) * per
table = cached_incident_page(f, per, offset, order, search, total)

found = f" matching “{search}”" if search else ""
if total:
    shown = f"{offset + 1:,}–{offset + len(table):,} of {plural(total, 'incident')}{found}"
else:
    shown = f"No incidents{found}"
controls.caption(
    f"{shown}, {INCIDENT_ORDERS[order][0].lower()} (the order applies to all of them). "
    f"{f.describe()} {f.attribution_text()}"
)

pick = ss["incident_pick"]
page_state = {
    "q": search,
    "order": "" if order == "newest" else order,
    "per": "" if per == DEFAULT_SIZE else str(per),
    "page": "" if page_no == 1 else str(page_no),
}


def row_label(row) -> str:
    """Date, place and number: short enough for the list's field in a narrow window (the
    weapon and the killed, after them, were cut off there; the table shows them)."""
    place = row.place_name if isinstance(row.place_name, str) else "place not recorded"
    return f"{fmt_date(row.occurred_on.date())}: {place} (incident {row.incident_id})"


labels = {int(row.incident_id): row_label(row) for row in table.itertuples(index=False)}
if pick is not None and pick not in labels:
    labels[pick] = f"Incident {pick} (from the link; not on this page)"

if total:
    display = table.assign(
        killed=[range_text(a, b) for a, b in zip(table.killed_min, table.killed_max, strict=True)],
        occurred_on=table.occurred_on.dt.date,
        # an empty cell, not "None", where no claim names a party or no actor is counted
        parties=table.parties.fillna(""),
        counted_under=table.counted_under.fillna(""),
    )[
        [
            "incident_id",
            "occurred_on",
            "place_name",
            "district",
            "governorate",
            "weapon",
            "target_type",
            "counted_under",
            "parties",
            "killed",
            "n_claims",
            "is_disputed",
            "origins",
        ]
    ]

    def picked_row() -> None:
        """A click on a row's checkbox selects the row, a click on its text a cell: either
        opens the row's incident."""
        selection = ss["incident_table"]["selection"]
        # the cell clicked last (each run clears it), else the ticked row
        rows = [c[0] for c in selection.get("cells") or []] or list(selection.get("rows") or [])
        if rows:
            ss["incident_pick"] = int(display.iloc[rows[0]].incident_id)

    # the open incident's row is ticked (also when it was opened from the list below or
    # a link), and only it
    positions = {int(i): n for n, i in enumerate(display.incident_id)}
    ss["incident_table"] = {
        "selection": {"rows": [positions[pick]] if pick in positions else [], "cells": []}
    }
    box = st.container(key="incident_table_box")
    box.dataframe(
        display,
        hide_index=True,
        width="stretch",
        on_select=picked_row,
        selection_mode=["single-row", "single-cell"],
        key="incident_table",
        column_config=grid_columns(
            display,
            {
                "incident_id": st.column_config.NumberColumn("Incident", format="%d"),
                "occurred_on": st.column_config.DateColumn("Date", format="D MMM YYYY"),
                "place_name": "Place",
                "district": "District",
                "governorate": "Governorate",
                "weapon": "Weapon",
                "target_type": "Target",
                "counted_under": st.column_config.TextColumn(
                    "Counted under",
                    help="The actors the charts count this incident under, for the attribution "
                    "in force",
                ),
                "parties": st.column_config.TextColumn(
                    "Parties (initiator not stated)",
                    help="Actors a claim names as taking part in fighting without saying who "
                    "started it: never counted as perpetrators",
                ),
                "killed": "Killed",
                "n_claims": st.column_config.NumberColumn("Claims"),
                "is_disputed": st.column_config.CheckboxColumn("Disputed"),
                "origins": "Origins",
            },
        ),
    )

options = list(labels)
st.selectbox(
    "Open an incident",
    options,
    index=options.index(pick) if pick in options else None,
    format_func=labels.get,
    placeholder="Choose one of this page's incidents (or click a row of the table)",
    key=f"incident_open_{page_no}_{order}_{per}_{search}_{pick}",
    on_change=lambda key: ss.update(incident_pick=ss[key]),
    args=(f"incident_open_{page_no}_{order}_{per}_{search}_{pick}",),
    help="Type to narrow the list; Enter opens the incident below.",
)
set_url(f, **page_state, incident=str(pick) if pick is not None else "")

if pick is None:
    if total:
        st.info("Choose an incident above, or click a row, to read its claims and sources.")
    else:
        st.info("No incidents match these filters and this search.")
    stop_page()

detail = cached_read(incident_detail, pick)
if detail is None:
    st.warning(f"Incident {pick} is not in the store.")
    stop_page()

URL_OK = re.compile(r"https?://[^\s<>()\[\]\"']+")
record = st.container(key="incident_record")
place = detail["place_name"] or "Place not recorded"
record.header(f"{place}, {fmt_date(detail['occurred_on'])}", anchor="incident")
if current_editor():  # the workbench: correct this incident, or see its history
    # buttons as wide as their labels (in a narrow column "Edit this incident" was cut
    # to "Edit …" at 900 px); the view goes along in the editor's address
    actions = record.container(horizontal=True, key="incident_actions")
    to_page = {**view_params(), "incident": [str(pick)]}
    if actions.button("Edit this incident", key="edit_incident", width="content"):
        st.switch_page("app_pages/edit.py", query_params=to_page)
    if actions.button("History", key="incident_history", width="content"):
        st.switch_page("app_pages/history.py", query_params=to_page)
on_page = bool(total) and pick in set(table.incident_id.astype(int))
if not on_page:
    record.caption(
        "This incident is not among the rows of this page (or of these filters and search)."
    )
if detail["description"]:
    record.markdown(md_escape(detail["description"]))

where = ", ".join(
    x
    for x in (
        f"{detail['district']} district" if detail["district"] else "",
        f"{detail['governorate']} governorate" if detail["governorate"] else "",
    )
    if x
)
coordinates = (
    f"; coordinates {detail['latitude']:.4f}, {detail['longitude']:.4f} "
    f"({detail['location_precision']})"
    if detail["latitude"] is not None and detail["longitude"] is not None
    else "; no coordinates"
)
disputed = (
    "; sources disagree about who did it"
    if detail["is_disputed"] and detail["verification"] != "disputed"
    else ""
)
facts = [
    ("Date", f"{fmt_date(detail['occurred_on'])} (dated to the {detail['date_precision']})"),
    ("Place", md_escape(place + (f" — {where}" if where else "")) + coordinates),
    ("Weapon", md_escape(detail["weapon"])),
    ("Target", md_escape(detail["target_type"])),
    ("Verification", md_escape(detail["verification"]) + disputed),
    ("Record", f"{md_escape(detail['origin'])} {md_escape(detail['origin_id'])}"),
]
if detail["is_clash"]:
    facts.append(("Clash", md_escape(detail["clash_pair"] or "") + " (initiator not stated)"))
if detail["awaiting_review"]:
    facts.append(
        (
            "Actors",
            "every actor this incident names awaits review, so it is not counted as an "
            "alleged violation until they are classified",
        )
    )
if detail["killed_best"] is not None:
    facts.append(
        (
            "Killed, best estimate",
            f"{detail['killed_best']:,} (median of the claims' best estimates), beside the "
            f"range {range_text(detail['range_killed_min'], detail['range_killed_max'])}",
        )
    )
record.markdown("\n".join(f"- **{label}:** {text}" for label, text in facts))

claims = cached_read(incident_claims, pick)
record.subheader("Casualties")
record.markdown(
    "\n".join(
        f"- {md_escape(casualty_words(claims, field))}"
        for field in ("killed", "wounded", "civilians_killed")
    )
)

record.subheader("Alleged violation?")
for headline, _violated, steps in violation_reasoning(cached_read(violation_checks, pick)):
    record.markdown(
        f"**{md_escape(headline)}**\n" + "\n".join(f"- {md_escape(step)}" for step in steps)
    )

record.subheader(plural(len(claims), "claim"))
for number, claim in enumerate(claims.itertuples(index=False), start=1):
    card = record.container(border=True, key=f"claim_{claim.claim_id}")
    source = claim.source if isinstance(claim.source, str) else "the dataset itself"
    card.markdown(f"**Claim {number}: {md_escape(source)}**")
    card.markdown(
        "\n".join(f"- **{label}:** {md_escape(text)}" for label, text in claim_fields(claim))
    )
    if isinstance(claim.quote, str) and claim.quote.strip():
        card.markdown("\n".join(f"> {md_escape(line)}" for line in claim.quote.splitlines()))
    else:
        card.markdown("*No quote recorded.*")
    # links render only when they are plain http(s) addresses (no markup can ride along)
    for label, url in (("Link", claim.link), ("Source's site", claim.source_url)):
        if isinstance(url, str) and URL_OK.fullmatch(url):
            card.markdown(f"**{label}:** [{md_escape(url)}]({url})")

records = cached_read(incident_records, pick)
record.subheader("Origins and linked records")
filters_query = urlencode(f.to_query_params(), doseq=True)
lines = []
for rec in records.itertuples(index=False):
    what = f"{md_escape(rec.origin)} record {md_escape(rec.origin_id)}"
    role = "the record the charts count" if rec.is_canonical else "linked: the same event"
    here = " (this page)" if int(rec.incident_id) == pick else ""
    target = f"?incident={int(rec.incident_id)}" + (f"&{filters_query}" if filters_query else "")
    lines.append(f"- [{what}]({target}) — {role}{here}")
record.markdown("\n".join(lines))
record.caption(
    "To print or save this record as PDF, use the browser's Print: the sidebar, the "
    "table and the controls are left out."
)
