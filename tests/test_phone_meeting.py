"""The phone view and meeting mode under AppTest, each page file run on its own with the session state the entry
file sets (language, period, snapshot, warehouse state), on the demo warehouse; the meeting deck's paging as plain
functions; the layout's phone detection.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import app.data
import app.meeting_deck as deck
from app.charts import kpi_trend_chart
from app.layout import LAYOUT_CSS, phone_headers
from app.meeting_deck import (CARD_PLAIN_PX, CARD_PX, CONTENT_PX, MIN_TABLE_ROWS, TABLE_HEAD_PX, TABLE_ROW_PX,
                              TABLE_TITLE_PX, deck_slides, figure_rows, notes_height, screen_slides, strip_height)
from presentation.meeting import SCORECARD, Screen, Table, meeting_screens
from tests.conftest import query
from warehouse.db import read_connection, snapshot_id
from warehouse.kpis import REGISTRY, Period, format_value, kpi_values
from warehouse.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
PHONE, MEETING = str(ROOT / "app" / "views" / "phone.py"), str(ROOT / "app" / "views" / "meeting.py")
CODES = [code for _, _, codes in SCORECARD for code in codes]
YEAR_2021 = Period(2021)
ROW = re.compile(r'<div class="ph-row" data-kpi="(?P<kpi>[^"]+)" data-status="(?P<status>[^"]+)">'
                 r'<span class="ph-light [^"]+" title="(?P<light>[^"]+)"[^>]*>(?P<symbol>[^<]+)</span>'
                 r'<span><span class="ph-label">(?P<label>[^<]+)</span><span class="ph-line">(?P<line>.*?)</span></span>'
                 r'(?P<spark><img[^>]*>)?(?:<span></span>)?<span class="ph-value">(?P<value>[^<]+)</span></div>', re.S)
TAGS = re.compile(r"<[^>]+>")


def page_app(path: str, warehouse: Path | None, lang: str = "zh", period: Period = YEAR_2021) -> AppTest:
    """An AppTest of one page file with the session state app/main.py would set."""
    at = AppTest.from_file(path, default_timeout=120)
    snapshot = snapshot_id(warehouse) if warehouse else None
    at.session_state["lang"] = lang
    at.session_state["period"] = period
    at.session_state["years"] = list(range(2026, 2018, -1))
    at.session_state["period_kind"] = "year" if period.month is None else ("ytd" if period.ytd else "month")
    at.session_state["year"], at.session_state["month"] = period.year, period.month or 12
    at.session_state["snapshot"] = snapshot
    at.session_state["warehouse_state"] = ("ready", True, None) if snapshot else ("missing", False, None)
    return at


def cards(at: AppTest) -> dict[str, dict]:
    """The phone view's rows by KPI code, in page order: status, light word and symbol, label, value, the line under
    the label (YoY change, target, note) as text, whether it has a sparkline."""
    found = {}
    for element in at.html:
        match = ROW.search(element.value)
        if match:
            row = {k: unescape(v) if isinstance(v, str) else v for k, v in match.groupdict().items()}
            row["line"] = unescape(TAGS.sub("", match["line"]))
            found[match["kpi"]] = row
    return found


def slide_of(at: AppTest) -> str:
    """The HTML of the slide the meeting page shows."""
    found = [h.value for h in at.html if 'class="mt-slide"' in h.value]
    assert len(found) == 1, [h.value[:80] for h in at.html]
    return found[0]


def slide_number(at: AppTest) -> tuple[int, int]:
    """(n, total) of the slide shown."""
    match = re.search(r'data-slide="(\d+)" data-slides="(\d+)"', slide_of(at))
    return int(match[1]), int(match[2])


@pytest.fixture(scope="module")
def demo_env(demo_warehouse):
    """QUALITY_WAREHOUSE pointing at the demo warehouse for the module's tests."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUALITY_WAREHOUSE", str(demo_warehouse))
        mp.delenv("QUALITY_FOREIGN_REPLY_HOURS", raising=False)
        yield demo_warehouse


