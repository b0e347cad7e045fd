"""Staging: read a file, recognise its kind, map its headers and convert every column to its canonical type."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl.clean import halfwidth, needs_halfwidth, parse_bool, parse_date, parse_datetime, parse_enum, parse_int, parse_number
from etl.mapping import SiteMapping, UnknownKind, looks_like_header, recognise_kind
from etl.read import RawTable, read_table
from etl.sources import SURVEY, SourceKind
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
    column: str
    value: str
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


def _allowed_text(spellings: dict) -> str:
    return "/".join(str(k) for k in spellings)


def stage_file(path: Path, mapping: SiteMapping, sheet: str | None = None) -> StagedBatch:
    """Read path and return it as a typed batch of its recognised source kind."""
    raw = read_table(path, sheet=sheet, header_hint=lambda cells: looks_like_header(cells, mapping))
    headers = [c for c in raw.frame.columns if c != "__row"]
    try:
        kind, hmap = recognise_kind(headers, mapping)
    except UnknownKind:
        hmap = recognised(headers, mapping)  # a survey export without a year or an overall score column
        if hmap is None:
            raise
        kind = SURVEY
    if sheet is None and kind.name in mapping.sheets and raw.sheet != mapping.sheets[kind.name]:
        return stage_file(path, mapping, sheet=mapping.sheets[kind.name])
    return stage_table(path, raw, kind, hmap, mapping)


def stage_table(path: Path, raw: RawTable, kind: SourceKind, hmap: dict[str, str], mapping: SiteMapping) -> StagedBatch:
    """Convert a raw table with a known kind and header map into a typed batch."""
    by_column = {column: raw_name for raw_name, column in hmap.items()}
    frame = raw.frame
    exprs, checks = [pl.col("__row").cast(pl.Int32).alias("source_row")], []
    repeated = _repeated_texts(frame, [by_column[c.name] for c in kind.columns if c.name in by_column])
    texts = [by_column[c.name] for c in kind.columns if c.name in by_column and c.dtype == "str"]
    clean = _clean_texts(frame, [n for n in texts if repeated[n] is None]) if frame.height >= DISTINCT_FROM else set()
    for column in kind.columns:
        spellings = mapping.value_spellings(kind, column.name)
        if column.name not in by_column:
            exprs.append(pl.lit(None, dtype=_polars_dtype(column.dtype)).alias(column.name))
            continue
        raw_name = by_column[column.name]
        exprs.append(_typed_column(raw_name, repeated[raw_name], raw_name in clean, column, spellings).alias(column.name))
        if column.dtype != "str":
            checks.append((column, spellings, by_column[column.name]))
    ignored = [h for h in frame.columns if h != "__row" and h not in hmap]
    typed = frame.select(exprs)
    failures = _parse_failures(frame, typed, checks)
    if kind.dynamic_numeric:  # survey questions, their scale, the year and the overall score (etl/survey.py)
        survey = survey_columns(path, frame, typed, hmap, ignored, mapping)
        typed, hmap, ignored = survey.frame, survey.header_map, survey.ignored
    return StagedBatch(Path(path), kind, typed, hmap, ignored, raw, failures)


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
    for column, spellings, _ in checks:
        bad = (
            lost.select(halfwidth(pl.col(f"raw:{column.name}")).alias("raw"), pl.col(column.name).alias("typed"),
                        pl.col("source_row"))
            .with_row_index("i")
            .filter(pl.col("raw").is_not_null() & pl.col("typed").is_null())
        )
        zh, en = _DTYPE_REASONS[column.dtype]
        if column.dtype in ("enum", "bool"):
            zh, en = f"{zh}（可用：{_allowed_text(spellings)}）", f"{en} (allowed: {_allowed_text(spellings)})"
        for i, value, row in bad.select("i", "raw", "source_row").iter_rows():
            failures.append(ParseFailure(i, row, column.name, value, f"{column.label_zh}{zh}", f"{column.name} {en}"))
    return failures
