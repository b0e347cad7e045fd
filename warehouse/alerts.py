"""Alerts: which rules hold, what is wrong now, and which alert is due to be sent to which target.

The rules and the targets are a TOML file named by QUALITY_ALERTS (read_alert_config); without one nothing is
evaluated or sent. What is evaluated:

- every KPI with a target (kpi_target) that misses it, when the miss is decided (miss_decided);
- per-KPI rules of the file: a threshold, a drop against the same span a year earlier, a control-chart signal;
- built in: a file refused or rows quarantined by a load (load_alerts, evaluated by the load itself), an instrument
  due for calibration within N days, a complaint milestone due within N hours and not done (scheduled_alerts).

The state lives in the accounts file (accounts migration 002), never in the warehouse, so a warehouse rollback
does not make an alert look new: an alert is active from the run that first finds it until the first run of its
family that no longer does (it clears), and a delivery to a target is due when the alert has not reached that
target since it became active, or reached it repeat_hours (a day) ago or longer. A failed delivery is simply not a
delivery: the next run tries again. Delivery itself (apprise) is etl.alerts; the words are presentation.alerts.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from warehouse import complaint_clock, sql
from warehouse.errors import BilingualError
from warehouse.kpis import REGISTRY, STEPS, Kpi, KpiValue, Period, kpi_status, kpi_values
from warehouse.settings import Settings

FAMILIES = ("scheduled", "load")
KPI_RULES = ("threshold", "yoy_drop", "control_chart")
KINDS = ("target", *KPI_RULES, "load_refused", "load_quarantined", "calibration_due", "complaint_due")
FAMILY = {"load_refused": "load", "load_quarantined": "load"}   # every other kind: scheduled
# The page (url path of app/main.py) an alert about a KPI of a group links to; single KPIs where they are shown.
GROUP_PAGE = {"inspection": "inspections", "customer": "complaints", "supplier": "suppliers", "market": "market",
              "management": "improvement", "safety": "improvement"}
KPI_PAGE = {"customer_satisfaction": "satisfaction"}
KIND_PAGE = {"load_refused": "data_quality", "load_quarantined": "data_quality", "calibration_due": "improvement",
             "complaint_due": "complaints"}
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
HISTORY_LIMIT = 500

# The file's [alerts] section: key -> (type, default, what it means).
GENERAL = {
    "kpi_targets": (bool, True, "every KPI with a target alerts when it misses it"),
    "calibration_due_days": (int, 14, "an instrument due for calibration within this many days alerts"),
    "complaint_due_hours": (float, 24.0, "a complaint milestone due within this many hours (or overdue) and not done "
                                         "alerts"),
    "load_refused": (bool, True, "a load that refuses a file alerts"),
    "load_quarantined": (bool, True, "a load that quarantines rows alerts"),
    "repeat_hours": (float, 24.0, "an alert still active is sent again after this many hours"),
}


class AlertConfigError(BilingualError):
    """The alerts file cannot be used: str() names the file and the key in English, .reason_zh in Chinese."""


@dataclass(frozen=True)
class Target:
    """Where alerts go: an apprise URL as the file writes it (${NAME} taken from the environment when sent)."""

    url: str
    where: str                     # target[1]: the entry of the file

    @property
    def id(self) -> str:
        """Who the target is in the accounts file: the sha256 of its URL as written (no secret is ever stored)."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()

    @property
    def variables(self) -> list[str]:
        """The environment variables its URL names."""
        return ENV_REFERENCE.findall(self.url)


@dataclass(frozen=True)
class Rule:
    """One per-KPI rule of the file."""

    kind: str                      # threshold, yoy_drop, control_chart
    kpi: str
    where: str                     # rule[2]: the entry of the file
    value: float | None = None     # threshold: the line; yoy_drop: how much worse than a year earlier
    comparator: str | None = None  # threshold: ">=" or "<=" (what is fine); default from the KPI's direction
    supplier: str | None = None    # control_chart: one supplier's chart (incoming inspection only)


@dataclass(frozen=True)
class AlertConfig:
    """The alerts file, read and checked."""

    path: Path | None
    text: str = ""
    targets: tuple[Target, ...] = ()
    rules: tuple[Rule, ...] = ()
    kpi_targets: bool = True
    calibration_due_days: int = 14
    complaint_due_hours: float = 24.0
    load_refused: bool = True
    load_quarantined: bool = True
    repeat_hours: float = 24.0


