"""What pages read: cached per warehouse snapshot, so the next request after a load sees the new data.

Every function takes the SnapshotId of the live file as its first argument (the cache key) and opens a short
READ_ONLY connection to exactly that file. SQL lives in warehouse/sql/read/*.sql; KPI values come from the
registry (warehouse.kpis); complaint milestones from warehouse.complaint_clock.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from warehouse import rules
from warehouse import complaint_clock as clock
from warehouse import spc, sql
from warehouse.db import SnapshotId, read_connection, snapshot_id
from warehouse.kpis import (BEHIND_COLUMNS, INSPECTION_BREAKDOWNS, REGISTRY, STEPS, KpiValue, Period, kpi_series,
                            kpi_values, kpi_values_by, rows_behind)
from warehouse.settings import Settings, load_settings
from warehouse.snapshot import snapshot_files

# The cache keys' dataclasses hashed by their repr: Streamlit's own hashing of a dataclass walks it field by field,
# and the settings are hashed on every cached call (a phone session makes a dozen).
CACHE = dict(show_spinner=False, max_entries=256, hash_funcs={Settings: repr, SnapshotId: repr, Period: repr})
STEP_PASS_RATE = {step: f"{step}_inspection_pass_rate" for step in STEPS}


def app_settings() -> Settings:
    """The settings the app runs with (the environment, read per request: cheap)."""
    return load_settings()


def cached_with_settings(fn):
    """fn (with a keyword-only parameter settings) cached per its arguments and the settings, and called without
    settings: the app's settings of this request are passed in."""
    cached = st.cache_data(**CACHE)(fn)

    @functools.wraps(fn)
    def with_settings(*args, **kwargs):
        return cached(*args, **kwargs, settings=app_settings())
    return with_settings


def current_snapshot() -> SnapshotId | None:
    """Identity of the live warehouse file (None when there is none)."""
    return snapshot_id(app_settings().warehouse)


def today() -> dt.date:
    """Today at the plant (QUALITY_PLANT_TIMEZONE): the day every figure is as of, and part of every KPI cache key,
    so a month that ends rolls over without a new load."""
    return app_settings().plant_today()


def clock_instant() -> dt.datetime:
    """Now, to the last 10 minutes: the complaint clock's cache key and the instant it judges at."""
    now = app_settings().plant_now().replace(second=0, microsecond=0)
    return now.replace(minute=now.minute - now.minute % 10)


def query_frame(snapshot: SnapshotId, name: str, **params) -> pd.DataFrame:
    """One SQL file (warehouse.sql's role/name) run on a short read-only connection to the snapshot's file
    (uncached)."""
    with read_connection(Path(snapshot.path)) as con:
        return sql.frame(con, name, **params)


# The warehouse as a whole --------------------------------------------------------------------------


@st.cache_data(**CACHE)
def warehouse_state(snapshot: SnapshotId | None) -> tuple[str, bool, str | None]:
    """(state, demo, error): state is missing, unreadable, empty (schema but no run yet) or ready."""
    if snapshot is None:
        return "missing", False, None
    try:
        with read_connection(Path(snapshot.path)) as con:
            if not sql.rows(con, "read/table_columns", name="etl_run"):
                return "empty", False, None
            runs, demo = sql.frame(con, "read/load_summary").iloc[0]
    except duckdb.Error as exc:
        return "unreadable", False, str(exc)
    return ("ready" if runs else "empty"), bool(demo), None


@st.cache_data(**CACHE)
def years_with_data(snapshot: SnapshotId) -> list[int]:
    """Years that have inspections, complaints or surveys, newest first."""
    return [int(y) for y in query_frame(snapshot, "read/years_with_data").iloc[:, 0]]


@st.cache_data(**CACHE)
def last_run(snapshot: SnapshotId) -> dict | None:
    """The newest ETL run with its validation outcome (checks, errors, warnings, refused files, quarantined rows)."""
    frame = query_frame(snapshot, "read/last_run_validation")
    return None if frame.empty else frame.iloc[0].to_dict()


# KPIs from the registry ----------------------------------------------------------------------------


def _values_frame(values: list[KpiValue], **extra) -> pd.DataFrame:
    return pd.DataFrame([{**extra, **dataclasses.asdict(v)} for v in values])


