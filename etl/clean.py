"""Vectorised polars expressions that turn raw export text into typed values.

Every parser returns null for input it cannot read, never a default, so a caller finds parse errors as
"raw value not null but parsed value null". Each expression computes its input once: eager polars does not
eliminate common subexpressions, so the helpers chain string operations, and the date parsers read the
pieces of one regex match through struct.with_fields, instead of reusing an expression.
"""
from __future__ import annotations

import functools

import polars as pl

# Full-width forms U+FF01..U+FF5E are ASCII U+0021..U+007E shifted by 0xFEE0; U+3000 is the ideographic space.
_FULL_TO_HALF = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
# Text halfwidth changes: empty, outer whitespace (Unicode, as strip_chars), or a full-width form
_NOT_HALFWIDTH = r"^$|^\s|\s$|[\x{FF01}-\x{FF5E}\x{3000}]"
_NO_SPACE = _FULL_TO_HALF | {s: "" for s in (" ", "\u3000", "\u00a0", "\t", "\r", "\n")}

# Numbers after _NO_SPACE (patterns without capture groups: polars extracts those several times faster)
_INTEGER = r"[+-]?(?:\d{1,3}(?:,\d{3}){1,5}|\d{1,18})"  # at most 18 digits: always a finite number
# a count may carry its unit as clerks write it: 500pcs, 5个, 1,000 只, 50 PCS (spaces are gone by then)
_UNITS = r"(?i:pcs|pc|ea|sets?|lots?|个|只|件|套|台|片|块|支|根|颗|粒|批|箱|盒|包|卷|张|双|对|kg|g|千克|克|米|m)"
_NUMBER = rf"^(?:{_INTEGER}(?:\.\d{{0,15}})?(?:[eE][+-]?\d{{1,2}})?|[+-]?\.\d{{1,15}})%?{_UNITS}?$"
_INT = rf"^{_INTEGER}(?:\.0*)?%?{_UNITS}?$"

# A date cell after _DATE_MARKS, as named groups: either an Excel serial day number 20000..79999.99
# (1954-10-03 .. 2119-01-09, 1900 date system), or a date of years 1900..2199 (so placeholders such as
# 9999-12-31 do not parse) with an optional time.
_DATE_MARKS = _FULL_TO_HALF | {"年": "-", "月": "-", "日": " ", "时": ":", "分": ":", "秒": ""}
_YEAR = r"(?:19|20|21)\d\d"
_DATE_TIME = (
    r"^\s*(?:(?<serial>[2-7]\d{4}(?:\.\d+)?)"
    rf"|(?:(?<date>{_YEAR}[-/.]\d{{1,2}}[-/.]\d{{1,2}})|(?<compact>{_YEAR}\d{{4}}))"
    r"(?:(?:\s+|\s*T\s*)(?<hour>[01]?\d|2[0-3]):(?<minute>[0-5]?\d)(?::(?<second>[0-5]?\d(?:\.\d+)?)?)?)?)\s*$"
)
_UNIX_EPOCH_SERIAL = 25569  # Excel serial of 1970-01-01


def halfwidth(expr: pl.Expr) -> pl.Expr:
    """Text with full-width ASCII forms and U+3000 made ASCII, outer whitespace stripped, "" as null."""
    return expr.str.replace_many(_FULL_TO_HALF).str.strip_chars().replace("", None)


def needs_halfwidth(expr: pl.Expr) -> pl.Expr:
    """Whether halfwidth would change any of these texts (a scan much cheaper than the conversion)."""
    return expr.str.contains(_NOT_HALFWIDTH).any()


def parse_number(expr: pl.Expr) -> pl.Expr:
    """Float64 from text like "1,234.5", "１２０", "95%" (→ 95.0), " -3 ", "500pcs", "1,000 只"; null when unreadable."""
    number = expr.str.replace_many(_NO_SPACE).str.extract(_NUMBER, 0).str.replace(_UNITS + "$", "")
    return number.str.replace_many({",": "", "%": ""}).cast(pl.Float64, strict=False)


def parse_int(expr: pl.Expr) -> pl.Expr:
    """Int64 from the same text as parse_number without exponents; "12.0" → 12, "12.5" → null."""
    number = expr.str.replace_many(_NO_SPACE).str.extract(_INT, 0).str.extract(r"^[+-]?[\d,]+", 0)
    return number.str.replace_many({",": ""}).cast(pl.Int64, strict=False)


