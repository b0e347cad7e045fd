"""总览 Overview: one card per registry KPI for the chosen period, and how fresh and valid the data is.

On top, a band counts the KPIs that missed, met and have no target (each a filter of the cards below); in each
group the missed ones come first. A yearly KPI whose year is not in yet (the survey, grades, market figures) shows
the latest year that is on its card, and says which; the table below keeps the chosen period's values."""
import streamlit as st

from app import ui
from app.data import last_run, monthly_kpis, today
from app.i18n import enum_label, t
from warehouse.kpis import GROUPS, REGISTRY, Period, grouped

ORDER = {"missed": 0, "met": 1, "no_target": 2, "no_data": 3}   # within a group: what is off target first

lang = ui.lang()
snapshot = ui.page_start("page.overview")
period = ui.period_bar()

run = last_run(snapshot)
if run:
    st.caption(t("data_as_of_line", lang).format(
        finished=f"{run['finished_at']:%Y-%m-%d %H:%M}" if run["finished_at"] is not None else "—",
        command=enum_label("command", run["command"], lang), status=enum_label("run_status", run["status"], lang), checks=run["checks"],
        errors=run["errors"], warnings=run["warnings"], refused=run["files_refused"],
        quarantined=run["rows_quarantined"]))

values, shown, notes = ui.kpis_shown(snapshot, period)
counts = ui.status_counts(shown.values())
options = ["all"] + [status for status, n in counts.items() if n]
wanted = st.segmented_control(
    t("overview_filter", lang), options, key="overview_filter", default="all", label_visibility="collapsed",
    format_func=lambda s: t("overview_all", lang).format(n=len(shown)) if s == "all"
    else f"{ui.STATUS_BADGE[s][1]} {t(f'status_{s}', lang)} {counts[s]}") or "all"

day = today()
last_month = min(Period(period.year, period.month or 12), Period(day.year, day.month), key=lambda p: (p.year, p.month))
points = ui.spark_points(monthly_kpis(snapshot, tuple(REGISTRY), 12, last_month, today()))
for group, codes in grouped(values):
    codes = sorted((c for c in codes if wanted in ("all", shown[c].status)), key=lambda c: ORDER[shown[c].status])
    if not codes:
        continue
    st.subheader(GROUPS[group][1 if lang == "en" else 0])
    with st.container(horizontal=True, wrap=True):
        for code in codes:
            spark = [float("nan") if x is None else x for x in points.get(code, [])]
            ui.kpi_card(shown[code], spark if any(x == x for x in spark) else None, lang, notes.get(code, ""))
st.caption(t("sparkline_note", lang))

with st.expander(t("as_table", lang)):
    frame, units = ui.kpi_frame(list(values.values()), lang)
    ui.table(frame, f"kpis-{period.year}-{period.month or 'year'}{'-ytd' if period.ytd else ''}", units=units)
ui.rows_behind(list(values), lang)
