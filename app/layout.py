"""What holds on every page, whatever the device: nothing wider than a 390 px phone (tables and charts scroll or
wrap inside their own box), no text under 14 px on a narrow screen (charts included), and the phone view as the
landing page on a phone.

The entry file calls apply_layout_css() once per run, builds its pages with default=(name == landing_page()), and
calls land_on_phone(page) after st.navigation. Streamlit 1.67 tells the server nothing about the window's width,
so a phone is recognised twice over: by its request headers on the first run (Sec-CH-UA-Mobile: ?1, or a phone's
user agent — no flash, no extra run), and, for a browser that hides that, by a few lines of JavaScript (a
st.components.v2 component mounted in the page, not an iframe) that report a window narrower than NARROW_PX once.
"""
from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import streamlit as st

NARROW_PX = 640
PHONE_PAGE = Path(__file__).resolve().parent / "views" / "phone.py"
CHART_THEME = "quality_kpi"
MIN_TEXT_PX = 14
PHONE_AGENT = re.compile(r"Mobi|iPhone|iPod|Windows Phone|Android.*Mobile|HarmonyOS.*Phone", re.I)
WIDTH_KEY = "layout_window_width"
REPORTED_KEY = "_layout_width_reported"

LAYOUT_CSS = f"""<style>
/* Every page, every width: a wide block scrolls inside its own box instead of widening the page. */
[data-testid="stMainBlockContainer"] {{ max-width: 100%; }}
[data-testid="stMarkdownContainer"] {{ overflow-wrap: anywhere; }}
[data-testid="stMarkdownContainer"] pre, [data-testid="stCode"] pre {{ overflow-x: auto; max-width: 100%; }}
[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stVegaLiteChart"], [data-testid="stJson"] {{
  max-width: 100%; }}
[data-testid="stTable"] {{ overflow-x: auto; }}
.st-key-{WIDTH_KEY} {{ display: none; }}

/* A phone (and any window up to {NARROW_PX} px): narrower margins, wrapping rows and cells, nothing under
   {MIN_TEXT_PX} px. */
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem; }}
  [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [data-testid="stMarkdownContainer"] code {{ white-space: pre-wrap; word-break: break-all; }}
  [data-testid="stMarkdownContainer"] table, [data-testid="stTable"] table {{ display: block; overflow-x: auto;
    max-width: 100%; }}
  [data-testid="stMarkdownContainer"] td, [data-testid="stMarkdownContainer"] th,
  [data-testid="stTable"] td, [data-testid="stTable"] th {{ white-space: normal; overflow-wrap: anywhere; }}
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, [data-testid="stWidgetLabel"] *,
  [data-testid="stMetricDelta"] *, [data-testid="stMetricLabel"] *, [data-testid="stTooltipContent"] *,
  [data-testid="stMarkdownContainer"] small, [data-testid="stMarkdownContainer"] sub,
  [data-testid="stMarkdownContainer"] sup, [data-testid="stMarkdownContainer"] span,
  [data-testid="stMarkdownContainer"] code, [data-testid="stCode"] code,
  [data-testid="stExpander"] summary *, [data-testid="stNotificationContentInfo"] *, [data-testid="stTab"] *,
  button *, label * {{ font-size: max(1em, {MIN_TEXT_PX}px); }}
}}
</style>"""

WIDTH_JS = f"""
export default function (component) {{
  const {{ setTriggerValue }} = component;
  if (window.__qualityWidthReported) return;
  window.__qualityWidthReported = true;
  if (window.innerWidth <= {NARROW_PX}) setTriggerValue("narrow", window.innerWidth);
}}
"""
_width_reporter = st.components.v2.component("quality_window_width", js=WIDTH_JS)


@alt.theme.register(CHART_THEME, enable=False)
def chart_theme() -> alt.theme.ThemeConfig:
    """Chart text at 14 px (axes, legends, labels), so no chart writes smaller than the page on a phone."""
    text = {"labelFontSize": MIN_TEXT_PX, "titleFontSize": MIN_TEXT_PX}
    return alt.theme.ThemeConfig({"config": {
        "axis": {**text, "labelOverlap": "greedy"}, "legend": text, "header": text,
        "text": {"fontSize": MIN_TEXT_PX}, "title": {"fontSize": MIN_TEXT_PX + 2}}})


def apply_layout_css() -> None:
    """The app-wide layout for narrow screens (CSS, taking no room) and 14 px chart text: call once per run."""
    if alt.theme.active != CHART_THEME:
        alt.theme.enable(CHART_THEME)
    st.html(LAYOUT_CSS)


def phone_headers(headers) -> bool:
    """Whether request headers come from a phone: Sec-CH-UA-Mobile: ?1, or a phone's (not a tablet's) user agent."""
    if str(headers.get("Sec-CH-UA-Mobile", "")).strip() == "?1":
        return True
    agent = str(headers.get("User-Agent", ""))
    return bool(PHONE_AGENT.search(agent)) and "iPad" not in agent


def phone_browser() -> bool:
    """Whether this session's browser is a phone, by the headers of its first request (st.context.headers)."""
    return phone_headers(st.context.headers)


def landing_page() -> str:
    """The url path the app opens on: phone on a phone, overview elsewhere."""
    return "phone" if phone_browser() else "overview"


def land_on_phone(page) -> None:
    """Switch once to the phone view when a browser not known as a phone reports a narrow window on the landing page."""
    if st.session_state.get(REPORTED_KEY) or phone_browser():
        return
    if not _width_reporter(key=WIDTH_KEY, on_narrow_change=lambda: None).narrow:
        return
    st.session_state[REPORTED_KEY] = True
    if page.url_path == "":
        st.switch_page(PHONE_PAGE)
