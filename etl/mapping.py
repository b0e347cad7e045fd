"""Header mapping: recognise a file's source kind from its headers and map them to canonical columns.

A site mapping file (TOML) adds header names, value spellings, constants and derived columns without code
changes, for a kind or for the files whose names match a pattern:

    [inspection]
    sheet = "检验记录"                 # XLSX sheet to read for this kind (optional)
    replace = "period"                 # every file of this kind is a complete export of its period (optional)
    [inspection.headers]
    "质检单号" = "id"                  # header as written -> canonical column
    [inspection.values.result]
    "OK" = "pass"                      # spelling -> canonical value

    [[file]]
    pattern = "到货单*"                # file names this entry is for (shell pattern, case-insensitive)
    kind = "inspection"                # such a file is of this kind: its headers are not used to guess
    [file.headers]
    "单据号" = "id"
    [file.constants]
    stage = "IQC"                      # a value for every row, for a column the file lacks
    [file.derived]
    result = { fail_if_positive = ["不合格数量", "拒收数量"] }
"""
from __future__ import annotations

import fnmatch
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from etl.clean import simplified
from warehouse.errors import BilingualError
from warehouse.sources import KINDS, MASTER_KINDS, SourceKind

_UNIT_SUFFIX = re.compile(r"[\(\[（【][^\)\]）】]*[\)\]）】]$")
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[、.．:：)）]\s*(?=\D)")
REPLACE_MODES = ("period",)
DERIVATIONS = {
    "year_of": "the year of the date in this header",
    "fail_if_positive": "fail when any of these headers holds a number above 0, else pass",
    "join": "these headers' texts joined by `separator` (default -)",
}
# A header of one of these shapes says that a file records events (a date, a quantity, a result), not master data.
_TRANSACTION_WORDS = re.compile(r"日期|时间|数量|件数|批量|结果|判定|金额|date|time|qty|quantity|result|amount", re.I)


class MappingError(ValueError):
    """The site mapping file is malformed."""


class UnknownKind(BilingualError):
    """A file whose headers match no source kind, or more than one; names the candidates and why.

    str() is English, .reason_zh Chinese.
    """

    def __init__(self, en: str, zh: str, candidates: list[SourceKind] = ()):
        super().__init__(en, zh)
        self.candidates = list(candidates)


def normalize_header(text: str) -> str:
    """A header reduced for matching: NFKC, Simplified characters, lower case, no spaces, no numbering, no trailing
    unit, no * or :."""
    text = simplified(unicodedata.normalize("NFKC", str(text))).strip().lower()
    text = re.sub(r"\s+", "", text).strip("*:：")
    text = _NUMBERING.sub("", text) or text
    stripped = _UNIT_SUFFIX.sub("", text)
    return stripped or text


@dataclass
class Rules:
    """What the site mapping says for one kind, or for the files matching one pattern."""

    headers: dict[str, str] = field(default_factory=dict)                # normalized header -> column
    values: dict[str, dict[str, str]] = field(default_factory=dict)      # column -> spelling -> canonical value
    constants: dict[str, str] = field(default_factory=dict)              # column -> text for every row
    derived: dict[str, dict] = field(default_factory=dict)               # column -> {derivation: argument, ...}
    sheet: str | None = None
    replace: str | None = None                                           # "period" or None

    @property
    def supplied(self) -> set[str]:
        """The columns given a value without a header of the file's (constants and derived columns)."""
        return set(self.constants) | set(self.derived)


@dataclass
class FileRule(Rules):
    """A [[file]] entry: the rules for the files whose names match pattern, of one named kind."""

    pattern: str = "*"
    kind: str = ""

    def matches(self, file_name: str) -> bool:
        """Whether a file of this name is one this entry is for."""
        return fnmatch.fnmatchcase(unicodedata.normalize("NFKC", file_name).lower(),
                                   unicodedata.normalize("NFKC", self.pattern).lower())


