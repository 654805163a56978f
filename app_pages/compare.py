"""Compare periods: the same measures N days before and after a milestone or a date."""

from datetime import date

import streamlit as st

from app_pages._downloads import table_downloads
from app_pages._figures import export_size_picker, show_figure
from app_pages._shared import (
    demo_banner,
    filter_sidebar,
    page_option,
    set_url,
    stop_page,
    url_params,
)
from ceasefire import export
from ceasefire.agreements import agreement_names
from ceasefire.analysis.compare import (
    CI_EXACT,
    CI_SCORE,
    DEFAULT_WINDOWS,
    KILLED_NOTE,
    MILESTONES,
    milestone_dates,
    readable_table,
)
from ceasefire.cache import get_connection
from ceasefire.figures import compare_view
from ceasefire.filters import fmt_date
from ceasefire.incident_record import md_escape

st.title("Before and after")
demo_banner()
f = filter_sidebar()
con = get_connection()
names = agreement_names()
params = url_params()
WINDOW_CHOICES = sorted({7, 14, 30, 60, 90, 120, 180, 365, *DEFAULT_WINDOWS})


def readable(frame, breakdown: str):
    """The readable table, its text escaped for the table's Markdown (group names come
    from the data)."""
    return readable_table(frame, breakdown).map(md_escape)


def _days_from_url() -> list[int]:
    wanted = [int(d) for d in params.get("days", []) if d.isdigit() and 1 <= int(d) <= 730]
    return wanted or list(DEFAULT_WINDOWS)


if "compare_agreement" not in st.session_state:
    wanted = (params.get("compare") or [""])[-1]
    st.session_state["compare_agreement"] = wanted if wanted in names else list(names)[-1]
if "compare_milestone" not in st.session_state:
    wanted = (params.get("milestone") or [""])[-1]
    on = (params.get("on") or [""])[-1]
    st.session_state["compare_milestone"] = (
        "date" if on else (wanted if wanted in MILESTONES else "in_force")
    )
if "compare_on" not in st.session_state:
    try:
        st.session_state["compare_on"] = date.fromisoformat((params.get("on") or [""])[-1])
    except ValueError:
        st.session_state["compare_on"] = date(2019, 4, 30)
if "compare_days" not in st.session_state:
    st.session_state["compare_days"] = _days_from_url()

left, right = st.columns(2)
# a radio, not a select box: a select box cut the long names to one line ("Sochi
# memorandum on the…" at 900 px); a radio's labels wrap, and all three are in view
agreement = left.radio("Agreement", list(names), format_func=names.get, key="compare_agreement")
dates = milestone_dates(con, agreement)
choices = {k: f"{v.capitalize()} ({fmt_date(dates[k])})" for k, v in MILESTONES.items()}
choices["date"] = "A date I type"
milestone = right.radio(
    "Compare around", list(choices), format_func=choices.get, key="compare_milestone"
)
on = None
if milestone == "date":
    on = right.date_input("Date", key="compare_on")
windows = st.multiselect(
    "Days on each side (one window per choice)",
    sorted({*WINDOW_CHOICES, *st.session_state["compare_days"]}),
    key="compare_days",
)
if not windows:
    st.warning("Choose at least one number of days.")
    stop_page()
set_url(
    f,
    compare=agreement,
    milestone="" if milestone in ("in_force", "date") else milestone,
    on=on.isoformat() if on else "",
    days=[str(d) for d in sorted(windows)],
)
st.caption(
    "Both sides use measures that exist on both sides of the date: all incidents matching "
    "the sidebar's filters, and incidents meeting the agreement's where/how/who conditions "
    "whatever their date (alleged violations of an agreement cannot exist before it). The "
    "sidebar's date range, agreement and 'alleged violations only' are ignored here. A "
    "window is cut to the dates the data covers; the reference day counts as 'after'."
)
frame, prov, fig = compare_view(
    con, f, agreement, tuple(windows), milestone=milestone if on is None else "in_force", on=on
)
reference_slug = (
    on.isoformat() if on else agreement if milestone == "in_force" else f"{agreement}-{milestone}"
)
slug = export.view_slug(
    f.to_query_params(), reference_slug, "-".join(str(d) for d in sorted(windows)) + "-days"
)
show_figure(fig, "chart_compare", "compare", prov, "Comparison", slug, width=export_size_picker())

st.subheader("Counts, rates and rate ratios")
# tables of text that wrap (st.table), not a grid that cut its cells or hid the ratio
# off to the right: the ratio first, human headers, words where a measure is missing
st.table(readable(frame, "all"), hide_index=True)
st.caption(
    f"{KILLED_NOTE} Rate ratio intervals: {CI_SCORE}; marked 'exact' where one side "
    f"counts zero ({CI_EXACT})."
)
if "compare_breakdown" not in st.session_state:
    wanted = (params.get("breakdown") or [""])[-1]
    st.session_state["compare_breakdown"] = wanted if wanted in ("side", "actor") else "side"
breakdown = st.radio("Break down by", ["side", "actor"], horizontal=True, key="compare_breakdown")
page_option(breakdown="" if breakdown == "side" else breakdown)
st.table(readable(frame, breakdown), hide_index=True)
table_downloads(
    lambda fmt: export.table_bytes(frame, prov, fmt, sheet="compare"),
    "compare-table",
    prov,
    label="Comparison table",
    slug=slug,
)
