"""The monthly quality meeting (质量例会): one screen per topic for a chosen month, and the whole pack as a PDF
for the projector (16:9 pages, large type, the Chinese font embedded).

    meeting_screens(con, year, month, settings=None, lang="zh", today=None) -> list[Screen]
    meeting_pack_pdf(screens, font_path=None) -> bytes

Every KPI figure comes from the registry (warehouse.kpis: the month, year-to-date and the same months last
year); complaint milestones from the complaint clock; lists from warehouse/sql/read/*.sql. A screen's
texts are display-ready in its language (lang), its title in both; the Streamlit meeting page and the PDF draw
the same screens.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from fpdf import FPDF

from presentation.report.fonts import cjk_fonts, installed_cjk_faces
from presentation.report.texts import report_signoff
from presentation.labels import enum_label, month_label, spc_rules_text, t
from warehouse import complaint_clock as clock
from warehouse import numbers, rules, spc, sql
from warehouse.kpis import (GROUPS, REGISTRY, KpiValue, Period, format_delta, format_value, grouped,
                            kpi_values, kpi_values_by, year_earlier)
from warehouse.kpis import STEPS as KPI_STEPS
from warehouse.kpis import trend as kpi_trend
from warehouse.settings import Settings, load_settings
from warehouse.sources import COST_CATEGORIES

# The screens and their KPIs ----------------------------------------------------------------------------------

SCREEN_TITLES = {   # key: (zh, en), in meeting order
    "scorecard": ("质量例会 · 指标总览", "Quality meeting · Scorecard"),
    "inspections": ("检验合格率", "Inspection pass rates"),
    "complaints": ("客诉与及时性", "Customer complaints"),
    "suppliers": ("供应商", "Suppliers"),
    "satisfaction_market": ("顾客满意度与市场占有率", "Satisfaction and market share"),
    "improvement": ("纠正措施、计量与安全", "CAPA, calibration and incidents"),
    "quality_cost": ("质量成本", "Cost of quality"),
    "data_quality": ("数据质量", "Data quality"),
}
# (group title zh, en, KPI codes): one row of cards per registry group, its headline KPIs
SCORECARD = [(*GROUPS[group], codes) for group, codes in grouped(headline=True)]
STEP_LABELS = {"incoming": ("进厂检验 IQC", "Incoming (IQC)"), "process": ("过程检验 IPQC", "In-process (IPQC)"),
               "final": ("成品出厂检验 FQC/OQC", "Final (FQC/OQC)")}
STEPS = [(step, *STEP_LABELS[step]) for step in KPI_STEPS]
INCIDENTS = dict(grouped())["safety"]
TOP_DEFECTS = 8
LIST_ROWS = 10                 # data-quality lists show this many rows
HISTORY_YEARS = 5              # the satisfaction and market table: this year and the four before

def word(key: str, lang: str = "zh") -> str:
    """A fixed meeting-screen word in zh or en, from the one label catalogue (presentation.labels, meeting.*)."""
    return t(f"meeting.{key}", lang)


@dataclass(frozen=True)
class Figure:
    """One headline figure: the month's value against its target, and year-to-date against last year's."""

    label: str
    value: str              # the month's value (yearly KPIs: the year's; levels: at the month's end); — no data
    target: str             # ≥ 100.0%, or — without a target
    status: str             # the value against the target: met, missed, no_target, no_data
    ytd: str                # year-to-date value ("" when the figure has no year-to-date, e.g. data quality)
    prior_ytd: str          # the same months last year
    delta: str              # ytd − prior_ytd with an arrow: ▲ +1.0 个百分点
    code: str = ""          # the registry code (for a sparkline: kpi_series), or meeting.<what> for a list count
    status_text: str = ""   # ✓ 达标 / ✗ 未达标 / 无目标 / 无数据
    ytd_status: str = "no_data"
    trend: str = ""         # better, worse, same; up / down when neither way is better; "" nothing to compare
    trend_text: str = ""    # 改善 / 变差 / 持平
    basis: str = ""         # what the month's value rests on: 189/193 批
    ytd_basis: str = ""
    value_label: str = ""   # 本月 / 全年 / 月末
    ytd_label: str = ""     # 累计 / 全年 / 月末
    prior_label: str = ""   # 上年同期 / 上年
    group: str = ""         # the figure's topic on the scorecard (检验, 客诉 …): a new row of cards where it changes


@dataclass(frozen=True)
class Table:
    """A list on a screen: display-ready cells; a long one continues on follow-on PDF pages."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()   # per column: "L" text, "R" numbers
    empty: str = ""               # shown instead of an empty list


@dataclass(frozen=True)
class Screen:
    """One topic of the meeting: headline figures, tables and notes, all text in lang, the title in both."""

    key: str
    title_zh: str
    title_en: str
    lang: str
    period: str             # 2021年12月
    ytd_period: str         # 2021年1–12月累计
    prior_period: str       # 2020年1–12月累计
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    company: str = ""
    demo: bool = False
    as_of: str = ""         # 数据截至 2026-11-24 10:30 while the month is not over yet, else ""

    def title(self, lang: str | None = None) -> str:
        """The title in lang (default: the screen's language)."""
        return self.title_en if (lang or self.lang) == "en" else self.title_zh


# Assembling the screens ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Month:
    """What every screen builder needs: the connection, the periods and the registry's values."""

    con: object
    lang: str
    settings: Settings
    today: dt.date | dt.datetime | None
    period: Period
    ytd: Period
    as_of: dt.datetime          # the end of the month, or now while the month runs
    month_values: dict
    ytd_values: dict
    prior_ytd_values: dict
    company: str
    demo: bool
    data_state: dict | None
    check_name: object = None   # (suite, expectation, column, lang) -> the check in words
    earlier: dict = None        # yearly KPIs without a value for the year: code -> (latest earlier year, KpiValue)


def _count(x) -> str:
    return numbers.number_text(x)


def _day(d) -> str:
    return "—" if d is None else d.strftime("%Y-%m-%d")


def _minute(d) -> str:
    return "—" if d is None else d.strftime("%Y-%m-%d %H:%M")


def delta_text(delta: float | None, unit: str, lang: str = "zh") -> str:
    """The change with an arrow: ▲ +1.0 个百分点, ▼ -42 ppm, ＝ 0.0 个百分点; — without one."""
    if delta is None:
        return "—"
    shown = numbers.rounded(delta, numbers.change_unit(unit))
    if shown == 0:
        return "＝ " + format_delta(0.0, unit, lang)
    return ("▲ " if shown > 0 else "▼ ") + format_delta(delta, unit, lang)


def days_left_text(days: int, lang: str = "zh") -> str:
    """剩 23 天 / 今日到期 / ✗ 逾期 12 天 (days: until the due date; negative: past it)."""
    if days > 0:
        return f"{days} days left" if lang == "en" else f"剩 {days} 天"
    if days == 0:
        return "due today" if lang == "en" else "今日到期"
    return f"✗ {-days} days overdue" if lang == "en" else f"✗ 逾期 {-days} 天"


def _status_text(status: str, lang: str) -> str:
    return word({"met": "met", "missed": "missed", "no_target": "status_no_target"}.get(status, "no_data"), lang)


def _target_text(v: KpiValue) -> str:
    return REGISTRY[v.kpi].target_text(v.comparator, v.target) or "—"


