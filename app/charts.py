"""Charts: pure functions DataFrame -> alt.Chart, every axis titled with its unit, every mark with a tooltip.

Colours are Okabe–Ito (colour-blind safe, mid-tone so they read on light and dark themes); the current year is a
solid line and the year before a dashed one, and statuses carry ✓ ✗ … symbols, so nothing relies on hue alone.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from app.i18n import enum_label, spc_rules_text, t
from warehouse import numbers
from warehouse.numbers import d3_format
from warehouse.sources import COST_CATEGORIES as SOURCE_COST_CATEGORIES

COUNT = d3_format("count")   # ',.0f': every count a tooltip shows

BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILLION, PURPLE, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#999999")
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY]
STATUS_COLOURS = {"met": BLUE, "missed": VERMILLION, "pending": GREY, "not_applicable": SKY}
GRADE_COLOURS = {"A": BLUE, "B": SKY, "C": ORANGE}
HEIGHT = 260
# A legend under the chart, one entry per line: long KPI names leave the plot its width on a phone.
BELOW = alt.Legend(orient="bottom", direction="vertical", symbolType="stroke", symbolStrokeWidth=2)
LEGEND_ROW_PX = 30  # the height a row of a legend under the chart adds to it

BREAK = "break-paths-filter-domains"   # a line stops at a month without a value instead of joining its neighbours


def month_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """The monthly frame with a row for every month of each year up to its last month with a row: a month without
    data has null values, so a line breaks there instead of running straight across it."""
    if frame.empty:
        return frame
    years = frame["year"].astype(int)
    grid = pd.DataFrame([(y, m) for y in sorted(years.unique()) for m in range(1, int(frame.loc[years == y, "month"].max()) + 1)],
                        columns=["year", "month"])
    keys = frame.assign(year=years, month=frame["month"].astype(int))
    return grid.merge(keys, on=["year", "month"], how="left")


def padded_domain(values, top: float | None = 100.0) -> list[float]:
    """A rate axis that starts near the data: the values (and target) with room of at least 1 on each side, at
    least 30 % of their spread, in whole units, within 0..top."""
    found = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not found:
        return [0.0, top or 1.0]
    low, high = min(found), max(found)
    pad = max(1.0, 0.3 * (high - low))
    low, high = max(0.0, float(int(low - pad))), float(-int(-(high + pad)))
    return [low, min(top, high) if top is not None else high]


def _years(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a text year column (so years are categories, newest first in the legend)."""
    out = frame.copy()
    out["year_label"] = out["year"].astype(int).astype(str)
    return out


def _year_scale(frame: pd.DataFrame) -> tuple[alt.Scale, alt.Scale]:
    """Colour and dash scales: the newest year blue and solid, the one before orange and dashed."""
    years = sorted(frame["year_label"].unique(), reverse=True)
    colours = [BLUE, ORANGE, GREY, SKY][: len(years)] + [GREY] * max(0, len(years) - 4)
    dashes = [[1, 0], [6, 4], [2, 2], [8, 2]][: len(years)] + [[2, 2]] * max(0, len(years) - 4)
    return alt.Scale(domain=years, range=colours), alt.Scale(domain=years, range=dashes)


