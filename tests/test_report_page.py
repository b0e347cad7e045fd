"""The 报告 report page under AppTest on a copy of the demo warehouse: downloads (the final only with no open
checklist item), the template's prompts flagged until the company's own report is imported through the page's
upload (what it found, what it leaves out, asking before it replaces saved texts), acknowledging items, editing a
chapter (a contradicted claim is flagged and cannot be acknowledged), the sign-off form."""
from __future__ import annotations

import datetime as dt
import io
import shutil

import docx
import pytest
from streamlit.testing.v1 import AppTest

from app.data import report_file
from presentation import CHAPTERS
from tests.conftest import file_digest, query, shown, signed_in_app
from tests.test_report_import import EARLIER_REPORT

DRAFT = ["report-draft-docx", "report-draft-pdf", "report-draft-md"]
FINAL = ["report-final-docx", "report-final-pdf", "report-final-md"]


@pytest.fixture
def report_page(demo_warehouse, tmp_path, monkeypatch) -> AppTest:
    """An analyst on the report page of a copy of the demo warehouse, year 2021."""
    warehouse = tmp_path / "wh" / "quality.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(demo_warehouse, warehouse)
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    at = signed_in_app(warehouse, "analyst.chen", "analyst", "report")
    at.selectbox(key="report_year").set_value(2021).run()
    assert not at.exception, at.exception
    at.warehouse = warehouse
    return at


def imported_through_the_page(at: AppTest, data: bytes = EARLIER_REPORT.read_bytes(),
                              name: str = EARLIER_REPORT.name) -> AppTest:
    """The page after choosing a report file in its uploader and pressing 导入这些章节."""
    at.file_uploader[0].set_value((name, data, "text/markdown")).run()
    assert not at.exception, at.exception
    at.button(key="report_import").click().run()
    assert not at.exception, at.exception
    return at


def buttons(at: AppTest) -> dict[str, bool]:
    """Download button key -> enabled."""
    return {b.key: not b.proto.disabled for b in at.get("download_button")}


def test_the_report_page_offers_the_draft_and_keeps_the_final_until_the_checklist_is_done(report_page):
    at = report_page
    assert at.title[0].value == "报告" and at.selectbox(key="report_year").value == 2021
    assert {k: v for k, v in buttons(at).items() if k in DRAFT + FINAL} == {**dict.fromkeys(DRAFT, True),
                                                                            **dict.fromkeys(FINAL, False)}
    assert [b.label for b in at.get("download_button")][:3] == ["Word (DOCX)", "PDF", "Markdown"]
    assert "还有 13 项核对未处理" in shown(at.info)[0]                   # the template's prompts and 3 printed figures
    assert len([m for m in shown(at.markdown) if m.startswith("**模板内容待填写**")]) == 10
    imported_through_the_page(at)
    assert shown(at.success)[0] == "已导入 10 章，保存为 2021 年的正文。"
    assert "还有 3 项核对未处理" in shown(at.info)[0]
    open_items = [k for k in (f.key for f in at.text_input) if k and k.startswith("ack-note-")]
    assert len(open_items) == 3 and all(k.startswith("ack-note-published:") for k in open_items)
    snapshot = at.session_state["snapshot"]
    draft = report_file(snapshot, 2021, "md", False, dt.date.today()).decode("utf-8")
    assert "发布前核对清单" in draft and "2021" in draft
    document = docx.Document(io.BytesIO(report_file(snapshot, 2021, "docx", False, dt.date.today())))
    assert any("质量诚信报告" in p.text for p in document.paragraphs)

    for key in open_items:
        at.text_input(key=key).input("2021 年版印刷数字有误，正文已说明")
        at.button(key=key.replace("ack-note-", "ack-")).click().run()
        assert not at.exception and shown(at.success)[0] == "已确认。"
    assert all(buttons(at)[k] for k in FINAL) and not any("核对未处理" in i for i in shown(at.info))
    assert "没有待处理的核对项，可以生成正式版。" in shown(at.success)
    assert all("✓ 已确认" in m for m in shown(at.markdown) if m.startswith("**已发布数字与数据不符**"))
    final = report_file(at.session_state["snapshot"], 2021, "md", True, dt.date.today()).decode("utf-8")
    assert "发布前核对清单" not in final
    assert query(at.warehouse, "SELECT count(*), min(acked_by) FROM report_flag_ack") == [(3, "analyst.chen")]