@dataclass
class SiteMapping:
    """Site-specific header names, value spellings, sheet names, constants and derivations."""

    kinds: dict[str, Rules] = field(default_factory=dict)
    files: list[FileRule] = field(default_factory=list)
    path: Path | None = None
    # [survey_response] settings (etl/survey.py): the answers' scale ("text" or a Scale; None: inferred), the points
    # a given overall score may differ from its answers (None: 5), answers in words -> points on a 1–5 scale,
    # headers (normalized) that are not questions
    survey_scale: object = None
    survey_tolerance: float | None = None
    survey_answers: dict[str, float] = field(default_factory=dict)
    survey_ignore: set[str] = field(default_factory=set)

    def rules(self, kind: SourceKind | str, file_name: str | None = None) -> Rules:
        """The rules for a file of this kind (and name): the kind's, overlaid by a matching [[file]] entry's."""
        name = kind if isinstance(kind, str) else kind.name
        base = self.kinds.get(name, Rules())
        entry = self.file_rule(file_name) if file_name else None
        if entry is None or entry.kind != name:
            return base
        values = {c: {**base.values.get(c, {}), **v} for c, v in entry.values.items()}
        return Rules({**base.headers, **entry.headers}, {**base.values, **values},
                     {**base.constants, **entry.constants}, {**base.derived, **entry.derived},
                     entry.sheet or base.sheet, entry.replace or base.replace)

    def file_rule(self, file_name: str) -> FileRule | None:
        """The first [[file]] entry whose pattern matches the file name."""
        return next((f for f in self.files if f.matches(file_name)), None)

    def value_spellings(self, kind: SourceKind, column: str, file_name: str | None = None) -> dict:
        """The column's spellings {canonical: [spelling, ...]}, site additions included."""
        spellings = {k: list(v) for k, v in kind.column(column).values.items()}
        for spelling, canonical in self.rules(kind, file_name).values.get(column, {}).items():
            key = _canonical_key(spellings, canonical)
            spellings.setdefault(key, []).append(spelling)
        return spellings

    def replaces_period(self, kind: SourceKind, file_name: str | None = None) -> bool:
        """Whether the mapping declares files of this kind (and name) complete exports of their period."""
        return self.rules(kind, file_name).replace == "period"


def _canonical_key(spellings: dict, canonical):
    """The key of spellings that canonical names (bool columns are keyed by True/False)."""
    for key in spellings:
        if str(key).lower() == str(canonical).lower():
            return key
    return canonical


def _rules_of(path: Path, where: str, kind: SourceKind, section: dict, into: Rules) -> Rules:
    """Rules read from one TOML section about one kind (MappingError naming the place when malformed)."""
    names = {c.name for c in kind.columns}

    def column(name, what: str) -> str:
        if name not in names:
            raise MappingError(f"mapping file {path}: [{where}] {what} names unknown column {name!r}; "
                               f"columns of {kind.name}: {', '.join(sorted(names))}")
        return name

    for header, target in section.get("headers", {}).items():
        into.headers[normalize_header(header)] = column(target, f"headers maps {header!r} to")
    for target, spellings in section.get("values", {}).items():
        into.values[column(target, "values")] = {str(k): v for k, v in spellings.items()}
    for target, value in section.get("constants", {}).items():
        into.constants[column(target, "constants")] = str(value)
    for target, how in section.get("derived", {}).items():
        column(target, "derived")
        if not isinstance(how, dict) or not how or not set(how) <= set(DERIVATIONS) | {"separator"}:
            raise MappingError(f"mapping file {path}: [{where}.derived] {target} must be a table with one of "
                               f"{', '.join(DERIVATIONS)}, e.g. {target} = {{ year_of = \"提交答卷时间\" }}")
        into.derived[target] = how
    if "sheet" in section:
        into.sheet = str(section["sheet"])
    if "replace" in section:
        if section["replace"] not in REPLACE_MODES:
            raise MappingError(f"mapping file {path}: [{where}] replace must be \"period\", not {section['replace']!r}")
        into.replace = section["replace"]
    return into