def _split_partial(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(full months, the month still running) of a monthly frame, with a 'partial_label' (至1日 · n=8) on the
    latter; no partial column: every month is full."""
    if "partial" not in data or not data["partial"].fillna(False).astype(bool).any():
        return data, data.iloc[0:0].assign(partial_label="")
    running = data["partial"].fillna(False).astype(bool)
    return data[~running], data[running].assign(partial_label=data.loc[running, "denominator"].map(
        lambda n: "" if pd.isna(n) else f"n={numbers.number_text(n)}"))


def _partial_points(base: alt.Chart, running: pd.DataFrame, y: alt.Y, tooltip: list, lang: str,
                    colour: str | None = None) -> list[alt.Chart]:
    """A month still running: a hollow point labelled with its n (and 'running' in the tooltip), not joined to the
    line of the full months."""
    if running.empty:
        return []
    tip = tooltip + [alt.Tooltip("partial_label:N", title=t("partial_badge", lang))]
    point = base.properties(data=running).mark_point(filled=False, size=90, strokeWidth=2,
                                                     **({"color": colour} if colour else {}))
    text = base.properties(data=running).mark_text(dy=-14, color=GREY, fontSize=14)
    return [point.encode(y=y, tooltip=tip), text.encode(y=y, text="partial_label:N", tooltip=tip)]


def _month_axis(lang: str) -> alt.X:
    expr = "datum.value + '月'" if lang != "en" else (
        "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][datum.value - 1]")
    return alt.X("month:O", title=t("axis_month", lang), axis=alt.Axis(labelExpr=expr, labelAngle=0))


def monthly_rate_chart(frame: pd.DataFrame, lang: str, y_title: str, count_title: str | None = None) -> alt.Chart:
    """A rate by month (value, %), the chosen year against the year before; Wilson bars where low/high are given.

    frame: year, month, value, numerator, denominator [, low, high].
    """
    data = _years(month_grid(frame))
    colour, dash = _year_scale(data)
    full, running = _split_partial(data)
    tooltip = [alt.Tooltip("year_label:N", title=t("year", lang)), alt.Tooltip("month:O", title=t("month", lang)),
               alt.Tooltip("value:Q", title=y_title, format=d3_format("%")),
               alt.Tooltip("numerator:Q", title=t("col.numerator", lang), format=COUNT),
               alt.Tooltip("denominator:Q", title=count_title or t("col.denominator", lang), format=COUNT)]
    base = alt.Chart(data).encode(x=_month_axis(lang), color=alt.Color("year_label:N", scale=colour,
                                                                        title=t("year", lang)))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    lines = base.properties(data=full).mark_line(point=True, invalid=BREAK).encode(
        y=y, strokeDash=alt.StrokeDash("year_label:N", scale=dash, title=t("year", lang)), tooltip=tooltip)
    layers = [lines, *_partial_points(base, running, y, tooltip, lang)]
    if "low" in data and data["low"].notna().any():
        layers.append(base.mark_rule(opacity=0.6).encode(
            y=alt.Y("low:Q", title=y_title), y2="high:Q",
            tooltip=tooltip + [alt.Tooltip("low:Q", title=t("wilson_low", lang), format=d3_format("%")),
                               alt.Tooltip("high:Q", title=t("wilson_high", lang), format=d3_format("%"))]))
    return alt.layer(*layers).properties(height=HEIGHT)


def yearly_rate_chart(frame: pd.DataFrame, lang: str, y_title: str, count_title: str, unit: str = "%",
                      target: float | None = None) -> alt.Chart:
    """A rate (or another KPI of the unit) per year as bars, each labelled with its denominator (n), on an axis that
    starts near the data (96 % and 95 % look different), the target as a dashed line. frame: year, value,
    numerator, denominator [, target]: without a target argument, the frame's latest target."""
    data = _years(frame.dropna(subset=["value"]))
    data["n_label"] = data["denominator"].map(lambda n: "" if pd.isna(n) else f"n={numbers.number_text(n)}")
    if target is None and "target" in data and data["target"].notna().any():
        target = float(data["target"].dropna().iloc[-1])
    tooltip = [alt.Tooltip("year_label:N", title=t("year", lang)),
               alt.Tooltip("value:Q", title=y_title, format=d3_format(unit)),
               alt.Tooltip("numerator:Q", title=t("col.numerator", lang), format=COUNT),
               alt.Tooltip("denominator:Q", title=count_title, format=COUNT)]
    scale = alt.Scale(zero=False, domain=padded_domain([*data["value"], target]))
    base = alt.Chart(data).encode(x=alt.X("year_label:O", title=t("axis_year", lang), axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color=BLUE, clip=True).encode(y=alt.Y("value:Q", title=y_title, scale=scale),
                                                       tooltip=tooltip)
    narrow = "width < 480"      # on a phone the n labels stand upright above their bars instead of overlapping
    labels = base.mark_text(color=SKY, angle=alt.ExprRef(f"{narrow} ? 270 : 0"),
                            align=alt.ExprRef(f"{narrow} ? 'left' : 'center'"), dx=alt.ExprRef(f"{narrow} ? 4 : 0"),
                            dy=alt.ExprRef(f"{narrow} ? 0 : -6"),
                            baseline=alt.ExprRef(f"{narrow} ? 'middle' : 'bottom'")).encode(
        y=alt.Y("value:Q", title=y_title, scale=scale), text="n_label:N", tooltip=tooltip)
    layers = [bars, labels]
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=ORANGE, strokeDash=[6, 3], size=2).encode(
            y=alt.Y("target:Q", title=y_title, scale=scale), tooltip=[alt.Tooltip("target:Q", title=t("target", lang))]))
    return alt.layer(*layers).properties(height=HEIGHT)


