"""The annual quality integrity report: texts, tables, findings, checks and the DOCX / PDF / Markdown files.

Unit tests use a small warehouse built by SQL inserts (years 2024-2025, clear of the 2021 edition that
migration 003 records); the demo tests generate the 2021 report from `python -m etl demo`.
"""
import csv
import re
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from etl.cli import main
from presentation.report import (
    CHAPTERS, ReportNotReady, SignOff, acknowledge_flag, build_report, chapter_texts, import_report_text,
    record_report_as_published, report_bytes, report_docx, report_markdown, report_pdf, report_signoff,
    save_chapter_text, save_published_value, save_report_signoff, seed_text, split_report,
)
from presentation.report.findings import finding_sentence
from presentation.report.tables import report_number, report_target
from tests.conftest import REFERENCE_DIR, file_digest
from warehouse.db import read_connection
from warehouse.kpis import REGISTRY
from warehouse.settings import Settings
from warehouse.snapshot import write_snapshot

SETTINGS = Settings(foreign_reply_hours=48.0)
EARLIER_REPORT = Path(__file__).parent / "fixtures" / "report" / "earlier-report.md"   # a short report written for the tests
TODAY = dt.date(2026, 3, 1)          # every report year below is over
YEAR = 2025


def lots(con, prefix: str, stage: str, day: str, passed: int, failed: int) -> None:
    """Insert passed + failed inspection lots of a stage on a day."""
    con.execute(
        "INSERT INTO inspection (id, stage, inspected_on, result) "
        "SELECT ? || i, ?, ?::DATE, CASE WHEN i <= ? THEN 'pass' ELSE 'fail' END FROM range(1, ? + 1) t(i)",
        [prefix, stage, day, passed, passed + failed])


@pytest.fixture
def small(warehouse) -> Path:
    """A warehouse with two years (2024, 2025) of hand-made facts."""
    with write_snapshot(warehouse) as con:
        lots(con, "F24-", "FQC", "2024-05-01", 97, 3)
        lots(con, "F25-", "FQC", "2025-05-01", 98, 2)
        lots(con, "I24-", "IQC", "2024-05-01", 45, 5)
        lots(con, "I25-", "IQC", "2025-05-01", 48, 2)
        lots(con, "P24-", "IPQC", "2024-05-01", 36, 4)
        lots(con, "P25-", "IPQC", "2025-05-01", 38, 2)
        con.execute("""
            INSERT INTO supplier_grade (supplier, year, grade) VALUES
                ('S1', 2025, 'A'), ('S2', 2025, 'A'), ('S3', 2025, 'A'), ('S4', 2025, 'A'), ('S5', 2025, 'A'),
                ('S6', 2025, 'B'), ('S7', 2025, 'B'), ('S8', 2025, 'B'), ('S9', 2025, 'C');
            INSERT INTO complaint (id, region, received_at, first_response_at, reply_at, closed_at, resolution,
                                   resolution_done_at) VALUES
                ('C1', 'in_province', '2025-03-03 09:00', '2025-03-03 10:00', '2025-03-03 15:00', '2025-03-10',
                 'repair', '2025-03-09'),
                ('C2', 'abroad', '2025-06-02 09:00', '2025-06-02 10:00', '2025-06-03 09:00', '2025-06-20', 'none', NULL);
            INSERT INTO survey_response (survey_year, response_id, overall_score) VALUES
                (2024, 'r1', 90), (2025, 'r1', 94), (2025, 'r2', 96);
            INSERT INTO market_share (year, scope, company_sales, market_size) VALUES
                (2025, 'national', 40, 1000), (2025, 'provincial', 50, 1000);
            INSERT INTO instrument (code, name, measures, origin, level) VALUES
                ('JL-1', '光学中心仪', '镜中心', '上海', '国内先进'), ('JL-2', '投影仪', '图像放大', '上海', '国内先进');
            INSERT INTO instrument_calibration (instrument, calibrated_on, interval_months, next_due_on, result) VALUES
                ('JL-1', '2025-04-01', 12, '2026-04-01', 'pass'), ('JL-2', '2024-02-01', 12, '2025-02-01', 'pass');
        """)
    return warehouse


