"""A researcher's own spreadsheet (CSV or XLSX) described by a column-mapping file (TOML).

The mapping says which column is which field, how values map, and the date format.
``mappings/airwars.toml`` is the documented example; the keys are:

Top level
    ``origin`` (required)       the store's origin name for these rows, e.g. "airwars"
    ``source`` (required)       the source the rows' own coding is attributed to
    ``source_kind``             kind of that source (default "monitor")
    ``date_format``             strptime format of the date column (default ISO %Y-%m-%d);
                                 spreadsheet dates (XLSX cells) are accepted as they are

``[columns]``: field = column name, or a list of column names (first non-blank wins)
    required: ``origin_id``, ``occurred_on``
    optional: ``place_name``, ``governorate``, ``district``, ``latitude``, ``longitude``,
    ``description``, ``actors`` (alleged perpetrators: each becomes a claim with role
    "perpetrator", as Airwars' belligerents are), ``outlets`` (named sources),
    ``killed``/``wounded``/``civilians_killed`` (one figure: min = max) or
    ``killed_min``+``killed_max`` etc. (a min/max pair; one of a pair alone is used for both)

``[split]``: field = separator, for cells listing several values
    (``actors = ", "`` turns ``Russian Military, Iranian Military`` into two claims,
    one per alleged actor, with the same figures; ``outlets = " | "``).

``[values.<field>]`` for ``weapon``, ``target_type``, ``verification``,
``date_precision``, ``location_precision``: ``column``, ``map`` (value in the file ->
store vocabulary, case-insensitive), ``default`` (blank or unmapped), and optional
``split``: a cell listing several values takes the first that maps. Every mapped value
must be in ``taxonomy``; the mapping is checked before the file is read.

Quirks of spreadsheets handled here: numbers typed as ``2.0`` (accepted as whole
numbers), blank figures (unknown, not zero), XLSX date cells (read as timestamps),
governorate spellings (through ``places``). Row checks: id present and unique, date
parses, latitude/longitude in range, figures whole and >= 0, max >= min.
"""

from __future__ import annotations

import tomllib
from functools import partial
from pathlib import Path

from .. import taxonomy
from .checks import (
    Check,
    blank_to_null,
    case_map,
    check_count,
    check_date,
    check_min_max,
    check_number,
    check_required,
    check_unique_id,
    lit,
    num,
    q,
    split_list,
)
from .pipeline import FormatSpec

VOCABULARIES = {
    "weapon": tuple(taxonomy.WEAPONS),
    "target_type": tuple(taxonomy.TARGET_TYPES),
    "verification": tuple(taxonomy.VERIFICATION_STATUSES),
    "date_precision": taxonomy.DATE_PRECISIONS,
    "location_precision": taxonomy.LOCATION_PRECISIONS,
}
DEFAULTS = {
    "weapon": "other",
    "target_type": "unknown",
    "verification": "reported",
    "date_precision": "day",
    "location_precision": "unknown",
}
FIGURES = ("killed", "wounded", "civilians_killed")
TEXT_FIELDS = ("place_name", "governorate", "district", "description")


class MappingError(ValueError):
    """The mapping file itself is wrong (unknown field, value outside the vocabulary)."""


def load_mapping(path: Path | str) -> dict:
    with open(path, "rb") as handle:
        mapping = tomllib.load(handle)
    validate_mapping(mapping)
    return mapping


def validate_mapping(m: dict) -> None:
    problems = []
    for key in ("origin", "source"):
        if not m.get(key):
            problems.append(f"'{key}' is required")
    cols = m.get("columns", {})
    for key in ("origin_id", "occurred_on"):
        if key not in cols:
            problems.append(f"[columns] {key} is required")
    known = {"origin_id", "occurred_on", "latitude", "longitude", "actors", "outlets", *TEXT_FIELDS}
    known |= {f"{f}{s}" for f in FIGURES for s in ("", "_min", "_max")}
    for key in cols:
        if key not in known:
            problems.append(f"[columns] unknown field {key!r}")
    for field, spec in m.get("values", {}).items():
        if field not in VOCABULARIES:
            problems.append(f"[values.{field}] unknown field")
            continue
        for value in [*spec.get("map", {}).values(), spec.get("default", DEFAULTS[field])]:
            if value not in VOCABULARIES[field]:
                problems.append(
                    f"[values.{field}] {value!r} is not one of {list(VOCABULARIES[field])}"
                )
    if m.get("source_kind", "monitor") not in taxonomy.SOURCE_KINDS:
        problems.append(f"source_kind must be one of {list(taxonomy.SOURCE_KINDS)}")
    if problems:
        raise MappingError("mapping: " + "; ".join(problems))


def _columns_of(m: dict, field: str) -> list[str]:
    value = m.get("columns", {}).get(field)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _field(m: dict, cols: set[str], field: str) -> str:
    """First non-blank of the field's columns (missing optional columns count as blank)."""
    names = [c for c in _columns_of(m, field) if c in cols]
    if not names:
        return "NULL::VARCHAR"
    parts = [blank_to_null(q(c)) for c in names]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def _date(m: dict, expr: str) -> str:
    fmt = m.get("date_format", "%Y-%m-%d")
    text = blank_to_null(expr)
    # XLSX date cells arrive as '2018-01-02 00:00:00'
    return (
        f"coalesce(CAST(try_strptime({text}, {lit(fmt)}) AS DATE), "
        f"CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE))"
    )