def _basis(v: KpiValue, lang: str) -> str:
    """189/193 批: the counts a rate rests on (and 在办 2: the items inside their deadline); 45 份问卷 for an
    average; "" otherwise."""
    noun = REGISTRY[v.kpi].noun_text(lang) if v.kpi in REGISTRY and REGISTRY[v.kpi].unit != "count" else ""
    waiting = (" · " + t("in_progress", lang).format(n=_count(v.in_progress))) if v.in_progress else ""
    if not noun or v.denominator is None:
        return waiting.removeprefix(" · ")
    if v.unit == "score":
        return f"{_count(v.denominator)} {noun}"
    if v.numerator is None:
        return ""
    return f"{_count(v.numerator)}/{_count(v.denominator)} {noun}{waiting}"


def kpi_figure(code: str, month: dict, ytd: dict, lang: str, group: str = "", earlier: dict | None = None) -> Figure:
    """The headline figure of a registry KPI from its month and year-to-date values (KpiValue by code).

    A yearly KPI whose year has no data yet shows the latest earlier year that has (earlier: code -> (year,
    KpiValue)) and says which year it is; a month without a value shows what is still in progress instead of a dash.
    """
    kpi = REGISTRY[code]
    m, y = month[code], ytd[code]
    yearly, level = kpi.aggregate == "year", kpi.aggregate == "last"
    if yearly and m.value is None and code in (earlier or {}):
        return _earlier_year_figure(code, *earlier[code], lang, group, chosen=m)
    trend = kpi.trend(y.delta)
    value = format_value(m.value, m.unit, lang)
    basis = _basis(m, lang) or (word("no_data_year" if yearly else "no_data_month", lang) if m.value is None else "")
    if m.value is None:
        value = t("in_progress", lang).format(n=_count(m.in_progress)) if m.in_progress else word("no_data", lang)
        basis = word("none_decided" if m.in_progress else "no_data_year" if yearly else "no_data_month", lang)
    return Figure(
        label=kpi.label(lang), value=value, target=_target_text(y),
        status=m.status, ytd=format_value(y.value, y.unit, lang), prior_ytd=format_value(y.prior_value, y.unit, lang),
        delta=delta_text(y.delta, y.unit, lang), code=code, status_text=_status_text(m.status, lang),
        ytd_status=y.status, trend=trend, trend_text=word(trend, lang) if trend in ("better", "worse", "same") else "",
        basis=basis, ytd_basis=_basis(y, lang),
        value_label=word("year" if yearly else "month_end" if level else "month", lang),
        ytd_label=word("year" if yearly else "month_end" if level else "ytd", lang),
        prior_label=word("prior_year" if yearly else "prior_ytd", lang), group=group,
    )


def _earlier_year_figure(code: str, year: int, v: KpiValue, lang: str, group: str, chosen: KpiValue) -> Figure:
    """A yearly KPI's figure from an earlier year (its year not in yet): 2025 年度, against the year before that."""
    kpi = REGISTRY[code]
    trend = kpi.trend(v.delta)
    shown = word("latest_year", lang).format(year=year)
    return Figure(
        label=kpi.label(lang), value=format_value(v.value, v.unit, lang), target=_target_text(v), status=v.status,
        ytd=format_value(v.value, v.unit, lang), prior_ytd=format_value(v.prior_value, v.unit, lang),
        delta=delta_text(v.delta, v.unit, lang), code=code, status_text=_status_text(v.status, lang),
        ytd_status=v.status, trend=trend, trend_text=word(trend, lang) if trend in ("better", "worse", "same") else "",
        basis=" · ".join(x for x in (word("no_data_year", lang), _basis(v, lang)) if x),
        ytd_basis=_basis(v, lang), value_label=shown, ytd_label=shown,
        prior_label=word("prior_year", lang), group=group,
    )


def earlier_years(con, year: int, codes, settings: Settings, lang: str, today) -> dict[str, tuple[int, KpiValue]]:
    """For the yearly KPIs among codes: the latest of the three years before year that has a value, as (year,
    value); KPIs with none are left out (the overview's rule for a year whose figures are not in yet)."""
    found: dict[str, tuple[int, KpiValue]] = {}
    yearly = [c for c in codes if REGISTRY[c].aggregate == "year"]
    for y in range(year - 1, year - 4, -1):
        missing = [c for c in yearly if c not in found]
        if not missing:
            break
        found |= {v.kpi: (y, v) for v in kpi_values(con, Period(y), settings, lang, today, missing)
                  if v.value is not None}
    return found


def count_figure(code: str, label: str, value: float | None, ytd: float | None, prior: float | None, lang: str,
                 direction: str | None = "down", basis: str = "", ytd_label: str = "ytd") -> Figure:
    """A figure counted from a list (failed lots, open corrective actions): no target; the change against last year."""
    delta = None if ytd is None or prior is None else ytd - prior
    trend = kpi_trend(delta, "count", direction)
    return Figure(
        label=label, value=_count(value), target="—", status="no_data" if value is None else "no_target",
        ytd=_count(ytd), prior_ytd=_count(prior), delta=delta_text(delta, "count", lang), code=f"meeting.{code}",
        status_text=_status_text("no_target" if value is not None else "no_data", lang),
        ytd_status="no_target" if ytd is not None else "no_data", trend=trend,
        trend_text=word(trend, lang) if trend in ("better", "worse", "same") else "", basis=basis,
        value_label=word("month_end" if ytd_label == "month_end" else "month", lang),
        ytd_label=word(ytd_label, lang), prior_label=word("prior_ytd", lang),
    )


def plain_figure(code: str, label: str, value: str, basis: str = "", lang: str = "zh") -> Figure:
    """A figure with no target and no year-to-date (the data-quality screen)."""
    return Figure(label=label, value=value, target="—", status="no_target", ytd="", prior_ytd="", delta="",
                  code=f"meeting.{code}", status_text=_status_text("no_target", lang), ytd_status="no_target",
                  basis=basis)


def _kpi(m: _Month, code: str, group: str = "") -> Figure:
    """kpi_figure of the month's values (a yearly KPI not in yet: its latest earlier year)."""
    return kpi_figure(code, m.month_values, m.ytd_values, m.lang, group, m.earlier)


def _screen(m: _Month, key: str, figures=(), tables=(), notes=()) -> Screen:
    zh, en = SCREEN_TITLES[key]
    figures = [f for f in figures if f.value != "—"]        # nothing to show: no card rather than a bare dash
    return Screen(key=key, title_zh=zh, title_en=en, lang=m.lang, period=m.period.label(m.lang),
                  ytd_period=m.ytd.label(m.lang), prior_period=m.ytd.prior().label(m.lang), figures=tuple(figures),
                  tables=tuple(tables), notes=tuple(n for n in notes if n), company=m.company, demo=m.demo,
                  as_of=_as_of_text(m))


def _zh(m: _Month, zh: str, en: str) -> str:
    return en if m.lang == "en" else zh


def _list_table(m: _Month, title: str, keys: list[str], rows: list, align: str, empty: str = "") -> Table:
    return Table(title=title, columns=tuple(word(k, m.lang) for k in keys),
                 rows=tuple(tuple(r) for r in rows), align=tuple(align), empty=empty or word("none", m.lang))


