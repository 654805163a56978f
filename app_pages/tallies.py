"""What the parties counted: the guarantors' and monitors' own tallies beside the
incidents on record, the tallies themselves, and a bulletin's text to tallies.

Widgets only: the numbers come from ``ceasefire.tallies`` (reads, figure, the bulletin
parser) and every write from ``ceasefire.editing.tallies``. Text from a bulletin is
shown escaped; only the highlight marks are markup.
"""

from __future__ import annotations

import html

import streamlit as st

from app_pages._confirm import confirm_action
from app_pages._downloads import table_downloads
from app_pages._figures import export_size_picker, show_figure
from app_pages._shared import (
    current_editor,
    demo_banner,
    filter_sidebar,
    set_url,
    url_params,
    view_option,
)
from ceasefire import export
from ceasefire.cache import get_connection, writer
from ceasefire.editing import Invalid
from ceasefire.editing.tallies import add_tallies, delete_tally, edit_tally, known_reporters
from ceasefire.queries import TIME_UNITS
from ceasefire.tallies import provinces
from ceasefire.tallies.bulletin import draft_bulletin
from ceasefire.tallies.figure import side_by_side_table, side_by_side_view
from ceasefire.tallies.model import rows_from_draft
from ceasefire.tallies.reads import for_reading, reporter_label, reporters, tally_frame

st.title("What the parties counted")
demo_banner()
st.caption(
    "The guarantors' own violation tallies (the Russian and Turkish parts of the joint "
    "commission, the Turkish Ministry of National Defence) and monitors' counts, beside "
    "the incidents on record. A tally is a party's count in its own unit for a period "
    "and an area: it is not an incident and never enters an incident count."
)
f = filter_sidebar()
con = get_connection()
params = url_params()
names = [g.name for g in provinces.governorates()]
if "tally_governorate" not in st.session_state:
    wanted = (params.get("governorate") or [""])[-1] or (f.governorates or ("",))[0]
    found = provinces.lookup(wanted)
    st.session_state["tally_governorate"] = found.name if found else "Idleb"
on_record = reporters(con)
if "tally_reporters" not in st.session_state:
    st.session_state["tally_reporters"] = [
        r for r in params.get("reporter", []) if r in on_record
    ] or on_record
if "tally_by" not in st.session_state:
    by_default = view_option("by", "month")
    st.session_state["tally_by"] = by_default if by_default in TIME_UNITS else "month"

side_tab, list_tab, draft_tab, edit_tab = st.tabs(
    ["Side by side", "Tallies on record", "From a bulletin", "Edit a tally"]
)

with side_tab:
    c1, c2 = st.columns(2)
    governorate = c1.selectbox("Governorate", names, key="tally_governorate")
    by = c2.radio("Group by", ["week", "month"], key="tally_by", horizontal=True)
    # a row of its own: the reporters' names are long and their chips must not be cut
    shown = st.multiselect(
        "Reporters", on_record, key="tally_reporters", format_func=reporter_label
    )
    set_url(f, by=by, governorate=governorate, reporter=list(shown))
    result, prov, fig = side_by_side_view(con, f, governorate, by, tuple(shown))
    slug = export.view_slug(f.to_query_params(), governorate, by)
    show_figure(
        fig, "chart_tallies", "tallies", prov, "Side by side", slug, width=export_size_picker()
    )
    table_downloads(
        lambda fmt: export.table_bytes(side_by_side_table(result), prov, fmt, sheet="side by side"),
        "tallies-table",
        prov,
        label="Side-by-side numbers",
        slug=slug,
    )

with list_tab:
    st.caption(
        "Every tally in the view's dates and the governorate chosen, newest first "
        "(totals, which name no governorate, included). A count the report does not give "
        "reads 'no count'."
    )
    everywhere = st.checkbox("All governorates", key="tally_list_all", value=False)
    frame = tally_frame(
        con,
        start=result.start,
        end=result.end,
        governorates=() if everywhere else (governorate,),
        reporters=tuple(shown),
        with_totals=True,
    )
    table = for_reading(frame)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "tally_id": st.column_config.NumberColumn("Tally", format="%d"),
            "period_start": st.column_config.DateColumn("From"),
            "period_end": st.column_config.DateColumn("To"),
            "reporter": "Reporter",
            "where": "Governorate or area",
            "count": "Count",
            "unit": "Unit (the reporter's words)",
            "link": st.column_config.LinkColumn("Report"),
        },
    )
    st.caption(f"{len(table):,} tallies.")
    table_downloads(
        lambda fmt: export.table_bytes(frame, prov, fmt, sheet="tallies"),
        "tallies-list",
        prov,
        label="Tallies",
        slug=slug,
    )

editor = current_editor()

