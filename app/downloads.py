"""Tables as files: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (xlsxwriter).

Neither can smuggle a formula into a spreadsheet: CSV text cells (and headers) that begin with = + - @, tab or CR
get a leading apostrophe (safe_cell); XLSX writes every text cell with write_string, never as a formula.
"""
from __future__ import annotations

import io
import math

import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value for a CSV/XLSX download: text starting with = + - @, tab or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV bytes, UTF-8 with a byte-order mark; text that a spreadsheet would run as a formula is quoted."""
    safe = frame.map(safe_cell).rename(columns=lambda c: safe_cell(str(c)))
    return safe.to_csv(index=False).encode("utf-8-sig")


def _cell(value):
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The frame as an XLSX workbook (one sheet, header row bold and frozen, dates formatted)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, name in enumerate(frame.columns):
        page.write_string(0, col, str(name), bold)
        page.set_column(col, col, max(10, min(40, len(str(name)) * 2)))
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(values):
            value = _cell(value)
            if value is None:
                continue
            if hasattr(value, "hour"):
                page.write_datetime(row, col, value, stamp)
            elif hasattr(value, "year"):
                page.write_datetime(row, col, value, day)
            elif isinstance(value, bool):
                page.write_boolean(row, col, value)
            elif isinstance(value, (int, float)):
                page.write_number(row, col, value)
            else:
                page.write_string(row, col, str(value))
    page.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
