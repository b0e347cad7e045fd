"""手机看板 Phone view: the headline KPIs as one column of cards for a 360–430 px phone on mobile data.

Each card: value, YoY arrow, 12-month sparkline, traffic light with its symbol, target and the counts behind the
value; tapping the card (or Enter on its trend row) opens the KPI's 24-month trend, drawn only then. A yearly KPI
whose year is not in yet (the survey, grades, market figures) shows the latest year that is, and says which. One
registry call for the period's values (and one per earlier year a yearly KPI needs), one cached call for the
sparklines, one more per opened trend.
"""
import base64
from html import escape

import streamlit as st

from app import ui
from app.charts import kpi_trend_chart
from app.data import latest_yearly_kpis, monthly_kpis, period_kpis, today
from app.i18n import t
from presentation import SCORECARD
from warehouse.db import SnapshotId
from warehouse.kpis import KpiValue, Period, format_delta, format_value
from warehouse.numbers import number_text

SPARK_MONTHS, TREND_MONTHS = 12, 24
SPARK_W, SPARK_H = 112, 34
LIGHTS = {"met": ("ph-met", "✓"), "missed": ("ph-missed", "✗"), "no_target": ("ph-none", "–"),
          "no_data": ("ph-none", "?")}        # status: (colour, symbol) of the traffic light
PHONE_CSS = """<style>
/* A card: label and traffic light; value and sparkline; YoY change; target and counts; the trend row. While the
   trend is closed, the trend row's click area covers the whole card, so a tap anywhere on the card opens it. */
[class*="st-key-phone-card-"] { position: relative; gap: 0.4rem; }
[class*="st-key-phone-card-"] details:not([open]) summary::after {
  content: ""; position: absolute; inset: 0; z-index: 1; }
[class*="st-key-phone-card-"] [data-testid="stExpander"], [class*="st-key-phone-card-"] details:not([open]),
[class*="st-key-phone-card-"] details:not([open]) summary,
[class*="st-key-phone-card-"] [data-testid="stElementContainer"]:has(details:not([open])) { position: static; }
[class*="st-key-phone-card-"] summary { min-height: 40px; font-size: 15px; }
.ph-card { line-height: 1.35; }
.ph-top, .ph-mid { display: flex; justify-content: space-between; align-items: center; gap: 10px; }
.ph-label { font-size: 16px; font-weight: 700; }
.ph-light { font-size: 14px; font-weight: 700; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.ph-met { background: #dff3e4; color: #0b5d27; } .ph-missed { background: #fde2e4; color: #a4001d; }
.ph-none { background: #ececec; color: #3d3d3d; }
.ph-value { font-size: 30px; font-weight: 700; line-height: 40px; white-space: nowrap; }
.ph-spark { flex: 0 1 auto; max-width: 40%; height: auto; }
.ph-delta, .ph-foot { font-size: 15px; }
.ph-better { color: #0b6b2e; } .ph-worse { color: #b3261e; } .ph-flat { opacity: 0.8; }
.ph-foot { opacity: 0.85; }
[data-testid="stHeadingWithActionElements"] h1 { font-size: 2rem; }
</style>"""


def series_end(period: Period, day) -> Period:
    """The last month the sparklines and trends reach: the period's last month, but not after this month."""
    chosen, now = Period(period.year, period.month or 12), Period(day.year, day.month)
    return min(chosen, now, key=lambda p: (p.year, p.month))


def spark_points(series, code: str) -> list[float | None]:
    """A KPI's monthly values for its sparkline, oldest first (None: no data that month); a month still running is
    left out (its few days would read as a rise or a fall)."""
    points = series[(series["kpi"] == code) & ~series["partial"]]["value"] if not series.empty else []
    return [None if x is None or x != x else float(x) for x in points]


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


def counts_text(v: KpiValue) -> str:
    """' · 189/193' (numerator/denominator), ' · n = 45' (scores), or ''."""
    if v.denominator is None:
        return ""
    if v.numerator is None:
        return f" · n = {number_text(v.denominator)}"
    return f" · {number_text(v.numerator)}/{number_text(v.denominator)}"


def delta_html(v: KpiValue, language: str) -> str:
    """The YoY change with its arrow (▲ ▼, ＝ when flat) in the colour of better or worse, and 'vs. prior year'."""
    colour, arrow = ui.delta_look(v)
    if v.delta is None:
        return f'<div class="ph-delta ph-flat">{escape(t("vs_prior_year", language))} —</div>'
    look = {"blue": "ph-better", "orange": "ph-worse"}.get(colour, "ph-flat")
    sign = "＝" if arrow == "off" else ("▲" if v.delta > 0 else "▼")
    text = f"{sign} {format_delta(v.delta, v.unit, language)} {t('vs_prior_year', language)}"
    return f'<div class="ph-delta {look}">{escape(text)}</div>'


def card_html(v: KpiValue, points: list[float | None], language: str, note: str = "") -> str:
    """The card's face: label and traffic light (colour and symbol), value and sparkline, YoY change, target,
    and a note (which year a yearly KPI's figures are from, when not the chosen one)."""
    look, symbol = LIGHTS[v.status]
    value = format_value(v.value, v.unit, language)
    target = f"{t('target', language)} {ui.target_text(v, language)}{counts_text(v)}{f' · {note}' if note else ''}"
    spark = sparkline_svg(points, f"{v.label} · {t('sparkline_note', language)}")
    return (f'<div class="ph-card" data-kpi="{v.kpi}" data-status="{v.status}">'
            f'<div class="ph-top"><span class="ph-label">{escape(v.label)}</span>'
            f'<span class="ph-light {look}">{symbol} {escape(t(f"status_{v.status}", language))}</span></div>'
            f'<div class="ph-mid"><span class="ph-value">{escape(value)}</span>{spark}</div>'
            f'{delta_html(v, language)}<div class="ph-foot">{escape(target)}</div></div>')


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


def phone_card(snapshot: SnapshotId, v: KpiValue, points: list[float | None], end: Period, language: str,
               note: str = "") -> None:
    """One KPI card across the phone's width; a tap (or Enter on its trend row) opens the 24-month trend."""
    with st.container(border=True, key=f"phone-card-{v.kpi}"):
        st.html(card_html(v, points, language, note))
        opened = st.expander(t("phone_trend", language), key=f"phone-trend-{v.kpi}", on_change="rerun",
                             icon=":material/show_chart:")
        if opened.open:
            with opened:
                kpi_trend(snapshot, v, end, language)


lang = ui.lang()
snapshot = ui.page_start("page.phone")
period = ui.period()
st.html(PHONE_CSS)
ui.period_caption(period)

codes = tuple(code for _, _, group in SCORECARD for code in group)
values = {v.kpi: v for v in period_kpis(snapshot, period, lang, today(), codes)}
# a yearly KPI (survey, grades, market) whose year is not in yet shows the latest year that is, and says so
earlier = latest_yearly_kpis(snapshot, period, lang, today(), tuple(c for c in codes if values[c].value is None))
notes = {code: t("latest_year_note", lang).format(year=year, chosen=period.year) for code, (year, _) in earlier.items()}
values |= {code: v for code, (_, v) in earlier.items()}
end = series_end(period, today())
series = monthly_kpis(snapshot, codes, SPARK_MONTHS, end, today())
for zh, en, group in SCORECARD:
    st.subheader(en if lang == "en" else zh)
    for code in group:
        phone_card(snapshot, values[code], spark_points(series, code), end, lang, notes.get(code, ""))
st.caption(t("phone_note", lang))
