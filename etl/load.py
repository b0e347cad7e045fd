"""Load export files into the warehouse: stage and validate each file, then merge them in one snapshot swap."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import polars as pl

from etl.mapping import SiteMapping, UnknownKind, read_site_mapping
from etl.read import UnreadableFile
from warehouse.sources import SourceKind
from etl.stage import QUESTION_PREFIX, MissingSourceHeader, StagedBatch, stage_file
from warehouse import sql
from warehouse.db import read_connection, register_frame
from warehouse.sql import quoted, row_count
from warehouse.rules import bad_row_share_refusal
from warehouse.settings import Settings
from warehouse.snapshot import EarlySnapshot

EXPORT_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".htm", ".html"}
# Master data first, so facts find their suppliers, items and customers.
KIND_ORDER = ["supplier", "item", "customer", "supplier_grade", "supplier_audit", "supplier_survey",
              "instrument_calibration", "inspection", "complaint", "survey_response", "market_share",
              "corrective_action", "incident", "quality_cost", "sales"]

Progress = Callable[[str, int, int], None]


class UsageError(ValueError):
    """The command was called wrongly (a path that does not exist, nothing to load)."""


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: Path
    hash: str
    status: str                      # loaded, unchanged, refused
    kind: str | None = None
    rows: int = 0
    loaded: int = 0
    quarantined: int = 0
    warnings: int = 0
    reason_zh: str = ""
    reason_en: str = ""
    format: str | None = None        # csv, xlsx
    encoding: str | None = None
    bytes: int | None = None         # the file's size
    registered: dict = field(default_factory=dict)   # table -> rows registered for the first time
    display_name: str | None = None  # the name to record when path is a private copy (an uploaded file's name)
    replace: bool = False            # a complete export: rows of its period it no longer holds are deleted
    inserted: int = 0                # rows new to the warehouse
    updated: int = 0                 # rows that were there and changed
    same: int = 0                    # rows that were there as the file has them
    deleted: int = 0                 # rows of the file's period it no longer holds (complete exports only)
    skipped_lines: list = field(default_factory=list)  # footer and totals lines, not data (etl.read.SkippedLine)

    @property
    def name(self) -> str:
        """The file's name as recorded in the warehouse."""
        return self.display_name or self.path.name


@dataclass(frozen=True)
class SkippedFile:
    """A file in a loaded folder that the load did not read, and why."""

    path: Path
    reason_zh: str
    reason_en: str


@dataclass
class LoadSummary:
    """The outcome of one load run."""

    files: list[FileOutcome]
    run_id: int | None = None
    reconciliation_failures: list = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    dry_run: bool = False            # computed in a snapshot that was then thrown away

    def deleted_by_kind(self) -> dict[str, int]:
        """Rows deleted (or, in a dry run, that would be deleted) per kind."""
        found: dict[str, int] = {}
        for f in self.files:
            if f.deleted:
                found[f.kind] = found.get(f.kind, 0) + f.deleted
        return found

    @property
    def exit_code(self) -> int:
        """0 when every file loaded (or was already loaded), 1 when any file was refused."""
        return 1 if any(f.status == "refused" for f in self.files) else 0

    def count(self, status: str) -> int:
        """How many files ended with this status."""
        return sum(1 for f in self.files if f.status == status)


@dataclass
class Prepared:
    """A file read, validated and judged fit to merge: its outcome so far, its batch, its quarantined rows."""

    outcome: FileOutcome
    batch: StagedBatch
    quarantine: dict[int, list]       # frame index -> failures (error severity)
    validation_outcomes: list


def export_files(paths: list[Path]) -> list[Path]:
    """The export files named by paths: files as given, folders searched recursively, sorted."""
    return folder_files(paths)[0]


def folder_files(paths: list[Path]) -> tuple[list[Path], list[SkippedFile]]:
    """The export files named by paths (files as given, folders searched recursively, sorted), and the files in
    those folders that are not exports, each with the reason it is left out."""
    found: list[Path] = []
    skipped: list[SkippedFile] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(f for f in p.rglob("*") if f.is_file()):
                reason = _not_an_export(f)
                if reason:
                    skipped.append(SkippedFile(f, *reason))
                else:
                    found.append(f)
        elif p.is_file():
            found.append(p)
        else:
            raise UsageError(f"{p}: no such file or folder")
    return found, skipped


