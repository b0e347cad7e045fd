"""The report's figures: the registry's values for the year and the two before it, laid out as the 2021 tables."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from presentation.labels import t
from warehouse import numbers, sql
from warehouse.kpis import COST_SHARES, REGISTRY, KpiValue, Period, kpi_values
from warehouse.settings import Settings

NO_DATA = numbers.MISSING

# The unit a table's 单位 column shows (satisfaction is an average score 0-100, printed as % in 2021).
UNIT_SHOWN = {"%": "%", "score": "%", "ppm": "ppm", "yuan": "元"}
# Table 3: which target belongs to which line of the 2021 table.
TARGET_GROUPS = [
    ("质量目标", ["final_inspection_pass_rate", "airtightness_first_pass_rate", "customer_satisfaction"]),
    ("环境目标", ["major_environmental_incidents"]),
    ("职业健康安全目标", ["fatal_injuries", "serious_injuries", "minor_injuries"]),
    ("质量诚信目标", ["warranty_fulfilment_rate", "complaint_handling_rate"]),
]

# Tables whose rows are registry KPIs over three years: key -> (title, KPI codes, note).
KPI_TABLES = {
    "suppliers": ("供方相关绩效结果", [
        "suppliers_grade_a", "suppliers_grade_b", "suppliers_grade_c", "suppliers_total",
        "suppliers_grade_a_share", "supplier_satisfaction"],
        "A 类供应商占比按当年 A 类供应商数 / 供应商总数计算。"),
    "product_quality": ("产品质量绩效结果", [
        "incoming_inspection_pass_rate", "process_inspection_pass_rate", "final_inspection_pass_rate",
        "complaints_received", "complaints_handled_on_time_rate", "customer_satisfaction"],
        "合格率按批计算（合格批数 / 检验批数）；顾客满意度为当年调查平均分。"),
    "product_service": ("主要产品和服务绩效", [
        "incoming_inspection_pass_rate", "incoming_inspection_ppm", "process_inspection_pass_rate",
        "process_inspection_ppm", "final_inspection_pass_rate", "final_inspection_ppm",
        "airtightness_first_pass_rate", "complaints_received", "complaints_handled_on_time_rate",
        "complaint_handling_rate", "warranty_fulfilment_rate", "customer_satisfaction"],
        "PPM 按抽样件数计算（不良数 / 抽样数 × 1 000 000）。"),
    "market_share": ("近三年产品市场份额绩效", ["market_share_national", "market_share_provincial"],
                     "市场占有率 = 本公司销售额 / 市场规模。"),
}
TABLE_KEYS = ["targets", *KPI_TABLES, "instruments", "quality_cost"]



@dataclass(frozen=True)
class ReportTable:
    """One table of the report: its key, title, header, rows (text cells) and a note under it."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class ReportFigures:
    """The registry's values for the report year and the two years before it."""

    year: int
    values: dict[int, dict[str, KpiValue]]     # year -> KPI code -> value

    @property
    def years(self) -> list[int]:
        """The three years the tables show, oldest first."""
        return [self.year - 2, self.year - 1, self.year]

    def value(self, code: str, year: int | None = None) -> KpiValue:
        """The KPI's value in the year (default: the report year)."""
        return self.values[year or self.year][code]


def report_figures(con, year: int, settings: Settings, today: dt.date | None = None) -> ReportFigures:
    """Every registry KPI for the year and the two years before it."""
    values = {y: {v.kpi: v for v in kpi_values(con, Period(y), settings, lang="zh", today=today)}
              for y in (year - 2, year - 1, year)}
    return ReportFigures(year, values)


def report_number(value: float | None, unit: str) -> str:
    """A figure as the 2021 tables print it (the unit stands in the 单位 column): the number of numbers.number_text
    (thousands separators, never -0), a rate without a trailing .0 (91.5, 96), a score with it (92.0), 1,548 PPM."""
    if value is None:
        return NO_DATA
    text = numbers.number_text(value, unit)
    return text.removesuffix(".0") if unit == "%" else text


def unit_shown(code: str) -> str:
    """The 单位 column of a KPI."""
    kpi = REGISTRY[code]
    return UNIT_SHOWN.get(kpi.unit) or (kpi.noun_text() if kpi.unit == "count" else "")


def _year_header(years: list[int]) -> list[str]:
    return [f"{y}年" for y in years]


def kpi_table(figures: ReportFigures, key: str) -> ReportTable:
    """A three-year table of registry KPIs (表 7, 8, 10, 12 of the 2021 edition)."""
    title, codes, note = KPI_TABLES[key]
    rows = [[REGISTRY[c].label_zh, unit_shown(c),
             *(report_number(figures.value(c, y).value, REGISTRY[c].unit) for y in figures.years)] for c in codes]
    return ReportTable(key, title, ["指标项", "单位", *_year_header(figures.years)], rows, note)


