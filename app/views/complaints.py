"""客诉 Complaints: received per month, timeliness per milestone, each complaint's clock (open ones first),
domestic against foreign, and the foreign reply rule in force."""
import streamlit as st

from app import charts, ui
from app.data import (app_settings, clock_instant, complaint_milestones, complaint_register, foreign_reply_rule,
                      monthly_kpis, period_kpis, today)
from app.derive import complaint_summary, milestone_counts, milestone_timeliness, region_counts
from app.i18n import t
from warehouse.kpis import Period

CODES = ("complaints_received", "complaints_handled_on_time_rate", "complaint_handling_rate",
         "warranty_fulfilment_rate")

lang = ui.lang()
snapshot = ui.page_start("page.complaints")
period = ui.period_bar()
ui.kpi_row(period_kpis(snapshot, period, lang, today(), CODES), lang)
st.info(t("foreign_rule", lang).format(rule=foreign_reply_rule(lang), hours=f"{app_settings().foreign_reply_hours:g}"))

st.subheader(t("complaints_by_month", lang))
received = monthly_kpis(snapshot, ("complaints_received",), 24, Period(period.year, 12), today())
if received.empty or received["value"].isna().all():
    ui.no_rows()
else:
    ui.chart(charts.monthly_count_chart(received, lang, t("axis_complaints", lang)))

now = clock_instant()
register = complaint_register(snapshot, period)
milestones = complaint_milestones(snapshot, tuple(register["id"]), now, lang)
summary = complaint_summary(register, milestones, now)
in_period = summary[summary["in_period"]]

st.subheader(t("timeliness_by_milestone", lang))
period_milestones = milestones[milestones["complaint_id"].isin(in_period["id"])] if not milestones.empty else milestones
timeliness = milestone_timeliness(period_milestones)
if timeliness.empty:
    ui.no_rows()
else:
    ui.chart(charts.milestone_chart(milestone_counts(timeliness), lang))
    ui.table(timeliness.drop(columns="milestone"), "complaint-timeliness", units={"on_time_share": "%"})

st.subheader(t("domestic_foreign", lang))
regions = region_counts(in_period)
if regions.empty:
    ui.no_rows()
else:
    ui.chart(charts.region_chart(regions, lang))
    ui.table(regions, "complaints-by-region", enums={"market": "market", "region": "region", "clock": "clock_status"})

st.subheader(t("complaint_list", lang))
st.caption(t("complaint_list_note", lang).format(now=f"{now:%Y-%m-%d %H:%M}"))
if summary.empty:
    ui.no_rows()
else:
    ui.table(summary[["id", "open", "age_days", "clock", "customer_name", "region", "product", "description",
                      "received_at", "closed_at", "resolution"]],
             "complaints", enums={"open": "open", "clock": "clock_status", "region": "region",
                                  "resolution": "resolution"}, units={"age_days": "days"}, height=300)
    st.subheader(t("complaint_clock", lang))
    chosen = ui.choice(t("complaint", lang), [None, *summary["id"]], "complaint_id",
                       lambda c: t("all", lang) if c is None else c)
    detail = milestones if chosen is None else milestones[milestones["complaint_id"] == chosen]
    order = {cid: i for i, cid in enumerate(summary["id"])}
    detail = detail.sort_values("complaint_id", key=lambda s: s.map(order), kind="stable")
    ui.table(detail[["complaint_id", "label", "due_at", "done_at", "status", "rule", "provisional"]]
             .rename(columns={"label": "milestone", "status": "clock"}),
             "complaint-clock", enums={"clock": "clock_status", "provisional": "yes_no"}, height=320)