def scorecard_screen(m: _Month) -> Screen:
    """Every headline KPI: the month's value, target, status, year-to-date against last year's."""
    figures = [_kpi(m, code, en if m.lang == "en" else zh)
               for zh, en, codes in SCORECARD for code in codes]
    missed = [f"{f.label} {f.value}（{word('target', m.lang)} {f.target}）" if m.lang != "en"
              else f"{f.label} {f.value} (target {f.target})" for f in figures if f.status == "missed"]
    notes = [
        _zh(m, f"本月：{m.period.label('zh')}；累计：{m.ytd.label('zh')}，对比上年同期 {m.ytd.prior().label('zh')}。",
            f"Month: {m.period.label('en')}; year to date: {m.ytd.label('en')}, against the same months of "
            f"{m.period.year - 1}."),
        _zh(m, "满意度、供应商 A 类占比和市场占有率为年度指标，与上年对比；计量器具为月末状态。",
            "Satisfaction, grade A share and market share are yearly, against the year before; "
            "calibration is the state at the month's end."),
        (_zh(m, "本月未达标：", "Missed this month: ") + ("；" if m.lang != "en" else "; ").join(missed)) if missed else "",
    ]
    return _screen(m, "scorecard", figures, (), notes)


def _as_of_text(m: _Month) -> str:
    """数据截至 2026-11-24 10:30 while the month runs; "" once it is over."""
    if m.as_of >= _month_end(m.period):
        return ""
    return _zh(m, f"数据截至 {_minute(m.as_of)}", f"as of {_minute(m.as_of)}")


def inspections_screen(m: _Month) -> Screen:
    """IQC / IPQC / FQC-OQC pass rates (month, year-to-date against last year's) with lots, failed lots, defects."""
    lang = m.lang
    codes = [f"{step}_inspection_pass_rate" for step, _, _ in STEPS]
    figures = [_kpi(m, code) for code in codes]

    def failed(values: dict) -> float | None:
        found = [values[c] for c in codes if values[c].denominator]
        return sum(v.denominator - v.numerator for v in found) if found else None

    inspected = sum(m.month_values[c].denominator or 0 for c in codes)
    figures.append(count_figure("failed_lots", _zh(m, "不合格批次（各环节）", "Failed lots (all steps)"),
                                failed(m.month_values), failed(m.ytd_values), failed(m.prior_ytd_values), lang,
                                basis=_zh(m, f"共检验 {_count(inspected)} 批", f"of {_count(inspected)} lots")))
    rows = []
    for (step, zh, en), code in zip(STEPS, codes):
        v, y = m.month_values[code], m.ytd_values[code]
        rows.append((en if lang == "en" else zh, _count(v.denominator),
                     _count(None if v.denominator is None else v.denominator - v.numerator),
                     format_value(v.value, "%"), format_value(y.value, "%"), format_value(y.prior_value, "%"),
                     delta_text(y.delta, "%", lang)))
    steps = _list_table(m, _zh(m, f"各环节合格率（{m.period.label('zh')}，累计对比上年同期）",
                               f"Pass rate by step ({m.period.label('en')}; YTD against last year)"),
                        ["step", "lots", "failed_lots", "rate_month", "rate_ytd", "prior_ytd", "change"], rows,
                        "LRRRRRR")
    defects = [(d["defect_code"], d["stages"], _count(d["lots"]), _count(d["lots_failed"]), _count(d["defects"]))
               for d in sql.records(m.con, "read/meeting_defect_codes", start=m.period.start, end=m.period.end, limit=TOP_DEFECTS)]
    top = _list_table(m, _zh(m, f"本月主要缺陷（前 {TOP_DEFECTS} 项，按不合格批次）", "Top defects this month (by failed lots)"),
                      ["defect", "stages", "lots", "failed_lots", "defects"], defects, "LLRRR")
    notes = [_zh(m, "合格率 = 合格批次 / 检验批次；成品出厂检验含 FQC 与 OQC。",
                 "Pass rate = lots passed / lots inspected; final inspection is FQC and OQC."),
             t("spc_meeting_note", lang)]
    return _screen(m, "inspections", figures, (steps, top, control_chart_signals(m)), notes)


def control_chart_signals(m: _Month) -> Table:
    """The months of the last spc.DEFAULT_MONTHS up to the meeting's month whose p-chart, stage by stage, breaks a run
    rule: stage, month and the rules in words (baseline: the full months among them)."""
    rows = [(enum_label("stage", s.stage, m.lang), s.label + (word("spc_running", m.lang) if s.partial else ""),
             spc_rules_text(s.rules, m.lang))
            for stage in spc.STAGES for s in spc.signals(m.con, stage, as_of=m.as_of.date())]
    return _list_table(m, t("spc_meeting_title", m.lang).format(months=spc.DEFAULT_MONTHS),
                       ["spc_stage", "spc_month", "spc_rules"], rows, "LLL", empty=t("spc_meeting_empty", m.lang))


def foreign_reply_rule(settings: Settings, lang: str = "zh") -> str:
    """The clear-reply rule the complaint clock applies to a foreign customer, in words (it says its source)."""
    now = dt.datetime(2000, 1, 3)      # any instant: the reply is due in clock hours, no calendar involved
    sample = {"id": "", "received_at": now, "region": "abroad"}
    for s in clock.milestone_statuses(sample, clock.clock_rules(), settings, now, lang):
        if s.milestone == "reply":
            return s.rule
    return ""


def _region(code, lang: str) -> str:
    labels = clock.clock_rules().region_label
    return labels[code]["en" if lang == "en" else "zh"] if code in labels else "—"


def _verdict(statuses: list, lang: str) -> str:
    verdict = clock.complaint_verdict(s.status for s in statuses)
    return word({"missed": "late", "pending": "pending", "met": "on_time"}[verdict], lang)


def _next_milestone(statuses: list, as_of: dt.datetime):
    """The earliest applicable milestone not done at as_of: one with a due time first, else one whose clock has not
    started (its due time waits for the cause or the customer's acceptance); None when nothing is left."""
    waiting = [s for s in statuses if s.status != "not_applicable" and (s.done_at is None or s.done_at > as_of)]
    timed = [s for s in waiting if s.due_at is not None]
    if timed:
        return min(timed, key=lambda s: s.due_at)
    return waiting[0] if waiting else None


def _open_complaint_row(c: dict, statuses: list, as_of: dt.datetime, lang: str) -> tuple[str, ...]:
    """编号, 客户, 受理, 已开天数, 下一节点, 到期, 状态 of a complaint open at as_of."""
    head = (c["id"], c["customer_name"] or c["customer"] or "—", _day(c["received_at"]),
            str((as_of - c["received_at"]).days))
    nxt = _next_milestone(statuses, as_of)
    if nxt is None:
        return (*head, "—", "—", word("pending", lang))
    if nxt.due_at is None:
        rule = next(r for r in clock.clock_rules().milestones if r.code == nxt.milestone)
        return (*head, nxt.label, enum_label("waits_for", rule.starts, lang),
                word("pending", lang))
    due = _minute(nxt.due_at) + (word("provisional", lang) if nxt.provisional else "")
    return (*head, nxt.label, due, word("overdue" if nxt.due_at < as_of else "pending", lang))