def report_of(path: Path, year: int = YEAR, final: bool = False, today: dt.date = TODAY):
    """The report of the year built from the warehouse file."""
    with read_connection(path) as con:
        return build_report(con, year, SETTINGS, today, final)


def table_titled(report, title: str):
    """The table block whose title is title."""
    return next(b for b in report.tables() if b.table.title == title)


def plant(path: Path, chapter: str, sentence: str, year: int = YEAR) -> None:
    """Append a sentence to a chapter's text of the year."""
    with read_connection(path) as con:
        body = next(t for t in chapter_texts(con, year) if t.chapter == chapter).body_md
    save_chapter_text(path, year, chapter, body + "\n\n" + sentence + "\n", user="test")


# Texts and sign-off ------------------------------------------------------------------------------


# The sections of each chapter, as GB/T 31870 lays the report out (the chapters without a list have none).
SECTIONS = {
    "preface": ["编制依据", "报告范围", "发布形式"],
    "integrity_management": ["（一）质量管理机构", "（二）质量诚信方针", "（三）质量诚信目标", "（四）质量管理体系",
                             "（五）质量安全风险管理"],
    "responsibilities": ["（一）质量诚信负责人", "（二）质量承诺", "（三）诚信运作管理", "（四）营销管理"],
    "foundation": ["（一）标准化管理", "（二）计量管理", "（三）认证管理", "（四）检验检测管理"],
    "product_quality": ["（一）产品质量水平", "（二）营销策划管理", "（三）营销渠道管理", "（四）营销服务管理",
                        "（五）应急准备与响应", "（六）企业社会责任", "（七）质量信用记录"],
    "inspection_analysis": ["（一）监视和检查", "（二）质量失信的评估和处理", "（三）质量信息的收集与分析"],
    "improvement": ["（一）改进机会", "（二）不合格与纠正措施", "（三）日常持续改进", "（四）质量成本"],
}
PROMPT = re.compile(r"【请填写：([^】]*)】")


def test_every_chapter_has_a_template_with_the_generated_tables():
    assert [title for _, title in CHAPTERS] == [
        "前言", "一、公司简介", "二、企业质量理念", "三、企业质量诚信管理", "四、质量诚信管理职责", "五、质量管理基础",
        "六、产品质量管理实现", "七、检查与分析", "八、持续改进", "报告结语"]
    seeds = {key: seed_text(key) for key, _ in CHAPTERS}
    assert "{{company}}" in seeds["preface"] and "{{year}}" in seeds["preface"]
    assert "{{table:targets}}" in seeds["integrity_management"]
    assert "{{table:instruments}}" in seeds["foundation"]
    assert "{{table:suppliers}}" in seeds["product_quality"] and "{{table:product_quality}}" in seeds["product_quality"]
    assert "{{findings}}" in seeds["inspection_analysis"] and "{{table:market_share}}" in seeds["inspection_analysis"]
    assert "{{table:quality_cost}}" in seeds["improvement"]


@pytest.mark.parametrize("chapter", [key for key, _ in CHAPTERS])
def test_each_template_gives_sections_guidance_and_prompts_and_no_prose_of_its_own(chapter):
    blocks = [b.strip() for b in re.split(r"\n\s*\n", seed_text(chapter)) if b.strip()]
    assert blocks[0].startswith("> 编写提示：") and len(blocks[0]) > 60, blocks[0]    # what the chapter should say
    assert [b[3:] for b in blocks if b.startswith("## ")] == SECTIONS.get(chapter, [])
    sections = re.split(r"^## .*$", seed_text(chapter), flags=re.M)[1:]
    assert all(PROMPT.search(section) for section in sections)                       # a prompt in every section
    prompts = PROMPT.findall(seed_text(chapter))
    assert prompts and all(len(p.strip()) >= 2 for p in prompts), prompts
    for block in blocks:
        if block.startswith((">", "#", "|", "表：")):
            continue
        # every other paragraph is a prompt for the company's words or a sentence carrying figures
        assert "【请填写：" in block or "{{" in block, block


