"""The meeting page's deck: a month's meeting screens (presentation.meeting) read once per snapshot, split into slides that fit
a 1920×1080 projector without scrolling, each slide as HTML, and the meeting pack PDF.

Every size below is a CSS pixel at 1920×1080. The slide's CSS (SLIDE_CSS) gives cards, table rows and the header
fixed heights from the same numbers, so what the pager counts is what the browser draws; like the PDF pager, it
keeps a table on one slide when it fits one and otherwise continues it on the next slide under its repeated
header and title, marked （续）. A slide without cards carries a strip of the screen's year-to-date figures against
last year's, so every slide shows the comparison.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path

import streamlit as st

import pandas as pd

from app.charts import meeting_trend_chart
from app.data import CACHE, app_settings, monthly_kpis, yearly_kpis
from app.i18n import t
from expectations import check_name
from presentation import Figure, Screen, Table, meeting_pack_pdf, meeting_screens, word
from warehouse.db import SnapshotId, read_connection
from warehouse.kpis import REGISTRY, Period
from warehouse.settings import Settings

VIEW_W, VIEW_H = 1920, 1080
PAGE_PAD_Y, PAGE_PAD_X = 12, 24        # the main block's padding on the meeting page
CONTROLS_PX, GAP_PX = 48, 16           # the row of buttons above the slide; Streamlit's gap between elements
STAGE_TOP_PX = 2 * PAGE_PAD_Y + CONTROLS_PX + GAP_PX   # the screen's height above and below the stage
STAGE_PX = VIEW_H - STAGE_TOP_PX       # the slide and its chart, framed down to the bottom of the screen
SLIDE_PAD = 16                         # inside the slide's border
HEAD_PX = 104                          # title, subtitle and month
CARD_COLUMNS, CARD_GAP = 4, 16
CARD_PX, CARD_PLAIN_PX = 300, 214      # a figure card with and without its year-to-date lines
TABLE_TITLE_PX, TABLE_HEAD_PX, TABLE_ROW_PX, BLOCK_GAP = 50, 50, 48, 14
TABLE_PX = 28
NOTE_PX, NOTE_LINE_PX, NOTE_GAP = 26, 36, 4
STRIP_LINE_PX, STRIP_PX = 40, 24       # the year-to-date strip: line height, font size
SAFETY_PX = 24
CHART_MIN_PX = 300                     # the least room a chart needs (its plot, axes and legend); it takes what is free
CHART_FRAME_PX = 96                    # of a chart's height: its axes, their titles and the legend above the plot
CHART_MONTHS, CHART_YEARS = 13, 5      # a monthly chart: this month and the twelve before; a yearly one: five years
CONTENT_W = VIEW_W - 2 * PAGE_PAD_X - 2 * SLIDE_PAD - 4
CONTENT_PX = VIEW_H - 2 * PAGE_PAD_Y - CONTROLS_PX - GAP_PX - 2 * SLIDE_PAD - 4 - HEAD_PX - SAFETY_PX
MIN_TABLE_ROWS = 3
TICK_SECONDS = 1.0                     # how often auto-advance looks at the clock

INK, MUTED, RULE, GOOD, BAD, HEAD_FILL = "#000000", "#1f1f1f", "#3a3a3a", "#00662b", "#c00000", "#d6d6d6"
STATUS_CLASS = {"met": "mt-met", "missed": "mt-missed"}
TREND_CLASS = {"better": "mt-good", "worse": "mt-bad"}
MARK_CLASS = {"✓": "mt-good", "✗": "mt-bad"}


# Reading the month ------------------------------------------------------------------------------------------


def meeting_moment(year: int, month: int, now: dt.datetime) -> dt.date | dt.datetime:
    """The instant the screens are judged at: now to 10 minutes while the month runs, else today (daily changes)."""
    if (year, month) == (now.year, now.month):
        return now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
    return now.date()


def month_screens(snapshot: SnapshotId, year: int, month: int, lang: str,
                  moment: dt.date | dt.datetime) -> list[Screen]:
    """The meeting's screens for the month in lang (presentation.meeting), cached per snapshot, moment and settings."""
    return _month_screens(snapshot, year, month, lang, moment, app_settings())


@st.cache_data(**CACHE)
def _month_screens(snapshot, year, month, lang, moment, settings: Settings) -> list[Screen]:
    """month_screens, cached."""
    with read_connection(Path(snapshot.path)) as con:
        return meeting_screens(con, year, month, settings, lang, moment, check_name)


