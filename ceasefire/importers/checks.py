"""Row checks and the SQL helpers every format's mapping is written with.

A format lists its checks (column, raw value, condition, reason); the pipeline runs them
all in one query (``pipeline._check_rows``). SQL is composed here from fixed fragments:
column names are quoted with ``q()``, every string that comes from a file or a mapping
is a literal made by ``lit()``.
"""

from __future__ import annotations

from dataclasses import dataclass


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str | None) -> str:
    """A quoted SQL string literal (for fixed, program- or mapping-given strings)."""
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def blank_to_null(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


def num(expr: str) -> str:
    """Text to DOUBLE; blank or unparseable -> NULL (the checks report the latter)."""
    return f"TRY_CAST({blank_to_null(expr)} AS DOUBLE)"


def split_list(expr: str, sep: str) -> str:
    """A cell listing several values -> a list of trimmed, non-blank, distinct values."""
    return (
        f"list_distinct(list_filter(list_transform(string_split(coalesce({expr}, ''), "
        f"{lit(sep)}), lambda x: trim(x)), lambda x: x <> ''))"
    )


def case_map(expr: str, mapping: dict[str, str], default: str | None) -> str:
    """CASE on a value with a fixed mapping (case-insensitive, trimmed)."""
    if not mapping:
        return lit(default)
    whens = " ".join(f"WHEN {lit(k.strip().lower())} THEN {lit(v)}" for k, v in mapping.items())
    return f"(CASE lower(trim({expr})) {whens} ELSE {lit(default)} END)"


@dataclass(frozen=True)
class Check:
    """A row is bad for this check when ``bad`` (SQL over the staged table) is true."""

    column: str
    value: str  # SQL expression giving the offending raw value
    bad: str
    reason: str


def check_required(col: str) -> Check:
    return Check(col, q(col), f"{blank_to_null(q(col))} IS NULL", "required value is blank")


#: The reason a date check gives; a value in a date's form that is no real date
#: ("31 February 2021") is then reported as such (``text.impossible_date``).
DATE_REASON = "not a date in the expected form"


def check_date(col: str, parsed: str, formats: str) -> Check:
    return Check(
        col,
        q(col),
        f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL",
        f"{DATE_REASON} ({formats})",
    )


def check_number(
    col: str, low: float | None = None, high: float | None = None, label: str = ""
) -> list[Check]:
    parsed = num(q(col))
    checks = [
        Check(
            col, q(col), f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL", "not a number"
        )
    ]
    if low is not None and high is not None:
        checks.append(
            Check(
                col,
                q(col),
                f"{parsed} NOT BETWEEN {low} AND {high}",
                f"{label or col} out of range [{low:g}, {high:g}]",
            )
        )
    return checks


def check_count(col: str) -> list[Check]:
    """A casualty figure: blank allowed; else a whole number >= 0."""
    parsed = num(q(col))
    return [
        Check(
            col, q(col), f"{blank_to_null(q(col))} IS NOT NULL AND {parsed} IS NULL", "not a number"
        ),
        Check(col, q(col), f"{parsed} < 0", "negative casualty figure"),
        Check(col, q(col), f"{parsed} >= 0 AND {parsed} <> floor({parsed})", "not a whole number"),
    ]


def check_min_max(col_min: str, col_max: str) -> Check:
    return Check(
        col_max,
        q(col_max),
        f"{num(q(col_max))} < {num(q(col_min))}",
        f"maximum below its minimum ({col_min})",
    )


def check_unique_id(col: str) -> Check:
    return Check(
        col,
        q(col),
        f"count(*) OVER (PARTITION BY trim({q(col)})) > 1 AND {blank_to_null(q(col))} IS NOT NULL",
        "id repeats within the file (a row would be counted twice)",
    )


def col_or_null(columns: set[str], name: str) -> str:
    """The quoted column if the file has it, else a NULL of type VARCHAR."""
    return q(name) if name in columns else "NULL::VARCHAR"