def _date_parts(expr: pl.Expr) -> pl.Expr:
    """Struct of the _DATE_TIME groups (serial, date, compact, hour, minute, second) as text, or nulls."""
    return expr.str.replace_many(_DATE_MARKS).str.extract_groups(_DATE_TIME)


def _serial_days() -> pl.Expr:
    """Float64 days since 1970-01-01 from the serial field of _date_parts."""
    return pl.field("serial").cast(pl.Float64, strict=False) - _UNIX_EPOCH_SERIAL


def _text_date() -> pl.Expr:
    """pl.Date from the date or compact field of _date_parts; null for impossible dates such as 2021-02-30."""
    date = pl.field("date").str.replace_many({"/": "-", ".": "-"}).str.to_date("%Y-%m-%d", strict=False)
    return pl.coalesce(date, pl.field("compact").str.to_date("%Y%m%d", strict=False))


def parse_date(expr: pl.Expr) -> pl.Expr:
    """pl.Date from Excel serials, 2021/3/5, 2021-03-05, 2021.3.5, 2021年3月5日, 20210305 (time ignored)."""
    from_serial = _serial_days().floor().cast(pl.Int32).cast(pl.Date)
    value = pl.coalesce(from_serial, _text_date())
    return _date_parts(expr).struct.with_fields(value=value).struct.field("value").name.keep()


def parse_datetime(expr: pl.Expr) -> pl.Expr:
    """pl.Datetime("us") from the parse_date forms plus 14:30, 14:30:05, 14时30分; serial fractions are time."""
    from_serial = ((_serial_days() * 86_400_000).round().cast(pl.Int64) * 1000).cast(pl.Datetime("us"))
    clock = pl.duration(
        hours=pl.field("hour").cast(pl.Int64).fill_null(0),
        minutes=pl.field("minute").cast(pl.Int64).fill_null(0),
        microseconds=(pl.field("second").cast(pl.Float64).fill_null(0) * 1e6).round().cast(pl.Int64),
    )
    value = pl.coalesce(from_serial, _text_date().cast(pl.Datetime("us")) + clock)
    return _date_parts(expr).struct.with_fields(value=value).struct.field("value").name.keep()


def _spelling_key(expr: pl.Expr) -> pl.Expr:
    """Lookup key for a spelling: full-width made ASCII, all whitespace removed, lower case."""
    return expr.str.replace_many(_NO_SPACE).str.to_lowercase()


@functools.cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """Text in Simplified Chinese characters (a Taiwanese or Hong Kong export's 檢驗結果 → 检验结果)."""
    return _converter("t2s").convert(text) if text and not text.isascii() else text


def traditional(text: str) -> str:
    """Text in Traditional Chinese characters (检验结果 → 檢驗結果)."""
    return _converter("s2t").convert(text) if text and not text.isascii() else text


def _spelling_map(spellings: dict) -> dict:
    """{lookup key: canonical} for {canonical: [spelling, ...]}, the canonical itself included, and each spelling
    in Traditional characters too (where that spells nothing else)."""
    words = [(str(canonical), canonical) for canonical in spellings]
    words += [(str(s), canonical) for canonical, many in spellings.items() for s in many]
    variants = [(traditional(w), canonical) for w, canonical in words]
    keys = pl.select(_spelling_key(pl.Series([w for w, _ in words + variants], dtype=pl.String))).to_series()
    mapping: dict = {}
    for n, (key, (word, canonical)) in enumerate(zip(keys, words + variants)):
        if not key:
            continue
        if n >= len(words):
            mapping.setdefault(key, canonical)
        elif mapping.setdefault(key, canonical) != canonical:
            raise ValueError(f"spelling {word!r} means both {mapping[key]!r} and {canonical!r}")
    return mapping


def parse_bool(expr: pl.Expr, spellings: dict) -> pl.Expr:
    """pl.Boolean from spellings {True: [...], False: [...]}; unmatched text → null."""
    mapping = _spelling_map(spellings)
    return _spelling_key(expr).replace_strict(mapping, default=None, return_dtype=pl.Boolean)


def parse_enum(expr: pl.Expr, spellings: dict) -> pl.Expr:
    """Canonical value (pl.String) from spellings {canonical: [...]}; unmatched text → null."""
    mapping = {key: str(value) for key, value in _spelling_map(spellings).items()}
    return _spelling_key(expr).replace_strict(mapping, default=None, return_dtype=pl.String)
