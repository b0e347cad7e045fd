"""The KPI registry: every KPI defined once (labels, unit, direction, SQL formula), its values per period.

Each formula is a SQL file in warehouse/sql/kpi/ that returns (kpi, year, month, numerator, denominator) and, for
KPIs with work in progress, in_progress, grouped by month (yearly KPIs: one row per year, month NULL) for a
[$start, $end) span as of $today, so a period, its prior-year span and a 24-month series all come from the same
grouped query. Facts stay in DuckDB.

Every figure is computed as of a day (the plant's today by default). A period still running on that day is
partial: it counts its days up to and including that day, and it is compared with the same days a year earlier,
judged as of the same day a year earlier.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import unicodedata
from dataclasses import asdict, dataclass, replace
from statistics import NormalDist

from warehouse import complaint_clock, numbers, sql
from warehouse.settings import Settings, load_settings

STATUSES = ("met", "missed", "no_target", "no_data")
CSV_HEADER = ["kpi", "label", "value", "numerator", "denominator", "unit", "target", "status", "prior_value", "delta",
              "in_progress", "partial"]
CLOCK = "complaint_clock"  # the KPI is computed by warehouse.complaint_clock, not by a SQL file


# Inspection steps and the stages each covers (the KPIs of a step are <step>_inspection_pass_rate and _ppm).
STEPS: dict[str, tuple[str, ...]] = {"incoming": ("IQC",), "process": ("IPQC",), "final": ("FQC", "OQC")}
# How KPIs are grouped wherever they are listed (overview sections, meeting scorecard rows, report findings).
GROUPS: dict[str, tuple[str, str]] = {
    "inspection": ("检验", "Inspection"),
    "customer": ("客诉与顾客", "Complaints and customers"),
    "supplier": ("供应商", "Suppliers"),
    "market": ("市场", "Market"),
    "management": ("改进与计量", "Improvement and calibration"),
    "safety": ("安全与环境", "Safety and environment"),
    "cost": ("质量成本", "Cost of quality"),
}
COMPARATOR_SIGN = {">=": "≥", "<=": "≤", "=": "="}
PRECISION = {unit: numbers.decimals(unit) for unit in ("%", "score", "ppm", "count", "yuan")}  # decimals of a KPI unit


@dataclass(frozen=True)
class Kpi:
    """One registry entry: what the KPI is, how it is computed, and how every consumer lists and words it."""

    code: str
    label_zh: str
    label_en: str
    unit: str               # "%" (0-100), "ppm", "score" (an average, 0-100), "count", "yuan" (an amount, 元)
    direction: str | None   # "up" or "down": which way is better; None: neither
    query: str              # the SQL file in warehouse/sql/kpi/ (without .sql) that computes it, or CLOCK
    aggregate: str = "sum"  # "sum": add the months; "last": a level at the span's latest month; "year": yearly
    group: str = ""         # a key of GROUPS
    noun: tuple[str, str] | None = None  # what the denominator (a count: the count itself) counts, zh and en
    step: str | None = None  # the inspection step (a key of STEPS) of an inspection KPI
    headline: bool = False   # one of the figures the meeting's scorecard and the phone lead with

    def label(self, lang: str = "zh") -> str:
        """The label in the language asked for (zh or en)."""
        return self.label_en if lang == "en" else self.label_zh

    def noun_text(self, lang: str = "zh") -> str:
        """What the KPI's basis counts (批, lots; 件, complaints), "" when nothing is counted."""
        return "" if self.noun is None else self.noun[1 if lang == "en" else 0]

    def trend(self, delta: float | None) -> str:
        """The KPI's change as better, worse, same, up or down (see trend)."""
        return trend(delta, self.unit, self.direction)

    def target_text(self, comparator: str | None, goal: float | None, lang: str = "zh", number=None,
                    space: str = " ", bounds_bare: bool = False) -> str:
        """A target as pages, the meeting and the report write it: ≥ 98.0%, ≤ 0, ≥ 85.0; "" without one.
        number writes the goal (default: format_value); space goes between the sign and the number; bounds_bare
        (the report's style) writes a target that can only be met one way (100% of a rate, 0 of a count) bare."""
        if goal is None or comparator is None:
            return ""
        shown = number(goal) if number else format_value(goal, self.unit, lang)
        bound = (comparator == ">=" and self.unit == "%" and goal >= 100) or (comparator == "<=" and goal == 0)
        if comparator == "=" or (bounds_bare and bound):
            return shown
        return f"{COMPARATOR_SIGN[comparator]}{space}{shown}"


