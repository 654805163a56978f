"""Ceasefire-violation tracker: the core (store, importers, queries, charts, CLI).

Nothing here imports Streamlit except ``ceasefire.cache``, where the app's caching lives.
"""

__version__ = "0.1.0"
