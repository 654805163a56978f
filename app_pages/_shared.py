"""Layout shared by the pages: the filter sidebar, the session's view and the demo banner.

Widgets only: every value goes into a ``Filter`` (the core turns it into SQL and
words), and the filter goes into the URL so a copied link reopens the same view.

One view per session: the filters, the attribution, the grouping (``by``) and the
demo-data choice are kept in ``st.session_state[VIEW]`` (as URL lists), not only in
the widgets, whose state Streamlit drops when a page without them runs. On entering a
page, an address that carries a view (a shared link, a bookmark, the browser's history)
sets it; an address without one keeps the session's view.

**The address is the view.** At the end of every run (``end_of_run``) the page's address
is written once: the view, then the page's own options (the Incidents page's search and
page number, the Compare page's window, the Overview's map and figure size...), which a
page declares with ``set_url`` or ``page_option``; a page that declares none (the
incident editor, History) keeps the options its address holds (``incident=12``). Each
page's options are remembered for the session, and the sidebar's page links (ours, not
Streamlit's, which drop the query string) carry the view and the target page's options,
so a click lands at once on the address of what it shows, and no page drops another's.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import date, timedelta
from typing import NoReturn

import streamlit as st

from app_pages._confirm import confirm_action, show_outcome
from ceasefire import auth
from ceasefire.cache import (
    cached_demo_row_count,
    cached_filter_options,
    cached_read,
    writer,
)
from ceasefire.demo import remove_demo
from ceasefire.filters import FIELDS, Field, Filter
from ceasefire.queries import TIME_UNITS, demo_claim_count
from ceasefire.text import (
    plural,
    range_text,  # noqa: F401  (re-exported for the pages)
)

#: Two fixes to Streamlit's default look, for WCAG 2.2 AA (axe-core,
#: docs/accessibility.md): captions are drawn at 60% of the text colour (contrast 3.9:1 on white,
#: AA asks 4.5:1 for normal text), so they take the text colour at 80% opacity (6.9:1; in
#: the dark theme too, as it follows the text colour); the day/month/year fields of a
#: date input are 18 px wide targets, so each gets at least 24 x 24 px (2.5.8).
ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"] { color: inherit; opacity: 0.8; }
[data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}
.stElementContainer:has([data-run-marker]),
.stElementContainer:has([data-app-script]) { display: none; }
</style>"""

#: Enter applies a date typed into a date field. Streamlit applies a typed date only when
#: the focus leaves the whole field (Tab moves between its day, month and year, then to
#: its calendar button) or on Escape, and ignores Enter, so a researcher who typed a year
#: and pressed Enter saw nothing happen. On Enter in a date field this sends the field
#: the Escape that Streamlit's own date input treats as "apply what was typed"; the focus
#: stays where it was. A constant script: no value of the data reaches it.
DATE_ENTER_JS = """<span hidden data-app-script></span><script>
if (!window.ceasefireDateEnter) {
  window.ceasefireDateEnter = true;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !event.target.closest) return;
    const segment = event.target.closest(
      '[data-testid="stDateInputField"] [role="spinbutton"]');
    if (!segment) return;
    event.preventDefault();
    segment.dispatchEvent(new KeyboardEvent('keydown',
      {key: 'Escape', code: 'Escape', bubbles: true, cancelable: true}));
  }, true);
}
</script>"""


def accessible_style() -> None:
    """The app-wide CSS and the date fields' Enter key (constants: no value of the data
    reaches them)."""
    st.html(ACCESSIBLE_CSS)
    st.html(DATE_ENTER_JS, unsafe_allow_javascript=True)


#: session_state key: how many runs of this session have reached their end
RUNS_FINISHED = "_runs_finished"