def trend(delta: float | None, unit: str = "count", direction: str | None = None) -> str:
    """A change as better, worse or same (at the printed precision of its unit); up / down when neither way is
    better (direction None); "" without a change."""
    if delta is None:
        return ""
    shown = numbers.rounded(delta, numbers.change_unit(unit))
    if shown == 0:
        return "same"
    if direction is None:
        return "up" if shown > 0 else "down"
    return "better" if (shown > 0) == (direction == "up") else "worse"


def _k(code, zh, en, unit, direction, query, aggregate="sum", **facts) -> tuple[str, Kpi]:
    return code, Kpi(code, zh, en, unit, direction, query, aggregate, **facts)


LOTS, TESTS = ("批", "lots"), ("次", "tests")
REGISTRY: dict[str, Kpi] = dict([
    _k("incoming_inspection_pass_rate", "原料进厂检验合格率", "Incoming inspection pass rate (IQC)", "%", "up",
       "inspection_rates", group="inspection", noun=LOTS, step="incoming", headline=True),
    _k("incoming_inspection_ppm", "原料进厂检验不良率（PPM）", "Incoming inspection defects (PPM)", "ppm", "down",
       "inspection_rates", group="inspection", noun=("件", "units"), step="incoming"),
    _k("process_inspection_pass_rate", "过程检验合格率", "In-process inspection pass rate (IPQC)", "%", "up",
       "inspection_rates", group="inspection", noun=LOTS, step="process", headline=True),
    _k("process_inspection_ppm", "过程检验不良率（PPM）", "In-process inspection defects (PPM)", "ppm", "down",
       "inspection_rates", group="inspection", noun=("件", "units"), step="process"),
    _k("final_inspection_pass_rate", "成品出厂检验合格率", "Final inspection pass rate (FQC/OQC)", "%", "up",
       "inspection_rates", group="inspection", noun=LOTS, step="final", headline=True),
    _k("final_inspection_ppm", "成品出厂检验不良率（PPM）", "Final inspection defects (PPM)", "ppm", "down",
       "inspection_rates", group="inspection", noun=("件", "units"), step="final"),
    _k("airtightness_first_pass_rate", "气密性试验一次通过率", "Airtightness first-pass rate", "%", "up",
       "inspection_rates", group="inspection", noun=TESTS, headline=True),
    _k("complaints_received", "客诉受理数", "Complaints received", "count", "down", "complaint_rates",
       group="customer", noun=("件", "complaints"), headline=True),
    _k("complaints_handled_on_time_rate", "客诉及时受理率", "Complaints handled on time", "%", "up", CLOCK,
       group="customer", noun=("件", "complaints"), headline=True),
    _k("complaint_handling_rate", "产品投诉处理率", "Complaint handling rate", "%", "up", "complaint_rates",
       group="customer", noun=("件", "complaints"), headline=True),
    _k("warranty_fulfilment_rate", "三包实施率", "Warranty (三包) fulfilment rate", "%", "up", "complaint_rates",
       group="customer", noun=("件", "cases"), headline=True),
    _k("customer_satisfaction", "顾客满意度", "Customer satisfaction", "score", "up", "survey_satisfaction", "year",
       group="customer", noun=("份问卷", "responses"), headline=True),
    _k("supplier_satisfaction", "供应商满意度", "Supplier satisfaction", "score", "up", "survey_satisfaction", "year",
       group="supplier", noun=("家供应商", "suppliers"), headline=True),
    _k("suppliers_grade_a", "A级供应商数量", "Grade A suppliers", "count", "up", "supplier_grade_counts", "year",
       group="supplier", noun=("个", "suppliers")),
    _k("suppliers_grade_b", "B类供应商数量", "Grade B suppliers", "count", None, "supplier_grade_counts", "year",
       group="supplier", noun=("个", "suppliers")),
    _k("suppliers_grade_c", "C类供应商数量", "Grade C suppliers", "count", "down", "supplier_grade_counts", "year",
       group="supplier", noun=("个", "suppliers")),
    _k("suppliers_total", "供应商总数", "Suppliers in total", "count", None, "supplier_grade_counts", "year",
       group="supplier", noun=("个", "suppliers")),
    _k("suppliers_grade_a_share", "A类供应商占比", "Grade A share of suppliers", "%", "up", "supplier_grade_counts",
       "year", group="supplier", noun=("家", "suppliers"), headline=True),
    _k("market_share_national", "国内市场占有率", "National market share", "%", "up", "market_share", "year",
       group="market", headline=True),
    _k("market_share_provincial", "省内市场占有率", "Provincial market share", "%", "up", "market_share", "year",
       group="market", headline=True),
    _k("capa_on_time_rate", "纠正措施按期完成率", "Corrective actions on time", "%", "up", "capa_on_time_rate",
       group="management", noun=("项", "actions"), headline=True),
    _k("capa_ineffective", "纠正措施验证无效数", "Corrective actions verified ineffective", "count", "down",
       "capa_on_time_rate", group="management", noun=("项", "actions")),
    _k("calibration_overdue", "计量器具逾期未校准数", "Instruments overdue for calibration", "count", "down",
       "calibration_overdue", "last", group="management", noun=("台", "instruments"), headline=True),
    _k("major_environmental_incidents", "重大环境事故", "Major environmental incidents", "count", "down",
       "incident_counts", group="safety", noun=("起", "incidents"), headline=True),
    _k("fatal_injuries", "死亡事故", "Fatal injuries", "count", "down", "incident_counts", group="safety",
       noun=("起", "incidents"), headline=True),
    _k("serious_injuries", "重伤事故", "Serious injuries", "count", "down", "incident_counts", group="safety",
       noun=("起", "incidents"), headline=True),
    _k("minor_injuries", "轻伤事故", "Minor injuries", "count", "down", "incident_counts", group="safety",
       noun=("起", "incidents"), headline=True),
    # Cost of quality (质量成本, GB/T 13339): the ledger's total, each category's share of it, and its rate on sales
    _k("quality_cost_total", "质量成本总额", "Cost of quality", "yuan", "down", "quality_cost", group="cost",
       noun=("元", "yuan")),
    _k("prevention_cost_share", "预防成本占比", "Prevention cost share", "%", "up", "quality_cost", group="cost",
       noun=("元", "yuan")),
    _k("appraisal_cost_share", "鉴定成本占比", "Appraisal cost share", "%", None, "quality_cost", group="cost",
       noun=("元", "yuan")),
    _k("internal_failure_cost_share", "内部损失成本占比", "Internal failure cost share", "%", "down", "quality_cost",
       group="cost", noun=("元", "yuan")),
    _k("external_failure_cost_share", "外部损失成本占比", "External failure cost share", "%", "down", "quality_cost",
       group="cost", noun=("元", "yuan")),
    _k("quality_cost_rate", "质量成本率", "Cost of quality to sales", "%", "down", "quality_cost", group="cost",
       noun=("元销售额", "yuan of sales")),
])
COST_SHARES = {"prevention": "prevention_cost_share", "appraisal": "appraisal_cost_share",
               "internal_failure": "internal_failure_cost_share", "external_failure": "external_failure_cost_share"}