def complaints_screen(m: _Month) -> Screen:
    """The month's complaints, those still open with age and next due milestone, timeliness YTD, the reply rule."""
    lang = m.lang
    codes = ["complaints_received", "complaints_handled_on_time_rate", "complaint_handling_rate",
             "warranty_fulfilment_rate"]
    figures = [_kpi(m, code) for code in codes]
    found = sql.records(m.con, "read/meeting_complaints", start=m.period.start, end=m.period.end, as_of=m.as_of)
    in_month = [c for c in found if c["in_period"]]
    still_open = [c for c in found if c["still_open"]]
    now_status, as_of_status = {}, {}
    if in_month:
        for s in clock.complaint_clock(m.con, m.settings, m.today, [c["id"] for c in in_month], lang):
            now_status.setdefault(s.complaint_id, []).append(s)
    if still_open:
        for s in clock.complaint_clock(m.con, m.settings, m.as_of, [c["id"] for c in still_open], lang):
            as_of_status.setdefault(s.complaint_id, []).append(s)
    month_rows = [(c["id"], c["customer_name"] or c["customer"] or "—", _region(c["region"], lang),
                   c["product_name"] or c["product"] or "—", _minute(c["received_at"]),
                   _day(c["closed_at"]) if c["closed_at"] else word("open", lang),
                   _verdict(now_status.get(c["id"], []), lang)) for c in in_month]
    open_rows = [_open_complaint_row(c, as_of_status.get(c["id"], []), m.as_of, lang) for c in still_open]
    provisional = any(word("provisional", lang) in row[5] for row in open_rows)
    as_of_text = _minute(m.as_of)
    tables = (
        _list_table(m, _zh(m, f"本月受理的客诉（{m.period.label('zh')}）", f"Complaints received in {m.period.label('en')}"),
                    ["id", "customer", "region", "product", "received", "closed", "clock"], month_rows, "LLLLLLL",
                    empty=_zh(m, "本月没有客诉。", "No complaints this month.")),
        _list_table(m, _zh(m, f"未结客诉（截至 {as_of_text}）", f"Open complaints (as of {as_of_text})"),
                    ["id", "customer", "received", "age", "next", "due", "state"], open_rows, "LLLRLLL",
                    empty=_zh(m, "没有未结客诉。", "No open complaints.")),
    )
    rule = foreign_reply_rule(m.settings, lang)
    notes = [
        _zh(m, f"现行国外客户答复规则：{rule}；报告第四章写 72 小时，按系统设置执行。",
            f"Foreign reply rule in force: {rule}; the report's section 4 says 72 h, the setting decides."),
        _zh(m, "客诉及时受理率：每个到期节点均按时完成的客诉占比（按受理月份）；工作日按国家法定节假日安排。",
            "Complaints handled on time: complaints whose every due milestone was met (by month received); "
            "working days follow China's official calendar."),
        _zh(m, "标有“暂定”的到期时间所用日期尚无官方节假日安排，按周一至周五推算。",
            "Due times marked provisional use days the official calendar does not cover yet (Mon–Fri assumed).")
        if provisional else "",
    ]
    return _screen(m, "complaints", figures, tables, notes)


def suppliers_screen(m: _Month) -> Screen:
    """Grade mix of the year with the A share from the counts, supplier satisfaction, incoming pass rate by supplier."""
    lang = m.lang
    year = m.period.year
    grades = _zh(m, f"{year} 年等级分布", f"Grades {year}")
    figures = [_kpi(m, code, grades) for code in
               ["suppliers_grade_a", "suppliers_grade_b", "suppliers_grade_c", "suppliers_grade_a_share"]]
    figures += [_kpi(m, code, _zh(m, "满意度与来料", "Satisfaction, incoming"))
                for code in ["supplier_satisfaction", "incoming_inspection_pass_rate"]]
    register = {r["supplier"]: r for r in sql.records(m.con, "read/supplier_register", year=year)}
    incoming = kpi_values_by(m.con, [m.ytd], "supplier", ["incoming_inspection_pass_rate"], m.settings, lang, m.today)
    rows = []
    for _, supplier, (rate,) in incoming:
        if supplier:  # lots without a supplier have no row of their own
            known = register.get(supplier, {})
            rows.append((f"{supplier} {known.get('name') or ''}".strip(), known.get("grade") or "—",
                         _count(rate.denominator or 0), format_value(rate.value, "%"),
                         format_value(rate.prior_value, "%"), delta_text(rate.delta, "%", lang)))
    by_supplier = _list_table(m, _zh(m, f"各供应商进厂检验合格率（{m.ytd.label('zh')}，对比上年同期）",
                                     f"Incoming pass rate by supplier, {m.ytd.label('en')}, against last year"),
                              ["supplier", "grade", "lots", "ytd", "prior_ytd", "change"], rows, "LCRRRR")
    notes = [_zh(m, "A 类占比按等级家数计算（A 类家数 / 供应商总数），不采用报告印刷的百分比。",
                 "The grade A share is computed from the counts (grade A / all graded suppliers), "
                 "not the printed share."),
             _zh(m, "等级与供应商满意度为年度数据；合格率按批次计算。",
                 "Grades and supplier satisfaction are yearly; pass rates by lot.")]
    return _screen(m, "suppliers", figures, (by_supplier,), notes)


def satisfaction_market_screen(m: _Month) -> Screen:
    """Customer satisfaction and market shares of the year against the year before, and the last few years."""
    lang = m.lang
    codes = ["customer_satisfaction", "market_share_national", "market_share_provincial"]
    figures = [_kpi(m, code) for code in codes]
    year = m.period.year
    by_year = {}
    for y in range(year - HISTORY_YEARS + 1, year + 1):
        values = {v.kpi: v for v in kpi_values(m.con, Period(y), m.settings, lang, m.today, codes)}
        if any(values[c].value is not None for c in codes) or y == year:
            by_year[y] = values
    rows = [(REGISTRY[c].label(lang), *[format_value(v[c].value, v[c].unit) for v in by_year.values()]) for c in codes]
    history = Table(title=_zh(m, "近年对比", "Recent years"), columns=(word("kpi", lang), *map(str, by_year)),
                    rows=tuple(rows), align=("L", *"R" * len(by_year)), empty=word("none", lang))
    missing = _zh(m, "、", ", ").join(REGISTRY[c].label(lang) for c in codes if m.month_values[c].value is None)
    notes = [_zh(m, "年度指标：满意度调查与市场数据按年统计，与上年对比。",
                 "Yearly figures: the satisfaction survey and market data, against the year before."),
             _zh(m, f"{year} 年尚无数据：{missing}；卡片显示最近有数据的年度。",
                 f"No data for {year} yet: {missing}; the cards show the latest year with data.") if missing else ""]
    return _screen(m, "satisfaction_market", figures, (history,), notes)


