"""手机看板 Phone view: the headline KPIs for a 360–430 px phone on mobile data, what is off target first.

One line names the period and the as-of day (a tap opens the period control), one line counts the KPIs that missed,
met and have no target; then every missed KPI, then the rest, each as a compact row: traffic light, label, YoY
arrow, target, 12-month sparkline, value. Tapping a row (or Enter on it) opens the KPI's 24-month trend, drawn only
then. A yearly KPI whose year is not in yet (the survey, grades, market figures) shows the latest year that is, and
says which. One registry call for the period's values (and one per earlier year a yearly KPI needs), one cached call for the
sparklines, one more per opened trend.
"""
import base64
from html import escape

import streamlit as st

from app import ui
from app.charts import kpi_trend_chart
from app.data import monthly_kpis, today
from app.i18n import t
from presentation import SCORECARD
from warehouse.db import SnapshotId
from warehouse.kpis import KpiValue, Period, format_delta, format_value

SPARK_MONTHS, TREND_MONTHS = 12, 24
SPARK_W, SPARK_H = 64, 24
LIGHTS = {"met": ("ph-met", "✓"), "missed": ("ph-missed", "✗"), "no_target": ("ph-none", "–"),
          "no_data": ("ph-none", "?")}        # status: (colour, symbol) of the traffic light
PHONE_CSS = """<style>
/* The page head: a small title, one line naming the period (a button that opens its control), one line of counts. */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
[data-testid="stHeadingWithActionElements"] h1 { font-size: 1.25rem; padding: 0; }
.st-key-phone-rows { gap: 0; }
.st-key-period_control button { min-height: 40px; }
.ph-counts { font-size: 15px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.ph-section { font-size: 14px; font-weight: 700; opacity: 0.75; margin-top: 4px; }
/* A row: light, label over its YoY change and target, sparkline, value. While the trend is closed its summary
   covers the whole row, so a tap anywhere on the row (or Enter on it) opens the trend below the row. */
[class*="st-key-phone-row-"] { position: relative; gap: 0; border-bottom: 1px solid rgba(128,128,128,0.3);
  padding: 2px 0; }
[class*="st-key-phone-row-"] details:not([open]) { height: 0; border: 0; overflow: visible; }
[class*="st-key-phone-row-"] details:not([open]) summary {
  position: absolute; inset: 0; z-index: 1; opacity: 0; min-height: 0; }
[class*="st-key-phone-row-"] details:not([open]) summary:focus-visible { opacity: 1; outline: 3px solid #0072B2;
  background: transparent; color: transparent; }
[class*="st-key-phone-row-"] [data-testid="stExpander"], [class*="st-key-phone-row-"] details:not([open]),
[class*="st-key-phone-row-"] [data-testid="stElementContainer"]:has(details:not([open])) { position: static; }
[class*="st-key-phone-row-"] details[open] summary { min-height: 40px; font-size: 15px; }
.ph-row { display: grid; grid-template-columns: auto 1fr auto auto; gap: 0 8px; align-items: center;
  line-height: 1.3; min-height: 44px; }
.ph-light { font-size: 14px; font-weight: 700; width: 26px; height: 26px; border-radius: 13px; display: inline-flex;
  align-items: center; justify-content: center; }
.ph-met { background: #dff3e4; color: #0b5d27; } .ph-missed { background: #fde2e4; color: #a4001d; }
.ph-none { background: #ececec; color: #3d3d3d; }
.ph-label { font-size: 15px; font-weight: 700; display: block; }
.ph-line { font-size: 14px; display: block; opacity: 0.9; }
.ph-value { font-size: 20px; font-weight: 700; white-space: nowrap; text-align: right; }
.ph-spark { width: 64px; height: 24px; }
.ph-better { color: #0b6b2e; } .ph-worse { color: #b3261e; } .ph-flat { opacity: 0.8; }
</style>"""


def series_end(period: Period, day) -> Period:
    """The last month the sparklines and trends reach: the period's last month, but not after this month."""
    chosen, now = Period(period.year, period.month or 12), Period(day.year, day.month)
    return min(chosen, now, key=lambda p: (p.year, p.month))


def sparkline_svg(points: list[float | None], label: str) -> str:
    """The sparkline as a small inline SVG image (no chart library: cheap on mobile data); "" without data."""
    known = [p for p in points if p is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    step = SPARK_W / max(1, len(points) - 1)
    path, pen, last = [], "M", None
    for i, p in enumerate(points):
        if p is None:
            pen = "M"
            continue
        y = SPARK_H / 2 if high == low else 3 + (SPARK_H - 6) * (high - p) / (high - low)
        last = (i * step, y)
        path.append(f"{pen}{last[0]:.1f},{y:.1f}")
        pen = "L"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-3 0 {SPARK_W + 6} {SPARK_H}" width="{SPARK_W}" '
           f'height="{SPARK_H}"><path d="{" ".join(path)}" fill="none" stroke="#0072B2" stroke-width="2.2" '
           f'stroke-linejoin="round"/><circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="3" fill="#0072B2"/></svg>')
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img class="ph-spark" src="data:image/svg+xml;base64,{data}" width="{SPARK_W}" height="{SPARK_H}" '
            f'alt="{escape(label)}">')


