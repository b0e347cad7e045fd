"""The rules of every suite: generated from warehouse.sources.KINDS, plus hand-written ranges, orders and warnings.

A rule names a Great Expectations expectation class and its arguments, without importing Great
Expectations (the dashboard imports this package and must stay fast). expectations.validate turns the
rules into an ExpectationSuite.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from warehouse.sources import KINDS, SourceKind

ERROR = "error"
WARNING = "warning"
FIRST_YEAR = 2000
BATCH_EXPECTATIONS = ("ExpectColumnToExist", "ExpectTableRowCountToBeBetween")
NOT_EVENTS = {"due_on", "next_due_on"}  # dates that lie in the future by nature
BOOKKEEPING = {"source_row", "source_file", "source_file_index", "upload_batch", "file_hash", "run_id"}


@dataclass(frozen=True)
class Rule:
    """One expectation of a suite and what its failure means."""

    name: str                      # unique with column inside a suite
    expectation: str               # Great Expectations class, e.g. ExpectColumnValuesToBeInSet
    column: str | None             # the column a failure is reported on
    severity: str                  # error | warning
    reason_zh: str
    reason_en: str
    kwargs: dict = field(default_factory=dict)
    when: tuple = ()               # row condition: ((column, op, value), ...), all must hold

    @property
    def batch_level(self) -> bool:
        """True when a failure concerns the whole file, not rows."""
        return self.expectation in BATCH_EXPECTATIONS

    @property
    def columns(self) -> tuple[str, ...]:
        """The data columns this rule reads (none for column existence)."""
        if self.expectation == "ExpectColumnToExist":
            return ()
        found = [self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs]
        found += list(self.kwargs.get("column_list", ()))
        found += [c for c, _, _ in self.when]
        return tuple(dict.fromkeys(found))


def num(x: float) -> str:
    """A bound written without a needless .0."""
    return f"{x:g}"


def at_least(name, bigger, smaller, report, zh, en, severity=ERROR, strict=False, when=()) -> Rule:
    """Rule: column bigger >= smaller on every row where both are present (> when strict)."""
    kwargs = {"column_A": bigger, "column_B": smaller, "or_equal": not strict,
              "ignore_row_if": "either_value_is_missing"}
    return Rule(name, "ExpectColumnPairValuesAToBeGreaterThanB", report, severity, zh, en, kwargs, when)


def between(name, column, zh, en, low=None, high=None, severity=ERROR, when=(), **flags) -> Rule:
    """Rule: non-null values of column lie in [low, high]."""
    kwargs = {"column": column, "min_value": low, "max_value": high, **flags}
    return Rule(name, "ExpectColumnValuesToBeBetween", column, severity, zh, en, kwargs, when)


# Hand-written rules. Reasons follow the report's wording where it has one.
RANGES: dict[str, list[tuple]] = {  # kind -> (column, low, high, zh, en)
    "inspection": [
        ("lot_qty", 0, None, "批量为负数", "lot quantity is negative"),
        ("sample_qty", 0, None, "抽样数为负数", "sample quantity is negative"),
        ("defects", 0, None, "不良数为负数", "defect count is negative"),
    ],
    "supplier_survey": [("satisfaction", 0, 100, "供应商满意度不在0–100之间", "supplier satisfaction outside 0–100")],
    "survey_response": [("overall_score", 0, 100, "总体满意度不在0–100之间", "overall score outside 0–100")],
    "market_share": [("company_sales", 0, None, "本公司销售额为负数", "company sales are negative")],
    "sales": [("amount", 0, None, "销售额为负数", "sales are negative")],
}

HAND_RULES: dict[str, list[Rule]] = {
    "inspection": [
        at_least("expect_sample_qty_at_most_lot_qty", "lot_qty", "sample_qty", "sample_qty",
                 "抽样数大于批量", "sample quantity exceeds lot quantity"),
        at_least("expect_defects_at_most_sample_qty", "sample_qty", "defects", "defects",
                 "不良数大于抽样数", "defect count exceeds sample quantity"),
        between("expect_failed_lot_to_have_defects", "defects", "判定不合格但不良数为0",
                "lot failed with zero defects", low=1, severity=WARNING, when=(("result", "==", "fail"),)),
        between("expect_passed_iqc_lot_to_have_no_defects", "defects", "来料判定合格但不良数大于0",
                "incoming lot passed with defects", high=0, severity=WARNING,
                when=(("stage", "==", "IQC"), ("result", "==", "pass"))),
        Rule("expect_iqc_lot_to_name_supplier", "ExpectColumnValuesToNotBeNull", "supplier", ERROR,
             "供应商为空（来料检验须有供应商）", "supplier is empty (an incoming lot needs its supplier)",
             {"column": "supplier"}, (("stage", "==", "IQC"),)),
        Rule("expect_passed_lot_not_returned_or_scrapped", "ExpectColumnValuesToNotBeInSet", "disposition",
             WARNING, "判定合格但处置为退货或报废", "passed lot disposed as return or scrap",
             {"column": "disposition", "value_set": ["return", "scrap"]}, (("result", "==", "pass"),)),
    ],
    "market_share": [
        between("expect_market_size_positive", "market_size", "市场总额不大于0", "market size is not positive",
                low=0, strict_min=True),
        at_least("expect_company_sales_at_most_market_size", "market_size", "company_sales", "company_sales",
                 "本公司销售额大于市场总额", "company sales exceed market size"),
    ],
    "complaint": [
        *(at_least(f"expect_{c}_not_before_received_at", c, "received_at", c, f"{zh}早于受理时间",
                   f"{en} is before the complaint was received")
          for c, zh, en in (("first_response_at", "首次回应时间", "first response"), ("reply_at", "明确答复时间", "clear reply"),
                            ("closed_at", "结案时间", "closing"))),
        *(at_least(f"expect_{c}_not_before_received_at", c, "received_at", c, f"{zh}早于受理时间",
                   f"{en} is before the complaint was received", severity=WARNING)
          for c, zh, en in (("onsite_at", "到达现场时间", "visit on site"),
                            ("cause_confirmed_at", "原因确认时间", "confirmed cause"),
                            ("plan_sent_at", "改善方案回复时间", "improvement plan"),
                            ("report_sent_at", "书面报告提交时间", "written report"),
                            ("resample_at", "重新送样时间", "new samples"),
                            ("resolution_done_at", "三包完成时间", "warranty done"))),
        Rule("expect_closed_complaint_to_have_first_response", "ExpectColumnValuesToNotBeNull",
             "first_response_at", WARNING, "已结案但缺少首次回应时间", "closed complaint without first response time",
             {"column": "first_response_at"}, (("closed_at", "not_null", None),)),
    ],
    "corrective_action": [
        at_least("expect_implemented_on_not_before_opened_on", "implemented_on", "opened_on", "implemented_on",
                 "实施完成日期早于发起日期", "implemented before the action was opened"),
        at_least("expect_verified_on_not_before_implemented_on", "verified_on", "implemented_on", "verified_on",
                 "验证日期早于实施完成日期", "verified before it was implemented"),
        at_least("expect_due_on_not_before_opened_on", "due_on", "opened_on", "due_on",
                 "要求完成日期早于发起日期", "due before the action was opened", severity=WARNING),
        Rule("expect_verified_action_to_have_implemented_on", "ExpectColumnValuesToNotBeNull", "implemented_on",
             WARNING, "已验证但缺少实施完成日期", "verified action without an implementation date",
             {"column": "implemented_on"}, (("verified_on", "not_null", None),)),
    ],
    "quality_cost": [  # a correction (红字, 冲销, 更正: etl/ledger.py) may take an amount back
        between("expect_amount_not_negative_unless_correction", "amount",
                "金额为负数但不是冲销/红字/更正分录（请在说明开头写明冲销、红字或更正）",
                "amount is negative but the entry is not a correction (begin the description with 冲销, 红字 or 更正)",
                low=0, when=(("correction", "==", False),)),
    ],
    "instrument_calibration": [
        at_least("expect_next_due_on_after_calibrated_on", "next_due_on", "calibrated_on", "next_due_on",
                 "下次校准日期不晚于校准日期", "next calibration not after the calibration", strict=True),
        between("expect_interval_months_between_1_and_60", "interval_months", "校准周期不在1–60个月之间",
                "calibration interval outside 1–60 months", low=1, high=60, severity=WARNING),
    ],
}


def required_rules(kind: SourceKind) -> list[Rule]:
    """Batch rules: every required column is present and the file has rows."""
    rules = [Rule("expect_column_to_exist", "ExpectColumnToExist", c.name, ERROR,
                  f"缺少必需列：{c.label_zh}（{c.name}）", f"required column missing: {c.name}", {"column": c.name})
             for c in kind.columns if c.required]
    rules.append(Rule("expect_table_row_count_to_be_between", "ExpectTableRowCountToBeBetween", None, ERROR,
                      "文件没有数据行", "the file has no data rows", {"min_value": 1}))
    return rules


def not_null_rules(kind: SourceKind) -> list[Rule]:
    """Row rules: keys and required columns are filled in."""
    names = dict.fromkeys([*kind.key, *kind.required])
    return [Rule("expect_column_values_to_not_be_null", "ExpectColumnValuesToNotBeNull", n, ERROR,
                 f"{kind.column(n).label_zh}为空", f"{n} is empty", {"column": n}) for n in names]


def key_rule(kind: SourceKind, group_column: str | None = None) -> Rule:
    """Row rule: the natural key is unique within the batch, or within each group_column value (every row of a
    duplicate is flagged)."""
    zh = "、".join(kind.column(n).label_zh for n in kind.key)
    if len(kind.key) == 1 and group_column is None:
        return Rule("expect_column_values_to_be_unique", "ExpectColumnValuesToBeUnique", kind.key[0], ERROR,
                    f"{zh}重复", f"duplicate {kind.key[0]}", {"column": kind.key[0]})
    columns = [*([group_column] if group_column else []), *kind.key]
    name = "expect_column_values_to_be_unique" if len(kind.key) == 1 else "expect_compound_columns_to_be_unique"
    return Rule(name, "ExpectCompoundColumnsToBeUnique", ",".join(kind.key), ERROR,
                f"{zh}重复" if len(kind.key) == 1 else f"{zh}组合重复",
                f"duplicate {kind.key[0]}" if len(kind.key) == 1 else f"duplicate key ({', '.join(kind.key)})",
                {"column_list": columns})


def enum_rules(kind: SourceKind) -> list[Rule]:
    """Row rules: every enum column holds one of its canonical values."""
    return [Rule("expect_column_values_to_be_in_set", "ExpectColumnValuesToBeInSet", c.name, ERROR,
                 f"{c.label_zh}不是允许的值（{'、'.join(c.values)}）", f"{c.name} is not one of {', '.join(c.values)}",
                 {"column": c.name, "value_set": list(c.values)})
            for c in kind.columns if c.dtype == "enum"]


def time_rules(kind: SourceKind, today: datetime.date) -> list[Rule]:
    """Row rules: dates from 2000 on and not after today (due dates excepted); years 2000..next year."""
    first = datetime.datetime(FIRST_YEAR, 1, 1)
    tomorrow = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    rules = []
    for c in kind.columns:
        if c.dtype in ("date", "datetime") and c.name in NOT_EVENTS:
            rules.append(between("expect_column_values_to_be_between", c.name, f"{c.label_zh}早于{FIRST_YEAR}年",
                                 f"{c.name} is before {FIRST_YEAR}", low=first))
        elif c.dtype in ("date", "datetime"):
            rules.append(between("expect_column_values_to_be_between", c.name,
                                 f"{c.label_zh}晚于今天或早于{FIRST_YEAR}年", f"{c.name} is after today or before {FIRST_YEAR}",
                                 low=first, high=tomorrow, strict_max=True))
        elif c.dtype == "int" and c.name.endswith("year"):
            rules.append(between("expect_column_values_to_be_between", c.name,
                                 f"{c.label_zh}不在{FIRST_YEAR}–{today.year + 1}之间",
                                 f"{c.name} outside {FIRST_YEAR}–{today.year + 1}", low=FIRST_YEAR, high=today.year + 1))
    return rules


def range_rules(kind: SourceKind) -> list[Rule]:
    """Row rules: the hand-written value ranges of this kind."""
    return [between("expect_column_values_to_be_between", c, zh, en, low=low, high=high)
            for c, low, high, zh, en in RANGES.get(kind.name, [])]


def question_rules(questions: list[str], scale: tuple[float, float], when: tuple = ()) -> list[Rule]:
    """Row rules: every survey answer lies on the survey's scale (on the rows where `when` holds, when given)."""
    low, high = scale
    shown = {q: q.removeprefix("q:") for q in questions}  # staged question columns are "q:<header as written>"
    name = f"expect_column_values_to_be_between_{num(low)}_and_{num(high)}" if when else "expect_column_values_to_be_between"
    return [between(name, q, f"{shown[q]}的评分不在{num(low)}–{num(high)}分之间",
                    f"{shown[q]} score outside {num(low)}–{num(high)}", low=low, high=high, when=when) for q in questions]


