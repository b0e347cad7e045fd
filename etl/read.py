"""Read an export file (CSV in UTF-8 / UTF-8-BOM / GBK / GB18030, or XLSX) into an all-text table.

The header row is found among the first HEADER_SEARCH_ROWS rows (title rows above it are skipped), rows that
are entirely empty and the totals rows Chinese ERPs append are dropped, and "__row" keeps the row number a
spreadsheet shows for every row that is left.
"""
from __future__ import annotations

import codecs
import csv
import io
import statistics
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable

import fastexcel
import polars as pl

HEADER_SEARCH_ROWS = 10
HEAD_BYTES = 256 * 1024  # enough text to see the header, the delimiter and the encoding
SEPARATORS = (",", "\t", ";")
TOTAL_WORDS = ("合计", "总计", "小计", "总合计", "累计", "total", "sum")
# a totals word alone in its cell, spaces allowed anywhere (合 计), a colon after it
_TOTALS = r"(?i)^\s*(?:" + "|".join(r"\s*".join(word) for word in TOTAL_WORDS) + r")\s*[:：]?\s*$"
_TOTALS_OR_BLANK = _TOTALS + r"|^\s*$"
ROW = "__row"


@dataclass
class RawTable:
    """An export file as text: every column pl.String plus "__row" (Int32), the row number in the file."""

    frame: pl.DataFrame
    format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig" or "gb18030" for CSV; None for XLSX
    sheet: str | None  # the sheet read, for XLSX


