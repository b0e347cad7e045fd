"""Control charts of inspection (SPC): per month, a p-chart of the share of lots failed and a u-chart of defects per
sampled unit, with limits from a baseline period for each month's own n, and the Western Electric / Nelson run rules.

Pure part (lists in, lists out; no warehouse):
    centre(samples)                          Σ count / Σ n of the samples: p̄ (failed lots / lots) or ū (defects / units)
    sigma(kind, centre, n)                   one month's σ: √(p̄(1−p̄)/n) for a p-chart, √(ū/n) for a u-chart
    chart_points(kind, samples, centre)      each month's value, limits, z = (value − centre) / σ and the rules broken
    broken_rules(z, values, partial)         per point, the rules whose pattern ends on it

Warehouse part:
    monthly_samples(con, stage, kind, first, last, supplier=None, as_of=None)   the months' counts (read/spc_monthly)
    control_chart(con, stage, kind="p", supplier=None, first=None, last=None, baseline=None, as_of=None) -> Chart
    signals(con, stage, supplier=None, as_of=None, kind="p", months=12, baseline=None) -> list[Signal]
    chart_csv(chart)                         month,lots,failed,p,centre,lcl,ucl,rules (u-chart: units,defects,u,...)

The rules (numbered as docs/kpi-definitions.md and the pages say them); a rule is flagged on the point that completes
its pattern:
    1 beyond_3sigma         the point is beyond a 3σ limit (|z| > 3)
    2 2_of_3_beyond_2sigma  2 of the last 3 points beyond 2σ on the same side, the point one of them (the first
                            points of a chart: 2 of those so far)
    3 4_of_5_beyond_1sigma  4 of the last 5 points beyond 1σ on the same side, the point one of them
    4 8_on_one_side         the point and the 7 before it on the same side of the centre line
    5 6_trending            6 points in a row steadily rising or falling (5 rises or 5 falls in a row; a tie breaks it)
A point exactly on the centre line is on neither side. Rules 2 and 3 use z, so they hold with a different n every
month; rule 5 follows the plotted values. Months without lots are not points: the runs count the months with data.
The month still running (partial: its days so far) is judged by rule 1 only, against the limits for its own n, and
is never part of the baseline.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass

from warehouse import sql
from warehouse.errors import BilingualError
from warehouse.settings import load_settings

STAGES = ("IQC", "IPQC", "FQC", "OQC")
KINDS = ("p", "u")
DEFAULT_MONTHS = 12      # a chart without a first month shows this many months up to its last


@dataclass(frozen=True)
class Rule:
    """One run rule: its number (规则N) and its name (the CSV's and the label catalogue's code, spc_rule.<name>)."""

    number: int
    name: str


RULES = (Rule(1, "beyond_3sigma"), Rule(2, "2_of_3_beyond_2sigma"), Rule(3, "4_of_5_beyond_1sigma"),
         Rule(4, "8_on_one_side"), Rule(5, "6_trending"))
RULE_NUMBER = {r.name: r.number for r in RULES}
CSV_HEADER = {"p": ["month", "lots", "failed", "p", "centre", "lcl", "ucl", "rules"],
              "u": ["month", "units", "defects", "u", "centre", "lcl", "ucl", "rules"]}
_EPS = 1e-9              # a point on a limit is not beyond it (rounding aside)


class SpcError(BilingualError):
    """A control chart that cannot be drawn as asked: a bad stage, month or chart kind, an unknown supplier, a baseline
    without data."""


@dataclass(frozen=True)
class Sample:
    """One month's counts: n (lots, or sampled units) and count (failed lots, or defects)."""

    year: int
    month: int
    n: float
    count: float
    partial: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class ChartPoint:
    """One month on a control chart: its value (p or u, a fraction), the limits for its n, z and the rules broken."""

    year: int
    month: int
    n: float
    count: float
    value: float
    centre: float
    lcl: float
    ucl: float
    z: float
    partial: bool
    rules: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Chart:
    """A control chart of one stage (and supplier): its points and the baseline its centre line came from."""

    kind: str
    stage: str
    supplier: str | None
    baseline: tuple[tuple[int, int], tuple[int, int]]
    centre: float
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True)
class Signal:
    """A month whose point broke at least one rule: what alerts and lists beside a chart name."""

    stage: str
    supplier: str | None
    kind: str
    year: int
    month: int
    rules: tuple[str, ...]
    partial: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