with draft_tab:
    st.caption(
        "Paste a bulletin as a news agency relayed it (English or Russian). The parser "
        "proposes one tally per part of the commission and province, and each part's "
        "total, each beside the words it came from; totals are checked against the "
        "provinces. Correct or drop rows in the table; nothing is saved until an editor "
        "presses Save."
    )
    with st.form("tally_draft_input"):
        pasted = st.text_area("Bulletin text", height=180, key="tally_text")
        upload = st.file_uploader("…or a file", type=["txt", "html", "htm"], key="tally_file")
        known = [r["name"] for r in known_reporters().values()]
        publisher = st.selectbox(
            "Published by",
            known,
            key="tally_publisher",
            help="Who published the bulletin. Counts of a part of the joint commission "
            "go to that part; counts naming no part go to this reporter.",
        )
        b, c = st.columns([1, 2])
        published = b.date_input("Publication date", value=None, key="tally_published")
        link = c.text_input("Address (http or https)", key="tally_link")
        go = st.form_submit_button("Propose tallies", type="primary")
    if go:
        from ceasefire.draft import article_text

        text = article_text(upload.getvalue(), upload.name) if upload else pasted
        if not text or not text.strip():
            st.error("Paste a bulletin or choose a file.")
        else:
            st.session_state["tally_draft"] = draft_bulletin(
                text, reporter=publisher, published=published, url=link.strip() or None
            )
            st.session_state["tally_draft_text"] = text
            st.session_state.pop("tally_saved", None)
    if st.session_state.get("tally_saved"):
        st.success(st.session_state["tally_saved"])
    proposal = st.session_state.get("tally_draft")
    if proposal:
        text = st.session_state["tally_draft_text"]
        marked, position = [], 0
        for start, end in sorted({tuple(t["span"]) for t in proposal["tallies"]}):
            if start < position:
                continue
            marked.append(html.escape(text[position:start]))
            marked.append(f"<mark>{html.escape(text[start:end])}</mark>")
            position = end
        marked.append(html.escape(text[position:]))
        with st.container(border=True):
            st.caption("The bulletin, the words each proposal came from marked")
            st.markdown(
                f'<div class="tally-source">{"".join(marked)}</div>', unsafe_allow_html=True
            )
        for check in proposal["totals"]:
            who = check["side"] or check["reporter"]
            st.write(
                f"{who}: stated total {check['count'] if check['count'] is not None else 'none'}"
                f", provinces add up to {check['sum_of_governorates'] if check['sum_of_governorates'] is not None else 'nothing'}"
                f" — {check['check']}"
            )
        for note in proposal["review"]:
            st.info(note)
        rows = rows_from_draft(proposal)
        for row, t in zip(rows, proposal["tallies"], strict=True):
            row["keep"] = True
            row["words"] = t["words"]
        edited = st.data_editor(
            rows,
            key="tally_review",
            column_order=(
                "keep",
                "governorate",
                "count",
                "kind",
                "area",
                "unit",
                "words",
                "period_start",
                "period_end",
                "reporter",
            ),  # fmt: skip
            column_config={
                "keep": st.column_config.CheckboxColumn("Keep"),
                "reporter": st.column_config.TextColumn("Reporter", width="medium"),
                "kind": st.column_config.SelectboxColumn("Kind", options=["governorate", "total"]),
                "governorate": st.column_config.SelectboxColumn("Governorate", options=names),
                "count": st.column_config.NumberColumn("Count", min_value=0, step=1),
                "area": "Area (a total's)",
                "unit": "Unit",
                "period_start": "From (YYYY-MM-DD)",
                "period_end": "To (YYYY-MM-DD)",
                "words": st.column_config.TextColumn("The words", disabled=True),
            },
            hide_index=True,
        )
        kept = [
            {k: v for k, v in row.items() if k not in ("keep", "words")}
            for row in edited
            if row.get("keep")
        ]
        if not editor:
            st.info("Viewing only: sign in as an editor to save tallies.")
        elif st.button(f"Save {len(kept)} tallies as {editor}", type="primary", disabled=not kept):
            try:
                with writer(editor=editor) as wcon:
                    ids = add_tallies(wcon, kept, editor=editor, note="from a bulletin")
            except Invalid as error:
                for field, message in error.errors.items():
                    st.error(f"{field}: {message}")
            except (ValueError, PermissionError) as error:
                st.error(str(error))
            else:
                st.session_state["tally_saved"] = f"Saved tallies {ids[0]}–{ids[-1]}."
                st.session_state.pop("tally_draft", None)
                st.rerun()

with edit_tab:
    if not editor:
        st.info("Viewing only: sign in as an editor to edit tallies.")
    else:
        tally_id = st.number_input("Tally number", min_value=1, step=1, value=None, key="tally_id")
        found = tally_frame(con, tally_ids=(int(tally_id),)) if tally_id else None
        if tally_id and (found is None or found.empty):
            st.warning(f"There is no tally {int(tally_id)}.")
        elif tally_id:
            row = found.iloc[0]
            with st.form("tally_edit"):
                count = st.text_input(
                    "Count (empty: named without a count)",
                    value=for_reading(found).iloc[0]["count"].replace("no count", ""),
                )
                unit = st.text_input("Unit", value=row["unit"])
                where = st.selectbox(
                    "Governorate (empty: a total)",
                    ["", *names],
                    index=(["", *names].index(row["governorate"]) if row["governorate"] else 0),
                )
                note = st.text_input("Why (the change log's note)")
                save = st.form_submit_button("Save changes", type="primary")
            if save:
                try:
                    with writer(editor=editor) as wcon:
                        change = edit_tally(
                            wcon,
                            int(tally_id),
                            {
                                "count": count or None,
                                "unit": unit,
                                "governorate": where or None,
                                "kind": "governorate" if where else "total",
                            },
                            editor=editor,
                            note=note or None,
                        )
                except Invalid as error:
                    for field, message in error.errors.items():
                        st.error(f"{field}: {message}")
                else:
                    st.success(
                        "Nothing changed." if change is None else f"Saved (change {change})."
                    )

            def _delete(number: int = int(tally_id)) -> str:
                with writer(editor=editor) as wcon:
                    change = delete_tally(wcon, number, editor=editor)
                return f"Deleted tally {number} (change {change}; the History page can revert it)."

            confirm_action(
                "tally_delete",
                f"Delete tally {int(tally_id)}…",
                f"Delete tally {int(tally_id)} ({row['reporter']}, {row['period_start']:%d %b %Y})?",
                f"Yes, delete tally {int(tally_id)}",
                _delete,
            )