def improvement_screen(m: _Month) -> Screen:
    """Open and overdue corrective actions, instruments due or overdue for calibration, incidents against zero."""
    lang = m.lang
    as_of = m.as_of.date()
    prior_as_of = year_earlier(as_of)
    actions = sql.records(m.con, "read/open_corrective_actions", as_of=as_of)
    prior_actions = sql.records(m.con, "read/open_corrective_actions", as_of=prior_as_of)
    overdue = [a for a in actions if a["days_overdue"] is not None and a["days_overdue"] > 0]
    prior_overdue = [a for a in prior_actions if a["days_overdue"] is not None and a["days_overdue"] > 0]
    due = sql.records(m.con, "read/calibration_due", as_of=as_of, horizon_days=rules.CALIBRATION_DUE_SOON_DAYS)
    figures = [
        _kpi(m, "capa_on_time_rate"),
        count_figure("open_corrective_actions", _zh(m, "未关闭纠正措施", "Open corrective actions"), len(actions),
                     len(actions), len(prior_actions), lang, ytd_label="month_end"),
        count_figure("overdue_corrective_actions", _zh(m, "逾期纠正措施", "Overdue corrective actions"), len(overdue),
                     len(overdue), len(prior_overdue), lang, ytd_label="month_end"),
        _kpi(m, "calibration_overdue"),
        *[_kpi(m, code) for code in INCIDENTS],
    ]
    soon = sum(1 for d in due if d["calibration_status"] == "due")
    figures[3] = replace(figures[3], basis=_zh(m, f"{rules.CALIBRATION_DUE_SOON_DAYS} 天内到期 {soon} 台",
                                               f"{soon} due within {rules.CALIBRATION_DUE_SOON_DAYS} days"))
    action_rows = [(a["id"], enum_label("capa_source", a["source"], lang), a["source_ref"] or "—", a["description"] or "—",
                    _day(a["opened_on"]), _day(a["due_on"]),
                    "—" if a["days_overdue"] is None else days_left_text(-a["days_overdue"], lang))
                   for a in actions]
    due_rows = [(f"{d['instrument']} {d['name'] or ''}".strip(), d["measures"] or "—", _day(d["calibrated_on"]),
                 _day(d["next_due_on"]), enum_label("calibration_status", d["calibration_status"], lang)
                 if d["days_left"] is None else days_left_text(d["days_left"], lang)) for d in due]
    incidents = sql.records(m.con, "read/incidents_in_period", start=m.ytd.start, end=m.ytd.end, newest_first=False)
    incident_rows = [(_day(i["occurred_on"]), enum_label("incident_kind", i["kind"], lang),
                      enum_label("severity", i["severity"], lang), i["description"] or "—") for i in incidents]
    day_text = _day(as_of)
    tables = (
        _list_table(m, _zh(m, f"未关闭纠正措施（截至 {day_text}）", f"Open corrective actions (as of {day_text})"),
                    ["id", "source", "ref", "description", "opened", "due", "state"], action_rows, "LLLLLLL",
                    empty=_zh(m, "没有未关闭的纠正措施。", "No open corrective actions.")),
        _list_table(m, _zh(m, f"计量器具：逾期或 {rules.CALIBRATION_DUE_SOON_DAYS} 天内到期（截至 {day_text}）",
                           f"Instruments overdue or due within {rules.CALIBRATION_DUE_SOON_DAYS} days (as of {day_text})"),
                    ["instrument", "measures", "last_calibrated", "due", "state"], due_rows, "LLLLL",
                    empty=_zh(m, "没有逾期或即将到期的计量器具。", "No instrument overdue or due soon.")),
        _list_table(m, _zh(m, f"环境与安全事故（{m.ytd.label('zh')}）", f"Incidents, {m.ytd.label('en')}"),
                    ["date", "kind", "severity", "description"], incident_rows, "LLLL",
                    empty=_zh(m, "本年累计没有事故。", "No incidents this year.")),
    )
    notes = [_zh(m, "目标：重大环境事故、死亡、重伤、轻伤均为 0。纠正措施按期完成率按到期月份统计；未关闭与逾期数"
                    "为月末状态，对比上年同日。",
                 "Targets: zero major environmental incidents and zero fatal, serious or minor injuries. CAPA on time "
                 "is counted by due month; open and overdue CAPAs at the month's end against the same day last year.")]
    return _screen(m, "improvement", figures, tables, notes)


COST_KPIS = [code for code, kpi in REGISTRY.items() if kpi.group == "cost"]


def quality_cost_screen(m: _Month) -> Screen:
    """Cost of quality (GB/T 13339): the total, each category's share and the rate on sales, the month and the year to
    date against last year's; the year's months by category."""
    lang = m.lang
    figures = [kpi_figure(code, m.month_values, m.ytd_values, lang) for code in COST_KPIS]
    booked = sql.records(m.con, "read/quality_cost_by_month", start=m.ytd.start, end=m.ytd.end)
    months: dict[int, dict[str, float]] = {}
    for r in booked:
        months.setdefault(r["month"], {})[r["category"]] = r["amount"]
    money = lambda x: format_value(x, "yuan", lang)  # noqa: E731
    rows = [(month_label(n, lang), *[money(months[n].get(c, 0.0)) for c in COST_CATEGORIES],
             money(sum(months[n].values()))) for n in sorted(months)]
    table = Table(title=f"{t('meeting.quality_cost_categories', lang)} · {m.ytd.label(lang)}",
                  columns=(t("month", lang), *[enum_label("cost_category", c, lang) for c in COST_CATEGORIES],
                           _zh(m, "合计", "Total")),
                  rows=tuple(rows), align=("L", "R", "R", "R", "R", "R"), empty=word("quality_cost_none", lang))
    notes = [t("cost_note", lang)]
    return _screen(m, "quality_cost", figures, (table,), notes)


def data_quality_screen(m: _Month) -> Screen:
    """The warehouse now (the last load, files refused, rows quarantined, validation failures), and files refused and
    rows quarantined by the loads of the month, the year to date and the same months last year."""
    lang = m.lang
    state = m.data_state
    if state is None:
        return _screen(m, "data_quality", [plain_figure("last_load", _zh(m, "最近一次加载", "Last load"),
                                                             word("never_loaded", m.lang), lang=m.lang)], (),
                       [_zh(m, "数据仓库尚未加载任何数据。", "Nothing has been loaded yet.")])
    finished, files, refused_all = state["finished_at"], _count(state["files"]), _count(state["files_refused_all"])
    errors, warnings, checks = state["errors"], state["warnings"], _count(state["checks"])
    run = [finished.strftime("%H:%M") if finished else "—", enum_label("command", state["command"], lang),
           enum_label("run_status", state["status"], lang)]
    figures = [
        plain_figure("last_load", _zh(m, "最近一次加载", "Last load"), _day(finished), " · ".join(run), lang),
        plain_figure("files_refused", _zh(m, "拒收文件（最近一次）", "Files refused (last load)"),
                     _count(state["files_refused"]),
                     _zh(m, f"读入 {files} 个 · 历次合计拒收 {refused_all}", f"of {files} read · {refused_all} in all loads"),
                     lang),
        plain_figure("rows_quarantined", _zh(m, "隔离中的数据行", "Rows quarantined"), _count(state["rows_quarantined"]),
                     _zh(m, "尚未被修正文件释放", "not yet released by a fixed file"), lang),
        plain_figure("validation_failures", _zh(m, "校验未通过（最近一次）", "Failed checks (last load)"),
                     _count(errors + warnings),
                     _zh(m, f"错误 {errors} · 警告 {warnings} / 共 {checks} 项",
                         f"{errors} errors · {warnings} warnings of {checks}"), lang),
    ]
    spans = {name: sql.records(m.con, "read/meeting_load_counts", start=p.start, end=p.end)[0]
             for name, p in (("month", m.period), ("ytd", m.ytd), ("prior", m.ytd.prior()))}
    figures += [
        count_figure(f"{key}_in_period", label, spans["month"][key], spans["ytd"][key], spans["prior"][key], lang,
                     basis=_zh(m, f"本月读入 {_count(spans['month']['files'])} 个文件",
                               f"{_count(spans['month']['files'])} files read this month"))
        for key, label in (("files_refused", _zh(m, "拒收文件（按加载日期）", "Files refused (by load date)")),
                           ("rows_quarantined", _zh(m, "隔离的数据行（按加载日期）", "Rows quarantined (by load date)")))]
    refused = [(_day(r["loaded_at"]), r["name"], r["kind"] or "—",
                (r["message"] if lang == "en" else r["message_zh"] or r["message"]) or "—")
               for r in sql.records(m.con, "read/source_files", status="refused", limit=LIST_ROWS)]
    failures = [(f["file_name"] or "—", m.check_name(f["suite"], f["expectation"], f["column_name"], lang),
                 f["column_name"] or "—",
                 enum_label("severity_check", f["severity"], lang), _count(f["unexpected_count"]))
                for f in sql.records(m.con, "read/meeting_validation_failures", run_id=state["run_id"], limit=LIST_ROWS)]
    tables = (
        _list_table(m, _zh(m, f"最近被拒收的文件（最多 {LIST_ROWS} 个）", f"Files refused last (up to {LIST_ROWS})"),
                    ["date", "file", "kind", "reason"], refused, "LLLL",
                    empty=_zh(m, "没有被拒收的文件。", "No file was refused.")),
        _list_table(m, _zh(m, f"最近一次加载未通过的校验（最多 {LIST_ROWS} 项）",
                           f"Failed checks of the last load (up to {LIST_ROWS})"),
                    ["file", "check", "column", "severity", "unexpected"], failures, "LLLLR",
                    empty=_zh(m, "最近一次加载的校验全部通过。", "Every check of the last load passed.")),
    )
    notes = [_zh(m, "前四项为生成本页时数据仓库的状态，不随所选月份变化；按加载日期的两项统计所选月份、累计与上年同期"
                    "加载的文件。",
                 "The first four figures are the warehouse's state when this page was made, whatever the month "
                 "chosen; the two by load date count the loads of the month, the year to date and the same months "
                 "last year."),
             _zh(m, "演示数据：2019–2021 年复现 2021 年度质量诚信报告，其后年份为合成数据。",
                 "Demo data: 2019–2021 reproduce the 2021 report; later years are synthetic.") if m.demo else ""]
    return _screen(m, "data_quality", figures, tables, notes)


