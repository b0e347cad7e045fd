"""改进 Improvement: corrective actions on time and still open, instruments due for calibration, incidents against
their zero targets."""
import streamlit as st

from app import charts, ui
from warehouse import rules
from app.data import improvement_lists, monthly_kpis, period_kpis, today
from app.i18n import t
from warehouse.kpis import Period

CAPA = "capa_on_time_rate"
INCIDENTS = ("major_environmental_incidents", "fatal_injuries", "serious_injuries", "minor_injuries")

lang = ui.lang()
snapshot = ui.page_start("page.improvement")
period = ui.period_bar()
lists = improvement_lists(snapshot, period, today())

st.subheader(t("capa", lang))
ui.kpi_row(period_kpis(snapshot, period, lang, today(), (CAPA, "capa_ineffective", "calibration_overdue")), lang)
monthly = monthly_kpis(snapshot, (CAPA,), 24, Period(period.year, 12), today())
monthly = monthly[monthly["denominator"].fillna(0) > 0] if not monthly.empty else monthly
if monthly.empty:
    ui.no_rows()
else:
    ui.chart(charts.monthly_rate_chart(monthly, lang, t("axis_on_time", lang), t("col.actions_due", lang)))

st.subheader(t("open_actions", lang))
if lists["actions"].empty:
    ui.no_rows("no_open_actions")
else:
    ui.table(lists["actions"], "open-corrective-actions", enums={"source": "capa_source"})

st.subheader(t("calibration", lang))
st.caption(t("calibration_note", lang).format(days=rules.CALIBRATION_DUE_SOON_DAYS))
if lists["calibration"].empty:
    ui.no_rows("no_calibration_due")
else:
    ui.table(lists["calibration"], "calibration-due", enums={"result": "calibration_result",
                                                    "calibration_status": "calibration_status"})

st.subheader(t("incidents", lang))
ui.kpi_row(period_kpis(snapshot, period, lang, today(), INCIDENTS), lang)
if lists["incidents"].empty:
    ui.no_rows("no_incidents")
else:
    ui.table(lists["incidents"], "incidents", enums={"kind": "incident_kind", "severity": "severity"})
