"""The house's rules, checked on the source: no import cycle in ``ceasefire/``, Streamlit
only in ``ceasefire/cache.py``, no SQL in ``app_pages/``, no ``_private`` name of ``ceasefire/``
used from another module.

Imports are read with ``ast`` (module level and inside functions alike, since a cycle
through a function-level import is still a cycle). Importing ``a.b.c`` runs ``a/b``'s
``__init__`` first, so an import of a submodule also depends on the packages above it
(except those the importing module is itself inside).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "ceasefire"

#: Cycles known and not yet cut, each with its reason. A new cycle fails the test, and so
#: does cutting one of these without removing it here.
KNOWN_CYCLES: dict[frozenset[str], str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for path in CORE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _targets(module: str, path: Path, node: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The ``ceasefire`` modules an import statement loads."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""][:1])
            base = base.rstrip(".")
        else:
            base = node.module or ""
        names = [f"{base}.{alias.name}" for alias in node.names]
        names = [n if n in modules else base for n in names]
    out = set()
    for name in names:
        while name and name not in modules:  # `import ceasefire.x.y` when y is a name
            name = name.rpartition(".")[0]
        if not name.startswith("ceasefire"):
            continue
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # the packages above run first
            out.add(".".join(parts[:i]))
    own = {".".join(module.split(".")[:i]) for i in range(1, len(module.split(".")) + 1)}
    return out - own


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Module -> the modules it loads (read once per test run; callers do not change it)."""
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= _targets(module, path, node, modules)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_imports_of_every_kind():
    graph = import_graph()
    assert "ceasefire.store.snapshots" in graph["ceasefire.store"]  # from .snapshots import ...
    assert "ceasefire.store.bootstrap" in graph["ceasefire.store.snapshots"]  # from . import ...
    # from ..tables.db import ...: the package above it too
    assert {"ceasefire.tables", "ceasefire.tables.db"} <= graph["ceasefire.store.snapshots"]
    # a submodule's import runs its package first; a module's own package is not an edge
    assert {"ceasefire.queries.counts", "ceasefire.queries.record"} <= graph["ceasefire.queries"]
    assert "ceasefire.queries" not in graph["ceasefire.queries.counts"]
    modules = _modules()
    importing_a_submodule = ast.parse("from .queries.counts import headline").body[0]
    loads = _targets(
        "ceasefire.figures", modules["ceasefire.figures"], importing_a_submodule, modules
    )
    assert loads == {"ceasefire", "ceasefire.queries", "ceasefire.queries.counts"} - {"ceasefire"}
    # a function-level import counts (editing.explain connects inside a function)
    assert "ceasefire.tables.db" in graph["ceasefire.editing.explain"]


def test_the_cycle_finder_finds_a_cycle_through_a_package():
    toy = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(toy) == [{"a", "b", "c"}]


def test_no_import_cycle_in_the_core():
    graph = import_graph()
    unknown, known = [], set()
    for component in cycles(graph):
        key = next((k for k in KNOWN_CYCLES if k <= component), None)
        if key is None:
            unknown.append(sorted(component))
        else:
            known.add(key)
    assert not unknown, f"import cycles: {unknown}"
    assert known == set(KNOWN_CYCLES), "a known cycle was cut: remove it from KNOWN_CYCLES"


# --- layers: nothing imports upward ----------------------------------------------------

#: The core's layers, bottom up (docs/architecture.md's "Layers" says what each is for). A
#: module imports only from its own layer or below. An entry stands for a module and
#: everything under it; the longest entry that matches a module decides its layer (so
#: ``tallies.reads`` sits with the reads although ``tallies`` sits with the writers).
LAYERS: list[tuple[str, list[str]]] = [
    (
        "base: vocabularies, text and the store's tables",
        ["taxonomy", "text", "progress", "sqlparams", "tables"],
    ),
    (
        "reference data and the writers",
        [
            "places",
            "actors",
            "agreements",
            "auth",
            "gazetteer",
            "geo",
            "overrides",
            "records",
            "seed",
            "demo",
            "editing",
            "importers",
            "tallies",
        ],
    ),
    ("the store: a new store's first fill, snapshots, readers and writers", ["store"]),
    (
        "reads, analyses, figures and files",
        [
            "filters",
            "colors",
            "queries",
            "analysis",
            "charts",
            "provenance",
            "alt_text",
            "incident_record",
            "figures",
            "pickmap",
            "package",
            "export",
            "backup",
            "tallies.reads",
            "tallies.chart",
            "tallies.figure",
        ],
    ),
    ("the period brief", ["brief"]),
    ("article drafting", ["draft", "draft_review"]),
    ("entry points", ["cli", "cache", "__main__"]),
]


