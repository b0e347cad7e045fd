"""Staging: read a file, recognise its kind, map its headers and convert every column to its canonical type."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl.clean import halfwidth, needs_halfwidth, parse_bool, parse_date, parse_datetime, parse_enum, parse_int, parse_number
from etl.ledger import month_text, staged_ledger, staged_sales
from etl.mapping import SiteMapping, UnknownKind, looks_like_header, recognise_kind
from etl.read import RawTable, read_table
from warehouse.sources import SURVEY, SourceKind
from etl.survey import QUESTION_PREFIX, recognised, survey_columns

_DTYPE_REASONS = {
    "int": ("不是整数", "not a whole number"),
    "float": ("不是数字", "not a number"),
    "date": ("不是有效日期", "not a valid date"),
    "datetime": ("不是有效日期时间", "not a valid date and time"),
    "bool": ("无法识别为是/否", "not a yes/no value"),
    "enum": ("不是允许的取值", "not an allowed value"),
}


@dataclass(frozen=True)
class ParseFailure:
    """A cell whose text could not be converted to its column's type."""

    index: int
    source_row: int
    column: str | None            # None: the whole row (more fields than the header)
    value: str | None
    reason_zh: str
    reason_en: str


@dataclass
class StagedBatch:
    """One file, mapped to a source kind and typed: what validation and the merge work on."""

    path: Path
    kind: SourceKind
    frame: pl.DataFrame                     # canonical columns, typed, plus source_row
    header_map: dict[str, str]              # raw header -> canonical column
    ignored_headers: list[str]
    raw: RawTable
    parse_failures: list[ParseFailure] = field(default_factory=list)
    carried: frozenset[str] = frozenset()   # the canonical columns the file says something about

    def header(self, column: str) -> str:
        """The column's header as the file writes it (the canonical name for a column the file lacks)."""
        if column.startswith(QUESTION_PREFIX):
            return column[len(QUESTION_PREFIX):]
        return next((h for h, c in self.header_map.items() if c == column), column)

    @property
    def question_columns(self) -> list[str]:
        """Survey question columns kept from unmatched numeric headers."""
        return [c for c in self.frame.columns if c.startswith(QUESTION_PREFIX)]


def _typed(expr: pl.Expr, column, spellings: dict) -> pl.Expr:
    """The expression converting a raw text column to the column's canonical type."""
    return {
        "str": lambda: halfwidth(expr),
        "int": lambda: parse_int(expr),
        "float": lambda: parse_number(expr),
        "date": lambda: parse_date(expr),
        "datetime": lambda: parse_datetime(expr),
        "bool": lambda: parse_bool(expr, spellings),
        "enum": lambda: parse_enum(expr, spellings),
    }[column.dtype]()


DISTINCT_FROM = 20_000  # from this many rows, texts that repeat are converted once per distinct value