def _not_an_export(path: Path) -> tuple[str, str] | None:
    """Why a file found in a folder is not loaded (zh, en), or None for an export file."""
    if path.name.startswith("~$"):
        return "Office 打开文件时生成的临时文件", "a lock file Office writes while the workbook is open"
    if path.name.startswith("."):
        return "隐藏文件", "a hidden file"
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        shown = "、".join(sorted(EXPORT_SUFFIXES))
        return (f"不是导出文件类型（可加载：{shown}）",
                f"not an export file type (loaded: {', '.join(sorted(EXPORT_SUFFIXES))})")
    return None


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class LoadedFiles:
    """The content hashes and sizes of the files a warehouse has loaded, and of those seen so far in this run."""

    hashes: set[str] = field(default_factory=set)
    sizes: set[int | None] = field(default_factory=set)

    def may_hold(self, size: int) -> bool:
        """Whether a file of this size could be one of these (a file loaded before sizes were kept could be any)."""
        return size in self.sizes or None in self.sizes

    def add(self, digest: str, size: int | None) -> None:
        """Count a file in."""
        self.hashes.add(digest)
        self.sizes.add(size)


def loaded_files(warehouse: Path) -> LoadedFiles:
    """The files the warehouse has loaded already."""
    found = LoadedFiles()
    if not warehouse.exists():
        return found
    with read_connection(warehouse) as con:
        columns = {r[0] for r in sql.rows(con, "read/table_columns", name="source_file")}
        if not columns:
            return found
        if "bytes" in columns:
            rows = sql.rows(con, "etl/loaded_files")
        else:  # a warehouse the next write migrates: no sizes yet
            rows = [(r[0], None) for r in sql.rows(con, "etl/loaded_hashes")]
    for digest, size in rows:
        found.add(digest, size)
    return found


@dataclass
class _Checked:
    """What validation found in one file."""

    quarantine: dict[int, list] = field(default_factory=dict)   # frame position -> error failures
    outcomes: list[tuple] = field(default_factory=list)          # validation_result rows (suite … count)
    batch_errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: int = 0


def _parse_check(batch: StagedBatch) -> _Checked:
    """The file's cells that could not be read, as quarantined rows and one outcome per column."""
    check = _Checked()
    for f in batch.parse_failures:
        check.quarantine.setdefault(f.index, []).append(f)
    for column in sorted({f.column for f in batch.parse_failures if f.column}):
        n = sum(1 for f in batch.parse_failures if f.column == column)
        check.outcomes.append(("parse", f"values_parse_as_{batch.kind.column(column).dtype}", column, "error",
                               False, None, n))
    if ragged := sum(1 for f in batch.parse_failures if f.column is None):
        check.outcomes.append(("parse", "rows_have_no_more_fields_than_the_header", None, "error", False, None, ragged))
    return check


