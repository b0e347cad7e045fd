"""Survey uploads from the app: preview (read, map and validate exactly as `etl load` does), commit as an upload
batch through the ordinary merge, recognise a file uploaded before, undo a batch; the template.

An uploaded file's name is data only: it is stored and shown, never used in a path or a command. The bytes are
staged in a private temporary folder under a generated name.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl.load import (FileOutcome, LoadSummary, batch_errors, Prepared, judged_file, merge_run, staged_or_refused,
                      validated)
from etl.mapping import read_site_mapping
from warehouse.sources import KINDS
from etl.stage import QUESTION_PREFIX
from warehouse import sql
from warehouse.db import read_connection, register_frame
from warehouse.errors import BilingualError
from warehouse.settings import Settings
from warehouse.snapshot import write_snapshot
from warehouse.users import audit

SURVEY_KIND = "survey_response"
TEMPLATE_HEADERS = ["调查年度", "问卷编号", "客户名称", "客户类别", *[f"问题{q}" for q in range(1, 9)], "总体满意度"]
PREVIEW_ROWS = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(BilingualError):
    """An upload action that cannot be done (unknown batch, undone already); str() is English, .reason_zh Chinese."""


class _Duplicate(Exception):
    """Raised inside the write to discard it: the same content was loaded meanwhile."""

    def __init__(self, earlier: "EarlierLoad"):
        super().__init__(earlier.batch_id)
        self.earlier = earlier


@dataclass(frozen=True)
class UploadProblem:
    """Why the upload, or one of its cells, is not accepted; row and column are None for the whole file."""

    row: int | None           # the row number a spreadsheet shows
    column: str | None        # the header as written in the file
    value: str | None
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class EarlierLoad:
    """The load of the same content that still counts: an upload batch, or a file the ETL loaded."""

    batch_id: str | None
    file_name: str
    loaded_at: dt.datetime
    loaded_by: str | None

    @property
    def message_zh(self) -> str:
        """Says, in Chinese, that the file was loaded before and is not counted again."""
        where = f"上传为批次 {self.batch_id}" if self.batch_id else "通过数据加载导入"
        who = f"由 {self.loaded_by} " if self.loaded_by else ""
        return f"相同内容的文件“{self.file_name}”已于 {self.loaded_at:%Y-%m-%d %H:%M} {who}{where}，不会重复计入"

    @property
    def message_en(self) -> str:
        """Says, in English, that the file was loaded before and is not counted again."""
        where = f"uploaded as batch {self.batch_id}" if self.batch_id else "loaded by the ETL"
        who = f" by {self.loaded_by}" if self.loaded_by else ""
        return (f"a file with the same content ({self.file_name}) was {where} on {self.loaded_at:%Y-%m-%d %H:%M}{who}; "
                "it is not counted again")


@dataclass
class UploadPreview:
    """What an uploaded file holds and what committing it would do."""

    file_name: str                                            # as uploaded, control characters removed: data only
    size: int
    file_hash: str
    format: str | None = None                                 # csv, xlsx, xls, html
    encoding: str | None = None                               # utf-8, utf-8-sig, gb18030, big5, utf-16 (CSV, HTML)
    kind: str | None = None                                   # the source kind its headers map to
    columns: dict[str, str] = field(default_factory=dict)     # header -> canonical column (q:<header> for questions)
    ignored_headers: list[str] = field(default_factory=list)
    rows: int = 0
    rows_ok: int = 0                                          # rows that would load (the others are quarantined)
    warnings: int = 0
    first_rows: pl.DataFrame | None = None                    # the first rows as text, "__row" = spreadsheet row
    problems: list[UploadProblem] = field(default_factory=list)
    earlier: EarlierLoad | None = None                        # the same content loaded before
    replaces: int = 0                                         # responses already in the warehouse it would replace
    prepared: Prepared | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> str:
        """ok (can be committed), duplicate (loaded before) or refused."""
        if self.prepared is None:
            return "refused"
        return "duplicate" if self.earlier else "ok"

    @property
    def message_zh(self) -> str:
        """One line on the outcome, in Chinese."""
        if self.status == "duplicate":
            return self.earlier.message_zh
        if self.status == "refused":
            return "；".join(p.reason_zh for p in self.problems if p.row is None) or "文件不能导入"
        bad = f"，{self.rows - self.rows_ok} 行未通过校验将被隔离" if self.rows_ok < self.rows else ""
        again = f"，其中 {self.replaces} 份问卷已存在，将被替换" if self.replaces else ""
        return f"可导入 {self.rows_ok} 行{bad}{again}"

    @property
    def message_en(self) -> str:
        """One line on the outcome, in English."""
        if self.status == "duplicate":
            return self.earlier.message_en
        if self.status == "refused":
            return "; ".join(p.reason_en for p in self.problems if p.row is None) or "the file cannot be loaded"
        bad = f"; {self.rows - self.rows_ok} rows fail validation and will be quarantined" if self.rows_ok < self.rows else ""
        again = f"; {self.replaces} of the responses exist already and will be replaced" if self.replaces else ""
        return f"{self.rows_ok} rows can be loaded{bad}{again}"


@dataclass(frozen=True)
class UploadResult:
    """The outcome of committing an upload."""

    status: str                   # loaded, duplicate, refused
    batch_id: str | None          # the new batch; for a duplicate, the earlier batch (None when the ETL loaded it)
    rows: int                     # rows loaded by this upload
    quarantined: int
    message_zh: str
    message_en: str
    problems: list[UploadProblem] = field(default_factory=list)


@dataclass(frozen=True)
class UploadBatch:
    """One upload, as upload_batch records it."""

    id: str
    kind: str
    file_hash: str
    file_name: str
    uploaded_by: str | None
    uploaded_at: dt.datetime
    rows: int | None
    undone_at: dt.datetime | None
    undone_by: str | None


# Preview -------------------------------------------------------------------------------------------------


def uploaded_name(file_name: str | None) -> str:
    """The uploaded file's name for display and storage: its last part, no control characters, at most 200."""
    name = _CONTROL.sub("", str(file_name or "")).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "upload"