def layer_of(module: str, layers: list[tuple[str, list[str]]] = LAYERS) -> int | None:
    """The index of ``module``'s layer (the longest matching entry), None if undeclared."""
    best, found = -1, None
    for index, (_, entries) in enumerate(layers):
        for entry in entries:
            name = f"ceasefire.{entry}"
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, found = len(name), index
    return found


def upward_imports(graph: dict[str, set[str]], layers=LAYERS) -> list[str]:
    """Every import of a module from a layer above its own, as "a (layer) -> b (layer)"."""
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets - {"ceasefire"}):  # the root package imports nothing
            mine, theirs = layer_of(module, layers), layer_of(target, layers)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(f"{module} ({layers[mine][0]}) -> {target} ({layers[theirs][0]})")
    return found


def test_every_module_has_a_layer():
    graph = import_graph()
    assert sorted(m for m in graph if m != "ceasefire" and layer_of(m) is None) == []
    assert graph["ceasefire"] == set(), "the root package must import nothing"


def test_no_module_imports_from_a_layer_above_it():
    assert upward_imports(import_graph()) == []


def test_the_layer_check_finds_an_upward_import():
    layers = [("low", ["tables"]), ("high", ["store", "store.x"])]
    toy = {"ceasefire.tables.db": {"ceasefire.store.x"}, "ceasefire.store": {"ceasefire.tables"}}
    assert (
        layer_of("ceasefire.store.x.y", layers) == 1 and layer_of("ceasefire.other", layers) is None
    )
    assert upward_imports(toy, layers) == ["ceasefire.tables.db (low) -> ceasefire.store.x (high)"]


def test_streamlit_is_imported_only_by_the_cache():
    graph_files = _modules()
    users = []
    for module, path in graph_files.items():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                users.append(module)
    assert sorted(set(users)) == ["ceasefire.cache"]


#: SQL a page might hold: a statement keyword followed by its clause, or a call that
#: runs SQL.
_SQL = re.compile(r"\b(SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\b.*\bSET|DELETE\s+FROM)\b", re.S)
_RUNS_SQL = {"execute", "executemany", "sql", "query"}


def test_no_sql_in_the_pages():
    found = []
    for path in sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _SQL.search(node.value)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value[:40]!r}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RUNS_SQL
            ):
                found.append(f"{path.name}:{node.lineno}: .{node.func.attr}(...)")
    assert not found, "SQL belongs in ceasefire/, not in pages: " + "; ".join(found)


def query_calls(source: str) -> list[int]:
    """Lines where ``source`` calls a function of ``ceasefire.queries`` itself (imported
    by name, or read from the imported package or one of its modules)."""
    tree = ast.parse(source)
    package = {
        m for m in _modules() if m == "ceasefire.queries" or m.startswith("ceasefire.queries.")
    }
    names, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ceasefire"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                local = alias.asname or alias.name
                if full in package:
                    modules.add(local)
                elif node.module.startswith("ceasefire.queries"):
                    names.add(local)
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "ceasefire.queries"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            found.append(node.lineno)
        elif isinstance(func, ast.Attribute):
            owner = func.value
            while isinstance(owner, ast.Attribute):
                owner = owner.value
            if isinstance(owner, ast.Name) and owner.id in modules:
                found.append(node.lineno)
    return found


def test_pages_read_queries_only_through_the_cache():
    """One way for a page to read: ``cache.cached_*`` or ``cache.cached_read(query, ...)``,
    keyed by the snapshot (see ceasefire/cache.py), never a query called on a connection."""
    found = [
        f"{path.name}:{line}"
        for path in sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]
        for line in query_calls(path.read_text())
    ]
    assert not found, "call cache.cached_read(query, ...) instead: " + ", ".join(found)


def test_the_query_call_finder_sees_names_modules_and_passing():
    source = (
        "from ceasefire import queries\n"
        "from ceasefire.queries import source_names, TIME_UNITS\n"
        "from ceasefire.queries import record as r\n"
        "queries.incident_detail(con, 1)\n"
        "source_names(con)\n"
        "r.incident_claims(con, 1)\n"
        "cached_read(queries.actor_names)\n"
        "TIME_UNITS.index('week')\n"
    )
    assert query_calls(source) == [4, 5, 6]


def test_pages_end_early_through_stop_page():
    """A page that ends early calls ``stop_page()``, which writes the end-of-run marker the
    browser tests wait for (tests/e2e/waiting.py) before ``st.stop()``: after ``st.stop()``
    nothing more can be drawn, so a bare ``st.stop()`` leaves the tests waiting for a run
    that never says it is over."""
    found = []
    for path in sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]:
        tree = ast.parse(path.read_text())
        allowed = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, ast.FunctionDef)
            and func.name == "stop_page"
            and path.name == "_shared.py"
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "stop"
                and id(node) not in allowed
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, "call stop_page() instead of st.stop(): " + ", ".join(found)