@cached_with_settings
def period_kpis(snapshot: SnapshotId, period: Period, lang: str, day: dt.date,
                codes: tuple[str, ...] | None = None, *, settings: Settings) -> list[KpiValue]:
    """The registry's values (all KPIs, or codes) for a period, with targets and the prior-year span."""
    with read_connection(Path(snapshot.path)) as con:
        return kpi_values(con, period, settings, lang=lang, today=day, codes=list(codes) if codes else None)


def latest_yearly_kpis(snapshot: SnapshotId, period: Period, lang: str, day: dt.date,
                       codes: tuple[str, ...]) -> dict[str, tuple[int, KpiValue]]:
    """For the yearly KPIs among codes (surveys, grades, market shares): the latest of the three years before the
    period's with a value, as (year, value); KPIs with none are left out. For a year whose figures are not in yet."""
    found: dict[str, tuple[int, KpiValue]] = {}
    yearly = [c for c in codes if REGISTRY[c].aggregate == "year"]
    for year in range(period.year - 1, period.year - 4, -1):
        missing = tuple(c for c in yearly if c not in found)
        if not missing:
            break
        found |= {v.kpi: (year, v) for v in period_kpis(snapshot, Period(year), lang, day, missing) if v.value is not None}
    return found


@cached_with_settings
def yearly_kpis(snapshot: SnapshotId, codes: tuple[str, ...], years: tuple[int, ...], lang: str,
                day: dt.date, *, settings: Settings) -> pd.DataFrame:
    """The registry's values of codes for each whole year: one row per year and KPI (KpiValue fields + year)."""
    frames = []
    with read_connection(Path(snapshot.path)) as con:
        for year in years:
            values = kpi_values(con, Period(year), settings, lang=lang, today=day, codes=list(codes))
            frames.append(_values_frame(values, year=year))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@cached_with_settings
def monthly_kpis(snapshot: SnapshotId, codes: tuple[str, ...], months: int, end: Period, day: dt.date, *,
                 settings: Settings) -> pd.DataFrame:
    """The registry's month-by-month values of codes for the months up to end's last month, as of day (no month after
    it; the month still running on it marked partial): kpi, year, month, value, ..., in_progress, partial."""
    rows = []
    with read_connection(Path(snapshot.path)) as con:
        for code in codes:
            for point in kpi_series(con, code, months, end, settings, today=day):
                rows.append({"kpi": code, "year": point.period.year, "month": point.period.month,
                             "value": point.value, "numerator": point.numerator,
                             "denominator": point.denominator, "target": point.target, "status": point.status,
                             "in_progress": point.in_progress, "partial": point.partial})
    return pd.DataFrame(rows, columns=["kpi", "year", "month", "value", "numerator", "denominator", "target",
                                       "status", "in_progress", "partial"])


@cached_with_settings
def kpi_rows_behind(snapshot: SnapshotId, code: str, period: Period, day: dt.date, *, settings: Settings) -> pd.DataFrame:
    """The records behind a KPI's figure for the period as of day (warehouse.kpis.rows_behind): id, day,
    numerator, denominator, in_progress, file_name, source_row, run_id."""
    with read_connection(Path(snapshot.path)) as con:
        rows = rows_behind(con, code, period, settings, today=day)
    frame = pd.DataFrame(rows, columns=BEHIND_COLUMNS)
    return frame.rename(columns={"item": "id", "file": "file_name", "row": "source_row", "run": "run_id"})


# Inspections ---------------------------------------------------------------------------------------


def _rates_by(con, periods: list[Period], by: str, step: str, settings: Settings) -> pd.DataFrame:
    """The step's lot pass rate and PPM broken down by family, item or supplier, from the registry: one row per
    period and key with year, key, lots, lots_passed, pass_rate, ppm, prior_pass_rate."""
    rows = []
    for period, key, (rate, ppm) in kpi_values_by(con, periods, by, [STEP_PASS_RATE[step], f"{step}_inspection_ppm"],
                                                  settings):
        rows.append({"year": period.year, "key": key, "lots": rate.denominator or 0, "lots_passed": rate.numerator or 0,
                     "pass_rate": rate.value, "ppm": ppm.value, "prior_pass_rate": rate.prior_value})
    return pd.DataFrame(rows, columns=["year", "key", "lots", "lots_passed", "pass_rate", "ppm", "prior_pass_rate"])