# The arithmetic --------------------------------------------------------------------------------------------------


def centre(samples) -> float | None:
    """Σ count / Σ n (p̄ or ū) of the samples; None when they have no n."""
    n = sum(s.n for s in samples)
    return sum(s.count for s in samples) / n if n > 0 else None


def sigma(kind: str, centre_line: float, n: float) -> float:
    """The standard deviation of one month's value about the centre line, for its n."""
    if kind == "p":
        return math.sqrt(centre_line * (1 - centre_line) / n)
    if kind == "u":
        return math.sqrt(centre_line / n)
    raise ValueError(f"a control chart is 'p' or 'u', not {kind!r}")


def _z(value: float, centre_line: float, s: float) -> float:
    if s > 0:
        return (value - centre_line) / s
    return 0.0 if abs(value - centre_line) <= _EPS else math.copysign(math.inf, value - centre_line)


def _side(z: float) -> int:
    return 1 if z > 0 else -1 if z < 0 else 0


def _k_of_m(z: list[float], i: int, k: int, m: int, beyond: float) -> bool:
    """Whether k of the m points ending at i (at the start of a chart: of the points so far) lie beyond `beyond` σ on
    the side of point i, point i among them."""
    if abs(z[i]) <= beyond + _EPS:
        return False
    side = _side(z[i])
    return sum(1 for x in z[max(0, i - m + 1):i + 1] if _side(x) == side and abs(x) > beyond + _EPS) >= k


def broken_rules(z: list[float], values: list[float], partial: list[bool] | None = None) -> list[tuple[str, ...]]:
    """Per point, the names of the rules (RULES) whose pattern the point completes; a partial point is judged by
    rule 1 only (and ends every run before it is counted)."""
    partial = partial or [False] * len(z)
    out = []
    for i in range(len(z)):
        found = []
        if abs(z[i]) > 3 + _EPS:
            found.append("beyond_3sigma")
        if not partial[i]:
            if _k_of_m(z, i, 2, 3, 2):
                found.append("2_of_3_beyond_2sigma")
            if _k_of_m(z, i, 4, 5, 1):
                found.append("4_of_5_beyond_1sigma")
            side = _side(z[i])
            if side and i >= 7 and all(_side(x) == side for x in z[i - 7:i + 1]):
                found.append("8_on_one_side")
            if i >= 5:
                steps = [values[j + 1] - values[j] for j in range(i - 5, i)]
                if all(d > _EPS for d in steps) or all(d < -_EPS for d in steps):
                    found.append("6_trending")
        out.append(tuple(found))
    return out


def chart_points(kind: str, samples: list[Sample], centre_line: float) -> list[ChartPoint]:
    """The samples (months with n > 0, in order) on a chart with that centre line: each month's value, its limits
    centre ± 3σ for its own n (the lower one at least 0; a p-chart's upper one at most 1), z and the rules broken."""
    samples = [s for s in samples if s.n > 0]
    values = [s.count / s.n for s in samples]
    sigmas = [sigma(kind, centre_line, s.n) for s in samples]
    z = [_z(v, centre_line, s) for v, s in zip(values, sigmas)]
    rules = broken_rules(z, values, [s.partial for s in samples])
    top = 1.0 if kind == "p" else math.inf
    return [ChartPoint(s.year, s.month, s.n, s.count, v, centre_line, max(0.0, centre_line - 3 * sd),
                       min(top, centre_line + 3 * sd), zi, s.partial, r)
            for s, v, sd, zi, r in zip(samples, values, sigmas, z, rules)]