def run_marker() -> None:
    """Mark the end of a run: a hidden element carrying how many runs this session has
    finished, which the browser tests and the benchmarks wait for (tests/e2e/waiting.py).
    The app hides Streamlit's status widget (``toolbarMode = "minimal"``), so nothing
    else on the page says that a run is over.

    app.py calls it after the page; a page that ends early calls ``stop_page()``, which
    calls it before ``st.stop()`` (nothing can be drawn after ``st.stop()``); a run that
    asks for another (``st.rerun``, ``st.switch_page``) writes none: the next one does.
    The element is ``hidden`` (neither drawn nor read by a screen reader) and its
    container is taken out of the layout (ACCESSIBLE_CSS); its text is a number."""
    count = st.session_state.get(RUNS_FINISHED, 0) + 1
    st.session_state[RUNS_FINISHED] = count
    st.html(f'<span hidden data-run-marker="{count}"></span>')


def stop_page() -> NoReturn:
    """End the page here, as ``st.stop()`` does, after the end of the run's work
    (``end_of_run``: the address, the page links, the run marker). Pages call this
    instead of ``st.stop()`` (tests/test_architecture.py)."""
    end_of_run()
    st.stop()


#: Test-only: seconds to sleep in every run of a page with the filter sidebar, between
#: the sidebar and the page's content (as a slow query would), so a browser test can
#: check that the tests wait for a slow run (tests/e2e/test_waiting.py). Unset, as in
#: every normal run, it costs one environment look-up.
SLOW_RUN_VARIABLE = "CEASEFIRE_TEST_SLOW_RUN"


def _slow_for_tests() -> None:
    delay = os.environ.get(SLOW_RUN_VARIABLE)
    if delay:
        time.sleep(float(delay))


#: This run's page, its links' place in the sidebar and the options the page declared
#: (one script run at a time per session thread; set by ``run_page``).
_run = threading.local()


def run_page(navigation, pages: list, links) -> None:
    """Run the page chosen by ``st.navigation``, then ``end_of_run`` (also when the page
    failed, so a test waiting for it sees the error instead of timing out). ``pages``:
    the pages the sidebar links to; ``links``: the sidebar container they go in (drawn
    at the end of the run, when the view is known)."""
    from streamlit.runtime.scriptrunner_utils.exceptions import (
        RerunException,
        StopException,
    )

    _run.page, _run.pages, _run.links, _run.options = navigation.url_path, pages, links, None
    try:
        navigation.run()
    except (RerunException, StopException):  # another run follows, or stop_page ended it
        raise
    except Exception:
        end_of_run()
        raise
    end_of_run()


def end_of_run() -> None:
    """The address (the view and the page's options), the sidebar's page links, and the
    marker that says the run is over."""
    if getattr(_run, "page", None) is not None:  # inside app.py's navigation
        _write_address()
        _page_links()
        _run.page = None
    run_marker()


#: session_state key: each page's own options as URL lists, by the page's url_path
#: ({'compare': {'days': ['30', '90']}}): what its sidebar link carries
PAGE_OPTIONS = "_page_options"


def page_option(**options) -> None:
    """Declare options of this page for its address (``map="district"``); an empty value
    removes one. Written at the end of the run (``end_of_run``)."""
    declared = dict(getattr(_run, "options", None) or {})
    for key, value in options.items():
        values = [value] if isinstance(value, str) else [str(v) for v in value or []]
        if any(values):
            declared[key] = values
        else:
            declared.pop(key, None)
    _run.options = declared


def _write_address() -> None:
    view = view_params()
    own = _run.options
    if own is None:  # the page declared none: keep the options its address holds
        own = {k: v for k, v in url_params().items() if not _is_view(k, v)}
    else:
        st.session_state.setdefault(PAGE_OPTIONS, {})[_run.page] = own
    wanted = {**view, **own}
    if wanted != url_params():
        st.query_params.from_dict(wanted)


def _page_links() -> None:
    """The sidebar's page links, each carrying the view and its page's own options."""
    view = view_params()
    options = st.session_state.get(PAGE_OPTIONS, {})
    with _run.links:
        for page in _run.pages:
            query = {**view, **options.get(page.url_path, {})}
            st.page_link(page, label=page.title, query_params=query or None)


def url_params() -> dict[str, list[str]]:
    """The query string as lists (a key may repeat: actor=Russia&actor=Iran)."""
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


