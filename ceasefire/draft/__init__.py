"""From a news article to draft incidents with their claims (deterministic rules).

``draft_article(text, outlet=..., published=date(...))`` reads an article and proposes
an incident per act it reports, each with one claim per source. Every proposed value is
``{"value": ..., "span": [start, end]}``: the character offsets (Python string indices)
in ``text`` of the words it came from, so a reviewer sees why; a value the text
contradicts or only infers carries a ``note`` beside it. Nothing is written; the
proposal goes to the incident editor (``to_editor_proposal`` gives the shape
``editing.py`` takes), and only an editor's confirmation saves it.

The rules, in order (docs/drafting.md gives their limits and measured
scores; the words they use are data, ``data/lexicon.toml``; each module's
docstring details its rule):

1. **Text** (``sentences``). HTML is stripped; paragraphs are lines; sentences split at
   ``.!?`` before a capital, not after a title. A line without final punctuation is a
   headline or standfirst; a dateline ("MOSCOW, August 19. /TASS/.", "BEIRUT (AP) —")
   is the publication's place and day, not the act's.
2. **Who speaks** (``sources``): each sentence is cut at its attribution clauses (a
   verb of speech and its subject: "X said", ", X said", "said X", "according to X",
   "claims by X of ..."). The words after a leading clause and before a trailing one
   are its speaker's; in a chain the innermost named speaker owns them ("The White
   Helmets said ..., Anadolu reported": the White Helmets', Anadolu a relay); an unnamed
   source (activists, witnesses, local or medical sources) is relayed by the named
   speaker around it, else by the outlet. A person speaks for their office (a general
   of the Russian Centre for Reconciliation is that centre, never "Russia"); a
   description ("a war monitor", "rescuers") is the source of that kind the article
   names; a state's ministry named by country and portfolio ("Syria's foreign ministry")
   is one office ("Syrian Ministry of Foreign Affairs"); a country ("Moscow denied") is the outlet it spoke through, else its office
   in the article, else no one (its words are nobody's claim, not the outlet's). A
   sentence with no attribution of its own that opens by pointing back into the
   previous sentence's reported words ("Two of them struck a house", "The third ...")
   goes on with that speaker, within a paragraph; a pronoun after an unnamed source
   ("Activists said ... , they said") is that unnamed source. A quotation of several
   sentences attributed after its last one is that speaker's from its first; a person
   "of" an organisation after the verb ("said Rami Abdel-Rahman of the Observatory")
   speaks for it; a phrase of place after the verb ("said in a series of tweets") is
   no reported speech. An organisation that is
   the outlet itself ("The Syrian Coalition condemned ..." in the Coalition's news) is
   the outlet. Words with no attribution are the
   outlet's own.
3. **Acts** (``acts``): the sentences about acts are cut into acts by place, marker
   ("also", "separately", "again"), day, a province other than the act's, and a new
   actor with a new weapon; a sentence referring back ("It killed ...", "the raids";
   not "after the raids") stays in its act; a retaliation is its own act ("retaliated",
   "struck back", "hit back", "returned fire", "shelled ... in retaliation"; "our
   troops"/"its forces" in a state office's words are its state's; "the counter-fire"
   is the retaliation told before); a casualty
   count told apart from an act with no one hurt belongs to the act that has one; two
   acts in one sentence joined by ", while" (the second marked: "two more") are two; an
   act whose opener names no place is at the place of the act before; the act a
   retaliation answered ("came in retaliation for government shelling of Idlib city") is
   its own act. Sentences about an earlier event or background (totals since a date, an
   agreement, an attack dated more than three days before publication at a place
   already reported or at none, an attack dated before the first act told after it in
   the outlet's own words, an act told in
   the past perfect on a day of its own, a general statement about "the attacks by X")
   belong to none; "also" with places in the plural is a summary, with "the area" the
   same act; aid operations are no attack.
4. **Blame** (``blame``), in each speaker's words: identifying phrases ("Russia, a top
   ally of Assad", "regime ally Russia", "Turkish-backed", "held by X") are blanked;
   weapon phrases ("Russian warplanes") blame by themselves, force phrases and plain
   names only as the author of an attack verb (also as the subject of a relative
   clause, "the forces that fired"; a noun after an article, "the strike", is no
   verb; "cease fire" is no firing), after an agentive "by" ("carried out
   by", "shelling by"; not "brokered by"), or "X's attack"; never as a target, in the
   passive, negated ("did not carry out strikes") or defending ("repelled"); not as the
   object of an attack verb ("hit a Turkish military convoy") nor as a possessor of
   anything but a weapon or force ("one of Turkey's observation posts"; "the regime's
   missiles" blames). A sentence hedging who struck ("It was not immediately clear
   whether ...") blames no one. A lead naming several perpetrators across several acts
   does not say which struck where. The claim's actor is the most blamed, the others
   listed. Clashes give parties.
5. **Figures** (``casualties``): numbers bound to casualty words, parts of a total ("four
   of them children", "six children were among the dead") and counts of things ("two
   towns") left out, a revised toll superseding the source's earlier ones, "no deaths"
   as 0; an age is no count ("a six-year-old boy" is one); one person is 1 ("killing a
   two-year-old child", "injuring the media activist
   X Y"); coordinated counts before one verb add up ("An elderly woman and four of her
   children were killed" = 5), as do one speaker's figures of one field in one sentence,
   each with its own verb; an earlier toll ("had earlier given a toll of 18") gives way
   to the current one; one source's figures combine as constraints, and a smaller figure in a
   later sentence than the source's total for the act is a part of it. A lead's
   total across several acts is no one act's figure.
6. **Date** (``dates``): an explicit date of the act, else a relative word or weekday
   ("early Sunday", "Sunday's", "overnight", "at dawn"; a weekday equal to the
   publication day is that day), else a statement's day ("said on Sunday"), noted as
   such; an agreement's date never. An undated act takes the date of the act before it
   (a retaliation only when the main act is of the publication day).
7. **Place** (``places``): where fire came from is blanked; the most specific known
   place wins; a town the gazetteer knows decides governorate and district even when
   the text names another province (then noted beside the value), if it lies within
   25 km of that province (else it is another place of the same name the gazetteer
   lacks, kept as written in the text's province); a fuzzy match more than 25 km from
   every place the text names exactly is dropped; "in the north of X province" is
   inside X (not a landmark); a fuzzy match in
   another province than the text's is dropped; a village the gazetteer lacks is kept
   as written in the province the text (or the article) names.
8. **Headline**: a headline attributed to a source ("— Russian centre", ": monitor",
   "- rescuers") fills what that source's claim lacks; it never makes the outlet's.
9. **Weapon and target type**: the lexicon word named most often (headline included for
   the main act; a destination, "taken to hospitals", is no target). **Verification**:
   "disputed" only when two claims each name perpetrators with nothing in common.
   Parenthetical designations ("(banned in Russia)") are identifying phrases, and a
   name before a verb of arrival ("arrived at the hospital") is a destination.

The package's modules, in the order of the rules: ``lexicon`` (the words, actor
aliases), ``sentences`` (rule 1), ``sources`` (2), ``acts`` (3), ``blame`` (4), ``casualties``
(5), ``dates`` (6), ``places`` (7), ``drafter`` (the rules run in order, 8-9,
``draft_article``), ``output`` (the editor's and the text shapes) and ``score`` (the
claim-level scorer behind ``python -m ceasefire draft-score``). The package's public
names are importable from here; the rules' own helpers stay in their modules.
"""

from __future__ import annotations

from .casualties import Figure
from .dates import detect_published
from .drafter import draft_article
from .lexicon import ACTORS_CSV, LEXICON_TOML, Lexicon, canonical_actor, cw_join, lexicon
from .output import as_text, origin_note, plain, to_editor_proposal
from .places import resolve_place
from .sentences import Sentence, article_text, split_sentences, text_sha256
from .sources import Speaker

__all__ = [
    "ACTORS_CSV",
    "Figure",
    "LEXICON_TOML",
    "Lexicon",
    "Sentence",
    "Speaker",
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