def validated(batches: list[StagedBatch], today: dt.date, progress: Progress) -> list[_Checked]:
    """Validate the batches, all files of one kind in one Great Expectations run; one _Checked per batch."""
    from expectations import validate_batch

    checks = [_parse_check(b) for b in batches]
    members: dict[str, list[int]] = {}
    for i, batch in enumerate(batches):
        members.setdefault(batch.kind.name, []).append(i)
    for n, (kind, group) in enumerate(members.items()):
        progress(f"validate {kind}", n, len(members))
        parts = [batches[i].frame.with_row_index("position")
                 .filter(~pl.col("position").is_in(list(checks[i].quarantine)))
                 .with_columns(pl.lit(j, dtype=pl.Int32).alias("source_file_index")) for j, i in enumerate(group)]
        frame = pl.concat(parts, how="diagonal_relaxed")
        if frame.height == 0:
            continue
        try:
            result = validate_batch(kind, frame.drop("position"), today, bad_row_share=1.0,
                                    group_column="source_file_index")
        except MemoryError:
            raise
        except Exception as exc:  # these files are refused; the other kinds' files go on
            for i in group:
                checks[i].batch_errors.append((f"校验无法完成（{type(exc).__name__}）：{_one_line(exc)}",
                                               f"validation could not finish ({type(exc).__name__}): {_one_line(exc)}"))
            continue
        owners, positions = frame["source_file_index"].to_numpy(), frame["position"].to_numpy()  # arrays, not lists
        found: dict[tuple, list] = {}
        for f in result.row_failures:
            i = group[int(owners[f.index])]
            f = in_file_words(f, batches[i])
            found.setdefault((i, f.expectation, f.column), []).append(f)
            if f.severity == "error":
                checks[i].quarantine.setdefault(int(positions[f.index]), []).append(f)
            else:
                checks[i].warnings += 1
        for i in group:
            checks[i].batch_errors += result.batch_errors
            checks[i].outcomes += [_file_outcome(o, found, i) for o in result.outcomes
                                   if o.expectation != "expect_error_row_share_to_be_at_most"]
    return checks


def _file_outcome(o, found: dict, i: int) -> tuple:
    """A kind-wide outcome narrowed to file i: its own failed rows, count and examples."""
    if not any(key[1:] == (o.expectation, o.column) for key in found):
        return (o.suite, o.expectation, o.column, o.severity, o.success, o.observed_value, o.unexpected_count)
    rows = found.get((i, o.expectation, o.column), [])
    examples = ", ".join(list(dict.fromkeys("null" if f.value is None else f.value for f in rows))[:5]) or None
    return (o.suite, o.expectation, o.column, o.severity, not rows, examples, len(rows))


def batch_errors(rows: int, bad: int, limit: float) -> list[tuple[str, str]]:
    """Whole-file refusals that follow from the row counts: no rows, or too many bad rows (the gate's rule)."""
    if rows == 0:
        return [("文件没有数据行", "the file has no data rows")]
    refusal = bad_row_share_refusal(bad, rows, limit)
    return [refusal] if refusal else []


def in_file_words(failure, batch: StagedBatch):
    """A row failure whose reasons name the columns by the headers the file writes (批量, not 送检数量/lot_qty)."""
    zh, en = failure.reason_zh, failure.reason_en
    for column in sorted(batch.carried, key=len, reverse=True):
        header = batch.header(column)
        label = batch.kind.column(column).label_zh
        if header != label and label:
            zh = zh.replace(label, header)
        en = re.sub(rf"\b{re.escape(column)}\b", header, en)
    return dataclasses.replace(failure, reason_zh=zh, reason_en=en)


def shown_column(batch: StagedBatch, column: str | None) -> str | None:
    """A column (or a comma-joined key) named as the file writes it."""
    if not column:
        return column
    return ",".join(batch.header(c) for c in column.split(","))


def _first_failures(batch: StagedBatch, quarantine: dict[int, list], limit: int = 5) -> tuple[str, str]:
    """A short zh/en description of the first quarantined cells."""
    zh, en = [], []
    for index in sorted(quarantine)[:limit]:
        f = quarantine[index][0]
        column = shown_column(batch, f.column)
        zh.append(f"第 {f.source_row} 行“{column}”={f.value!r}：{f.reason_zh}")
        en.append(f"row {f.source_row}, column {column}, value {f.value!r}: {f.reason_en}")
    return "；".join(zh), "; ".join(en)


