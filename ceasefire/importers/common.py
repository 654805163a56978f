"""The importers' shared parts, by their old names (kept importable).

The code lives in four modules: ``checks`` (row checks and SQL helpers), ``reading``
(a file into DuckDB as text), ``pipeline`` (prepare and commit, the claims model) and
``report`` (problems, the import report, the rejects file).
"""

from __future__ import annotations

from .checks import (  # noqa: F401
    DATE_REASON,
    Check,
    blank_to_null,
    case_map,
    check_count,
    check_date,
    check_min_max,
    check_number,
    check_required,
    check_unique_id,
    col_or_null,
    lit,
    num,
    q,
    split_list,
)
from .pipeline import (  # noqa: F401
    PREVIEW_COLUMNS,
    STAGED_FIELDS,
    FormatSpec,
    Prepared,
    commit,
    prepare,
)
from .reading import RawFile, read_raw, record_lines  # noqa: F401
from .report import (  # noqa: F401
    ImportRejected,
    ImportReport,
    Problem,
    default_rejects_path,
)