def _module_map() -> set[str]:
    """The paths ``docs/architecture.md``'s module map names: the fenced block after
    "## Module map", one path a line, a folder ending in ``/`` and its files indented
    under it (a package's line stands for its ``__init__.py``)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Module map", 1)[1].split("```", 2)[1]
    named: set[str] = set()
    folders: list[tuple[int, str]] = []
    for line in block.splitlines():
        found = re.match(r"( *)(\S+)", line)
        if not found or not re.fullmatch(r"[\w.]+(\.py|/)", found.group(2)):
            continue
        indent, name = len(found.group(1)), found.group(2)
        while folders and folders[-1][0] >= indent:
            folders.pop()
        path = "".join(folder for _, folder in folders) + name
        named.add(path)
        if name.endswith("/"):
            folders.append((indent, name))
    return named


def test_the_module_map_names_every_module_and_nothing_else():
    in_tree = set()
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        in_tree.add(
            relative.removesuffix("__init__.py") if path.name == "__init__.py" else relative
        )
    named = {path for path in _module_map() if path.startswith("ceasefire/")}
    assert sorted(in_tree - named) == [], "modules missing from docs/architecture.md's map"
    assert sorted(named - in_tree) == [], "the map names modules that do not exist"


def test_the_module_map_parser_sees_nesting():
    named = _module_map()
    assert {"ceasefire/", "ceasefire/editing/", "ceasefire/editing/form.py"} <= named
    assert {"ceasefire/cli/", "ceasefire/cli/common.py"} <= named
    assert "ceasefire/common.py" not in named and "ceasefire/editing/common.py" not in named
    assert "app.py" in named and "ceasefire/app.py" not in named


# --- private names stay in their module --------------------------------------------------

#: ``_name``s of ceasefire/ allowed to be used from another module: none (the charts',
#: the draft's and the pick map's were made public). A new one fails the test; make the
#: name public instead.
PRIVATE_ALLOWED: set[str] = set()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(module: str, source: str, modules: dict[str, Path]) -> set[str]:
    """``_name``s of other ceasefire modules that ``module``'s source uses, as
    "module: owner._name": imported by name (``from .x import _y``, also inside a
    function) or read from an imported module (``x._y`` after ``from . import x``)."""
    path = modules.get(module, Path(module.replace(".", "/") + ".py"))
    tree = ast.parse(source)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    aliases: dict[str, str] = {}  # local name -> ceasefire module it stands for
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    local = alias.asname or alias.name.split(".")[0]
                    aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base not in modules:
                continue
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                elif _is_private(alias.name):
                    found.add(f"{module}: {base}.{alias.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _is_private(node.attr)
            and aliases[node.value.id] != module
        ):
            found.add(f"{module}: {aliases[node.value.id]}.{node.attr}")
    return found


def test_the_private_name_finder_sees_imports_and_attributes():
    modules = _modules()
    source = (
        "from .rows import _insert, fetch\n"
        "from ..tables import derive\n"
        "import ceasefire.tables.db as database\n"
        "def f():\n"
        "    from ..overrides import _secret as s\n"
        "    return derive._HIDDEN, database._cfg(), derive.__name__, derive.PUBLIC\n"
    )
    assert private_uses("ceasefire.editing.claims", source, modules) == {
        "ceasefire.editing.claims: ceasefire.editing.rows._insert",
        "ceasefire.editing.claims: ceasefire.overrides._secret",
        "ceasefire.editing.claims: ceasefire.tables.derive._HIDDEN",
        "ceasefire.editing.claims: ceasefire.tables.db._cfg",
    }
    # a page (outside the package) is read too
    assert private_uses("pages.x", "from ceasefire.queries import counts\ncounts._q", modules) == {
        "pages.x: ceasefire.queries.counts._q"
    }


def test_no_private_name_is_used_from_another_module():
    """What one module uses from another is its public face: a ``_name`` means "only
    here", so a reader may change it without looking elsewhere. Checked for every module
    of ceasefire/, the pages and app.py."""
    modules = _modules()
    found: set[str] = set()
    for module, path in modules.items():
        found |= private_uses(module, path.read_text(), modules)
    for path in sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found |= private_uses(module, path.read_text(), modules)
    new = sorted(found - PRIVATE_ALLOWED)
    assert not new, "make these public (or keep them in their module): " + "; ".join(new)
    fixed = sorted(PRIVATE_ALLOWED - found)
    assert not fixed, "no longer used across modules: remove from PRIVATE_ALLOWED: " + "; ".join(
        fixed
    )