def judged_file(path: Path, digest: str, batch: StagedBatch, check: _Checked, settings: Settings) -> Prepared | FileOutcome:
    """A validated file: ready to merge, or refused with its reasons (naming row, column and value)."""
    outcome = FileOutcome(path, digest, "loaded", kind=batch.kind.name, rows=batch.frame.height, warnings=check.warnings,
                          format=batch.raw.format, encoding=batch.raw.encoding, bytes=path.stat().st_size,
                          skipped_lines=list(getattr(batch.raw, "skipped", [])))
    bad = len(check.quarantine)
    errors = check.batch_errors or batch_errors(outcome.rows, bad, settings.bad_row_share)
    share = bad / outcome.rows if outcome.rows else 0.0
    check.outcomes.append(("load", "expect_error_row_share_to_be_at_most", None, "error",
                           not errors, f"{share:.4f}", bad))
    if errors:
        zh, en = _first_failures(batch, check.quarantine)
        outcome.status = "refused"
        outcome.reason_zh = "；".join(z for z, _ in errors) + (f"。例如：{zh}" if zh else "")
        outcome.reason_en = "; ".join(e for _, e in errors) + (f". For example: {en}" if en else "")
        return outcome
    outcome.quarantined = bad
    outcome.loaded = outcome.rows - bad
    return Prepared(outcome, batch, check.quarantine, check.outcomes)