SCALE_COLUMNS = ("scale_low", "scale_high")  # each survey response's scale (etl/survey.py)


def scaled_question_rules(questions: list[str], scales: list[tuple[float, float]]) -> list[Rule]:
    """Row rules: every survey answer lies on its response's scale; one rule per question and scale when the batch's
    responses (several files) lie on several scales."""
    if len(scales) == 1:
        return question_rules(questions, scales[0])
    return [rule for low, high in scales for rule in question_rules(
        questions, (low, high), when=((SCALE_COLUMNS[0], "==", low), (SCALE_COLUMNS[1], "==", high)))]


def suite_rules(kind_name: str, today: datetime.date, survey_scale=(1, 5), questions=(),
                group_column: str | None = None, survey_scales: list[tuple[float, float]] | None = None) -> list[Rule]:
    """All rules of one source kind's suite (keys unique within each group_column value when given); survey answers
    on survey_scales (the scales of the batch's responses) when given, else on survey_scale."""
    kind = KINDS[kind_name]
    return [*required_rules(kind), *not_null_rules(kind), key_rule(kind, group_column), *enum_rules(kind),
            *time_rules(kind, today), *range_rules(kind), *HAND_RULES.get(kind.name, []),
            *scaled_question_rules(list(questions), survey_scales or [survey_scale])]