def grouped(codes=None, headline: bool = False) -> list[tuple[str, list[str]]]:
    """(group, KPI codes) in GROUPS order, registry order within a group: every KPI, those in codes, or the
    headline ones."""
    wanted = [k for k in REGISTRY.values() if (codes is None or k.code in codes) and (k.headline or not headline)]
    return [(g, [k.code for k in wanted if k.group == g]) for g in GROUPS if any(k.group == g for k in wanted)]


def year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for a 29 February)."""
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Period:
    """A calendar year, a month, or year-to-date (January up to and including month); partial when as_of is set:
    only its days up to and including as_of count (the period is still running on that day)."""

    year: int
    month: int | None = None
    ytd: bool = False
    as_of: dt.date | None = None

    def __post_init__(self):
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")
        if self.ytd and self.month is None:
            raise ValueError("a year-to-date period needs the month it runs to")

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return dt.date(self.year, 1 if self.month is None or self.ytd else self.month, 1)

    @property
    def end(self) -> dt.date:
        """Day after the period's last counted day (exclusive end)."""
        if self.month is None or self.month == 12:
            natural = dt.date(self.year + 1, 1, 1)
        else:
            natural = dt.date(self.year, self.month + 1, 1)
        return natural if self.as_of is None else min(natural, self.as_of + dt.timedelta(days=1))

    @property
    def partial(self) -> bool:
        """Whether the period is still running (only its days up to as_of count)."""
        return self.as_of is not None

    @property
    def whole(self) -> Period:
        """The period without an as-of day."""
        return replace(self, as_of=None)

    def through(self, day: dt.date) -> Period:
        """The period as of day: partial when it is still running on day (begun, and day not its last), else
        whole (one that has not begun has nothing to count yet)."""
        whole = self.whole
        return replace(whole, as_of=day) if whole.start <= day < whole.end - dt.timedelta(days=1) else whole

    def prior(self) -> Period:
        """The same span one year earlier (of a partial period: the same days a year earlier)."""
        return replace(self, year=self.year - 1, as_of=self.as_of and year_earlier(self.as_of))

    def label(self, lang: str = "zh") -> str:
        """How the period is written on a page (a partial one says to which day)."""
        if lang == "en":
            if self.month is None:
                text = str(self.year)
            else:
                last = dt.date(self.year, self.month, 1).strftime("%b")
                text = f"Jan–{last} {self.year} (YTD)" if self.ytd else f"{last} {self.year}"
            return text + (f" (to {self.as_of:%-d %b})" if self.as_of else "")
        if self.month is None:
            text = f"{self.year}年"
        elif self.ytd:
            text = f"{self.year}年1–{self.month}月累计" if self.month > 1 else f"{self.year}年1月累计"
        else:
            text = f"{self.year}年{self.month}月"
        return text + (f"（至{self.as_of.month}月{self.as_of.day}日）" if self.as_of else "")