def meeting_pack(snapshot: SnapshotId, year: int, month: int, lang: str, moment: dt.date | dt.datetime) -> bytes:
    """The whole meeting pack as one PDF (presentation.meeting.meeting_pack_pdf), cached per snapshot, month and language."""
    return _meeting_pack(snapshot, year, month, lang, moment, app_settings())


@st.cache_data(**CACHE)
def _meeting_pack(snapshot, year, month, lang, moment, settings: Settings) -> bytes:
    """meeting_pack, cached."""
    return meeting_pack_pdf(_month_screens(snapshot, year, month, lang, moment, settings))


# Slides ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    """What one projector screen shows: a part of a meeting screen that fits 1920×1080."""

    screen: Screen
    part: int                                   # 0: the screen's first slide; 1, 2 …: its continuations
    rows: tuple[tuple[Figure, ...], ...] = ()   # rows of figure cards
    notes: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()              # a continued table's title ends in （续） and holds its next rows
    strip: tuple[Figure, ...] = ()              # on a slide without cards: the screen's year-to-date figures
    free: int = 0                               # px left under the content at 1920×1080
    chart: tuple[str, ...] = ()                 # the KPIs of the chart under the content, which takes the free room


def em_width(text: str) -> float:
    """The text's width in em: CJK and full-width characters 1, everything else about 0.56."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.56 for c in text)


def lines_of(text: str, width_px: float, font_px: float) -> int:
    """How many lines the text takes when wrapped into width_px at font_px (a slight overestimate)."""
    per_line = max(1.0, width_px / font_px - 1)
    return max(1, math.ceil(em_width(text) / per_line))


def figure_rows(figures: tuple[Figure, ...]) -> list[tuple[Figure, ...]]:
    """Figures in rows of at most CARD_COLUMNS cards, a new row where the group changes (as the PDF)."""
    rows: list[list[Figure]] = []
    for f in figures:
        if not rows or len(rows[-1]) == CARD_COLUMNS or rows[-1][-1].group != f.group:
            rows.append([])
        rows[-1].append(f)
    return [tuple(r) for r in rows]


def strip_text(f: Figure, lang: str) -> str:
    """'原料进厂检验合格率 累计 96.0%（上年同期 96.0%）＝ 0.0 个百分点' for the year-to-date strip."""
    return f"{f.label} {f.ytd_label} {f.ytd}（{f.prior_label} {f.prior_ytd}）{f.delta}" if lang != "en" else \
        f"{f.label} {f.ytd_label} {f.ytd} ({f.prior_label} {f.prior_ytd}) {f.delta}"


def strip_height(figures: tuple[Figure, ...], lang: str) -> int:
    """Height of the year-to-date strip: its items packed into lines (0 without figures)."""
    if not figures:
        return 0
    lines, used = 1, 0.0
    room = CONTENT_W / STRIP_PX - 1
    for f in figures:
        item = em_width(strip_text(f, lang)) + 2.5
        if used and used + item > room:
            lines, used = lines + 1, 0.0
        used += item
    return lines * STRIP_LINE_PX + BLOCK_GAP + 8


def notes_height(notes) -> int:
    """Height of the notes: each wrapped at NOTE_PX across the slide, beside its bullet."""
    return sum(lines_of(n, CONTENT_W - 40, NOTE_PX) * NOTE_LINE_PX + NOTE_GAP for n in notes) + BLOCK_GAP


class _Pager:
    """Places a screen's figures, notes and tables top to bottom, starting a new slide when the next does not fit."""

    def __init__(self, screen: Screen):
        self.screen, self.slides = screen, []
        self.ytd = tuple(f for f in screen.figures if f.ytd)
        self.figures_done = not screen.figures
        self._start()

    def _start(self) -> None:
        self.rows, self.notes, self.tables, self.chart = [], [], [], ()
        self.strip = self.ytd if self.slides and self.figures_done else ()
        self.used = strip_height(self.strip, self.screen.lang)

    def room(self) -> int:
        return CONTENT_PX - self.used

    def need(self, height: int) -> None:
        if height > self.room() and (self.rows or self.notes or self.tables):
            self.flush()

    def add_chart(self, codes: tuple[str, ...]) -> None:
        """The screen's chart under the last of its content, or on a slide of its own when too little room is left;
        it takes all the room left on its slide."""
        if codes:
            self.need(CHART_MIN_PX + GAP_PX)
            self.chart = codes

    def flush(self) -> None:
        self.slides.append(Slide(self.screen, len(self.slides), tuple(self.rows), tuple(self.notes),
                                 tuple(self.tables), self.strip, max(0, self.room()), self.chart))
        self._start()

    def figures(self) -> None:
        for row in figure_rows(self.screen.figures):
            height = (CARD_PX if any(f.ytd for f in row) else CARD_PLAIN_PX) + CARD_GAP
            self.need(height)
            self.rows.append(row)
            self.used += height
        self.figures_done = True

    def add_notes(self) -> None:
        if self.screen.notes:
            height = notes_height(self.screen.notes)
            self.need(height)
            self.notes.extend(self.screen.notes)
            self.used += height

    def table(self, table: Table) -> None:
        rows = list(table.rows)
        if not rows:
            self.need(TABLE_TITLE_PX + BLOCK_GAP)
            self.tables.append(table)
            self.used += TABLE_TITLE_PX + BLOCK_GAP
            return
        whole = TABLE_TITLE_PX + TABLE_HEAD_PX + TABLE_ROW_PX * len(rows) + BLOCK_GAP
        fresh = CONTENT_PX - strip_height(self.ytd, self.screen.lang)
        self.need(whole if whole <= fresh else TABLE_TITLE_PX + TABLE_HEAD_PX + TABLE_ROW_PX * MIN_TABLE_ROWS)
        first = True
        while rows:
            fit = max(1, (self.room() - TABLE_TITLE_PX - TABLE_HEAD_PX - BLOCK_GAP) // TABLE_ROW_PX)
            chunk, rows = rows[:fit], rows[fit:]
            title = table.title + ("" if first else word("cont", self.screen.lang))
            self.tables.append(Table(title, table.columns, tuple(chunk), table.align, table.empty))
            self.used += TABLE_TITLE_PX + TABLE_HEAD_PX + TABLE_ROW_PX * len(chunk) + BLOCK_GAP
            first = False
            if rows:
                self.flush()


def screen_slides(screen: Screen) -> list[Slide]:
    """One meeting screen as the slides it needs: figures, then notes, then tables (the PDF's order)."""
    pager = _Pager(screen)
    pager.figures()
    pager.add_notes()
    for table in screen.tables:
        pager.table(table)
    pager.add_chart(chart_codes(screen))
    if pager.rows or pager.notes or pager.tables or pager.chart or not pager.slides:
        pager.flush()
    return pager.slides


def chart_codes(screen: Screen) -> tuple[str, ...]:
    """The KPIs a screen charts under its content: its monthly rates (%), else its yearly figures of the unit most of
    them share; none for the scorecard (its cards are the screen) and for figures outside the registry."""
    if screen.key == "scorecard":
        return ()
    codes = [f.code for f in screen.figures if f.code in REGISTRY]
    monthly = tuple(c for c in codes if REGISTRY[c].unit == "%" and REGISTRY[c].aggregate == "sum")
    if monthly:
        return monthly
    yearly = [c for c in codes if REGISTRY[c].aggregate == "year" and REGISTRY[c].unit in ("%", "score")]
    units = [REGISTRY[c].unit for c in yearly]
    common = max(set(units), key=units.count) if units else None
    return tuple(c for c in yearly if REGISTRY[c].unit == common)


def chart_height(slide: Slide) -> int:
    """The plot's height of the slide's chart: the free room under the content less the gap, axes and legend."""
    return max(0, slide.free - GAP_PX - CHART_FRAME_PX)


def chart_frame(snapshot: SnapshotId, codes: tuple[str, ...], year: int, month: int, lang: str,
                day: dt.date) -> pd.DataFrame:
    """label, period, value, target of the chart's KPIs: the thirteen months up to the month (every month, a month
    without data empty), or for yearly KPIs the five years up to the month's year."""
    if all(REGISTRY[c].aggregate == "year" for c in codes):
        frame = yearly_kpis(snapshot, codes, tuple(range(year - CHART_YEARS + 1, year + 1)), lang, day)
        frame = frame.assign(period=frame["year"].astype(int).astype(str))
    else:
        frame = monthly_kpis(snapshot, codes, CHART_MONTHS, Period(year, month), day)
        frame = frame.assign(period=[f"{int(y)}-{int(m):02d}" for y, m in zip(frame["year"], frame["month"])])
    return frame.assign(label=frame["kpi"].map(lambda c: REGISTRY[c].label(lang)))[
        ["label", "period", "value", "target"]]


def slide_chart(snapshot: SnapshotId, slide: Slide, year: int, month: int, day: dt.date):
    """The slide's chart (charts.meeting_trend_chart) in the room it has, or None."""
    if not slide.chart:
        return None
    lang = slide.screen.lang
    frame = chart_frame(snapshot, slide.chart, year, month, lang, day)
    if frame["value"].isna().all():
        return None
    return meeting_trend_chart(frame, lang, t(f"trend_axis.{REGISTRY[slide.chart[0]].unit}", lang), chart_height(slide))


def deck_slides(screens: list[Screen]) -> list[Slide]:
    """Every screen's slides, in meeting order."""
    return [slide for screen in screens for slide in screen_slides(screen)]


# Slides as HTML ----------------------------------------------------------------------------------------------


def _h(text) -> str:
    return escape(str(text), quote=True)


def card_html(f: Figure, lang: str) -> str:
    """One figure card: label, value with ✓ / ✗, basis, target and status, YTD against last year's, ▲ ▼ change."""
    status = STATUS_CLASS.get(f.status, "")
    mark = {"met": "✓", "missed": "✗"}.get(f.status, "")
    basis = " · ".join(x for x in (f.value_label, f.basis) if x)
    parts = [f'<div class="mt-label">{_h(f.label)}</div>',
             f'<div class="mt-value-row"><span class="mt-value">{_h(f.value)}</span>'
             + (f'<span class="mt-mark {TREND_CLASS["better" if mark == "✓" else "worse"]}">{mark}</span>' if mark
                else "") + "</div>",
             f'<div class="mt-basis">{_h(basis)}</div>']
    if f.ytd:
        target = f"{word('target', lang)} {f.target}" if f.target != "—" else word("no_target", lang)
        if f.status in STATUS_CLASS:
            target += f" · {f.status_text}"
        parts += [f'<div class="mt-target {status}">{_h(target)}</div>',
                  f'<div class="mt-ytd"><span>{_h(f.ytd_label)} <b>{_h(f.ytd)}</b></span>'
                  f'<span>{_h(f.prior_label)} <b>{_h(f.prior_ytd)}</b></span></div>',
                  f'<div class="mt-delta {TREND_CLASS.get(f.trend, "")}">'
                  f'{_h(" ".join(x for x in (f.delta, f.trend_text) if x))}</div>']
    kind = "mt-card" if f.ytd else "mt-card mt-plain"
    return f'<div class="{kind} {status}" data-kpi="{_h(f.code)}">{"".join(parts)}</div>'


def column_widths(table: Table) -> list[float]:
    """Each column's share of the table's width (%), from its widest text (as the PDF sizes its columns)."""
    widths = [max(4.0, em_width(c) + 1.5) for c in table.columns]
    for row in table.rows:
        for i, cell in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], min(em_width(cell) + 1.5, 40.0))
    total = sum(widths)
    return [round(100 * w / total, 2) for w in widths]


