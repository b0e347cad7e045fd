"""An earlier report imported as a year's chapter texts: a Markdown report (tests/fixtures/report) and Word
documents built here with python-docx, split by their chapter headings; what belongs to no chapter is listed; bad
files are refused naming the file; the texts land in a real warehouse file, where the next year's draft starts
from them; saved texts are replaced only when asked; the CLI does the same."""
from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from etl.cli import main
from presentation.report import (CHAPTERS, ReportImportError, SavedTextsExist, build_report, chapter_texts,
                                 import_report_text, report_markdown, save_chapter_text, split_report)
from presentation.report.imports import chapter_of
from tests.conftest import file_digest, query
from warehouse.db import read_connection
from warehouse.settings import Settings, load_settings
from warehouse.snapshot import write_snapshot
from warehouse.users import accounts_connection, audit_entries

EARLIER_REPORT = Path(__file__).parent / "fixtures" / "report" / "earlier-report.md"   # written for the tests


@pytest.fixture
def empty(warehouse) -> Path:
    """A migrated warehouse file with no facts."""
    with write_snapshot(warehouse):
        pass
    return warehouse


def png() -> bytes:
    """A one-pixel PNG picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def word_report() -> bytes:
    """A Word report as a Chinese office writes one: a title, the contents, chapters styled Heading 1, 标题 1 (as
    WPS names it) or a style of the company's own based on Heading 1, sections in Heading 2, bold words, a bulleted
    list, a captioned table, a picture and an appendix."""
    document = docx.Document()
    chinese_heading = document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
    own_heading = document.styles.add_style("报告章标题", WD_STYLE_TYPE.PARAGRAPH)
    own_heading.base_style = document.styles["Heading 1"]
    document.add_paragraph("青松光学 2023 年质量诚信报告", style="Title")
    document.add_paragraph("目录")
    document.add_heading("前 言", level=1)
    document.add_paragraph("本报告由质量部编写。")
    document.add_paragraph("一、公司简介", style="标题 1")
    intro = document.add_paragraph("公司生产")
    intro.add_run("天文望远镜").bold = True
    intro.add_run("和双筒望远镜。")
    document.add_heading("（一）生产线", level=2)
    document.add_paragraph("两条装配线，一间检测室。")
    document.add_paragraph("三、企业质量诚信管理", style="报告章标题")
    document.add_paragraph("质量部负责检验；", style="List Bullet")
    document.add_paragraph("生产部负责工艺。", style="List Bullet")
    document.add_paragraph("表 1 列出了公司的方针。")                  # starts like a caption, but no table follows
    document.add_paragraph("表 2 质量方针")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip([c for row in table.rows for c in row.cells], ["方面", "表述", "质量方针", "看得远 | 看得准"]):
        cell.text = text
    document.add_picture(io.BytesIO(png()))
    document.add_heading("报告结语", level=1)
    document.add_paragraph("感谢各方支持。")
    document.add_heading("附件一：检测设备照片", level=1)
    document.add_paragraph("照片见下。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Splitting a file --------------------------------------------------------------------------------------------


def test_headings_name_chapters_with_or_without_numbering_and_spaces():
    assert [chapter_of(h) for h in ("前 言", "一、 公司简介", "第一章 企业概况", "七 检查与分析", "五、质量诚信管理基础",
                                    "（八）持续改进", "报告结语", "八、持续改进.......24")] == [
        "preface", "company", "company", "inspection_analysis", "foundation", "improvement", "closing", "improvement"]
    assert [chapter_of(h) for h in ("报告正文", "目录", "附录：术语", "质量诚信管理基础建设")] == [None] * 4


def test_a_markdown_report_splits_into_its_chapters_and_lists_what_is_not_imported():
    split = split_report(EARLIER_REPORT, EARLIER_REPORT.read_bytes())
    assert (split.file_name, split.format, split.missing, split.images) == ("earlier-report.md", "md", [], 0)
    assert [c.chapter for c in split.chapters] == [key for key, _ in CHAPTERS]
    chapters = {c.chapter: c for c in split.chapters}
    assert (chapters["preface"].heading, chapters["company"].heading) == ("前 言", "一、企业概况")
    assert chapters["company"].body_md.startswith("示例光学是一家生产教学显微镜和手持放大镜的小型企业")
    assert "\n## 产品\n" in chapters["company"].body_md                     # a section stays a section
    assert "{{table:targets}}" in chapters["integrity_management"].body_md
    assert [(p.heading, p.blocks) for p in split.not_imported] == [("示例光学 2024 年质量诚信报告", 2), ("附录：术语", 1)]
    assert split.not_imported[1].excerpt == "IQC 指进货检验，IPQC 指过程检验。"


def test_a_word_report_splits_by_its_heading_styles():
    split = split_report("青松光学2023年报告.docx", word_report())
    assert split.format == "docx" and split.images == 1
    chapters = {c.chapter: c for c in split.chapters}
    assert list(chapters) == ["preface", "company", "integrity_management", "closing"]
    assert (chapters["company"].heading, chapters["integrity_management"].heading) == ("一、公司简介", "三、企业质量诚信管理")
    assert chapters["preface"].body_md == "本报告由质量部编写。\n"
    assert chapters["company"].body_md == "公司生产**天文望远镜**和双筒望远镜。\n\n## （一）生产线\n\n两条装配线，一间检测室。\n"
    assert chapters["integrity_management"].body_md == (
        "- 质量部负责检验；\n- 生产部负责工艺。\n\n表 1 列出了公司的方针。\n\n表：质量方针\n\n| 方面 | 表述 |\n|---|---|\n| 质量方针 | 看得远 \\| 看得准 |\n")
    assert [(p.heading, p.blocks) for p in split.not_imported] == [(None, 2), ("附件一：检测设备照片", 1)]
    assert split.not_imported[0].excerpt == "青松光学 2023 年质量诚信报告 目录"
    assert split.missing == ["philosophy", "responsibilities", "foundation", "product_quality", "inspection_analysis",
                             "improvement"]


def test_an_imported_word_report_prints_its_table_and_bold_words(empty):
    import_report_text(empty, 2023, split_report("r.docx", word_report()), user="test")
    with read_connection(empty) as con:
        report = build_report(con, 2023, Settings(), dt.date(2024, 2, 1))
    policy = next(b for b in report.tables() if b.table.title == "质量方针")
    assert (policy.number, policy.table.header, policy.table.rows) == (2, ["方面", "表述"], [["质量方针", "看得远 | 看得准"]])
    company = next(i for i, b in enumerate(report.blocks) if b.text == "一、公司简介")
    assert [(r.text, r.bold) for r in report.blocks[company + 1].runs] == [
        ("公司生产", False), ("天文望远镜", True), ("和双筒望远镜。", False)]


def test_chapters_one_level_below_the_title_are_found_there():
    text = "# 2022 年质量诚信报告\n\n## 前言\n\n写给读者。\n\n## 八、持续改进\n\n### 1、改进项目\n\n两项。\n"
    split = split_report("r.md", text.encode("gb18030"))
    assert [(c.chapter, c.body_md) for c in split.chapters] == [
        ("preface", "写给读者。\n"), ("improvement", "## 1、改进项目\n\n两项。\n")]
    assert [(p.heading, p.blocks) for p in split.not_imported] == [("2022 年质量诚信报告", 0)]


@pytest.mark.parametrize(("data", "says"), [
    (b"", "the file is empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old Word document (.doc)"),
    (b"%PDF-1.7\n...", "a PDF cannot be split into chapters"),
    (b"PK\x03\x04" + b"\x00" * 60, "a ZIP file but not a Word document"),
    ("# 目录\n\n# 附录\n\n正文\n".encode(), "no heading names a chapter of the report"),
    ("没有任何标题的一段文字。\n".encode(), "Headings in the file: none"),
    ("# 前言\n\n甲\n\n# 前 言\n\n乙\n".encode(), "two headings name the chapter 前言: “前言” and “前 言”"),
    (b"\x00\x01\x02binary", "neither a Word document (DOCX) nor Markdown"),
])
def test_a_file_that_cannot_be_imported_is_refused_naming_it(data, says):
    with pytest.raises(ReportImportError) as refused:
        split_report("往年报告.docx", data)
    assert str(refused.value).startswith("往年报告.docx: ") and says in str(refused.value)
    assert refused.value.reason_zh.startswith("往年报告.docx：")


# Storing the texts -------------------------------------------------------------------------------------------


def test_imported_texts_are_the_years_and_the_next_year_starts_from_them(empty):
    split = split_report(EARLIER_REPORT, EARLIER_REPORT.read_bytes())
    before = file_digest(empty)
    assert import_report_text(empty, 2024, split, user="王工") == [key for key, _ in CHAPTERS]
    assert file_digest(empty) != before
    with read_connection(empty) as con:
        mine = {t.chapter: t for t in chapter_texts(con, 2024)}
        nxt = {t.chapter: t for t in chapter_texts(con, 2025)}
    assert {t.source for t in mine.values()} == {"saved"} and {t.updated_by for t in mine.values()} == {"王工"}
    assert mine["improvement"].body_md == "每季度评选一项改进成果，在全厂推广。\n"
    assert (nxt["improvement"].source, nxt["improvement"].source_year) == ("previous", 2024)
    assert nxt["improvement"].body_md == mine["improvement"].body_md
    with read_connection(empty) as con:
        draft = build_report(con, 2025, Settings(), dt.date(2026, 2, 1))
    assert not [f for f in draft.flags if f.kind == "unfilled"]
    assert "每季度评选一项改进成果，在全厂推广。" in report_markdown(draft).decode("utf-8")


def test_saved_texts_are_replaced_only_when_asked(empty):
    save_chapter_text(empty, 2024, "improvement", "本年度手写的持续改进。", user="李工")
    split = split_report(EARLIER_REPORT, EARLIER_REPORT.read_bytes())
    before = file_digest(empty)
    with pytest.raises(SavedTextsExist) as refused:
        import_report_text(empty, 2024, split, user="王工")
    assert refused.value.chapters == ["improvement"] and "八、持续改进" in refused.value.reason_zh
    assert file_digest(empty) == before                                        # nothing written, not even the rest
    import_report_text(empty, 2024, split, user="王工", overwrite=True)
    assert query(empty, "SELECT body_md, updated_by FROM report_text WHERE year = 2024 AND chapter = 'improvement'") == [
        ("每季度评选一项改进成果，在全厂推广。\n", "王工")]


# The command line --------------------------------------------------------------------------------------------


def test_the_cli_imports_lists_and_refuses_to_overwrite(empty, tmp_path, capsys):
    assert main(["report", "import-text", "--year", "2024", str(EARLIER_REPORT), "--warehouse", str(empty)]) == 0
    out = capsys.readouterr().out
    assert "10 chapters found 找到 10 章" in out and "一、公司简介" in out and "“一、企业概况”" in out
    assert "“附录：术语”: 1 blocks" in out and "imported 10 chapters as the texts of 2024" in out
    assert query(empty, "SELECT count(*) FROM report_text WHERE year = 2024") == [(10,)]
    with accounts_connection(load_settings(warehouse=empty)) as con:
        entry = audit_entries(con)[0]
    assert entry.action == "report_import" and '"file": "earlier-report.md"' in entry.detail

    before = file_digest(empty)
    assert main(["report", "import-text", "--year", "2024", str(EARLIER_REPORT), "--warehouse", str(empty)]) == 1
    assert "--overwrite" in capsys.readouterr().err and file_digest(empty) == before
    assert main(["report", "import-text", "--year", "2024", str(EARLIER_REPORT), "--overwrite",
                 "--warehouse", str(empty)]) == 0

    bad = tmp_path / "旧报告.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert main(["report", "import-text", "--year", "2023", str(bad), "--warehouse", str(empty)]) == 1
    assert "旧报告.doc: an old Word document (.doc)" in capsys.readouterr().err
    assert main(["report", "import-text", "--year", "2023", str(tmp_path / "missing.md"), "--warehouse", str(empty)]) == 2
    assert "missing.md" in capsys.readouterr().err
    assert query(empty, "SELECT count(*) FROM report_text WHERE year = 2023") == [(0,)]
    with pytest.raises(SystemExit) as usage:
        main(["report", "--warehouse", str(empty)])
    assert usage.value.code == 2 and "--year" in capsys.readouterr().err
