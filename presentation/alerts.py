"""The words of an alert (warehouse.alerts): its headline and what happened, by how much, since when, and the page
to open, in Chinese with the English below; and the rules of the alerts file said in words for the alerts page."""
from __future__ import annotations

import datetime as dt

from presentation.labels import spc_rule_label, t
from warehouse.alerts import AlertConfig, AlertRecord, page_url
from warehouse.complaint_clock import clock_rules
from warehouse.kpis import COMPARATOR_SIGN, REGISTRY, STEPS, Period, format_value
from warehouse.settings import Settings

LANGS = ("zh", "en")


def _plain(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def amount(x: float, unit: str, lang: str) -> str:
    """A difference in a KPI's unit: 4.0 个百分点 / 4.0 pp for a rate, else as the value is written."""
    if unit == "%":
        return t("alert.pp", lang).format(x=f"{x:.1f}")
    return format_value(x, unit, lang)


def target_words(comparator: str, goal: float, unit: str, lang: str) -> str:
    """≥ 98.0%, ≤ 0."""
    return f"{COMPARATOR_SIGN[comparator]} {format_value(goal, unit, lang)}"


def _period(facts: dict, lang: str) -> str:
    as_of = dt.date.fromisoformat(facts["as_of"]) if facts.get("as_of") else None
    return Period(facts["year"], facts.get("month"), as_of=as_of).label(lang)


def _counts(kpi, facts: dict, lang: str) -> str:
    if facts.get("denominator") is None or kpi.unit not in ("%",):
        return ""
    return t("alert.counts", lang).format(numerator=_plain(facts["numerator"]), denominator=_plain(facts["denominator"]),
                                          noun=kpi.noun_text(lang)).rstrip()


def chart_words(kpi_code: str, supplier: str | None, lang: str) -> str:
    """The chart a control-chart rule watches: the step's stages, and the supplier (or all of them)."""
    step = REGISTRY[kpi_code].step
    stages = "/".join(STEPS.get(step, ()))
    return f"{stages} · {supplier or t('alerts_chart_all', lang)}" if step == "incoming" else stages


def _kpi_what(record: AlertRecord, lang: str) -> str:
    f = record.facts
    kpi = REGISTRY[f["kpi"]]
    unit = kpi.unit
    words = {"kpi": kpi.label(lang), "period": _period(f, lang), "value": format_value(f["value"], unit, lang),
             "counts": _counts(kpi, f, lang)}
    if record.kind == "yoy_drop":
        worse = (f["prior_value"] - f["value"]) if kpi.direction == "up" else (f["value"] - f["prior_value"])
        text = t("alert.what.yoy_drop", lang).format(**words, prior=format_value(f["prior_value"], unit, lang),
                                                     gap=amount(worse, unit, lang), limit=amount(f["goal"], unit, lang))
    else:
        text = t(f"alert.what.{record.kind}", lang).format(
            **words, target=target_words(f["comparator"], f["goal"], unit, lang),
            gap=amount(abs(f["value"] - f["goal"]), unit, lang))
    more = []
    if f.get("in_progress"):
        more.append(t("alert.in_progress", lang).format(n=_plain(f["in_progress"])))
    if f.get("partial") and record.kind != "yoy_drop":
        more.append(t("alert.partial", lang))
    return ("" if lang == "zh" else " ").join([text, *more])


def _day(text: str, lang: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day:%-d %b %Y}" if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def _time(value: dt.datetime | str) -> str:
    at = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{at:%Y-%m-%d %H:%M}"


def alert_headline(record: AlertRecord, lang: str) -> str:
    """What the alert is about, in a few words (a message's title, a row of the alerts page)."""
    f = record.facts
    if record.kind in ("target", "threshold", "yoy_drop", "control_chart"):
        return t(f"alert.headline.{record.kind}", lang).format(kpi=REGISTRY[f["kpi"]].label(lang))
    if record.kind == "calibration_due" and f.get("status") == "overdue":
        return t("alert.headline.calibration_overdue", lang).format(**f)
    return t(f"alert.headline.{record.kind}", lang).format(**f)


def alert_what(record: AlertRecord, lang: str) -> str:
    """What happened and by how much, in one language."""
    f = record.facts
    kind = record.kind
    if kind in ("target", "threshold", "yoy_drop"):
        return _kpi_what(record, lang)
    if kind == "control_chart":
        month = Period(f["year"], f["month"]).label(lang)
        chart = f"{f['chart']}{t('alert.chart', lang)} {f['stage']}" + (f" · {f['supplier']}" if f.get("supplier") else "")
        text = t("alert.what.control_chart", lang).format(
            kpi=REGISTRY[f["kpi"]].label(lang), chart=chart, month=month,
            rules=("；" if lang == "zh" else "; ").join(spc_rule_label(r, lang) for r in f["rules"]))
        return text + (("" if lang == "zh" else " ") + t("alert.chart_partial", lang) if f.get("partial") else "")
    if kind == "load_refused":
        return t("alert.what.load_refused", lang).format(name=f["name"], reason=f["reason_zh" if lang == "zh" else "reason_en"])
    if kind == "load_quarantined":
        return t("alert.what.load_quarantined", lang).format(name=f["name"], rows=_plain(f["rows"]),
                                                             quarantined=_plain(f["quarantined"]))
    if kind == "calibration_due":
        overdue = f.get("status") == "overdue"
        return t("alert.what.calibration_overdue" if overdue else "alert.what.calibration_due", lang).format(
            instrument=f["instrument"], name=f.get("name") or t("alert.no_name", lang), due=_day(f["next_due_on"], lang),
            days=abs(int(f["days_left"])))
    if kind == "complaint_due":
        rules = {m.code: m for m in clock_rules().milestones}
        rule = rules.get(f["milestone"])
        milestone = (rule.label_en if lang == "en" else rule.label_zh) if rule else f["milestone"]
        key = "alert.what.complaint_overdue" if f.get("overdue") else "alert.what.complaint_due"
        return t(key, lang).format(complaint=f["complaint"], milestone=milestone, due=_time(f["due_at"]),
                                   hours=f"{abs(f['hours_left']):.1f}")
    return record.key


def alert_message(record: AlertRecord, settings: Settings) -> tuple[str, str]:
    """(title, body) of an alert's message: Chinese first, the English below; what, by how much, since when, and the
    address of the page to open (QUALITY_APP_URL and the page's path)."""
    url = page_url(settings, record.page)
    title = " · ".join(t("alert.title", lang).format(what=alert_headline(record, lang)) for lang in LANGS)
    blocks = []
    for lang in LANGS:
        blocks.append("\n".join([alert_what(record, lang), t("alert.since", lang).format(since=_time(record.since)),
                                 t("alert.open", lang).format(url=url)]))
    return title, "\n\n".join(blocks)


def alert_rules_in_words(config: AlertConfig, lang: str) -> list[str]:
    """Each rule of the alerts file (and the built-in ones, as the file sets them) in one sentence."""
    lines = [t("alerts_rule.kpi_targets" if config.kpi_targets else "alerts_rule.kpi_targets_off", lang)]
    for rule in config.rules:
        kpi = REGISTRY[rule.kpi]
        words = {"where": rule.where, "kpi": kpi.label(lang)}
        if rule.kind == "threshold":
            lines.append(t("alerts_rule.threshold", lang).format(
                **words, target=target_words(rule.comparator, rule.value, kpi.unit, lang)))
        elif rule.kind == "yoy_drop":
            lines.append(t("alerts_rule.yoy_drop", lang).format(**words, limit=amount(rule.value, kpi.unit, lang)))
        else:
            lines.append(t("alerts_rule.control_chart", lang).format(**words,
                                                                     chart=chart_words(rule.kpi, rule.supplier, lang)))
    lines.append(t("alerts_rule.calibration", lang).format(days=config.calibration_due_days))
    lines.append(t("alerts_rule.complaint", lang).format(hours=f"{config.complaint_due_hours:g}"))
    if config.load_refused:
        lines.append(t("alerts_rule.load_refused", lang))
    if config.load_quarantined:
        lines.append(t("alerts_rule.load_quarantined", lang))
    lines.append(t("alerts_rule.repeat", lang).format(hours=f"{config.repeat_hours:g}"))
    return lines