@pytest.fixture(scope="module")
def phone_2021(demo_env):
    """The phone view of the whole of 2021 in Chinese."""
    at = page_app(PHONE, demo_env)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def screens_2021(demo_env) -> list[Screen]:
    with read_connection(demo_env) as con:
        return meeting_screens(con, 2021, 12, load_settings(), "zh", dt.date.today())


# Phone view --------------------------------------------------------------------------------------------------


def test_the_phone_view_shows_every_missed_kpi_first_then_the_rest_with_the_registrys_values(phone_2021, demo_env):
    shown = cards(phone_2021)
    with read_connection(demo_env) as con:
        values = {v.kpi: v for v in kpi_values(con, YEAR_2021, load_settings(), "zh", dt.date.today(), CODES)}
    missed = [code for code in CODES if values[code].status == "missed"]
    assert missed and list(shown) == missed + [c for c in CODES if c not in missed]   # missed first, then the rest
    for code, row in shown.items():
        v = values[code]
        assert row["value"] == format_value(v.value, v.unit), code
        assert row["status"] == v.status
        assert row["symbol"] == {"met": "✓", "missed": "✗", "no_target": "–", "no_data": "?"}[v.status]
        assert ("目标" in row["line"]) == (v.target is not None), code         # no "目标 —" without a target
    assert shown["incoming_inspection_pass_rate"]["value"] == "96.0%"          # the 2021 report's Table 8
    final = shown["final_inspection_pass_rate"]                              # 98.0 % against a 100 % target
    assert final["light"] == "未达标" and "≥ 100.0%" in final["line"]
    assert shown["process_inspection_pass_rate"]["line"].startswith("▲ +3.0 个百分点")  # 94.5 against 91.5
    assert shown["complaints_received"]["line"].startswith("▲")              # more complaints: an arrow up…
    assert 'ph-worse' in next(h.value for h in phone_2021.html if 'data-kpi="complaints_received"' in h.value)
    assert all(row["spark"] for code, row in shown.items() if REGISTRY[code].aggregate != "year")
    counts = next(h.value for h in phone_2021.html if 'class="ph-counts"' in h.value)
    expected = {status: sum(1 for v in values.values() if v.status == status) for status in ("missed", "met")}
    assert f"未达标 <b>{expected['missed']}</b>" in counts and f"达标 <b>{expected['met']}</b>" in counts


def test_the_phone_view_has_its_own_period_control(demo_env):
    at = page_app(PHONE, demo_env)
    at.run()
    [control] = [p for p in at.get("popover") if "2021年" in p.proto.popover.label]   # the period's one line
    assert "截至" in control.proto.popover.label
    assert at.segmented_control(key="pick_period_kind").value == "year"
    assert at.selectbox(key="pick_year").value == 2021


def test_a_yearly_kpi_whose_year_is_not_in_shows_the_latest_year_and_says_so(demo_env):
    at = page_app(PHONE, demo_env, period=Period(2026, 11, ytd=True))   # the demo's surveys end with 2025
    at.run()
    assert not at.exception, at.exception
    shown = cards(at)
    [(score, n)] = query(demo_env, "SELECT avg(overall_score), count(overall_score) FROM survey_response "
                                   "WHERE survey_year = 2025")
    satisfaction = shown["customer_satisfaction"]
    assert satisfaction["value"] == f"{score:.1f} 分" and satisfaction["status"] != "no_data"
    assert satisfaction["line"].endswith("2025 年数据（2026 年尚无）")
    assert "年数据" not in shown["incoming_inspection_pass_rate"]["line"]     # monthly KPIs keep their period


def test_no_trend_is_drawn_until_its_card_is_opened(phone_2021):
    assert not phone_2021.get("vega_lite_chart")
    assert sorted(e.label for e in phone_2021.expander) == sorted(f"24 个月趋势：{REGISTRY[c].label()}" for c in CODES)
    assert any("点按一行" in c.value for c in phone_2021.caption)


def test_opening_a_card_draws_its_24_month_trend_with_the_target(demo_env):
    at = page_app(PHONE, demo_env)
    at.session_state["phone-trend-final_inspection_pass_rate"] = True
    at.run()
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = charts[0].proto.spec
    assert '"strokeDash"' in spec and "2020-01" in spec and "2021-12" in spec          # the months and the target
    assert any("2020-01–2021-12" in c.value for c in at.caption)


