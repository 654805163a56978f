"""The analyses a page, the brief and the CLI show beside the charts: ``counting`` (what
a view leaves out or counts apart, in words), ``overview`` (everything the Overview shows,
in one call), ``compare`` (before and after a date: rates and their ratio) and
``changes`` (what changed this week, the early warning).

They read through ``queries`` and ``filters`` and return frames and words; none writes.
This ``__init__`` imports nothing: ``counting`` sits lower than the other three (the
provenance and the charts' notes use it), and importing it must not load them.
"""
