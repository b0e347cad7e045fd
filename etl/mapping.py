"""Header mapping: recognise a file's source kind from its headers and map them to canonical columns.

A site mapping file (TOML) adds header names and value spellings without code changes:

    [inspection]
    sheet = "检验记录"                 # XLSX sheet to read for this kind (optional)
    [inspection.headers]
    "质检单号" = "id"                  # header as written -> canonical column
    [inspection.values.result]
    "OK" = "pass"                      # spelling -> canonical value
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from etl.sources import KINDS, SourceKind

_UNIT_SUFFIX = re.compile(r"[\(\[（【][^\)\]）】]*[\)\]）】]$")


class MappingError(ValueError):
    """The site mapping file is malformed."""


class UnknownKind(ValueError):
    """A file whose headers match no source kind; names the closest kind and what it lacks."""

    def __init__(self, closest: SourceKind | None, missing: list[str], headers: list[str]):
        self.closest, self.missing, self.headers = closest, missing, headers
        if closest is None:
            en = "its headers match no known export kind"
            zh = "表头无法识别为任何已知的导出类型"
        else:
            labels = ", ".join(f"{closest.column(m).label_zh} ({m})" for m in missing)
            en = f"not recognised; closest kind is {closest.label_en} ({closest.name}), missing columns: {labels}"
            zh = f"无法识别；最接近的类型是“{closest.label_zh}”，缺少列：{labels}"
        self.reason_zh = zh
        super().__init__(en)


def normalize_header(text: str) -> str:
    """A header reduced for matching: NFKC, lower case, no spaces, no trailing unit in brackets, no * or :."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = re.sub(r"\s+", "", text).strip("*:：")
    stripped = _UNIT_SUFFIX.sub("", text)
    return stripped or text


@dataclass
class SiteMapping:
    """Site-specific header names, value spellings and sheet names, per source kind."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)   # kind -> normalized header -> column
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # kind -> column -> spelling -> value
    sheets: dict[str, str] = field(default_factory=dict)
    # [survey_response] settings (etl/survey.py): the answers' scale ("text" or a Scale; None: inferred), the points
    # a given overall score may differ from its answers (None: 5), answers in words -> points on a 1–5 scale,
    # headers (normalized) that are not questions
    survey_scale: object = None
    survey_tolerance: float | None = None
    survey_answers: dict[str, float] = field(default_factory=dict)
    survey_ignore: set[str] = field(default_factory=set)

    def value_spellings(self, kind: SourceKind, column: str) -> dict:
        """The column's spellings {canonical: [spelling, ...]}, site additions included."""
        spellings = {k: list(v) for k, v in kind.column(column).values.items()}
        for spelling, canonical in self.values.get(kind.name, {}).get(column, {}).items():
            key = _canonical_key(spellings, canonical)
            spellings.setdefault(key, []).append(spelling)
        return spellings


def _canonical_key(spellings: dict, canonical):
    """The key of spellings that canonical names (bool columns are keyed by True/False)."""
    for key in spellings:
        if str(key).lower() == str(canonical).lower():
            return key
    return canonical


def read_site_mapping(path: Path | None) -> SiteMapping:
    """The site mapping from a TOML file (an empty mapping when path is None)."""
    mapping = SiteMapping()
    if path is None:
        return mapping
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"mapping file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"mapping file {path} is not valid TOML: {exc}") from exc
    for kind_name, section in data.items():
        kind = KINDS.get(kind_name)
        if kind is None:
            raise MappingError(f"mapping file {path}: unknown kind [{kind_name}]; known: {', '.join(KINDS)}")
        names = {c.name for c in kind.columns}
        for header, column in section.get("headers", {}).items():
            if column not in names:
                raise MappingError(f"mapping file {path}: [{kind_name}.headers] maps {header!r} to unknown column {column!r}")
            mapping.headers.setdefault(kind_name, {})[normalize_header(header)] = column
        for column, spellings in section.get("values", {}).items():
            if column not in names:
                raise MappingError(f"mapping file {path}: [{kind_name}.values.{column}] names an unknown column")
            mapping.values.setdefault(kind_name, {})[column] = {str(k): v for k, v in spellings.items()}
        if "sheet" in section:
            mapping.sheets[kind_name] = str(section["sheet"])
        if kind_name == "survey_response":
            _read_survey_settings(mapping, section, path)
    return mapping


def _read_survey_settings(mapping: SiteMapping, section: dict, path) -> None:
    """[survey_response] scale, tolerance, answers and ignore."""
    from etl.survey import parse_scale

    where = f"mapping file {path}: [survey_response]"
    try:
        if "scale" in section:
            mapping.survey_scale = parse_scale(section["scale"])
        if "tolerance" in section:
            mapping.survey_tolerance = float(section["tolerance"])
            if mapping.survey_tolerance < 0:
                raise ValueError("tolerance must not be negative")
        for word, points in section.get("answers", {}).items():
            if isinstance(points, bool) or not isinstance(points, (int, float)) or not 1 <= points <= 5:
                raise ValueError(f"answers: {word!r} must be a number of points from 1 to 5")
            mapping.survey_answers[str(word)] = float(points)
        ignore = section.get("ignore", [])
        mapping.survey_ignore = {normalize_header(h) for h in ([ignore] if isinstance(ignore, str) else ignore)}
    except (TypeError, ValueError) as exc:
        raise MappingError(f"{where}: {exc}") from exc


def _synonym_rank(kind: SourceKind, mapping: SiteMapping) -> dict[str, tuple[str, int]]:
    """Normalized header -> (column, rank); a lower rank wins when two headers claim one column."""
    table: dict[str, tuple[str, int]] = {}
    for column in kind.columns:
        for rank, header in enumerate(column.headers):
            table.setdefault(normalize_header(header), (column.name, rank + 1))
    for header, column in mapping.headers.get(kind.name, {}).items():
        table[header] = (column, 0)
    return table


def header_map(kind: SourceKind, headers: list[str], mapping: SiteMapping) -> dict[str, str]:
    """Raw header -> canonical column for one kind; each column taken by its best-ranked header."""
    ranks = _synonym_rank(kind, mapping)
    best: dict[str, tuple[int, str]] = {}
    for raw in headers:
        hit = ranks.get(normalize_header(raw))
        if hit and (hit[0] not in best or hit[1] < best[hit[0]][0]):
            best[hit[0]] = (hit[1], raw)
    return {raw: column for column, (_, raw) in best.items()}


def recognise_kind(headers: list[str], mapping: SiteMapping) -> tuple[SourceKind, dict[str, str]]:
    """The source kind whose required columns the headers cover best, with the header map."""
    scored = []
    for kind in KINDS.values():
        mapped = header_map(kind, headers, mapping)
        missing = [c for c in kind.required if c not in mapped.values()]
        scored.append((len(missing) == 0, len(mapped), -len(missing), kind, mapped, missing))
    complete = [s for s in scored if s[0]]
    if complete:
        best = max(complete, key=lambda s: (s[1], -len(s[3].columns)))
        return best[3], best[4]
    closest = max(scored, key=lambda s: (s[1] - len(s[5]), s[1]))
    if closest[1] == 0:
        raise UnknownKind(None, [], headers)
    raise UnknownKind(closest[3], closest[5], headers)


def looks_like_header(cells: list[str], mapping: SiteMapping | None = None) -> bool:
    """Whether a row of cells names at least two known columns of some kind."""
    mapping = mapping or SiteMapping()
    known = {h for kind in KINDS.values() for h in _synonym_rank(kind, mapping)}
    return sum(1 for c in cells if c and normalize_header(c) in known) >= 2
