"""The parts import only what docs/architecture.md allows them: every import of every project .py file (at the top,
inside functions, relative ones resolved, importlib.import_module of a fixed name) is checked against the rules."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {".venv", "venv", ".git", "__pycache__", "build", "dist", "node_modules"}
PARTS = ("warehouse", "etl", "expectations", "presentation", "demo", "app", "scripts", "tests")
# What each part may import besides itself: a part name allows it and its submodules, "=name" its root only.
ALLOWED: dict[str, set[str]] = {
    "warehouse": set(),
    "expectations": {"warehouse"},
    "presentation": {"warehouse"},
    "demo": {"warehouse"},
    "etl": {"warehouse", "expectations"},
    "app": {"warehouse", "=etl", "=presentation", "=expectations"},
    "scripts": set(PARTS),
    "tests": set(PARTS),
}
# Single modules allowed more than their part: `etl demo` writes the demo exports, and `etl report` writes the
# annual report through the presentation package's API (the CLI serves both; see docs/architecture.md).
MODULE_ALLOWED: dict[str, set[str]] = {
    "etl.commands": {"demo", "=presentation"},
}


def is_project_module(name: str) -> bool:
    """True when the dotted name is a module or package of this project's tree."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def module_of(path: Path, root: Path = ROOT) -> tuple[str, bool]:
    """The dotted module name of a project file, and whether it is a package's __init__."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def resolved(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name a relative import (level dots, then target) means inside module."""
    if not level:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(base) - 1:
        raise ValueError(f"relative import beyond the top package in {module}")
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports(source: str, module: str, is_package: bool = False,
            is_module: Callable[[str], bool] = is_project_module) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in the source, wherever it stands. `from X import a` imports X.a
    when that is a module, else X; importlib.import_module("X") and __import__("X") with a fixed name count too."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = resolved(module, is_package, node.level, node.module)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield node.lineno, sub if alias.name != "*" and is_module(sub) else base
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module"
                   or getattr(node.func, "id", None) in ("import_module", "__import__"))):
            yield node.lineno, node.args[0].value


def allowed(importer: str, target: str) -> bool:
    """May the module importer import target?"""
    part, top = importer.split(".")[0], target.split(".")[0]
    if top not in PARTS or top == part:
        return True
    rules = ALLOWED.get(part, set()) | MODULE_ALLOWED.get(importer, set())
    return top in rules or (f"={top}" in rules and target == top)


def violations(source: str, module: str, is_package: bool = False,
               is_module: Callable[[str], bool] = is_project_module) -> list[str]:
    """'module:line imports target' for every import of the source that its part may not make."""
    found = dict.fromkeys(imports(source, module, is_package, is_module))  # one per line and module, in order
    return [f"{module}:{line} imports {target}" for line, target in found if not allowed(module, target)]


def project_files(root: Path = ROOT) -> list[Path]:
    """Every .py file of the project (not the virtual environment or build output)."""
    return sorted(p for p in root.rglob("*.py")
                  if not SKIPPED_DIRS.intersection(p.relative_to(root).parts[:-1])
                  and not any(part.startswith(".") for part in p.relative_to(root).parts[:-1]))


def test_every_part_imports_only_what_it_may():
    files = project_files()
    assert len(files) > 50 and {module_of(p)[0].split(".")[0] for p in files} >= set(PARTS)
    outside = [str(p.relative_to(ROOT)) for p in files if module_of(p)[0].split(".")[0] not in PARTS]
    assert not outside, f"files outside every part (add the part to docs/architecture.md and here): {outside}"
    found = []
    for path in files:
        module, is_package = module_of(path)
        found += violations(path.read_text(encoding="utf-8"), module, is_package)
    assert not found, "imports the architecture does not allow (docs/architecture.md):\n" + "\n".join(found)


def test_the_checker_finds_a_forbidden_import_wherever_it_stands():
    source = (
        "import os\n"
        "from warehouse.kpis import REGISTRY\n"
        "from . import tables\n"
        "def build():\n"
        "    from etl.load import load_paths\n"                  # line 5: presentation may not import etl
        "    import app.data\n"                                  # line 6: nor the app
        "    return importlib.import_module('expectations')\n")  # line 7: nor expectations, even by name
    assert violations(source, "presentation.report.document", is_module=lambda name: False) == [
        "presentation.report.document:5 imports etl.load", "presentation.report.document:6 imports app.data",
        "presentation.report.document:7 imports expectations"]
    assert violations("import duckdb\nfrom warehouse import db\n", "expectations.rules") == []
    assert violations("from expectations import validate_batch\n", "warehouse.kpis") == [
        "warehouse.kpis:1 imports expectations"]
    assert violations("from demo import write_demo_exports\n", "etl.load") == ["etl.load:1 imports demo"]
    assert violations("from demo import write_demo_exports\n", "etl.commands") == []


def test_the_app_imports_etl_presentation_and_expectations_only_through_their_roots():
    def modules(name: str) -> bool:
        return name in {"etl.load", "etl.upload", "presentation.report", "app.data"}

    ok = "from etl import load_paths\nimport presentation\nfrom expectations import warm_up\nfrom warehouse.db import x\n"
    assert violations(ok, "app.views.refresh", is_module=modules) == []
    bad = ("from etl.load import load_paths\n"     # a submodule by name
           "from etl import upload\n"             # a submodule through the root
           "import presentation.report\n"
           "from demo import write_demo_exports\n")
    assert violations(bad, "app.views.refresh", is_module=modules) == [
        "app.views.refresh:1 imports etl.load", "app.views.refresh:2 imports etl.upload",
        "app.views.refresh:3 imports presentation.report", "app.views.refresh:4 imports demo"]


def test_relative_imports_are_resolved_inside_their_package():
    assert resolved("app.views.upload", False, 2, "data") == "app.data"
    assert resolved("presentation.report", True, 1, "tables") == "presentation.report.tables"
    assert resolved("etl.load", False, 1, None) == "etl"
    assert list(imports("from ..data import app_settings\n", "app.views.upload", is_module=lambda n: False)) == [
        (1, "app.data")]
    assert list(imports("from . import checks\n", "presentation.report.document",
                        is_module=lambda n: n == "presentation.report.checks")) == [(1, "presentation.report.checks")]
    with pytest.raises(ValueError):
        resolved("warehouse.db", False, 3, "etl")