#: session_state key of the session's view, as URL lists ({'actor': ['Russia'], ...})
VIEW = "_view"
#: URL keys that belong to the view (every filter field's, and the grouping ``by`` when
#: it is a time unit: the What-changed page's own ``by`` is an area or actor)
VIEW_KEYS = frozenset({field.url for field in FIELDS} | {"by"})


def _is_view(key: str, values) -> bool:
    if key != "by":
        return key in VIEW_KEYS
    values = [values] if isinstance(values, str) else list(values or [])
    return bool(values) and values[-1] in TIME_UNITS


def widget_key(field: Field) -> str:
    """The key of the sidebar widget that sets a filter field: both dates share one
    date range; every other field has a widget of its own, keyed by its name."""
    return "dates" if field.kind == "date" else field.name


#: The sidebar's widget keys, one per filter field of ``filters.FIELDS`` (so a new field
#: is reset and re-initialised without being listed here), and the grouping's:
#: re-initialised from the view when a page is entered, cleared by "Reset filters"
WIDGET_KEYS = (*dict.fromkeys(widget_key(field) for field in FIELDS), "by")


def _page_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def view_params() -> dict[str, list[str]]:
    """The session's view as URL lists (see the module's docstring)."""
    ss = st.session_state
    page = _page_id()
    if ss.get("_view_page") != page:  # entering a page
        ss["_view_page"] = page
        url = url_params()
        if VIEW not in ss or any(_is_view(key, values) for key, values in url.items()):
            ss[VIEW] = {key: values for key, values in url.items() if _is_view(key, values)}
        for key in WIDGET_KEYS:
            ss.pop(key, None)
    return ss.setdefault(VIEW, {})


def view_option(key: str, default: str) -> str:
    """A page option of the view (the grouping ``by``), or ``default``."""
    return (view_params().get(key) or [default])[-1]


def url_filter() -> Filter:
    """The filter the session's view describes (on entering a page: the address's, if it
    carries one); a malformed link is reported, not fatal."""
    try:
        return Filter.from_query_params(view_params())
    except ValueError as error:
        st.warning(f"Ignoring part of the link: {error}")
        st.session_state[VIEW] = {}
        return Filter()


def _as_lists(params: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in params.items() if v}


def set_url(f: Filter, **page_state) -> None:
    """Keep the view (the filter, and the grouping when given) for the session, and
    declare the page's own options (``incident``, ``days``...) for its address, which
    the end of the run writes (``end_of_run``)."""
    view = view_params()
    kept = {key: view[key] for key in ("by",) if key in view and key not in page_state}
    new_view = {**_as_lists(f.to_query_params()), **kept}
    new_view.update(_as_lists({k: v for k, v in page_state.items() if _is_view(k, v)}))
    st.session_state[VIEW] = new_view
    page_option(**{k: v for k, v in page_state.items() if not _is_view(k, v)})


#: session key of the editor signed in with a local account
SIGNED_IN = "editor_signed_in"


def current_editor() -> str | None:
    """The editor of this session, or None for a viewer (see ceasefire/auth.py):
    the OpenID Connect user where a provider is configured (and allowed), else the
    local account signed in here, else the one local editor of a ``make app`` set-up."""
    if auth.oidc_configured():
        user = st.user
        if not getattr(user, "is_logged_in", False):
            return None
        email = str(user.get("email") or "").strip()
        allowed = auth.oidc_allowed()
        if allowed is not None and email.lower() not in allowed:
            return None
        return email or str(user.get("name") or "") or None
    if auth.accounts():
        return st.session_state.get(SIGNED_IN)
    return auth.local_editor()


