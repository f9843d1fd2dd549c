"""Imports point one way, as the panel's importBoundaries test checks for TypeScript.

Every module's imports are read with `ast` (imports inside functions and under TYPE_CHECKING
included) and checked against the layers below. A new package must be given a layer here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "cpa_manager_desktop"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# Lower rank = lower layer. A module may import its own unit, or a unit of a strictly lower rank;
# units of the same rank never import each other (rank 0, the basic modules, excepted).
RANKS: dict[str, int] = {
    # basic: usable from anywhere, importing no higher layer
    "__init__": 0, "errors": 0, "paths": 0, "config": 0, "logs": 0, "redact": 0, "memory": 0,
    "instance": 0, "assets": 0,
    "store": 1,
    "cpa": 2,                                    # the HTTP/RESP client for CPA
    "ingest": 3,
    "prices": 4,
    "collector": 5, "analytics": 5, "transfer": 5, "quota": 5,
    "service": 6,                                # shared by HTTP and the tray
    "watch": 7,                                  # budgets, alerts, coverage: watch the services' figures
    "web": 8, "desktop": 8,                      # edges
    "app": 9,                                    # the composition root
    "cli": 10, "__main__": 11,                   # the command line: parses arguments, calls the root
}
EDGES = frozenset({"web", "desktop"})
MIGRATIONS = f"{PACKAGE}.store.migrations"
# Frozen history: a migration may use only these, never today's schema or any other current code.
MIGRATION_MAY_IMPORT = (MIGRATIONS, f"{PACKAGE}.errors")
# ...and current code does not borrow from history: only the database runs the migrations.
MIGRATIONS_RUN_BY = f"{PACKAGE}.store.db"


@dataclass(frozen=True)
class Edge:
    source: str          # importing module, dotted
    target: str          # imported module, dotted
    names: tuple[str, ...]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "__pyinstaller" not in p.parts}


def _is_package(module: str, modules: dict[str, Path]) -> bool:
    return modules.get(module, Path()).name == "__init__.py"


def _resolve(node: ast.ImportFrom, source: str, modules: dict[str, Path]) -> str:
    if not node.level:
        return node.module or ""
    base = source.split(".")
    if not _is_package(source, modules):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(modules: dict[str, Path]) -> list[Edge]:
    edges = []
    for source, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges += [Edge(source, a.name, ()) for a in node.names if a.name.startswith(PACKAGE)]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(node, source, modules)
                if not target.startswith(PACKAGE):
                    continue
                names = tuple(a.name for a in node.names)
                # `from pkg import module` imports the module itself.
                submodules = [n for n in names if f"{target}.{n}" in modules]
                edges += [Edge(source, f"{target}.{n}", ()) for n in submodules]
                rest = tuple(n for n in names if n not in submodules)
                if rest or not submodules:
                    edges.append(Edge(source, target, rest))
    return edges


def unit_of(module: str) -> str:
    """The layer unit: the first part below the package (`store`, `web`, `errors`), `__init__` for the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _violations() -> list[str]:
    modules = _modules()
    problems = [f"{m}: its unit {unit_of(m)!r} has no layer in RANKS" for m in modules if unit_of(m) not in RANKS]
    for edge in _imports(modules):
        problems += _check(edge)
    return problems


def _check(edge: Edge) -> list[str]:
    problems = []
    src_unit, dst_unit = unit_of(edge.source), unit_of(edge.target)
    src_rank, dst_rank = RANKS.get(src_unit), RANKS.get(dst_unit)
    line = f"{edge.source} imports {edge.target}"
    known = src_rank is not None and dst_rank is not None
    if known and src_unit != dst_unit and (dst_rank > src_rank or (dst_rank == src_rank and src_rank != 0)):
        problems.append(f"{line}: {src_unit} (layer {src_rank}) may not import {dst_unit} (layer {dst_rank})")
    if src_unit in EDGES and dst_unit == "store":
        problems.append(f"{line}: edges reach the store through the service layer")
    if edge.source.startswith(MIGRATIONS) and not edge.target.startswith(MIGRATION_MAY_IMPORT):
        problems.append(f"{line}: a migration is frozen history and may not import current code")
    if edge.target.startswith(MIGRATIONS) and not edge.source.startswith((MIGRATIONS, MIGRATIONS_RUN_BY)):
        problems.append(f"{line}: current code takes today's schema from store.schema, not from a migration")
    private = [n for n in edge.names if n.startswith("_") and not n.startswith("__")]
    if private and src_unit != dst_unit:
        problems.append(f"{line}: private names {private} of another package")
    return problems


def test_imports_point_down_the_layers() -> None:
    problems = _violations()
    assert problems == [], "\n".join(problems)


SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX))\b")


def test_sql_lives_only_in_the_store() -> None:
    found = []
    for module, path in _modules().items():
        if unit_of(module) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                found.append(f"{module}:{node.lineno}: {node.value[:60]!r}")
    assert found == [], "\n".join(found)


def test_the_check_sees_a_violation() -> None:
    """The checker itself: an upward, a private and a migration import are each reported."""
    assert _check(Edge(f"{PACKAGE}.store.db", f"{PACKAGE}.web.api", ()))
    assert _check(Edge(f"{PACKAGE}.web.routes", f"{PACKAGE}.store.db", ()))
    assert _check(Edge(f"{PACKAGE}.collector.consumer", f"{PACKAGE}.analytics.service", ()))
    assert _check(Edge(f"{PACKAGE}.web.routes", f"{PACKAGE}.service.controller", ("_private",)))
    assert _check(Edge(f"{MIGRATIONS}.m0003_narrow_rollups", f"{PACKAGE}.store.schema", ()))
    assert _check(Edge(f"{PACKAGE}.store.events", MIGRATIONS, ("LABEL_STATEMENTS",)))
    assert _check(Edge(f"{PACKAGE}.service.controller", f"{PACKAGE}.store.db", ("Database",))) == []
    assert _check(Edge(f"{PACKAGE}.config", f"{PACKAGE}.errors", ())) == []