def staged_or_refused(path: Path, digest: str, mapping: SiteMapping, name: str | None = None) -> StagedBatch | FileOutcome:
    """The file staged as its kind, or a refused outcome saying in one line why it could not be read or recognised
    (any failure while reading or staging refuses this file only)."""
    shown = name or path.name
    try:
        return stage_file(path, mapping, name=shown)
    except (UnreadableFile, UnknownKind, MissingSourceHeader) as exc:
        zh, en = getattr(exc, "reason_zh", str(exc)), str(exc)
    except (MemoryError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # a damaged file can make any reader fail (a native reader's panic included)
        zh = f"读取文件时出错（{type(exc).__name__}）：{_one_line(exc)}"
        en = f"reading the file failed ({type(exc).__name__}): {_one_line(exc)}"
    return FileOutcome(path, digest, "refused", reason_zh=zh.replace(path.name, shown), reason_en=en.replace(path.name, shown),
                       display_name=name)


def _one_line(error: BaseException, limit: int = 200) -> str:
    """An exception's message on one line, at most limit characters."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_expr(kind: SourceKind, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return " || '|' || ".join(f"coalesce(CAST({prefix}{quoted(k)} AS VARCHAR), '')" for k in kind.key)


def _register_dimensions(con, kind: SourceKind, digest: str) -> dict:
    """Resolve names to codes and register first-seen suppliers, items, customers and instruments."""
    counts = {}

    def run(name: str, table: str | None = None, **params):
        before = row_count(con, table) if table else 0
        sql.run(con, name, **params)
        if table:
            added = row_count(con, table) - before
            if added:
                counts[table] = counts.get(table, 0) + added

    columns = {c.name for c in kind.columns}
    if "supplier" in columns and kind.name != "supplier":
        run("etl/register_supplier", "supplier", file=digest)
    if "customer" in columns:
        run("etl/staged_customers_complaint" if kind.name == "complaint" else "etl/staged_customers_survey")
        run("etl/register_customer", "customer", file=digest)
    if kind.name in ("inspection", "complaint"):
        run("etl/staged_items_inspection" if kind.name == "inspection" else "etl/staged_items_complaint")
        run("etl/register_item", "item", file=digest)
    if kind.name == "instrument_calibration":
        run("etl/register_instrument", file=digest)
    return counts



BOOKKEEPING_COLUMNS = ("source_file", "source_row", "upload_batch")


def merge_batch(con: duckdb.DuckDBPyConnection, prepared: Prepared, run_id: int, upload_batch: str | None = None) -> None:
    """Merge one validated batch into the warehouse (inside the caller's snapshot), rows tagged with an upload batch.

    Rows are inserted and updated by natural key, and only the columns the file carries change. A complete export
    (outcome.replace) also deletes the rows of its period that it no longer holds. The outcome gets the counts.
    """
    batch, outcome, kind = prepared.batch, prepared.outcome, prepared.batch.kind
    digest = outcome.hash
    frame = _with_codes(con, batch.frame).with_columns(pl.lit(digest).alias("source_file"))
    if kind.table == "survey_response":  # a response belongs to the load that brought it last
        frame = frame.with_columns(pl.lit(upload_batch, dtype=pl.String).alias("upload_batch"))
    bad = sorted(prepared.quarantine)
    good = frame.filter(~pl.int_range(pl.len()).is_in(bad)) if bad else frame
    register_frame(con, "staged", _dimension_rows(good))
    outcome.registered = _register_dimensions(con, kind, digest)
    con.unregister("staged")
    table_cols = con.table(kind.table).columns
    cols = [c for c in good.columns if c in table_cols and (c in batch.carried or c in kind.key or c in BOOKKEEPING_COLUMNS)]
    register_frame(con, "staged", good.select(cols + batch.question_columns))  # DuckDB reads every column it is given
    if outcome.replace and kind.period:
        outcome.deleted = _replace_period(con, prepared, frame, bad)
    outcome.inserted, outcome.updated, outcome.same = _upsert(con, kind, cols)
    if kind.name in ("supplier", "item", "customer"):
        con.execute(f"UPDATE {quoted(kind.table)} SET registered_by_etl = false WHERE code IN (SELECT code FROM staged)")
    if batch.question_columns:
        _merge_answers(con, batch)
    if sql.rows(con, "etl/open_quarantine_count", kind=kind.name)[0][0]:
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged_keys AS SELECT DISTINCT {_key_expr(kind)} AS row_key FROM staged")
        sql.run(con, "etl/release_quarantine", file=digest, kind=kind.name)
        con.execute("DROP TABLE staged_keys")
    _record_quarantine(con, prepared, run_id, bad)
    _record_outcomes(con, run_id, outcome, prepared.validation_outcomes, prepared.batch)
    con.unregister("staged")


def _upsert(con, kind: SourceKind, cols: list[str]) -> tuple[int, int, int]:
    """Insert the staged rows new by natural key, update the others where a carried column differs; returns how
    many were inserted, updated and found as they are. Columns the file does not carry are left alone."""
    table = quoted(kind.table)
    match = " AND ".join(f"t.{quoted(k)} = s.{quoted(k)}" for k in kind.key)
    data = [c for c in cols if c not in kind.key and c not in BOOKKEEPING_COLUMNS]
    differs = " OR ".join(f"t.{quoted(c)} IS DISTINCT FROM s.{quoted(c)}" for c in data) or "false"
    staged = row_count(con, "staged")
    matched, changed = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {differs}) FROM staged s JOIN {table} t ON {match}").fetchall()[0]
    if changed:
        assigned = ", ".join(f"{quoted(c)} = s.{quoted(c)}" for c in data + [c for c in cols if c in BOOKKEEPING_COLUMNS])
        con.execute(f"UPDATE {table} AS t SET {assigned} FROM staged s WHERE {match} AND ({differs})")
    if "upload_batch" in cols and matched:  # the upload that brought a row last owns it (undo removes it)
        con.execute(f"UPDATE {table} AS t SET upload_batch = s.upload_batch FROM staged s "
                    f"WHERE {match} AND t.upload_batch IS DISTINCT FROM s.upload_batch")
    if matched < staged:
        col_list = ", ".join(quoted(c) for c in cols)
        where = f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})" if matched else ""
        con.execute(f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM staged s{where}")
    return staged - matched, changed, matched - changed


DIMENSION_COLUMNS = ["supplier", "customer", "region", "segment", "item", "item_name", "stage", "product",
                     "instrument", "instrument_name", "measures", "origin", "level"]


def _dimension_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """The distinct supplier/customer/item/instrument facts of a batch, each with its first row number."""
    columns = [c for c in DIMENSION_COLUMNS if c in frame.columns]
    if not columns:
        return frame.head(0)
    return frame.lazy().group_by(columns).agg(pl.col("source_row").min()).collect()  # lazy: about twice as fast


def _with_codes(con, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with suppliers and customers written by name replaced by their codes."""
    for column in ("supplier", "customer"):
        if column in frame.columns:
            names = dict(sql.rows(con, "etl/codes_by_name", table=column))
            if names:
                frame = frame.with_columns(pl.col(column).replace(names))
    return frame


def _replace_period(con, prepared: Prepared, frame: pl.DataFrame, bad: list[int]) -> int:
    """A complete export replaces the rows of its kind in the dates it covers, within the inspection stages and
    suppliers it holds: such rows it no longer holds are deleted (rows it holds but quarantined stay as they were).
    Returns how many rows were deleted."""
    kind, batch = prepared.batch.kind, prepared.batch
    span = frame.select(pl.col(kind.period).cast(pl.Date).min().alias("lo"), pl.col(kind.period).cast(pl.Date).max().alias("hi"))
    lo, hi = span.row(0)
    if lo is None:
        return 0
    kept = frame.filter(pl.int_range(pl.len()).is_in(bad)).select(
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in kind.key], separator="|").alias("row_key"))
    register_frame(con, "kept_keys", kept)
    table = quoted(kind.table)
    match = " AND ".join(f"{table}.{quoted(k)} = s.{quoted(k)}" for k in kind.key)
    where = [f"CAST({quoted(kind.period)} AS DATE) BETWEEN $lo AND $hi",
             f"{_key_expr(kind)} NOT IN (SELECT row_key FROM kept_keys)",
             f"NOT EXISTS (SELECT 1 FROM staged s WHERE {match})"]
    params = {"lo": lo, "hi": hi}
    if kind.period_group:
        where.append(f"{quoted(kind.period_group)} IN (SELECT unnest($groups))")
        params["groups"] = frame[kind.period_group].drop_nulls().unique().to_list()
    if kind.name == "inspection" and "supplier" in batch.carried:
        where.append("(supplier IN (SELECT unnest($suppliers)) OR (supplier IS NULL AND $unnamed))")
        params["suppliers"] = frame["supplier"].drop_nulls().unique().to_list()
        params["unnamed"] = frame["supplier"].null_count() > 0
    before = row_count(con, kind.table)
    con.execute(f"DELETE FROM {table} WHERE " + " AND ".join(where), params)
    con.unregister("kept_keys")
    return before - row_count(con, kind.table)