def editor_panel() -> None:
    """Who is editing, in the sidebar: sign in and out (OIDC or a local account), or
    the local editor's name. Viewers need nothing and see no write controls."""
    box = st.sidebar.container(border=True)
    editor = current_editor()
    if auth.oidc_configured():
        if editor:
            box.caption(f"Editing as **{editor}**")
            if box.button("Sign out", key="editor_sign_out"):
                st.logout()
        elif getattr(st.user, "is_logged_in", False):
            box.caption("Signed in, but not as an editor: viewing only.")
            if box.button("Sign out", key="editor_sign_out"):
                st.logout()
        elif box.button("Editor sign-in", key="editor_sign_in"):
            st.login()
        return
    if auth.accounts():
        if editor:
            box.caption(f"Editing as **{editor}**")
            if box.button("Sign out", key="editor_sign_out"):
                st.session_state.pop(SIGNED_IN, None)
                st.rerun()
            return
        with box.expander("Editor sign-in"):
            with st.form("editor_sign_in_form", clear_on_submit=True):
                name = st.text_input("Editor name", key="sign_in_name")
                password = st.text_input("Password", type="password", key="sign_in_password")
                if st.form_submit_button("Sign in"):
                    if auth.check_password(name.strip(), password):
                        st.session_state[SIGNED_IN] = name.strip()
                        st.rerun()
                    st.error("Unknown editor or wrong password.")
        return
    if editor:
        box.caption(f"Editing as **{editor}** (local set-up)")
    else:
        box.caption("Viewing only. Editors: see docs/editing.md.")


def carry_view(**options) -> None:
    """For pages without the filter sidebar: the session's view in the address, with
    the page's own ``options`` (none: the address is the view alone)."""
    view_params()
    page_option(**options)


def _reset_filters() -> None:
    """Back to the defaults (all incidents, any claim, demo data included); the grouping
    is kept."""
    ss = st.session_state
    ss[VIEW] = {key: values for key, values in ss.get(VIEW, {}).items() if key == "by"}
    for key in WIDGET_KEYS:
        if key != "by":
            ss.pop(key, None)


def demo_banner() -> None:
    """A clear warning while synthetic rows are in the store, with the way out (for
    editors: removing data is a write)."""
    n = cached_demo_row_count()
    if not n:
        show_outcome("remove_demo")  # "Removed 3,000 demo incidents."
        return
    # the button goes under the warning, not in a narrow column beside it, where its
    # label was cut ("Remov…") at 900 px
    st.warning(
        f"**Demonstration data:** {n:,} of the incidents in this store are SYNTHETIC, generated "
        "to show how the tracker works. Figures that include them describe no real events. "
        "An editor can remove them here or with `python -m ceasefire demo remove`."
    )
    editor = current_editor()
    if not editor:  # removing data is a write: no control for viewers
        return

    def remove() -> str:
        with writer(editor=editor) as wcon:
            removed = remove_demo(wcon, editor=editor)
        return f"Removed {plural(removed, 'demo incident')}."

    confirm_action(
        "remove_demo",
        "Remove demo data…",
        lambda: (
            f"This deletes {plural(n, 'demo incident')} and {plural(cached_read(demo_claim_count), 'claim')} about "
            "them from the store, on every page and for every user of this store. Real "
            "incidents are not touched. To undo it, revert this removal on the History "
            "page while it is the latest import or removal (or reload the demo set with "
            "`python -m ceasefire demo add`)."
        ),
        f"Yes, remove {plural(n, 'demo incident')}",
        remove,
    )


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _full_range(opts) -> tuple[date, date]:
    """ "All dates" spans whole months: from the 1st of the first month to the last day of
    the last, so changing only a year keeps whole months (data ending on 30 December
    2022 made "2021" end on 30 December 2021, dropping the 31st)."""
    first = (opts.first_date or date(2018, 1, 1)).replace(day=1)
    return first, month_end(opts.last_date or date.today())


def _dates_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    """One date range for ``start`` and ``end``; the whole range is no condition (and no
    dates in the address)."""
    full_range = _full_range(opts)
    ss = st.session_state
    if "dates" not in ss:
        ss["dates"] = (initial.start or full_range[0], initial.end or full_range[1])
    elif tuple(ss["dates"]) == ss.get("dates_full_range"):
        # "all dates" follows the store: an import that adds later incidents widens it
        ss["dates"] = full_range
    ss["dates_full_range"] = full_range
    dates = st.sidebar.date_input(field.label, key="dates", format="YYYY-MM-DD")
    start, end = (
        (tuple(dates) + (None, None))[:2] if isinstance(dates, (tuple, list)) else (dates, None)
    )
    if (start, end) == full_range:
        start = end = None
    return {"start": start, "end": end}


