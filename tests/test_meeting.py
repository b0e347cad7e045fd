"""Meeting mode (质量例会): the screens of a month from the demo warehouse, and the projector PDF.

Expected figures come from the 2021 report's CSV, from the registry's values of two separate periods compared by
hand, or from plain SQL counts; the PDF is checked with poppler (pdffonts, pdftotext, pdftoppm) and Pillow.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from presentation.meeting import SCREEN_TITLES, Figure, Screen, Table, meeting_pack_pdf, meeting_screens
from tests.conftest import REFERENCE_DIR, query
from warehouse.db import read_connection
from warehouse.kpis import REGISTRY, Period, format_value, kpi_values
from warehouse.settings import Settings
from warehouse.snapshot import write_snapshot

SETTINGS = Settings(foreign_reply_hours=48.0)
TODAY = dt.date(2022, 1, 15)          # 2021 is over
JUNE, JULY = "2021-06-01", "2021-07-01"
ORDER = ["scorecard", "inspections", "complaints", "suppliers", "satisfaction_market", "improvement", "quality_cost",
         "data_quality"]


def number(text: str) -> float:
    """The first number in a display text ("98.0%" → 98.0, "▼ -2.4 个百分点" → -2.4)."""
    return float(re.search(r"[-+]?\d+(?:\.\d+)?", text.replace(",", "")).group(0))


def decimals(text: str) -> int:
    """Decimals as the report prints the figure ("91.5" → 1, "95" → 0)."""
    return len(text.split(".")[1]) if "." in text else 0


def by_code(screen: Screen) -> dict[str, Figure]:
    return {f.code: f for f in screen.figures}


def screen(screens: list[Screen], key: str) -> Screen:
    return next(s for s in screens if s.key == key)


def poppler(*args) -> str:
    assert shutil.which(args[0]), f"{args[0]} missing: apt-get install poppler-utils"
    return subprocess.run(list(args), capture_output=True, check=True, text=True).stdout


@pytest.fixture(scope="module")
def screens_2021(demo_warehouse) -> list[Screen]:
    with read_connection(demo_warehouse) as con:
        return meeting_screens(con, 2021, 12, SETTINGS, "zh", TODAY)


@pytest.fixture(scope="module")
def pack_2021(screens_2021, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("meeting") / "pack.pdf"
    path.write_bytes(meeting_pack_pdf(screens_2021))
    return path


# The screens ---------------------------------------------------------------------------------------------


def test_the_screens_of_a_month_come_in_meeting_order(screens_2021):
    assert [s.key for s in screens_2021] == ORDER
    assert "质量例会" in screens_2021[0].title_zh and "检验" in screens_2021[1].title_zh
    assert "客诉" in screens_2021[2].title_zh
    for s in screens_2021:
        assert (s.title_zh, s.title_en) == SCREEN_TITLES[s.key] and s.title("en") == s.title_en
        assert (s.period, s.ytd_period, s.prior_period) == ("2021年12月", "2021年1–12月累计", "2020年1–12月累计")
        assert s.company and s.demo and s.as_of == ""
    for s in screens_2021[:-1]:                       # every topic with figures has YTD against last year's YTD
        assert s.figures and all(f.ytd and f.prior_ytd and f.delta for f in s.figures), s.key


def test_the_scorecard_for_december_shows_the_reports_2021_and_2020_figures(screens_2021):
    shown = by_code(screens_2021[0])
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kpi"] in shown]
    for row in rows:
        figure = shown[row["kpi"]]
        for text, printed in [(figure.ytd, row["2021"]), (figure.prior_ytd, row["2020"])]:
            assert round(number(text), decimals(printed)) == float(printed), (row["kpi"], text, printed)
    assert {r["kpi"] for r in rows} >= {
        "incoming_inspection_pass_rate", "process_inspection_pass_rate", "final_inspection_pass_rate",
        "complaints_received", "complaints_handled_on_time_rate", "customer_satisfaction", "supplier_satisfaction",
        "market_share_national", "market_share_provincial"}


def test_the_scorecard_carries_every_headline_kpi_with_target_and_status(screens_2021):
    shown = by_code(screens_2021[0])
    assert {code for code, k in REGISTRY.items() if k.headline} == set(shown)
    final = shown["final_inspection_pass_rate"]        # 2021: 98.0 % against the 100 % target of Table 3
    assert final.target == "≥ 100.0%" and final.ytd_status == "missed" and final.status_text.startswith("✗")
    assert shown["customer_satisfaction"].status_text.startswith("✓")
    assert shown["fatal_injuries"].target == "≤ 0" and shown["fatal_injuries"].ytd == "0"
    assert shown["process_inspection_pass_rate"].delta == "▲ +3.0 个百分点"       # 94.5 against 91.5
    assert shown["process_inspection_pass_rate"].trend == "better"
    assert shown["complaints_received"].trend == "worse"                        # 3 against 1: fewer is better
    assert any("成品出厂检验合格率" in n for n in screens_2021[0].notes)            # the missed target is named


def test_the_supplier_screen_shows_the_grade_mix_and_the_a_share_from_the_counts(screens_2021):
    shown = by_code(screen(screens_2021, "suppliers"))
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as handle:
        printed = {r["kpi"]: r for r in csv.DictReader(handle) if r["table"] == "T7"}
    for code in ["suppliers_grade_a", "suppliers_grade_b", "suppliers_grade_c"]:
        assert number(shown[code].ytd) == float(printed[code]["2021"])
        assert number(shown[code].prior_ytd) == float(printed[code]["2020"])
    a, total = float(printed["suppliers_grade_a"]["2021"]), float(printed["suppliers_total"]["2021"])
    assert shown["suppliers_grade_a_share"].ytd == f"{100 * a / total:.1f}%" == "55.6%"   # not the printed 65 %
    assert shown["suppliers_grade_a_share"].basis == "5/9 家"
    table = screen(screens_2021, "suppliers").tables[0]
    assert len(table.rows) == 9 and all(r[0].startswith("GYS-") for r in table.rows)


def test_ytd_against_prior_ytd_mid_year_is_the_difference_of_two_periods(demo_warehouse):
    with read_connection(demo_warehouse) as con:
        screens = meeting_screens(con, 2021, 6, SETTINGS, "zh", TODAY)
        now = {v.kpi: v for v in kpi_values(con, Period(2021, 6, ytd=True), SETTINGS, today=TODAY)}
        before = {v.kpi: v for v in kpi_values(con, Period(2020, 6, ytd=True), SETTINGS, today=TODAY)}
        month = {v.kpi: v for v in kpi_values(con, Period(2021, 6), SETTINGS, today=TODAY)}
    checked = 0
    for f in screens[0].figures:
        kpi = REGISTRY[f.code]
        if kpi.aggregate == "year":
            continue
        shown = month[f.code]
        # a month without a value says so (or how many are still in progress), never a bare dash
        assert f.value == (format_value(shown.value, kpi.unit) if shown.value is not None else
                           f"在办 {int(shown.in_progress)}" if shown.in_progress else "无数据")
        assert f.ytd == format_value(now[f.code].value, kpi.unit)
        assert f.prior_ytd == format_value(before[f.code].value, kpi.unit)
        if now[f.code].value is None or before[f.code].value is None:
            assert f.delta == "—"
            continue
        change = round(now[f.code].value - before[f.code].value, 1 if kpi.unit == "%" else 0)
        assert number(f.delta) == change, f.code
        assert f.delta[0] == ("▲" if change > 0 else "▼" if change < 0 else "＝"), f.code
        checked += 1
    assert checked >= 10
    assert screens[0].ytd_period == "2021年1–6月累计" and screens[0].prior_period == "2020年1–6月累计"


def test_failed_lots_and_denominators_on_the_inspection_screen_match_the_lots(demo_warehouse):
    with read_connection(demo_warehouse) as con:
        inspections = screen(meeting_screens(con, 2021, 6, SETTINGS, "zh", TODAY), "inspections")

    def failed(start: str, end: str) -> int:
        return query(demo_warehouse, "SELECT count(*) FROM inspection WHERE result = 'fail' AND inspected_on >= ? "
                                     "AND inspected_on < ?", [start, end])[0][0]

    lots = by_code(inspections)["meeting.failed_lots"]
    assert number(lots.value) == failed(JUNE, JULY)
    assert number(lots.ytd) == failed("2021-01-01", JULY)
    assert number(lots.prior_ytd) == failed("2020-01-01", "2020-07-01")
    passed, total = query(demo_warehouse, "SELECT count(*) FILTER (WHERE result = 'pass'), count(*) FROM inspection "
                                          "WHERE stage = 'IQC' AND inspected_on >= ? AND inspected_on < ?",
                          [JUNE, JULY])[0]
    assert by_code(inspections)["incoming_inspection_pass_rate"].basis == f"{passed}/{total} 批"
    steps, defects, signals = inspections.tables
    assert steps.rows[0][:3] == ("进厂检验 IQC", str(total), str(total - passed))
    top = query(demo_warehouse, "SELECT defect_code, count(*) FILTER (WHERE result = 'fail') AS f FROM inspection "
                                "WHERE inspected_on >= ? AND inspected_on < ? AND defect_code IS NOT NULL "
                                "GROUP BY ALL ORDER BY f DESC LIMIT 1", [JUNE, JULY])[0]
    assert number(defects.rows[0][3]) == top[1] and 0 < len(defects.rows) <= 8


def test_the_complaint_screen_names_the_foreign_reply_rule_in_force(demo_warehouse):
    with read_connection(demo_warehouse) as con:
        at_48 = screen(meeting_screens(con, 2021, 12, SETTINGS, "zh", TODAY), "complaints")
        at_72 = screen(meeting_screens(con, 2021, 12, Settings(foreign_reply_hours=72.0), "en", TODAY), "complaints")
    assert any("国外客户 48 小时明确答复（报告第六章）" in n for n in at_48.notes)
    assert any("clear reply within 72 h (report section 4 (3))" in n for n in at_72.notes)
    assert at_72.title() == "Customer complaints" and at_72.figures[0].label == "Complaints received"


@pytest.fixture
def complaint_log(warehouse) -> Path:
    """A warehouse holding four complaints around March 2025 and nothing else."""
    with write_snapshot(warehouse) as con:
        con.execute("""
            INSERT INTO complaint (id, customer, region, received_at, first_response_at, reply_at, capa_started_at,
                                   our_fault, closed_at) VALUES
                ('K1', 'KH1', 'in_province', '2025-03-03 09:00', '2025-03-03 10:00', NULL, NULL, NULL, NULL),
                ('K2', 'KH2', 'in_province', '2025-03-10 09:00', '2025-03-10 10:00', '2025-03-10 15:00',
                 '2025-03-10 16:00', NULL, '2025-03-12 12:00'),
                ('K3', 'KH3', 'in_province', '2025-02-20 09:00', '2025-02-20 10:00', '2025-02-20 15:00',
                 '2025-02-20 16:00', true, NULL),
                ('K4', 'KH4', 'in_province', '2025-04-05 09:00', NULL, NULL, NULL, NULL, NULL);
        """)
    return warehouse


def test_open_complaints_show_their_age_and_next_due_milestone_at_the_months_end(complaint_log):
    with read_connection(complaint_log) as con:
        screens = meeting_screens(con, 2025, 3, SETTINGS, "zh", dt.date(2025, 6, 1))
    complaints = screen(screens, "complaints")
    in_month, still_open = complaints.tables
    # K1 and K2 were received in March; K1 missed its 24 h reply (due 03-04 09:00), K2 met every milestone.
    assert [(r[0], r[-1]) for r in in_month.rows] == [("K1", "✗ 超时"), ("K2", "✓ 按时")]
    # Open at 2025-03-31 24:00: K3 (received Thu 02-20, 39 days, our fault) has no confirmed cause 3 working days
    # on (Fri 21, Mon 24, Tue 25: due 02-25 09:00): overdue; K1 (28 days) is overdue too.
    assert still_open.rows == (
        ("K3", "KH3", "2025-02-20", "39", "原因确认", "2025-02-25 09:00", "✗ 逾期"),
        ("K1", "KH1", "2025-03-03", "28", "明确答复", "2025-03-04 09:00", "✗ 逾期"),
    )
    received = by_code(complaints)["complaints_received"]
    assert (received.value, received.ytd, received.prior_ytd, received.delta) == ("2", "3", "0", "▲ +3")
    quality = screen(screens, "data_quality")                     # no ETL run in this warehouse
    assert quality.figures[0].value == "尚未加载" and quality.tables == ()


def test_a_month_not_over_says_when_its_figures_stop_and_one_not_begun_is_refused(demo_warehouse, tmp_path):
    with read_connection(demo_warehouse) as con:
        screens = meeting_screens(con, 2021, 12, SETTINGS, "en", dt.datetime(2021, 12, 15, 10, 0))
        with pytest.raises(ValueError):
            meeting_screens(con, 2022, 2, SETTINGS, "en", dt.date(2022, 1, 31))
    assert {s.as_of for s in screens} == {"as of 2021-12-15 10:00"}
    assert screens[0].period == "Dec 2021"
    assert screens[0].figures[0].label == REGISTRY["incoming_inspection_pass_rate"].label_en
    path = tmp_path / "en.pdf"
    path.write_bytes(meeting_pack_pdf(screens))
    pages = page_texts(path)
    assert "Quality meeting" in pages[0] and "as of 2021-12-15 10:00" in pages[0]
    assert f"page 1 / {len(pages)}" in pages[0]


# The PDF -------------------------------------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    return poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def words_by_page(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: width, height and every word's box (pdftotext -bbox)."""
    html = poppler("pdftotext", "-bbox", str(path), "-")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page.group(3))]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def rendered_pages(path: Path, tmp_path: Path) -> list[Path]:
    poppler("pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page"))
    return sorted(tmp_path.glob("page-*.png"))