def _merge_answers(con, batch: StagedBatch) -> None:
    """Survey answers per question, replacing the answers of the responses in the batch."""
    sql.run(con, "etl/staged_answers_delete")
    for column in batch.question_columns:
        con.execute(f"INSERT INTO survey_answer SELECT survey_year, response_id, $q, {quoted(column)} FROM staged "
                    f"WHERE {quoted(column)} IS NOT NULL", {"q": column[len(QUESTION_PREFIX):]})


def _insert_rows(con, table: str, columns: list[str], rows: list[tuple], stamp: str | None = None) -> None:
    """Insert many rows in one statement (DuckDB's executemany runs one statement per row)."""
    if not rows:
        return
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    register_frame(con, "new_rows", frame)
    targets = ", ".join(quoted(c) for c in columns + ([stamp] if stamp else []))
    con.execute(f"INSERT INTO {quoted(table)} ({targets}) SELECT *{', current_localtimestamp()' if stamp else ''} FROM new_rows")
    con.unregister("new_rows")


def _record_quarantine(con, prepared: Prepared, run_id: int, bad: list[int]) -> None:
    """The file's quarantined cells, with the natural key of their rows."""
    if not bad:
        return
    kind, outcome = prepared.batch.kind, prepared.outcome
    keys = prepared.batch.frame.select(
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in kind.key], separator="|").alias("k"))["k"]
    rows = [(run_id, outcome.hash, outcome.name, kind.name, f.source_row, keys[index], shown_column(prepared.batch, f.column),
             None if f.value is None else str(f.value), f.reason_zh, f.reason_en)
            for index in bad for f in prepared.quarantine[index]]
    _insert_rows(con, "quarantine", ["run_id", "file_hash", "file_name", "kind", "source_row", "row_key",
                                     "column_name", "value", "reason_zh", "reason_en"], rows, stamp="quarantined_at")


