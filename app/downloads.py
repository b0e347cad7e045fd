"""Tables as files: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (xlsxwriter).

Figures are numbers in both, rounded as the table shows them (warehouse.numbers): a count 1680, not 1680.0, a rate
96.5, a change -0.3 (never -0.0). A column with a unit (units: column -> unit spec, see warehouse.numbers) names it
in its CSV header (国内销售额 (万元)); its XLSX cells hold numbers with the unit's number format ('#,##0" ppm"',
'#,##0.0"%"'), so Excel shows 1,548 ppm and still adds them up. A column of whole numbers without a unit is written
as integers.

Neither can smuggle a formula into a spreadsheet: CSV text cells (and headers) that begin with = + - @, tab or CR
get a leading apostrophe (safe_cell), numbers never (a negative change stays -0.3); XLSX writes every text cell with
write_string, never as a formula.
"""
from __future__ import annotations

import io
import math

import pandas as pd
import xlsxwriter

from warehouse import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value for a CSV/XLSX download: text starting with = + - @, tab or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def figures_frame(frame: pd.DataFrame, units: dict | None = None) -> pd.DataFrame:
    """The frame with its figures as a download writes them: each column with a unit rounded to it (a unit spec, or
    one per row), whole numbers as integers; other columns as they are."""
    out = frame.copy()
    for column in out.columns:
        spec = (units or {}).get(column)
        values = out[column]
        if spec is not None:
            specs = [spec] * len(out) if isinstance(spec, str) else list(spec)
            cells = [numbers.cell_value(x, s) for x, s in zip(values, specs)]
            integral = all(c is None or isinstance(c, int) for c in cells)
            # each cell its own number: a column of rates and PPM (a unit per row) writes 96.5 and 1548, not 1548.0
            out[column] = pd.array(cells, dtype="Int64") if integral else pd.Series(cells, index=out.index, dtype=object)
        elif pd.api.types.is_float_dtype(values) and values.dropna().map(float.is_integer).all():
            out[column] = values.round().astype("Int64")
    return out


def csv_bytes(frame: pd.DataFrame, units: dict | None = None, lang: str = "zh") -> bytes:
    """The frame as CSV bytes, UTF-8 with a byte-order mark: figures as plain numbers (figures_frame), a column of one
    unit naming it in its header; text that a spreadsheet would run as a formula is quoted."""
    named = {c: numbers.header_text(str(c), spec, lang) for c, spec in (units or {}).items()
             if isinstance(spec, str) and c in frame.columns}
    safe = figures_frame(frame, units)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):     # object kept as object: 1548 stays 1548, not 1548.0
            safe[column] = pd.Series([safe_cell(x) for x in safe[column]], index=safe.index, dtype=object)
    safe = safe.rename(columns=lambda c: safe_cell(named.get(c, str(c))))
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


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data", units: dict | None = None, lang: str = "zh") -> bytes:
    """The frame as an XLSX workbook (one sheet, header row bold and frozen, dates formatted): figures as numbers,
    each column with a unit in that unit's number format (warehouse.numbers.excel_format), text as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    styles: dict[str, object] = {}

    def style(spec: str | None):
        if spec is None:
            return None
        if spec not in styles:
            styles[spec] = book.add_format({"num_format": numbers.excel_format(spec, lang)})
        return styles[spec]

    specs = {c: ([s] * len(frame) if isinstance(s, str) else list(s)) for c, s in (units or {}).items()
             if c in frame.columns}
    figures = figures_frame(frame, units)
    for col, name in enumerate(frame.columns):
        page.write_string(0, col, str(name), bold)
        page.set_column(col, col, max(10, min(40, len(str(name)) * 2)))
    for row, values in enumerate(figures.itertuples(index=False), start=1):
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
                spec = specs.get(frame.columns[col])
                page.write_number(row, col, value, style(spec[row - 1] if spec else None))
            else:
                page.write_string(row, col, str(value))
    page.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