# Months ----------------------------------------------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    """A month written YYYY-MM as (year, month)."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        dt.date(year, month, 1)
        if len(text.strip()) != 7:
            raise ValueError
    except ValueError:
        raise SpcError(f"not a month as YYYY-MM: {text!r}", f"月份应写作 YYYY-MM：{text!r}") from None
    return year, month


def parse_baseline(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """A baseline written YYYY-MM:YYYY-MM (first and last month, both included)."""
    first, sep, last = text.partition(":")
    if not sep:
        raise SpcError(f"a baseline is written YYYY-MM:YYYY-MM, not {text!r}",
                       f"基准期应写作 YYYY-MM:YYYY-MM：{text!r}")
    span = parse_month(first), parse_month(last)
    if span[0] > span[1]:
        raise SpcError(f"the baseline {text} ends before it begins", f"基准期 {text} 的结束月早于开始月")
    return span


def _index(month: tuple[int, int]) -> int:
    return month[0] * 12 + month[1] - 1


def _month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def _text(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


# The warehouse ---------------------------------------------------------------------------------------------------


def _check(con, stage: str, kind: str, supplier: str | None) -> None:
    if stage not in STAGES:
        raise SpcError(f"no inspection stage {stage!r}; the stages are {', '.join(STAGES)}",
                       f"没有检验环节 {stage!r}；可选：{'、'.join(STAGES)}")
    if kind not in KINDS:
        raise SpcError(f"a control chart is p or u, not {kind!r}", f"控制图只有 p 图和 u 图，没有 {kind!r}")
    if supplier is not None and not sql.rows(con, "read/supplier_known", supplier=supplier):
        raise SpcError(f"no supplier {supplier!r} in the warehouse", f"仓库中没有供应商 {supplier!r}")


def monthly_samples(con, stage: str, kind: str, first: tuple[int, int], last: tuple[int, int],
                    supplier: str | None = None, as_of: dt.date | None = None) -> list[Sample]:
    """The stage's months with data from first to last (both included) up to as_of (the month it falls in is partial
    unless as_of is its last day): p: lots and failed lots; u: sampled units and defects of the lots that record both."""
    start = dt.date(*first, 1)
    after = _month_of(_index(last) + 1)
    end = dt.date(*after, 1)
    if as_of is not None:
        end = min(end, as_of + dt.timedelta(days=1))
    if end <= start:
        return []
    running = None
    if as_of is not None and start <= as_of < dt.date(*after, 1):
        month_end = dt.date(*_month_of(_index((as_of.year, as_of.month)) + 1), 1) - dt.timedelta(days=1)
        running = (as_of.year, as_of.month) if as_of < month_end else None
    out = []
    for r in sql.records(con, "read/spc_monthly", stage=stage, start=start, end=end, supplier=supplier):
        n, count = (r["lots"], r["failed"]) if kind == "p" else (r["units"], r["defects"])
        if n:
            out.append(Sample(r["year"], r["month"], float(n), float(count), (r["year"], r["month"]) == running))
    return out


def _as_of(as_of: dt.date | None) -> dt.date:
    return as_of if as_of is not None else load_settings().plant_today()


def control_chart(con, stage: str, kind: str = "p", supplier: str | None = None, first: tuple[int, int] | None = None,
                  last: tuple[int, int] | None = None,
                  baseline: tuple[tuple[int, int], tuple[int, int]] | None = None,
                  as_of: dt.date | None = None) -> Chart:
    """The stage's (and supplier's) p- or u-chart from first to last (default: the DEFAULT_MONTHS months up to as_of's
    month), as of a day (default: today at the plant), with its centre line from the full months of the baseline
    (first and last month, ending at the latest with the last full month as of the day; default: the chart's own
    months). SpcError for a bad stage or kind, an unknown supplier, a
    baseline that ends after as_of's month or holds no data."""
    _check(con, stage, kind, supplier)
    day = _as_of(as_of)
    last = last or (day.year, day.month)
    first = first or _month_of(_index(last) - DEFAULT_MONTHS + 1)
    if first > last:
        raise SpcError(f"the chart's first month {_text(first)} is after its last {_text(last)}",
                       f"控制图的起始月 {_text(first)} 晚于结束月 {_text(last)}")
    # the baseline (default: the chart's months) ends with the last full month as of the day
    baseline = baseline or (first, last)
    running = day < dt.date(*_month_of(_index((day.year, day.month)) + 1), 1) - dt.timedelta(days=1)
    last_full = _month_of(_index((day.year, day.month)) - (1 if running else 0))
    if baseline[1] > last_full and baseline[0] <= last_full:
        baseline = (baseline[0], last_full)
    what = f"{stage}" + (f", supplier {supplier}" if supplier else "")
    what_zh = f"{stage}" + (f"、供应商 {supplier}" if supplier else "")
    base = [s for s in monthly_samples(con, stage, kind, *baseline, supplier, day) if not s.partial]
    centre_line = centre(base)
    if centre_line is None:
        span = f"{_text(baseline[0])}:{_text(baseline[1])}"
        unit, unit_zh = ("lots", "检验批") if kind == "p" else ("sampled units with a defect count", "记录缺陷数的抽样")
        raise SpcError(f"the baseline {span} has no {unit} of {what} in its full months",
                       f"基准期 {span} 的完整月份中没有 {what_zh} 的{unit_zh}")
    samples = monthly_samples(con, stage, kind, first, last, supplier, day)
    return Chart(kind, stage, supplier, baseline, centre_line, tuple(chart_points(kind, samples, centre_line)))


def signals(con, stage: str, supplier: str | None = None, as_of: dt.date | None = None, kind: str = "p",
            months: int = DEFAULT_MONTHS, baseline: tuple[tuple[int, int], tuple[int, int]] | None = None
            ) -> list[Signal]:
    """The months of the stage's (and supplier's) chart over the `months` months up to as_of's month that broke a
    rule, oldest first, with the rules' names (an empty list when the chart has nothing to flag or no data at all).
    The baseline defaults to those months' full months. SpcError as control_chart for a bad stage or supplier."""
    day = _as_of(as_of)
    last = (day.year, day.month)
    first = _month_of(_index(last) - months + 1)
    try:
        chart = control_chart(con, stage, kind, supplier, first, last, baseline, day)
    except SpcError:
        _check(con, stage, kind, supplier)       # a bad stage or supplier is an error; no data is no signal
        return []
    return [Signal(stage, supplier, kind, p.year, p.month, p.rules, p.partial) for p in chart.points if p.rules]


def _plain(x: float) -> str:
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def chart_csv(chart: Chart) -> str:
    """The chart as CSV: month,lots,failed,p,centre,lcl,ucl,rules (u-chart: units, defects, u); fractions (not %),
    rules the broken rules' names joined by ';' (empty when none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER[chart.kind])
    for p in chart.points:
        writer.writerow([p.label, _plain(p.n), _plain(p.count), _plain(p.value), _plain(p.centre), _plain(p.lcl),
                         _plain(p.ucl), ";".join(p.rules)])
    return buffer.getvalue()


def chart_table(chart: Chart, header: list[str], rule_words) -> str:
    """The chart as an aligned plain-text table under header (the CSV's eight columns, in words), fractions to 4
    decimals, each point's rules as rule_words(name) joined by '; ', a running month marked *."""
    from warehouse.kpis import _aligned

    lines = [header]
    for p in chart.points:
        lines.append([p.label + ("*" if p.partial else ""), _plain(p.n), _plain(p.count), f"{p.value:.4f}",
                      f"{p.centre:.4f}", f"{p.lcl:.4f}", f"{p.ucl:.4f}", "; ".join(rule_words(r) for r in p.rules)])
    return _aligned(lines)
