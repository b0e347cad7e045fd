"""数据质量 Data quality: ETL runs, files, validation results and quarantined rows, read from the warehouse."""
import streamlit as st

from app import ui
from app.data import data_quality
from app.data import alert_frames, app_settings
from app.i18n import t
from expectations import check_name
from warehouse import rules
from warehouse.numbers import number_text

lang = ui.lang()
snapshot = ui.page_start("page.data_quality")
parts = data_quality(snapshot, lang)
held, released = (int(x) for x in parts["quarantine_count"].iloc[0])
with st.container(horizontal=True):
    st.metric(t("metric_runs", lang), number_text(len(parts["runs"])), border=True)
    st.metric(t("metric_files", lang), number_text(len(parts["files"])), border=True)
    failed = parts["suites"]["errors"].sum() + parts["suites"]["warnings"].sum() if not parts["suites"].empty else 0
    st.metric(t("metric_failed_checks", lang), number_text(failed), border=True)
    st.metric(t("metric_quarantined", lang), number_text(held), border=True)

st.subheader(t("etl_runs", lang))
ui.table(parts["runs"], "etl-runs", enums={"status": "run_status", "command": "command"},
         units=dict.fromkeys(("files", "checks", "checks_failed", "rows_quarantined"), "count"), height=240)

st.subheader(t("source_files", lang))
if len(parts["files"]) >= rules.LIST_LIMIT:
    st.caption(t("newest_only", lang).format(limit=rules.LIST_LIMIT))
ui.table(parts["files"], "source-files", enums={"status": "file_status", "kind": "source_kind"},
         units=dict.fromkeys(("rows", "rows_loaded", "rows_quarantined"), "count"), height=320)

st.subheader(t("validation", lang))
if parts["suites"].empty:
    ui.no_rows()
else:
    ui.table(parts["suites"], "validation-by-suite", enums={"suite": "source_kind"},
             units=dict.fromkeys(("checks", "passed", "errors", "warnings"), "count"))
    st.markdown(f"**{t('failed_checks', lang)}**")
    if parts["failures"].empty:
        st.success(t("all_checks_passed", lang))
    else:
        failures = parts["failures"]
        named = [check_name(s, e, c, lang) for s, e, c in
                 zip(failures["suite"], failures["expectation"], failures["column_name"])]
        ui.table(failures.assign(expectation=named), "failed-checks", enums={"severity": "severity_check", "suite": "source_kind"},
                 units={"unexpected_count": "count"}, height=320)

st.subheader(t("quarantine", lang))
st.caption(t("quarantine_note", lang).format(held=held, released=released))
if parts["quarantine"].empty:
    st.success(t("nothing_quarantined", lang))
else:
    ui.table(parts["quarantine"], "quarantine", enums={"kind": "source_kind"}, height=320)

# Alert deliveries that failed (the accounts file): each is tried again by the next run of `python -m etl alerts`.
failed_alerts = alert_frames(app_settings(), lang)["failed"]
if not failed_alerts.empty:
    st.subheader(t("dq_alert_failures", lang))
    st.caption(t("dq_alert_failures_note", lang))
    ui.table(failed_alerts, "alert-deliveries-failed")
