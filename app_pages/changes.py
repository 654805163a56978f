"""What changed: a week against its previous 4 and 52 weeks, per area or actor."""

from datetime import date, timedelta

import streamlit as st

from app_pages._downloads import table_downloads
from app_pages._figures import export_size_picker, show_figure
from app_pages._shared import demo_banner, filter_sidebar, set_url, url_params
from ceasefire import export, queries
from ceasefire.analysis import changes
from ceasefire.cache import cached_read, get_connection
from ceasefire.figures import changes_view
from ceasefire.incident_record import md_escape

st.title("What changed this week")
demo_banner()
f = filter_sidebar()
con = get_connection()
params = url_params()
if "changes_week" not in st.session_state:
    try:
        st.session_state["changes_week"] = date.fromisoformat((params.get("week") or [""])[-1])
    except ValueError:
        st.session_state["changes_week"] = cached_read(queries.last_incident_date) or date.today()
if "changes_by" not in st.session_state:
    # ``group`` in the address: ``by`` is the view's grouping of dates (week, month),
    # which this page must not overwrite for the others; older links said by=district
    wanted = (params.get("group") or params.get("by") or [""])[-1]
    st.session_state["changes_by"] = wanted if wanted in changes.BY else "governorate"

left, right = st.columns(2)
week_of = left.date_input("Week of (weeks start on Monday)", key="changes_week")
by = right.radio("By", list(changes.BY), horizontal=True, key="changes_by")
week = changes.monday(week_of)
set_url(f, week=week.isoformat(), group=by)
st.caption(
    f"The week of {week:%d %b %Y} to {week + timedelta(days=6):%d %b %Y} against the average "
    "of the previous 4 and 52 weeks (weeks the data covers). Flags: large increase (> +25 %), "
    "moderate increase (+10 to +25 %), limited change (−25 to +10 %), large decrease "
    "(< −25 %); a baseline of at most 2 a week with at most 5 this week is 'limited change'. "
    "Emerging: actors active this week in an area where they had no incident in the previous "
    "52 weeks. The sidebar's dates, agreement and 'alleged violations only' are ignored."
)
result, prov, fig = changes_view(con, f, week, by)
# a table of text that wraps (st.table), busiest first: the grid cut the group names
# ("Syrian go") and showed field names (week_count, flag_4w)
st.table(changes.readable_table(result).map(md_escape), hide_index=True)
st.caption(changes.baseline_text(result))
slug = export.view_slug(f.to_query_params(), week.isoformat(), by)
table_downloads(
    lambda fmt: export.table_bytes(
        result.frame.assign(emerging=result.frame.emerging.map("; ".join)),
        prov,
        fmt,
        sheet="changes",
    ),
    "changes-table",
    prov,
    label="Changes table",
    slug=slug,
)
show_figure(
    fig, "chart_changes", "changes", prov, "Small multiples", slug, width=export_size_picker()
)