@dataclass(frozen=True)
class Alert:
    """Something wrong now: its identity (key), its kind, the page to open and the figures its message needs."""

    key: str
    kind: str
    page: str
    facts: dict = field(default_factory=dict)

    @property
    def family(self) -> str:
        """Who evaluates and clears it: a load (load) or the scheduled run (scheduled)."""
        return FAMILY.get(self.kind, "scheduled")


@dataclass(frozen=True)
class AlertRecord:
    """An activation of an alert as the accounts file keeps it."""

    id: int | None                 # None: not recorded yet (a dry run's new alert)
    key: str
    kind: str
    family: str
    page: str
    facts: dict
    since: dt.datetime
    cleared_at: dt.datetime | None = None


# The file ------------------------------------------------------------------------------------------------


def _error(path: Path, key: str, en: str, zh: str) -> AlertConfigError:
    return AlertConfigError(f"{path}: {key}: {en}", f"{path}：{key}：{zh}")


def _number(path: Path, key: str, raw, kind: type = float):
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (kind is int and not isinstance(raw, int)):
        want = ("a whole number", "整数") if kind is int else ("a number", "数字")
        raise _error(path, key, f"{raw!r} is not {want[0]}", f"“{raw}”不是{want[1]}")
    if raw < 0:
        raise _error(path, key, f"{raw!r} is negative", f"“{raw}”不能为负数")
    return kind(raw)


def _kpi(path: Path, key: str, raw) -> Kpi:
    if not isinstance(raw, str) or raw not in REGISTRY:
        raise _error(path, key, f"no KPI {raw!r}; the codes are those of `python -m etl kpis --format csv`",
                     f"没有指标“{raw}”；指标代码见 `python -m etl kpis --format csv`")
    return REGISTRY[raw]


def _unknown(path: Path, where: str, entry: dict, known) -> None:
    extra = [k for k in entry if k not in known]
    if extra:
        raise _error(path, f"{where}.{extra[0]}", f"unknown key; the keys are {', '.join(known)}",
                     f"未知的键；可用的键：{'、'.join(known)}")


def _rule(path: Path, n: int, entry) -> Rule:
    where = f"rule[{n}]"
    if not isinstance(entry, dict):
        raise _error(path, where, "each [[rule]] is a table of keys", "每个 [[rule]] 应是一组键值")
    _unknown(path, where, entry, ("kpi", *KPI_RULES, "comparator", "supplier"))
    if "kpi" not in entry:
        raise _error(path, f"{where}.kpi", "missing: the KPI code the rule watches", "缺少：规则所监视的指标代码")
    kpi = _kpi(path, f"{where}.kpi", entry["kpi"])
    kinds = [k for k in KPI_RULES if k in entry]
    if len(kinds) != 1:
        raise _error(path, where, f"give exactly one of {', '.join(KPI_RULES)}" + (f", not {' and '.join(kinds)}"
                                                                                    if kinds else ""),
                     f"须且只能给出 {'、'.join(KPI_RULES)} 中的一个")
    kind = kinds[0]
    key = f"{where}.{kind}"
    if kind != "threshold" and "comparator" in entry:
        raise _error(path, f"{where}.comparator", "only a threshold takes a comparator", "只有 threshold 规则可设 comparator")
    if kind != "control_chart" and "supplier" in entry:
        raise _error(path, f"{where}.supplier", "only a control_chart rule takes a supplier",
                     "只有 control_chart 规则可设 supplier")
    if kind == "threshold":
        comparator = entry.get("comparator")
        if comparator is None:
            if kpi.direction is None:
                raise _error(path, f"{where}.comparator", f"{kpi.code} has no better direction: give \">=\" or \"<=\"",
                             f"{kpi.code} 没有“越大越好/越小越好”之分：请给出 \">=\" 或 \"<=\"")
            comparator = ">=" if kpi.direction == "up" else "<="
        if comparator not in (">=", "<="):
            raise _error(path, f"{where}.comparator", f"{comparator!r} is not \">=\" or \"<=\"",
                         f"“{comparator}”应为 \">=\" 或 \"<=\"")
        return Rule(kind, kpi.code, where, _number(path, key, entry[kind]), comparator)
    if kind == "yoy_drop":
        if kpi.direction is None:
            raise _error(path, key, f"{kpi.code} has no better direction, so it cannot get worse",
                         f"{kpi.code} 没有“越大越好/越小越好”之分，无所谓变差")
        if kpi.aggregate == "last":
            raise _error(path, key, f"{kpi.code} is a level on a day, not compared with a year earlier",
                         f"{kpi.code} 是某一天的存量，不与上年同期比较")
        return Rule(kind, kpi.code, where, _number(path, key, entry[kind]))
    if entry[kind] is not True:
        raise _error(path, key, "write control_chart = true", "请写 control_chart = true")
    if kpi.step is None:
        steps = [k.code for k in REGISTRY.values() if k.step]
        raise _error(path, f"{where}.kpi", f"{kpi.code} has no control chart; those of {', '.join(steps)} do",
                     f"{kpi.code} 没有控制图；有控制图的指标：{'、'.join(steps)}")
    supplier = entry.get("supplier")
    if supplier is not None and (not isinstance(supplier, str) or not supplier.strip()):
        raise _error(path, f"{where}.supplier", "a supplier code as text", "应为供应商代码（文本）")
    if supplier is not None and kpi.step != "incoming":
        raise _error(path, f"{where}.supplier", "only incoming inspection has a chart per supplier",
                     "只有进厂检验有按供应商的控制图")
    return Rule(kind, kpi.code, where, supplier=supplier)


