"""The complaint clock: when each milestone of a customer complaint is due, and whether it was met.

The rules live in complaint_clock.toml; the foreign reply time comes from Settings.foreign_reply_hours.
Working days follow China's official calendar (the `holidays` package, make-up working weekends
included). Years the package has no State Council notice for fall back to Mon–Fri and are provisional.
"""
from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

import holidays

from warehouse import sql
from warehouse.settings import Settings, load_settings

REGIONS = ("in_province", "out_of_province", "abroad")
STATUSES = ("met", "missed", "pending", "not_applicable")


@dataclass(frozen=True)
class MilestoneRule:
    """One milestone of the clock, as configured."""

    code: str
    label_zh: str
    label_en: str
    starts: str
    done: str
    unit: str                      # hours, days, working_days
    due: dict                      # region -> number, or the name of a Settings field
    rule_zh: str
    rule_en: str
    source: dict                   # {"zh": ..., "en": ...}
    setting_source: dict           # setting value ("48") or "other" -> {"zh": ..., "en": ...}
    when: str | None = None


@dataclass(frozen=True)
class ClockRules:
    """The whole clock configuration."""

    unknown_region: str
    unknown_region_note: dict
    fallback_working_weekdays: tuple[int, ...]
    region_label: dict
    milestones: tuple[MilestoneRule, ...]


@dataclass(frozen=True)
class MilestoneStatus:
    """One milestone of one complaint: when it was due, when it was done, and the verdict."""

    complaint_id: str
    received_at: dt.datetime
    milestone: str
    label: str
    region: str                    # the region whose rule applied
    region_known: bool             # False: neither complaint nor customer had a region (domestic rule used)
    rule: str                      # the rule used, in words (says which report section)
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    status: str                    # met, missed, pending, not_applicable
    provisional: bool              # the due time relies on days the official calendar does not cover yet


@functools.lru_cache(maxsize=8)
def clock_rules(text: str | None = None) -> ClockRules:
    """The clock rules from the packaged complaint_clock.toml (or from the TOML text given)."""
    if text is None:
        text = (resources.files("warehouse") / "complaint_clock.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    milestones = tuple(
        MilestoneRule(
            code=m["code"], label_zh=m["label_zh"], label_en=m["label_en"], starts=m["starts"],
            done=m["done"], unit=m["unit"], due=dict(m["due"]), rule_zh=m["rule_zh"], rule_en=m["rule_en"],
            source=dict(m["source"]), setting_source=dict(m.get("setting_source", {})), when=m.get("when"),
        )
        for m in raw["milestone"]
    )
    for m in milestones:
        if m.unit not in ("hours", "days", "working_days"):
            raise ValueError(f"complaint clock milestone {m.code}: unknown unit {m.unit!r}")
    return ClockRules(
        unknown_region=raw["unknown_region"],
        unknown_region_note=dict(raw["unknown_region_note"]),
        fallback_working_weekdays=tuple(raw["fallback_working_weekdays"]),
        region_label=dict(raw["region_label"]),
        milestones=milestones,
    )


# Working days ----------------------------------------------------------------------------------