def test_guidance_is_never_printed_and_prompts_keep_the_final_back(small):
    report = report_of(small)
    text = report_markdown(report).decode("utf-8")
    assert "编写提示" not in text and "【请填写：" in text
    unfilled = [f for f in report.flags if f.kind == "unfilled"]
    assert [f.chapter for f in unfilled] == [key for key, _ in CHAPTERS]
    assert not any(f.acknowledgeable for f in unfilled)
    assert unfilled[-1].message == "“报告结语”还有 1 处【请填写：…】，请换成本公司的内容。"
    with pytest.raises(ValueError):
        acknowledge_flag(small, YEAR, unfilled[0].id, "以后再写")
    save_chapter_text(small, YEAR, "closing", "> 编写提示：写给编写人。\n\n本年度的工作已经总结完毕。\n", user="test")
    after = report_of(small)
    assert "closing" not in [f.chapter for f in after.flags if f.kind == "unfilled"]
    closing = report_markdown(after).decode("utf-8").split("报告结语")[-1]
    assert "本年度的工作已经总结完毕。" in closing and "写给编写人" not in closing


def test_a_guidance_quote_ends_where_the_quote_ends():
    from presentation.report.placeholders import without_guidance

    text = "> 编写提示：第一行\n> 第二行\n>\n> 第三行\n\n正文。\n\n> 引用的话，照常打印。\n"
    assert without_guidance(text) == "\n正文。\n\n> 引用的话，照常打印。\n"


def test_a_saved_text_is_kept_per_year_and_offered_to_the_next_year(small):
    with read_connection(small) as con:
        assert {t.source for t in chapter_texts(con, YEAR)} == {"seed"}
    before = file_digest(small)
    save_chapter_text(small, 2024, "closing", "2024 年的结语。", user="王工")
    assert file_digest(small) != before          # written through a new snapshot
    with read_connection(small) as con:
        mine = {t.chapter: t for t in chapter_texts(con, 2024)}
        nxt = {t.chapter: t for t in chapter_texts(con, 2025)}
    assert (mine["closing"].source, mine["closing"].body_md, mine["closing"].updated_by) == ("saved", "2024 年的结语。", "王工")
    assert (nxt["closing"].source, nxt["closing"].source_year, nxt["closing"].body_md) == ("previous", 2024, "2024 年的结语。")
    assert nxt["preface"].source == "seed"
    with pytest.raises(KeyError):
        save_chapter_text(small, 2025, "no_such_chapter", "x")


def test_the_signoff_starts_from_the_previous_year_without_its_dates(small):
    with read_connection(small) as con:
        signoff = report_signoff(con, 2022)     # migration 003 holds the 2021 edition's sign-off
    assert (signoff.compiled_by, signoff.reviewed_by, signoff.approved_by) == ("殷的海", "李 波", "陈小龙")
    assert signoff.compiled_on is None and signoff.source == "previous"
    save_report_signoff(small, SignOff(year=2022, compiled_by="张三", compiled_on=dt.date(2023, 1, 5)))
    with read_connection(small) as con:
        again = report_signoff(con, 2022)
    assert (again.compiled_by, again.compiled_on, again.source) == ("张三", dt.date(2023, 1, 5), "saved")


# Tables and findings -----------------------------------------------------------------------------


def test_numbers_are_printed_as_the_2021_tables_print_them():
    assert [report_number(x, "%") for x in (95.0, 91.5, 55.5555, 100.0, None)] == ["95", "91.5", "55.6", "100", "—"]
    assert report_number(92.0, "score") == "92.0"
    assert report_number(3, "count") == "3"
    assert report_target("final_inspection_pass_rate", ">=", 100) == "100%"
    assert report_target("airtightness_first_pass_rate", ">=", 98) == "≥98%"
    assert report_target("fatal_injuries", "<=", 0) == "0"


