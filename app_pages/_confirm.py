"""Confirmation before a destructive action (widgets only), reusable by any page.

The first button only asks: it shows what will go, in numbers, with "Yes, ..." and
"Cancel" buttons beside it; nothing is deleted until the second click. Every control is
an ordinary button, so the whole exchange works from the keyboard and is announced by
screen readers (a warning box, then two named buttons).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def confirm_action(
    key: str,
    label: str,
    question: str | Callable[[], str],
    confirm_label: str,
    action: Callable[[], str | None],
    where=None,
) -> None:
    """A button ``label`` that asks ``question`` before running ``action``.

    ``question`` may be a callable, so counting what would go costs nothing until asked.
    ``action`` does the deed and returns a message to show afterwards (or None);
    the page reruns after it, so every figure shows the store as it now is.
    ``where``: the container to draw in (default: the page)."""
    where = where or st.container()
    asking = f"{key}__asking"
    done = f"{key}__done"
    show_outcome(key, where)
    if not st.session_state.get(asking):
        if where.button(label, key=key):
            st.session_state[asking] = True
            st.rerun()
        return
    box = where.container(border=True, key=f"{key}_confirm")
    box.warning(question() if callable(question) else question)
    # side by side while they fit, wrapped otherwise (two equal columns cut a long
    # "Yes, remove 3,000 demo incidents" at 900 px)
    row = box.container(horizontal=True)
    if row.button(confirm_label, key=f"{key}_yes", type="primary"):
        st.session_state[asking] = False
        message = action()
        if message:
            st.session_state[done] = message
        st.rerun()
    if row.button("Cancel", key=f"{key}_cancel"):
        st.session_state[asking] = False
        st.rerun()


def show_outcome(key: str, where=None) -> None:
    """The message the confirmed action of ``key`` returned, once, after its rerun
    (call it where the button was, also when the button is no longer drawn)."""
    message = st.session_state.pop(f"{key}__done", None)
    if message:
        (where or st).success(message)