@cached_with_settings
def inspection_breakdown(snapshot: SnapshotId, step: str, period: Period, *, settings: Settings) -> pd.DataFrame:
    """Lots, pass rate and PPM per product family, item and supplier for the step, with the prior-year rate."""
    with read_connection(Path(snapshot.path)) as con:
        names = sql.frame(con, "read/breakdown_names")
        parts = [_rates_by(con, [period], by, step, settings).assign(dimension=by) for by in INSPECTION_BREAKDOWNS]
    out = pd.concat(parts, ignore_index=True).merge(names, on=["dimension", "key"], how="left")
    out = out.sort_values(["dimension", "lots", "key"], ascending=[True, False, True], ignore_index=True)
    return out[["dimension", "key", "name", "lots", "lots_passed", "pass_rate", "ppm", "prior_pass_rate"]]


@st.cache_data(**CACHE)
def control_chart(snapshot: SnapshotId, stage: str, kind: str, supplier: str | None, first: tuple[int, int],
                  last: tuple[int, int], baseline: tuple[tuple[int, int], tuple[int, int]] | None, day: dt.date
                  ) -> tuple[spc.Chart | None, tuple[str, str] | None]:
    """The stage's (supplier's) p- or u-chart from first to last as of day (warehouse.spc.control_chart), and None with
    the reason (en, zh) when it cannot be drawn (a baseline without data)."""
    with read_connection(Path(snapshot.path)) as con:
        try:
            return spc.control_chart(con, stage, kind, supplier, first, last, baseline, day), None
        except spc.SpcError as exc:
            return None, (str(exc), exc.reason_zh)


def _filters(family, item, supplier) -> dict:
    return dict(family=family, item=item, supplier=supplier)


@st.cache_data(**CACHE)
def defect_pareto(snapshot: SnapshotId, step: str, period: Period, family=None, item=None, supplier=None) -> pd.DataFrame:
    """Defects per defect code, largest first, with the cumulative share (%)."""
    return query_frame(snapshot, "read/defect_pareto", stages=list(STEPS[step]), start=period.start,
                       end=period.end, **_filters(family, item, supplier))


@st.cache_data(**CACHE)
def failed_lots(snapshot: SnapshotId, step: str, period: Period, family=None, item=None, supplier=None) -> pd.DataFrame:
    """The newest failed lots of the step in the period (at most rules.LIST_LIMIT) with their disposition."""
    return query_frame(snapshot, "read/failed_lots", stages=list(STEPS[step]), start=period.start, end=period.end,
                       limit=rules.LIST_LIMIT, **_filters(family, item, supplier))


@st.cache_data(**CACHE)
def failed_lot_dispositions(snapshot: SnapshotId, step: str, period: Period, family=None, item=None,
                            supplier=None) -> pd.DataFrame:
    """Failed lots of the step in the period per disposition."""
    return query_frame(snapshot, "read/failed_lot_dispositions", stages=list(STEPS[step]), start=period.start,
                       end=period.end, **_filters(family, item, supplier))


# Complaints ----------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def complaint_register(snapshot: SnapshotId, period: Period) -> pd.DataFrame:
    """Complaints received in the period and every complaint still open, newest first."""
    return query_frame(snapshot, "read/complaint_register", start=period.start, end=period.end)


@cached_with_settings
def complaint_milestones(snapshot: SnapshotId, ids: tuple[str, ...], now: dt.datetime, lang: str, *,
                         settings: Settings) -> pd.DataFrame:
    """Every milestone of the complaints: due, done, met / missed / pending / not applicable, and the rule used."""
    if not ids:
        return pd.DataFrame(columns=[f.name for f in dataclasses.fields(clock.MilestoneStatus)])
    with read_connection(Path(snapshot.path)) as con:
        statuses = clock.complaint_clock(con, settings, today=now, complaint_ids=list(ids), lang=lang)
    return pd.DataFrame([dataclasses.asdict(s) for s in statuses])


