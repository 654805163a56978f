"""Overview: counts, casualty ranges and the four figures for the current filters."""

import streamlit as st

from app_pages._downloads import brief_downloads, table_downloads
from app_pages._figures import export_size_picker, show_figure
from app_pages._shared import (
    demo_banner,
    filter_sidebar,
    page_option,
    range_text,
    set_url,
    url_params,
    view_option,
)
from ceasefire import alt_text, export
from ceasefire.analysis import counting
from ceasefire.analysis.overview import build_figure
from ceasefire.cache import cached_district_counts, cached_overview, get_connection
from ceasefire.figures import OVERVIEW_FIGURES, claims_data_bytes, view_data_bytes
from ceasefire.queries import TIME_UNITS

st.title("Alleged ceasefire violations in the Idlib area")
demo_banner()
f = filter_sidebar()
if "by" not in st.session_state:
    st.session_state["by"] = view_option("by", "week")
    if st.session_state["by"] not in TIME_UNITS:
        st.session_state["by"] = "week"
by = st.sidebar.radio("Group dates by", TIME_UNITS, key="by", horizontal=True)
set_url(f, by=by)

view = cached_overview(f, by)
h = view.headline
prov = view.provenance
st.caption(f"{prov.filter_text} {prov.attribution_text}")

# metrics as wide as their values, wrapping to a new row rather than cutting a value
# ("4,627–8,…") when the page is narrow
row = st.container(horizontal=True, wrap=True, gap="large", key="headline")
row.metric("Incidents", f"{h['incidents']:,}", width="content")
row.metric(
    "Alleged violations",
    f"{h['alleged_violations']:,}",
    help="Incidents that meet the alleged-violation rule (see 'About the rules').",
    width="content",
)
row.metric(
    "Killed (range)",
    range_text(h["killed_min"], h["killed_max"]),
    help="Sum over incidents of the lowest and the highest figure any claim gives.",
    width="content",
)
row.metric("Wounded (range)", range_text(h["wounded_min"], h["wounded_max"]), width="content")
row.metric(
    "Disputed",
    f"{h['disputed']:,}",
    help="Two sources name perpetrators with no actor in common, or the incident is "
    "marked disputed.",
    width="content",
)

best = counting.best_estimate_text(h)
if best:
    st.markdown(best)
if h["awaiting_review"]:
    st.warning(
        counting.awaiting_review_text(int(h["awaiting_review"]))
        + " Classify their actors on the 'Actors & sources' page."
    )
st.caption(counting.clashes_text(h))

notes = []
if h["without_coordinates"]:
    notes.append(
        f"{h['without_coordinates']:,} incidents have no coordinates and are not on the map"
    )
if h["without_alleged_actor"]:
    notes.append(
        f"{h['without_alleged_actor']:,} incidents have no alleged actor (shown as 'Unknown')"
    )
if h["without_killed_figure"]:
    notes.append(f"{h['without_killed_figure']:,} incidents have no casualty figure")
if notes:
    st.info("; ".join(notes) + ".")
if h["incidents"] == 0:
    st.info("No incidents match these filters. Widen the dates or clear a filter in the sidebar.")
brief_downloads(f, h["last_date"], prov, export.view_slug(f.to_query_params()))

STEMS = {key: stem for stem, key in OVERVIEW_FIGURES.items()}
SHORT_NAMES = {
    "timeline": "Timeline",
    "target_types": "Target types",
    "actor_target": "Actor by target type",
    "map": "Map",
}
SLUG = export.view_slug(f.to_query_params(), by)


def chart(where, name: str) -> None:
    """A figure and its PNG/SVG/PDF downloads (rendered only when clicked)."""
    with where:
        show_figure(
            view.figures[name],
            f"chart_{name}",
            STEMS[name],
            prov,
            SHORT_NAMES[name],
            SLUG,
            width=EXPORT_WIDTH,
            captions=False,
        )
        # the chart's text alternative: what it shows in words, and its data as a table
        frame = view.frames.get(name)
        st.caption(alt_text.describe(name, frame, by))
        with st.expander(f"{SHORT_NAMES[name]} as a table"):
            st.dataframe(alt_text.table(name, frame), hide_index=True, key=f"table_{name}")


# every figure here has the same subtitle (filters and attribution: the caption above)
# and footnote: its method sentences are the page's captions above, its credits, dates
# and data version go under the last figure; a chart's own notes (the timeline's
# milestone key) go under it
FOOTER = prov.footer()
EXPORT_WIDTH = export_size_picker()
chart(st.container(), "timeline")
# one under the other: side by side, at a narrow window, each would be too narrow for
# its labels (the matrix's actor names, the colour bar)
chart(st.container(), "target_types")
chart(st.container(), "actor_target")
MAPS = {"incidents": "Incidents", "district": "Incidents per district"}
if "map_view" not in st.session_state:
    wanted = (url_params().get("map") or [""])[-1]
    st.session_state["map_view"] = wanted if wanted in MAPS else "incidents"
map_view = st.radio("Map", list(MAPS), format_func=MAPS.get, horizontal=True, key="map_view")
page_option(map="" if map_view == "incidents" else map_view)  # in the address: map=district
if map_view == "incidents":
    if view.map_binned:
        st.caption("Many incidents match: the map shows counts per 0.05° grid cell.")
    chart(st.container(), "map")
else:
    district_map = build_figure("district_map", cached_district_counts(f), prov)
    show_figure(
        district_map,
        "chart_district_map",
        "district-map",
        prov,
        "District map",
        SLUG,
        width=EXPORT_WIDTH,
        captions=False,
    )
st.caption(FOOTER)

st.subheader("The data behind this view")
st.caption(
    f"All {h['incidents']:,} incidents these filters select, one row each, with a "
    "provenance header (CSV), sheet (XLSX) or metadata (Parquet). `counted_under` names "
    "the actors the charts count each incident under for the attribution in force."
)
table_downloads(
    lambda fmt: view_data_bytes(get_connection(), f, fmt),
    "incidents",
    prov,
    label="Incidents",
    slug=SLUG,
)
st.caption(
    "Every claim about those incidents, one row each: its source (kind and "
    "affiliation), the actor it names, its figures, quote, date and link, to redo the "
    "analysis under other rules."
)
table_downloads(
    lambda fmt: claims_data_bytes(get_connection(), f, fmt),
    "claims",
    prov,
    label="Claims",
    slug=SLUG,
)
