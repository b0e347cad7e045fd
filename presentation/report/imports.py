"""A company's earlier report (Word DOCX or Markdown) split into the report's chapters by its headings, to be
stored as a year's editable texts (`etl report import-text`, the 报告 page's upload).

The chapters are found at the highest heading level where any heading names one (DOCX: the style 标题 1 /
Heading 1, or one based on it, or outline level 1; Markdown: `#`), so a file whose top heading is its title and
whose chapters are one level down reads too. Headings at that level that name no chapter, and the text before
the first chapter, are listed as not imported, never dropped unseen. Deeper headings stay in the chapter's text
as `##` and `###`; tables become Markdown tables, a caption line above one (表 3 …) becomes `表：…`.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from presentation.report.texts import CHAPTER_TITLES, CHAPTERS, save_chapter_texts

# Headings a chapter may go by, besides its own title (compared without numbering, spaces and punctuation).
HEADING_NAMES: dict[str, tuple[str, ...]] = {
    "preface": ("前言", "报告前言", "报告说明", "引言", "编制说明"),
    "company": ("公司简介", "企业简介", "公司概况", "企业概况", "公司介绍", "企业介绍"),
    "philosophy": ("企业质量理念", "质量理念", "公司质量理念"),
    "integrity_management": ("企业质量诚信管理", "质量诚信管理", "企业质量管理", "公司质量诚信管理"),
    "responsibilities": ("质量诚信管理职责", "质量管理职责", "质量诚信职责", "企业质量诚信管理职责"),
    "foundation": ("质量管理基础", "质量诚信管理基础", "企业质量管理基础", "质量基础管理"),
    "product_quality": ("产品质量管理实现", "产品质量责任", "产品质量管理", "产品实现"),
    "inspection_analysis": ("检查与分析", "检查和分析", "监督检查与分析", "检查分析"),
    "improvement": ("持续改进", "质量改进", "改进与创新"),
    "closing": ("报告结语", "结语", "结束语", "报告结束语"),
}
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[章部分节]|[一二三四五六七八九十]+|\d+|[（(][一二三四五六七八九十\d]+[)）])"
                        r"[、.．:：\s]*")
_NOISE = re.compile(r"[\s\u3000、，,.．。:：·…\-—_*#\d]+$")
_CAPTION = re.compile(r"^表\s*\d+(?:[.\-]\d+)?[\s:：]*(.+)$")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ReportImportError(ValueError):
    """A file that cannot be imported as a report; the message names the file (reason_zh: the same in Chinese)."""

    def __init__(self, message: str, reason_zh: str):
        super().__init__(message)
        self.reason_zh = reason_zh


@dataclass(frozen=True)
class ImportedChapter:
    """One chapter found in the file: its key, the heading as the file writes it, and its text as Markdown."""

    chapter: str
    heading: str
    body_md: str
    blocks: int                       # paragraphs, list items, tables and headings under it

    @property
    def title(self) -> str:
        """The chapter's title in the report."""
        return CHAPTER_TITLES[self.chapter]


@dataclass(frozen=True)
class NotImported:
    """A part of the file that belongs to no chapter: under a heading that names none, or before the first."""

    heading: str | None               # None: the text before the first chapter heading
    blocks: int
    excerpt: str


@dataclass(frozen=True)
class SplitReport:
    """A report file split into chapters, with what was left out and which chapters it lacks."""

    file_name: str
    format: str                       # "docx" or "md"
    chapters: list[ImportedChapter]
    not_imported: list[NotImported] = field(default_factory=list)
    images: int = 0                   # pictures in the file (not imported)

    @property
    def missing(self) -> list[str]:
        """The chapters the file does not have, in report order."""
        found = {c.chapter for c in self.chapters}
        return [key for key, _ in CHAPTERS if key not in found]


def heading_key(text: str) -> str:
    """A heading as compared with chapter names: numbering, spaces, dots and page numbers removed."""
    text = re.sub(r"[\s\u3000]+", "", text)
    text = _NUMBERING.sub("", text, count=1)
    return _NOISE.sub("", text)


def _names() -> dict[str, str]:
    names = {}
    for key, title in CHAPTERS:
        for name in (title, *HEADING_NAMES.get(key, ())):
            names[heading_key(name)] = key
    return names


NAMES = _names()


def chapter_of(heading: str) -> str | None:
    """The chapter a heading names, or None."""
    return NAMES.get(heading_key(heading))


# A file as a sequence of (heading level or 0, Markdown text) ------------------------------------------------


