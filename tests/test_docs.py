"""The documentation keeps up with the code: README.md lists every CLI command with each of its options,
docs/kpi-definitions.md defines every KPI of the registry (and no code the registry lacks), and every link of the
project's Markdown leads to a file of the project."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from etl.cli import _parser
from warehouse.kpis import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
KPI_DOC = (ROOT / "docs" / "kpi-definitions.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\(([^()\s]+)\)")
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", "node_modules", "build", "dist"}


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[str]]:
    """Every command the parser runs (("load",), ("users", "add"), ("report",), ("report", "import-text"), …) and its
    long options (not --help); a command with subcommands counts when it runs on its own too (it has options)."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(commands(sub, prefix + (name,)))
    options = [s for a in parser._actions for s in a.option_strings if s.startswith("--") and s != "--help"]
    if prefix and (options or not found):
        found[prefix] = options
    return found


def mentioned(word: str, text: str) -> bool:
    """The word (a command or an option) stands in the text on its own, not as part of a longer one."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def command_lines(command: str) -> str:
    """The README's command-list lines of a top-level command (`.venv/bin/python -m etl COMMAND …`)."""
    return "\n".join(line for line in README.splitlines() if re.match(rf"\s+\S*python -m etl {command}(\s|$)", line))


def test_commands_are_found_with_their_options():
    found = commands(_parser())
    assert {"load", "status", "rollback", "quarantine", "kpis", "report", "demo"} <= {c[0] for c in found}
    assert ("users", "reset-password") in found and "--password-stdin" in found[("users", "reset-password")]
    assert ("users",) not in found and {"--format", "--final"} <= set(found[("report",)])
    assert "--overwrite" in found[("report", "import-text")]
    assert {"--replace", "--dry-run", "--no-progress", "--warehouse", "--mapping"} <= set(found[("load",)])
    assert not mentioned("--dry", "--dry-run") and mentioned("--dry-run", "[--dry-run] [--no-progress]")


def test_the_readme_lists_every_command_with_each_of_its_options():
    found = commands(_parser())
    common = set.intersection(*(set(options) for options in found.values()))   # every command takes them
    assert common == {"--warehouse", "--mapping"}
    missing = [option for option in sorted(common) if not mentioned(option, README)]
    for command, options in found.items():
        lines = command_lines(command[0])
        if not lines:
            missing.append(f"python -m etl {command[0]}")
            continue
        missing += [" ".join(command) for word in command[1:] if not mentioned(word, lines)]
        missing += [f"{' '.join(command)} {option}" for option in options
                    if option not in common and not mentioned(option, lines)]
    assert not missing, f"README.md's command list lacks: {missing}"


def test_the_kpi_definitions_name_every_registry_code_and_no_other():
    assert len(REGISTRY) > 20
    assert [code for code in REGISTRY if not re.search(rf"(?<!\w){code}(?!\w)", KPI_DOC)] == []
    table = re.search(r"^\| code \|.*?\n((?:\|.*\n)+)", KPI_DOC, re.M)
    assert table, "docs/kpi-definitions.md has no table of codes"
    named = {word for row in table.group(1).splitlines()[1:] for word in re.findall(r"\w+", row.split("|")[1])}
    assert named and named <= set(REGISTRY), named - set(REGISTRY)


def markdown_files() -> list[Path]:
    """The project's Markdown files (not those of installed packages)."""
    return sorted(p for p in ROOT.rglob("*.md") if not SKIPPED_DIRS.intersection(p.relative_to(ROOT).parts))


def test_the_readme_links_the_design_and_every_link_leads_to_a_file_of_the_project():
    assert {"docs/design.md", "docs/architecture.md", "docs/kpi-definitions.md"} <= set(LINK.findall(README))
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    assert "architecture.md" in LINK.findall(design)
    checked, broken = 0, []
    for doc in markdown_files():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue                                           # a web address or an anchor on the page
            path = (doc.parent / target.split("#")[0]).resolve()
            checked += 1
            if not path.is_relative_to(ROOT) or not path.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert checked >= 5 and not broken, broken
