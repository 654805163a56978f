"""Import: upload an ACLED export, a UCDP GED CSV or a mapped spreadsheet; preview; confirm.

Widgets only: reading, validation, mapping and writing are ``ceasefire.importers``.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from app_pages._shared import carry_view, current_editor, stop_page
from ceasefire import importers, progress
from ceasefire.cache import get_connection, writer
from ceasefire.importers.pipeline import readable_preview
from ceasefire.store import PROJECT_ROOT
from ceasefire.text import plural

carry_view()  # the session's view stays in the address

st.title("Import data")
editor = current_editor()
if not editor:
    st.info("Importing writes to the store: sign in as an editor (sidebar) to import data.")
    stop_page()
st.caption(
    "Upload a file as you downloaded it. Nothing is written until you confirm; a file with bad rows "
    "is refused as a whole unless you choose to import the good rows only."
)

LABELS = {
    "acled": "ACLED export (CSV)",
    "ucdp": "UCDP GED events (CSV)",
    "table": "My own spreadsheet (CSV/XLSX + mapping)",
}


def work_dir() -> Path:
    """This session's scratch directory: uploads are written here (one file each, replaced
    by the next); removed when the session ends (TemporaryDirectory's finaliser)."""
    if "import_tmp" not in st.session_state:
        st.session_state["import_tmp"] = tempfile.TemporaryDirectory(prefix="ceasefire-import-")
    return Path(st.session_state["import_tmp"].name)


def saved(kind: str, name: str, data: bytes) -> Path:
    """``data`` as ``work_dir()/kind/name``, written once (not on every rerun); the
    previous file of that kind (and anything written beside it) is removed."""
    folder = work_dir() / kind
    path = folder / Path(name).name
    if not (path.is_file() and path.read_bytes() == data):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path.write_bytes(data)
    return path


fmt = st.radio("Format", list(LABELS), format_func=LABELS.get, horizontal=True)
upload = st.file_uploader("File", type=["csv", "xlsx"] if fmt == "table" else ["csv"])
mapping_path = None
if fmt == "table":
    shipped = sorted((PROJECT_ROOT / "mappings").glob("*.toml"))
    choice = st.selectbox("Column mapping", [p.name for p in shipped] + ["upload my own"])
    if choice == "upload my own":
        own = st.file_uploader("Mapping (TOML)", type=["toml"], key="mapping")
        if own is not None:
            mapping_path = saved("mapping", own.name, own.getvalue())
    else:
        mapping_path = PROJECT_ROOT / "mappings" / choice

encoding = st.selectbox(
    "Text encoding of a CSV",
    ["utf-8", "latin-1", "cp1252"],
    help="UTF-8 unless the file was saved otherwise: a file that is not UTF-8 is refused "
    "with the encoding it seems to have; choose that one here.",
)
if upload is None or (fmt == "table" and mapping_path is None):
    stop_page()


def progress_bar(con, what: str, stages=progress.IMPORT_STAGES):
    """A progress bar for reading or importing on ``con`` (``ceasefire.progress``): the
    percentage and the stage, updated from the watcher thread as DuckDB works."""
    bar = st.progress(0.0, text=f"{what}: starting")
    ctx = get_script_run_ctx()
    return bar, progress.tracking(
        lambda f, stage: bar.progress(min(f, 1.0), text=f"{what}: {f:.0%} ({stage})"),
        con,
        stages,
        on_thread=lambda thread: add_script_run_ctx(thread, ctx),
    )


content = upload.getvalue()
path = saved("upload", upload.name, content)
# prepared once per upload (and format, mapping and encoding), not on every rerun
key = (
    fmt,
    upload.name,
    hashlib.sha256(content).hexdigest(),
    str(mapping_path),
    mapping_path.stat().st_mtime_ns if mapping_path else None,
    encoding,
)
checked = st.session_state.get("import_checked")
if checked is None or checked["key"] != key:
    con = get_connection()
    # the preview runs the first stages only (nothing is written): they make its 100 %
    bar, tracking = progress_bar(con, "Reading and checking the file", progress.IMPORT_STAGES[:3])
    try:
        with tracking:
            prepared = importers.prepare_file(
                con, fmt, path, mapping=mapping_path, display_name=upload.name, encoding=encoding
            )
    except ValueError as error:  # a bad mapping file, an empty or unreadable file
        bar.empty()
        st.error(str(error))
        stop_page()
    bar.empty()
    checked = {
        "key": key,
        "report": prepared.report,
        "preview": prepared.preview(20),
        "fatal": prepared.fatal,
    }
    prepared.close()  # the preview is kept; the import reads the file again in the writer
    st.session_state["import_checked"] = checked

report = checked["report"]
st.subheader("Preview (first rows as they will be stored)")
st.dataframe(
    readable_preview(checked["preview"]),
    hide_index=True,
    column_config={"Date": st.column_config.DateColumn(format="D MMM YYYY")},
)
st.subheader("Validation")
if report.problems:
    st.error(report.problems_headline())
    st.dataframe(
        [
            {"Line": p.line, "Column": p.column, "Value": p.value, "Reason": p.reason}
            for p in report.problems
        ],
        hide_index=True,
    )
else:
    st.success(f"All {plural(report.rows_in, 'row')} are valid.")

keep = False
if report.problems and not checked["fatal"]:
    keep = st.checkbox(
        f"Import the good rows ({report.rows_in - report.rows_rejected:,}); "
        f"set the rejected {'row' if report.rows_rejected == 1 else 'rows'} aside"
    )
can_import = not report.problems or keep
if st.button("Import", type="primary", disabled=not can_import):
    try:
        with writer(editor=editor) as wcon, progress_bar(wcon, "Importing")[1]:
            done = importers.import_file(
                wcon,
                fmt,
                path,
                mapping=mapping_path,
                display_name=upload.name,
                encoding=encoding,
                keep_good_rows=keep,
                rejects_path=importers.default_rejects_path(path),
                editor=editor,
            )
    except importers.ImportRejected as rejected:
        st.error(str(rejected).replace("\n", "  \n"))
        stop_page()
    del st.session_state["import_checked"]  # the store changed: check again if re-run
    # one fact per line (Markdown needs two spaces before a line break)
    st.success("  \n".join(done.as_lines()))
    if done.rejects_path:
        st.download_button(
            "Download the rejected rows",
            Path(done.rejects_path).read_bytes(),
            file_name=Path(done.rejects_path).name,
        )