def _markdown_lines(text: str) -> list[tuple[int, str]]:
    """(level, heading text) for ATX and setext headings, (0, line) for every other line; fenced code kept whole."""
    out: list[tuple[int, str]] = []
    fence = None
    for line in text.split("\n"):
        stripped = line.strip()
        if fence:
            out.append((0, line))
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append((0, line))
            continue
        m = re.match(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$", line)
        if m:
            out.append((len(m.group(1)), (m.group(2) or "").strip()))
            continue
        previous = out[-1] if out else (1, "")
        if (re.match(r"^ {0,3}(=+|-+)\s*$", line) and previous[0] == 0 and previous[1].strip()
                and not re.match(r"^\s*[-*+]\s", previous[1]) and "|" not in previous[1]):
            out[-1] = (1 if stripped.startswith("=") else 2, previous[1].strip())   # a setext heading
            continue
        out.append((0, line))
    return out


def _blocks_of_lines(lines: list[str]) -> int:
    """Paragraph-like blocks in Markdown lines (runs of non-blank lines)."""
    return len([b for b in re.split(r"\n\s*\n", "\n".join(lines)) if b.strip()])


def _style_level(style) -> int | None:
    """The heading level a paragraph style gives (by its name, an outline level, or the style it is based on)."""
    seen = 0
    while style is not None and seen < 10:
        m = _HEADING_STYLE.match((style.name or "").strip())
        if m:
            return int(m.group(1))
        level = style.element.find(f"{_W}pPr/{_W}outlineLvl")
        if level is not None and level.get(f"{_W}val", "").isdigit() and int(level.get(f"{_W}val")) < 9:
            return int(level.get(f"{_W}val")) + 1
        style, seen = style.base_style, seen + 1
    return None


def _paragraph_level(paragraph) -> int:
    """A DOCX paragraph's heading level, 0 for body text."""
    own = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if own is not None and own.get(f"{_W}val", "").isdigit() and int(own.get(f"{_W}val")) < 9:
        return int(own.get(f"{_W}val")) + 1
    return _style_level(paragraph.style) or 0


def _runs_markdown(paragraph) -> str:
    """A paragraph's text with bold runs as **…**."""
    parts: list[tuple[str, bool]] = []
    for run in paragraph.runs:
        if not run.text:
            continue
        bold = bool(run.bold)
        if parts and parts[-1][1] == bold:
            parts[-1] = (parts[-1][0] + run.text, bold)
        else:
            parts.append((run.text, bold))
    if not parts:
        return paragraph.text
    return "".join(f"**{t.strip()}**" if bold and t.strip() else t for t, bold in parts)


def _cell(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).replace("|", "\\|").strip()


def _table_markdown(table) -> list[str]:
    rows = [[_cell(c.text) for c in row.cells] for row in table.rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return lines


def _docx_items(data: bytes, file_name: str) -> tuple[list[tuple[int, str]], int]:
    """(level, heading text) or (0, Markdown block) for a DOCX's paragraphs and tables, in order; pictures counted."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ReportImportError(f"{file_name}: cannot be read as a Word document (DOCX): {exc}",
                                f"{file_name}：无法作为 Word 文档（DOCX）读取：{exc}") from exc
    items: list[tuple[int, str]] = []
    captions: dict[int, str | None] = {}          # item index -> its text, when it reads as a table caption
    images = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, document)
            images += len(child.findall(f".//{_W}drawing")) + len(child.findall(f".//{_W}pict"))
            text = paragraph.text.strip()
            if not text:
                continue
            level = _paragraph_level(paragraph)
            if level:
                items.append((level, text))
                continue
            style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
            body = _runs_markdown(paragraph).strip()
            if style.startswith("list number") or style.startswith("编号"):
                body = "1. " + body
            elif style.startswith("list") or child.find(f"{_W}pPr/{_W}numPr") is not None:
                body = "- " + body
            items.append((0, body))
            captions[len(items) - 1] = text if style == "caption" or _CAPTION.match(text) else None
        elif child.tag == f"{_W}tbl":
            lines = _table_markdown(Table(child, document))
            if not lines:
                continue
            if items and captions.get(len(items) - 1):              # the caption line right above the table
                caption = captions[len(items) - 1]
                found = _CAPTION.match(caption)
                items[-1] = (0, "表：" + (found.group(1).strip() if found else caption))
            items.append((0, "\n".join(lines)))
    return items, images


def _join_blocks(blocks: list[str]) -> str:
    """Markdown blocks joined by blank lines, list items of one list kept together."""
    out: list[str] = []
    for block in blocks:
        is_item = bool(re.match(r"^(?:- |\d+\. )", block))
        if out and is_item and re.match(r"^(?:- |\d+\. )", out[-1].rsplit("\n", 1)[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out).strip() + "\n"


def _excerpt(text: str) -> str:
    flat = re.sub(r"\s+", " ", re.sub(r"[#*|>-]+", " ", text)).strip()
    return flat[:40] + ("…" if len(flat) > 40 else "")


def _split(items: list[tuple[int, str]], file_name: str, fmt: str, images: int, markdown: bool) -> SplitReport:
    """Chapters at the highest level where a heading names one; the rest listed as not imported."""
    headings = [(level, text) for level, text in items if level]
    matching = [level for level, text in headings if chapter_of(text)]
    if not matching:
        found = "、".join(text for _, text in headings[:12]) or "none"
        how = ("Markdown `#` headings" if markdown else "paragraphs styled 标题 1 / Heading 1 (or outline level 1)")
        how_zh = "Markdown 的 # 标题" if markdown else "“标题 1”（Heading 1）样式或大纲级别 1 的段落"
        names = "、".join(title for _, title in CHAPTERS)
        raise ReportImportError(
            f"{file_name}: no heading names a chapter of the report ({names}); chapters are found by {how}. "
            f"Headings in the file: {found}",
            f"{file_name}：没有一个标题对应报告的章节（{names}）；章节按{how_zh}识别。文件中的标题：{found}")
    top = min(matching)
    sections: list[tuple[int, str | None, list[tuple[int, str]]]] = [(0, None, [])]
    for level, text in items:
        if level and level <= top:
            sections.append((level, text, []))
        else:
            sections[-1][2].append((level, text))
    chapters: list[ImportedChapter] = []
    not_imported: list[NotImported] = []
    seen: dict[str, str] = {}
    for level_of_heading, heading, content in sections:
        key = chapter_of(heading) if heading is not None and level_of_heading == top else None
        if key is not None:
            if key in seen:
                raise ReportImportError(
                    f"{file_name}: two headings name the chapter {CHAPTER_TITLES[key]}: “{seen[key]}” and “{heading}”",
                    f"{file_name}：有两个标题都对应“{CHAPTER_TITLES[key]}”：“{seen[key]}”和“{heading}”")
            seen[key] = heading
            blocks = [("#" * min(6, max(2, level - top + 1)) + " " + text) if level else text for level, text in content]
            body = "\n".join(blocks) if markdown else _join_blocks(blocks)
            body = body.strip("\n") + "\n" if body.strip() else ""
            count = _blocks_of_lines(blocks) if markdown else len(blocks)
            chapters.append(ImportedChapter(key, heading, body, count))
        elif heading is not None or any(text.strip() for _, text in content):
            texts = [text for _, text in content]
            count = _blocks_of_lines(texts) if markdown else len([t for t in texts if t.strip()])
            not_imported.append(NotImported(heading, count, _excerpt(" ".join(texts))))
    order = {key: n for n, (key, _) in enumerate(CHAPTERS)}
    chapters.sort(key=lambda c: order[c.chapter])
    return SplitReport(file_name, fmt, chapters, not_imported, images)


def _markdown_text(data: bytes, file_name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportImportError(f"{file_name}: a text file that is neither UTF-8 nor GB18030; save it as UTF-8",
                            f"{file_name}：文本既不是 UTF-8 也不是 GB18030 编码，请另存为 UTF-8")


def split_report(file_name: str | Path, data: bytes) -> SplitReport:
    """The chapters of a report file (DOCX or Markdown, told apart by content); ReportImportError names the file."""
    name = Path(str(file_name)).name
    if not data.strip():
        raise ReportImportError(f"{name}: the file is empty", f"{name}：文件是空的")
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            is_word = False
        if not is_word:
            raise ReportImportError(f"{name}: a ZIP file but not a Word document (DOCX)",
                                    f"{name}：是 ZIP 压缩文件，但不是 Word 文档（DOCX）")
        items, images = _docx_items(data, name)
        return _split(items, name, "docx", images, markdown=False)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportImportError(f"{name}: an old Word document (.doc); save it as .docx in Word or WPS and import that",
                                f"{name}：是旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入")
    if data[:5] == b"%PDF-":
        raise ReportImportError(f"{name}: a PDF cannot be split into chapters; import the DOCX or Markdown it was made from",
                                f"{name}：PDF 无法拆分章节，请导入生成它的 DOCX 或 Markdown 文件")
    if b"\x00" in data[:4096]:
        raise ReportImportError(f"{name}: neither a Word document (DOCX) nor Markdown text",
                                f"{name}：既不是 Word 文档（DOCX），也不是 Markdown 文本")
    text = _markdown_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
    return _split(_markdown_lines(text), name, "md", 0, markdown=True)


def import_report_text(warehouse: Path, year: int, report: SplitReport, user: str | None = None,
                       overwrite: bool = False) -> list[str]:
    """Store the report's chapters as the year's texts (one snapshot write); the chapters written. Raises
    SavedTextsExist, writing nothing, when the year has saved texts for any of them and overwrite is False."""
    bodies = {c.chapter: c.body_md for c in report.chapters}
    save_chapter_texts(warehouse, year, bodies, user, overwrite=overwrite)
    return list(bodies)
