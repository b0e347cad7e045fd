"""总览 Overview: one card per registry KPI for the chosen period, and how fresh and valid the data is. A yearly KPI
whose year is not in yet (the survey, grades, market figures) shows the latest year that is on its card, and says
which; the table below keeps the chosen period's values."""
import streamlit as st

from app import ui
from app.data import last_run, latest_yearly_kpis, monthly_kpis, period_kpis, today
from app.i18n import enum_label, t
from warehouse.kpis import GROUPS, REGISTRY, Period, grouped

lang = ui.lang()
snapshot = ui.page_start("page.overview")
period = ui.period()

run = last_run(snapshot)
if run:
    st.caption(t("data_as_of_line", lang).format(
        finished=f"{run['finished_at']:%Y-%m-%d %H:%M}" if run["finished_at"] is not None else "—",
        command=enum_label("command", run["command"], lang), status=enum_label("run_status", run["status"], lang), checks=run["checks"],
        errors=run["errors"], warnings=run["warnings"], refused=run["files_refused"],
        quarantined=run["rows_quarantined"]))
ui.period_caption(period)

values = {v.kpi: v for v in period_kpis(snapshot, period, lang, today())}
# a yearly KPI (survey, grades, market) whose year is not in yet: its card shows the latest year that is, and says so
earlier = latest_yearly_kpis(snapshot, period, lang, today(), tuple(c for c, v in values.items() if v.value is None))
notes = {code: t("latest_year_note", lang).format(year=year, chosen=period.year) for code, (year, _) in earlier.items()}
day = today()
last_month = min(Period(period.year, period.month or 12), Period(day.year, day.month), key=lambda p: (p.year, p.month))
series = monthly_kpis(snapshot, tuple(REGISTRY), 12, last_month, today())
for group, codes in grouped(values):
    st.subheader(GROUPS[group][1 if lang == "en" else 0])
    with st.container(horizontal=True, wrap=True):
        for code in codes:
            points = series[(series["kpi"] == code) & ~series["partial"]]["value"] if not series.empty else []
            spark = [float("nan") if x is None or x != x else float(x) for x in points]
            shown = earlier[code][1] if code in earlier else values[code]
            ui.kpi_card(shown, spark if any(x == x for x in spark) else None, lang, notes.get(code, ""))
st.caption(t("sparkline_note", lang))

with st.expander(t("as_table", lang)):
    frame, units = ui.kpi_frame(list(values.values()), lang)
    ui.table(frame, f"kpis-{period.year}-{period.month or 'year'}{'-ytd' if period.ytd else ''}", units=units)
ui.rows_behind(list(values), lang)