def test_the_pack_embeds_the_chinese_font_and_holds_every_title(pack_2021, screens_2021):
    fonts = poppler("pdffonts", str(pack_2021)).splitlines()[2:]
    assert any("CJK" in line and line.split()[-5] == "yes" for line in fonts), fonts   # emb = yes
    text = "".join(page_texts(pack_2021)).replace(" ", "")
    for s in screens_2021:
        assert s.title_zh.replace(" ", "") in text and s.title_en.replace(" ", "") in text
    for title in ["质量例会", "检验", "客诉"]:
        assert title in text
    assert "金华市托普光学仪器有限公司" in text and "2021年12月" in text


def test_one_screen_per_page_plus_follow_on_pages_all_rendered_and_not_blank(pack_2021, screens_2021, tmp_path):
    pages = page_texts(pack_2021)
    total = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(pack_2021))).group(1))
    assert len(pages) == total
    follow_on = [p for p in pages if "（续）" in p.split("\n", 1)[0]]
    assert total == len(screens_2021) + len(follow_on)
    firsts = [i for i, p in enumerate(pages) if "（续）" not in p.split("\n", 1)[0]]
    for i, s in zip(firsts, screens_2021):                  # each screen starts its own page, in order
        assert s.title_zh in pages[i].split("\n", 1)[0]
    for n, p in enumerate(pages, 1):
        assert f"第 {n} / {total} 页" in p
    images = rendered_pages(pack_2021, tmp_path)
    assert len(images) == total
    for image in images:
        grey = Image.open(image).convert("L")
        assert grey.width > grey.height                      # landscape
        dark = sum(1 for v in grey.getdata() if v < 128)
        assert dark > 0.01 * grey.width * grey.height, image.name