def p_chart(points: pd.DataFrame, lang: str) -> alt.Chart:
    """p-chart: monthly share of lots failed (%) with centre line p̄ and 3-sigma limits for each month's lots; a month
    that breaks a run rule is a vermillion ▲ with its rule numbers above it and the rules in its tooltip.

    points: year, month, lots, failed, p, centre, ucl, lcl, signal, partial, rules (derive.control_chart_points).
    """
    return _control_chart(points, lang, "p")


def u_chart(points: pd.DataFrame, lang: str) -> alt.Chart:
    """u-chart: monthly defects per sampled unit with centre line ū and 3-sigma limits for each month's units, signals
    marked as on the p-chart. points: as p_chart's (lots: units sampled, failed: defects, p: defects per unit)."""
    return _control_chart(points, lang, "u")


def _control_chart(points: pd.DataFrame, lang: str, kind: str) -> alt.Chart:
    data = points.copy()
    data["period"] = [f"{y}-{m:02d}" for y, m in zip(data["year"], data["month"])]
    data["signal_label"] = data["signal"].map(lambda s: t("spc_signal" if s else "spc_in_control", lang))
    rules = data["rules"] if "rules" in data else pd.Series("", index=data.index)
    data["rules_text"] = [spc_rules_text([r for r in str(names).split(";") if r], lang) for names in rules]
    data["numbers"] = data["numbers"] if "numbers" in data else ""
    y_title, digits = (t("axis_p_failed", lang), ".2f") if kind == "p" else (t("spc_axis_u", lang), ".4f")
    n_title, count_title = ((t("col.lots", lang), t("col.lots_failed", lang)) if kind == "p"
                            else (t("spc_units", lang), t("spc_defects", lang)))
    tooltip = [alt.Tooltip("period:O", title=t("month", lang)),
               alt.Tooltip("p:Q", title=y_title, format=digits),
               alt.Tooltip("failed:Q", title=count_title, format=COUNT),
               alt.Tooltip("lots:Q", title=n_title, format=COUNT),
               alt.Tooltip("ucl:Q", title=t("p_ucl", lang) if kind == "p" else "UCL", format=digits),
               alt.Tooltip("lcl:Q", title=t("p_lcl", lang) if kind == "p" else "LCL", format=digits),
               alt.Tooltip("centre:Q", title=t("p_centre", lang) if kind == "p" else "ū", format=digits),
               alt.Tooltip("signal_label:N", title=t("col.status", lang)),
               alt.Tooltip("rules_text:N", title=t("spc_rules", lang))]
    x = alt.X("period:O", title=t("axis_month", lang), axis=alt.Axis(labelAngle=-45))
    base = alt.Chart(data).encode(x=x, tooltip=tooltip)
    limits = alt.layer(
        base.mark_line(interpolate="step", strokeDash=[4, 3], color=GREY).encode(y=alt.Y("ucl:Q", title=y_title)),
        base.mark_line(interpolate="step", strokeDash=[4, 3], color=GREY).encode(y=alt.Y("lcl:Q", title=y_title)),
        base.mark_line(color=SKY).encode(y=alt.Y("centre:Q", title=y_title)),
    )
    full, running = _split_partial(data.assign(denominator=data["lots"]))
    line = base.properties(data=full).mark_line(color=BLUE).encode(y=alt.Y("p:Q", title=y_title))
    domain = [t("spc_in_control", lang), t("spc_signal", lang)]
    marks = base.properties(data=full).mark_point(filled=True, size=70).encode(
        y=alt.Y("p:Q", title=y_title),
        shape=alt.Shape("signal_label:N", title=t("col.status", lang),
                        scale=alt.Scale(domain=domain, range=["circle", "triangle-up"])),
        color=alt.Color("signal_label:N", title=t("col.status", lang),
                        scale=alt.Scale(domain=domain, range=[BLUE, VERMILLION])))
    # the rule numbers above each flagged month (a running month too: rule 1)
    numbers = base.properties(data=data[data["signal"]]).mark_text(dy=-14, color=VERMILLION, fontSize=14,
                                                                    fontWeight="bold").encode(
        y=alt.Y("p:Q", title=y_title), text="numbers:N")
    partial = _partial_points(base, running, alt.Y("p:Q", title=y_title), tooltip, lang, BLUE)
    return alt.layer(limits, line, marks, numbers, *partial).properties(height=HEIGHT)


PARETO_ROW_PX = 26        # one defect's bar: every category named, on a phone too


