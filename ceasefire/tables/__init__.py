"""The store's tables, at the bottom of the core: their DDL as migration steps
(``schema``), the DuckDB file and its connection (``db``: path, ``connect``, ``migrate``,
``transaction``, ids, integrity), the derived tables rebuilt in every write's
transaction (``derive``) and the data version (``dataversion``).

Nothing here imports from above ``taxonomy``, so every content writer (``records``,
``editing``, ``importers``...) and every low module that needs the project's path
imports from here, never from ``ceasefire.store``: the store package sits above the
writers, because ``store.bootstrap`` fills a new store with them. This ``__init__``
imports nothing, so importing ``tables.db`` loads only the four modules.
"""
