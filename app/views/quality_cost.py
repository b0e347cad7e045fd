"""质量成本 Cost of quality (GB/T 13339): the cards of the cost KPIs, the four categories by month (stacked), a Pareto
of cost items, and prevention + appraisal against failure cost over time."""
import streamlit as st

from app import charts, ui
from app.data import period_kpis, quality_cost_by_month, quality_cost_pareto, today
from app.i18n import t
from warehouse.kpis import REGISTRY, Period

CODES = tuple(code for code, kpi in REGISTRY.items() if kpi.group == "cost")

lang = ui.lang()
snapshot = ui.page_start("page.quality_cost")
period = ui.period_bar()
st.caption(t("cost_note", lang))

ui.kpi_row(period_kpis(snapshot, period, lang, today(), CODES), lang)

# the chosen year and the one before, month by month
monthly = quality_cost_by_month(snapshot, Period(period.year - 1).start, Period(period.year).end)
st.subheader(t("cost_by_category_month", lang))
if monthly.empty:
    ui.no_rows("no_quality_cost")
else:
    ui.chart(charts.cost_category_chart(monthly, lang))
    wide = monthly.pivot_table(index=["year", "month"], columns="category", values="amount", aggfunc="sum",
                               fill_value=0).reset_index()
    for category in charts.COST_CATEGORIES:
        if category not in wide:
            wide[category] = 0.0
    ui.table(wide[["year", "month", *charts.COST_CATEGORIES]], f"quality-cost-by-month-{period.year}",
             units={c: "money" for c in charts.COST_CATEGORIES}, height=240)

st.subheader(t("cost_pareto", lang))
pareto = quality_cost_pareto(snapshot, period)
if pareto.empty:
    ui.no_rows("no_quality_cost")
else:
    ui.chart(charts.cost_pareto_chart(pareto, lang))
    ui.table(pareto[["account", "category", "entries", "amount", "cumulative_share"]],
             f"quality-cost-pareto-{period.year}", enums={"category": "cost_category"},
             units={"amount": "money", "cumulative_share": "%"}, height=240)

st.subheader(t("cost_balance", lang))
st.caption(t("cost_balance_note", lang))
balance = charts.conformance_frame(monthly)
if balance.empty:
    ui.no_rows("no_quality_cost")
else:
    ui.chart(charts.cost_balance_chart(balance, lang))
