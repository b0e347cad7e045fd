"""Placeholders in the chapter texts: {{company}}, {{year}}, {{kpi:CODE}} … filled in; {{table:KEY}} and
{{findings}} stand alone on a line and become a table or the findings list. The templates' markup is here too:
guidance for the writer (a quote starting `> 编写提示`, never printed) and prompts for the company's own words
(【请填写：…】, flagged until they are replaced)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from presentation.report.findings import FINDING_GROUPS
from presentation.report.tables import TABLE_KEYS, ReportFigures, report_target
from warehouse.kpis import REGISTRY, format_value
from warehouse.numbers import number_text

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
GUIDANCE = re.compile(r"^\s{0,3}>\s*编写提示")
PROMPT = re.compile(r"【请填写[：:][^】]*】")

# What the editor shows as help: placeholder -> what it becomes.
PLACEHOLDER_HELP = {
    "{{company}}": "公司名称（签署栏）",
    "{{year}}": "报告年度", "{{prev_year}}": "上一年度", "{{next_year}}": "下一年度",
    "{{report_date}}": "报告日期（签署栏）",
    "{{reply_hours_domestic}}": "国内客诉明确答复时限（小时，客诉时钟设置）",
    "{{reply_hours_abroad}}": "国外客诉明确答复时限（小时，客诉时钟设置）",
    "{{kpi:CODE}}": "该指标报告年度的数值，如 {{kpi:final_inspection_pass_rate}} → 98.0%",
    "{{kpi:CODE:YYYY}}": "该指标在表中某一年度的数值",
    "{{target:CODE}}": "该指标的目标，如 ≥98%",
    "{{table:KEY}}": "单独一行：生成的表格，KEY = " + " / ".join(TABLE_KEYS),
    "{{findings}}": "单独一行：全部指标的分析结论；{{findings:GROUP}} 只列一组，GROUP = " + " / ".join(FINDING_GROUPS),
    "> 编写提示：…": "以此开头的引用段落是写给编写人的提示，不出现在报告中",
    "【请填写：…】": "模板中待换成本公司内容的地方；留有此标记时正式版不能生成",
}


@dataclass(frozen=True)
class FillContext:
    """What inline placeholders are filled with."""

    company: str
    year: int
    report_date: str
    reply_hours_domestic: float
    reply_hours_abroad: float
    figures: ReportFigures


def without_guidance(text: str) -> str:
    """The text without its guidance: each quote whose first line starts with `> 编写提示`, to the quote's end."""
    out, in_guidance = [], False
    for line in text.split("\n"):
        if GUIDANCE.match(line):
            in_guidance = True
        elif in_guidance and not line.lstrip().startswith(">"):
            in_guidance = False
        if not in_guidance:
            out.append(line)
    return "\n".join(out)


def prompts(text: str) -> list[str]:
    """The template prompts (【请填写：…】) left in a text, in order."""
    return PROMPT.findall(text)


def block_placeholder(text: str) -> tuple[str, str | None] | None:
    """('table', key) or ('findings', group) when the paragraph is a valid block placeholder, else None."""
    m = PLACEHOLDER.fullmatch(text.strip())
    if not m:
        return None
    name, _, arg = m.group(1).partition(":")
    if name == "table" and arg in TABLE_KEYS:
        return "table", arg
    if name == "findings" and (not arg or arg in FINDING_GROUPS):
        return "findings", arg or None
    return None


def _hours(x: float) -> str:
    return f"{x:g}"


def _inline(name: str, ctx: FillContext) -> str | None:
    """The text of one inline placeholder, or None when it is unknown."""
    simple = {"company": ctx.company, "year": str(ctx.year), "prev_year": str(ctx.year - 1),
              "next_year": str(ctx.year + 1), "report_date": ctx.report_date,
              "reply_hours_domestic": _hours(ctx.reply_hours_domestic),
              "reply_hours_abroad": _hours(ctx.reply_hours_abroad)}
    if name in simple:
        return simple[name]
    kind, _, rest = name.partition(":")
    code, _, year = rest.partition(":")
    if code not in REGISTRY:
        return None
    if kind == "kpi":
        wanted = int(year) if year.isdigit() else (ctx.year if not year else None)
        if wanted not in ctx.figures.values:
            return None
        v = ctx.figures.value(code, wanted)   # a score or a count bare: the text names it (… 分, … 台)
        return format_value(v.value, v.unit) if v.unit in ("%", "ppm") else number_text(v.value, v.unit)
    if kind == "target" and not year:
        v = ctx.figures.value(code)
        return "—" if v.target is None else report_target(code, v.comparator, v.target)
    return None


def fill_placeholders(text: str, ctx: FillContext) -> tuple[str, list[str]]:
    """The text with inline placeholders filled, and the placeholders it did not know (left as written)."""
    unknown: list[str] = []
    lines = []
    for line in text.split("\n"):
        if block_placeholder(line):
            lines.append(line.strip())
            continue

        def one(m: re.Match) -> str:
            found = _inline(m.group(1), ctx)
            if found is None:
                unknown.append(m.group(0))
                return m.group(0)
            return found

        lines.append(PLACEHOLDER.sub(one, line))
    return "\n".join(lines), unknown