def delta_html(v: KpiValue, language: str) -> str:
    """The YoY change with its arrow (▲ ▼, ＝ when flat) in the colour of better or worse; "" without one."""
    if v.delta is None:
        return ""
    colour, arrow = ui.delta_look(v)
    look = {"blue": "ph-better", "orange": "ph-worse"}.get(colour, "ph-flat")
    sign = "＝" if arrow == "off" else ("▲" if v.delta > 0 else "▼")
    text = f"{sign} {format_delta(v.delta, v.unit, language)}"
    return f'<span class="ph-delta {look}">{escape(text)}</span>'


def row_html(v: KpiValue, points: list[float | None], language: str, note: str = "") -> str:
    """A KPI's row: traffic light (colour and symbol), label, its YoY change and target (none printed without a
    target) and a note (which year a yearly KPI's figures are from, when not the chosen one), sparkline, value."""
    look, symbol = LIGHTS[v.status]
    status = t(f"status_{v.status}", language)
    facts = [escape(text) for text in (
        f"{t('target', language)} {ui.target_text(v, language)}" if v.target is not None else "", note) if text]
    line = " · ".join(([delta_html(v, language)] if v.delta is not None else []) + facts)
    spark = sparkline_svg(points, f"{v.label} · {t('sparkline_note', language)}")
    return (f'<div class="ph-row" data-kpi="{v.kpi}" data-status="{v.status}">'
            f'<span class="ph-light {look}" title="{escape(status)}" aria-label="{escape(status)}">{symbol}</span>'
            f'<span><span class="ph-label">{escape(v.label)}</span><span class="ph-line">{line}</span></span>'
            f'{spark or "<span></span>"}<span class="ph-value">{escape(format_value(v.value, v.unit, language))}</span>'
            f'</div>')


def counts_html(counts: dict[str, int], language: str, demo: bool) -> str:
    """The line of counts: 未达标 3 · 达标 10 · 无目标 6 (and 无数据 when any), each with its light."""
    parts = [f'<span><span class="ph-light {LIGHTS[status][0]}">{LIGHTS[status][1]}</span> '
             f'{escape(t(f"status_{status}", language))} <b>{n}</b></span>'
             for status, n in counts.items() if n or status != "no_data"]
    badge = f'<span class="ph-light ph-none" style="width:auto;padding:0 8px">{escape(t("demo_badge", language))}</span>'
    return f'<div class="ph-counts">{"".join(parts)}{badge if demo else ""}</div>'


def kpi_trend(snapshot: SnapshotId, v: KpiValue, end: Period, language: str) -> None:
    """The KPI's 24-month trend (chart and the months it covers), read and drawn only when its card is open."""
    frame = monthly_kpis(snapshot, (v.kpi,), TREND_MONTHS, end, today())
    if frame["value"].isna().all():
        ui.no_rows("phone_trend_empty")
        return
    ui.chart(kpi_trend_chart(frame, language, t(f"trend_axis.{v.unit}", language), v.unit))
    first, last = frame.iloc[0], frame.iloc[-1]
    key = "phone_trend_caption" if frame["target"].notna().any() else "phone_trend_caption_plain"
    st.caption(t(key, language).format(start=f"{first['year']}-{first['month']:02d}",
                                       end=f"{last['year']}-{last['month']:02d}"))


def phone_row(snapshot: SnapshotId, v: KpiValue, points: list[float | None], end: Period, language: str,
              note: str = "") -> None:
    """One KPI row across the phone's width; a tap on it (or Enter) opens its 24-month trend below it."""
    with st.container(key=f"phone-row-{v.kpi}"):
        st.html(row_html(v, points, language, note))
        opened = st.expander(f"{t('phone_trend', language)}：{v.label}", key=f"phone-trend-{v.kpi}",
                             on_change="rerun", icon=":material/show_chart:")
        if opened.open:
            with opened:
                kpi_trend(snapshot, v, end, language)


lang = ui.lang()
snapshot = ui.page_start("page.phone", compact=True)
period = ui.period()
st.html(PHONE_CSS)
with st.popover(ui.period_label(period), icon=":material/calendar_month:", key="period_control", width="stretch"):
    ui.period_bar()

codes = tuple(code for _, _, group in SCORECARD for code in group)
_, values, notes = ui.kpis_shown(snapshot, period, codes)
st.html(counts_html(ui.status_counts(values.values()), lang, st.session_state["warehouse_state"][1]))
end = series_end(period, today())
points = ui.spark_points(monthly_kpis(snapshot, codes, SPARK_MONTHS, end, today()))
missed = [code for code in codes if values[code].status == "missed"]
with st.container(key="phone-rows"):
    for key, group in (("phone_missed", missed), ("phone_rest", [c for c in codes if c not in missed])):
        if group:
            st.html(f'<div class="ph-section">{escape(t(key, lang).format(n=len(group)))}</div>')
        for code in group:
            phone_row(snapshot, values[code], points.get(code, []), end, lang, notes.get(code, ""))
st.caption(t("phone_note", lang))
