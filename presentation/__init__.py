"""What is built from the KPI registry for people: the monthly meeting's screens and PDF pack, the annual quality
integrity report and its DOCX, PDF and Markdown writers, the words of alert messages. Imports only `warehouse`.

The names below are the package's API for the app and the CLI (`from presentation import build_report`); each
is imported from its module on first use.
"""
from __future__ import annotations

import importlib

_REPORT = ("build_report", "report_docx", "report_markdown", "report_pdf", "report_file_name", "chapter_texts",
           "report_signoff", "save_chapter_text", "save_report_signoff", "acknowledge_flag", "CHAPTERS", "FORMATS",
           "PLACEHOLDER_HELP", "SignOff", "ReportNotReady", "split_report", "import_report_text", "ReportImportError",
           "SavedTextsExist")
_MEETING = ("meeting_screens", "meeting_pack_pdf", "Figure", "Screen", "Table", "word", "SCORECARD")
API = {**dict.fromkeys(_REPORT, "presentation.report"), **dict.fromkeys(_MEETING, "presentation.meeting"),
       "NoCjkFont": "presentation.report.fonts",
       **dict.fromkeys(("alert_message", "alert_headline", "alert_what", "alert_rules_in_words"), "presentation.alerts"),
       **dict.fromkeys(("TEXTS", "t", "enum_label", "month_label", "MONTHS_EN", "spc_rule_label", "spc_rules_text",
                        "spc_signal_text"), "presentation.labels")}
__all__ = sorted(API)


def __getattr__(name: str):
    if name in API:
        return getattr(importlib.import_module(API[name]), name)
    raise AttributeError(f"module 'presentation' has no attribute {name!r}")