def report_target(code: str, comparator: str, goal: float) -> str:
    """A target in the report's numbers (the registry's wording): 100%, ≥98%, 0, ≥85 (a score)."""
    kpi = REGISTRY[code]
    number = report_number(goal, "%" if kpi.unit in ("%", "score") else kpi.unit)
    return kpi.target_text(comparator, goal, number=lambda _: number + ("%" if kpi.unit == "%" else ""), space="",
                           bounds_bare=True)


def targets_table(figures: ReportFigures) -> ReportTable:
    """Table 3: each quality, environment, safety and integrity target, three years of values and its attainment."""
    rows = []
    placed = {c for _, codes in TARGET_GROUPS for c in codes}
    current = figures.values[figures.year]
    others = [c for c, v in current.items() if v.target is not None and c not in placed]
    for group, codes in [*TARGET_GROUPS, ("其他目标", others)]:
        for code in codes:
            v = current[code]
            if v.target is None:
                continue
            cells = [report_number(figures.value(code, y).value, REGISTRY[code].unit) for y in figures.years]
            unit = unit_shown(code)
            rows.append([group, f"{v.label}（{unit}）" if unit else v.label,
                         report_target(code, v.comparator, v.target), *cells, t(f"report.attainment.{v.status}", "zh")])
    header = ["类别", "指标", "目标", *_year_header(figures.years), f"{figures.year}年达成情况"]
    return ReportTable("targets", "质量、环境和职业健康安全及质量诚信目标", header, rows,
                       "达成情况按当年数值与目标比较；“—”表示无数据。")


def instrument_rows(con, as_of: dt.date) -> list[tuple]:
    """Instruments with their latest calibration on as_of: code, name, measures, origin, level, calibrated_on,
    next_due, result, status."""
    return sql.rows(con, "read/report_instruments", as_of=as_of)


def instruments_table(con, year: int, today: dt.date) -> ReportTable:
    """Table 5: inspection and measuring equipment with its calibration status at the year's end (or today)."""
    as_of = min(dt.date(year, 12, 31), today)
    rows = []
    for i, (_, name, measures, origin, level, calibrated, due, _, status) in enumerate(instrument_rows(con, as_of), 1):
        rows.append([str(i), name or "", measures or "", origin or "", level or "",
                     calibrated.isoformat() if calibrated else NO_DATA, due.isoformat() if due else NO_DATA,
                     t(f"report.calibration_status.{status}", "zh")])
    header = ["序号", "设备名称", "检测项目", "产地", "先进水平", "最近校准", "有效期至", "校准状态"]
    return ReportTable("instruments", "公司采用的检测设备", header, rows,
                       f"校准状态截至 {as_of.isoformat()}。")


def quality_cost_table(figures: ReportFigures) -> ReportTable:
    """The cost of quality over three years (GB/T 13339): each category's amount and the total in yuan, each
    category's share of the total and the cost of quality to sales (%)."""
    def amount(code: str, year: int) -> str:
        v = figures.value(code, year)
        return report_number(v.numerator if v.value is not None else None, "yuan")

    rows = [[t(f"cost_category.{c}", "zh"), "元", *(amount(code, y) for y in figures.years)]
            for c, code in COST_SHARES.items()]
    rows.append([t("report.quality_cost_total", "zh"), "元",
                 *(report_number(figures.value("quality_cost_total", y).value, "yuan") for y in figures.years)])
    for code in [*COST_SHARES.values(), "quality_cost_rate"]:
        rows.append([REGISTRY[code].label_zh, "%",
                     *(report_number(figures.value(code, y).value, "%") for y in figures.years)])
    return ReportTable("quality_cost", t("report.table.quality_cost", "zh"), ["项目", "单位", *_year_header(figures.years)],
                       rows, "按 GB/T 13339 分类，红字/冲销分录已抵减；占比 = 该类成本 / 质量成本合计；"
                             "质量成本率 = 质量成本 / 销售额，只计有销售额的整月。")


def report_tables(con, figures: ReportFigures, today: dt.date) -> dict[str, ReportTable]:
    """Every generated table of the report, by key (targets, suppliers, product_quality, ..., instruments)."""
    tables = {"targets": targets_table(figures)}
    tables.update({key: kpi_table(figures, key) for key in KPI_TABLES})
    tables["instruments"] = instruments_table(con, figures.year, today)
    tables["quality_cost"] = quality_cost_table(figures)
    return tables