def _target(path: Path, n: int, entry) -> Target:
    where = f"target[{n}]"
    if not isinstance(entry, dict):
        raise _error(path, where, "each [[target]] is a table with url = \"…\"", "每个 [[target]] 应写 url = \"…\"")
    _unknown(path, where, entry, ("url",))
    url = entry.get("url")
    if not isinstance(url, str) or not re.match(r"[a-z][a-z0-9+.-]*://\S", url):
        raise _error(path, f"{where}.url", "an apprise URL such as wecombot://${QUALITY_WECOM_KEY} or "
                     "mailto://user:${QUALITY_SMTP_PASSWORD}@smtp.example.com?to=qa@example.com",
                     "应为 apprise 地址，例如 wecombot://${QUALITY_WECOM_KEY} 或 "
                     "mailto://user:${QUALITY_SMTP_PASSWORD}@smtp.example.com?to=qa@example.com")
    if "$" in ENV_REFERENCE.sub("", url):
        raise _error(path, f"{where}.url", "a secret from the environment is written ${NAME}",
                     "环境变量中的密钥应写成 ${NAME}")
    return Target(url, where)


def read_alert_config(path: Path | None) -> AlertConfig:
    """The alerts file (None: no file configured, no targets); AlertConfigError naming the file and the key of a bad
    entry."""
    if path is None:
        return AlertConfig(None)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AlertConfigError(f"{path}: cannot be read ({exc.strerror or exc})",
                               f"{path}：无法读取（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise AlertConfigError(f"{path}: not UTF-8 text", f"{path}：不是 UTF-8 文本") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AlertConfigError(f"{path}: not valid TOML: {exc}", f"{path}：TOML 格式有误：{exc}") from None
    _unknown(path, "(top level)", raw, ("alerts", "target", "rule"))
    general = raw.get("alerts", {})
    if not isinstance(general, dict):
        raise _error(path, "alerts", "[alerts] is a table", "[alerts] 应是一组键值")
    _unknown(path, "alerts", general, GENERAL)
    values = {}
    for key, (kind, default, _) in GENERAL.items():
        if key not in general:
            continue
        if kind is bool:
            if not isinstance(general[key], bool):
                raise _error(path, f"alerts.{key}", f"{general[key]!r} is not true or false",
                             f"“{general[key]}”应为 true 或 false")
            values[key] = general[key]
        else:
            values[key] = _number(path, f"alerts.{key}", general[key], kind)
    for key in ("target", "rule"):
        if key in raw and not isinstance(raw[key], list):
            raise _error(path, key, f"write [[{key}]] entries", f"请写成 [[{key}]] 条目")
    targets = tuple(_target(path, n, e) for n, e in enumerate(raw.get("target", []), 1))
    rules = tuple(_rule(path, n, e) for n, e in enumerate(raw.get("rule", []), 1))
    return AlertConfig(path, text, targets, rules, **values)


def expanded_url(target: Target, env: dict) -> tuple[str, list[str]]:
    """The target's URL with ${NAME} taken from env, and the secret values put in (to be masked wherever a text
    could show them); AlertConfigError naming the variable (never a value) when one is not set."""
    missing = [name for name in target.variables if not env.get(name)]
    if missing:
        raise AlertConfigError(f"{target.where}.url: the environment variable {missing[0]} is not set",
                               f"{target.where}.url：环境变量 {missing[0]} 未设置")
    secrets = [env[name] for name in target.variables]
    return ENV_REFERENCE.sub(lambda m: env[m.group(1)], target.url), secrets


def page_url(settings: Settings, page: str) -> str:
    """The address of a page of the dashboard: QUALITY_APP_URL and the page's path (the path alone without it)."""
    base = (settings.app_url or "").rstrip("/")
    return f"{base}/{page}" if base else f"/{page}"


# Rules ---------------------------------------------------------------------------------------------------


def kpi_page(code: str) -> str:
    """The page that shows a KPI."""
    return KPI_PAGE.get(code) or GROUP_PAGE.get(REGISTRY[code].group, "overview")


def best_case(kpi: Kpi, value: KpiValue) -> float | None:
    """The figure if every item still in progress turned out well: a rate with them all met, a count of bad things
    without them; other figures as they are."""
    ip = value.in_progress or 0
    if not ip or value.value is None:
        return value.value
    if kpi.unit == "%" and value.denominator is not None and value.numerator is not None:
        return 100.0 * (value.numerator + ip) / (value.denominator + ip)
    if kpi.unit == "count" and kpi.direction == "up":
        return value.value + ip
    return value.value


def miss_decided(kpi: Kpi, value: KpiValue, comparator: str, goal: float) -> bool:
    """Whether a figure that misses (comparator, goal) misses for good, so that an alert may say so.

    Work in progress: the miss stands only if the figure would still miss with every item in progress turning out
    well (best_case). A period still running (partial, a figure summed over its days so far): the days to come can
    still add items, so the miss stands only where no new item can mend it: a count of bad things (≤ target)
    already above it (counts only grow), or a rate or score whose target is its best possible value (≥ 100 %, a PPM
    or rate ≤ 0) once one item missed it. Any other running figure (a 97 % pass rate against ≥ 98 %) is not decided
    before its period ends. A level on the day (calibration_overdue) and a yearly figure are what they are."""
    if value.value is None or kpi_status(value.value, (comparator, goal)) != "missed":
        return False
    if kpi_status(best_case(kpi, value), (comparator, goal)) != "missed":
        return False
    if not value.partial or kpi.aggregate != "sum":
        return True
    if kpi.unit == "count":
        return comparator in ("<=", "=") and value.value > goal
    if comparator == ">=":
        return kpi.unit in ("%", "score") and goal >= 100
    return comparator == "<=" and goal <= 0


def judged_periods(kpi: Kpi, day: dt.date) -> list[Period]:
    """The periods a KPI is judged over as of day: the month before day's month (whole) and day's month (running
    until its last day); a level on the day (aggregate last) only day's month; a yearly KPI its year (the two
    months' years, once each)."""
    running = Period(day.year, day.month)
    last = day.replace(day=1) - dt.timedelta(days=1)
    previous = Period(last.year, last.month)
    if kpi.aggregate == "last":
        return [running]
    if kpi.aggregate == "year":
        return [Period(y) for y in dict.fromkeys((previous.year, running.year))]
    return [previous, running]


def _period_key(period: Period) -> str:
    return f"{period.year}" if period.month is None else f"{period.year}-{period.month:02d}"


def _kpi_facts(kpi: Kpi, value: KpiValue, period: Period, rule: str, comparator: str | None, goal: float | None,
               where: str | None = None) -> dict:
    return {"kpi": kpi.code, "rule": rule, "where": where, "year": period.year, "month": period.month,
            "partial": value.partial, "as_of": value.as_of.isoformat() if value.partial and value.as_of else None,
            "value": value.value, "numerator": value.numerator, "denominator": value.denominator,
            "in_progress": value.in_progress, "comparator": comparator, "goal": goal,
            "prior_value": value.prior_value, "delta": value.delta}


def _worse_by(kpi: Kpi, value: KpiValue) -> float | None:
    """How much worse the figure is than a year earlier (positive: worse), with work in progress at its best."""
    best = best_case(kpi, value)
    if best is None or value.prior_value is None:
        return None
    return (value.prior_value - best) if kpi.direction == "up" else (best - value.prior_value)


def kpi_alerts(con, config: AlertConfig, settings: Settings, day: dt.date) -> list[Alert]:
    """The KPI alerts as of day: targets missed for good, thresholds crossed for good, drops against a year earlier
    over a whole period (a running one is not settled: it is compared with the same days a year earlier)."""
    watched = {r.kpi for r in config.rules if r.kind != "control_chart"}
    codes = [c for c in REGISTRY if config.kpi_targets or c in watched]
    by_period: dict[Period, dict[str, KpiValue]] = {}
    for period in dict.fromkeys(p for c in codes for p in judged_periods(REGISTRY[c], day)):
        wanted = [c for c in codes if period in judged_periods(REGISTRY[c], day)]
        if not wanted:
            continue
        by_period[period] = {v.kpi: v for v in kpi_values(con, period, settings, today=day, codes=wanted)}
    found = []
    for period, values in by_period.items():
        for code, value in values.items():
            kpi = REGISTRY[code]
            page = kpi_page(code)
            if config.kpi_targets and value.comparator is not None and \
                    miss_decided(kpi, value, value.comparator, value.target):
                found.append(Alert(f"target:{code}:{_period_key(period)}", "target", page,
                                   _kpi_facts(kpi, value, period, "target", value.comparator, value.target)))
            for rule in (r for r in config.rules if r.kpi == code):
                if rule.kind == "threshold" and miss_decided(kpi, value, rule.comparator, rule.value):
                    found.append(Alert(f"threshold:{code}:{rule.comparator}{rule.value:g}:{_period_key(period)}",
                                       "threshold", page,
                                       _kpi_facts(kpi, value, period, "threshold", rule.comparator, rule.value,
                                                  rule.where)))
                if rule.kind == "yoy_drop" and not value.partial:
                    worse = _worse_by(kpi, value)
                    if worse is not None and worse >= rule.value - 1e-9 and worse > 0:
                        found.append(Alert(f"yoy_drop:{code}:{rule.value:g}:{_period_key(period)}", "yoy_drop", page,
                                           _kpi_facts(kpi, value, period, "yoy_drop", None, rule.value, rule.where)))
    return found


def control_chart_alerts(con, config: AlertConfig, settings: Settings, day: dt.date) -> list[Alert]:
    """Run-rule signals (warehouse.spc.signals) of the rules' control charts in the month before day's month and in
    day's month: a pass rate's p-chart (share of lots failed), a PPM's u-chart (defects per sampled unit), of each
    stage of the KPI's step (and of the rule's supplier). The month still running is judged by spc itself: by rule 1
    only (a point beyond 3σ for its own n), which no later day of the month takes back from the days so far.
    AlertConfigError naming the rule for a supplier the warehouse does not know."""
    from warehouse import spc

    last = day.replace(day=1) - dt.timedelta(days=1)
    months = {(last.year, last.month), (day.year, day.month)}
    found = []
    for rule in (r for r in config.rules if r.kind == "control_chart"):
        kpi = REGISTRY[rule.kpi]
        chart = "u" if kpi.unit == "ppm" else "p"
        for stage in STEPS[kpi.step]:
            try:
                flagged = spc.signals(con, stage, rule.supplier, as_of=day, kind=chart)
            except spc.SpcError as exc:
                raise AlertConfigError(f"{config.path}: {rule.where}.supplier: {exc}",
                                       f"{config.path}：{rule.where}.supplier：{exc.reason_zh}") from None
            for signal in flagged:
                if (signal.year, signal.month) not in months:
                    continue
                facts = {"kpi": kpi.code, "where": rule.where, "stage": stage, "supplier": rule.supplier,
                         "chart": chart, "year": signal.year, "month": signal.month, "rules": list(signal.rules),
                         "partial": signal.partial}
                found.append(Alert(f"control_chart:{kpi.code}:{stage}:{rule.supplier or ''}:{signal.label}",
                                   "control_chart", "suppliers" if rule.supplier else "inspections", facts))
    return found


def calibration_alerts(con, config: AlertConfig, day: dt.date) -> list[Alert]:
    """Instruments whose latest calibration is due again within calibration_due_days of day, or overdue."""
    found = []
    for r in sql.records(con, "read/calibration_due", as_of=day, horizon_days=config.calibration_due_days):
        if r["calibration_status"] not in ("due", "overdue"):
            continue
        facts = {"instrument": r["instrument"], "name": r["name"], "next_due_on": r["next_due_on"].isoformat(),
                 "days_left": r["days_left"], "status": r["calibration_status"],
                 "calibrated_on": r["calibrated_on"].isoformat() if r["calibrated_on"] else None}
        found.append(Alert(f"calibration_due:{r['instrument']}:{r['next_due_on']}", "calibration_due",
                           KIND_PAGE["calibration_due"], facts))
    return found


def complaint_alerts(con, config: AlertConfig, settings: Settings, now: dt.datetime) -> list[Alert]:
    """Milestones of complaints not done and due within complaint_due_hours of now, or overdue and still not done
    (complaints received in the last year; the complaint clock's own rules). Passing its deadline undone makes a
    milestone's alert a new one (overdue), so that it is sent again then rather than going quiet."""
    horizon = now + dt.timedelta(hours=config.complaint_due_hours)
    start = (now - dt.timedelta(days=366)).date()
    found = []
    for s in complaint_clock.complaint_clock(con, settings, today=now, start=start, end=now.date() + dt.timedelta(1)):
        if s.status not in ("pending", "missed") or s.done_at is not None or s.due_at is None or s.due_at > horizon:
            continue
        overdue = s.due_at < now
        facts = {"complaint": s.complaint_id, "milestone": s.milestone, "due_at": s.due_at.isoformat(),
                 "received_at": s.received_at.isoformat(), "hours_left": (s.due_at - now).total_seconds() / 3600,
                 "overdue": overdue, "provisional": s.provisional}
        found.append(Alert(f"complaint_due:{s.complaint_id}:{s.milestone}" + (":overdue" if overdue else ""),
                           "complaint_due", KIND_PAGE["complaint_due"], facts))
    return found


def scheduled_alerts(con, config: AlertConfig, settings: Settings, now: dt.datetime) -> list[Alert]:
    """Every alert the scheduled run evaluates, as of now (the plant's local time), on a warehouse connection."""
    day = now.date()
    return [*kpi_alerts(con, config, settings, day), *control_chart_alerts(con, config, settings, day),
            *calibration_alerts(con, config, day), *complaint_alerts(con, config, settings, now)]


def load_alerts(files: list[dict], config: AlertConfig) -> list[Alert]:
    """The alerts of one load from its files (dicts: name, hash, status, kind, rows, quarantined, reason_zh,
    reason_en): each file refused, each file with quarantined rows."""
    found = []
    for f in files:
        if config.load_refused and f["status"] == "refused":
            found.append(Alert(f"load_refused:{f['hash']}", "load_refused", KIND_PAGE["load_refused"],
                               {k: f.get(k) for k in ("name", "kind", "reason_zh", "reason_en")}))
        if config.load_quarantined and f["status"] == "loaded" and f.get("quarantined"):
            found.append(Alert(f"load_quarantined:{f['hash']}", "load_quarantined", KIND_PAGE["load_quarantined"],
                               {k: f.get(k) for k in ("name", "kind", "rows", "quarantined")}))
    return found


# State in the accounts file --------------------------------------------------------------------------------


def _record(row: dict) -> AlertRecord:
    return AlertRecord(row["id"], row["key"], row["kind"], row["family"], row["page"], json.loads(row["facts"]),
                       row["since"], row["cleared_at"])


def _facts_text(facts: dict) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)