def _with_cumulative_share(base: alt.Chart, bars: alt.Chart, lang: str, colour: str) -> alt.Chart:
    """A horizontal Pareto: the bars, their cumulative share (%) as a line against the top axis, 80 % marked; a
    row per category."""
    share = alt.Scale(domain=[0, 100])
    line = base.mark_line(point=True, color=colour, strokeDash=[6, 3]).encode(
        x=alt.X("cumulative_share:Q", title=t("axis_cumulative", lang), scale=share, axis=alt.Axis(orient="top")))
    rule = alt.Chart(pd.DataFrame({"share": [80.0]})).mark_rule(color=GREY, strokeDash=[2, 2]).encode(
        x=alt.X("share:Q", title=t("axis_cumulative", lang), scale=share, axis=alt.Axis(orient="top")),
        tooltip=[alt.Tooltip("share:Q", title=t("axis_cumulative", lang), format=d3_format("%"))])
    return alt.layer(bars, alt.layer(line, rule)).resolve_scale(x="independent").properties(
        height=alt.Step(PARETO_ROW_PX))


def pareto_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Pareto as horizontal bars: defects per defect code (largest on top, every code named on its own line) and
    their cumulative share (%) as a line against the top axis, 80 % marked.

    frame: defect_code, lots, lots_failed, defects, cumulative_share.
    """
    data = frame.copy()
    order = list(data["defect_code"])
    tooltip = [alt.Tooltip("defect_code:N", title=t("col.defect_code", lang)),
               alt.Tooltip("defects:Q", title=t("axis_defects", lang), format=COUNT),
               alt.Tooltip("lots:Q", title=t("col.lots", lang), format=COUNT),
               alt.Tooltip("lots_failed:Q", title=t("col.lots_failed", lang), format=COUNT),
               alt.Tooltip("cumulative_share:Q", title=t("axis_cumulative", lang), format=d3_format("%"))]
    base = alt.Chart(data).encode(
        y=alt.Y("defect_code:N", sort=order, title=t("col.defect_code", lang),
                axis=alt.Axis(labelLimit=400, labelOverlap=False)),
        tooltip=tooltip)
    bars = base.mark_bar(color=BLUE).encode(x=alt.X("defects:Q", title=t("axis_defects", lang)))
    return _with_cumulative_share(base, bars, lang, ORANGE)


def monthly_count_chart(frame: pd.DataFrame, lang: str, y_title: str) -> alt.Chart:
    """A count by month as bars side by side, the chosen year against the year before. frame: year, month, value."""
    data = _years(frame.dropna(subset=["value"]))
    colour, _ = _year_scale(data)
    running = data["partial"].fillna(False).astype(bool) if "partial" in data else pd.Series(False, index=data.index)
    data["bar_opacity"] = [0.3 if r else (1.0 if y == data["year_label"].max() else 0.55)
                           for r, y in zip(running, data["year_label"])]
    data["partial_label"] = [t("partial_badge", lang) if r else "" for r in running]
    tooltip = [alt.Tooltip("year_label:N", title=t("year", lang)), alt.Tooltip("month:O", title=t("month", lang)),
               alt.Tooltip("value:Q", title=y_title, format=COUNT),
               alt.Tooltip("partial_label:N", title=t("partial_badge", lang))]
    # a month still running: a light bar (its days so far)
    return alt.Chart(data).mark_bar().encode(
        x=_month_axis(lang), xOffset=alt.XOffset("year_label:N", sort="descending"),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("year_label:N", scale=colour, title=t("year", lang)),
        opacity=alt.Opacity("bar_opacity:Q", scale=None, legend=None),
        tooltip=tooltip,
    ).properties(height=HEIGHT)


def milestone_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Complaints per clock milestone, stacked by verdict (✓ met, ✗ missed, … pending). frame: label, status, complaints."""
    data = frame.copy()
    statuses = ["met", "missed", "pending"]
    data["status_label"] = data["status"].map(lambda s: enum_label("clock_status", s, lang))
    domain = [enum_label("clock_status", s, lang) for s in statuses]
    data["order"] = data["status"].map({s: i for i, s in enumerate(statuses)})
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=t("col.milestone", lang), sort=None),
        x=alt.X("complaints:Q", title=t("axis_complaints", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status_label:N", title=t("col.clock", lang),
                        scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in statuses])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("label:N", title=t("col.milestone", lang)),
                 alt.Tooltip("status_label:N", title=t("col.clock", lang)),
                 alt.Tooltip("complaints:Q", title=t("axis_complaints", lang), format=COUNT)],
    ).properties(height=max(160, 34 * data["label"].nunique()))


