"""The report as PDF (fpdf2), with a Simplified Chinese font embedded (subset) so it reads the same anywhere."""
from __future__ import annotations

import math
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace as CellStyle
from fpdf.fonts import TextStyle
from fpdf.outline import TableOfContents

from presentation.report.document import DRAFT_BANNER, Block, Report, Run, signoff_rows, table_caption
from presentation.report.fonts import cjk_fonts

FAMILY = "cjk"
BODY_PT, SMALL_PT, TABLE_PT = 11, 9, 9
HEADING_PT = {1: 16, 2: 13, 3: 11.5}
INDENT = "\u3000\u3000"          # two ideographic spaces: the first-line indent of Chinese prose
TOC_PT, TOC_SPACING = 10.5, 1.6   # the contents' type size and line spacing


class ReportPdf(FPDF):
    """A4 pages with the report title in the header (and 草稿 on a draft) and the page number in the footer."""

    def __init__(self, header_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.header_text = header_text

    def header(self):
        """Title (and draft mark) on every page after the cover."""
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 8)
            self.set_text_color(110)
            self.cell(0, 6, self.header_text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
            self.ln(2)

    def footer(self):
        """Page number."""
        if self.page_no() > 1:
            self.set_y(-14)
            self.set_font(FAMILY, "", 8)
            self.cell(0, 8, f"第 {self.page_no()} 页", align="C")


def _line_height(pt: float) -> float:
    return pt * 0.3528 * 1.6


# Chinese line breaking (禁则): these never start a line, those never end one; Latin words and numbers stay whole.
NO_LINE_START = set("，。、；：？！）》」』”’％,.;:?!)]%…·")
NO_LINE_END = set("（《「『“‘([")
TOKEN = re.compile(r"[!-~]+|\s|.", re.S)


def _tokens(runs: tuple[Run, ...]) -> list[tuple[str, bool]]:
    """(text, bold) pieces a line may break between: a CJK character, a space, or a Latin word or number."""
    return [(m.group(0), r.bold) for r in runs for m in TOKEN.finditer(r.text)]


def _width(pdf: FPDF, text: str, bold: bool) -> float:
    pdf.set_font(FAMILY, "B" if bold else "", BODY_PT)
    return pdf.get_string_width(text)


def _split_long(pdf: FPDF, tokens: list[tuple[str, bool]], width: float) -> list[tuple[str, bool]]:
    """Tokens wider than a line (a long URL) cut into characters."""
    out = []
    for text, bold in tokens:
        out += [(c, bold) for c in text] if len(text) > 1 and _width(pdf, text, bold) > width else [(text, bold)]
    return out


def wrap_lines(pdf: FPDF, runs: tuple[Run, ...], width: float, indent: float = 0.0) -> list[list[tuple[str, bool]]]:
    """The runs broken into lines no wider than width (the first line indent narrower), keeping 禁则."""
    lines: list[list[tuple[str, bool]]] = [[]]
    used = indent
    for text, bold in _split_long(pdf, _tokens(runs), width):
        if text == "\n":
            lines.append([])
            used = 0.0
            continue
        w = _width(pdf, text, bold)
        line = lines[-1]
        if used + w > width and line:
            carry = []
            if text in NO_LINE_START and len(line) > 1:
                carry.insert(0, line.pop())
            while len(line) > 1 and line[-1][0] in NO_LINE_END:
                carry.insert(0, line.pop())
            while line and line[-1][0].isspace():
                line.pop()
            lines.append(carry)
            line = carry
            used = sum(_width(pdf, t, b) for t, b in carry)
            if not carry and text.isspace():
                continue
        line.append((text, bold))
        used += w
    return lines


def _draw_lines(pdf: FPDF, lines: list[list[tuple[str, bool]]], x: float, h: float, indent: float = 0.0) -> None:
    """Each line at x (the first indented), runs of equal weight drawn together."""
    for i, line in enumerate(lines):
        pdf.set_x(x + (indent if i == 0 else 0.0))
        pieces: list[tuple[str, bool]] = []
        for text, bold in line:
            if pieces and pieces[-1][1] == bold:
                pieces[-1] = (pieces[-1][0] + text, bold)
            else:
                pieces.append((text, bold))
        for text, bold in pieces:
            pdf.set_font(FAMILY, "B" if bold else "", BODY_PT)
            pdf.cell(pdf.get_string_width(text), h, text)
        pdf.ln(h)


def _paragraph(pdf: FPDF, block: Block) -> None:
    h = _line_height(BODY_PT)
    indent = _width(pdf, INDENT, False)
    _draw_lines(pdf, wrap_lines(pdf, block.runs, pdf.epw, indent), pdf.l_margin, h, indent)
    pdf.ln(1.5)


def _list(pdf: FPDF, block: Block) -> None:
    h = _line_height(BODY_PT)
    for i, item in enumerate(block.items):
        mark = "•" if block.kind == "bullets" else f"{block.start + i})"
        pdf.set_font(FAMILY, "", BODY_PT)
        pdf.set_x(pdf.l_margin + 4)
        pdf.cell(7, h, mark)
        _draw_lines(pdf, wrap_lines(pdf, item, pdf.epw - 11), pdf.l_margin + 11, h)
        pdf.ln(0.8)
    pdf.ln(1.5)


def _col_widths(header: list[str], rows: list[list[str]]) -> tuple[float, ...]:
    """Column widths in proportion to their longest text (CJK counted double), within limits."""
    def width(text: str) -> int:
        return sum(2 if ord(c) > 0x2E80 else 1 for c in text)

    longest = [max([width(header[i])] + [width(r[i]) for r in rows if i < len(r)]) for i in range(len(header))]
    return tuple(min(max(n, 4), 40) + 3 for n in longest)


def _keep_room(pdf: FPDF, height: float) -> None:
    """Start a new page unless height (mm) still fits on this one (keeps a heading or caption with what follows)."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _table(pdf: FPDF, block: Block) -> None:
    t = block.table
    _keep_room(pdf, _line_height(BODY_PT) + _line_height(TABLE_PT) * (1 + min(len(t.rows), 3)) + 4)
    pdf.set_font(FAMILY, "B", BODY_PT)
    pdf.multi_cell(0, _line_height(BODY_PT), table_caption(block.number, t.title), align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FAMILY, "", TABLE_PT)
    heading = CellStyle(emphasis="BOLD", fill_color=(232, 232, 232))
    with pdf.table(col_widths=_col_widths(t.header, t.rows), headings_style=heading, line_height=_line_height(TABLE_PT),
                   text_align="CENTER", wrapmode=WrapMode.CHAR, cell_fill_mode=TableCellFillMode.NONE,
                   first_row_as_headings=True) as table:
        for row in [t.header, *t.rows]:
            cells = table.row()
            for text in list(row) + [""] * (len(t.header) - len(row)):
                cells.cell(text)
    if t.note:
        pdf.set_font(FAMILY, "", SMALL_PT)
        pdf.multi_cell(0, _line_height(SMALL_PT), f"注：{t.note}", wrapmode=WrapMode.CHAR,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _heading(pdf: FPDF, block: Block) -> None:
    pt = HEADING_PT[block.level]
    _keep_room(pdf, _line_height(pt) + 3 * _line_height(BODY_PT))
    if block.level == 1:
        pdf.ln(4)
    if block.level <= 2:
        pdf.start_section(block.text, level=block.level - 1, strict=False)
    pdf.set_font(FAMILY, "B", pt)
    pdf.multi_cell(0, _line_height(pt), block.text, align="C" if block.level == 1 else "L", wrapmode=WrapMode.CHAR,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _cover(pdf: FPDF, report: Report) -> None:
    s = report.signoff
    pdf.add_page()
    pdf.ln(45)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(0, 14, s.company, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 26)
    pdf.cell(0, 16, report.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not report.final:
        pdf.set_font(FAMILY, "B", 14)
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 10, DRAFT_BANNER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
    pdf.ln(30)
    pdf.set_font(FAMILY, "", BODY_PT)

    rows = signoff_rows(s)
    pdf.set_x(pdf.l_margin + 20)
    with pdf.table(width=pdf.epw - 40, col_widths=(1, 2, 1, 2), first_row_as_headings=False,
                   line_height=_line_height(BODY_PT) + 2, text_align="CENTER") as table:
        for r in rows:
            cells = table.row()
            for text in r:
                cells.cell(text)
    pdf.ln(25)
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(0, 10, s.company, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 12)
    pdf.cell(0, 8, f"报告日期：{report.report_date_text}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def toc_pages(pdf: FPDF, entries: int) -> int:
    """The pages the contents take: one line per entry, from where the page stands now, then on full pages."""
    line = TOC_PT / 72 * 25.4 * TOC_SPACING
    first = int((pdf.page_break_trigger - pdf.get_y()) // line)
    per_page = int((pdf.page_break_trigger - pdf.t_margin) // line)
    return 1 if entries <= first else 1 + math.ceil((entries - first) / per_page)


def report_pdf_bytes(report: Report, font_path: str | Path | None = None) -> bytes:
    """The report as PDF bytes: cover with sign-off, contents (with page numbers), chapters, tables."""
    regular, bold = cjk_fonts(font_path)
    pdf = ReportPdf(f"{report.signoff.company} {report.title}" + ("（草稿）" if not report.final else ""))
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_font(FAMILY, "", regular.path, collection_font_number=regular.index)
    pdf.add_font(FAMILY, "B", bold.path, collection_font_number=bold.index)
    pdf.set_title(report.title)
    pdf.set_author(report.signoff.company)
    pdf.set_lang("zh-CN")
    _cover(pdf, report)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", HEADING_PT[1])
    pdf.cell(0, 12, "目  录", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    entries = sum(1 for b in report.blocks if b.kind == "heading" and b.level <= 2)
    toc = TableOfContents(text_style=TextStyle(font_family=FAMILY, font_size_pt=TOC_PT), level_indent=8,
                          line_spacing=TOC_SPACING)
    pdf.insert_toc_placeholder(toc.render_toc, pages=toc_pages(pdf, entries))
    draw = {"heading": _heading, "paragraph": _paragraph, "bullets": _list, "numbered": _list, "table": _table}
    for block in report.blocks:
        draw[block.kind](pdf, block)
    return bytes(pdf.output())