def _record_outcomes(con, run_id: int, outcome: FileOutcome, outcomes: list, batch: StagedBatch | None = None) -> None:
    """The file's row in source_file and its validation results."""
    sql.run(con, "etl/record_source_file",
            hash=outcome.hash, name=outcome.name, kind=outcome.kind, format=outcome.format,
            encoding=outcome.encoding, bytes=outcome.bytes, rows=outcome.rows, loaded=outcome.loaded,
            quarantined=outcome.quarantined, inserted=outcome.inserted, updated=outcome.updated,
            unchanged=outcome.same, deleted=outcome.deleted, replace=outcome.replace, status=outcome.status,
            message=outcome.reason_en or None, message_zh=outcome.reason_zh or None, run=run_id)
    _insert_rows(con, "validation_result",
                 ["run_id", "file_hash", "file_name", "suite", "expectation", "column_name", "severity", "success",
                  "observed_value", "unexpected_count"],
                 [(run_id, outcome.hash, outcome.name, o[0], o[1], shown_column(batch, o[2]) if batch else o[2], *o[3:5], None if o[5] is None else str(o[5]), o[6])
                  for o in outcomes])


def _new_file_staged(path: Path, known: LoadedFiles, mapping: SiteMapping, helpers: ThreadPoolExecutor,
                     snapshot: EarlySnapshot) -> tuple[StagedBatch | FileOutcome | None, str]:
    """The file staged (or refused) and its content hash; None instead of a batch when it was loaded before.

    A new file starts the opening of the snapshot that will take it. A file whose size no known file has is new
    for certain: it is read while another thread hashes it.
    """
    size = path.stat().st_size
    if known.may_hold(size):
        digest = file_hash(path)
        if digest in known.hashes:
            return None, digest
        snapshot.start()
        result = staged_or_refused(path, digest, mapping)
    else:
        snapshot.start()
        hashing = helpers.submit(file_hash, path)
        result = staged_or_refused(path, "", mapping)
        digest = hashing.result()
        if isinstance(result, FileOutcome):
            result.hash = digest
    known.add(digest, size)
    return result, digest


def load_paths(paths: list[Path], settings: Settings, progress: Progress | None = None, actor: str | None = None,
               command: str = "load", validate: bool = True, today: dt.date | None = None, replace: bool = False,
               dry_run: bool = False) -> LoadSummary:
    """Load every export file under paths into the warehouse in one snapshot swap.

    replace: every file is a complete export of its period (see merge_batch); the site mapping can say so per kind
    or file pattern too. dry_run: everything is done and counted in a snapshot that is then thrown away.
    """
    files, skipped = folder_files(paths)
    if not files:
        raise UsageError("no export files (" + ", ".join(sorted(EXPORT_SUFFIXES)) + ") found in "
                         + ", ".join(map(str, paths)))
    mapping = read_site_mapping(settings.mapping_file)
    if validate:
        from expectations import warm_up

        warm_up()  # Great Expectations imports while the files are read
    today = today or settings.plant_today()
    known = loaded_files(settings.warehouse)
    tick = progress or (lambda step, done, total: None)
    # two helpers: one opens the snapshot (lock, copy, migrations) and one hashes while this thread reads
    with ThreadPoolExecutor(2, thread_name_prefix="load") as helpers, \
            EarlySnapshot(settings.warehouse, helpers, keep=settings.snapshots_kept) as snapshot:
        summary, prepared = _judged_files(files, known, mapping, settings, validate, today, tick, helpers, snapshot)
        summary.skipped, summary.dry_run = skipped, dry_run
        for p in prepared:
            p.outcome.replace = replace or mapping.replaces_period(p.batch.kind, p.outcome.name)
        if prepared:
            prepared = _still_new(snapshot.connection(), summary, prepared)
        if not prepared:
            snapshot.discard = True
            tick("done", len(files), len(files))
            return summary
        tick("merge", len(files), len(files))
        merge_run(snapshot.connection(), summary, prepared, actor, command, validate)
        snapshot.discard = dry_run
    if actor is not None and not dry_run:
        from warehouse.users import audit

        audit(settings, actor, command, {"run": summary.run_id, **_summary_counts(summary)})
    tick("done", len(files), len(files))
    return summary


