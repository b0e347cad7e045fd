"""The report as DOCX (python-docx): 宋体 body and 黑体 headings set as East Asian fonts (w:eastAsia), heading
styles, a table-of-contents field, table captions numbered with SEQ fields (表 1 …), a page-number footer."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from presentation.report.document import DRAFT_BANNER, Block, Report, signoff_rows

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
BODY_PT = 12                                       # 小四
HEADING_PT = {1: 16, 2: 14, 3: 12}                 # 三号, 四号, 小四


def set_fonts(element, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Give a style's or run's rPr explicit fonts (w:eastAsia for Chinese) and drop theme fonts that override them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _lang(style) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY_FONT)
    _lang(normal)
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(3)
    for level, pt in HEADING_PT.items():
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(pt)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element, HEADING_FONT, "Arial")
        style.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(6)
        if level == 1:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Title", "Caption"):
        style = doc.styles[name]
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.font.bold = True
        set_fonts(style.element, HEADING_FONT, "Arial")
    doc.styles["Caption"].font.size = Pt(10.5)
    doc.styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(doc.styles["List Bullet"].element, BODY_FONT)


def _field(paragraph, instruction: str, result: str) -> None:
    """A complex field (w:fldChar begin/instrText/separate/result/end) whose cached result shows until updated."""
    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(result)
    fld("end")


def _update_fields_on_open(doc) -> None:
    """Ask Word to refresh the contents and SEQ fields when the file opens."""
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    doc.settings.element.append(el)


def _runs(paragraph, runs) -> None:
    for r in runs:
        run = paragraph.add_run(r.text)
        run.bold = r.bold or None


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _cell_text(cell, text: str, bold: bool = False, size: float = 10.5) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)


def _table(doc, block: Block) -> None:
    t = block.table
    caption = doc.add_paragraph(style="Caption")
    caption.paragraph_format.keep_with_next = True
    caption.add_run("表 ")
    _field(caption, "SEQ 表 \\* ARABIC", str(block.number))
    if t.title:
        caption.add_run(f" {t.title}")
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(t.header):
        _cell_text(table.rows[0].cells[i], text, bold=True)
        _shade(table.rows[0].cells[i], "E8E8E8")
    _repeat_header(table.rows[0])
    for r, row in enumerate(t.rows, 1):
        for i, text in enumerate(row[:len(t.header)]):
            _cell_text(table.rows[r].cells[i], text)
    if t.note:
        note = doc.add_paragraph()
        run = note.add_run(f"注：{t.note}")
        run.font.size = Pt(9)
    else:
        doc.add_paragraph()


def _block(doc, block: Block) -> None:
    if block.kind == "heading":
        doc.add_heading(block.text, level=block.level)
    elif block.kind == "paragraph":
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _runs(p, block.runs)
    elif block.kind == "bullets":
        for item in block.items:
            _runs(doc.add_paragraph(style="List Bullet"), item)
    elif block.kind == "numbered":
        for i, item in enumerate(block.items):
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.74)
            p.paragraph_format.first_line_indent = Cm(-0.74)
            p.add_run(f"{block.start + i}) ")
            _runs(p, item)
    elif block.kind == "table":
        _table(doc, block)
    else:
        raise ValueError(f"unknown block kind {block.kind}")


def _cover(doc, report: Report) -> None:
    s = report.signoff
    for _ in range(4):
        doc.add_paragraph()
    company = doc.add_paragraph(style="Title")
    company.alignment = WD_ALIGN_PARAGRAPH.CENTER
    company.add_run(s.company).font.size = Pt(22)
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(report.title).font.size = Pt(26)
    if not report.final:
        draft = doc.add_paragraph()
        draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = draft.add_run(DRAFT_BANNER)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0, 0)
    for _ in range(3):
        doc.add_paragraph()

    rows = signoff_rows(s)
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _cell_text(table.rows[r].cells[c], text, bold=c in (0, 2), size=12)
    for _ in range(3):
        doc.add_paragraph()
    for text, size in [(s.company, 16), (f"报告日期：{report.report_date_text}", 14)]:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = True
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("目  录")
    run.bold = True
    run.font.size = Pt(HEADING_PT[1])
    set_fonts(run._r, HEADING_FONT, "Arial")
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "（打开文件时更新域即生成目录：右键 → 更新域）")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _footer(doc) -> None:
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE", "1")
    footer.add_run(" 页")


def report_docx_bytes(report: Report) -> bytes:
    """The report as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styles(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.signoff.company
    doc.core_properties.language = "zh-CN"
    _cover(doc, report)
    _contents(doc)
    for block in report.blocks:
        _block(doc, block)
    _footer(doc)
    _update_fields_on_open(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