def _refused(preview: UploadPreview, zh: str, en: str) -> UploadPreview:
    preview.problems.append(UploadProblem(None, None, None, zh, en))
    return preview


def preview_upload(file_name: str, data: bytes, settings: Settings, today: dt.date | None = None) -> UploadPreview:
    """What an uploaded survey file holds, read, mapped and validated as `etl load` would; writes nothing."""
    name = uploaded_name(file_name)
    preview = UploadPreview(name, len(data), hashlib.sha256(data).hexdigest())
    limit = settings.upload_max_mb * 1024 * 1024
    if len(data) > limit:
        mb = len(data) / 1024 / 1024
        return _refused(preview, f"文件大小 {mb:.1f} MB，超过上限 {settings.upload_max_mb:g} MB",
                        f"the file is {mb:.1f} MB, more than the limit of {settings.upload_max_mb:g} MB")
    mapping = read_site_mapping(settings.mapping_file)
    with tempfile.TemporaryDirectory(prefix="quality-upload-") as folder:
        path = Path(folder) / f"{secrets.token_hex(8)}{'.xlsx' if data[:2] == b'PK' else '.csv'}"
        path.write_bytes(data)
        staged = staged_or_refused(path, preview.file_hash, mapping, name)
        if isinstance(staged, FileOutcome):
            return _refused(preview, staged.reason_zh, staged.reason_en)
        preview.format, preview.encoding, preview.kind = staged.raw.format, staged.raw.encoding, staged.kind.name
        preview.columns = dict(staged.header_map) | {c[len(QUESTION_PREFIX):]: c for c in staged.question_columns}
        preview.ignored_headers, preview.rows = list(staged.ignored_headers), staged.frame.height
        preview.first_rows = staged.raw.frame.select("__row", pl.exclude("__row")).head(PREVIEW_ROWS)
        if staged.kind.name != SURVEY_KIND:
            kind = staged.kind
            return _refused(preview, f"这是“{kind.label_zh}”文件（{kind.name}），不是顾客满意度调查；此处只接受满意度调查，"
                                     "其他数据请由分析员通过数据加载导入",
                            f"this is a {kind.label_en} file ({kind.name}), not a customer satisfaction survey; only "
                            "surveys are accepted here, other exports are loaded by an analyst")
        check = validated([staged], today or settings.plant_today(), lambda *_: None)[0]
        preview.problems += _cell_problems(check.quarantine, preview.columns)
        errors = check.batch_errors or batch_errors(preview.rows, len(check.quarantine), settings.bad_row_share)
        preview.problems += [UploadProblem(None, None, None, zh, en) for zh, en in errors]
        judged = judged_file(path, preview.file_hash, staged, check, settings)
    preview.warnings = check.warnings
    if isinstance(judged, FileOutcome):
        return preview
    judged.outcome.display_name = name
    preview.prepared, preview.rows_ok = judged, judged.outcome.loaded
    preview.earlier, preview.replaces = _warehouse_view(settings, preview)
    return preview


def _cell_problems(quarantine: dict[int, list], columns: dict[str, str]) -> list[UploadProblem]:
    """The quarantined cells, by row, named by the header the file uses."""
    headers = {column: header for header, column in columns.items()}
    return [UploadProblem(f.source_row, headers.get(f.column, f.column), None if f.value is None else str(f.value),
                          f.reason_zh, f.reason_en)
            for index in sorted(quarantine, key=lambda i: quarantine[i][0].source_row) for f in quarantine[index]]


def _earlier_load(con, file_hash: str) -> EarlierLoad | None:
    rows = sql.rows(con, "etl/upload_earlier_load", hash=file_hash)
    return EarlierLoad(*rows[0]) if rows else None