def opening_period(day: dt.date, full_month_min_days: int) -> Period:
    """The period pages open on as of day: the year to date through this month, or, in a month's first days (before
    day full_month_min_days), through the last full month (on 1-6 January: last year)."""
    if day.day >= full_month_min_days:
        return Period(day.year, day.month, ytd=True)
    last = day.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month, ytd=True)


@dataclass(frozen=True)
class KpiValue:
    """One KPI over one period, with its target and the same span a year earlier."""

    kpi: str
    label: str
    value: float | None          # None: no data (empty denominator)
    numerator: float | None      # rates and PPM: the counts; averages: None; counts: the count
    denominator: float | None    # rates and PPM: lots / units / ...; averages: number of scores; counts: None
    unit: str
    target: float | None
    comparator: str | None       # ">=", "<=", "="
    status: str                  # met, missed, no_target, no_data
    prior_value: float | None
    delta: float | None          # value - prior_value (percentage points for %)
    in_progress: float | None = None  # items inside their deadline, counted in neither numerator nor denominator
    partial: bool = False        # the period is still running: its days so far, against the same days a year earlier
    as_of: dt.date | None = None  # the day the figures are computed as of


@dataclass(frozen=True)
class KpiPoint:
    """One month of a KPI series."""

    period: Period
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    comparator: str | None
    status: str
    in_progress: float | None = None
    partial: bool = False        # the month is still running (its days so far)


# Formulas ----------------------------------------------------------------------------------------


def _day(today: dt.date | dt.datetime | None, settings: Settings | None = None) -> dt.date:
    """The as-of day: the day given, or today at the plant (Settings.plant_timezone)."""
    if today is None:
        return (settings or load_settings()).plant_today()
    return today.date() if isinstance(today, dt.datetime) else today


_LOT_KPIS = tuple(code for code, kpi in REGISTRY.items() if kpi.query == "inspection_rates")
# What a KPI can be broken down by (its formula takes $by): breakdown -> the KPIs that have it.
BREAKDOWNS = {"family": _LOT_KPIS, "item": _LOT_KPIS, "supplier": _LOT_KPIS, "segment": ("customer_satisfaction",)}
INSPECTION_BREAKDOWNS = tuple(by for by, codes in BREAKDOWNS.items() if codes == _LOT_KPIS)