def official_calendar_years() -> frozenset[int]:
    """Years for which the holidays package carries the State Council's holiday notice."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return frozenset(ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):  # a future package layout: treat every year as provisional
        return frozenset()


@functools.lru_cache(maxsize=1)
def _china_calendar() -> tuple[frozenset[int], holidays.HolidayBase]:
    """The official years and a China calendar populated for them (never expanded later: thread-safe)."""
    years = official_calendar_years()
    return years, holidays.China(years=sorted(years))


def working_day(day: dt.date, fallback_weekdays: tuple[int, ...] | None = None) -> tuple[bool, bool]:
    """(is a working day, provisional): official calendar, or the configured weekday fallback."""
    years, calendar = _china_calendar()
    if day.year in years:
        return calendar.is_working_day(day), False
    if fallback_weekdays is None:
        fallback_weekdays = clock_rules().fallback_working_weekdays
    return day.weekday() in fallback_weekdays, True


def add_working_days(start: dt.datetime, n: int,
                     fallback_weekdays: tuple[int, ...] | None = None) -> tuple[dt.datetime, bool]:
    """(the same time of day on the nth working day after start's date, provisional)."""
    if fallback_weekdays is None:
        fallback_weekdays = clock_rules().fallback_working_weekdays
    day, counted, provisional = start.date(), 0, False
    while counted < n:
        day += dt.timedelta(days=1)
        works, uncovered = working_day(day, fallback_weekdays)
        provisional = provisional or uncovered
        counted += works
    return dt.datetime.combine(day, start.time()), provisional


# The clock ---------------------------------------------------------------------------------------


def clock_now(today: dt.date | dt.datetime | None = None, settings: Settings | None = None) -> dt.datetime:
    """The instant the clock judges at: now at the plant, the datetime given, or the end of the date given."""
    if today is None:
        return (settings or load_settings()).plant_now()
    if isinstance(today, dt.datetime):
        return today
    return dt.datetime.combine(today, dt.time.max)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _amount_and_source(rule: MilestoneRule, region: str, settings: Settings) -> tuple[float, dict] | None:
    """How long the milestone may take in this region and which source says so; None: not applicable."""
    raw = rule.due.get(region)
    if raw is None:
        return None
    if isinstance(raw, str):
        amount = float(getattr(settings, raw))
        source = rule.setting_source.get(_number(amount)) or rule.setting_source.get("other") or rule.source
        return amount, source
    return float(raw), rule.source


def due_after(start: dt.datetime, amount: float, unit: str, rules: ClockRules) -> tuple[dt.datetime, bool]:
    """(due time, provisional) for a milestone of amount units after start."""
    if unit == "hours":
        return start + dt.timedelta(hours=amount), False
    if unit == "days":
        return start + dt.timedelta(days=amount), False
    return add_working_days(start, int(amount), rules.fallback_working_weekdays)


def milestone_verdict(due_at: dt.datetime | None, done_at: dt.datetime | None, now: dt.datetime) -> str:
    """met / missed / pending for an applicable milestone."""
    if done_at is not None:
        return "met" if due_at is None or done_at <= due_at else "missed"
    if due_at is None or now <= due_at:
        return "pending"
    return "missed"


def milestone_statuses(complaint: dict, rules: ClockRules, settings: Settings, now: dt.datetime,
                       lang: str = "zh") -> list[MilestoneStatus]:
    """Every configured milestone of one complaint (a dict of complaint columns plus its region)."""
    lang = "en" if lang == "en" else "zh"
    region_known = complaint.get("region") in REGIONS
    region = complaint["region"] if region_known else rules.unknown_region
    out = []
    for rule in rules.milestones:
        label = rule.label_en if lang == "en" else rule.label_zh
        done_at = complaint.get(rule.done)
        start = complaint.get(rule.starts)
        found = _amount_and_source(rule, region, settings)
        applies = found is not None and (rule.when is None or bool(complaint.get(rule.when)))
        due_at, provisional = None, False
        sep = ": " if lang == "en" else "："
        text = rules.region_label[region][lang] + sep + ("not applicable" if lang == "en" else "不适用")
        if found is not None:
            amount, source = found
            template = rule.rule_en if lang == "en" else rule.rule_zh
            text = template.format(region=rules.region_label[region][lang], n=_number(amount), source=source[lang])
            if not region_known:
                text += ("; " if lang == "en" else "；") + rules.unknown_region_note[lang]
        if not applies or (start is None and done_at is None and complaint.get("closed_at") is not None):
            status = "not_applicable"
        else:
            if start is not None:
                due_at, provisional = due_after(start, found[0], rule.unit, rules)
            status = milestone_verdict(due_at, done_at, now)
        out.append(MilestoneStatus(
            complaint_id=complaint["id"], received_at=complaint["received_at"], milestone=rule.code, label=label,
            region=region, region_known=region_known, rule=text, due_at=due_at, done_at=done_at, status=status,
            provisional=provisional,
        ))
    return out


def _complaint_rows(con, start: dt.date | None, end: dt.date | None, complaint_ids: list[str] | None) -> list[dict]:
    return sql.records(con, "read/complaint_clock_facts", start=start, end=end,
                       ids=list(complaint_ids) if complaint_ids else None)


def complaint_clock(con, settings: Settings | None = None, today: dt.date | dt.datetime | None = None,
                    complaint_ids: list[str] | None = None, lang: str = "zh",
                    start: dt.date | None = None, end: dt.date | None = None) -> list[MilestoneStatus]:
    """Milestone statuses of the complaints (received in [start, end) and/or with these ids), as of today."""
    settings = settings or load_settings()
    rules = clock_rules()
    now = clock_now(today, settings)
    return [
        status
        for complaint in _complaint_rows(con, start, end, complaint_ids)
        for status in milestone_statuses(complaint, rules, settings, now, lang)
    ]


def complaint_verdict(statuses) -> str:
    """One complaint's verdict from its milestones' statuses: missed when any milestone was missed, else pending
    when any is pending, else met (not-applicable milestones say nothing)."""
    found = set(statuses)
    return "missed" if "missed" in found else "pending" if "pending" in found else "met"


def complaints_on_time(con, start: dt.date, end: dt.date, settings: Settings | None = None,
                       today: dt.date | dt.datetime | None = None) -> list[tuple[str, dt.datetime, bool, bool]]:
    """(complaint id, received at, due so far, on time) of each complaint received in [start, end), as of today: a
    complaint is due so far once a milestone is met or missed (or none is pending), on time when none is missed;
    while its milestones are pending (not yet due) and none is met, it is in progress (not due so far)."""
    statuses: dict[str, list[str]] = {}
    received: dict[str, dt.datetime] = {}
    for s in complaint_clock(con, settings, today, start=start, end=end):
        received[s.complaint_id] = s.received_at
        statuses.setdefault(s.complaint_id, []).append(s.status)
    out = []
    for cid, at in received.items():
        verdict = complaint_verdict(statuses[cid])
        judged = verdict != "pending" or "met" in statuses[cid]
        out.append((cid, at, judged, judged and verdict != "missed"))
    return out


def complaints_on_time_by_month(con, start: dt.date, end: dt.date, settings: Settings | None = None,
                                today: dt.date | dt.datetime | None = None) -> list[tuple[int, int, int, int, int]]:
    """(year, month, on time, due so far, in progress) per month of receipt (see complaints_on_time)."""
    counts: dict[tuple[int, int], list[int]] = {}
    for _, at, judged, on_time in complaints_on_time(con, start, end, settings, today):
        bucket = counts.setdefault((at.year, at.month), [0, 0, 0])
        bucket[0] += on_time
        bucket[1] += judged
        bucket[2] += not judged
    return [(y, m, on_time, due, waiting) for (y, m), (on_time, due, waiting) in sorted(counts.items())]
