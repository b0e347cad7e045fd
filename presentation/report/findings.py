"""Written findings: one sentence per KPI in the report's register, every number from the registry."""
from __future__ import annotations

from dataclasses import dataclass

from presentation.report.tables import ReportFigures, report_target
from warehouse.kpis import REGISTRY, KpiValue, format_value, grouped

# Findings are grouped as the registry groups KPIs; {{findings:<group>}} places one group.
FINDING_GROUPS: dict[str, list[str]] = dict(grouped())


@dataclass(frozen=True)
class Finding:
    """One KPI's sentence for the report year."""

    kpi: str
    group: str
    sentence: str


def _with_unit(code: str, text: str) -> str:
    unit = REGISTRY[code].unit
    if unit == "score":
        return f"{text} 分"
    if unit == "count":
        return f"{text} {REGISTRY[code].noun_text()}".rstrip()
    return text


def _shown_number(code: str, x: float) -> float:
    """x rounded as the sentence prints it (so the change matches the printed values)."""
    decimals = {"%": 1, "score": 1}.get(REGISTRY[code].unit, 0)
    return round(float(f"{x:.{decimals}f}"), decimals)


def _change(code: str, value: float, prior: float, prior_year: int) -> str:
    """，较 2020 年提高 1.0 个百分点 / ，与 2020 年持平 / ，较 2020 年增加 2 件 (from the printed values)."""
    kpi = REGISTRY[code]
    delta = _shown_number(code, value) - _shown_number(code, prior)
    if abs(delta) < 1e-9:
        return f"，与 {prior_year} 年持平"
    if kpi.unit == "count":
        verb = "增加" if delta > 0 else "减少"
        return f"，较 {prior_year} 年{verb} {abs(delta):.0f} {REGISTRY[code].noun_text()}".rstrip()
    verb = "提高" if delta > 0 else "下降"
    amount = {"%": f"{abs(delta):.1f} 个百分点", "score": f"{abs(delta):.1f} 分", "ppm": f"{abs(delta):.0f} ppm",
              "yuan": f"{abs(delta):,.0f} 元"}
    return f"，较 {prior_year} 年{verb} {amount[kpi.unit]}"


def finding_sentence(v: KpiValue, year: int) -> str:
    """成品出厂检验合格率 2021 年为 98.0%，较 2020 年提高 1.0 个百分点，未达到 100% 的目标。"""
    if v.value is None:
        return f"{v.label} {year} 年无数据。"
    text = f"{v.label} {year} 年为 {_with_unit(v.kpi, format_value(v.value, v.unit))}"
    if v.prior_value is None:
        text += f"，{year - 1} 年无可比数据"
    else:
        text += _change(v.kpi, v.value, v.prior_value, year - 1)
    if v.status in ("met", "missed"):
        goal = report_target(v.kpi, v.comparator, v.target)
        goal = goal if REGISTRY[v.kpi].unit in ("%", "ppm") else _with_unit(v.kpi, goal)
        space = " " if goal[-1].isascii() else ""
        text += f"，{'达到' if v.status == 'met' else '未达到'} {goal}{space}的目标"
    return text + "。"


def kpi_findings(figures: ReportFigures) -> list[Finding]:
    """One finding per registry KPI for the report year, grouped (inspection, customer, supplier, ...)."""
    current = figures.values[figures.year]
    return [Finding(code, group, finding_sentence(current[code], figures.year))
            for group, codes in FINDING_GROUPS.items() for code in codes]
