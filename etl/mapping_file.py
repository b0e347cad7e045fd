"""Writing the site mapping file: a [[file]] entry for the files whose headers the built-in lists do not know.

The app's column mapper (app/mapper.py) collects, for one refused file, its kind, which header holds which
canonical column and a fixed value for each required column the file lacks. This module

- finds what such a file holds (`unknown_file`: its headers, first rows and the kinds it comes closest to),
- checks a mapping before it is saved (`entry_problems`, `trial_problems`),
- writes it as TOML (`mapping_entry_toml`) and adds it to the mapping file (`append_file_entry`): the whole new
  text is read back with `read_site_mapping` before it replaces the file (a temporary file beside it, then
  os.replace), so a file that would not read, or would read differently than meant, is never written.

An entry is appended after the existing content. When an earlier [[file]] entry would take the same file (the
first matching pattern wins), the new one goes in front of the [[file]] entries instead, so that it applies.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl.clean import halfwidth, parse_bool, parse_date, parse_datetime, parse_enum, parse_int, parse_number
from etl.mapping import (FileRule, MappingError, SiteMapping, UnknownKind, header_map, looks_like_header,
                         normalize_header, read_site_mapping, recognise_kind)
from etl.read import ROW, UnreadableFile, read_table
from warehouse.sources import KINDS, SourceKind

MAPPER_PREVIEW_ROWS = 10
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_FILE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*(?:file|\"file\"|'file')[ \t]*\]\]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# TOML ---------------------------------------------------------------------------------------------------


def toml_string(text: str) -> str:
    """text as a TOML basic string: quotes, backslashes and control characters escaped, the rest as written."""
    out = []
    for ch in str(text):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(text: str) -> str:
    """A TOML key: bare when it is letters, digits, - and _ only, else a quoted basic string."""
    return text if _BARE_KEY.match(text) else toml_string(text)


def mapping_entry_toml(pattern: str, kind: str, headers: dict[str, str], constants: dict[str, str] | None = None,
                       note: str | None = None) -> str:
    """A [[file]] entry as TOML text: pattern, kind, [file.headers] (header as written = canonical column) and
    [file.constants] (canonical column = value), preceded by a comment line when note is given."""
    lines = []
    if note:
        lines.append("# " + " ".join(_CONTROL.sub(" ", note).split()))
    lines += ["[[file]]", f"pattern = {toml_string(pattern)}", f"kind = {toml_string(kind)}"]
    if headers:
        lines += ["", "[file.headers]"] + [f"{toml_string(h)} = {toml_string(c)}" for h, c in headers.items()]
    if constants:
        lines += ["", "[file.constants]"] + [f"{toml_key(c)} = {toml_string(v)}" for c, v in constants.items()]
    return "\n".join(lines) + "\n"


def file_rule(pattern: str, kind: str, headers: dict[str, str], constants: dict[str, str] | None = None) -> FileRule:
    """The rule read_site_mapping makes of such an entry."""
    return FileRule(headers={normalize_header(h): c for h, c in headers.items()},
                    constants={c: str(v) for c, v in (constants or {}).items()}, pattern=pattern, kind=kind)


def with_rule(mapping: SiteMapping, rule: FileRule) -> SiteMapping:
    """The mapping with rule as its first [[file]] entry (what a saved entry does for the files it is for)."""
    return dataclasses.replace(mapping, files=[rule, *mapping.files])


def _read(path: Path) -> SiteMapping:
    """read_site_mapping, any failure to read the file a MappingError."""
    try:
        return read_site_mapping(path)
    except MappingError:
        raise
    except Exception as exc:  # a TOML that parses but has an unexpected shape (file = "…")
        raise MappingError(f"mapping file {path.name} does not read as a site mapping "
                           f"({type(exc).__name__}: {exc})") from exc


def _read_text(path: Path) -> tuple[str, SiteMapping]:
    """The mapping file's text and what it says (an empty text when the file does not exist yet)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", SiteMapping(path=path)
    return text, _read(path)


def _with_entry(text: str, entry: str, first: bool) -> str:
    """The mapping text with the entry appended, or (first) put before the first [[file]] entry and the comment
    lines right above it."""
    if first:
        lines = text.splitlines(keepends=True)
        at = next((i for i, line in enumerate(lines) if _FILE_HEADER.match(line)), None)
        if at is not None:
            while at > 0 and lines[at - 1].lstrip().startswith("#"):
                at -= 1
            before = "".join(lines[:at])
            gap = "\n" if before.strip() and not before.endswith("\n\n") else ""
            return before + gap + entry + "\n" + "".join(lines[at:])
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text.strip() else "") + entry