def kpi_rows(con, kpis: list[Kpi], start: dt.date, end: dt.date, settings: Settings | None = None,
             today: dt.date | dt.datetime | None = None, by: str | None = None) -> dict[str, list[tuple]]:
    """Per KPI code: (year, month, numerator, denominator, in_progress) rows over [start, end) as of today, one
    query per formula file (in_progress None for KPIs without work in progress).

    With by (a key of BREAKDOWNS), each row ends with its key ('' for rows without one); only the KPIs BREAKDOWNS
    lists for it can be broken down that way.
    """
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"a KPI breakdown is by one of {', '.join(BREAKDOWNS)}, not {by!r}")
    if by is not None and any(k.code not in BREAKDOWNS[by] for k in kpis):
        codes = ", ".join(k.code for k in kpis if k.code not in BREAKDOWNS[by])
        raise ValueError(f"{codes} cannot be broken down by {by}")
    settings = settings or load_settings()
    wanted = {k.code for k in kpis}
    out: dict[str, list[tuple]] = {code: [] for code in wanted}
    for query in dict.fromkeys(k.query for k in kpis):
        if query == CLOCK:
            found = [dict(zip(("year", "month", "numerator", "denominator", "in_progress"), row),
                          kpi="complaints_handled_on_time_rate")
                     for row in complaint_clock.complaints_on_time_by_month(con, start, end, settings, today)]
        else:
            found = sql.records(con, f"kpi/{query}", start=start, end=end, today=_day(today), by=by,
                                handling_days=settings.complaint_handling_days,
                                warranty_days=settings.warranty_days)
        for r in found:
            if r["kpi"] in wanted:
                row = (r["year"], r["month"], r["numerator"], r["denominator"], r.get("in_progress"))
                out[r["kpi"]].append((*row, r["key"]) if by else row)
    return out


def _in_span(year: int, month: int, period: Period) -> bool:
    return period.start <= dt.date(year, month, 1) < period.end


def _combine(kpi: Kpi, rows: list[tuple], period: Period) -> tuple[float | None, float | None]:
    """(numerator, denominator) of the KPI over the period from its monthly or yearly rows (those of a query over
    the period's own span: a partial period's rows hold only its days)."""
    if kpi.aggregate == "year":
        chosen = [r for r in rows if r[0] == period.year and r[1] is None]
    else:
        chosen = [r for r in rows if r[1] is not None and _in_span(r[0], r[1], period)]
        if kpi.aggregate == "last" and chosen:
            chosen = [max(chosen, key=lambda r: (r[0], r[1]))]
    if not chosen:
        return None, None
    numerator = sum(float(r[2] or 0) for r in chosen)
    denominator = sum(float(r[3] or 0) for r in chosen)
    return numerator, denominator


def _in_progress(kpi: Kpi, rows: list[tuple], period: Period) -> float | None:
    """Items of the period inside their deadline (None for a KPI without work in progress)."""
    chosen = [r[4] for r in rows if r[1] is not None and _in_span(r[0], r[1], period) and r[4] is not None]
    return float(sum(chosen)) if kpi.aggregate == "sum" and chosen else None


def _value(kpi: Kpi, numerator: float | None, denominator: float | None) -> float | None:
    if not denominator:
        return None
    if kpi.unit == "%":
        return 100.0 * numerator / denominator
    if kpi.unit == "ppm":
        return 1e6 * numerator / denominator
    if kpi.unit == "score":
        return numerator / denominator
    return numerator


def _shown(kpi: Kpi, value: float | None, numerator: float | None,
           denominator: float | None) -> tuple[float | None, float | None]:
    """The numerator and denominator a page shows beside the value."""
    if kpi.unit == "score":
        return None, denominator
    if kpi.unit in ("count", "yuan"):
        return (numerator if value is not None else None), None
    return numerator, denominator


# Targets -----------------------------------------------------------------------------------------


def kpi_targets(con, year: int) -> dict[str, tuple[str, float]]:
    """Per KPI code: (comparator, value) of the target that applies in year."""
    return {kpi: (comparator, value) for kpi, comparator, value in sql.rows(con, "read/kpi_target_for_year", year=year)}