def region_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Complaints per region (domestic: in- and out-of-province; foreign: abroad), stacked by clock verdict.

    frame: region, clock, complaints."""
    data = frame.copy()
    statuses = ["met", "missed", "pending"]
    data["region_label"] = data["region"].map(lambda r: enum_label("region", r, lang))
    data["market"] = data["region"].map(lambda r: t("foreign" if r == "abroad" else "domestic", lang))
    data["status_label"] = data["clock"].map(lambda s: enum_label("clock_status", s, lang))
    domain = [enum_label("clock_status", s, lang) for s in statuses]
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("region_label:N", title=t("col.region", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("complaints:Q", title=t("axis_complaints", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status_label:N", title=t("col.clock", lang),
                        scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in statuses])),
        tooltip=[alt.Tooltip("market:N", title=t("col.market", lang)),
                 alt.Tooltip("region_label:N", title=t("col.region", lang)),
                 alt.Tooltip("status_label:N", title=t("col.clock", lang)),
                 alt.Tooltip("complaints:Q", title=t("axis_complaints", lang), format=COUNT)],
    ).properties(height=HEIGHT)


def grade_mix_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Suppliers per grade (A, B, C) per year, stacked. frame: year, grade, suppliers."""
    data = _years(frame)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:O", title=t("axis_year", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("suppliers:Q", title=t("axis_suppliers", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("grade:N", title=t("col.grade", lang),
                        scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values()))),
        order=alt.Order("grade:N"),
        tooltip=[alt.Tooltip("year_label:N", title=t("year", lang)), alt.Tooltip("grade:N", title=t("col.grade", lang)),
                 alt.Tooltip("suppliers:Q", title=t("axis_suppliers", lang), format=COUNT)],
    ).properties(height=HEIGHT)


def worst_supplier(frame: pd.DataFrame, measure: str) -> str | None:
    """The supplier whose latest year is worst (lowest pass rate, highest PPM): the one a trend shows first."""
    data = frame.dropna(subset=[measure])
    if data.empty:
        return None
    latest = data.sort_values("year").groupby("supplier").tail(1)
    return str(latest.sort_values(measure, ascending=measure == "pass_rate").iloc[0]["supplier"])


