"""Every check's name as a reader says it, in Chinese or English, for the lists of failed checks.

A check is stored as (suite, expectation, column as the file wrote it). A rule written for one suite says in its
own words what it finds (Rule.reason_zh / reason_en in expectations.rules); the rules generated for every column
(filled in, unique, one of the allowed values, within range, present) are named here with the column; so are the
checks outside the suites (reading the values, the share of bad rows, the reconciliation after a merge). No name
shown is an expectation's class or rule name.
"""
from __future__ import annotations

import datetime
import functools

from expectations.rules import HAND_RULES, suite_rules
from warehouse.sources import KINDS

# expectation (or its start) -> (zh, en), {column} the column as the file wrote it
PER_COLUMN = {
    "expect_column_to_exist": ("必需列存在：{column}", "required column present: {column}"),
    "expect_table_row_count_to_be_between": ("文件有数据行", "the file has data rows"),
    "expect_column_values_to_not_be_null": ("{column}不为空", "{column} filled in"),
    "expect_column_values_to_be_unique": ("{column}不重复", "{column} unique"),
    "expect_compound_columns_to_be_unique": ("{column}组合不重复", "{column} unique together"),
    "expect_column_values_to_be_in_set": ("{column}为允许的值", "{column} one of the allowed values"),
    "expect_column_values_to_be_between": ("{column}在允许范围内", "{column} within its range"),
    "values_parse_as_": ("{column}的值可以识别", "{column} values can be read"),
    "rows_have_no_more_fields_than_the_header": ("数据行的字段不多于表头", "no row has more fields than the header"),
    "expect_error_row_share_to_be_at_most": ("有问题的数据行占比不超过上限", "share of bad rows within the limit"),
    "expect_grade_counts_to_sum_to_year_total": ("各等级供应商家数之和等于当年供应商总数",
                                                 "grade counts add up to the year's suppliers"),
    "expect_inspection_supplier_to_exist_in_supplier_table": ("检验记录的供应商均在供应商名录中",
                                                              "every inspected supplier is in the supplier list"),
    "expect_inspection_item_to_exist_in_item_table": ("检验记录的物料均在物料主数据中",
                                                      "every inspected item is in the item master"),
    "expect_kpi_numerator_at_most_denominator": ("指标分子不大于分母：{column}",
                                                 "KPI numerator at most its denominator: {column}"),
}
ANY = ("校验：{column}", "check on {column}")


@functools.cache
def _written_rules() -> dict[tuple[str, str], tuple[str, str]]:
    """(suite, rule name) -> (zh, en) of the rules written for one suite, whose name is theirs alone."""
    found = {}
    for kind, rules in HAND_RULES.items():
        for rule in rules:
            found[(kind, rule.name)] = (rule.reason_zh, rule.reason_en)
    return found


def _kpi_label(code: str, lang: str) -> str:
    from warehouse.kpis import REGISTRY

    return REGISTRY[code].label(lang) if code in REGISTRY else code


def check_name(suite: str | None, expectation: str, column: str | None, lang: str = "zh") -> str:
    """The check in words in lang ('zh' or 'en'): a written rule's own description, else what the generated check
    asks of its column; never the expectation's name."""
    en = lang == "en"
    written = _written_rules().get((suite or "", expectation))
    if written:
        return written[1 if en else 0]
    shown = column or ""
    if expectation == "expect_kpi_numerator_at_most_denominator" and column:
        shown = _kpi_label(column, lang)
    for start, (zh_text, en_text) in PER_COLUMN.items():
        if expectation.startswith(start):
            return (en_text if en else zh_text).format(column=shown).strip(" ：:")
    zh_text, en_text = ANY
    return (en_text if en else zh_text).format(column=shown or (suite or "")).strip(" ：:")


def every_rule_name(today: datetime.date | None = None) -> list[tuple[str, str, str | None]]:
    """(suite, rule name, column) of every rule of every suite (for the check that each has a name)."""
    day = today or datetime.date.today()
    return [(kind, rule.name, rule.column) for kind in KINDS for rule in suite_rules(kind, day)]