def active_alerts(con) -> list[AlertRecord]:
    """The active alerts, oldest first, on a connection to the accounts file."""
    return [_record(r) for r in sql.records(con, "accounts/alert_active")]


def alert_history(con, limit: int = HISTORY_LIMIT) -> list[tuple[AlertRecord, dict]]:
    """The newest activations, active or cleared, newest first, each with its deliveries (attempts, delivered,
    last_sent_at)."""
    return [(_record(r), {k: r[k] for k in ("attempts", "delivered", "last_sent_at")})
            for r in sql.records(con, "accounts/alert_history", limit=limit)]


def failed_deliveries(con, limit: int = HISTORY_LIMIT) -> list[tuple[AlertRecord, dict]]:
    """Active alerts whose last delivery to a target failed (the next run tries again), with the target (masked),
    when, why and how many attempts failed."""
    return [(_record(r), {k: r[k] for k in ("target_shown", "attempted_at", "error", "failures")})
            for r in sql.records(con, "accounts/alert_deliveries_failed", limit=limit)]


@dataclass
class Plan:
    """What a run changes in the accounts file and which messages are due."""

    opened: list[Alert] = field(default_factory=list)           # new activations
    updated: list[tuple[AlertRecord, Alert]] = field(default_factory=list)  # active, figures changed
    cleared: list[AlertRecord] = field(default_factory=list)    # active, not found again by their family's run
    active: list[AlertRecord] = field(default_factory=list)     # active after the run (new ones without an id)
    due: list[tuple[AlertRecord, Target]] = field(default_factory=list)


