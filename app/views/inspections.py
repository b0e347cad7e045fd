"""检验 Inspections: pass rates by month and year against the year before, the p- and u-charts of each stage with
the run rules they break, defect Pareto, drill-down, failed lots with their disposition."""
import streamlit as st

from app import charts, ui
from app.data import (STEP_PASS_RATE, control_chart, defect_pareto, failed_lot_dispositions, failed_lots,
                      inspection_breakdown, monthly_kpis, period_kpis, today, yearly_kpis)
from app.derive import with_wilson
from app.i18n import enum_label, t
from warehouse.rules import LIST_LIMIT, YEARS_BACK
from warehouse import spc
from warehouse.kpis import STEPS, Period
from warehouse.numbers import number_text

lang = ui.lang()
snapshot = ui.page_start("page.inspections")
period = ui.period_bar()

ui.kpi_row(period_kpis(snapshot, period, lang, today(), tuple(STEP_PASS_RATE.values()) +
                       ("airtightness_first_pass_rate",)), lang)

step = st.radio(t("step", lang), list(STEP_PASS_RATE), format_func=lambda s: enum_label("step", s, lang),
                horizontal=True, key="inspection_step")
code = STEP_PASS_RATE[step]
rate_title, lots_title = t("axis_pass_rate", lang), t("col.lots", lang)

st.subheader(t("pass_rate_by_month", lang))
monthly = monthly_kpis(snapshot, (code,), 24, Period(period.year, 12), today())
monthly = monthly[monthly["denominator"].fillna(0) > 0] if not monthly.empty else monthly
if monthly.empty:
    ui.no_rows()
else:
    monthly = with_wilson(monthly, "numerator", "denominator")
    ui.chart(charts.monthly_rate_chart(monthly, lang, rate_title, lots_title))
    bounds = ["low", "high"] if monthly["low"].notna().any() else []      # only months with few lots have them
    ui.table(monthly[["year", "month", "value", "numerator", "denominator", *bounds]]
             .rename(columns={"value": "pass_rate", "numerator": "lots_passed", "denominator": "lots"}),
             f"pass-rate-by-month-{step}-{period.year}",
             units={"pass_rate": "%", "lots_passed": "count", "lots": "count", "low": "%", "high": "%"}, height=240)

    st.subheader(t("pass_rate_by_year", lang))
    years = tuple(range(period.year - YEARS_BACK, period.year + 1))
    yearly = yearly_kpis(snapshot, (code,), years, lang, today())
    yearly = yearly[yearly["denominator"].fillna(0) > 0]
    ui.chart(charts.yearly_rate_chart(yearly, lang, rate_title, lots_title))
    ui.table(yearly[["year", "value", "numerator", "denominator", "prior_value", "delta"]]
             .rename(columns={"value": "pass_rate", "numerator": "lots_passed", "denominator": "lots",
                              "prior_value": "prior_pass_rate"}),
             f"pass-rate-by-year-{step}", units={"pass_rate": "%", "lots_passed": "count", "lots": "count",
                                                 "prior_pass_rate": "%", "delta": "+%"})

    # control charts of each stage of the step, the chosen year's months, limits from the chosen baseline
    baseline = ui.spc_baseline(period.year, f"spc_baseline_{period.year}", lang)
    st.caption(t("spc_note", lang))
    for stage in STEPS[step]:
        for kind in spc.KINDS:
            st.subheader(t(f"spc_chart.{kind}", lang).format(stage=enum_label("stage", stage, lang)))
            ui.control_chart(control_chart(snapshot, stage, kind, None, (period.year, 1), (period.year, 12),
                                           baseline, today()), lang)

st.subheader(t("drilldown", lang))
breakdown = inspection_breakdown(snapshot, step, period)
if breakdown.empty:
    ui.no_rows()
else:
    dimensions = ["family", "item"] + (["supplier"] if step == "incoming" else [])
    dimension = st.radio(t("drill_by", lang), dimensions, format_func=lambda d: t(f"col.{d}", lang),
                         horizontal=True, key="inspection_dimension")
    rows = breakdown[breakdown["dimension"] == dimension].drop(columns="dimension")
    rows = with_wilson(rows, "lots_passed", "lots").assign(delta=lambda f: f["pass_rate"] - f["prior_pass_rate"])
    if dimension == "family":
        rows = rows.assign(key=rows["key"].map(lambda k: enum_label("family", k, lang))).drop(columns="name")
    ui.table(rows.rename(columns={"key": dimension}), f"inspection-{step}-by-{dimension}",
             units={"lots": "count", "lots_passed": "count", "pass_rate": "%", "low": "%", "high": "%",
                    "ppm": "ppm", "prior_pass_rate": "%", "delta": "+%"})

    st.caption(t("filter_note", lang))
    options = {d: sorted(k for k in breakdown.loc[breakdown["dimension"] == d, "key"]) for d in dimensions}
    chosen = {}
    with st.container(horizontal=True):
        for d in dimensions:
            # a box per step: a family or item chosen for one step means nothing for another, and a box with a
            # fixed key would keep showing it; the new step's box starts at all
            chosen[d] = ui.choice(t(f"col.{d}", lang), [None, *options[d]], f"inspection_filter_{d}_{step}",
                                  lambda k, d=d: t("all", lang) if k is None else (
                                      enum_label("family", k, lang) if d == "family" else (k or "—")))
    filters = dict(family=chosen.get("family"), item=chosen.get("item"), supplier=chosen.get("supplier"))

    st.subheader(t("defect_pareto", lang))
    pareto = defect_pareto(snapshot, step, period, **filters)
    if pareto.empty:
        ui.no_rows()
    else:
        ui.chart(charts.pareto_chart(pareto, lang))
        ui.table(pareto, f"defect-pareto-{step}", units={"lots": "count", "lots_failed": "count", "defects": "count",
                                                         "cumulative_share": "%"}, height=240)

    st.subheader(t("failed_lots", lang))
    dispositions = failed_lot_dispositions(snapshot, step, period, **filters)
    if dispositions.empty:
        ui.no_rows("no_failed_lots")
    else:
        total = int(dispositions["lots"].sum())
        st.markdown(" · ".join(f"**{enum_label('disposition', d, lang)}** {number_text(n)}"
                               for d, n in zip(dispositions["disposition"], dispositions["lots"])))
        lots = failed_lots(snapshot, step, period, **filters)
        if total > len(lots):
            st.caption(t("list_limited", lang).format(shown=len(lots), total=total, limit=LIST_LIMIT))
        ui.table(lots, f"failed-lots-{step}", enums={"stage": "stage", "family": "family",
                                                     "disposition": "disposition"},
                 units={"lot_qty": "count", "sample_qty": "count", "defects": "count"}, height=320)
