"""How every figure is written, defined once: the unit table and the formatter that cards, tables, charts,
downloads, the meeting and the report all use.

- A figure is rounded to its unit's decimals (UNITS); one that rounds to zero is 0, never -0.
- Thousands separators everywhere: 1,548 ppm, 1,680, 320,000 万元, 4,338,892 元.
- Every figure carries its unit: 96.4%, 1,548 ppm, 95.0 分, 320,000 万元; a count is a bare number (what it counts
  is the KPI's name or the column's header).
- A change carries its sign (+1.2, -0.5) unless it rounds to zero, which is written without one: 0.0 个百分点.
  The change of a percentage is in percentage points (个百分点, pp).
- No figure (None, NaN) is —.

Charts take their d3 formats (d3_format) and downloads their spreadsheet number formats (excel_format) from the
same table, so a tooltip, an XLSX cell and a card round alike.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

MISSING = "—"


@dataclass(frozen=True)
class Unit:
    """How figures of one unit are written: decimals, the text after the number (zh, en) and the unit of a change."""

    decimals: int
    zh: str                 # after the number in Chinese ("%" sticks to it, words follow a space)
    en: str
    change: str = ""        # the unit a change is counted in, when not this one (a % changes in points)
    header: tuple[str, str] = ("", "")  # how a column header names the unit (zh, en); "" for a bare count


UNITS: dict[str, Unit] = {
    "%": Unit(1, "%", "%", change="pp", header=("%", "%")),
    "pp": Unit(1, " 个百分点", " pp", header=("百分点", "pp")),
    "ppm": Unit(0, " ppm", " ppm", header=("PPM", "PPM")),
    "score": Unit(1, " 分", " points", header=("分", "points")),      # an average score, 0-100
    "answer": Unit(2, " 分", " points", header=("分", "points")),     # an average answer on a survey's own scale
    "count": Unit(0, "", ""),
    "wan_yuan": Unit(0, " 万元", " × 10⁴ CNY", header=("万元", "10⁴ CNY")),
    "yuan": Unit(0, " 元", " CNY", header=("元", "CNY")),                # quality cost as a KPI (to the yuan)
    "money": Unit(2, " 元", " CNY", header=("元", "CNY")),               # the ledger's amounts, to the fen
    "days": Unit(1, " 天", " days", header=("天", "days")),
}
# Market figures (company sales, market size) are in 万元, as the report's market table and its exports give them.
MARKET_UNIT = "wan_yuan"


def _unit(unit: str) -> Unit:
    if unit not in UNITS:
        raise KeyError(f"unknown unit {unit!r}: one of {', '.join(UNITS)}")
    return UNITS[unit]


def change_unit(unit: str) -> str:
    """The unit a change of a figure in unit is counted in (pp for %, else the unit itself)."""
    return _unit(unit).change or unit


def decimals(unit: str) -> int:
    """Decimals a figure of the unit is written with."""
    return _unit(unit).decimals


def missing(x) -> bool:
    """True for no figure: None, NaN (pandas' NA too)."""
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return True


def rounded(x, unit: str) -> float | int | None:
    """x rounded as it is written (an int for a unit without decimals), never -0; None for no figure."""
    if missing(x):
        return None
    places = decimals(unit)
    value = round(float(x), places) + 0.0           # + 0.0 turns -0.0 into 0.0
    return int(value) if places == 0 else value


def number_text(x, unit: str = "count", sign: bool = False) -> str:
    """The bare number: rounded to the unit's decimals, with thousands separators, never -0 (1,548; 96.5; -0.3);
    sign: + before a positive one. — for no figure."""
    value = rounded(x, unit)
    if value is None:
        return MISSING
    text = f"{value:,.{decimals(unit)}f}"
    return f"+{text}" if sign and value > 0 else text


def figure_text(x, unit: str, lang: str = "zh") -> str:
    """A figure with its unit: 96.4%, 1,548 ppm, 95.0 分, 1,680, 320,000 万元; — for no figure."""
    if missing(x):
        return MISSING
    u = _unit(unit)
    return number_text(x, unit) + (u.en if lang == "en" else u.zh)


def change_text(x, unit: str, lang: str = "zh") -> str:
    """A change of a figure in unit, signed, in its change unit: +1.2 个百分点, -42 ppm, +2, 0.0 个百分点 (a change
    that rounds to zero has no sign); — for none."""
    if missing(x):
        return MISSING
    shown = change_unit(unit)
    u = _unit(shown)
    return number_text(x, shown, sign=True) + (u.en if lang == "en" else u.zh)


def unit_name(unit: str, lang: str = "zh") -> str:
    """How a header or a 单位 column names the unit: %, PPM, 分, 万元; "" for a count."""
    return _unit(unit).header[1 if lang == "en" else 0]


def header_text(header: str, spec: str, lang: str = "zh") -> str:
    """A column header that names the unit of its unit spec: 国内销售额 (万元), 同比 (百分点) for "+%"; unchanged when
    it names it already or for a count."""
    unit, change = column_unit(spec)
    name = unit_name(change_unit(unit) if change else unit, lang)
    return header if not name or name.lower() in header.lower() else f"{header} ({name})"


# A column's unit as pages pass it: a key of UNITS, or "+" and a key for a change of such figures ("+%": pp).
def column_unit(spec: str) -> tuple[str, bool]:
    """(unit, is a change) of a column's unit spec ("ppm", "+%")."""
    return (spec[1:], True) if spec.startswith("+") else (spec, False)


def cell_text(x, spec: str, lang: str = "zh") -> str:
    """A table cell of a column with that unit spec, as figure_text or change_text write it."""
    unit, change = column_unit(spec)
    return change_text(x, unit, lang) if change else figure_text(x, unit, lang)


def cell_value(x, spec: str) -> float | int | None:
    """A download's number for a cell of that unit spec: rounded as the table shows it (a count an int)."""
    unit, change = column_unit(spec)
    return rounded(x, change_unit(unit) if change else unit)


def d3_format(unit: str, change: bool = False) -> str:
    """The d3 format (Altair axes, tooltips, labels) of a figure in unit: ',.1f' for %, ',.0f' for ppm; a change
    '+,.1f'. The unit itself goes in the axis or tooltip title (header_text)."""
    places = decimals(change_unit(unit) if change else unit)
    return f"{'+' if change else ''},.{places}f"


def printf_format(unit: str, lang: str = "zh") -> str:
    """The printf format (Streamlit's NumberColumn) of a figure in unit, for values already rounded (rounded): '%,.1f%%'
    for %, '%,.0f ppm'; it writes what figure_text writes."""
    u = _unit(unit)
    return f"%,.{u.decimals}f" + (u.en if lang == "en" else u.zh).replace("%", "%%")


def excel_format(spec: str, lang: str = "zh") -> str:
    """The XLSX number format of a column's unit spec: '#,##0.0"%"' for %, '#,##0" ppm"', '#,##0' for a count; a
    change '+#,##0.0" 个百分点";-#,##0.0" 个百分点";0.0" 个百分点"' (zero without a sign)."""
    unit, change = column_unit(spec)
    shown = change_unit(unit) if change else unit
    u = _unit(shown)
    places = u.decimals
    number = "#,##0" + ("." + "0" * places if places else "")
    zero = "0" + ("." + "0" * places if places else "")
    text = u.en if lang == "en" else u.zh
    suffix = f'"{text}"' if text else ""
    if not change:
        return number + suffix
    return f"+{number}{suffix};-{number}{suffix};{zero}{suffix}"