def test_the_phone_view_reads_one_period_and_one_sparkline_set_and_a_trend_only_when_opened(demo_env, monkeypatch):
    calls = {"values": 0, "series": []}
    values, series = app.data.kpi_values, app.data.kpi_series

    def counted_values(*args, **kwargs):
        calls["values"] += 1
        return values(*args, **kwargs)

    def counted_series(con, code, months, *args, **kwargs):
        calls["series"].append((code, months))
        return series(con, code, months, *args, **kwargs)

    monkeypatch.setattr(app.data, "kpi_values", counted_values)
    monkeypatch.setattr(app.data, "kpi_series", counted_series)
    st.cache_data.clear()
    at = page_app(PHONE, demo_env, period=Period(2021, 9, ytd=True))
    at.run()
    assert not at.exception, at.exception
    assert calls["values"] == 1
    assert sorted(calls["series"]) == sorted((code, 12) for code in CODES)
    at.run()                                                                 # a rerun reads nothing again
    assert calls["values"] == 1 and len(calls["series"]) == len(CODES)
    at.session_state["phone-trend-incoming_inspection_pass_rate"] = True
    at.run()
    assert calls["series"][len(CODES):] == [("incoming_inspection_pass_rate", 24)]


def test_the_phone_view_in_english(demo_env):
    at = page_app(PHONE, demo_env, lang="en")
    at.run()
    shown = cards(at)
    assert shown["final_inspection_pass_rate"]["light"] == "missed"
    assert at.title[0].value == "Phone view"
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(c["line"] + c["light"] for c in shown.values()))


def test_without_a_warehouse_the_phone_view_and_meeting_mode_say_how_to_load():
    for path in (PHONE, MEETING):
        at = page_app(path, None)
        at.run()
        assert not at.exception, at.exception
        assert any("python -m etl load" in i.value for i in at.info)
        assert not at.html or not any("mt-slide" in h.value or "ph-row" in h.value for h in at.html)


def test_the_trend_chart_is_a_line_with_a_dashed_target_and_half_year_labels():
    import pandas as pd

    frame = pd.DataFrame([{"year": 2020 + (m - 1) // 12, "month": (m - 1) % 12 + 1, "value": 95.0 + m % 3,
                           "target": 98.0, "numerator": 1, "denominator": 2} for m in range(1, 25)])
    spec = kpi_trend_chart(frame, "zh", "数值 (%)").to_dict()
    line, target = spec["layer"]
    assert line["mark"]["type"] == "line" and target["mark"]["strokeDash"] == [6, 4]
    assert line["encoding"]["x"]["axis"]["values"] == ["2020-01", "2020-07", "2021-01", "2021-07", "2021-12"]
    assert line["encoding"]["y"]["title"] == "数值 (%)"


# Meeting mode --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def meeting_2021(demo_env):
    """Meeting mode on December 2021 in Chinese."""
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    assert not at.exception, at.exception
    return at


def test_meeting_mode_opens_on_the_scorecard_with_ytd_against_last_years_ytd(meeting_2021, screens_2021):
    slide = slide_of(meeting_2021)
    assert slide_number(meeting_2021) == (1, len(deck_slides(screens_2021)))
    assert "质量例会 · 指标总览" in slide and "Quality meeting · Scorecard" in slide and "2021年12月" in slide
    assert "累计 2021年1–12月累计" in slide and "对比上年同期 2020年1–12月累计" in slide
    assert slide.count('class="mt-card') == 8 and "上年同期" in slide and "96.0%" in slide   # IQC YTD, Table 8
    assert 'mt-card mt-missed" data-kpi="final_inspection_pass_rate"' in slide               # ✗ in red
    labels = [b.label for b in meeting_2021.button]
    assert "上一屏" in labels and "下一屏" in labels
    assert meeting_2021.button(key="meeting_prev").disabled
    downloads = {d.key: d.label for d in meeting_2021.download_button}
    assert downloads.pop("meeting_pdf") == "下载会议材料 PDF"
    assert downloads == {}                                   # no figure's rows are read until one is chosen