def foreign_reply_rule(lang: str) -> str:
    """The clear-reply rule the clock applies to a foreign customer, in words (QUALITY_FOREIGN_REPLY_HOURS)."""
    now = app_settings().plant_now()
    sample = {"id": "", "received_at": now, "region": "abroad"}
    for status in clock.milestone_statuses(sample, clock.clock_rules(), app_settings(), now, lang):
        if status.milestone == "reply":
            return status.rule
    return ""


# Suppliers -----------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def supplier_years(snapshot: SnapshotId) -> list[int]:
    """Years with supplier grades or a supplier survey, oldest first."""
    return [int(y) for y in query_frame(snapshot, "read/supplier_grade_years").iloc[:, 0]]


@st.cache_data(**CACHE)
def supplier_register(snapshot: SnapshotId, year: int) -> pd.DataFrame:
    """Every supplier: risk class, assigned grade this year and last, satisfaction this year."""
    return query_frame(snapshot, "read/supplier_register", year=year)


@cached_with_settings
def supplier_incoming(snapshot: SnapshotId, year: int, *, settings: Settings) -> pd.DataFrame:
    """Incoming inspection per supplier and year up to year: supplier, year, lots, lots_passed, pass rate (%), PPM."""
    with read_connection(Path(snapshot.path)) as con:
        years = sorted(int(y) for y in sql.frame(con, "read/years_with_data").iloc[:, 0] if y <= year)
        rates = _rates_by(con, [Period(y) for y in years], "supplier", "incoming", settings) if years else None
    if rates is None:
        return pd.DataFrame(columns=["supplier", "year", "lots", "lots_passed", "pass_rate", "ppm"])
    rates = rates[(rates["key"] != "") & (rates["lots"] > 0)].rename(columns={"key": "supplier"})
    return rates[["supplier", "year", "lots", "lots_passed", "pass_rate", "ppm"]].sort_values(
        ["supplier", "year"], ignore_index=True)


@st.cache_data(**CACHE)
def supplier_last_audits(snapshot: SnapshotId, day: dt.date) -> pd.DataFrame:
    """Per supplier: risk class and its latest on-site and document audits up to day."""
    return query_frame(snapshot, "read/supplier_last_audits", today=day)


# Market, satisfaction ------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def market_years(snapshot: SnapshotId) -> list[int]:
    """Years with market figures, oldest first."""
    return [int(y) for y in query_frame(snapshot, "read/market_share_years").iloc[:, 0]]


@st.cache_data(**CACHE)
def survey_years(snapshot: SnapshotId) -> list[int]:
    """Survey years with customer satisfaction responses, oldest first."""
    return [int(y) for y in query_frame(snapshot, "read/survey_years").iloc[:, 0]]


def _satisfaction_by_segment(con, year: int) -> pd.DataFrame:
    """Customer satisfaction per customer segment ('' when unknown) in the year and the year before, from the
    registry: segment, year, score, responses."""
    rows = [{"segment": key, "year": period.year, "score": v.value, "responses": v.denominator}
            for period, key, (v,) in kpi_values_by(con, [Period(year), Period(year - 1)], "segment",
                                                   ["customer_satisfaction"], app_settings())
            if v.denominator]
    return pd.DataFrame(rows, columns=["segment", "year", "score", "responses"]).sort_values(
        ["segment", "year"], ignore_index=True)


@st.cache_data(**CACHE)
def survey_breakdowns(snapshot: SnapshotId, year: int, band: int = 5) -> dict[str, pd.DataFrame]:
    """Scores of the year and the year before: per question, per customer segment, and responses per score band."""
    with read_connection(Path(snapshot.path)) as con:
        return {"question": sql.frame(con, "read/survey_question_scores", year=year),
                "segment": _satisfaction_by_segment(con, year),
                "distribution": sql.frame(con, "read/survey_score_distribution", year=year, band=band)}


# Improvement ---------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def improvement_lists(snapshot: SnapshotId, period: Period, day: dt.date) -> dict[str, pd.DataFrame]:
    """Open corrective actions with their age, instruments due or overdue for calibration, incidents in the period."""
    with read_connection(Path(snapshot.path)) as con:
        return {"actions": sql.frame(con, "read/open_corrective_actions", as_of=day),
                "calibration": sql.frame(con, "read/calibration_due", as_of=day, horizon_days=rules.CALIBRATION_DUE_SOON_DAYS),
                "incidents": sql.frame(con, "read/incidents_in_period", start=period.start, end=period.end,
                                        newest_first=True)}


