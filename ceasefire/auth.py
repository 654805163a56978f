"""Who may write: editors and viewers.

Viewing needs no login. Every write (incident entry and edits, claims, sources, actor
decisions, imports, demo removal, reverts) is made by a named **editor**: the core's
write functions take ``editor=`` and raise ``EditorRequired`` without one, and the
change log records the name (``ceasefire.editing``).

Where the editor's name comes from, in this order:

1. **OpenID Connect** (served): when ``.streamlit/secrets.toml`` has an ``[auth]``
   section (Streamlit's ``st.login``), editors sign in with that provider; the editor is
   the signed-in e-mail address, and ``[editors] allowed = ["a@b.org", ...]`` (if given)
   limits who may write. The app handles this part (``app_pages/_shared.py``); this module
   only reads the configuration.
2. **Local accounts** (served, no provider): ``[editors.accounts]`` in
   ``.streamlit/secrets.toml``, or the TOML file named by ``$CEASEFIRE_ACCOUNTS`` (same
   layout), maps each editor's name to an argon2 hash of their password (argon2-cffi).
   Make a line with ``python -m ceasefire editors hash NAME`` (asks for the password,
   prints ``NAME = "$argon2id$..."``). Editors sign in in the sidebar.
3. **One local editor** (``make app`` on your own machine): ``$CEASEFIRE_EDITOR``, or
   ``[editors] local = "Your Name"`` in ``.streamlit/secrets.toml``. Used only when
   neither 1 nor 2 is configured: a served app never falls back to it.

Nothing configured: everyone is a viewer (the app shows no write controls); the command
line takes ``--editor NAME``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .tables.db import PROJECT_ROOT

ENV_EDITOR = "CEASEFIRE_EDITOR"
ENV_ACCOUNTS = "CEASEFIRE_ACCOUNTS"


class EditorRequired(PermissionError):
    """A write was attempted without an editor's name."""

    def __init__(self, what: str = "this change"):
        super().__init__(
            f"{what} needs an editor: sign in as an editor in the app, or pass --editor NAME "
            f"on the command line (or set ${ENV_EDITOR} for a local set-up)."
        )


def require_editor(editor: str | None, what: str = "this change") -> str:
    """The editor's name, stripped; ``EditorRequired`` when there is none."""
    if editor is None or not str(editor).strip():
        raise EditorRequired(what)
    return str(editor).strip()


def _secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets: the project's (and the working directory's)
    ``.streamlit/secrets.toml``, and the user's."""
    candidates = [
        PROJECT_ROOT / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    ]
    seen, out = set(), []
    for path in candidates:
        if path.resolve() not in seen and path.is_file():
            seen.add(path.resolve())
            out.append(path)
    return out


def secrets() -> dict:
    """The merged secrets files (first file wins per top-level key)."""
    merged: dict = {}
    for path in reversed(_secrets_files()):
        with open(path, "rb") as handle:
            merged.update(tomllib.load(handle))
    return merged


def oidc_configured() -> bool:
    """An OpenID Connect provider is configured for ``st.login``."""
    return bool(secrets().get("auth"))


def oidc_allowed() -> list[str] | None:
    """The e-mail addresses allowed to edit when signing in with OIDC (None: anyone
    the provider signs in)."""
    allowed = (secrets().get("editors") or {}).get("allowed")
    return [a.strip().lower() for a in allowed] if allowed else None


def accounts() -> dict[str, str]:
    """Local accounts: editor name -> argon2 hash."""
    found: dict[str, str] = {}
    path = os.environ.get(ENV_ACCOUNTS)
    if path:
        with open(path, "rb") as handle:
            found.update((tomllib.load(handle).get("editors") or {}).get("accounts") or {})
    found.update((secrets().get("editors") or {}).get("accounts") or {})
    return found


def local_editor() -> str | None:
    """The one local editor of a ``make app`` set-up, or None when sign-in is configured
    (a served app never writes under a default name)."""
    if oidc_configured() or accounts():
        return None
    name = os.environ.get(ENV_EDITOR) or (secrets().get("editors") or {}).get("local")
    return name.strip() if name and name.strip() else None


def default_editor() -> str | None:
    """The command line's editor when ``--editor`` is not given: ``$CEASEFIRE_EDITOR``,
    else the secrets file's local editor."""
    name = os.environ.get(ENV_EDITOR) or (secrets().get("editors") or {}).get("local")
    return name.strip() if name and name.strip() else None


def hash_password(password: str) -> str:
    """An argon2id hash for a local account (argon2-cffi's recommended parameters)."""
    from argon2 import PasswordHasher

    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    return PasswordHasher().hash(password)


def check_password(name: str, password: str, known: dict[str, str] | None = None) -> bool:
    """True when ``name`` is a local account and ``password`` matches its hash."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    table = accounts() if known is None else known
    stored = table.get(name)
    if not stored or not password:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