def test_a_saved_chapter_with_a_claim_the_data_contradicts_is_flagged_and_cannot_be_acknowledged(report_page):
    at = report_page
    at.selectbox(key="report_chapter").set_value("inspection_analysis").run()
    area = at.text_area(key="chapter-body-2021-inspection_analysis")
    assert "{{" in area.value and "> 编写提示" in area.value and "【请填写：" in area.value     # the template
    area.input(area.value + "\n\n2021 年成品出厂检验合格率达到 99%。\n")
    at.button(key="save_chapter").click().run()
    assert not at.exception and shown(at.success) == ["已保存：七、检查与分析"]
    assert any("本年度已保存（analyst.chen" in c for c in shown(at.main.caption))
    claim = [m for m in shown(at.markdown) if m.startswith("**正文与数据不符**")]
    assert claim and any("请修改正文" in c for c in shown(at.main.caption))
    assert len([k for k in (f.key for f in at.text_input) if k and k.startswith("ack-note-")]) == 3
    assert "还有 14 项核对未处理" in shown(at.info)[0]
    assert query(at.warehouse, "SELECT updated_by FROM report_text WHERE year = 2021 AND chapter = "
                               "'inspection_analysis'") == [("analyst.chen",)]


def test_the_upload_shows_what_it_found_and_asks_before_replacing_saved_texts(report_page):
    at = report_page
    at.file_uploader[0].set_value((EARLIER_REPORT.name, EARLIER_REPORT.read_bytes(), "text/markdown")).run()
    assert not at.exception and at.number_input(key="report_import_year").value == 2021
    assert "找到 10 章：" in shown(at.markdown)
    found = at.table[-1].value
    assert list(found["章节"]) == [title for _, title in CHAPTERS]
    assert list(found["文件中的标题"])[:2] == ["前 言", "一、企业概况"]
    assert shown(at.warning) == ["以下内容不属于任何章节，不会导入：“示例光学 2024 年质量诚信报告”（2 段）；“附录：术语”（1 段）"]
    at.button(key="report_import").click().run()
    assert shown(at.success)[0] == "已导入 10 章，保存为 2021 年的正文。" and at.file_uploader[0].value is None

    save_chapter = at.text_area(key="chapter-body-2021-preface")
    save_chapter.input("本年度手写的前言。")
    at.button(key="save_chapter").click().run()
    before = file_digest(at.warehouse)
    imported_through_the_page(at)                                     # the year's texts are saved now: ask first
    assert any("2021 年已保存了以下章节的正文，导入将覆盖它们：前言、一、公司简介" in w for w in shown(at.warning))
    assert file_digest(at.warehouse) == before
    at.button(key="report_import_cancel").click().run()
    assert shown(at.success)[0] == "已取消导入，正文未改变。" and file_digest(at.warehouse) == before
    assert query(at.warehouse, "SELECT body_md FROM report_text WHERE year = 2021 AND chapter = 'preface'") == [
        ("本年度手写的前言。",)]
    imported_through_the_page(at)
    at.button(key="report_import_confirm").click().run()
    assert not at.exception and shown(at.success)[0] == "已导入 10 章，保存为 2021 年的正文。"
    assert query(at.warehouse, "SELECT body_md, updated_by FROM report_text WHERE year = 2021 AND chapter = 'preface'") == [
        ("本报告由{{company}}质量部编写，介绍公司在报告年度的质量工作。公司对报告所载内容的真实性负责。\n", "analyst.chen")]


def test_a_file_that_is_no_report_is_refused_naming_it(report_page):
    at = report_page
    before = file_digest(at.warehouse)
    at.file_uploader[0].set_value(("旧版报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
                                   "application/msword")).run()
    assert not at.exception
    assert shown(at.error) == ["旧版报告.doc：是旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入"]
    assert not [b for b in at.button if b.key == "report_import"] and file_digest(at.warehouse) == before
    at.file_uploader[0].set_value(("往年报告.docx", "# 目录\n\n# 附录\n".encode(), "text/markdown")).run()
    assert shown(at.error)[0].startswith("往年报告.docx：没有一个标题对应报告的章节")


def test_the_sign_off_form_saves_names_and_dates(report_page):
    at = report_page
    at.text_input(key="signoff-compiled_by-2021").input("王工")
    at.date_input(key="signoff-compiled_on-2021").set_value(dt.date(2022, 3, 1))
    at.button(key="save_signoff").click().run()
    assert not at.exception and shown(at.success) == ["签署栏已保存。"]
    assert at.text_input(key="signoff-compiled_by-2021").value == "王工"
    assert query(at.warehouse, "SELECT compiled_by, compiled_on, updated_by FROM report_signoff WHERE year = 2021") == [
        ("王工", dt.date(2022, 3, 1), "analyst.chen")]