def plan(con, found: list[Alert], families: set[str], send_families: set[str], targets: tuple[Target, ...],
         now: dt.datetime, repeat_hours: float) -> Plan:
    """What a run with these alerts found (by the runs of these families) changes, and the deliveries due: to each
    target, every active alert of send_families it has not received since it became active, or not for
    repeat_hours."""
    out = Plan()
    current = {a.key: a for a in active_alerts(con)}
    found_by_key = {a.key: a for a in found}
    for key, record in current.items():
        if record.family in families and key not in found_by_key:
            out.cleared.append(record)
            continue
        alert = found_by_key.get(key)
        if alert is not None and (_facts_text(alert.facts) != _facts_text(record.facts) or alert.page != record.page):
            out.updated.append((record, alert))
            record = AlertRecord(record.id, key, record.kind, record.family, alert.page,
                                 json.loads(_facts_text(alert.facts)), record.since)
        out.active.append(record)
    for key, alert in found_by_key.items():
        if key not in current:
            out.opened.append(alert)
            out.active.append(AlertRecord(None, key, alert.kind, alert.family, alert.page,
                                          json.loads(_facts_text(alert.facts)), now))
    last_sent = {(r["alert_id"], r["target"]): r["last_sent_at"]
                 for r in sql.records(con, "accounts/alert_last_deliveries")}
    repeat = dt.timedelta(hours=repeat_hours)
    for record in out.active:
        if record.family not in send_families:
            continue
        for target in targets:
            sent = last_sent.get((record.id, target.id))
            if sent is None or now - sent >= repeat:
                out.due.append((record, target))
    return out


def apply_plan(con, changes: Plan, now: dt.datetime) -> dict[str, int]:
    """Write a plan's activations, updates and clearings on a connection writing the accounts file; the ids of
    the new activations by key."""
    ids = {}
    for alert in changes.opened:
        ids[alert.key] = sql.rows(con, "accounts/alert_insert", key=alert.key, kind=alert.kind, family=alert.family,
                                  page=alert.page, facts=_facts_text(alert.facts), now=now)[0][0]
    for record, alert in changes.updated:
        sql.run(con, "accounts/alert_facts_update", id=record.id, facts=_facts_text(alert.facts), page=alert.page)
    for record in changes.cleared:
        sql.run(con, "accounts/alert_clear", id=record.id, now=now)
    return ids


def record_delivery(con, alert_id: int, target: Target, shown: str, at: dt.datetime, ok: bool,
                    error: str | None) -> None:
    """One attempt to deliver an alert to a target, on a connection writing the accounts file."""
    sql.run(con, "accounts/alert_delivery_insert", alert_id=alert_id, target=target.id, target_shown=shown,
            attempted_at=at, ok=ok, error=error)
