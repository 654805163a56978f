"""What every subcommand module of the CLI shares: the store its ``--db`` names, opened
for reading or writing. Here, not in ``cli.py``, so the subcommand modules that
``cli.py`` registers need not import it back."""

from __future__ import annotations

import os

from . import store


def use_db(args) -> None:
    """``--db`` (when given) becomes the store of this process ($CEASEFIRE_DB)."""
    if getattr(args, "db", None):
        os.environ["CEASEFIRE_DB"] = args.db


def open_writer(args, **options):
    """The store's writer (waits for another writer; publishes a snapshot at the end);
    ``options`` as for ``store.writer`` (``editor``, ``with_demo``)."""
    use_db(args)
    return store.writer(store.db_path(), **options)


def open_reader(args):
    """A read-only connection on the newest snapshot: runs while the app or a writer
    has the store open."""
    use_db(args)
    return store.reader(store.db_path())