def supplier_trend_chart(frame: pd.DataFrame, lang: str, measure: str, highlight: str | None = None) -> alt.Chart:
    """Every supplier over the years as a thin grey line and one (highlight, by default the worst) in blue with its
    values: measure is pass_rate (%) or ppm. frame: supplier, name, year, lots, ..."""
    data = _years(frame.dropna(subset=[measure]))
    highlight = highlight if highlight in set(data["supplier"]) else worst_supplier(data, measure)
    y_title = t("axis_pass_rate" if measure == "pass_rate" else "axis_ppm", lang)
    values = d3_format("%" if measure == "pass_rate" else "ppm")
    tooltip = [alt.Tooltip("supplier:N", title=t("col.supplier", lang)),
               alt.Tooltip("name:N", title=t("col.name", lang)),
               alt.Tooltip("year_label:N", title=t("year", lang)),
               alt.Tooltip(f"{measure}:Q", title=y_title, format=values),
               alt.Tooltip("lots:Q", title=t("col.lots", lang), format=COUNT)]
    scale = alt.Scale(zero=False, domain=padded_domain(data[measure], 100.0 if measure == "pass_rate" else None))
    x = alt.X("year_label:O", title=t("axis_year", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y(f"{measure}:Q", title=y_title, scale=scale)
    others = alt.Chart(data[data["supplier"] != highlight]).mark_line(color=GREY, opacity=0.45, strokeWidth=1.5).encode(
        x=x, y=y, detail="supplier:N", tooltip=tooltip)
    chosen = data[data["supplier"] == highlight].assign(
        shown=lambda f: f["supplier"] + " " + f["name"].fillna("").astype(str))
    line = alt.Chart(chosen).mark_line(point=alt.OverlayMarkDef(size=70), color=BLUE, strokeWidth=3).encode(
        x=x, y=y, tooltip=tooltip)
    text = alt.Chart(chosen).mark_text(dy=-12, color=BLUE, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text(f"{measure}:Q", format=values), tooltip=tooltip)
    title = t("supplier_highlight", lang).format(supplier=chosen["shown"].iloc[0].strip() if not chosen.empty else "—")
    return alt.layer(others, line, text).properties(height=HEIGHT, title=alt.TitleParams(title, anchor="start",
                                                                                         fontSize=14))


def yearly_lines_chart(frame: pd.DataFrame, lang: str, y_title: str) -> alt.Chart:
    """One line per KPI over the years (e.g. national and provincial market share). frame: year, label, value, ..."""
    data = _years(frame.dropna(subset=["value"]))
    units = data["unit"] if "unit" in data else ["%"] * len(data)      # the KPIs' units (shares: %)
    data["delta_text"] = [numbers.change_text(d, u, lang) for d, u in zip(data["delta"], units)]
    labels = list(dict.fromkeys(data["label"]))
    formats = {d3_format(u) for u in units}
    value_format = formats.pop() if len(formats) == 1 else d3_format("%")
    tooltip = [alt.Tooltip("label:N", title=t("kpi", lang)), alt.Tooltip("year_label:N", title=t("year", lang)),
               alt.Tooltip("value:Q", title=y_title, format=value_format),
               alt.Tooltip("delta_text:N", title=t("delta", lang))]
    base = alt.Chart(data).encode(
        x=alt.X("year_label:O", title=t("axis_year", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("label:N", title=t("kpi", lang), scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]),
                        legend=BELOW),
        tooltip=tooltip)
    lines = base.mark_line(point=True).encode(
        strokeDash=alt.StrokeDash("label:N", title=t("kpi", lang), legend=BELOW,
                                  scale=alt.Scale(domain=labels, range=[[1, 0], [6, 4], [2, 2]][: len(labels)])))
    text = base.mark_text(dy=-10).encode(text=alt.Text("value:Q", format=value_format))
    return alt.layer(lines, text).properties(height=HEIGHT + LEGEND_ROW_PX * len(labels))


def grouped_score_chart(frame: pd.DataFrame, lang: str, category: str, category_title: str, y_title: str,
                        count: str, unit: str = "score") -> alt.Chart:
    """Scores per category (question or segment) as bars side by side, the year against the year before.

    frame: <category>, year, score, <count>; an optional <category>_label column is shown instead of the category.
    """
    data = _years(frame)
    label = f"{category}_label" if f"{category}_label" in data else category
    colour, _ = _year_scale(data)
    # questions as a survey wrote them ("3、您对我公司产品质量的总体评价：") are long: tilted, so they do not overlap
    long_labels = data[label].astype(str).str.len().max() > 8
    axis = alt.Axis(labelAngle=-30, labelLimit=240) if long_labels else alt.Axis(labelAngle=0)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{label}:N", title=category_title, axis=axis),
        xOffset=alt.XOffset("year_label:N", sort="descending"),
        y=alt.Y("score:Q", title=y_title),
        color=alt.Color("year_label:N", scale=colour, title=t("year", lang)),
        opacity=alt.Opacity("year_label:N", sort="descending", scale=alt.Scale(range=[1.0, 0.55]), title=t("year", lang)),
        tooltip=[alt.Tooltip(f"{label}:N", title=category_title), alt.Tooltip("year_label:N", title=t("year", lang)),
                 alt.Tooltip("score:Q", title=y_title, format=d3_format(unit)),
                 alt.Tooltip(f"{count}:Q", title=t(f"col.{count}", lang), format=COUNT)],
    ).properties(height=HEIGHT)


def distribution_chart(frame: pd.DataFrame, lang: str, band: int) -> alt.Chart:
    """Responses per overall-score band, the year against the year before. frame: band, year, responses."""
    data = _years(frame)
    data["band_label"] = [f"{numbers.number_text(b)}–{numbers.number_text(b + band)}" for b in data["band"]]
    colour, _ = _year_scale(data)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("band_label:O", title=t("axis_score_band", lang), sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("year_label:N", sort="descending"),
        y=alt.Y("responses:Q", title=t("axis_responses", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("year_label:N", scale=colour, title=t("year", lang)),
        opacity=alt.Opacity("year_label:N", sort="descending", scale=alt.Scale(range=[1.0, 0.55]), title=t("year", lang)),
        tooltip=[alt.Tooltip("band_label:N", title=t("axis_score_band", lang)),
                 alt.Tooltip("year_label:N", title=t("year", lang)),
                 alt.Tooltip("responses:Q", title=t("axis_responses", lang), format=COUNT)],
    ).properties(height=HEIGHT)


def yearly_value_chart(frame: pd.DataFrame, lang: str, y_title: str, count_title: str,
                       target: float | None = None, unit: str = "score") -> alt.Chart:
    """A KPI per year as bars (labelled with n) and its target as a dashed line. frame: year, value, denominator."""
    return yearly_rate_chart(frame.assign(numerator=frame.get("numerator")), lang, y_title, count_title, unit, target)


def kpi_trend_chart(frame: pd.DataFrame, lang: str, y_title: str, unit: str = "%") -> alt.Chart:
    """A KPI month by month (solid line) and its target (dashed steps). frame: year, month, value, target, n."""
    data = frame.copy()
    data["period"] = [f"{int(y)}-{int(m):02d}" for y, m in zip(data["year"], data["month"])]
    order = list(data["period"])
    tooltip = [alt.Tooltip("period:O", title=t("month", lang)),
               alt.Tooltip("value:Q", title=y_title, format=d3_format(unit)),
               alt.Tooltip("target:Q", title=t("target", lang), format=d3_format(unit)),
               alt.Tooltip("denominator:Q", title=t("col.denominator", lang), format=COUNT)]
    x = alt.X("period:O", sort=order, title=t("axis_month", lang),
              axis=alt.Axis(values=order[::6] + ([order[-1]] if (len(order) - 1) % 6 else []), labelAngle=0))
    full, running = _split_partial(data)          # a month without a value stays in, as a break in the line
    running = running.dropna(subset=["value"])
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    layers = [alt.Chart(full).mark_line(point=True, color=BLUE, invalid=BREAK).encode(x=x, y=y, tooltip=tooltip),
              *_partial_points(alt.Chart(running).encode(x=x), running, y, tooltip, lang, BLUE)]
    targets = data.dropna(subset=["target"])
    if not targets.empty:
        layers.append(alt.Chart(targets).mark_line(interpolate="step", strokeDash=[6, 4], color=ORANGE).encode(
            x=x, y=alt.Y("target:Q", title=y_title), tooltip=tooltip))
    return alt.layer(*layers).properties(height=HEIGHT - 40)


# Cost of quality -----------------------------------------------------------------------------------------------

COST_CATEGORIES = list(SOURCE_COST_CATEGORIES)   # prevention, appraisal, internal and external failure
COST_COLOURS = {"prevention": GREEN, "appraisal": SKY, "internal_failure": ORANGE, "external_failure": VERMILLION}


def _month_label(frame: pd.DataFrame) -> pd.Series:
    return frame["year"].astype(int).astype(str) + "-" + frame["month"].astype(int).map("{:02d}".format)


def cost_category_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Quality cost by month as bars stacked by category (prevention at the bottom, external failure on top).
    frame: year, month, category, amount (yuan)."""
    data = frame.copy()
    data["period_label"] = _month_label(data)
    data["category_label"] = [enum_label("cost_category", c, lang) for c in data["category"]]
    data["order"] = [COST_CATEGORIES.index(c) for c in data["category"]]
    labels = [enum_label("cost_category", c, lang) for c in COST_CATEGORIES]
    tooltip = [alt.Tooltip("period_label:N", title=t("month", lang)),
               alt.Tooltip("category_label:N", title=t("col.category", lang)),
               alt.Tooltip("amount:Q", title=t("axis_yuan", lang), format=",.0f")]
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period_label:O", title=t("month", lang), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("amount:Q", title=t("axis_yuan", lang), stack="zero"),
        color=alt.Color("category_label:N", title=t("col.category", lang), legend=BELOW,
                        scale=alt.Scale(domain=labels, range=[COST_COLOURS[c] for c in COST_CATEGORIES])),
        order=alt.Order("order:Q"), tooltip=tooltip,
    ).properties(height=HEIGHT + 40)


def cost_pareto_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Pareto of cost items as horizontal bars: quality cost per cost item (largest on top, coloured by category,
    every item named on its own line) and their cumulative share (%) as a line against the top axis, 80 % marked.
    frame: account, category, entries, amount, cumulative_share."""
    data = frame.copy()
    data["item"] = data["account"]
    data["category_label"] = [enum_label("cost_category", c, lang) for c in data["category"]]
    order = list(data["item"])
    labels = [enum_label("cost_category", c, lang) for c in COST_CATEGORIES]
    tooltip = [alt.Tooltip("item:N", title=t("col.account", lang)),
               alt.Tooltip("category_label:N", title=t("col.category", lang)),
               alt.Tooltip("amount:Q", title=t("axis_yuan", lang), format=d3_format("money")),
               alt.Tooltip("entries:Q", title=t("col.entries", lang), format=COUNT),
               alt.Tooltip("cumulative_share:Q", title=t("axis_cumulative", lang), format=d3_format("%"))]
    base = alt.Chart(data).encode(
        y=alt.Y("item:N", sort=order, title=t("col.account", lang), axis=alt.Axis(labelLimit=400, labelOverlap=False)),
        tooltip=tooltip)
    bars = base.mark_bar().encode(
        x=alt.X("amount:Q", title=t("axis_yuan", lang)),
        color=alt.Color("category_label:N", title=t("col.category", lang), legend=BELOW,
                        scale=alt.Scale(domain=labels, range=[COST_COLOURS[c] for c in COST_CATEGORIES])))
    return _with_cumulative_share(base, bars, lang, GREY)


def conformance_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month the cost of conformance (prevention + appraisal) and of failure (internal + external):
    year, month, side (conformance, failure), amount. frame: year, month, category, amount."""
    if frame.empty:
        return pd.DataFrame(columns=["year", "month", "side", "amount"])
    data = frame.assign(side=["conformance" if c in ("prevention", "appraisal") else "failure"
                              for c in frame["category"]])
    out = data.groupby(["year", "month", "side"], as_index=False)["amount"].sum()
    return out.sort_values(["year", "month", "side"]).reset_index(drop=True)


def cost_balance_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Prevention + appraisal against failure cost by month, as two lines (failure dashed).
    frame: year, month, side, amount (conformance_frame)."""
    data = frame.copy()
    data["period_label"] = _month_label(data)
    data["side_label"] = [enum_label("cost_side", s, lang) for s in data["side"]]
    labels = [enum_label("cost_side", s, lang) for s in ("conformance", "failure")]
    tooltip = [alt.Tooltip("period_label:N", title=t("month", lang)),
               alt.Tooltip("side_label:N", title=t("col.category", lang)),
               alt.Tooltip("amount:Q", title=t("axis_yuan", lang), format=",.0f")]
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("period_label:O", title=t("month", lang), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("amount:Q", title=t("axis_yuan", lang)),
        color=alt.Color("side_label:N", title=t("col.category", lang), legend=BELOW,
                        scale=alt.Scale(domain=labels, range=[GREEN, VERMILLION])),
        strokeDash=alt.StrokeDash("side_label:N", legend=None,
                                  scale=alt.Scale(domain=labels, range=[[1, 0], [6, 4]])),
        tooltip=tooltip,
    ).properties(height=HEIGHT)


PROJECTOR_FONT = 20     # px: the meeting's chart is read from the back of the room


def meeting_trend_chart(frame: pd.DataFrame, lang: str, y_title: str, height: int) -> alt.Chart:
    """The meeting screen's KPIs over the months (or years) as thick lines, one colour and dash per KPI, each target a
    thin dashed line of its colour, a gap where a period has no data, the axis near the data, large type.

    frame: label, period (text, in order), value, target."""
    data = frame.copy()
    labels = list(dict.fromkeys(data["label"]))
    order = list(dict.fromkeys(data["period"]))
    colour = alt.Scale(domain=labels, range=PALETTE[: len(labels)])
    dash = alt.Scale(domain=labels, range=[[1, 0], [8, 4], [3, 3], [12, 3, 3, 3]][: len(labels)])
    unit_top = 100.0 if "%" in y_title else None
    y = alt.Y("value:Q", title=y_title,
              scale=alt.Scale(zero=False, domain=padded_domain([*data["value"], *data.get("target", [])], unit_top)))
    x = alt.X("period:O", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False))
    tooltip = [alt.Tooltip("label:N", title=t("kpi", lang)), alt.Tooltip("period:O", title=t("month", lang)),
               alt.Tooltip("value:Q", title=y_title, format=",.1f"),
               alt.Tooltip("target:Q", title=t("target", lang), format=",.1f")]
    legend = alt.Legend(orient="top", direction="horizontal", title=None, labelLimit=900, symbolStrokeWidth=4,
                        symbolSize=400)
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=120, filled=True), strokeWidth=4,
                                      invalid=BREAK).encode(
        x=x, y=y, color=alt.Color("label:N", scale=colour, legend=legend),
        strokeDash=alt.StrokeDash("label:N", scale=dash, legend=legend), tooltip=tooltip)
    layers = [lines]
    if "target" in data and data["target"].notna().any():
        layers.append(alt.Chart(data.dropna(subset=["target"])).mark_line(
            interpolate="step-after", strokeDash=[2, 4], strokeWidth=2, opacity=0.8).encode(
            x=x, y=alt.Y("target:Q", title=y_title), color=alt.Color("label:N", scale=colour, legend=None),
            detail="label:N", tooltip=tooltip))
    return alt.layer(*layers).properties(height=height).configure_axis(
        labelFontSize=PROJECTOR_FONT, titleFontSize=PROJECTOR_FONT).configure_legend(
        labelFontSize=PROJECTOR_FONT).configure_view(stroke=None)