# Data quality --------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def data_quality(snapshot: SnapshotId, lang: str) -> dict[str, pd.DataFrame]:
    """Runs, files, validation per suite, failed checks, quarantined rows (reason in lang) and their counts."""
    limit = rules.LIST_LIMIT
    files = ["loaded_at", "name", "kind", "format", "encoding", "rows", "rows_loaded", "rows_quarantined", "status",
             "message", "run_id", "hash"]  # the columns of read/source_files the page shows
    with read_connection(Path(snapshot.path)) as con:
        return {"runs": sql.frame(con, "read/etl_runs", limit=limit).drop(columns="summary"),
                "files": sql.frame(con, "read/source_files", status=None, limit=limit)[files],
                "suites": sql.frame(con, "read/validation_summary"),
                "failures": sql.frame(con, "read/validation_failures", limit=limit),
                "quarantine": sql.frame(con, "read/quarantined_rows", include_released=True, lang=lang, limit=limit),
                "quarantine_count": sql.frame(con, "read/quarantine_count")}


# Uploads and refreshes -----------------------------------------------------------------------------


def mapping_stamp(settings: Settings) -> tuple | None:
    """What changes when the site mapping file changes (its path, time and size): part of a cache key."""
    path = settings.mapping_file
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def upload_preview(file_name: str, data: bytes, snapshot: SnapshotId | None):
    """The preview of an uploaded survey, worked out once per content, name, warehouse snapshot and site mapping
    file in this session."""
    from etl import preview_upload

    settings = app_settings()
    key = (hashlib.sha256(data).hexdigest(), file_name, snapshot, mapping_stamp(settings))
    held = st.session_state.get("_upload_preview")
    if held is None or held[0] != key:
        held = (key, preview_upload(file_name, data, settings))
        st.session_state["_upload_preview"] = held
    return held[1]


@st.cache_data(**CACHE)
def upload_batch_frame(snapshot: SnapshotId) -> pd.DataFrame:
    """Every survey upload batch, newest first: id, file name, who and when, rows, undone when and by whom."""
    from etl import UploadBatch, upload_batches

    with read_connection(Path(snapshot.path)) as con:
        batches = upload_batches(con)
    return pd.DataFrame([dataclasses.asdict(b) for b in batches], columns=[f.name for f in dataclasses.fields(UploadBatch)])


def import_folder_files(settings: Settings) -> list[Path] | None:
    """The export files in the configured import folder (None when the folder is missing or unreadable)."""
    from etl import UsageError, export_files

    folder = settings.import_dir
    if folder is None or not folder.is_dir():
        return None
    try:
        return export_files([folder])
    except (OSError, UsageError):
        return None


def snapshot_times(settings: Settings) -> list[dt.datetime]:
    """When each kept snapshot of the warehouse was replaced (the newest first); rollback puts the first back."""
    times = []
    for path in snapshot_files(settings.warehouse):
        try:
            times.append(dt.datetime.strptime(path.stem.rsplit("-", 1)[-1], "%Y%m%dT%H%M%S%f"))
        except ValueError:
            continue
    return times


# Report --------------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def report_of(snapshot: SnapshotId, year: int, day: dt.date, settings: Settings):
    """The year's report draft (texts filled, tables, findings, flags) as it stands in the snapshot."""
    from presentation import build_report

    with read_connection(Path(snapshot.path)) as con:
        return build_report(con, year, settings, day)


@st.cache_data(**CACHE)
def report_chapters(snapshot: SnapshotId, year: int) -> list:
    """Every chapter's text for the year (saved, an earlier year's, or the seed)."""
    from presentation import chapter_texts

    with read_connection(Path(snapshot.path)) as con:
        return chapter_texts(con, year)


@st.cache_data(**CACHE)
def report_signoff_of(snapshot: SnapshotId, year: int):
    """The year's sign-off block (saved, an earlier year's names, or blank)."""
    from presentation import report_signoff

    with read_connection(Path(snapshot.path)) as con:
        return report_signoff(con, year)