def table_html(table: Table) -> str:
    """A list: title, header and fixed-height rows (long cells end in …); an empty list's message beside its title."""
    title = f'<div class="mt-table-title">{_h(table.title)}'
    if not table.rows:
        return f'<div class="mt-table">{title}<span class="mt-empty">{_h(table.empty)}</span></div></div>'
    aligns = [(table.align[i] if i < len(table.align) else "L") for i in range(len(table.columns))]
    cols = "".join(f'<col style="width:{w}%">' for w in column_widths(table))
    head = "".join(f'<th class="mt-{a}">{_h(c)}</th>' for c, a in zip(table.columns, aligns))
    body = "".join(
        "<tr>" + "".join(f'<td class="mt-{a} {MARK_CLASS.get(str(cell)[:1], "")}" title="{_h(cell)}">{_h(cell)}</td>'
                         for cell, a in zip(row, aligns)) + "</tr>" for row in table.rows)
    return (f'<div class="mt-table">{title}</div><table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def slide_html(slide: Slide, number: int, total: int, spans: str) -> str:
    """The slide as HTML: header (both titles, month, YTD spans, as-of), then YTD strip, cards, notes and lists."""
    s = slide.screen
    other = "zh" if s.lang == "en" else "en"
    title = s.title() + (word("cont", s.lang) if slide.part else "")
    sub = " · ".join(x for x in (s.title(other), spans, word("demo", s.lang) if s.demo else "") if x)
    head = (f'<div class="mt-head"><div class="mt-title-row"><div class="mt-title">{_h(title)}</div>'
            f'<div class="mt-period">{_h(s.period)}</div></div><div class="mt-sub-row"><div class="mt-sub">{_h(sub)}'
            f'</div><div class="mt-asof">{_h(s.as_of)}</div></div></div>')
    body = []
    if slide.strip:
        items = "".join(f'<span class="mt-chip {TREND_CLASS.get(f.trend, "")}">{_h(strip_text(f, s.lang))}</span>'
                        for f in slide.strip)
        body.append(f'<div class="mt-strip">{items}</div>')
    for row in slide.rows:
        body.append('<div class="mt-row">' + "".join(card_html(f, s.lang) for f in row) + "</div>")
    if slide.notes:
        body.append('<ul class="mt-notes">' + "".join(f"<li>{_h(n)}</li>" for n in slide.notes) + "</ul>")
    body.extend(table_html(t) for t in slide.tables)
    lang = "en" if s.lang == "en" else "zh-CN"
    return (f'<section class="mt-slide" lang="{lang}" data-screen="{_h(s.key)}" data-slide="{number}" '
            f'data-slides="{total}">{head}<div class="mt-body">{"".join(body)}</div></section>')


SLIDE_CSS = f"""<style>
/* The meeting page only: no sidebar, no header, the slide fills the projector. */
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: {PAGE_PAD_Y}px {PAGE_PAD_X}px !important; max-width: none; }}
.st-key-meeting-controls {{ min-height: {CONTROLS_PX}px; }}
.st-key-meeting_page_down, .st-key-meeting_page_up {{ display: none; }}
.mt-slide {{ background: #fff; color: {INK}; border: 2px solid {INK}; padding: {SLIDE_PAD}px; box-sizing: border-box;
  font-size: 26px; line-height: 1.3; }}
/* The stage: the slide and its chart in one frame down to the bottom of the screen; the chart takes the free room. */
.st-key-meeting-stage {{ background: #fff; border: 2px solid {INK}; padding: {SLIDE_PAD}px; box-sizing: border-box;
  overflow: hidden; }}
.st-key-meeting-stage .mt-slide {{ border: none; padding: 0; }}
.mt-head {{ height: {HEAD_PX}px; box-sizing: border-box; border-bottom: 3px solid {INK}; margin-bottom: 0; }}
.mt-title-row, .mt-sub-row {{ display: flex; justify-content: space-between; align-items: baseline; gap: 24px; }}
.mt-title {{ font-size: 46px; font-weight: 700; line-height: 58px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.mt-period {{ font-size: 38px; font-weight: 700; white-space: nowrap; }}
.mt-sub {{ font-size: 24px; color: {MUTED}; line-height: 36px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.mt-asof {{ font-size: 24px; font-weight: 700; color: {BAD}; white-space: nowrap; }}
.mt-body {{ padding-top: {BLOCK_GAP}px; }}
.mt-row {{ display: flex; justify-content: center; gap: {CARD_GAP}px; margin-bottom: {CARD_GAP}px; }}
.mt-card {{ flex: 0 0 calc((100% - {(CARD_COLUMNS - 1) * CARD_GAP}px) / {CARD_COLUMNS}); height: {CARD_PX}px;
  box-sizing: border-box; border: 2px solid {INK}; padding: 10px 16px; overflow: hidden; }}
.mt-card.mt-plain {{ height: {CARD_PLAIN_PX}px; }}
.mt-card.mt-met {{ border: 5px solid {GOOD}; }}
.mt-card.mt-missed {{ border: 5px solid {BAD}; }}
.mt-label {{ font-size: 26px; font-weight: 700; line-height: 32px; height: 64px; overflow: hidden;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }}
.mt-value-row {{ display: flex; justify-content: space-between; align-items: center; height: 78px; }}
.mt-value {{ font-size: 64px; font-weight: 700; line-height: 78px; white-space: nowrap; }}
.mt-mark {{ font-size: 52px; font-weight: 700; }}
.mt-basis, .mt-target, .mt-ytd, .mt-delta {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.mt-basis {{ font-size: 22px; line-height: 30px; color: {MUTED}; }}
.mt-plain .mt-basis {{ white-space: normal; height: 60px; }}
.mt-target {{ font-size: 24px; line-height: 34px; font-weight: 700; color: {MUTED}; }}
.mt-target.mt-met {{ color: {GOOD}; }} .mt-target.mt-missed {{ color: {BAD}; }}
.mt-ytd {{ font-size: 26px; line-height: 36px; display: flex; gap: 22px; }}
.mt-delta {{ font-size: 26px; line-height: 36px; font-weight: 700; }}
.mt-good {{ color: {GOOD}; }} .mt-bad {{ color: {BAD}; }}
.mt-strip {{ display: flex; flex-wrap: wrap; gap: 4px 14px; margin-bottom: {BLOCK_GAP}px; }}
.mt-chip {{ font-size: {STRIP_PX}px; line-height: {STRIP_LINE_PX - 4}px; border: 2px solid {RULE}; padding: 0 10px;
  font-weight: 600; white-space: nowrap; }}
.mt-notes {{ margin: 0 0 {BLOCK_GAP}px 0; padding-left: 36px; }}
.mt-notes li {{ font-size: {NOTE_PX}px; line-height: {NOTE_LINE_PX}px; margin: 0 0 {NOTE_GAP}px 0; color: {MUTED}; }}
.mt-table {{ margin-bottom: {BLOCK_GAP}px; }}
.mt-table-title {{ font-size: 30px; font-weight: 700; line-height: {TABLE_TITLE_PX}px; height: {TABLE_TITLE_PX}px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.mt-empty {{ font-weight: 400; color: {MUTED}; margin-left: 24px; font-size: {TABLE_PX}px; }}
.mt-slide table {{ width: 100%; table-layout: fixed; border-collapse: collapse; font-size: {TABLE_PX}px; }}
.mt-slide th {{ background: {HEAD_FILL}; height: {TABLE_HEAD_PX}px; font-weight: 700; }}
.mt-slide td {{ height: {TABLE_ROW_PX}px; border-bottom: 2px solid {RULE}; }}
.mt-slide th, .mt-slide td {{ padding: 0 10px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  box-sizing: border-box; color: {INK}; }}
.mt-slide td.mt-good {{ color: {GOOD}; font-weight: 700; }} .mt-slide td.mt-bad {{ color: {BAD}; font-weight: 700; }}
.mt-L {{ text-align: left; }} .mt-R {{ text-align: right; }} .mt-C {{ text-align: center; }}

/* A window shorter than 1080 px (a browser not in full screen, a 768 px laptop): the whole screen scaled down. */
@media (min-width: 641px) and (max-height: 1079px) {{ [data-testid="stMainBlockContainer"] {{ zoom: 0.9; }} }}
@media (min-width: 641px) and (max-height: 980px) {{ [data-testid="stMainBlockContainer"] {{ zoom: 0.8; }} }}
@media (min-width: 641px) and (max-height: 881px) {{ [data-testid="stMainBlockContainer"] {{ zoom: 0.7; }} }}
@media (min-width: 641px) and (max-height: 781px) {{ [data-testid="stMainBlockContainer"] {{ zoom: 0.6; }} }}

/* The same page on a phone: one card per line, type that fits, lists that wrap. */
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding: 8px 8px !important; }}
  .mt-slide {{ font-size: 16px; padding: 8px; }}
  .st-key-meeting-stage {{ padding: 8px; height: auto !important; }}
  .st-key-meeting-stage [data-testid="stVegaLiteChart"] {{ min-height: 360px; }}
  .mt-head {{ height: auto; padding-bottom: 6px; }}
  .mt-title-row, .mt-sub-row {{ flex-wrap: wrap; gap: 4px 12px; }}
  .mt-title {{ font-size: 24px; line-height: 30px; white-space: normal; }}
  .mt-period {{ font-size: 20px; }}
  .mt-sub, .mt-asof {{ font-size: 15px; line-height: 20px; white-space: normal; }}
  .mt-row {{ flex-direction: column; }}
  .mt-card, .mt-card.mt-plain {{ flex: none; height: auto; }}
  .mt-label {{ font-size: 17px; line-height: 22px; height: auto; }}
  .mt-value-row {{ height: auto; }} .mt-value {{ font-size: 40px; line-height: 48px; }} .mt-mark {{ font-size: 32px; }}
  .mt-basis, .mt-target, .mt-ytd, .mt-delta {{ font-size: 16px; line-height: 22px; white-space: normal; }}
  .mt-plain .mt-basis {{ height: auto; }}
  .mt-chip {{ font-size: 15px; line-height: 22px; white-space: normal; }}
  .mt-notes li {{ font-size: 15px; line-height: 21px; }}
  .mt-table-title {{ font-size: 17px; line-height: 24px; height: auto; white-space: normal; }}
  .mt-empty {{ font-size: 15px; margin-left: 8px; }}
  .mt-slide table {{ font-size: 14px; table-layout: auto; }}
  .mt-slide th, .mt-slide td {{ height: auto; padding: 4px; white-space: normal; overflow-wrap: anywhere; }}
}}
</style>"""