def _month_end(period: Period) -> dt.datetime:
    return dt.datetime.combine(period.end - dt.timedelta(days=1), dt.time.max)


SCREENS = [scorecard_screen, inspections_screen, complaints_screen, suppliers_screen, satisfaction_market_screen,
           improvement_screen, quality_cost_screen, data_quality_screen]


def plain_check_name(suite: str | None, expectation: str, column: str | None, lang: str = "zh") -> str:
    """A check's name when no better one is given: its rule name in words (expectations.check_name has the real
    ones; this part may not import it)."""
    return expectation.removeprefix("expect_").replace("_", " ")


def meeting_screens(con, year: int, month: int, settings: Settings | None = None, lang: str = "zh",
                    today: dt.date | dt.datetime | None = None, check_name=plain_check_name) -> list[Screen]:
    """The meeting's screens for the month, in meeting order: scorecard, inspections, complaints, suppliers,
    satisfaction and market share, CAPA / calibration / incidents, data quality. check_name(suite, expectation,
    column, lang) names a failed check in words (the app passes expectations.check_name)."""
    lang = "en" if lang == "en" else "zh"
    settings = settings or load_settings()
    period, ytd = Period(year, month), Period(year, month, ytd=True)
    as_of = min(clock.clock_now(today), _month_end(period))
    if as_of.date() < period.start:
        raise ValueError(f"{period.label('en')} has not begun yet")
    states = sql.records(con, "read/meeting_data_state")
    state = states[0] if states else None
    month = replace(_month(con, lang, settings, today, period, ytd, as_of, state), check_name=check_name)
    return [build(month) for build in SCREENS]


def _month(con, lang, settings, today, period, ytd, as_of, state) -> _Month:
    def values(p: Period) -> dict:
        return {v.kpi: v for v in kpi_values(con, p, settings, lang, today)}

    prior_codes = [f"{step}_inspection_pass_rate" for step, _, _ in STEPS]
    prior = {v.kpi: v for v in kpi_values(con, ytd.prior(), settings, lang, today, prior_codes)}
    month = values(period)
    return _Month(con=con, lang=lang, settings=settings, today=today, period=period, ytd=ytd, as_of=as_of,
                  month_values=month, ytd_values=values(ytd), prior_ytd_values=prior,
                  company=report_signoff(con, period.year).company, demo=bool(state and state["demo"]),
                  data_state=state, earlier=earlier_years(con, period.year, [c for c, v in month.items()
                                                                             if v.value is None], settings, lang, today))


# The PDF for the projector ----------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 338.7, 190.5          # 16:9, as 1920 × 1080
MARGIN = 12.0
PT = 0.3528                            # mm per point
TITLE_PT, SUBTITLE_PT, PERIOD_PT, FOOTER_PT = 30, 16, 24, 13
LABEL_PT, VALUE_PT, VALUE_MIN_PT, BASIS_PT, LINE_PT, CAPTION_PT, YTD_PT, DELTA_PT = 18, 40, 36, 14, 16, 13, 20, 17
TABLE_TITLE_PT, TABLE_PT, TABLE_MIN_PT, NOTE_PT = 19, 17, 13, 16
CONTENT_TOP, CONTENT_BOTTOM = 34.0, PAGE_H - 14.0
CARD_COLUMNS, CARD_GAP, CARD_H, CARD_H_PLAIN = 4, 4.0, 67.5, 42.0
ROW_H, HEAD_H, TABLE_TITLE_H = 9.0, 9.5, 10.0
INK, MUTED, RULE = (0, 0, 0), (55, 55, 55), (90, 90, 90)
GOOD, BAD, HEAD_FILL = (0, 115, 45), (200, 0, 0), (222, 222, 222)
STATUS_COLOUR = {"met": GOOD, "missed": BAD}
TREND_COLOUR = {"better": GOOD, "worse": BAD}
FAMILY = "cjk"
TOKEN = re.compile(r"[!-~]+|\s|.", re.S)
MARKS = {"✓": "met", "✗": "missed"}


def _projector_fonts(font_path) -> tuple:
    """(regular, bold) faces: sans (黑体-like) reads best on a projector; discovery is presentation.report.fonts'."""
    regular, bold = cjk_fonts(font_path)
    if not font_path:
        sans = [f for f in installed_cjk_faces() if f.family == bold.family and not f.bold]
        regular = sans[0] if sans else regular
    return regular, bold


class MeetingPdf(FPDF):
    """16:9 landscape pages: the screen's title and month on top, company, meeting and page number below."""

    def __init__(self, footer_text: str, page_text: str):
        super().__init__(orientation="L", unit="mm", format=(PAGE_H, PAGE_W))
        self.footer_text = footer_text
        self.page_text = page_text          # 第 {n} / {total} 页
        self.heading = ("", "", "", "")     # title, subtitle, period, as-of of the page being drawn

    def header(self):
        """The screen's title (with 续 on a follow-on page), the other language's title, the month."""
        title, subtitle, period, as_of = self.heading
        self.set_text_color(*INK)
        _text(self, MARGIN, 8, 90, 10, period, PERIOD_PT, True, align="R", x_right=PAGE_W - MARGIN)
        _text(self, MARGIN, 6.5, PAGE_W - 2 * MARGIN - 95, 14, title, TITLE_PT, True, minimum=22)
        _text(self, MARGIN, 21, 110, 8, as_of, SUBTITLE_PT, True, align="R", x_right=PAGE_W - MARGIN, colour=BAD)
        self.set_text_color(*MUTED)
        _text(self, MARGIN, 21, PAGE_W - 2 * MARGIN - 115, 8, subtitle, SUBTITLE_PT, False)
        self.set_draw_color(*INK)
        self.set_line_width(0.8)
        self.line(MARGIN, 30.5, PAGE_W - MARGIN, 30.5)

    def footer(self):
        """Company · meeting and month on the left, 第 n / N 页 on the right."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(MARGIN, PAGE_H - 12.5, PAGE_W - MARGIN, PAGE_H - 12.5)
        self.set_text_color(*MUTED)
        page = self.page_text.format(n=self.page_no(), total=self.str_alias_nb_pages)   # {nb}: filled at output
        _text(self, MARGIN, PAGE_H - 11, 60, 8, page, FOOTER_PT, False, align="R", x_right=PAGE_W - MARGIN)
        _text(self, MARGIN, PAGE_H - 11, PAGE_W - 2 * MARGIN - 70, 8, self.footer_text, FOOTER_PT, False)
        self.set_text_color(*INK)


def _size_to_fit(pdf: FPDF, text: str, width: float, size: float, minimum: float, bold: bool) -> float:
    """The largest size from size down to minimum (0.5 pt steps) at which text fits width."""
    while size > minimum:
        pdf.set_font(FAMILY, "B" if bold else "", size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    return minimum


def _clipped(pdf: FPDF, text: str, width: float) -> str:
    """text cut with … so that it fits width in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _mark(pdf: FPDF, status: str, x: float, y: float, size: float) -> None:
    """✓ or ✗ drawn as strokes (the CJK font has no ✗), in the status colour."""
    pdf.set_draw_color(*STATUS_COLOUR[status])
    pdf.set_line_width(max(0.5, size * 0.16))
    if status == "met":
        pdf.polyline([(x + 0.05 * size, y + 0.55 * size), (x + 0.38 * size, y + 0.88 * size),
                      (x + 0.95 * size, y + 0.12 * size)])
    else:
        pdf.line(x + 0.12 * size, y + 0.12 * size, x + 0.88 * size, y + 0.88 * size)
        pdf.line(x + 0.88 * size, y + 0.12 * size, x + 0.12 * size, y + 0.88 * size)


