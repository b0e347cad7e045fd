"""The report's editable parts: chapter texts (Markdown, per year) and the sign-off block.

A year without a saved text gets the newest earlier year's text as its starting point, else the seed in
templates/ (the GB/T 31870 chapter's sections, guidance for the writer and 【请填写：…】 prompts). Saving goes
through write_snapshot.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

from warehouse import sql
from warehouse.snapshot import write_snapshot

COMPANY = "金华市托普光学仪器有限公司"

# (key, title): the report's chapters (GB/T 31870), in order.
CHAPTERS: list[tuple[str, str]] = [
    ("preface", "前言"),
    ("company", "一、公司简介"),
    ("philosophy", "二、企业质量理念"),
    ("integrity_management", "三、企业质量诚信管理"),
    ("responsibilities", "四、质量诚信管理职责"),
    ("foundation", "五、质量管理基础"),
    ("product_quality", "六、产品质量管理实现"),
    ("inspection_analysis", "七、检查与分析"),
    ("improvement", "八、持续改进"),
    ("closing", "报告结语"),
]
CHAPTER_TITLES = dict(CHAPTERS)


@dataclass(frozen=True)
class ChapterText:
    """One chapter's Markdown for a year, and where it came from."""

    year: int
    chapter: str
    title: str
    body_md: str
    source: str                 # "saved" (this year's), "previous" (source_year's text), "seed" (templates/)
    source_year: int | None
    updated_at: dt.datetime | None
    updated_by: str | None


@dataclass(frozen=True)
class SignOff:
    """The cover's sign-off block: who compiled, reviewed and approved the report, and when."""

    year: int
    company: str = COMPANY
    report_date: dt.date | None = None
    compiled_by: str | None = None
    compiled_on: dt.date | None = None
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    holder: str | None = None
    copy_no: str | None = None
    source: str = "seed"        # "saved", "previous" (names of an earlier year, dates cleared), "seed"


def seed_text(chapter: str) -> str:
    """The seed Markdown of a chapter (templates/<chapter>.md)."""
    if chapter not in CHAPTER_TITLES:
        raise KeyError(f"unknown chapter {chapter!r}; chapters: {', '.join(CHAPTER_TITLES)}")
    return (resources.files("presentation.report") / "templates" / f"{chapter}.md").read_text(encoding="utf-8")


def has_table(con, name: str) -> bool:
    """Whether the warehouse has the table (report tables arrive with migration 003)."""
    return bool(sql.rows(con, "read/table_columns", name=name))


def chapter_texts(con, year: int) -> list[ChapterText]:
    """Every chapter's text for the year: saved, else the newest earlier year's, else the seed."""
    saved, previous = {}, {}
    if has_table(con, "report_text"):
        saved = {r[0]: r for r in sql.rows(con, "read/report_text_for_year", year=year)}
        previous = {r[0]: r for r in sql.rows(con, "read/report_text_previous", year=year)}
    out = []
    for key, title in CHAPTERS:
        if key in saved:
            _, body, at, by = saved[key]
            out.append(ChapterText(year, key, title, body, "saved", year, at, by))
        elif key in previous:
            _, from_year, body, at, by = previous[key]
            out.append(ChapterText(year, key, title, body, "previous", from_year, at, by))
        else:
            out.append(ChapterText(year, key, title, seed_text(key), "seed", None, None, None))
    return out


def save_chapter_text(warehouse: Path, year: int, chapter: str, body_md: str, user: str | None = None) -> None:
    """Save one chapter's Markdown for the year (a snapshot write)."""
    if chapter not in CHAPTER_TITLES:
        raise KeyError(f"unknown chapter {chapter!r}; chapters: {', '.join(CHAPTER_TITLES)}")
    with write_snapshot(Path(warehouse)) as con:
        sql.run(con, "write/report_text_upsert", year=int(year), chapter=chapter, body_md=body_md, updated_by=user)


class SavedTextsExist(ValueError):
    """Texts saved for the year would be replaced; nothing was written."""

    def __init__(self, year: int, chapters: list[str]):
        self.year, self.chapters = year, chapters
        titles = "、".join(CHAPTER_TITLES[c] for c in chapters)
        super().__init__(f"{year} already has saved texts for {titles}; nothing was imported")
        self.reason_zh = f"{year} 年已保存了以下章节的正文：{titles}；未导入任何内容"


def save_chapter_texts(warehouse: Path, year: int, bodies: dict[str, str], user: str | None = None,
                       overwrite: bool = False) -> None:
    """Save several chapters of the year in one snapshot write; without overwrite, refuse (SavedTextsExist,
    nothing written) when the year has saved texts for any of them."""
    unknown = [c for c in bodies if c not in CHAPTER_TITLES]
    if unknown:
        raise KeyError(f"unknown chapter {unknown[0]!r}; chapters: {', '.join(CHAPTER_TITLES)}")
    with write_snapshot(Path(warehouse)) as con:
        if not overwrite:
            saved = {r[0] for r in sql.rows(con, "read/report_text_for_year", year=year)}
            clash = [c for c, _ in CHAPTERS if c in bodies and c in saved]
            if clash:
                raise SavedTextsExist(int(year), clash)
        for chapter, body_md in bodies.items():
            sql.run(con, "write/report_text_upsert", year=int(year), chapter=chapter, body_md=body_md, updated_by=user)


def report_signoff(con, year: int) -> SignOff:
    """The year's sign-off: saved, else an earlier year's names with the dates cleared, else blank."""
    if not has_table(con, "report_signoff"):
        return SignOff(year)
    row = sql.run(con, "read/report_signoff_latest", year=year).fetchone()
    if row is None:
        return SignOff(year)
    names = [f.name for f in fields(SignOff) if f.name != "source"]
    found = SignOff(**dict(zip(names, row)), source="saved")
    if found.year == year:
        return found
    return replace(found, year=year, report_date=None, compiled_on=None, reviewed_on=None, approved_on=None,
                   copy_no=None, source="previous")


def save_report_signoff(warehouse: Path, signoff: SignOff, user: str | None = None) -> None:
    """Save the sign-off block of signoff.year's report (a snapshot write)."""
    values = {f.name: getattr(signoff, f.name) for f in fields(SignOff) if f.name != "source"}
    if not (values["company"] or "").strip():
        raise ValueError("the sign-off needs the company name")
    with write_snapshot(Path(warehouse)) as con:
        sql.run(con, "write/report_signoff_upsert", **values, updated_by=user)
