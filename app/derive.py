"""Small tables the pages derive from query results: pure functions of frames, no Streamlit, no SQL."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from warehouse import rules, spc
from warehouse.complaint_clock import clock_rules, complaint_verdict
from warehouse.kpis import wilson_interval


def with_wilson(frame: pd.DataFrame, passed: str, total: str) -> pd.DataFrame:
    """The frame with low / high columns: the 95 % Wilson interval (%) where the rate rests on few lots."""
    out = frame.copy()
    bounds = [wilson_interval(p, n) if n and n < rules.WILSON_BELOW_LOTS else None
              for p, n in zip(out[passed].fillna(0), out[total].fillna(0))]
    out["low"] = [b[0] if b else None for b in bounds]
    out["high"] = [b[1] if b else None for b in bounds]
    return out


def control_chart_points(chart: spc.Chart | None) -> pd.DataFrame:
    """A control chart (warehouse.spc) as the frame its chart draws: year, month, lots (n), failed (the count), p (the
    value: % on a p-chart, per unit on a u-chart), centre, ucl, lcl, signal (a rule broken), partial, rules (the names
    joined by ';') and numbers (the rules' numbers, '2,4')."""
    columns = ["year", "month", "lots", "failed", "p", "centre", "ucl", "lcl", "signal", "partial", "rules", "numbers"]
    if chart is None or not chart.points:
        return pd.DataFrame(columns=columns)
    scale = 100.0 if chart.kind == "p" else 1.0
    return pd.DataFrame([{
        "year": p.year, "month": p.month, "lots": p.n, "failed": p.count, "p": scale * p.value,
        "centre": scale * p.centre, "ucl": scale * p.ucl, "lcl": scale * p.lcl, "signal": bool(p.rules),
        "partial": p.partial, "rules": ";".join(p.rules),
        "numbers": ",".join(str(spc.RULE_NUMBER[r]) for r in p.rules)} for p in chart.points], columns=columns)


def suggested_grade(pass_rate: float | None, ppm: float | None, lots: float | None) -> str | None:
    """The grade a year of incoming inspection suggests (rules.GRADE_THRESHOLDS); None with too few lots."""
    if not lots or lots < rules.GRADE_MIN_LOTS or pass_rate is None or pd.isna(pass_rate):
        return None
    ppm = 0.0 if ppm is None or pd.isna(ppm) else ppm
    for grade, min_rate, max_ppm in rules.GRADE_THRESHOLDS:
        if pass_rate >= min_rate and ppm <= max_ppm:
            return grade
    return rules.GRADE_OTHERWISE


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def audit_status(audits: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Per supplier: the audit its risk class needs (rules.AUDIT_RULES), the last one that counts, when the next is
    due and its status: overdue, due (within rules.AUDIT_DUE_SOON_DAYS), ok, or never (no audit on record)."""
    rows = []
    for r in audits.to_dict("records"):
        kinds, months = rules.AUDIT_RULES.get(r["risk_class"], (("on_site", "document"), 12))
        dates = [r.get(f"last_{kind}") for kind in kinds]
        dates = [pd.Timestamp(d).date() for d in dates if d is not None and not pd.isna(d)]
        last = max(dates) if dates else None
        due = _add_months(last, months) if last else None
        if due is None:
            status = "never"
        elif due < day:
            status = "overdue"
        elif (due - day).days <= rules.AUDIT_DUE_SOON_DAYS:
            status = "due"
        else:
            status = "ok"
        rows.append({"supplier": r["supplier"], "name": r["name"], "risk_class": r["risk_class"],
                     "audit_kind": "on_site" if kinds == ("on_site",) else "any", "interval_months": months,
                     "last_audit": last, "next_due": due,
                     "days_left": None if due is None else (due - day).days, "audit_status": status})
    order = {"never": 0, "overdue": 1, "due": 2, "ok": 3}
    out = pd.DataFrame(rows, columns=["supplier", "name", "risk_class", "audit_kind", "interval_months",
                                      "last_audit", "next_due", "days_left", "audit_status"])
    return out.sort_values(["audit_status", "next_due"], key=lambda s: s.map(order) if s.name == "audit_status"
                           else s, kind="stable").reset_index(drop=True)


def complaint_summary(register: pd.DataFrame, milestones: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """One row per complaint: open or not, age in days, and its clock verdict (missed if any milestone was missed,
    else pending if any is pending, else met); open complaints first, oldest first."""
    verdict = {cid: complaint_verdict(group["status"])
               for cid, group in (milestones.groupby("complaint_id") if not milestones.empty else [])}
    out = register.copy()
    out["open"] = out["closed_at"].isna()
    ends = out["closed_at"].where(~out["open"], pd.Timestamp(now))
    out["age_days"] = (ends - out["received_at"]).dt.total_seconds() / 86400
    out["clock"] = out["id"].map(verdict).fillna("met")
    return out.sort_values(["open", "age_days"], ascending=[False, False]).reset_index(drop=True)


def milestone_timeliness(milestones: pd.DataFrame) -> pd.DataFrame:
    """Per milestone (in the clock's order): complaints met, missed and pending, and the share met of those decided
    (met / (met + missed), %); not-applicable milestones left out."""
    columns = ["milestone", "label", "met", "missed", "pending", "on_time_share"]
    applicable = milestones[milestones["status"] != "not_applicable"] if not milestones.empty else milestones
    if applicable.empty:
        return pd.DataFrame(columns=columns)
    counts = applicable.pivot_table(index=["milestone", "label"], columns="status", values="complaint_id",
                                    aggfunc="count", fill_value=0).reset_index()
    for status in ("met", "missed", "pending"):
        if status not in counts:
            counts[status] = 0
    decided = counts["met"] + counts["missed"]
    counts["on_time_share"] = (100.0 * counts["met"] / decided.where(decided > 0)).astype(float)
    order = {rule.code: i for i, rule in enumerate(clock_rules().milestones)}
    counts = counts.sort_values("milestone", key=lambda s: s.map(order)).reset_index(drop=True)
    return counts[columns]


def milestone_counts(timeliness: pd.DataFrame) -> pd.DataFrame:
    """The timeliness table in long form for a stacked chart: label, status, complaints."""
    return timeliness.melt(id_vars=["label"], value_vars=["met", "missed", "pending"], var_name="status",
                           value_name="complaints")


def region_counts(summary: pd.DataFrame) -> pd.DataFrame:
    """Per market (domestic: in- and out-of-province; foreign: abroad), region and clock verdict: complaints."""
    columns = ["market", "region", "clock", "complaints"]
    if summary.empty:
        return pd.DataFrame(columns=columns)
    regions = summary["region"].fillna("unknown")
    out = summary.assign(region=regions).groupby(["region", "clock"], as_index=False).size()
    out["market"] = out["region"].map(lambda r: "foreign" if r == "abroad" else "domestic")
    return out.rename(columns={"size": "complaints"})[columns]


def kpi_table(yearly: pd.DataFrame, columns: dict[str, str], field: str = "value") -> pd.DataFrame:
    """Registry values per year (rows of data.yearly_kpis) side by side: one row per year, one column per KPI."""
    if yearly.empty:
        return pd.DataFrame(columns=["year", *columns.values()])
    wide = yearly.pivot_table(index="year", columns="kpi", values=field, aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(columns)).rename(columns=columns).reset_index()
    wide.columns.name = None
    return wide


def grade_counts(table7: pd.DataFrame) -> pd.DataFrame:
    """Table 7 in long form for a stacked chart: year, grade, suppliers."""
    long = table7.melt(id_vars="year", value_vars=["A", "B", "C"], var_name="grade", value_name="suppliers")
    return long.dropna(subset=["suppliers"])


def supplier_scorecard(register: pd.DataFrame, incoming: pd.DataFrame, audits: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per supplier: risk class, assigned and suggested grade, the year's incoming lots, pass rate, PPM and change
    against the year before, satisfaction, and its audit status."""
    this = incoming[incoming["year"] == year][["supplier", "lots", "pass_rate", "ppm"]]
    prior = incoming[incoming["year"] == year - 1][["supplier", "pass_rate", "ppm"]].rename(
        columns={"pass_rate": "prior_pass_rate", "ppm": "prior_ppm"})
    out = register.merge(this, on="supplier", how="left").merge(prior, on="supplier", how="left")
    out["delta"] = out["pass_rate"] - out["prior_pass_rate"]
    out["suggested_grade"] = [suggested_grade(r, p, n) for r, p, n in zip(out["pass_rate"], out["ppm"], out["lots"])]
    out["grade_check"] = [
        "no_data" if s is None or a is None or pd.isna(a) else "same" if s == a else "better" if s < a else "worse"
        for s, a in zip(out["suggested_grade"], out["grade"])]
    status = audits[["supplier", "audit_status", "next_due"]] if not audits.empty else None
    if status is not None:
        out = out.merge(status, on="supplier", how="left")
    return out[["supplier", "name", "risk_class", "grade", "suggested_grade", "grade_check", "prior_grade", "lots",
                "pass_rate", "prior_pass_rate", "delta", "ppm", "prior_ppm", "satisfaction"]
               + (["audit_status", "next_due"] if status is not None else [])]


def year_against_prior(frame: pd.DataFrame, key: str, year: int, count: str) -> pd.DataFrame:
    """Scores per key for the year beside the year before: key, score, count, prior_score, delta."""
    this = frame[frame["year"] == year][[key, "score", count]]
    prior = frame[frame["year"] == year - 1][[key, "score"]].rename(columns={"score": "prior_score"})
    out = this.merge(prior, on=key, how="outer")
    out["delta"] = out["score"] - out["prior_score"]
    return out.sort_values(key).reset_index(drop=True)


def audit_sentence(action: str, detail, lang: str) -> str:
    """An audit-log entry as a sentence in lang, from its action and its JSON detail (the label catalogue's
    audit.<action>; an action without one: its name and the detail's values)."""
    import json
    from collections import defaultdict

    from app.i18n import TEXTS, enum_label, t

    if isinstance(detail, (dict, list)):
        found = detail
    elif isinstance(detail, str) and detail:
        try:
            found = json.loads(detail)
        except ValueError:
            found = {"detail": detail}
    else:                                   # no detail (None, or a missing value of the table)
        found = {}
    values = found if isinstance(found, dict) else {"detail": found}
    join = "、" if lang != "en" else ", "
    shown = {k: join.join(map(str, v)) if isinstance(v, (list, tuple)) else ("—" if v is None else str(v))
             for k, v in values.items()}
    fields = defaultdict(lambda: "—", shown)
    fields["role_label"] = enum_label("role", values.get("role"), lang)
    fields["kind_label"] = enum_label("source_kind", values.get("kind"), lang)
    password = f"audit.password.{values.get('password')}"
    fields["password_note"] = t(password, lang) if password in TEXTS else ""
    key = f"audit.{action}"
    if key in TEXTS:
        return t(key, lang).format_map(fields)
    label = enum_label("action", action, lang)
    return t("audit.other", lang).format(action=label, values=join.join(shown.values())) if shown else label
