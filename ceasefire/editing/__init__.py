"""The coding workbench's core: editors code, correct and judge; every change is on record.

Every function here that writes takes ``editor=`` (``auth.require_editor``: no editor,
no write, ``EditorRequired``), validates everything before it writes (``Invalid``
carries one message per field; nothing is half-saved), writes in one transaction with
its entry in the append-only ``change_log``, and rebuilds the derived tables, so every
count changes at once. The app's pages and the command line call the same functions.

Change log
----------
One row per change: ``change_id``, ``at`` (UTC), ``editor``, ``entity`` (incident,
claim, source, actor, import), ``entity_id``, ``action``, ``old`` and ``new`` (JSON:
the fields before and after; ``old`` NULL for a creation, ``new`` NULL for a deletion),
``note`` and, for a revert, ``reverts`` (the change it undid). ``revert(change_id)``
writes the change's old values back - itself a logged change - and refuses when the
values have changed since (revert the later change first). Imports and the demo
removal are logged as one entry with their report; the latest of them can be reverted
as a whole, from a copy of the tables kept just before it wrote (``undo``).

Editors' overrides and re-imports
---------------------------------
A corrected field of an incident, or of one of the claims its origin wrote, is kept as
an override keyed by the incident's origin and origin id (``edit_override``). A
re-import of the same file changes nothing; a newer export that rewrites the incident
gets the overrides re-applied, and where the export changed the overridden value
itself the import report lists a conflict. The editor's value stays until an editor
decides (edit the field again to keep a value, or ``accept_imported`` for the
dataset's). Claims an editor added to an imported incident are kept by re-imports.

Proposals: prefilling the incident editor (the contract for article drafts)
----------------------------------------------------------------------------
A *proposal* is a dict with the store's field names::

    {
      "occurred_on": "2020-10-26", "date_precision": "day",
      "place_name": "Jabal al-Duwaila, near Haram", "governorate": "Idleb",
      "district": "Harim", "latitude": 36.2, "longitude": 36.52,
      "location_precision": "near", "weapon": "airstrike",
      "target_type": "training camp", "verification": "disputed",
      "description": "...",
      "claims": [
        {"source_name": "Baladi News", "source_kind": "media",
         "source_affiliation": "opposition", "source_url": "https://...",
         "alleged_actor": "Russian warplanes", "killed_min": 31, "killed_max": null,
         "killed_qualifier": "more than", "wounded_min": 31,
         "quote": "...", "published_on": "2020-10-27", "url": "https://..."}
      ]
    }

A figure may instead be given as the source wrote it, ``"killed_qualifier": "more
than", "killed_figure": 30`` (min and max follow, ``QUALIFIERS``); ``url`` is the
claim's own link (http or https). Any value may instead be ``{"value": ..., "span": [start, end]}``: the value and the
character span of the source document it was read from (kept for display, not
stored). Optional keys: ``origin_id`` (default: made from date and place),
``note`` (the change log's note). To open the app's incident editor prefilled, put the
proposal in ``st.session_state[PROPOSAL_KEY]`` and ``st.switch_page`` to the editor
page (``app_pages/edit.py``); ``python -m ceasefire incident add --json FILE``
writes the same JSON directly. ``read_proposal`` turns either shape into plain values.

Modules
-------
``values`` (fields, qualifiers, proposals), ``validate`` (checking input), ``form`` (the
incident editor's form model: a save writes only what the editor changed), ``log`` (the
change log and history), ``rows`` (store helpers; sources and actors by name),
``incidents``, ``claims`` (and sources), ``same_event`` (the incidents a new one may
record again; link or distinct), ``actors`` (review queue, sides, merges),
``overrides`` (editors' values across re-imports; the code is in ``ceasefire.overrides``,
below ``records``, which re-applies them), ``revert``, ``undo`` (an import's
before-state) and ``explain`` (what an
incident will count as). Every public name stays importable from ``ceasefire.editing``.
"""

from ..auth import EditorRequired
from ..overrides import conflicts, reapply_overrides
from .actors import find_actor, merge_actor, review_queue, set_actor_side
from .claims import add_claim, add_source, edit_claim
from .explain import explain_counting
from .form import (
    FORM_FIELDS,
    blank_claim,
    figure_form,
    figure_values,
    form_changes,
    form_proposal,
    form_state,
)
from .incidents import (
    create_incident,
    delete_incident,
    edit_incident,
    same_event_candidates,
    save_incident,
    validate_proposal,
)
from .log import change_label, history, history_frame, import_logger, log_change
from .revert import accept_imported, revert
from .same_event import SHOWN as SAME_EVENT_SHOWN
from .same_event import Candidate, Distinct, Link, SameEventUndecided
from .validate import clean_claim, clean_claim_changes, clean_incident
from .values import (
    CLAIM_FIELDS,
    DELETED,
    INCIDENT_FIELDS,
    INCIDENT_KEY,
    PROPOSAL_KEY,
    QUALIFIERS,
    Invalid,
    qualified_figure,
    read_proposal,
    source_number,
)

__all__ = [
    "CLAIM_FIELDS",
    "DELETED",
    "FORM_FIELDS",
    "INCIDENT_FIELDS",
    "INCIDENT_KEY",
    "PROPOSAL_KEY",
    "QUALIFIERS",
    "SAME_EVENT_SHOWN",
    "Candidate",
    "Distinct",
    "EditorRequired",
    "Invalid",
    "Link",
    "SameEventUndecided",
    "accept_imported",
    "add_claim",
    "add_source",
    "blank_claim",
    "change_label",
    "clean_claim",
    "clean_claim_changes",
    "clean_incident",
    "conflicts",
    "create_incident",
    "delete_incident",
    "edit_claim",
    "edit_incident",
    "explain_counting",
    "figure_form",
    "figure_values",
    "find_actor",
    "form_changes",
    "form_proposal",
    "form_state",
    "history",
    "history_frame",
    "import_logger",
    "log_change",
    "merge_actor",
    "qualified_figure",
    "read_proposal",
    "reapply_overrides",
    "revert",
    "review_queue",
    "same_event_candidates",
    "save_incident",
    "set_actor_side",
    "source_number",
    "validate_proposal",
]