def glyph_box(word: tuple) -> tuple[float, float, float, float]:
    """A word's box less the line spacing poppler adds above and below the glyphs (the font's ascent and descent
    reach beyond the ink: about 18 % of the box above, 12 % below for Noto CJK)."""
    x0, y0, x1, y1, _ = word
    return x0, y0 + 0.18 * (y1 - y0), x1, y1 - 0.12 * (y1 - y0)


def test_no_word_leaves_the_page_and_none_overlaps_another(pack_2021):
    for width, height, words in words_by_page(pack_2021):
        assert abs(width / height - 16 / 9) < 0.01
        for x0, y0, x1, y1, w in words:
            assert 30 <= x0 and x1 <= width - 30 and 0 <= y0 and y1 <= height - 5, w
        boxes = [glyph_box(w) for w in words]
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x < 0.5 or overlap_y < 0.5, (words[i], words[j])


def test_values_and_titles_are_large_enough_for_a_projector(pack_2021, screens_2021):
    width, height, words = words_by_page(pack_2021)[0]
    page_no = next(w for w in words if w[4] == "第")                        # the footer is set at 13 pt
    per_point = (page_no[3] - page_no[1]) / 13

    def size(text: str) -> float:
        return max(w[3] - w[1] for w in words if w[4] == text) / per_point

    assert size("质量例会") >= 28
    for f in screens_2021[0].figures[:8]:                                 # the first page's cards
        assert size(f.value) >= 36, f.value