def _still_new(con: duckdb.DuckDBPyConnection, summary: LoadSummary, prepared: list[Prepared]) -> list[Prepared]:
    """The files no other load has taken since this one looked, judged under the lock on the snapshot's copy; the
    others become unchanged in the summary."""
    loaded = {r[0] for r in sql.rows(con, "etl/loaded_files")}
    for p in prepared:
        if p.outcome.hash in loaded:
            slot = next(i for i, o in enumerate(summary.files) if o is p.outcome)
            summary.files[slot] = FileOutcome(p.outcome.path, p.outcome.hash, "unchanged")
    return [p for p in prepared if p.outcome.hash not in loaded]


def _judged_files(files: list[Path], known: LoadedFiles, mapping: SiteMapping, settings: Settings, validate: bool,
                  today: dt.date, tick: Progress, helpers: ThreadPoolExecutor,
                  snapshot: EarlySnapshot) -> tuple[LoadSummary, list[Prepared]]:
    """Every file read, validated and judged: the run's summary so far and the files ready to merge."""
    outcomes: list[FileOutcome | None] = []
    staged: list[tuple[int, Path, str, StagedBatch]] = []
    for n, path in enumerate(files):
        tick(f"read {path.name}", n, len(files))
        result, digest = _new_file_staged(path, known, mapping, helpers, snapshot)
        if result is None:
            outcomes.append(FileOutcome(path, digest, "unchanged"))
            continue
        outcomes.append(result if isinstance(result, FileOutcome) else None)
        if not isinstance(result, FileOutcome):
            staged.append((len(outcomes) - 1, path, digest, result))
    batches = [b for *_, b in staged]
    checks = validated(batches, today, tick) if validate else [_parse_check(b) for b in batches]
    prepared: list[Prepared] = []
    for (slot, path, digest, batch), check in zip(staged, checks):
        result = judged_file(path, digest, batch, check, settings)
        outcomes[slot] = result if isinstance(result, FileOutcome) else result.outcome
        if not isinstance(result, FileOutcome):
            prepared.append(result)
    return LoadSummary(outcomes), prepared


def merge_run(con: duckdb.DuckDBPyConnection, summary: LoadSummary, prepared: list[Prepared], actor: str | None,
              command: str, validate: bool = True, upload_batch: str | None = None) -> None:
    """Merge validated files as one etl_run inside the caller's snapshot; fills summary's run id and reconciliation."""
    summary.run_id = sql.rows(con, "etl/run_start", command=command, actor=actor)[0][0]
    for p in sorted(prepared, key=lambda p: KIND_ORDER.index(p.batch.kind.name)):
        merge_batch(con, p, summary.run_id, upload_batch)
    for o in summary.files:
        if o.status == "refused":
            _record_outcomes(con, summary.run_id, o, [])
    if validate:
        summary.reconciliation_failures = _reconcile(con, summary.run_id)
    status = "partial" if summary.exit_code else "ok"
    sql.run(con, "etl/run_finish", id=summary.run_id, status=status,
            summary=json.dumps(_summary_counts(summary), ensure_ascii=False))


def _reconcile(con, run_id: int) -> list:
    """Run the warehouse reconciliation checks and record them; return the failed ones."""
    from expectations import reconciliation_outcomes

    results = reconciliation_outcomes(con)
    _insert_rows(con, "validation_result",
                 ["run_id", "suite", "expectation", "column_name", "severity", "success", "observed_value",
                  "unexpected_count"],
                 [(run_id, o.suite, o.expectation, o.column, o.severity, o.success,
                   None if o.observed_value is None else str(o.observed_value), o.unexpected_count) for o in results])
    return [o for o in results if not o.success]


def _summary_counts(summary: LoadSummary) -> dict:
    return {"loaded": summary.count("loaded"), "unchanged": summary.count("unchanged"),
            "refused": summary.count("refused"),
            "rows_loaded": sum(f.loaded for f in summary.files),
            "rows_quarantined": sum(f.quarantined for f in summary.files),
            **{f"rows_{n}": sum(getattr(f, n) for f in summary.files) for n in ("inserted", "updated", "same", "deleted")}}