def set_kpi_target(con, kpi: str, year: int, value: float, comparator: str | None = None,
                   note: str | None = None) -> None:
    """Write the KPI's target from year on (pass a write-snapshot connection); comparator follows direction."""
    entry = REGISTRY[kpi]
    if comparator is None:
        if entry.direction is None:
            raise ValueError(f"{kpi} has no better direction: give the comparator")
        comparator = ">=" if entry.direction == "up" else "<="
    if comparator not in (">=", "<=", "="):
        raise ValueError(f"comparator must be >=, <= or =, not {comparator!r}")
    sql.run(con, "write/kpi_target_upsert",
            kpi=kpi, from_year=int(year), comparator=comparator, value=float(value), note=note)


def kpi_status(value: float | None, target: tuple[str, float] | None) -> str:
    """met, missed, no_target or no_data."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    comparator, goal = target
    tolerance = 1e-9 * max(1.0, abs(goal))
    met = {">=": value >= goal - tolerance, "<=": value <= goal + tolerance, "=": abs(value - goal) <= tolerance}
    return "met" if met[comparator] else "missed"


def wilson_interval(successes: float, total: float, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval of a rate, in percent (0-100); None when there is nothing to rate."""
    if not total:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return 100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half)


# Values ------------------------------------------------------------------------------------------


def _chosen(codes: list[str] | None) -> list[Kpi]:
    if not codes:
        return list(REGISTRY.values())
    unknown = [c for c in codes if c not in REGISTRY]
    if unknown:
        raise KeyError(f"unknown KPI code(s): {', '.join(unknown)}")
    return [REGISTRY[c] for c in codes]


def span_rows(con, kpis: list[Kpi], spans: list[Period], settings: Settings, today: dt.date | dt.datetime | None,
              by: str | None = None) -> dict[Period, dict[str, list[tuple]]]:
    """kpi_rows for each span: one query over them all when none is partial, else one per span, each judged as of
    its own as-of day (a partial prior span: as of the same day a year earlier)."""
    if not any(s.partial for s in spans):
        rows = kpi_rows(con, kpis, min(s.start for s in spans), max(s.end for s in spans), settings, today, by)
        return {s: rows for s in spans}
    return {s: kpi_rows(con, kpis, s.start, s.end, settings, s.as_of or today, by) for s in dict.fromkeys(spans)}


def _values(kpis: list[Kpi], rows: dict[Period, dict[str, list[tuple]]], period: Period, targets: dict, lang: str,
            day: dt.date) -> list[KpiValue]:
    """The KPIs over the period and the same span a year earlier, from the rows of each (span_rows)."""
    out = []
    prior = period.prior()
    for kpi in kpis:
        mine = rows[period][kpi.code]
        numerator, denominator = _combine(kpi, mine, period)
        value = _value(kpi, numerator, denominator)
        prior_value = _value(kpi, *_combine(kpi, rows[prior][kpi.code], prior))
        shown_num, shown_den = _shown(kpi, value, numerator, denominator)
        target = targets.get(kpi.code)
        out.append(KpiValue(
            kpi=kpi.code, label=kpi.label(lang), value=value, numerator=shown_num, denominator=shown_den,
            unit=kpi.unit, target=target[1] if target else None, comparator=target[0] if target else None,
            status=kpi_status(value, target), prior_value=prior_value,
            delta=None if value is None or prior_value is None else value - prior_value,
            in_progress=_in_progress(kpi, mine, period), partial=period.partial and kpi.aggregate != "year",
            as_of=day,
        ))
    return out


def kpi_values(con, period: Period, settings: Settings | None = None, lang: str = "zh",
               today: dt.date | dt.datetime | None = None, codes: list[str] | None = None) -> list[KpiValue]:
    """Every KPI (or those in codes) over the period as of today (the plant's today by default), with target,
    status and the same span a year earlier; a period still running counts its days so far."""
    settings = settings or load_settings()
    day = _day(today, settings)
    kpis = _chosen(codes)
    period = period.through(day)
    rows = span_rows(con, kpis, [period, period.prior()], settings, today or day)
    return _values(kpis, rows, period, kpi_targets(con, period.year), lang, day)