def read_site_mapping(path: Path | None) -> SiteMapping:
    """The site mapping from a TOML file (an empty mapping when path is None)."""
    mapping = SiteMapping(path=Path(path) if path else None)
    if path is None:
        return mapping
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"mapping file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"mapping file {path} is not valid TOML: {exc}") from exc
    entries = data.pop("file", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MappingError(f"mapping file {path}: file entries are written [[file]], each a table with pattern and kind")
    for n, entry in enumerate(entries, start=1):
        kind = KINDS.get(entry.get("kind"))
        if kind is None or not entry.get("pattern"):
            raise MappingError(f"mapping file {path}: [[file]] entry {n} needs pattern = \"…\" and kind = one of "
                               f"{', '.join(KINDS)}")
        mapping.files.append(_rules_of(path, f"file {entry['pattern']}", kind, entry,
                                       FileRule(pattern=str(entry["pattern"]), kind=kind.name)))
    for kind_name, section in data.items():
        kind = KINDS.get(kind_name)
        if kind is None:
            raise MappingError(f"mapping file {path}: unknown kind [{kind_name}]; known: {', '.join(KINDS)}, file")
        _rules_of(path, kind_name, kind, section, mapping.kinds.setdefault(kind_name, Rules()))
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


def _synonym_rank(kind: SourceKind, rules: Rules) -> dict[str, tuple[str, int]]:
    """Normalized header -> (column, rank); a lower rank wins when two headers claim one column."""
    table: dict[str, tuple[str, int]] = {}
    for column in kind.columns:
        for rank, header in enumerate(column.headers):
            table.setdefault(normalize_header(header), (column.name, rank + 1))
    for header, column in rules.headers.items():
        table[header] = (column, 0)
    return table


def header_map(kind: SourceKind, headers: list[str], mapping: SiteMapping, file_name: str | None = None) -> dict[str, str]:
    """Raw header -> canonical column for one kind; each column taken by its best-ranked header."""
    rules = mapping.rules(kind, file_name)
    ranks = _synonym_rank(kind, rules)
    best: dict[str, tuple[int, str]] = {}
    for raw in headers:
        hit = ranks.get(normalize_header(raw))
        if hit and hit[0] not in rules.supplied and (hit[0] not in best or hit[1] < best[hit[0]][0]):
            best[hit[0]] = (hit[1], raw)
    return {raw: column for column, (_, raw) in best.items()}


@dataclass
class _Fit:
    """How well one kind fits a file's headers."""

    kind: SourceKind
    mapped: dict[str, str]          # raw header -> column, as header_map
    missing: list[str]              # required columns neither mapped nor supplied
    explained: frozenset[str]       # raw headers that name some column of the kind


def _fit(kind: SourceKind, headers: list[str], mapping: SiteMapping, file_name: str | None) -> _Fit:
    rules = mapping.rules(kind, file_name)
    mapped = header_map(kind, headers, mapping, file_name)
    present = set(mapped.values()) | rules.supplied
    ranks = _synonym_rank(kind, rules)
    explained = frozenset(h for h in headers if normalize_header(h) in ranks)
    return _Fit(kind, mapped, [c for c in kind.required if c not in present], explained)


def _labels(kind: SourceKind, columns: list[str]) -> tuple[str, str]:
    return ("、".join(f"{kind.column(c).label_zh}（{c}）" for c in columns),
            ", ".join(f"{kind.column(c).label_zh} ({c})" for c in columns))


def recognise_kind(headers: list[str], mapping: SiteMapping, file_name: str | None = None) -> tuple[SourceKind, dict[str, str]]:
    """The one source kind the headers (or the mapping, for this file name) say the file is, with the header map.

    Refused (UnknownKind) when no kind fits, when several fit and none explains more of the headers than the
    others, and when a master-data kind fits a file that carries transaction columns.
    """
    entry = mapping.file_rule(file_name) if file_name else None
    if entry is not None:
        fit = _fit(KINDS[entry.kind], headers, mapping, file_name)
        if fit.missing:
            zh, en = _labels(fit.kind, fit.missing)
            raise UnknownKind(f"the site mapping names this file {fit.kind.label_en} ({fit.kind.name}) "
                              f"(pattern {entry.pattern!r}), but it lacks required columns: {en}",
                              f"站点映射（{entry.pattern}）指定此文件为“{fit.kind.label_zh}”，但缺少必需列：{zh}", [fit.kind])
        return fit.kind, fit.mapped
    fits = [_fit(kind, headers, mapping, file_name) for kind in KINDS.values()]
    complete = [f for f in fits if not f.missing]
    # a kind whose explained headers are a strict part of another's explains less of the same file
    best = [f for f in complete if not any(f.explained < g.explained for g in complete)]
    if len(best) > 1:
        best = [f for f in best if len(f.explained) == max(len(g.explained) for g in best)]
    if len(best) > 1:
        names_zh = "、".join(f"“{f.kind.label_zh}”（{f.kind.name}）" for f in best)
        names_en = ", ".join(f"{f.kind.label_en} ({f.kind.name})" for f in best)
        raise UnknownKind(f"the headers fit several kinds equally well: {names_en}; name the kind for this file in the "
                          "site mapping ([[file]] pattern = …, kind = …)",
                          f"表头同时符合多种类型：{names_zh}；请在站点映射中为此文件指定类型（[[file]] pattern、kind）",
                          [f.kind for f in best])
    if best:
        fit = best[0]
        events = [h for h in headers if h not in fit.explained and _TRANSACTION_WORDS.search(normalize_header(h))]
        if fit.kind.name in MASTER_KINDS and events:
            others = sorted((f for f in fits if f.kind.name not in MASTER_KINDS and f.mapped),
                            key=lambda f: (-len(f.explained), len(f.missing)))[:2]
            also_zh = "、".join(f"“{f.kind.label_zh}”" for f in others)
            also_en = ", ".join(f.kind.label_en for f in others)
            raise UnknownKind(
                f"the headers fit {fit.kind.label_en} ({fit.kind.name}), master data, but the file also carries "
                f"transaction columns ({', '.join(events[:4])}); it looks like another kind"
                + (f" ({also_en})" if also_en else "") + ": name its kind and columns in the site mapping",
                f"表头符合主数据“{fit.kind.label_zh}”，但文件还含有业务列（{'、'.join(events[:4])}），更像其他类型的导出"
                + (f"（{also_zh}）" if also_zh else "") + "；请在站点映射中指定其类型和列",
                [fit.kind, *(f.kind for f in others)])
        return fit.kind, fit.mapped
    closest = max(fits, key=lambda f: (len(f.mapped) - len(f.missing), len(f.mapped)))
    if not closest.mapped:
        raise UnknownKind("its headers match no known export kind", "表头无法识别为任何已知的导出类型")
    zh, en = _labels(closest.kind, closest.missing)
    raise UnknownKind(f"not recognised; closest kind is {closest.kind.label_en} ({closest.kind.name}), missing columns: {en}",
                      f"无法识别；最接近的类型是“{closest.kind.label_zh}”，缺少列：{zh}", [closest.kind])


def looks_like_header(cells: list[str], mapping: SiteMapping | None = None) -> bool:
    """Whether a row of cells names at least two known columns of some kind."""
    mapping = mapping or SiteMapping()
    known = {h for kind in KINDS.values() for h in _synonym_rank(kind, mapping.rules(kind))}
    known |= {h for entry in mapping.files for h in entry.headers}
    return sum(1 for c in cells if c and normalize_header(c) in known) >= 2