def _parsed(text: str, folder: Path) -> SiteMapping:
    """What read_site_mapping makes of a mapping text (written to a temporary file in folder)."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=".mapping-check-", suffix=".toml",
                                     delete=False) as handle:
        handle.write(text)
    try:
        return _read(Path(handle.name))
    finally:
        os.unlink(handle.name)


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock beside the mapping file, so that two saves never lose each other's entry."""
    with open(path.with_name(path.name + ".lock"), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_file_entry(path: Path, pattern: str, kind: str, headers: dict[str, str],
                      constants: dict[str, str] | None = None, file_name: str | None = None,
                      note: str | None = None) -> SiteMapping:
    """Add a [[file]] entry to the site mapping file (created when missing) and return the mapping it now holds.

    The existing text stays as it is. The entry is appended, or put before the existing [[file]] entries when one
    of them would otherwise take file_name. The new text is read back with read_site_mapping and compared with
    what was meant before it atomically replaces the file; MappingError (nothing written) when it differs or
    does not read.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise MappingError(f"mapping file {path}: its folder {path.parent} does not exist")
    rule = file_rule(pattern, kind, headers, constants)
    if KINDS.get(kind) is None:
        raise MappingError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    entry = mapping_entry_toml(pattern, kind, headers, constants, note)
    with _locked(path):
        text, old = _read_text(path)
        shadowed = file_name is not None and old.file_rule(file_name) is not None
        new_text = _with_entry(text, entry, first=shadowed)
        try:
            new = _parsed(new_text, path.parent)
        except MappingError as exc:
            raise MappingError(f"the entry would make the mapping file unreadable; nothing was written ({exc})") from exc
        at = 0 if shadowed else len(old.files)
        expected = [*old.files[:at], rule, *old.files[at:]]
        if new.kinds != old.kinds or new.files != expected:
            raise MappingError("the mapping file would not read back as meant; nothing was written")
        new.path = path
        _write_atomically(path, new_text)
    return new


def _write_atomically(path: Path, text: str) -> None:
    """Replace path's content by text: a temporary file beside it, flushed to disk, then os.replace."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# What a refused file holds ------------------------------------------------------------------------------


@dataclass
class UnknownFile:
    """A file refused because its kind is unknown or it lacks required columns: what the mapper needs of it."""

    name: str                           # the file's name as its user knows it
    headers: list[str]
    first_rows: pl.DataFrame            # the first rows as text, "__row" the row number a spreadsheet shows
    candidates: list[str]               # kind names, the closest first (may be empty)
    reason_zh: str
    reason_en: str
    sheet: str | None = None
    closest: str = "inspection"         # the kind to preset: the first candidate, else the kind mapping most headers
    samples: dict[str, list[str]] = field(default_factory=dict)   # header -> first distinct values


def unknown_file(path: Path, mapping: SiteMapping, name: str | None = None) -> UnknownFile | None:
    """What the mapper needs of a file whose kind is unknown or that lacks required columns; None for a file that
    is recognised, or that cannot be read as a table at all (a mapping cannot help those)."""
    name = name or Path(path).name
    entry = mapping.file_rule(name)
    sheet = entry.sheet if entry is not None else None
    try:
        raw = read_table(path, sheet=sheet, header_hint=lambda cells: looks_like_header(cells, mapping))
    except UnreadableFile:
        return None
    headers = [c for c in raw.frame.columns if c != ROW]
    try:
        recognise_kind(headers, mapping, name)
        return None
    except UnknownKind as exc:
        candidates = [k.name for k in exc.candidates]
        reason_zh, reason_en = exc.reason_zh, str(exc)
    first = raw.frame.select(ROW, *headers).head(MAPPER_PREVIEW_ROWS)
    closest = candidates[0] if candidates else max(
        KINDS, key=lambda k: (len(header_map(KINDS[k], headers, mapping, name)), -list(KINDS).index(k)))
    samples = {h: [str(v) for v in first[h].drop_nulls().unique(maintain_order=True).head(3).to_list()]
               for h in headers}
    return UnknownFile(name, headers, first, candidates, reason_zh, reason_en, raw.sheet, closest, samples)


def preset_columns(kind: str, headers: list[str], mapping: SiteMapping, file_name: str) -> dict[str, str]:
    """Header -> canonical column, as the built-in names and the site mapping already read them for this kind."""
    return header_map(KINDS[kind], headers, mapping, file_name)


def wildcard_pattern(file_name: str) -> str:
    """A file-name pattern for the exports like this one: every run of digits a *, wildcard characters of the
    name itself taken literally (到货单2021-03.csv -> 到货单*-*.csv)."""
    name = Path(str(file_name)).name
    escaped = re.sub(r"[\[?*]", lambda m: f"[{m.group()}]", name)
    return re.sub(r"\d+", "*", escaped)


def broad_pattern(pattern: str) -> bool:
    """Whether a pattern names nothing but wildcards, punctuation and an extension (it would take every file of
    that type)."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", pattern.strip())
    return not re.sub(r"[\s*?\[\]._\-–—()（）]", "", stem)


# Checks before saving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why one field of the mapper is not right yet: a message code (app/i18n.py key) and its values."""

    code: str
    values: dict = field(default_factory=dict)


def _constant_reads(kind: SourceKind, column: str, text: str, mapping: SiteMapping, file_name: str) -> bool:
    """Whether a fixed value reads as the column's type (a date as a date, a stage as one of the stages)."""
    col = kind.column(column)
    spellings = mapping.value_spellings(kind, column, file_name)
    expr = pl.col("v")
    typed = {"str": lambda: halfwidth(expr), "int": lambda: parse_int(expr), "float": lambda: parse_number(expr),
             "date": lambda: parse_date(expr), "datetime": lambda: parse_datetime(expr),
             "bool": lambda: parse_bool(expr, spellings), "enum": lambda: parse_enum(expr, spellings)}[col.dtype]()
    return pl.DataFrame({"v": [text]}).select(typed.alias("v"))["v"][0] is not None


def entry_problems(kind: str, columns: dict[str, str | None], constants: dict[str, str], pattern: str,
                   file_name: str, mapping: SiteMapping) -> dict[str, Problem]:
    """What is wrong with a mapping for one file, by field: "header:<header>", "constant:<column>", "pattern".

    columns: every header of the file -> the canonical column chosen for it (None: not loaded).
    constants: a fixed value per required column that no header is chosen for.
    """
    source = KINDS[kind]
    problems: dict[str, Problem] = {}
    by_column: dict[str, list[str]] = {}
    for header, column in columns.items():
        if column:
            by_column.setdefault(column, []).append(header)
    for column, headers in by_column.items():
        if len(headers) > 1:
            for header in headers:
                problems[f"header:{header}"] = Problem("mapper_err_twice", {
                    "column": column, "others": [h for h in headers if h != header]})
    for column in source.required:
        if column in by_column:
            continue
        value = (constants.get(column) or "").strip()
        if not value:
            problems[f"constant:{column}"] = Problem("mapper_err_required", {"column": column})
        elif not _constant_reads(source, column, value, mapping, file_name):
            problems[f"constant:{column}"] = Problem("mapper_err_constant", {"column": column, "value": value})
    pattern = pattern.strip()
    if not pattern:
        problems["pattern"] = Problem("mapper_err_pattern_empty")
    elif not FileRule(pattern=pattern).matches(file_name):
        problems["pattern"] = Problem("mapper_err_pattern_other", {"name": file_name})
    if problems:
        return problems
    # the entry as the loader will read it: every header must then be taken as chosen
    rule = file_rule(pattern, kind, {h: c for h, c in columns.items() if c}, _used_constants(source, columns, constants))
    effective = header_map(source, list(columns), with_rule(mapping, rule), file_name)
    for header, column in columns.items():
        if effective.get(header) != column:
            taken = effective.get(header)
            problems[f"header:{header}"] = (Problem("mapper_err_builtin", {"column": taken}) if column is None
                                            else Problem("mapper_err_not_taken", {"column": column}))
    return problems


def _used_constants(source: SourceKind, columns: dict[str, str | None], constants: dict[str, str]) -> dict[str, str]:
    """The fixed values that apply: for required columns no header is chosen for, non-empty."""
    chosen = {c for c in columns.values() if c}
    return {c: constants[c].strip() for c in source.required if c not in chosen and (constants.get(c) or "").strip()}


def entry_parts(kind: str, columns: dict[str, str | None], constants: dict[str, str]) -> tuple[dict, dict]:
    """(headers, constants) to write: the headers chosen for a column, the fixed values that apply."""
    return {h: c for h, c in columns.items() if c}, _used_constants(KINDS[kind], columns, constants)


@dataclass(frozen=True)
class Trial:
    """A file staged and checked under a mapping that is not saved yet."""

    rows: int
    bad_rows: int
    refusal_zh: str | None = None
    refusal_en: str | None = None
    example_zh: str | None = None
    example_en: str | None = None


def trial_load(path: Path, file_name: str, mapping: SiteMapping, rule: FileRule) -> Trial:
    """Stage the file as the mapping with rule would (no warehouse is touched): its rows and those with values
    that cannot be read, or why it would still be refused."""
    from etl.load import FileOutcome, staged_or_refused

    staged = staged_or_refused(Path(path), "", with_rule(mapping, rule), file_name)
    if isinstance(staged, FileOutcome):
        return Trial(0, 0, staged.reason_zh, staged.reason_en)
    bad = {f.index for f in staged.parse_failures}
    first = staged.parse_failures[0] if staged.parse_failures else None
    return Trial(staged.frame.height, len(bad),
                 example_zh=f"第 {first.source_row} 行 {first.value!r}：{first.reason_zh}" if first else None,
                 example_en=f"row {first.source_row}, {first.value!r}: {first.reason_en}" if first else None)


def saved_note(actor: str | None, file_name: str, when: dt.datetime | None = None) -> str:
    """The comment line above a saved entry: when, by whom, for which file."""
    when = when or dt.datetime.now()
    return f"{when:%Y-%m-%d %H:%M} {actor or '?'}: columns of {file_name} mapped in the app"