def _agreement_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    if "agreement" not in st.session_state:
        st.session_state["agreement"] = initial.agreement or ""
    agreement = st.sidebar.selectbox(
        field.label,
        ["", *opts.agreements],
        key="agreement",
        format_func=lambda a: opts.agreements.get(a, "Any time (all agreements)"),
        help="Restrict to the agreement's period in force; alleged violations are then "
        "counted against that agreement.",
    )
    return {"agreement": agreement or None}


def _choice_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    if field.name not in st.session_state:
        st.session_state[field.name] = getattr(initial, field.name)
    value = st.sidebar.radio(
        field.label, list(field.choices), key=field.name, format_func=field.choices.get
    )
    return {field.name: value}


def _source_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    """The source whose claims attribute incidents: asked only when the attribution is
    one source's."""
    if chosen.get("attribution") != "source":
        return {}
    if "attribution_source" not in st.session_state:
        st.session_state["attribution_source"] = (
            initial.attribution_source
            if initial.attribution_source in opts.sources
            else (opts.sources[0] if opts.sources else None)
        )
    source = st.sidebar.selectbox(field.label, opts.sources, key="attribution_source")
    return {"attribution_source": source}


def _list_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    """A multiselect offering the field's closed vocabulary, else what the store holds
    (and whatever the view already asks for)."""
    offered = field.choices if field.choices is not None else getattr(opts, field.options)
    current = getattr(initial, field.name)
    options = list(dict.fromkeys([*offered, *current]))
    if field.name not in st.session_state:
        st.session_state[field.name] = list(current)
    value = st.sidebar.multiselect(field.label, options, key=field.name, help=field.help)
    return {field.name: tuple(value)}


def _bool_widget(field: Field, initial: Filter, opts, chosen: dict) -> dict:
    if field.name not in st.session_state:
        st.session_state[field.name] = getattr(initial, field.name)
    return {field.name: st.sidebar.checkbox(field.label, key=field.name, help=field.help)}


#: The widget of each filter field: by name where a kind has several shapes, else by kind
#: (a new list, choice or bool field of ``filters.FIELDS`` gets its widget here, a new
#: date or text field fails until it is given one)
_WIDGETS_BY_NAME = {"agreement": _agreement_widget, "attribution_source": _source_widget}
_WIDGETS_BY_KIND = {
    "date": _dates_widget,
    "choice": _choice_widget,
    "list": _list_widget,
    "bool": _bool_widget,
}
#: where each kind of field sits in the sidebar (then in ``filters.FIELDS``' order): the
#: period and how incidents are attributed, then the lists, then the switches
_SIDEBAR_PLACE = {"date": 0, "text": 1, "choice": 1, "list": 2, "bool": 3}


def _widget(field: Field):
    if field.name in _WIDGETS_BY_NAME:
        return _WIDGETS_BY_NAME[field.name]
    if field.kind == "text":
        raise KeyError(f"no sidebar widget for the filter field {field.name!r}")
    return _WIDGETS_BY_KIND[field.kind]


def sidebar_fields() -> list[Field]:
    """The filter fields in the order the sidebar shows their widgets, one per widget
    (``end`` shares ``start``'s date range)."""
    shown = {widget_key(field): field for field in reversed(FIELDS)}
    return sorted(shown.values(), key=lambda f: (_SIDEBAR_PLACE[f.kind], FIELDS.index(f)))


def filter_sidebar() -> Filter:
    """The sidebar's filter widgets, one per field of ``filters.FIELDS``, initialised
    from the view (the URL on first load)."""
    initial = url_filter()
    _slow_for_tests()
    opts = cached_filter_options()
    side = st.sidebar
    side.header("Filters")
    side.button(
        "Reset filters",
        key="reset_filters",
        on_click=_reset_filters,
        help="All incidents, every actor any claim names, demo data included.",
    )
    values: dict = {}
    for field in sidebar_fields():
        values.update(_widget(field)(field, initial, opts, values))
    try:
        return Filter(**values)
    except ValueError as error:
        st.sidebar.error(str(error))
        return Filter()