def test_a_meeting_slides_figures_show_their_rows_when_one_is_chosen(demo_env):
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    [box] = [s for s in at.selectbox if s.key.startswith("rows_behind_")]
    box.set_value("incoming_inspection_pass_rate").run()
    assert not at.exception, at.exception
    downloads = {d.key: d.label for d in at.download_button}
    assert downloads.pop("meeting_pdf") == "下载会议材料 PDF"
    # the slide's figures can show their rows: the chosen one's, for December 2021, downloadable as CSV and XLSX
    assert set(downloads) == {"csv-rows-behind-incoming_inspection_pass_rate-2021-12",
                              "xlsx-rows-behind-incoming_inspection_pass_rate-2021-12"}


def test_next_and_previous_turn_the_slides_and_every_slide_compares_ytd(demo_env, screens_2021):
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    total = len(deck_slides(screens_2021))
    seen = []
    for n in range(1, total + 1):
        slide = slide_of(at)
        assert slide_number(at) == (n, total)
        assert "对比上年同期 2020年1–12月累计" in slide
        assert "上年" in slide.split('class="mt-body"')[1], n        # 上年同期 or 上年 (yearly): cards or strip
        seen.append(re.search(r'data-screen="(\w+)"', slide)[1])
        if n < total:
            at.button(key="meeting_next").click().run()
    assert at.button(key="meeting_next").disabled
    assert list(dict.fromkeys(seen)) == [s.key for s in screens_2021]
    at.button(key="meeting_prev").click().run()
    assert slide_number(at) == (total - 1, total)


def test_auto_advance_turns_to_the_next_slide_once_the_time_is_up(demo_env):
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    at.selectbox(key="meeting_auto_box_zh").set_value(15).run()
    assert slide_number(at)[0] == 1                                  # just shown: stays
    at.session_state["meeting_shown_at"] = time.time() - 16
    at.run()
    assert slide_number(at)[0] == 2


def test_choosing_another_month_starts_its_deck_at_the_first_slide(demo_env):
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    at.button(key="meeting_next").click().run()
    at.selectbox(key="meeting_month_box_zh").set_value((2021, 6)).run()
    assert slide_number(at)[0] == 1 and "2021年6月" in slide_of(at) and "2021年1–6月累计" in slide_of(at)


def test_meeting_mode_in_english(demo_env):
    at = page_app(MEETING, demo_env, lang="en")
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    slide = slide_of(at)
    assert "Quality meeting · Scorecard" in slide and "Dec 2021" in slide and "Jan–Dec 2020 (YTD)" in slide
    assert [b.label for b in at.button if b.key == "meeting_next"] == ["Next"]


def test_the_language_switches_inside_meeting_mode_and_the_slide_stays(demo_env):
    at = page_app(MEETING, demo_env)
    at.session_state["meeting_month"] = (2021, 12)
    at.run()
    at.button(key="meeting_next").click().run()
    assert at.button(key="meeting_language").label == "English"
    at.button(key="meeting_language").click().run()
    assert at.session_state["lang"] == "en" and slide_number(at)[0] == 2
    assert at.button(key="meeting_next").label == "Next" and "Jan–Dec 2020 (YTD)" in slide_of(at)
    at.button(key="meeting_language").click().run()
    assert at.button(key="meeting_next").label == "下一屏" and at.button(key="meeting_language").label == "English"