def _repeated_texts(frame: pl.DataFrame, names: list[str]) -> dict[str, pl.Series | None]:
    """Each column's distinct texts when values repeat (dates, codes, results), else None; columns in parallel."""
    found: dict[str, pl.Series | None] = dict.fromkeys(names)
    if frame.height < DISTINCT_FROM or not names:
        return found
    sample = frame.head(DISTINCT_FROM).select(pl.col(names).n_unique()).row(0, named=True)
    repeating = [n for n in names if sample[n] <= DISTINCT_FROM // 2]
    if repeating:
        distinct = frame.select(pl.col(n).drop_nulls().unique().implode() for n in repeating)
        found |= {n: distinct[n][0] for n in repeating if distinct[n][0].len() * 2 <= frame.height}
    return found


def _clean_texts(frame: pl.DataFrame, names: list[str]) -> set[str]:
    """Of these text columns, the ones halfwidth would leave as they are (ids, lot numbers); columns in parallel."""
    if not names:
        return set()
    changes = frame.select(needs_halfwidth(pl.col(n)).alias(n) for n in names).row(0, named=True)
    return {n for n in names if not changes[n]}


def _typed_column(name: str, distinct: pl.Series | None, clean: bool, column, spellings: dict) -> pl.Expr:
    """The raw column name converted to its canonical type, each distinct text once when given them."""
    if distinct is None:
        if clean:
            return pl.col(name)  # mostly distinct text that needs no cleaning: ids, lot numbers
        return _typed(pl.col(name), column, spellings)
    typed = pl.DataFrame({"v": distinct}).select(_typed(pl.col("v"), column, spellings)).to_series()
    if column.dtype == "str" and typed.null_count() == 0 and (typed == distinct).all():
        return pl.col(name)  # text that needs no cleaning: no per-row lookup
    # each text's position among the distinct texts (an Enum cast: faster than a lookup of the text) picks its value
    return pl.lit(typed).gather(pl.col(name).cast(pl.Enum(distinct)).to_physical())


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def allowed_text(spellings: dict, chinese: bool) -> str:
    """The allowed values of an enum or yes/no column, in the file's language (its first Chinese spellings)."""
    shown = []
    for canonical, words in spellings.items():
        zh = next((w for w in words if _has_cjk(str(w))), None) if chinese else None
        shown.append(zh or ("yes" if canonical is True else "no" if canonical is False else str(canonical)))
    return "/".join(dict.fromkeys(shown))


def stage_file(path: Path, mapping: SiteMapping, sheet: str | None = None, name: str | None = None) -> StagedBatch:
    """Read path and return it as a typed batch of its recognised source kind; name is the file's name as its user
    knows it (for the site mapping's file patterns), path's name by default."""
    name = name or Path(path).name
    entry = mapping.file_rule(name)
    if sheet is None and entry is not None and entry.sheet:
        sheet = entry.sheet
    raw = read_table(path, sheet=sheet, header_hint=lambda cells: looks_like_header(cells, mapping))
    headers = [c for c in raw.frame.columns if c != "__row"]
    try:
        kind, hmap = recognise_kind(headers, mapping, name)
    except UnknownKind:
        hmap = recognised(headers, mapping)  # a survey export without a year or an overall score column
        if hmap is None:
            raise
        kind = SURVEY
    wanted = mapping.rules(kind, name).sheet
    if sheet is None and wanted and raw.sheet != wanted:
        return stage_file(path, mapping, sheet=wanted, name=name)
    return stage_table(path, raw, kind, hmap, mapping, name)


def _derived_text(how: dict, frame: pl.DataFrame, path: Path, column: str) -> pl.Expr:
    """The raw text of a derived column (see etl.mapping.DERIVATIONS), from the headers it names."""
    def headers(value) -> list[str]:
        names = [value] if isinstance(value, str) else list(value)
        missing = [h for h in names if h not in frame.columns]
        if missing:
            raise MissingSourceHeader(path, column, missing)
        return names

    if "year_of" in how:
        return parse_date(pl.col(headers(how["year_of"])[0])).dt.year().cast(pl.String)
    if "fail_if_positive" in how:
        numbers = [parse_number(pl.col(h)) for h in headers(how["fail_if_positive"])]
        known = pl.any_horizontal([n.is_not_null() for n in numbers])
        failed = pl.any_horizontal([n.fill_null(0) > 0 for n in numbers])
        return pl.when(~known).then(None).when(failed).then(pl.lit("fail")).otherwise(pl.lit("pass"))
    parts = [halfwidth(pl.col(h)) for h in headers(how["join"])]
    return pl.concat_str(parts, separator=str(how.get("separator", "-")), ignore_nulls=True)


class MissingSourceHeader(ValueError):
    """A derived column names a header the file does not have; str() is English, .reason_zh Chinese."""

    def __init__(self, path: Path, column: str, headers: list[str]):
        shown = "、".join(headers)
        super().__init__(f"the site mapping derives {column} from {', '.join(headers)}, which {Path(path).name} lacks")
        self.reason_zh = f"站点映射要用列“{shown}”推导 {column}，但文件中没有这些列"


def stage_table(path: Path, raw: RawTable, kind: SourceKind, hmap: dict[str, str], mapping: SiteMapping,
                name: str | None = None) -> StagedBatch:
    """Convert a raw table with a known kind and header map into a typed batch."""
    rules = mapping.rules(kind, name or Path(path).name)
    frame = raw.frame
    supplied = {c: pl.lit(v, dtype=pl.String) for c, v in rules.constants.items()}
    supplied |= {c: _derived_text(how, frame, path, c) for c, how in rules.derived.items()}
    if supplied:
        frame = frame.with_columns(e.alias(f"\0{c}") for c, e in supplied.items())
        hmap = {**hmap, **{f"\0{c}": c for c in supplied}}
    by_column = {column: raw_name for raw_name, column in hmap.items()}
    if kind.name == "sales" and "month" in by_column:  # 2021-03, 2021年3月: a month without its day
        frame = frame.with_columns(month_text(pl.col(by_column["month"])).alias(by_column["month"]))
    exprs, checks = [pl.col("__row").cast(pl.Int32).alias("source_row")], []
    repeated = _repeated_texts(frame, [by_column[c.name] for c in kind.columns if c.name in by_column])
    texts = [by_column[c.name] for c in kind.columns if c.name in by_column and c.dtype == "str"]
    clean = _clean_texts(frame, [n for n in texts if repeated[n] is None]) if frame.height >= DISTINCT_FROM else set()
    for column in kind.columns:
        spellings = mapping.value_spellings(kind, column.name, name or Path(path).name)
        if column.name not in by_column:
            exprs.append(pl.lit(None, dtype=_polars_dtype(column.dtype)).alias(column.name))
            continue
        raw_name = by_column[column.name]
        exprs.append(_typed_column(raw_name, repeated[raw_name], raw_name in clean, column, spellings).alias(column.name))
        if column.dtype != "str":
            checks.append((column, spellings, raw_name))
    ignored = [h for h in frame.columns if h != "__row" and h not in hmap and not h.startswith("\0")]
    typed = frame.select(exprs)
    failures = _parse_failures(frame, typed, checks) + _ragged_rows(typed, getattr(raw, "extra_fields", {}))
    carried = set(hmap.values())
    if kind.name == "quality_cost":  # what identifies an entry, which entry is a correction (etl/ledger.py)
        typed, carried = staged_ledger(typed, carried)
    elif kind.name == "sales":
        typed = staged_sales(typed)
    if kind.dynamic_numeric:  # survey questions, their scale, the year and the overall score (etl/survey.py)
        survey = survey_columns(path, frame, typed, hmap, ignored, mapping)
        carried |= set(survey.header_map.values()) | {"overall_score"}
        carried |= {"scale_low", "scale_high"} if survey.scale is not None else set()
        typed, hmap, ignored = survey.frame, survey.header_map, survey.ignored
    shown = {h: h for h in hmap} | {f"\0{c}": f"{c}（站点映射）" for c in supplied}
    return StagedBatch(Path(path), kind, typed, {shown[h]: c for h, c in hmap.items()}, ignored, raw, failures,
                       carried=frozenset(carried))


def _ragged_rows(typed: pl.DataFrame, extra: dict[int, int]) -> list[ParseFailure]:
    """Rows that had more fields than the header: quarantined whole, never trimmed silently."""
    if not extra:
        return []
    rows = typed["source_row"].to_list()
    return [ParseFailure(i, row, None, None, f"多出 {extra[row]} 个字段（比表头多）",
                         f"{extra[row]} more field{'s' if extra[row] > 1 else ''} than the header")
            for i, row in enumerate(rows) if row in extra]


def _polars_dtype(dtype: str) -> pl.DataType:
    return {"str": pl.String, "int": pl.Int64, "float": pl.Float64, "date": pl.Date,
            "datetime": pl.Datetime("us"), "bool": pl.Boolean, "enum": pl.String}[dtype]


def _parse_failures(raw: pl.DataFrame, typed: pl.DataFrame, checks) -> list[ParseFailure]:
    """Cells that had text but no value after conversion."""
    # a converter gives null for null text, so any extra null in the typed column is a cell that failed
    checks = [(c, spellings, name) for c, spellings, name in checks if typed[c.name].null_count() > raw[name].null_count()]
    if not checks:
        return []
    lost = pl.concat([raw.select([pl.col(name).alias(f"raw:{c.name}") for c, _, name in checks]), typed], how="horizontal")
    failures = []
    for column, spellings, header in checks:
        bad = (
            lost.select(halfwidth(pl.col(f"raw:{column.name}")).alias("raw"), pl.col(column.name).alias("typed"),
                        pl.col("source_row"))
            .with_row_index("i")
            .filter(pl.col("raw").is_not_null() & pl.col("typed").is_null())
        )
        zh, en = _DTYPE_REASONS[column.dtype]
        header = header.removeprefix("\0")
        if column.dtype in ("enum", "bool"):
            chinese = _has_cjk(header)
            zh = f"{zh}（可用：{allowed_text(spellings, chinese)}）"
            en = f"{en} (allowed: {allowed_text(spellings, chinese)})"
        for i, value, row in bad.select("i", "raw", "source_row").iter_rows():
            failures.append(ParseFailure(i, row, column.name, value, f"{header}{zh}", f"{header}: {en}"))
    return failures