def kpi_values_by(con, periods: list[Period], by: str, codes: list[str], settings: Settings | None = None,
                  lang: str = "zh", today: dt.date | dt.datetime | None = None) -> list[tuple[Period, str, list[KpiValue]]]:
    """The KPIs in codes broken down by `by` (family, item, supplier; segment): (period, key, values) for each
    period and each key with rows in the period or the same span a year earlier, keys in order ('' for rows
    without one)."""
    settings = settings or load_settings()
    day = _day(today, settings)
    kpis = _chosen(codes)
    periods = [p.through(day) for p in periods]
    spans = [s for p in periods for s in (p, p.prior())]
    by_key: dict[str, dict[Period, dict[str, list[tuple]]]] = {}
    for span, rows in span_rows(con, kpis, spans, settings, today or day, by).items():
        for code, found in rows.items():
            for r in found:
                by_key.setdefault(r[5], {s: {k.code: [] for k in kpis} for s in spans})[span][code].append(r)
    out = []
    for period in periods:
        targets = kpi_targets(con, period.year)
        for key, mine in sorted(by_key.items()):
            if any(_combine(k, mine[p][k.code], p)[1] is not None for k in kpis for p in (period, period.prior())):
                out.append((period, key, _values(kpis, mine, period, targets, lang, day)))
    return out


