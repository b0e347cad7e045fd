"""The report as Markdown, for review."""
from __future__ import annotations

from presentation.report.document import Block, Report, Run, signoff_rows, table_caption
from presentation.report.tables import ReportTable


def _inline(runs: tuple[Run, ...]) -> str:
    return "".join(f"**{r.text}**" if r.bold and r.text.strip() else r.text for r in runs).replace("\n", "  \n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: ReportTable, number: int | None) -> str:
    """A numbered caption, a pipe table and its note."""
    lines = [f"**{table_caption(number, table.title)}**", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("|" + "---|" * len(table.header))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", f"注：{table.note}"]
    return "\n".join(lines)


def block_markdown(block: Block) -> str:
    """One block as Markdown."""
    if block.kind == "heading":
        return "#" * block.level + " " + block.text
    if block.kind == "paragraph":
        return _inline(block.runs)
    if block.kind == "bullets":
        return "\n".join("- " + _inline(item) for item in block.items)
    if block.kind == "numbered":
        return "\n".join(f"{block.start + i}) " + _inline(item) for i, item in enumerate(block.items))
    if block.kind == "table":
        return table_markdown(block.table, block.number)
    raise ValueError(f"unknown block kind {block.kind}")


def report_markdown_text(report: Report) -> str:
    """The whole report as Markdown: cover, sign-off, contents, chapters (and the checklist of a draft)."""
    s = report.signoff
    rows = ["| " + " | ".join(row) + " |" for row in signoff_rows(s)]
    parts = [f"# {s.company}", f"## {report.title}" + ("" if report.final else "（草稿）"), "",
             rows[0], "|---|---|---|---|", *rows[1:],
             "", f"报告日期：{report.report_date_text}", "", "## 目录", ""]
    parts += [f"- {b.text}" for b in report.blocks if b.kind == "heading" and b.level == 1]
    parts.append("")
    for block in report.blocks:
        parts += [block_markdown(block), ""]
    return "\n".join(parts).rstrip() + "\n"