def test_the_tables_come_from_the_registry_for_three_years(small):
    report = report_of(small)
    quality = table_titled(report, "产品质量绩效结果").table
    assert quality.header == ["指标项", "单位", "2023年", "2024年", "2025年"]
    rows = {r[0]: r[1:] for r in quality.rows}
    assert rows["成品出厂检验合格率"] == ["%", "—", "97", "98"]
    assert rows["原料进厂检验合格率"] == ["%", "—", "90", "96"]
    assert rows["顾客满意度"] == ["%", "—", "90.0", "95.0"]
    suppliers = {r[0]: r[1:] for r in table_titled(report, "供方相关绩效结果").table.rows}
    assert suppliers[REGISTRY["suppliers_grade_a_share"].label_zh] == ["%", "—", "—", "55.6"]
    targets = {r[1]: r for r in table_titled(report, "质量、环境和职业健康安全及质量诚信目标").table.rows}
    assert targets["成品出厂检验合格率（%）"] == ["质量目标", "成品出厂检验合格率（%）", "100%", "—", "97", "98", "未达成"]
    assert targets["顾客满意度（%）"][-1] == "达成"
    instruments = table_titled(report, "公司采用的检测设备").table
    assert [r[1:] for r in instruments.rows] == [
        ["光学中心仪", "镜中心", "上海", "国内先进", "2025-04-01", "2026-04-01", "有效"],
        ["投影仪", "图像放大", "上海", "国内先进", "2024-02-01", "2025-02-01", "逾期未校准"]]
    assert [b.number for b in report.tables()] == list(range(1, len(report.tables()) + 1))


def test_each_kpi_gets_one_sentence_in_the_reports_register(small):
    report = report_of(small)
    sentences = {f.kpi: f.sentence for f in report.findings}
    assert set(sentences) == set(REGISTRY)
    assert sentences["final_inspection_pass_rate"] == "成品出厂检验合格率 2025 年为 98.0%，较 2024 年提高 1.0 个百分点，未达到 100% 的目标。"
    assert sentences["incoming_inspection_pass_rate"] == "原料进厂检验合格率 2025 年为 96.0%，较 2024 年提高 6.0 个百分点。"
    assert sentences["customer_satisfaction"] == "顾客满意度 2025 年为 95.0 分，较 2024 年提高 5.0 分，达到 ≥85 分的目标。"
    assert sentences["complaints_received"] == "客诉受理数 2025 年为 2 件，较 2024 年增加 2 件。"
    assert sentences["suppliers_grade_a_share"] == f"{REGISTRY['suppliers_grade_a_share'].label_zh} 2025 年为 55.6%，2024 年无可比数据。"
    assert sentences["market_share_national"].startswith("国内市场占有率 2025 年为 4.0%")
    findings_block = next(b for b in report.blocks if b.kind == "bullets" and any(
        "成品出厂检验合格率 2025 年为" in r.text for item in b.items for r in item))
    assert len(findings_block.items) == len(REGISTRY)


def test_a_sentence_compares_the_printed_values_not_the_raw_ones():
    from warehouse.kpis import KpiValue

    v = KpiValue("airtightness_first_pass_rate", "气密性试验一次通过率", 98.333, 295, 300, "%", 98.0, ">=", "met",
                 98.077, 0.256)
    assert finding_sentence(v, 2021) == "气密性试验一次通过率 2021 年为 98.3%，较 2020 年提高 0.2 个百分点，达到 ≥98% 的目标。"


def test_placeholders_are_filled_from_the_registry_and_unknown_ones_are_flagged(small):
    plant(small, "company", "成品出厂检验合格率为 {{kpi:final_inspection_pass_rate}}（{{kpi:final_inspection_pass_rate:2024}}），"
                            "目标 {{target:final_inspection_pass_rate}}。{{company}}{{prev_year}} {{kpi:no_such_kpi}}")
    report = report_of(small)
    text = "\n".join(b.text for b in report.blocks if b.kind == "paragraph")
    assert "成品出厂检验合格率为 98.0%（97.0%），目标 100%。金华市托普光学仪器有限公司2024 {{kpi:no_such_kpi}}" in text
    assert [f.id for f in report.flags if f.kind == "placeholder"] == ["placeholder:company:{{kpi:no_such_kpi}}"]


# Checks ------------------------------------------------------------------------------------------


def test_a_false_100_percent_claim_is_flagged_with_the_data(small):
    assert not [f for f in report_of(small).flags if f.kind in ("claim", "unverified")]
    plant(small, "philosophy", "历年各级部门抽查我们的产品，合格率均达 100%。")
    flags = [f for f in report_of(small).flags if f.kind == "claim"]
    assert len(flags) == 1 and flags[0].id.startswith("claim:pass_rate_100:philosophy:")
    assert "2025 年成品出厂检验合格率 98.0%（98/100）" in flags[0].message
    assert flags[0].excerpt == "历年各级部门抽查我们的产品，合格率均达 100%。"
    assert not flags[0].acknowledgeable


