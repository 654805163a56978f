"""From a news article to a draft incident with its claims (deterministic rules).

``draft_article(text, outlet=..., published=date(...))`` reads an article and proposes
an incident, one claim per source, and any second act (a retaliation) as a separate
incident. Every proposed value is ``{"value": ..., "span": [start, end]}``: the
character offsets (Python string indices) in ``text`` of the words it came from, so a
reviewer sees why. Nothing is written; the proposal goes to the incident editor
(``to_editor_proposal`` gives the shape ``editing.py`` takes), and only an editor's
confirmation saves it.

The rules, in order (the README's "Drafting an incident from an article" says the same
with their limits; the words they use are data, ``data/lexicon.toml``):

1. **Text.** HTML is stripped with BeautifulSoup (``article_text``). Paragraphs are
   lines; sentences are split at ``.!?`` followed by a capital, not after a title
   (Capt., Gen. ...). Page furniture ("Logo", "Helpful keywords") is skipped. A short
   line without final punctuation is a heading; the first is the title.
2. **Who speaks.** Each sentence belongs to one speaker, by its first cue: a named
   outlet (lexicon, or a capitalised name next to "newspaper", "channel", "news
   agency"...), a named person with an organisation ("Capt. Naji Mustafa, the National
   Liberation Front's official military spokesperson"; later "Mustafa said"), an
   unnamed source ("a military source said"), or a continuation ("He added", "The
   source added", "A news article reported") which keeps the previous speaker. Anything
   else is the outlet's own text. If the lead says the story is another outlet's
   ("... writes Baladi News") that outlet is the reporting outlet. Unnamed sources are
   relayed by the reporting outlet: their words are its claim (``source_detail`` keeps
   "a military source"). One claim per source (outlet, named outlet, organisation).
3. **Other acts.** A sentence reporting a retaliation or response with a weapon
   ("began responding ... using mortars and missiles") is a second act: offered as a
   separate incident (its own date only if the sentence gives one) and left out of the
   first. A sentence about an earlier event ("a few days ago") is left out.
4. **Blame.** An actor is blamed by a phrase naming a force or weapon ("Russian
   warplanes", "the regime's warplanes"; lexicon ``actor_phrases``) or by a plain name
   (data/actors.csv aliases, lexicon ``actor_names``) in an agentive context ("carried
   out by X", "breach by X", "X launched", "X's targeting"), unless the words before it
   make it the target ("the sites of the Russian forces"). A claim's alleged actor is
   its most often blamed actor (first mention breaks ties), as the source wrote it when
   that is a known alias, else the canonical name; others are listed for review. An
   actor name nobody knows goes to review (the store flags it when saved). Role:
   ``perpetrator`` (``party`` for "clashes between X and Y").
5. **Figures.** A number with its qualifier, bound to the casualty word before it
   ("killing 43", "wounded more than 30") or after it within ten words ("more than 60
   fighters ... were killed or wounded"). Qualifiers and vague words map to min/max
   by the lexicon (more than 30 -> min 31; up to 75 -> max 75; dozens -> 24-99).
   "Neutralized N" is at most N killed, the word kept. "Killed or wounded N" stays a
   combined figure (``killed_or_wounded_min/max``), never split. Civilian nouns also
   fill ``civilians_killed``. One source's several statements combine as constraints
   (largest minimum, smallest maximum); if they contradict, the range spans both and
   the claim is marked for review.
6. **Date.** An explicit date ("26 October 2020", "October 26") in the incident's
   sentences wins; else relative words resolved against the publication date:
   "yesterday" and "last night" are the day before, "today", "this morning", "at dawn"
   the day itself, "N days ago" N days before (dateparser), a weekday ("on Monday", "at
   dawn on Tuesday") the latest such day on or before the publication date (a Monday
   in a Tuesday article is the day before; "on Tuesday" in a Tuesday article is that
   day). Precision day. No date: None, for the editor.
7. **Place.** Place names after in/near/at/of/outside (not "from": a base planes took
   off from is not the target), mountains ("Jabal X"), areas ("al-X area") and
   "countryside of X" are looked up in the gazetteer (exact, else fuzzy >= 88).
   "X, near Y" with Y known gives place "X, near Y" at Y's coordinates, precision near;
   otherwise the most specific known place (town/village > mountain/area > district >
   governorate), precision from its kind or "near" after "near". Places in a
   governorate the article names win over places elsewhere.
8. **Weapon and target type**: the lexicon word named most often in the incident's
   sentences (first mention breaks ties); none -> "other" / "unknown".
9. **Verification**: "disputed" when two claims blame actors with nothing in common;
   else "reported". The outlet's caveats ("has not verified") are listed.

The package's modules, in the order of the rules: ``lexicon`` (the words, actor
aliases), ``text`` (rule 1), ``sources`` (rule 2), ``blame`` (rules 3-4), ``figures``
(rule 5), ``dates`` (rule 6), ``places`` (rule 7), ``drafter`` (the rules run in order,
8-9, ``draft_article``), ``output`` (the editor's and the text shapes). Every name the
single module ``draft.py`` had is importable from here.
"""

from __future__ import annotations

from .blame import _Blame
from .dates import _Dates, _parse_date, _resolve_relative, detect_published
from .drafter import _Drafter, draft_article
from .figures import Figure, _Figures
from .lexicon import (
    _APOS,
    _MONTHS,
    _NUMBER_WORDS,
    _TITLES_ABBREV,
    _WEEKDAYS,
    ACTORS_CSV,
    LEXICON_TOML,
    Lexicon,
    _actor_aliases,
    _alias_regex,
    _is_alias,
    _number,
    canonical_actor,
    cw_join,
    lexicon,
)
from .output import _CLAIM_KEYS, _INCIDENT_KEYS, as_text, origin_note, plain, to_editor_proposal
from .places import _POINT_KINDS, _place_fields, _Places, resolve_place
from .sources import Speaker, _Sources
from .text import Sentence, _sentence, _v, article_text, split_sentences, text_sha256

__all__ = [
    "ACTORS_CSV",
    "Figure",
    "LEXICON_TOML",
    "Lexicon",
    "Sentence",
    "Speaker",
    "_APOS",
    "_Blame",
    "_CLAIM_KEYS",
    "_Dates",
    "_Drafter",
    "_Figures",
    "_INCIDENT_KEYS",
    "_MONTHS",
    "_NUMBER_WORDS",
    "_POINT_KINDS",
    "_Places",
    "_Sources",
    "_TITLES_ABBREV",
    "_WEEKDAYS",
    "_actor_aliases",
    "_alias_regex",
    "_is_alias",
    "_number",
    "_parse_date",
    "_place_fields",
    "_resolve_relative",
    "_sentence",
    "_v",
    "article_text",
    "as_text",
    "canonical_actor",
    "cw_join",
    "detect_published",
    "draft_article",
    "lexicon",
    "origin_note",
    "plain",
    "resolve_place",
    "split_sentences",
    "text_sha256",
    "to_editor_proposal",
]