def _figure_pair(m: dict, cols: set[str], figure: str) -> tuple[str, str]:
    single = _field(m, cols, figure)
    lo = _field(m, cols, f"{figure}_min")
    hi = _field(m, cols, f"{figure}_max")
    if _columns_of(m, figure):
        return num(single), num(single)
    lo_n, hi_n = num(lo), num(hi)
    return f"coalesce({lo_n}, {hi_n})", f"coalesce({hi_n}, {lo_n})"


def _value(m: dict, cols: set[str], field: str) -> str:
    spec = m.get("values", {}).get(field)
    default = DEFAULTS[field] if spec is None else spec.get("default", DEFAULTS[field])
    if spec is None or spec.get("column") not in cols:
        return lit(default)
    raw = q(spec["column"])
    mapping = spec.get("map", {})
    if spec.get("split"):
        items = split_list(raw, spec["split"])
        mapped = f"list_filter(list_transform({items}, lambda x: {case_map('x', mapping, None)}), lambda y: y IS NOT NULL)"
        return f"coalesce({mapped}[1], {lit(default)})"
    return case_map(raw, mapping, default)


def _quoted_columns(m: dict, cols: set[str]) -> list[str]:
    """The columns a record's quote repeats as "column: value" (the actors' and the
    figures' as the sheet wrote them, before any mapping)."""
    names = ["actors", *(f + suffix for f in FIGURES for suffix in ("", "_min", "_max"))]
    return [
        f"{lit(c + ': ')} || {blank_to_null(q(c))}"
        for name in names
        for c in _columns_of(m, name)
        if c in cols
    ]


def _list(m: dict, cols: set[str], field: str) -> str:
    """A list field: one column split at the mapping's separator, or several columns."""
    value = _field(m, cols, field)
    split = m.get("split", {})
    if field in split:
        return split_list(value, split[field])
    return f"list_filter([{value}], lambda x: x IS NOT NULL)"


def _stage(m: dict, cols: set[str]) -> dict[str, str]:
    """The staged fields of a sheet with the columns ``cols``, as SQL expressions."""
    figures = {}
    for figure in FIGURES:
        figures[f"{figure}_min"], figures[f"{figure}_max"] = _figure_pair(m, cols, figure)
    quote_parts = _quoted_columns(m, cols)
    return {
        "origin_id": f"trim({_field(m, cols, 'origin_id')})",
        "occurred_on": _date(m, _field(m, cols, "occurred_on")),
        "date_precision": _value(m, cols, "date_precision"),
        "place_name": _field(m, cols, "place_name"),
        "governorate": _field(m, cols, "governorate"),
        "district": _field(m, cols, "district"),
        "latitude": num(_field(m, cols, "latitude")),
        "longitude": num(_field(m, cols, "longitude")),
        "location_precision": _value(m, cols, "location_precision"),
        "weapon": _value(m, cols, "weapon"),
        "target_type": _value(m, cols, "target_type"),
        "description": _field(m, cols, "description"),
        "verification": _value(m, cols, "verification"),
        "actors": _list(m, cols, "actors"),
        "outlets": _list(m, cols, "outlets"),
        **figures,
        "quote": f"concat_ws('; ', {lit(m['source'])}, {', '.join(quote_parts) or 'NULL'})",
    }


def _checks(m: dict, cols: set[str]) -> list[Check]:
    """The checks of a sheet with the columns ``cols``: an id and a date on every row,
    coordinates in range, counts whole and not negative, a minimum not above its
    maximum."""
    out: list[Check] = []
    id_col = _columns_of(m, "origin_id")[0]
    date_col = _columns_of(m, "occurred_on")[0]
    out += [check_required(id_col), check_unique_id(id_col), check_required(date_col)]
    out.append(check_date(date_col, _date(m, q(date_col)), repr(m.get("date_format", "%Y-%m-%d"))))
    for field, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        for c in _columns_of(m, field):
            if c in cols:
                out += check_number(c, low, high, field)
    for figure in FIGURES:
        for suffix in ("", "_min", "_max"):
            for c in _columns_of(m, figure + suffix):
                if c in cols:
                    out += check_count(c)
        lo, hi = _columns_of(m, figure + "_min"), _columns_of(m, figure + "_max")
        if lo and hi and lo[0] in cols and hi[0] in cols:
            out.append(check_min_max(lo[0], hi[0]))
    return out


def make_spec(m: dict) -> FormatSpec:
    """The import format a validated mapping describes (``stage`` and ``checks`` take
    the sheet's columns)."""
    required = [_columns_of(m, "origin_id")[0], _columns_of(m, "occurred_on")[0]]
    return FormatSpec(
        origin=m["origin"],
        dataset_source=m["source"],
        dataset_source_kind=m.get("source_kind", "monitor"),
        required=required,
        stage=partial(_stage, m),
        checks=partial(_checks, m),
    )
