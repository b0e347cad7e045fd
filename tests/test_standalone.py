"""The project stands on its own: no file of the checkout refers to a path outside it, so a clone with nothing
beside it runs, tests and documents itself. The checker is tried on a planted tree first, so it can fail."""
from __future__ import annotations

import ast
import re
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules",
                "build", "dist"}
# Files whose paths out of the tree are samples on purpose, and why.
SAMPLES = {"tests/test_upload.py": "hostile upload names that the upload must strip",
           "tests/test_standalone.py": "the checker's own planted tree"}
# A relative path that starts by going up (`..`, `../x`), as links, scripts and code write it.
UP = re.compile(r"(?<![\w.])\.\.(?=/|[\"'\s)`]|$)(?:/[^\s'\"`)\]>,;|]*)?")


def project_files(root: Path) -> list[Path]:
    """Every text file of the tree (not the virtual environment, Git's own files or caches)."""
    out = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if (not path.is_file() or SKIPPED_DIRS.intersection(parts) or any(p.endswith(".egg-info") for p in parts)):
            continue
        try:
            path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue                                   # binary: a warehouse file, a font, a picture
        out.append(path)
    return out


def inside(path: Path, root: Path) -> bool:
    """Whether the path, resolved, lies in the root folder."""
    return path.resolve().is_relative_to(root.resolve())


def climbs(node: ast.AST) -> int | None:
    """How many folders up from the file an expression on __file__ goes (parents[k], .parent chains, dirname
    calls); None when it is not such an expression."""
    if isinstance(node, ast.Name) and node.id == "__file__":
        return 0
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "resolve":
            return climbs(node.func.value)
        if isinstance(node.func, ast.Name) and node.func.id == "Path" and node.args:
            return climbs(node.args[0])
        if getattr(node.func, "attr", getattr(node.func, "id", None)) == "dirname" and node.args:
            inner = climbs(node.args[0])
            return None if inner is None else inner + 1
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = climbs(node.value)
        return None if inner is None else inner + 1
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
        inner = climbs(node.value.value)
        return None if inner is None else inner + 1 + node.slice.value
    return None


def python_climbs(source: str) -> list[tuple[int, int]]:
    """(line, folders up) of every outermost path expression on __file__ in the source (the file itself is 0 up,
    its folder 1)."""
    found, seen = [], set()
    for node in ast.walk(ast.parse(source)):
        up = climbs(node)
        if up is not None and not any(id(node) in s for s in seen):
            found.append((node.lineno, up))
            seen.add(frozenset(id(n) for n in ast.walk(node)))
    return found


def outside_references(root: Path) -> list[str]:
    """'file:line: what' for every reference of a file of the tree to a path outside it."""
    root = root.resolve()
    surroundings = root.parent
    scratch = surroundings in (Path("/"), Path(tempfile.gettempdir()).resolve())
    problems = []
    for path in project_files(root):
        name = path.relative_to(root).as_posix()
        depth = len(path.relative_to(root).parts) - 1          # folders between the root and the file
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if name not in SAMPLES:
                for m in UP.finditer(line):          # relative to the file's folder, as links and `dirname $0` are
                    if not inside(path.parent / m.group(0), root):
                        problems.append(f"{name}:{number}: {m.group(0)}")
            if not scratch:
                for m in re.finditer(re.escape(str(surroundings)) + r"/[^\s'\"`)\]>,;|]*", line):
                    if not inside(Path(m.group(0)), root):
                        problems.append(f"{name}:{number}: {m.group(0)}")
        if path.suffix == ".py":
            for number, up in python_climbs(text):
                if up > depth + 1:
                    problems.append(f"{name}:{number}: __file__ {up} folders up")
    return problems


def test_no_file_of_the_project_refers_to_a_path_outside_it():
    assert len(project_files(ROOT)) > 100
    assert outside_references(ROOT) == []


def test_the_checker_finds_each_way_out_of_the_tree(tmp_path):
    root = tmp_path / "project"
    beside = tmp_path / "shared" / "reference"
    for relative, text in {
        "README.md": "The design is in `../shared/DESIGN.md`; the parts in [docs](docs/architecture.md).\n",
        "docs/architecture.md": "See [the notes](../../notes.md) and [the README](../README.md).\n",
        "tests/conftest.py": "from pathlib import Path\n"
                             "A = Path(__file__).resolve().parents[2] / 'shared'\n"
                             "B = Path(__file__).resolve().parents[1] / 'tests' / 'reference'\n"
                             "C = Path(__file__).parent.parent.parent / 'x'\n"
                             "D = Path(__file__).resolve().parent / 'reference'\n",
        "tests/helper.py": "import os\nE = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))\n",
        "scripts/setup.sh": 'cd "$(dirname "$0")/.."\ncd "$(dirname "$0")/../.."\n',
        "etl/paths.py": f"REFERENCE = '{beside}/figures.csv'\nOWN = '{root}/tests/reference'\n",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    (root / "warehouse.duckdb").write_bytes(b"\x00\xff\xfe binary")
    assert outside_references(root) == [
        "README.md:1: ../shared/DESIGN.md",
        "docs/architecture.md:1: ../../notes.md",
        f"etl/paths.py:1: {beside}/figures.csv",
        "scripts/setup.sh:2: ../..",
        "tests/conftest.py:2: __file__ 3 folders up",
        "tests/conftest.py:4: __file__ 3 folders up",
        "tests/helper.py:2: __file__ 3 folders up",
    ]
