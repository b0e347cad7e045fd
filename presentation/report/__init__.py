"""The annual quality integrity report (质量诚信报告, GB/T 31870 style) generated from the warehouse.

For the app's 报告 page:
    build_report(con, year, settings=None, today=None, final=False) -> Report   (.flags, .findings, .blocks)
    report_docx(report) / report_pdf(report) / report_markdown(report) -> bytes
    report_bytes(warehouse, year, fmt, final=False) -> bytes                   (opens the warehouse itself)
    chapter_texts(con, year) -> [ChapterText]; save_chapter_text(warehouse, year, chapter, body_md, user)
    split_report(file_name, data) -> SplitReport (a DOCX or Markdown report's chapters, what is not imported)
    import_report_text(warehouse, year, split, user, overwrite=False) -> [chapter]  (SavedTextsExist without overwrite)
    report_signoff(con, year) -> SignOff;      save_report_signoff(warehouse, signoff, user)
    acknowledge_flag(warehouse, year, flag_id, note, user)
    save_published_value(warehouse, edition, year, kpi, printed, source, user)
    record_report_as_published(warehouse, year, user) -> int
A draft ends with the checklist of flags; final=True raises ReportNotReady while any flag is open and
leaves the checklist out (flags that editing cannot resolve can be acknowledged with a note).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from presentation.report.checks import FLAG_KINDS, Flag, acknowledge_flag, printed_figures, save_published_value
from presentation.report.document import Block, Report, ReportNotReady, build_report
from presentation.report.findings import FINDING_GROUPS, Finding
from presentation.report.imports import (ImportedChapter, NotImported, ReportImportError, SplitReport, import_report_text,
                                         split_report)
from presentation.report.placeholders import PLACEHOLDER_HELP
from presentation.report.tables import TABLE_KEYS, ReportTable, report_figures
from presentation.report.texts import (CHAPTERS, ChapterText, SavedTextsExist, SignOff, chapter_texts, report_signoff,
                                       save_chapter_text, save_chapter_texts, save_report_signoff, seed_text)
from warehouse import sql
from warehouse.db import read_connection
from warehouse.settings import Settings, load_settings
from warehouse.snapshot import write_snapshot

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}

__all__ = [
    "CHAPTERS", "FINDING_GROUPS", "FLAG_KINDS", "FORMATS", "PLACEHOLDER_HELP", "TABLE_KEYS",
    "Block", "ChapterText", "Finding", "Flag", "ImportedChapter", "NotImported", "Report", "ReportImportError",
    "ReportNotReady", "ReportTable", "SavedTextsExist", "SignOff", "SplitReport",
    "acknowledge_flag", "build_report", "chapter_texts", "import_report_text", "record_report_as_published",
    "report_bytes", "report_docx", "report_file_name", "report_markdown", "report_pdf", "report_signoff",
    "save_chapter_text", "save_chapter_texts", "save_published_value", "save_report_signoff", "seed_text",
    "split_report",
]


def report_docx(report: Report) -> bytes:
    """The report as a Word document."""
    from presentation.report.write_docx import report_docx_bytes

    return report_docx_bytes(report)


def report_pdf(report: Report, font_path: str | Path | None = None) -> bytes:
    """The report as PDF with an embedded Simplified Chinese font."""
    from presentation.report.write_pdf import report_pdf_bytes

    return report_pdf_bytes(report, font_path)


def report_markdown(report: Report) -> bytes:
    """The report as UTF-8 Markdown, for review."""
    from presentation.report.write_md import report_markdown_text

    return report_markdown_text(report).encode("utf-8")


def report_file_name(year: int, fmt: str, final: bool = False) -> str:
    """质量诚信报告_2021_草稿.docx"""
    return f"质量诚信报告_{year}{'' if final else '_草稿'}.{fmt}"


def report_bytes(warehouse: Path, year: int, fmt: str = "docx", final: bool = False, settings: Settings | None = None,
                 today: dt.date | None = None, font_path: str | Path | None = None) -> bytes:
    """The year's report in fmt (docx, pdf, md) from the warehouse file (raises ReportNotReady for final with open flags)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with read_connection(Path(warehouse)) as con:
        report = build_report(con, year, settings, today, final)
    if fmt == "pdf":
        return report_pdf(report, font_path)
    return report_docx(report) if fmt == "docx" else report_markdown(report)


def record_report_as_published(warehouse: Path, year: int, user: str | None = None, settings: Settings | None = None,
                               today: dt.date | None = None) -> int:
    """Record every figure the year's tables print as that edition's published values (a snapshot write); the count."""
    settings = settings or load_settings()
    with write_snapshot(Path(warehouse)) as con:
        figures = report_figures(con, year, settings, today or settings.plant_today())
        rows = printed_figures(figures)
        for data_year, kpi, printed in rows:
            sql.run(con, "write/report_published_upsert", edition=int(year), year=data_year, kpi=kpi, printed=printed,
                    source=None, recorded_by=user)
    return len(rows)
