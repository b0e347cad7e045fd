"""会议模式 Meeting mode: the monthly quality meeting on a 1920×1080 projector, one topic per screen.

Pick the month; ← / → (or a clicker's PageUp / PageDown, or the buttons) turn the screens, optionally by themselves
every few seconds; a long list continues on the next screen. The sidebar and header are hidden on this page only.
The download button gives the same screens as one PDF; a button switches between Chinese and English.
"""
import datetime as dt
import functools
import time
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app import ui
from app.data import clock_instant, today, years_with_data
from app.i18n import month_label, t
from app.meeting_deck import (SLIDE_CSS, STAGE_PX, TICK_SECONDS, deck_slides, meeting_moment, meeting_pack, month_screens,
                              slide_chart, slide_html)
from warehouse.kpis import Period

AUTO_SECONDS = [0, 15, 30, 60]
OVERVIEW = Path(__file__).with_name("overview.py")


def meeting_months(years: list[int], day: dt.date) -> list[tuple[int, int]]:
    """Every month of the years with data up to this month, newest first."""
    return [(y, m) for y in sorted(years, reverse=True) for m in range(12, 0, -1) if (y, m) <= (day.year, day.month)]


def usual_month(months: list[tuple[int, int]], day: dt.date) -> tuple[int, int]:
    """The month a meeting usually reviews: the one that ended last, else the newest with data."""
    last = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return last if last in months else months[0]


def turn(step: int, count: int) -> None:
    """Button callback: the next or previous slide (kept within the deck)."""
    st.session_state["meeting_slide"] = min(max(st.session_state.get("meeting_slide", 0) + step, 0), count - 1)
    st.session_state["meeting_shown_at"] = time.time()


@st.fragment(run_every=TICK_SECONDS)
def auto_advance(seconds: int, count: int) -> None:
    """Every tick: once the slide has been shown for seconds, the next one (after the last, the first again)."""
    if time.time() - st.session_state.get("meeting_shown_at", time.time()) >= seconds:
        st.session_state["meeting_slide"] = (st.session_state.get("meeting_slide", 0) + 1) % count
        st.session_state["meeting_shown_at"] = time.time()
        st.rerun(scope="app")


def keep(name: str, widget: str) -> None:
    """Widget callback: the choice kept under its own name, so the same choice shows after a language switch."""
    st.session_state[name] = st.session_state[widget]


def in_language(name: str, language: str) -> str:
    """The key of the select box for name in the language: a widget with a fixed key keeps the option texts it was
    first drawn with, so each language draws its own box, starting from the choice kept under name (not a widget's
    key, so it outlives the box of the other language)."""
    key = f"{name}_box_{language}"
    st.session_state[key] = st.session_state[name]
    return key


def switch_language() -> None:
    """Button callback: the other language (the sidebar, where the language is usually chosen, is hidden here)."""
    st.session_state["lang"] = "en" if st.session_state.get("lang", "zh") == "zh" else "zh"


def exit_link(language: str) -> None:
    """A link back to the overview (none when this page runs on its own, as in a test)."""
    try:
        st.page_link(OVERVIEW, label=t("meeting_exit", language), icon=":material/logout:")
    except StreamlitAPIException:
        pass


lang = ui.lang()
if st.session_state.get("warehouse_state", ("missing",))[0] != "ready":
    ui.page_start("page.meeting")               # the title and how to load data; stops here
snapshot = st.session_state["snapshot"]
st.html(SLIDE_CSS)

day = today()
months = meeting_months(years_with_data(snapshot) or [day.year], day)
if st.session_state.get("meeting_month") not in months:
    st.session_state["meeting_month"] = usual_month(months, day)
year, month = st.session_state["meeting_month"]
moment = meeting_moment(year, month, clock_instant())
screens = month_screens(snapshot, year, month, lang, moment)
slides = deck_slides(screens)
if st.session_state.get("meeting_deck_of") != (year, month):
    st.session_state.update(meeting_deck_of=(year, month), meeting_slide=0, meeting_shown_at=time.time())
index = min(st.session_state.get("meeting_slide", 0), len(slides) - 1)
count = len(slides)
slide = slides[index]

with st.container(horizontal=True, vertical_alignment="center", key="meeting-controls", gap="small"):
    st.button(t("meeting_prev", lang), key="meeting_prev", icon=":material/chevron_left:", shortcut="Left",
              disabled=index == 0, on_click=turn, args=(-1, count))
    st.markdown(f"**{t('meeting_position', lang).format(n=index + 1, total=count)}**", width="content")
    st.button(t("meeting_next", lang), key="meeting_next", icon=":material/chevron_right:", icon_position="right",
              shortcut="Right", disabled=index == count - 1, on_click=turn, args=(1, count), type="primary")
    st.button("PageUp", key="meeting_page_up", shortcut="PageUp", on_click=turn, args=(-1, count))
    st.button("PageDown", key="meeting_page_down", shortcut="PageDown", on_click=turn, args=(1, count))
    month_key = in_language("meeting_month", lang)
    st.selectbox(t("meeting_month", lang), months, key=month_key, label_visibility="collapsed", width=200,
                 on_change=keep, args=("meeting_month", month_key),
                 format_func=lambda ym: f"{ym[0]}年{ym[1]}月" if lang != "en" else f"{month_label(ym[1], 'en')} {ym[0]}")
    st.session_state.setdefault("meeting_auto", 0)
    auto_key = in_language("meeting_auto", lang)
    seconds = st.selectbox(t("meeting_auto", lang), AUTO_SECONDS, key=auto_key, label_visibility="collapsed",
                           width=230, on_change=keep, args=("meeting_auto", auto_key),
                           format_func=lambda s: t("meeting_auto_every", lang).format(seconds=s) if s
                           else t("meeting_auto_off", lang))
    st.download_button(t("meeting_pdf", lang), functools.partial(meeting_pack, snapshot, year, month, lang, moment),
                       file_name=f"quality-meeting-{year}-{month:02d}-{lang}.pdf", mime="application/pdf",
                       key="meeting_pdf", icon=":material/picture_as_pdf:", on_click="ignore")
    st.caption(t("meeting_keys", lang), width="content")
    st.button("English" if lang == "zh" else "中文", key="meeting_language", icon=":material/translate:",
              help=t("language", lang), on_click=switch_language)
    ui.rows_behind([f.code for row in slide.rows for f in row] + [f.code for f in slide.strip], lang,
                   Period(year, month), popover=True)
    exit_link(lang)

spans = t("meeting_spans", lang).format(month=slide.screen.period, ytd=slide.screen.ytd_period,
                                         prior=slide.screen.prior_period)
with st.container(key="meeting-stage", gap="small", height=STAGE_PX, border=False):   # the chart takes the room left
    st.html(slide_html(slide, index + 1, count, spans))
    chart = slide_chart(snapshot, slide, year, month, day)
    if chart is not None:
        st.altair_chart(chart, width="stretch", height="stretch", theme=None)   # the projector: black on white
if seconds:
    auto_advance(seconds, count)