def test_a_kpi_claim_is_checked_for_its_year_and_a_target_is_not_a_claim(small):
    plant(small, "foundation", "成品出厂检验合格率 2024 年为 97%，2025 年成品出厂检验合格率达到 99.5%。"
                               "今年的目标是产品出厂合格率 100%、气密性试验一次通过率 ≥98%。")
    claims = [f for f in report_of(small).flags if f.kind == "claim"]
    assert [f.message for f in claims] == ["正文称成品出厂检验合格率 2025 年为 99.5%，数据为 98.0%（98/100）。"]


def test_never_a_major_complaint_cannot_be_confirmed_when_complaints_were_logged(small):
    plant(small, "product_quality", "建厂至今，我们没有收到过重大质量投诉。")
    flags = [f for f in report_of(small).flags if f.kind == "unverified"]
    assert len(flags) == 1 and "2025 年 2 件" in flags[0].message and flags[0].acknowledgeable


def test_a_reply_time_that_contradicts_the_complaint_clock_is_flagged(small):
    plant(small, "responsibilities", "我们答应国外客户 72 小时内答复，国内客户 24 小时内答复。")
    flags = [f for f in report_of(small).flags if f.kind == "setting"]
    assert [f.id.split(":")[1] for f in flags] == ["reply_hours_abroad"]
    assert "客诉时钟按 48 小时计算" in flags[0].message


def test_a_printed_share_that_its_counts_contradict_is_flagged(small):
    save_published_value(small, YEAR, YEAR, "suppliers_grade_a_share", "65", source="表 7", user="test")
    save_published_value(small, YEAR, YEAR, "suppliers_grade_a", "5", source="表 7", user="test")
    flags = [f for f in report_of(small).flags if f.kind == "published"]
    assert [f.id for f in flags] == [f"published:{YEAR}:{YEAR}:suppliers_grade_a_share"]
    assert f"印：{REGISTRY['suppliers_grade_a_share'].label_zh} 2025 年为 65%，按数据计算为 55.6%（5/9）" in flags[0].message
    save_published_value(small, YEAR, YEAR, "suppliers_grade_a_share", "55.6")
    assert not [f for f in report_of(small).flags if f.kind == "published"]


def test_recording_a_report_as_published_stores_every_printed_figure(small):
    count = record_report_as_published(small, YEAR, user="test", settings=SETTINGS, today=TODAY)
    assert count > 20
    assert not [f for f in report_of(small, 2026, today=dt.date(2027, 2, 1)).flags if f.kind == "published"]


def test_a_draft_ends_with_the_checklist_and_final_refuses_while_flags_are_open(small):
    plant(small, "philosophy", "合格率均达 100%。")
    draft = report_of(small)
    assert draft.blocks[-3].text == "发布前核对清单（草稿）"
    assert any("合格率达 100%" in r.text for item in draft.blocks[-1].items for r in item)
    with pytest.raises(ReportNotReady) as refused:
        report_of(small, final=True)
    assert {f.kind for f in refused.value.flags} >= {"claim", "signoff"}
    assert main(["report", "--year", str(YEAR), "--final", "--format", "md", "--out", str(small.parent / "f.md"),
                 "--warehouse", str(small)]) == 1
    assert not (small.parent / "f.md").exists()


def test_final_has_no_checklist_once_texts_are_fixed_and_the_rest_acknowledged(small):
    imported = split_report(EARLIER_REPORT.name, EARLIER_REPORT.read_bytes())
    import_report_text(small, YEAR, imported, user="test")           # the company's own words, no prompts left
    day = dt.date(2026, 1, 8)
    save_report_signoff(small, SignOff(YEAR, compiled_by="张三", reviewed_by="李四", approved_by="王五", report_date=day,
                                       compiled_on=day, reviewed_on=day, approved_on=day))
    open_flags = [f for f in report_of(small).flags if f.open]
    assert open_flags and all(f.acknowledgeable for f in open_flags)       # no data for some table figures
    with pytest.raises(ValueError):
        acknowledge_flag(small, YEAR, "claim:pass_rate_100:philosophy:abc", "没问题")
    for f in open_flags:
        acknowledge_flag(small, YEAR, f.id, "该项当年未统计", user="质量部")
    final = report_of(small, final=True)
    assert final.final and all(not f.open for f in final.flags)
    assert not [b for b in final.blocks if b.text.startswith("发布前核对清单")]
    draft = report_of(small)
    assert "已确认：该项当年未统计（质量部）" in report_markdown(draft).decode("utf-8")
    assert "发布前核对清单" not in report_markdown(final).decode("utf-8")