def test_a_long_list_continues_on_follow_on_pages_under_its_header(tmp_path):
    rows = tuple((f"R-{i:03d}", "一个很长的客户名称" * 3, "2025-03-03", str(i)) for i in range(1, 41))
    long = Screen(key="complaints", title_zh="客诉与及时性", title_en="Customer complaints", lang="zh",
                  period="2025年3月", ytd_period="2025年1–3月累计", prior_period="2024年1–3月累计",
                  figures=(Figure("一个非常非常非常非常非常非常长的指标名称用来测试换行", "100.0%", "≥ 100.0%", "met",
                                  "99.9%", "98.8%", "▲ +1.1 个百分点"),),
                  tables=(Table("未结客诉", ("编号", "客户", "受理时间", "已开天数"), rows, tuple("LLLR")),),
                  notes=("说明" * 200,), company="测试公司")
    path = tmp_path / "long.pdf"
    path.write_bytes(meeting_pack_pdf([long]))
    pages = page_texts(path)
    assert len(pages) >= 3
    assert all("（续）" in p.split("\n", 1)[0] for p in pages[1:])
    text = "".join(pages)
    assert all(text.count(f"R-{i:03d}") == 1 for i in range(1, 41))
    assert sum("已开天数" in p for p in pages) == sum("R-0" in p for p in pages) >= 2   # header repeated per page
    for width, height, words in words_by_page(path):
        for x0, y0, x1, y1, w in words:
            assert 30 <= x0 and x1 <= width - 30 and y1 <= height - 5, w


