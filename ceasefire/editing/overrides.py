"""Editors' overrides of imported rows: kept by origin id, re-applied after re-imports,
conflicts reported. The code lives in ``ceasefire.overrides`` (below ``records``, which
re-applies overrides after a re-import); this module keeps its names importable here."""

from ..overrides import (
    _claim_override_key,
    _drop_override,
    _imported_claim_ids,
    _legacy_places,
    _set_override,
    _where,
    claim_label,
    conflicts,
    find_claim,
    reapply_overrides,
)

__all__ = [
    "_claim_override_key",
    "_drop_override",
    "_imported_claim_ids",
    "_legacy_places",
    "_set_override",
    "_where",
    "claim_label",
    "conflicts",
    "find_claim",
    "reapply_overrides",
]
