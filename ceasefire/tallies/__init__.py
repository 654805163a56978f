"""What the parties counted: the guarantors' own violation tallies (issue 25).

A **tally** is a party's count of violations for a period and an area, in its own unit:
"the Turkish part of the joint commission registered 15 cases of firing in the provinces
of Aleppo (8), Idlib (4), Latakia (2) and Hama (1)" is five tallies (a total and four
governorates) reported by the Turkish part. A tally is not an incident and is never
added into an incident count: it lives in its own table (``tally``), which no derived
table, filter or headline reads.

The package's modules, bottom up:

- ``provinces``: province names in English, Russian (every case ending) and Arabic to
  the 14 OCHA governorates (``data/tallies/governorates.csv``);
- ``lexicon``: the bulletins' words (``data/tallies/lexicon.toml``);
- ``bulletin``: a bulletin's text to proposed tallies, each with the words it came from
  (``draft_bulletin``), for an editor to review;
- ``model``: a tally's fields, their checks, and a draft's tallies as rows to save;
- ``reference``: the shipped reference set (``data/tallies/reference.csv``), loaded by
  ``init`` as reference data;
- ``reads``: tallies as a table, and the side-by-side frame (tallies beside the coded
  incidents and alleged violations of the same governorate and periods);
- ``chart``: the side-by-side figure.

Writes (add, edit, delete, revert; every one in the change log) are in
``ceasefire.editing.tallies``. This ``__init__`` imports nothing, so any layer may use
one module of the package without loading the others.
"""