def test_the_data_quality_screen_counts_refused_files_and_quarantined_rows_by_load_date(tmp_path):
    from etl.cli import main
    from tests.conftest import write_csv
    from tests.test_load import IQC_HEADER, iqc_rows

    warehouse = tmp_path / "wh" / "quality.duckdb"
    rows = iqc_rows(3, 20)
    rows[4][8] = rows[9][8] = "abc"                                   # two defect counts that are not numbers
    good = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    unknown = write_csv(tmp_path / "notes.csv", ["备注", "日期"], [["x", "2021/3/1"]])
    assert main(["load", str(good), str(unknown), "--warehouse", str(warehouse)]) == 1
    now = dt.datetime.now()
    with read_connection(warehouse) as con:
        quality = screen(meeting_screens(con, now.year, now.month, SETTINGS, "zh", now), "data_quality")
    figures = {f.code: f for f in quality.figures}
    refused, quarantined = figures["meeting.files_refused_in_period"], figures["meeting.rows_quarantined_in_period"]
    assert (refused.value, refused.ytd, refused.prior_ytd, refused.delta) == ("1", "1", "0", "▲ +1")
    assert (quarantined.value, quarantined.ytd, quarantined.prior_ytd) == ("2", "2", "0")
    assert refused.basis == "本月读入 2 个文件"


@pytest.fixture
def incoming_log(warehouse) -> Path:
    """IQC lots July 2025 - June 2026: 100 a month, 10 failed, but 30 failed in June 2026."""
    with write_snapshot(warehouse) as con:
        lot = 0
        for year, month in [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 7)]:
            failed = 30 if (year, month) == (2026, 6) else 10
            for i in range(100):
                lot += 1
                con.execute("INSERT INTO inspection (id, stage, inspected_on, result) VALUES (?, 'IQC', ?, ?)",
                            [f"L{lot}", dt.date(year, month, 15), "fail" if i < failed else "pass"])
    return warehouse


def test_the_inspection_screen_lists_the_control_chart_signals_of_the_last_twelve_months(incoming_log):
    with read_connection(incoming_log) as con:
        signals = screen(meeting_screens(con, 2026, 6, SETTINGS, "zh", dt.date(2026, 7, 15)), "inspections").tables[2]
        english = screen(meeting_screens(con, 2026, 6, SETTINGS, "en", dt.date(2026, 7, 15)), "inspections").tables[2]
        quiet = screen(meeting_screens(con, 2026, 5, SETTINGS, "zh", dt.date(2026, 7, 15)), "inspections").tables[2]
    # Baseline the twelve months: p̄ = 140/1200 = 0.1167. July 2025 - May 2026 (p = 0.1) all lie below it: the eighth
    # of them (February 2026) on, 8 in a row on one side. June: σ = 0.0321, z = 5.7, beyond 3σ.
    assert signals.title == "控制图判异（近12个月，p 图）" and signals.columns == ("检验环节", "月份", "判异规则")
    run = "连续8点在中心线同侧 (规则4)"
    assert signals.rows == (("进厂检验 IQC", "2026-02", run), ("进厂检验 IQC", "2026-03", run),
                            ("进厂检验 IQC", "2026-04", run), ("进厂检验 IQC", "2026-05", run),
                            ("进厂检验 IQC", "2026-06", "超出3σ控制限 (规则1)"))
    assert english.rows[-1] == ("IQC", "2026-06", "beyond the 3σ limits (rule 1)")
    # May's meeting: June-2025 - May 2026, all at p = 0.1 on the centre line: nothing to flag
    assert quiet.rows == () and quiet.empty == "各检验环节的 p 控制图均未判异。"
