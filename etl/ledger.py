"""The quality-cost ledger and monthly sales as staged: what identifies a ledger entry, which entry is a
correction, and a sales month as its first day.

A ledger export rarely has one column that names an entry. When it writes the voucher (凭证号, 凭证字号) an entry is
its month, voucher and line (ledgers number vouchers afresh each accounting period; without a 分录号 the line is its
place among the voucher's lines in the file): 2021-03 记-0031/2. Otherwise it is a hash of
what the entry says (date, cost item, category, amount, department, product, description) and its occurrence among
the file's entries that say the same: a file loaded again, or a later export that repeats the entries, updates them
instead of doubling them, and a file never touches the entries it does not hold. A ledger with an entry id of its own
(分录ID) names it in the site mapping (`[quality_cost.headers] "分录ID" = "entry_id"`), and that id is used.

An entry is a correction (红字, 冲销, 更正), and may be negative, when the file's entry-type column (凭证类型, 红字标志)
says so, or, without one, when its description (说明, 摘要) begins with 冲销, 红字, 红冲, 冲红 or 更正 (a bracket
before the word is allowed: 【红字】…).
"""
from __future__ import annotations

import hashlib

import polars as pl

CORRECTION_WORDS = ("冲销", "红字", "红冲", "冲红", "更正")
_CORRECTION_TEXT = r"^\s*[【\[（(]?\s*(?:" + "|".join(CORRECTION_WORDS) + ")"
_CONTENT = ("booked_on", "account", "category", "amount", "department", "product", "description")
# a month as ledgers and sales reports write it: 2021-03, 2021/3, 2021.3, 2021年3月, 202103
_MONTH = r"^\s*((?:19|20|21)\d\d)\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d\d))\s*$"


def month_text(expr: pl.Expr) -> pl.Expr:
    """A month written without its day (2021-03, 2021年3月, 202103) as the text of its first day; other text as
    it is (a full date or an Excel serial reads as a date already)."""
    parts = expr.str.extract_groups(_MONTH)
    month = pl.coalesce(parts.struct.field("2"), parts.struct.field("3"))
    return (pl.when(parts.struct.field("1").is_not_null())
            .then(pl.concat_str([parts.struct.field("1"), pl.lit("-"), month, pl.lit("-1")]))
            .otherwise(expr))


def staged_sales(typed: pl.DataFrame) -> pl.DataFrame:
    """Sales with each month as its first day."""
    return typed.with_columns(pl.col("month").dt.month_start())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def staged_ledger(typed: pl.DataFrame, carried: set[str]) -> tuple[pl.DataFrame, set[str]]:
    """The ledger with its correction flag and entry ids filled in; carried with the columns this fills."""
    marked = pl.col("description").fill_null("").str.contains(_CORRECTION_TEXT)
    frame = typed.with_columns(pl.coalesce(pl.col("correction"), marked).fill_null(False).alias("correction"))
    content = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in _CONTENT], separator="\x1f")
    frame = frame.with_columns(content.alias("__content"))
    digest = frame["__content"].map_elements(_digest, return_dtype=pl.String)
    nth = pl.int_range(1, pl.len() + 1).over("__content")
    by_content = pl.concat_str([pl.lit("#"), pl.col("__digest"), pl.lit("-"), nth.cast(pl.String)])
    period = pl.col("booked_on").dt.strftime("%Y-%m")   # a voucher number is unique within its month
    line = pl.coalesce(pl.col("voucher_line"),
                       pl.int_range(1, pl.len() + 1).over(period, "voucher").cast(pl.String))
    by_voucher = pl.concat_str([period, pl.lit(" "), pl.col("voucher"), pl.lit("/"), line])
    frame = (frame.with_columns(digest.alias("__digest"))
             .with_columns(pl.coalesce(pl.col("entry_id"),   # an id of the ledger's own, through the site mapping
                                       pl.when(pl.col("voucher").is_not_null()).then(by_voucher).otherwise(by_content))
                           .alias("entry_id"))
             .drop("__content", "__digest"))
    return frame, carried | {"correction", "entry_id"}