def kpi_series(con, code: str, months: int, end: Period, settings: Settings | None = None,
               today: dt.date | dt.datetime | None = None) -> list[KpiPoint]:
    """The KPI month by month for the `months` months ending with end's (last) month, oldest first, as of today: the
    month still running on that day is partial (its days so far), later months have no value."""
    kpi = _chosen([code])[0]
    settings = settings or load_settings()
    day = _day(today, settings)
    last = end.year * 12 + (end.month or 12) - 1
    periods = [Period(i // 12, i % 12 + 1).through(day) for i in range(last - months + 1, last + 1)]
    periods = [p for p in periods if p.start <= day]
    if not periods:
        return []
    rows = kpi_rows(con, [kpi], periods[0].start, periods[-1].end, settings, today or day)[code]
    targets = {year: kpi_targets(con, year).get(code) for year in {p.year for p in periods}}
    points = []
    for p in periods:
        numerator, denominator = _combine(kpi, rows, p)
        value = _value(kpi, numerator, denominator)
        shown_num, shown_den = _shown(kpi, value, numerator, denominator)
        target = targets[p.year]
        points.append(KpiPoint(p, value, shown_num, shown_den, target[1] if target else None,
                               target[0] if target else None, kpi_status(value, target),
                               _in_progress(kpi, rows, p), p.partial))
    return points


# The rows behind a figure --------------------------------------------------------------------------

BEHIND_COLUMNS = ["item", "day", "numerator", "denominator", "in_progress", "file", "row", "run"]


def rows_behind(con, code: str, period: Period, settings: Settings | None = None,
                today: dt.date | dt.datetime | None = None) -> list[dict]:
    """The lots, complaints, actions, instruments, responses ... behind the KPI's figure for the period as of today
    (as kpi_values computes it): item, day, its part of the numerator and the denominator, in_progress (1 inside
    its deadline), and the file (name), row and load run it came from. Summed, numerator, denominator and
    in_progress are the figure's own (a level such as calibration_overdue: the rows of the period's last month)."""
    kpi = _chosen([code])[0]
    settings = settings or load_settings()
    day = _day(today, settings)
    period = period.through(day)
    params = dict(start=period.start, end=period.end, today=day, handling_days=settings.complaint_handling_days,
                  warranty_days=settings.warranty_days)
    if kpi.query == CLOCK:
        judged = {cid: (due, on_time) for cid, _, due, on_time in
                  complaint_clock.complaints_on_time(con, period.start, period.end, settings, today or day)}
        found = [dict(r, numerator=int(judged[r["item"]][1]), denominator=int(judged[r["item"]][0]),
                      in_progress=int(not judged[r["item"]][0]))
                 for r in sql.records(con, "explain/complaint_rates_rows", kpi="complaints_received", **params)]
    else:
        found = sql.records(con, f"explain/{kpi.query}_rows", kpi=code, **params)
    files = {r["hash"]: r for r in sql.records(con, "read/source_files", status=None, limit=None)}
    return [{"item": r["item"], "day": r["day"], "numerator": r["numerator"], "denominator": r["denominator"],
             "in_progress": r["in_progress"], "file": files.get(r["source_file"], {}).get("name"),
             "row": r["source_row"], "run": files.get(r["source_file"], {}).get("run_id")} for r in found]


def rows_behind_csv(rows: list[dict]) -> str:
    """The rows behind a figure as CSV (header BEHIND_COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BEHIND_COLUMNS)
    for r in rows:
        writer.writerow(["" if r[c] is None else _plain(r[c]) if isinstance(r[c], float) else r[c]
                         for c in BEHIND_COLUMNS])
    return buffer.getvalue()


def rows_behind_json(rows: list[dict]) -> str:
    """The rows behind a figure as a JSON array of objects."""
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


# Output ------------------------------------------------------------------------------------------


def _plain(x: float | None) -> str:
    """A number as plain text (no exponent, at most 6 decimals); None as empty."""
    if x is None:
        return ""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def kpis_csv(values: list[KpiValue]) -> str:
    """The values as CSV (header kpi,label,value,...,delta; percentages 0-100; no data as empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for v in values:
        writer.writerow([v.kpi, v.label, _plain(v.value), _plain(v.numerator), _plain(v.denominator), v.unit,
                         _plain(v.target), v.status, _plain(v.prior_value), _plain(v.delta), _plain(v.in_progress),
                         str(v.partial).lower()])
    return buffer.getvalue()


def kpis_json(values: list[KpiValue]) -> str:
    """The values as a JSON array of objects (every KpiValue field; no data as null)."""
    return json.dumps([asdict(v) for v in values], ensure_ascii=False, indent=2, default=str)


STATUS_LABEL = {
    "zh": {"met": "达标", "missed": "未达标", "no_target": "无目标", "no_data": "无数据"},
    "en": {"met": "met", "missed": "missed", "no_target": "no target", "no_data": "no data"},
}
TABLE_HEADER = {
    "zh": ["指标", "数值", "目标", "状态", "上年同期", "同比", "分子/分母"],
    "en": ["KPI", "value", "target", "status", "prior year", "change", "num/den"],
}


def format_value(x: float | None, unit: str, lang: str = "zh") -> str:
    """A KPI value as every page, screen and sentence writes it (numbers.figure_text): 96.4%, 1,548 ppm, 95.0 分,
    3; no data as —."""
    return numbers.figure_text(x, unit, lang)


def format_delta(x: float | None, unit: str, lang: str = "zh") -> str:
    """A change against the prior year (numbers.change_text): +1.5 个百分点 (pp) for %, otherwise in the KPI's unit;
    a change that rounds to zero without a sign (0.0 个百分点)."""
    return numbers.change_text(x, unit, lang)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def kpis_text_table(values: list[KpiValue], lang: str = "zh") -> str:
    """The values as an aligned plain-text table for a terminal."""
    lang = "en" if lang == "en" else "zh"
    lines = [TABLE_HEADER[lang]]
    for v in values:
        target = f"{v.comparator} {format_value(v.target, v.unit, lang)}" if v.target is not None else "—"
        counts = ("—" if v.denominator is None
                  else f"{numbers.number_text(v.numerator)}/{numbers.number_text(v.denominator)}")
        lines.append([v.label, format_value(v.value, v.unit, lang), target, STATUS_LABEL[lang][v.status],
                      format_value(v.prior_value, v.unit, lang), format_delta(v.delta, v.unit, lang), counts])
    return _aligned(lines)


def _aligned(lines: list[list[str]]) -> str:
    """Rows of cells as plain text in aligned columns (wide characters count twice)."""
    widths = [max(_width(row[i]) for row in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip() for row in lines
    ) + "\n"


def rows_behind_text(rows: list[dict]) -> str:
    """The rows behind a figure as an aligned plain-text table (header BEHIND_COLUMNS), with their sums."""
    cell = lambda x: "" if x is None else _plain(float(x)) if isinstance(x, (int, float)) else str(x)  # noqa: E731
    lines = [BEHIND_COLUMNS] + [[cell(r[c]) for c in BEHIND_COLUMNS] for r in rows]
    sums = [sum(r[c] or 0 for r in rows) for c in ("numerator", "denominator", "in_progress")]
    lines.append([f"Σ {len(rows)}", "", *map(cell, sums), "", "", ""])
    return _aligned(lines)
