"""Named SQL parameters: how the query builders hand user values to DuckDB.

Every value a query takes travels as a named parameter (``$start``, ``$weapons_1``),
never in the SQL text. A builder returns its SQL and a dict of the names that SQL uses;
a query built from parts (the filter's WHERE, the attribution's CTE, a page's LIMIT)
merges the parts' dicts with ``merge``. Positional ``?`` lists had to be concatenated
in the order their marks appear in the text, and a part moved in the text silently
bound the wrong values; a name binds the same value wherever it appears. Two parts
that bind one name to different values are a bug, and ``merge`` raises.

DuckDB binds ``$name`` from a dict (``con.execute(sql, {"name": value})``). It does not
mix named and positional parameters in one statement, and it refuses a dict holding a
name the statement does not use, so a builder's dict holds exactly its text's names.
``positional`` turns a statement back into ``?`` marks and a list (the form
``python -m ceasefire sql`` prints, which any DuckDB client runs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: A statement's parameters, by name (without the ``$``).
Params = dict[str, object]

_NAME = re.compile(r"'(?:[^']|'')*'|\$([A-Za-z_][A-Za-z0-9_]*)")


def merge(*parts: Params) -> Params:
    """The parameters of a statement built from ``parts``; a name bound to two different
    values raises ``ValueError`` (the parts would disagree on what it means)."""
    out: Params = {}
    for part in parts:
        for name, value in part.items():
            if name in out and out[name] != value:
                raise ValueError(f"${name} is bound to {out[name]!r} and to {value!r}")
            out[name] = value
    return out


def value_list(name: str, values: Iterable[object]) -> tuple[str, Params]:
    """``$name_1, $name_2, ...`` for an ``IN (...)`` list, and their parameters."""
    params = {f"{name}_{i}": value for i, value in enumerate(values, start=1)}
    return ", ".join(f"${key}" for key in params), params


def positional(sql: str, params: Params) -> tuple[str, list]:
    """The same statement with a ``?`` for every ``$name`` (outside quoted strings) and
    the values in the order the marks appear (a name used twice is passed twice)."""
    values: list = []

    def mark(match: re.Match) -> str:
        if match.group(1) is None:  # a quoted string: left as it is
            return match.group(0)
        values.append(params[match.group(1)])
        return "?"

    return _NAME.sub(mark, sql), values