def test_the_meeting_pack_is_cached_per_snapshot_month_and_language(demo_env, monkeypatch, tmp_path):
    built = []
    pdf = deck.meeting_pack_pdf
    monkeypatch.setattr(deck, "meeting_pack_pdf", lambda screens: built.append(1) or pdf(screens))
    st.cache_data.clear()
    snapshot, day = snapshot_id(demo_env), dt.date.today()
    first = deck.meeting_pack(snapshot, 2021, 12, "zh", day)
    assert deck.meeting_pack(snapshot, 2021, 12, "zh", day) is not None and len(built) == 1
    deck.meeting_pack(snapshot, 2021, 12, "en", day)
    deck.meeting_pack(snapshot, 2021, 11, "zh", day)
    assert len(built) == 3
    assert first[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        (tmp_path / "pack.pdf").write_bytes(first)
        text = subprocess.run(["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True).stdout
        assert "质量例会" in text and "检验合格率" in text


def test_the_moment_a_deck_is_judged_at_is_the_day_for_a_past_month_and_ten_minutes_for_this_one():
    now = dt.datetime(2026, 11, 24, 10, 37, 12)
    assert deck.meeting_moment(2026, 10, now) == dt.date(2026, 11, 24)
    assert deck.meeting_moment(2026, 11, now) == dt.datetime(2026, 11, 24, 10, 30)


# Paging a meeting screen into slides -------------------------------------------------------------------------


def slide_height(slide: deck.Slide) -> int:
    """What the pager counts for a slide (the same sums the pager makes)."""
    height = strip_height(slide.strip, slide.screen.lang)
    height += sum((CARD_PX if any(f.ytd for f in row) else CARD_PLAIN_PX) + deck.CARD_GAP for row in slide.rows)
    height += notes_height(slide.notes) if slide.notes else 0
    for table in slide.tables:
        rows = TABLE_HEAD_PX + TABLE_ROW_PX * len(table.rows) if table.rows else 0
        height += TABLE_TITLE_PX + deck.BLOCK_GAP + rows
    return height


def test_every_slide_fits_and_every_figure_row_and_note_appears_once(screens_2021):
    for screen in screens_2021:
        slides = screen_slides(screen)
        assert [s.part for s in slides] == list(range(len(slides)))
        assert all(slide_height(s) <= CONTENT_PX for s in slides), screen.key
        assert [row for s in slides for row in s.rows] == figure_rows(screen.figures)
        assert [n for s in slides for n in s.notes] == list(screen.notes)
        for table in screen.tables:
            parts = [t for s in slides for t in s.tables if t.title.startswith(table.title)]
            assert [r for t in parts for r in t.rows] == list(table.rows), table.title
            assert all(t.title.endswith("（续）") for t in parts[1:])
        for s in slides[1:]:
            assert s.rows or s.strip == tuple(f for f in screen.figures if f.ytd)     # YTD on every slide


def test_a_long_list_continues_on_the_next_slides_under_its_title(screens_2021):
    rows = tuple((f"CA-{i:03d}", "检验", f"说明 {i}") for i in range(60))
    long = Table("未关闭纠正措施", ("编号", "来源", "说明"), rows, "LLL")
    screen = dataclasses.replace(screens_2021[1], tables=(long,))
    slides = screen_slides(screen)
    parts = [t for s in slides for t in s.tables]
    assert len(parts) >= 3 and [r for t in parts for r in t.rows] == list(rows)
    assert parts[0].title == "未关闭纠正措施" and all(t.title == "未关闭纠正措施（续）" for t in parts[1:])
    assert all(len(t.rows) >= MIN_TABLE_ROWS for t in parts[:-1])
    assert all(slide_height(s) <= CONTENT_PX for s in slides)


def test_slide_html_escapes_text_and_marks_met_and_missed(screens_2021):
    slide = deck_slides(screens_2021)[0]
    html = deck.slide_html(slide, 1, 13, "本月 <x>")
    assert "本月 &lt;x&gt;" in html and "<x>" not in html
    assert html.count("mt-met") >= 1 and "✗" in html and 'lang="zh-CN"' in html


# Layout -----------------------------------------------------------------------------------------------------------

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47")
IPAD = "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
ANDROID_TABLET = ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124 "
                  "Safari/537.36")
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


@pytest.mark.parametrize("headers, phone", [
    ({"User-Agent": IPHONE}, True), ({"User-Agent": WECHAT}, True),
    ({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?1"}, True), ({"User-Agent": IPAD}, False),
    ({"User-Agent": ANDROID_TABLET}, False), ({"User-Agent": DESKTOP}, False), ({}, False)])
def test_a_phone_is_known_by_its_headers(headers, phone):
    assert phone_headers(headers) is phone


def test_the_layout_css_keeps_text_at_14_px_on_a_narrow_screen():
    assert "@media (max-width: 640px)" in LAYOUT_CSS and "max(1em, 14px)" in LAYOUT_CSS
    assert LAYOUT_CSS.startswith("<style>") and LAYOUT_CSS.rstrip().endswith("</style>")