def _text(pdf: FPDF, x: float, y: float, width: float, height: float, text: str, size: float, bold: bool,
          minimum: float | None = None, align: str = "L", x_right: float | None = None, colour=None) -> float:
    """One line of text fitted into width (shrunk down to minimum, then cut with …), vertically centred in
    height; a leading ✓ / ✗ is drawn as a mark. Returns the size used."""
    mark = MARKS.get(text[:1]) if text else None
    if mark:
        text = text[1:].lstrip()
    text = text.replace("✗", "×")
    pad = size * PT * 0.9 if mark else 0.0
    size = _size_to_fit(pdf, text, width - pad, size, minimum or size, bold)
    pdf.set_font(FAMILY, "B" if bold else "", size)
    text = _clipped(pdf, text, width - pad)
    if colour is not None:
        pdf.set_text_color(*colour)
    w = pdf.get_string_width(text) + pad
    left = x if align == "L" else (x_right - w if align == "R" else x + (width - w) / 2)
    if mark:
        side = size * PT * 0.7
        _mark(pdf, mark, left, y + (height - side) / 2, side)
    pdf.set_xy(left + pad, y)
    pdf.cell(pdf.get_string_width(text), height, text)
    return size


def wrap_text(pdf: FPDF, text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """text broken into lines no wider than width (CJK between any characters, Latin words kept whole)."""
    pdf.set_font(FAMILY, "B" if bold else "", size)
    lines, line = [], ""
    for token in TOKEN.findall(text.replace("✗", "×")):
        if pdf.get_string_width(line + token) <= width or not line:
            line += token
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return [_clipped(pdf, ln, width) for ln in lines]


def _target_line(f: Figure, lang: str) -> str:
    text = f"{word('target', lang)} {f.target}" if f.target != "—" else word("no_target", lang)
    return text + (f" · {f.status_text.lstrip('✓✗ ')}" if f.status in STATUS_COLOUR else "")


def _card(pdf: FPDF, f: Figure, x: float, y: float, w: float, h: float, lang: str, line_pt: float) -> None:
    """One figure: label, the value in large type with its ✓ / ✗, what it rests on, target, year-to-date beside
    last year's, and the change."""
    pdf.set_draw_color(*STATUS_COLOUR.get(f.status, RULE))
    pdf.set_line_width(1.2 if f.status in STATUS_COLOUR else 0.5)
    pdf.rect(x, y, w, h)
    inner, left = w - 7, x + 3.5
    size = LABEL_PT
    lines = wrap_text(pdf, f.label, inner, size, True)
    while len(lines) > 2 and size > 13:
        size -= 1
        lines = wrap_text(pdf, f.label, inner, size, True)
    for i, line in enumerate(lines[:2]):
        _text(pdf, left, y + 2.5 + i * 7, inner, 7, line, size, True, colour=INK)
    mark_room = 12 if f.status in STATUS_COLOUR else 0
    _text(pdf, left, y + 16.5, inner - mark_room, 16, f.value, VALUE_PT, True,
          minimum=VALUE_MIN_PT if f.ytd else 24, colour=INK)      # KPI values never below 36 pt; a date may shrink
    if mark_room:
        _mark(pdf, f.status, x + w - 3.5 - 10, y + 19.5, 10)
    _text(pdf, left, y + 32.5, inner, 5.5, f.basis, BASIS_PT, False, minimum=11, colour=MUTED)
    if not f.ytd:
        return
    _text(pdf, left, y + 38, inner, 6.5, _target_line(f, lang), line_pt, f.status in STATUS_COLOUR, minimum=11,
          colour=STATUS_COLOUR.get(f.status, MUTED))
    half = inner / 2
    _text(pdf, left, y + 44.5, half - 1, 5, f.ytd_label, CAPTION_PT, False, minimum=10, colour=MUTED)
    _text(pdf, left + half, y + 44.5, half, 5, f.prior_label, CAPTION_PT, False, minimum=10, colour=MUTED)
    _text(pdf, left, y + 49.5, half - 1, 8, f.ytd, YTD_PT, True, minimum=14, colour=INK)
    _text(pdf, left + half, y + 49.5, half, 8, f.prior_ytd, YTD_PT, False, minimum=14, colour=INK)
    change = f"{f.delta} {f.trend_text}".strip()
    _text(pdf, left, y + 58, inner, 7, change, DELTA_PT, True, minimum=12, colour=TREND_COLOUR.get(f.trend, INK))
    pdf.set_text_color(*INK)


def _column_widths(pdf: FPDF, table: Table, size: float) -> list[float]:
    """Each column's widest text at size, with padding (and room for a leading ✓ / ✗ mark)."""
    pdf.set_font(FAMILY, "B", size)
    widths = [pdf.get_string_width(c) + 5 for c in table.columns]
    pdf.set_font(FAMILY, "", size)
    for row in table.rows:
        for i, cell in enumerate(row[:len(widths)]):
            mark = size * PT if cell[:1] in MARKS else 0
            widths[i] = max(widths[i], pdf.get_string_width(cell.replace("✗", "×")) + 5 + mark)
    return widths


def _table_layout(pdf: FPDF, table: Table) -> tuple[float, list[float]]:
    """(font size, column widths) that fit the page width: shrink the type, then narrow the widest columns."""
    room = PAGE_W - 2 * MARGIN
    size = TABLE_PT
    widths = _column_widths(pdf, table, size)
    while sum(widths) > room and size > TABLE_MIN_PT:
        size -= 0.5
        widths = _column_widths(pdf, table, size)
    if sum(widths) > room:                      # the widest column gives way (its cells end in …)
        widest = max(range(len(widths)), key=widths.__getitem__)
        widths[widest] = max(widths[widest] - (sum(widths) - room), 25.0)
        widths = [w * min(1.0, room / sum(widths)) for w in widths]
    spare = room - sum(widths)
    return size, [w + spare * w / sum(widths) for w in widths]


class _Pager:
    """Places a screen's parts top to bottom, starting a follow-on page when the next part does not fit."""

    def __init__(self, pdf: MeetingPdf, screen: Screen):
        self.pdf, self.screen, self.y = pdf, screen, CONTENT_TOP
        self.new_page(first=True)

    def new_page(self, first: bool = False) -> None:
        s = self.screen
        other = "zh" if s.lang == "en" else "en"
        title = s.title() + ("" if first else word("cont", s.lang))
        self.pdf.heading = (title, s.title(other), s.period, s.as_of)
        self.pdf.add_page()
        self.y = CONTENT_TOP

    def room(self) -> float:
        return CONTENT_BOTTOM - self.y

    def need(self, height: float) -> None:
        if height > self.room() and self.y > CONTENT_TOP:
            self.new_page()


def _figure_rows(figures: tuple[Figure, ...]) -> list[list[Figure]]:
    """Figures in rows of at most CARD_COLUMNS, a new row where the group changes."""
    rows: list[list[Figure]] = []
    for f in figures:
        if not rows or len(rows[-1]) == CARD_COLUMNS or rows[-1][-1].group != f.group:
            rows.append([])
        rows[-1].append(f)
    return rows


def _draw_figures(pager: _Pager, figures: tuple[Figure, ...]) -> None:
    pdf, lang = pager.pdf, pager.screen.lang
    width = PAGE_W - 2 * MARGIN
    card_w = (width - (CARD_COLUMNS - 1) * CARD_GAP) / CARD_COLUMNS
    for row in _figure_rows(figures):
        h = CARD_H if any(f.ytd for f in row) else CARD_H_PLAIN
        pager.need(h)
        line_pt = min(_size_to_fit(pdf, _target_line(f, lang), card_w - 7, LINE_PT, 11, True) for f in row)
        left = MARGIN + (width - len(row) * card_w - (len(row) - 1) * CARD_GAP) / 2
        for i, f in enumerate(row):
            _card(pdf, f, left + i * (card_w + CARD_GAP), pager.y, card_w, h, lang, line_pt)
        pager.y += h + CARD_GAP


def _table_rows(pdf: FPDF, table: Table, rows, widths: list[float], size: float, y: float) -> float:
    """The header and the rows at y; returns the y below them."""
    x0 = MARGIN
    pdf.set_fill_color(*HEAD_FILL)
    pdf.rect(x0, y, sum(widths), HEAD_H, style="F")
    x = x0
    for w, col, al in zip(widths, table.columns, _aligns(table)):
        _text(pdf, x + 2, y, w - 4, HEAD_H, col, size, True, align=al, x_right=x + w - 2, colour=INK)
        x += w
    y += HEAD_H
    for row in rows:
        x = x0
        for w, cell, al in zip(widths, row, _aligns(table)):
            colour = STATUS_COLOUR.get(MARKS.get(cell[:1], ""), INK)
            _text(pdf, x + 2, y, w - 4, ROW_H, cell, size, False, align=al, x_right=x + w - 2, colour=colour)
            x += w
        y += ROW_H
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(x0, y, x0 + sum(widths), y)
    pdf.set_text_color(*INK)
    return y


def _aligns(table: Table) -> list[str]:
    return [(table.align[i] if i < len(table.align) else "L") for i in range(len(table.columns))]


def _draw_table(pager: _Pager, table: Table) -> None:
    """Title, header and rows, kept on one page when they fit one; a longer list continues on follow-on pages
    under a repeated header."""
    pdf, lang = pager.pdf, pager.screen.lang
    size, widths = _table_layout(pdf, table)
    rows = list(table.rows) or [None]
    whole = TABLE_TITLE_H + (HEAD_H + ROW_H * len(rows) if table.rows else 0)
    pager.need(whole if whole <= CONTENT_BOTTOM - CONTENT_TOP else TABLE_TITLE_H + HEAD_H + ROW_H * 3)
    first = True
    while rows:
        pdf.set_text_color(*INK)
        title = table.title + ("" if first else word("cont", lang))
        _text(pdf, MARGIN, pager.y, PAGE_W - 2 * MARGIN, TABLE_TITLE_H, title, TABLE_TITLE_PT, True, minimum=14)
        if rows == [None]:
            pdf.set_font(FAMILY, "B", TABLE_TITLE_PT)
            gap = min(pdf.get_string_width(title), PAGE_W - 2 * MARGIN) + 6
            if gap > PAGE_W - 2 * MARGIN - 60:          # no room beside the title: below it
                gap, pager.y = 2, pager.y + TABLE_TITLE_H
            _text(pdf, MARGIN + gap, pager.y, PAGE_W - 2 * MARGIN - gap, TABLE_TITLE_H, table.empty, TABLE_PT, False,
                  minimum=13, colour=MUTED)
            pager.y += TABLE_TITLE_H + 3
            return
        pager.y += TABLE_TITLE_H
        fit = max(1, int((pager.room() - HEAD_H) // ROW_H))
        chunk, rows = rows[:fit], rows[fit:]
        pager.y = _table_rows(pdf, table, chunk, widths, size, pager.y) + 4
        first = False
        if rows:
            pager.new_page()


def _draw_notes(pager: _Pager, notes) -> None:
    """The notes under the figures, shrunk (down to 13 pt) to stay on the page, else on the next at full size."""
    pdf = pager.pdf
    width = PAGE_W - 2 * MARGIN - 7

    def size_for(room: float) -> float:
        size = NOTE_PT
        while size > 13 and sum(len(wrap_text(pdf, n, width, size)) * size * PT * 1.45 + 1 for n in notes) > room:
            size -= 1
        return size

    size = size_for(pager.room())
    if sum(len(wrap_text(pdf, n, width, size)) * size * PT * 1.45 + 1 for n in notes) > pager.room() \
            and pager.y > CONTENT_TOP:
        pager.new_page()                  # where the notes get their full size
        size = size_for(pager.room())
    height = size * PT * 1.45
    for note in notes:
        lines = wrap_text(pdf, note, width, size)
        pager.need(height * len(lines) + 1)
        _text(pdf, MARGIN, pager.y, 7, height, "•", size, True, colour=MUTED)
        for line in lines:
            _text(pdf, MARGIN + 7, pager.y, width, height, line, size, False, colour=MUTED)
            pager.y += height
        pager.y += 1
    pdf.set_text_color(*INK)


def meeting_pack_pdf(screens: list[Screen], font_path=None) -> bytes:
    """The meeting pack: one 16:9 landscape page per screen (follow-on pages where a list runs long), large type,
    high-contrast colours with ✓ ✗ ▲ ▼, the Chinese font embedded; footer with company, month and page n / N."""
    if not screens:
        raise ValueError("the meeting pack needs at least one screen")
    first = screens[0]
    lang = first.lang
    footer = f"{first.company}　{word('meeting', lang)} {first.period}"
    footer += f"　{word('demo', lang)}" if first.demo else ""
    pdf = MeetingPdf(footer, word("page", lang))
    regular, bold = _projector_fonts(font_path)
    pdf.add_font(FAMILY, "", regular.path, collection_font_number=regular.index)
    pdf.add_font(FAMILY, "B", bold.path, collection_font_number=bold.index)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(f"{word('meeting', lang)} {first.period}")
    pdf.set_author(first.company)
    pdf.set_lang("en" if lang == "en" else "zh-CN")
    for screen in screens:
        pager = _Pager(pdf, screen)
        _draw_figures(pager, screen.figures)
        if screen.notes:
            _draw_notes(pager, screen.notes)
            pager.y += 2
        for table in screen.tables:
            _draw_table(pager, table)
    return bytes(pdf.output())


__all__ = ["Figure", "Screen", "Table", "SCREEN_TITLES", "WORDS", "foreign_reply_rule", "meeting_pack_pdf",
           "meeting_screens", "word"]