def test_an_unfinished_year_is_flagged(small):
    flags = report_of(small, today=dt.date(2025, 11, 24)).flags
    assert "open_year:2025" in [f.id for f in flags]


# Files -------------------------------------------------------------------------------------------


def test_the_markdown_has_the_cover_signoff_contents_and_numbered_tables(small):
    text = report_markdown(report_of(small)).decode("utf-8")
    assert text.startswith("# 金华市托普光学仪器有限公司\n## 2025 年质量诚信报告（草稿）")
    assert "| 编制人 |" in text and "| 批准人 |" in text
    assert "**表 8 产品质量绩效结果**" in text
    assert "| 成品出厂检验合格率 | % | — | 97 | 98 |" in text


def test_the_docx_has_chinese_fonts_headings_contents_and_captioned_tables(small):
    data = report_docx(report_of(small))
    document = docx.Document(io.BytesIO(data))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:10] == [title for _, title in CHAPTERS]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[2] == "表 3 质量、环境和职业健康安全及质量诚信目标" and captions[7] == "表 8 产品质量绩效结果"
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml and "SEQ 表" in xml
    assert len(document.tables) == 1 + len(captions)                        # the sign-off, then one per caption
    signoff = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert [r[0] for r in signoff] == ["编制人", "审核人", "批准人", "持有者"]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF by pdftotext (poppler-utils)."""
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_the_pdf_embeds_a_chinese_font_and_has_the_table_headings(small, tmp_path):
    data = report_pdf(report_of(small))
    text = pdf_text(data, tmp_path)
    for heading in ("表 3 质量、环境和职业健康安全及质量诚信目标", "表 8 产品质量绩效结果", "一、公司简介",
                    "指标项", "成品出厂检验合格率", "发布前核对清单"):
        assert heading in text, heading
    assert re.search(r"目\s*录", text) and re.search(r"八、持续改进\s*\.{5,}\s*\d+", text)        # contents with pages
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_a_long_contents_gets_the_pages_it_needs(small, tmp_path):
    import dataclasses

    from presentation.report.document import Block, Run

    report = report_of(small)
    extra = [Block("heading", level=2, runs=(Run(f"（{n}）附加小节"),)) for n in range(1, 31)]   # 70 entries: two pages
    longer = dataclasses.replace(report, blocks=report.blocks + extra)
    text = pdf_text(report_pdf(longer), tmp_path)                  # fpdf2 refuses a contents of the wrong length
    assert re.search(r"（30）附加小节\s*\.{5,}\s*\d+", text)           # the last entry, with its page


def test_pdf_lines_keep_chinese_line_breaking_rules_and_whole_numbers():
    from fpdf import FPDF

    from presentation.report.document import Run
    from presentation.report.fonts import cjk_fonts
    from presentation.report.write_pdf import FAMILY, NO_LINE_START, wrap_lines

    regular, bold = cjk_fonts()
    assert regular.family.endswith(" SC") and bold.bold and Path(regular.path).exists()
    pdf = FPDF()
    pdf.add_font(FAMILY, "", regular.path, collection_font_number=regular.index)
    pdf.add_font(FAMILY, "B", bold.path, collection_font_number=bold.index)
    text = "本厂已取得GB/T 19001体系认证，成品出厂检验合格率为98.0%，较上年提高1.0个百分点。" * 6
    for width in (40, 53, 61, 77):
        lines = wrap_lines(pdf, (Run(text[:30]), Run(text[30:], bold=True)), width)
        texts = ["".join(t for t, _ in line) for line in lines]
        assert "".join(texts).replace(" ", "") == text.replace(" ", "")
        assert not [t for t in texts[1:] if t[0] in NO_LINE_START], texts
        assert all("98.0%" in t or "98." not in t for t in texts)


def test_the_cli_writes_each_format(small, tmp_path, capsys):
    for fmt in ("md", "docx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        assert main(["report", "--year", str(YEAR), "--format", fmt, "--out", str(out), "--warehouse", str(small)]) == 0
        assert out.stat().st_size > 1000
    assert "open checklist item" in capsys.readouterr().out
    assert report_bytes(small, YEAR, "md", settings=SETTINGS, today=TODAY).startswith("# 金华".encode("utf-8"))


# The demo: the 2021 report reproduces the 2021 edition ------------------------------------------


def reference_rows(table: str) -> dict[str, list[str]]:
    """KPI code -> the 2019-2021 figures of a table of the 2021 edition, as printed."""
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as handle:
        return {r["kpi"]: [r["2019"], r["2020"], r["2021"]] for r in csv.DictReader(handle) if r["table"] == table}


@pytest.fixture(scope="module")
def demo_2021(demo_warehouse):
    """The 2021 draft report of the demo warehouse."""
    with read_connection(demo_warehouse) as con:
        return build_report(con, 2021, SETTINGS, TODAY)


def test_the_demo_2021_report_prints_table_8_as_the_2021_edition(demo_2021):
    table = table_titled(demo_2021, "产品质量绩效结果")
    assert table.number == 8
    printed = {row[0]: row[2:] for row in table.table.rows}
    expected = reference_rows("T8")
    assert len(expected) == 6
    for code, figures in expected.items():
        assert printed[REGISTRY[code].label_zh] == figures, code


def test_the_demo_2021_docx_holds_table_8_as_printed(demo_2021):
    document = docx.Document(io.BytesIO(report_docx(demo_2021)))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    table = document.tables[1 + captions.index("表 8 产品质量绩效结果")]
    rows = {r.cells[0].text: [c.text for c in r.cells[2:]] for r in table.rows[1:]}
    assert [c.text for c in table.rows[0].cells] == ["指标项", "单位", "2019年", "2020年", "2021年"]
    for code, figures in reference_rows("T8").items():
        assert rows[REGISTRY[code].label_zh] == figures, code


def test_the_demo_2021_report_flags_the_printed_a_share_that_its_counts_contradict(demo_2021):
    published = {f.id: f for f in demo_2021.flags if f.kind == "published"}
    assert set(published) == {f"published:2021:{y}:suppliers_grade_a_share" for y in (2019, 2020, 2021)}
    printed = reference_rows("T7")["suppliers_grade_a_share_published"]
    for year, share in zip((2019, 2020, 2021), printed):
        assert f"{REGISTRY['suppliers_grade_a_share'].label_zh} {year} 年为 {share}%，按数据计算为 55.6%（5/9）" in published[f"published:2021:{year}:suppliers_grade_a_share"].message


def test_the_2021_edition_recorded_by_migration_003_matches_the_reference(demo_warehouse):
    with read_connection(demo_warehouse) as con:
        recorded = {(y, k): p for y, k, p in con.execute(
            "SELECT year, kpi, printed FROM report_published WHERE edition = 2021").fetchall()}
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = {(int(y), r["kpi"].removesuffix("_published")): r[y] for r in rows for y in ("2019", "2020", "2021")}
    assert recorded == expected


def test_a_planted_false_claim_is_flagged_in_the_demo(demo_warehouse, tmp_path):
    copy = tmp_path / "wh" / "quality.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(demo_warehouse, copy)
    plant(copy, "foundation", "建厂至今，历年各级部门抽查我们的产品，合格率均达 100%。", year=2021)
    flags = [f for f in report_of(copy, 2021).flags if f.kind == "claim"]
    assert len(flags) == 1 and "2021 年成品出厂检验合格率 98.0%（2,156/2,200）" in flags[0].message


def test_the_demo_2021_pdf_has_the_chinese_table_headings(demo_2021, tmp_path):
    text = pdf_text(report_pdf(demo_2021), tmp_path)
    for heading in ("表 7 供方相关绩效结果", "表 8 产品质量绩效结果", "表 11 近三年产品市场份额绩效", "原料进厂检验合格率",
                    "过程检验合格率", "客诉及时受理率", "91.5", "94.5"):
        assert heading in text, heading