class UnreadableFile(ValueError):
    """A file that is not a table this module can read; str() is English, .reason_zh is Chinese."""

    def __init__(self, path: Path, reason: str, reason_zh: str):
        super().__init__(f"cannot read {Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason_zh = f"无法读取文件 {Path(path).name}：{reason_zh}"


def read_table(path: Path, sheet: str | None = None, header_hint: Callable[[list[str]], bool] | None = None) -> RawTable:
    """The table in a CSV or XLSX file, its format told by content, headers found below any title rows."""
    path = Path(path)
    with path.open("rb") as f:
        magic = f.read(8)
    if not magic:
        raise UnreadableFile(path, "the file is empty", "文件是空的")
    if magic.startswith(b"PK"):
        return _xlsx_table(path, sheet, header_hint)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(path, "an old .xls or password-protected workbook; save it as .xlsx or CSV",
                             "这是旧版 .xls 或加密的工作簿，请另存为 .xlsx 或 CSV")
    return _csv_table(path, header_hint)


def _csv_table(path: Path, header_hint) -> RawTable:
    """RawTable of a CSV file: UTF-8 (with or without BOM) read by polars from the file, else GB18030."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    encoding = _csv_encoding(path, head, more=len(head) == HEAD_BYTES)
    if encoding != "gb18030":
        try:
            return RawTable(_csv_frame(path, path, head, header_hint), "csv", encoding, None)
        except pl.exceptions.ComputeError:  # invalid UTF-8 further down than the head
            if encoding == "utf-8-sig":
                raise UnreadableFile(path, "marked UTF-8 but has invalid UTF-8 bytes", "标记为 UTF-8 但含有无效字节")
    try:
        utf8 = path.read_bytes().decode("gb18030").encode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(path, "the text is neither UTF-8 nor GBK/GB18030",
                             "文本编码既不是 UTF-8 也不是 GBK/GB18030") from error
    return RawTable(_csv_frame(path, utf8, utf8[:HEAD_BYTES], header_hint), "csv", "gb18030", None)


def _csv_encoding(path: Path, head: bytes, more: bool) -> str:
    """"utf-8-sig", "utf-8" or "gb18030" judged by the first bytes (more: the file goes on); binary raises."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(path, "UTF-16 text; save it as CSV UTF-8", "这是 UTF-16 文本，请另存为 CSV UTF-8")
    if b"\x00" in head:
        raise UnreadableFile(path, "binary data, not a CSV or XLSX table", "这是二进制文件，不是 CSV 或 XLSX 表格")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=not more)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _csv_frame(path: Path, source: Path | bytes, head: bytes, header_hint) -> pl.DataFrame:
    """Frame of UTF-8 CSV (a file or bytes) whose header row is found in head, its first bytes."""
    if len(head) == HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head  # whole lines only
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    separator = _separator(text)
    try:
        rows = list(islice(csv.reader(io.StringIO(text), delimiter=separator), HEADER_SEARCH_ROWS))
    except csv.Error as error:
        raise UnreadableFile(path, f"not a readable CSV ({error})", "不是可读取的 CSV 文件") from error
    header_at = _header_index(path, rows, header_hint)
    try:
        body = pl.read_csv(
            source, has_header=True, skip_rows=header_at, separator=separator, infer_schema=False,
            truncate_ragged_lines=True, raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
            raise pl.exceptions.ComputeError(str(error)) from error  # the caller tries GB18030
        raise UnreadableFile(path, f"not a readable CSV ({error})", "不是可读取的 CSV 文件") from error
    return _table(body, rows[header_at], header_at + 2)


def _separator(text: str) -> str:
    """The delimiter giving the most fields per line (median over the first lines); comma on a tie."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()] or [""]
    widths = {
        sep: statistics.median_low(len(r) for r in csv.reader(lines, delimiter=sep)) for sep in SEPARATORS
    }
    return max(SEPARATORS, key=lambda sep: widths[sep])  # max keeps the first (comma) on a tie


def _xlsx_table(path: Path, sheet: str | None, header_hint) -> RawTable:
    """RawTable of a sheet (the first one by default) of an XLSX workbook."""
    try:
        names = fastexcel.read_excel(path).sheet_names
    except Exception as error:  # fastexcel raises its own error types for non-workbooks
        raise UnreadableFile(path, "a ZIP archive that is not an XLSX workbook", "这是 ZIP 压缩包，不是 XLSX 工作簿") from error
    if not names:
        raise UnreadableFile(path, "the workbook has no sheets", "工作簿中没有工作表")
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        raise UnreadableFile(path, f"no sheet named {sheet!r}; sheets: {', '.join(names)}",
                             f"没有名为“{sheet}”的工作表；现有工作表：{'、'.join(names)}")
    grid = pl.read_excel(
        path, sheet_name=sheet, engine="calamine", has_header=False,
        read_options={"header_row": None, "skip_rows": 0, "dtypes": "string"},
        drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False,
    )
    # calamine writes date cells as "YYYY-MM-DD HH:MM:SS"; a date without a time becomes "YYYY-MM-DD"
    grid = grid.with_columns(pl.all().str.replace(r"^(\d{4}-\d\d-\d\d) 00:00:00$", "${1}"))
    rows = grid.head(HEADER_SEARCH_ROWS).rows()
    header_at = _header_index(path, rows, header_hint)
    return RawTable(_table(grid.slice(header_at + 1), rows[header_at], header_at + 2), "xlsx", None, sheet)


def _header_index(path: Path, rows: list, header_hint) -> int:
    """Index of the header among the first rows: the first header_hint accepts, else the first dense row.

    A dense row has more than one non-empty cell and at least half as many as the fullest of these rows.
    """
    cells = [[(c or "").strip() for c in row] for row in rows]
    filled = [sum(1 for c in row if c) for row in cells]
    if header_hint is not None:
        for i, row in enumerate(cells):
            if filled[i] and header_hint(row):
                return i
    widest = max(filled, default=0)
    for i, count in enumerate(filled):
        if count > 1 and 2 * count >= widest:
            return i
    raise UnreadableFile(path, f"no header row in the first {HEADER_SEARCH_ROWS} rows; is this a table?",
                         f"前 {HEADER_SEARCH_ROWS} 行中找不到表头行，文件不像是表格")


def _column_names(header: list) -> list[str]:
    """Header cells stripped; empty ones named "column_N" (N counted from 1), repeats suffixed "_2", "_3"."""
    names: list[str] = []
    taken = {ROW}
    for i, cell in enumerate(header, start=1):
        base = (cell or "").strip() or f"column_{i}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names.append(name)
    return names


def _table(body: pl.DataFrame, header: list, first_row: int) -> pl.DataFrame:
    """Body renamed to the header, with "__row" from first_row, empty and totals rows dropped."""
    header = (list(header) + [None] * body.width)[: body.width]
    body = body.rename(dict(zip(body.columns, _column_names(header))))
    body = body.with_columns(_row_numbers(body, first_row))
    first = body.select(pl.coalesce(body.columns[:-1])).to_series()
    if first.null_count() == 0 and not first.str.contains(_TOTALS_OR_BLANK).any():
        return body  # every row has data and none is a totals row: the common case, one scan
    first = _first_filled(body.drop(ROW))
    return body.filter(first.is_not_null() & ~first.str.contains(_TOTALS))


def _row_numbers(body: pl.DataFrame, first_row: int) -> pl.Series:
    """The "__row" column, in chunks as long as the body's (polars copies a frame whose columns are chunked unlike
    each other at every later select)."""
    numbers = pl.int_range(first_row, first_row + body.height, dtype=pl.Int32, eager=True).alias(ROW)
    if body.width == 0 or body.height == 0:
        return numbers
    start, parts = 0, []
    for length in body.to_series(0).chunk_lengths():
        parts.append(numbers.slice(start, length))
        start += length
    return pl.concat(parts, rechunk=False)


def _first_filled(frame: pl.DataFrame) -> pl.Expr:
    """Expression for each row's first cell that is not empty or whitespace (null when there is none)."""
    cells = [pl.col(c) for c in frame.columns]
    if frame.select(pl.coalesce(cells).str.contains(r"^\s*$").any()).item():  # rare: whitespace-only cells
        cells = [pl.when(c.str.contains(r"\S")).then(c) for c in cells]
    return pl.coalesce(cells)