def _warehouse_view(settings: Settings, preview: UploadPreview) -> tuple[EarlierLoad | None, int]:
    """The earlier load of the same content, and how many of the responses the warehouse holds already."""
    if not settings.warehouse.exists():
        return None, 0
    keys = preview.prepared.batch.frame.select("survey_year", "response_id")
    with read_connection(settings.warehouse) as con:
        earlier = _earlier_load(con, preview.file_hash)
        register_frame(con, "upload_keys", keys)
        existing = sql.rows(con, "etl/upload_existing_responses")[0][0]
        con.unregister("upload_keys")
    return earlier, existing


# Commit and undo -----------------------------------------------------------------------------------------


def new_batch_id(now: dt.datetime) -> str:
    """A new upload batch id: readable time and a random suffix."""
    return f"U{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def commit_upload(upload: UploadPreview | bytes, settings: Settings, actor: str | None, file_name: str = "upload.csv",
                  today: dt.date | None = None) -> UploadResult:
    """Load a survey upload as a new batch in one snapshot swap, unless its content was loaded before; audited."""
    preview = upload if isinstance(upload, UploadPreview) else preview_upload(file_name, upload, settings, today)
    what = {"file": preview.file_name, "hash": preview.file_hash}
    if preview.status == "refused":
        audit(settings, actor, "upload_refused", {**what, "reason": preview.message_en})
        return UploadResult("refused", None, 0, 0, preview.message_zh, preview.message_en, preview.problems)
    now = dt.datetime.now()
    batch_id, outcome = new_batch_id(now), preview.prepared.outcome
    try:
        with write_snapshot(settings.warehouse, keep=settings.snapshots_kept) as con:
            if earlier := _earlier_load(con, preview.file_hash):  # under the lock: as it is now, not at the preview
                raise _Duplicate(earlier)
            merge_run(con, LoadSummary([outcome]), [preview.prepared], actor, "upload", True, batch_id)
            sql.run(con, "etl/upload_batch_insert", id=batch_id, kind=SURVEY_KIND, file_hash=preview.file_hash,
                    file_name=preview.file_name, uploaded_by=actor, uploaded_at=now, rows=outcome.loaded)
    except _Duplicate as dup:
        audit(settings, actor, "upload_duplicate", {**what, "earlier_batch": dup.earlier.batch_id})
        return UploadResult("duplicate", dup.earlier.batch_id, 0, 0, dup.earlier.message_zh, dup.earlier.message_en)
    audit(settings, actor, "upload", {**what, "batch": batch_id, "rows": outcome.loaded,
                                      "quarantined": outcome.quarantined})
    held = f"，{outcome.quarantined} 行未通过校验已隔离" if outcome.quarantined else ""
    held_en = f"; {outcome.quarantined} rows failed validation and were quarantined" if outcome.quarantined else ""
    return UploadResult("loaded", batch_id, outcome.loaded, outcome.quarantined,
                        f"已导入 {outcome.loaded} 行（批次 {batch_id}）{held}",
                        f"{outcome.loaded} rows loaded (batch {batch_id}){held_en}", preview.problems)


def upload_batches(con) -> list[UploadBatch]:
    """Every upload batch, newest first, on a connection to the warehouse."""
    return [UploadBatch(*r) for r in sql.rows(con, "etl/upload_batches")]


def undo_upload(batch_id: str, settings: Settings, actor: str | None, now: dt.datetime | None = None) -> int:
    """Remove a batch's responses, their answers and what it registered, mark it undone; the responses removed."""
    now = now or dt.datetime.now()
    with write_snapshot(settings.warehouse, keep=settings.snapshots_kept) as con:
        rows = sql.rows(con, "etl/upload_batch_by_id", id=batch_id)
        if not rows:
            raise UploadError(f"no upload batch {batch_id!r}", f"没有上传批次“{batch_id}”")
        batch = UploadBatch(*rows[0])
        if batch.undone_at is not None:
            raise UploadError(f"upload batch {batch_id} was undone on {batch.undone_at:%Y-%m-%d %H:%M} already",
                              f"上传批次 {batch_id} 已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销")
        sql.run(con, "etl/upload_answers_delete", batch=batch_id)
        removed = len(sql.rows(con, "etl/upload_responses_delete", batch=batch_id))
        for name in ("etl/upload_customers_delete", "etl/upload_quarantine_delete", "etl/upload_source_file_undo"):
            sql.run(con, name, hash=batch.file_hash)
        sql.run(con, "etl/upload_batch_undo", id=batch_id, now=now, actor=actor)
    audit(settings, actor, "upload_undo", {"batch": batch_id, "file": batch.file_name, "responses": removed}, now)
    return removed


# Template ------------------------------------------------------------------------------------------------


def survey_template_csv() -> bytes:
    """The survey upload template: its Chinese headers as CSV, UTF-8 with a byte-order mark (Excel shows Chinese)."""
    return (",".join(TEMPLATE_HEADERS) + "\r\n").encode("utf-8-sig")


def survey_template_xlsx() -> bytes:
    """The survey upload template as an XLSX workbook: the header row, bold and frozen."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(KINDS[SURVEY_KIND].label_zh)
    bold = book.add_format({"bold": True})
    for col, header in enumerate(TEMPLATE_HEADERS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(10, len(header) * 2 + 2))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()