def report_import_preview(file_name: str, data: bytes):
    """An uploaded report split into chapters (presentation's SplitReport), worked out once per content and name
    in this session; raises ReportImportError for a file that cannot be imported."""
    from presentation import split_report

    key = (hashlib.sha256(data).hexdigest(), file_name)
    held = st.session_state.get("_report_import_preview")
    if held is None or held[0] != key:
        held = (key, split_report(file_name, data))
        st.session_state["_report_import_preview"] = held
    return held[1]


def report_file(snapshot: SnapshotId, year: int, fmt: str, final: bool, day: dt.date) -> bytes:
    """The year's report as a DOCX, PDF or Markdown file (built when the download is clicked)."""
    from presentation import build_report, report_docx, report_markdown, report_pdf

    with read_connection(Path(snapshot.path)) as con:
        report = build_report(con, year, app_settings(), day, final)
    return {"docx": report_docx, "pdf": report_pdf, "md": report_markdown}[fmt](report)


# Accounts (read per request: logins change the accounts file all the time) --------------------------------


def account_frame(settings: Settings) -> pd.DataFrame:
    """Every user: name, role, created when and by whom, password changed when."""
    from warehouse.users import User, accounts_connection, user_list

    with accounts_connection(settings) as con:
        users = user_list(con)
    return pd.DataFrame([dataclasses.asdict(u) for u in users], columns=[f.name for f in dataclasses.fields(User)])


def audit_frame(settings: Settings, since: dt.datetime | None, limit: int) -> pd.DataFrame:
    """The newest audit entries since a time, newest first: when, who, action, detail."""
    from warehouse.users import AuditEntry, accounts_connection, audit_entries

    with accounts_connection(settings) as con:
        entries = audit_entries(con, limit, since)
    return pd.DataFrame([dataclasses.asdict(e) for e in entries],
                        columns=[f.name for f in dataclasses.fields(AuditEntry)])


# Alerts (the accounts file) ---------------------------------------------------------------------------------


def _alert_row(record, lang: str) -> dict:
    from presentation import alert_headline, alert_what, t

    return {"alert": alert_headline(record, lang), "message": alert_what(record, lang), "since": record.since,
            "open_page": t(f"page.{record.page}", lang)}


def alert_frames(settings: Settings, lang: str) -> dict[str, pd.DataFrame]:
    """The active alerts (alert, message, since, page) and the history of activations (also when they cleared, how
    often they were delivered and when last) in lang, newest first; failed: the active alerts whose last delivery
    to a target failed (the recipient masked, when, why, how many failures)."""
    from warehouse.alerts import active_alerts, alert_history, failed_deliveries
    from warehouse.users import accounts_connection

    with accounts_connection(settings) as con:
        current = active_alerts(con)
        history = alert_history(con)
        failed = failed_deliveries(con)
    columns = ["alert", "message", "since", "open_page"]
    active = [_alert_row(r, lang) for r in reversed(current)]
    past = [{**_alert_row(r, lang), "state": "cleared" if r.cleared_at else "active", "cleared_at": r.cleared_at,
             "delivered": d["delivered"], "last_sent_at": d["last_sent_at"]} for r, d in history]
    failures = [{"alert": _alert_row(r, lang)["alert"], "recipient": f["target_shown"], "attempted_at": f["attempted_at"],
                 "error": f["error"], "failures": f["failures"]} for r, f in failed]
    return {"active": pd.DataFrame(active, columns=columns),
            "history": pd.DataFrame(past, columns=[*columns, "state", "cleared_at", "delivered", "last_sent_at"]),
            "failed": pd.DataFrame(failures, columns=["alert", "recipient", "attempted_at", "error", "failures"])}


# Cost of quality -----------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def quality_cost_by_month(snapshot: SnapshotId, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Quality cost per month and category (year, month, category, amount) over [start, end)."""
    return query_frame(snapshot, "read/quality_cost_by_month", start=start, end=end)


@st.cache_data(**CACHE)
def quality_cost_pareto(snapshot: SnapshotId, period: Period) -> pd.DataFrame:
    """Quality cost per cost item in the period, largest first, with the cumulative share (%)."""
    return query_frame(snapshot, "read/quality_cost_pareto", start=period.start, end=period.end)
