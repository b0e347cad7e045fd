"""The report as a sequence of blocks (headings, paragraphs, lists, numbered tables), built from the chapter
texts, the registry's tables and findings, and the checks; the DOCX, PDF and Markdown writers draw it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import mistune

from presentation.report import checks
from presentation.report.checks import Flag
from presentation.report.findings import Finding, kpi_findings
from presentation.report.placeholders import FillContext, block_placeholder, fill_placeholders, without_guidance
from presentation.report.tables import ReportTable, report_figures, report_tables
from presentation.report.texts import SignOff, chapter_texts, report_signoff
from warehouse.complaint_clock import clock_rules
from warehouse.settings import Settings, load_settings

KIND_LABEL = {"claim": "与数据矛盾", "setting": "与设置矛盾", "placeholder": "占位符", "unfilled": "待填写",
              "signoff": "签署栏", "unverified": "无法核实", "published": "已发布数字", "no_data": "无数据", "open_year": "年度未结束"}
_markdown = mistune.create_markdown(renderer=None, plugins=["table"])


class ReportNotReady(RuntimeError):
    """A final report was asked for while checklist items are open."""

    def __init__(self, flags: list[Flag]):
        self.flags = flags
        super().__init__(f"{len(flags)} checklist item(s) open: " + "; ".join(f.id for f in flags))


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One block of the document: heading, paragraph, bullets, numbered (a list), table or checklist."""

    kind: str
    level: int = 0                                         # headings: 1 chapter, 2 section, 3 subsection
    runs: tuple[Run, ...] = ()                             # heading, paragraph
    items: tuple[tuple[Run, ...], ...] = ()                # bullets, numbered, checklist
    start: int = 1                                         # numbered: the first number
    table: ReportTable | None = None
    number: int | None = None                              # table: 表 n

    @property
    def text(self) -> str:
        """The block's runs as plain text."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Report:
    """Everything a writer needs to draw the report of one year."""

    year: int
    title: str
    signoff: SignOff
    report_date_text: str
    final: bool
    blocks: list[Block]
    flags: list[Flag] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def tables(self) -> list[Block]:
        """The table blocks in document order."""
        return [b for b in self.blocks if b.kind == "table"]


def table_caption(number: int | None, title: str) -> str:
    """表 8 产品质量绩效结果."""
    return f"表 {number} {title}".rstrip()


DRAFT_BANNER = "草稿 —— 发布前请处理文末核对清单"


def signoff_rows(s: SignOff) -> list[list[str]]:
    """The cover's sign-off table, four rows of label, name, label, date (or copy number); blanks when unknown."""
    def day(d):
        return d.isoformat() if d else ""

    return [["编制人", s.compiled_by or "", "日期", day(s.compiled_on)],
            ["审核人", s.reviewed_by or "", "日期", day(s.reviewed_on)],
            ["批准人", s.approved_by or "", "日期", day(s.approved_on)],
            ["持有者", s.holder or "", "分发号", s.copy_no or ""]]


def date_text(day: dt.date | None) -> str:
    """2022 年 01 月 08 日, as the 2021 edition writes dates; blanks when unknown."""
    return f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日" if day else "____ 年 __ 月 __ 日"


def _runs(children: list[dict], bold: bool = False) -> list[Run]:
    out: list[Run] = []
    for node in children:
        kind = node["type"]
        if kind in ("text", "codespan"):
            out.append(Run(node.get("raw", ""), bold))
        elif kind == "strong":
            out += _runs(node["children"], True)
        elif kind == "linebreak":
            out.append(Run("\n", bold))
        elif kind == "image":
            out.append(Run(node.get("attrs", {}).get("alt", ""), bold))
        elif kind == "softbreak":
            continue
        else:
            out += _runs(node.get("children", []), bold)
    return out


def _cell_text(cell: dict) -> str:
    return "".join(r.text for r in _runs(cell["children"])).strip()


def _md_table(node: dict, caption: str) -> ReportTable:
    head = next(c for c in node["children"] if c["type"] == "table_head")
    body = next((c for c in node["children"] if c["type"] == "table_body"), {"children": []})
    return ReportTable("text", caption, [_cell_text(c) for c in head["children"]],
                       [[_cell_text(c) for c in row["children"]] for row in body["children"]])


def _caption(node: dict) -> str | None:
    """'企业文化' when the paragraph is a table caption (表：企业文化), else None."""
    if node["type"] != "paragraph":
        return None
    text = "".join(r.text for r in _runs(node["children"])).strip()
    for prefix in ("表：", "表:"):
        if text.startswith(prefix):
            return text[len(prefix):].strip()
    return None


def markdown_blocks(text: str, tables: dict[str, ReportTable], findings: list[Finding]) -> list[Block]:
    """A chapter's filled Markdown as blocks; {{table:KEY}} and {{findings}} lines become tables and lists."""
    nodes = [n for n in _markdown(text) if n["type"] != "blank_line"]
    out: list[Block] = []
    skip_caption = False
    for i, node in enumerate(nodes):
        kind = node["type"]
        following = nodes[i + 1] if i + 1 < len(nodes) else None
        if kind == "heading":
            out.append(Block("heading", level=min(3, max(2, node["attrs"]["level"])), runs=tuple(_runs(node["children"]))))
        elif kind == "paragraph":
            raw = "".join(r.text for r in _runs(node["children"]))
            placed = block_placeholder(raw)
            if placed and placed[0] == "table":
                out.append(Block("table", table=tables[placed[1]]))
            elif placed:
                chosen = [f for f in findings if placed[1] in (None, f.group)]
                out.append(Block("bullets", items=tuple((Run(f.sentence),) for f in chosen)))
            elif _caption(node) is not None and following is not None and following["type"] == "table":
                skip_caption = True
            else:
                out.append(Block("paragraph", runs=tuple(_runs(node["children"]))))
        elif kind == "table":
            caption = _caption(nodes[i - 1]) if skip_caption else ""
            skip_caption = False
            out.append(Block("table", table=_md_table(node, caption or "")))
        elif kind == "list":
            items = tuple(tuple(_runs(item["children"])) for item in node["children"])
            ordered = node["attrs"].get("ordered")
            out.append(Block("numbered" if ordered else "bullets", items=items, start=node["attrs"].get("start", 1)))
        elif kind == "block_quote":
            out += markdown_blocks(_plain_markdown(node), tables, findings)
        elif kind == "block_code":
            out.append(Block("paragraph", runs=(Run(node.get("raw", "").strip()),)))
    return out


def _plain_markdown(node: dict) -> str:
    return "\n\n".join("".join(r.text for r in _runs(child.get("children", []))) for child in node.get("children", []))


def checklist_blocks(flags: list[Flag]) -> list[Block]:
    """The draft's closing checklist: every flag, open ones first."""
    intro = ("以下事项须在发布前处理：与数据或设置矛盾的表述须修改正文；无法更改的事项（如往期已发布的数字）"
             "可在看板中注明理由后确认。正式版不含本清单。")
    if not flags:
        intro = "自动核对未发现问题。正式版不含本清单。"
    items = []
    for f in sorted(flags, key=lambda f: not f.open):
        mark = "□" if f.open else "✓"
        text = f"{mark} 【{KIND_LABEL[f.kind]}】{f.message}"
        if f.excerpt and f.kind != "placeholder":
            text += f"（原文：“{f.excerpt}”）"
        if not f.open:
            text += f" 已确认：{f.acknowledged}" + (f"（{f.acknowledged_by}）" if f.acknowledged_by else "")
        items.append((Run(text),))
    return [Block("heading", level=1, runs=(Run("发布前核对清单（草稿）"),)),
            Block("paragraph", runs=(Run(intro),)),
            Block("bullets", items=tuple(items))]


def _number_tables(blocks: list[Block]) -> list[Block]:
    out, n = [], 0
    for b in blocks:
        if b.kind == "table":
            n += 1
            b = Block("table", table=b.table, number=n)
        out.append(b)
    return out


def reply_hours(settings: Settings) -> tuple[float, float]:
    """(domestic, abroad) hours for a clear reply to a complaint, as the complaint clock uses them."""
    reply = next(m for m in clock_rules().milestones if m.code == "reply")
    abroad = reply.due.get("abroad")
    abroad = getattr(settings, abroad) if isinstance(abroad, str) else abroad
    return float(reply.due["in_province"]), float(abroad)


def build_report(con, year: int, settings: Settings | None = None, today: dt.date | None = None,
                 final: bool = False) -> Report:
    """The report of the year: texts filled (their guidance left out), tables and findings from the registry,
    flags checked.

    final=True refuses (ReportNotReady) while any flag is open and leaves the checklist out; a draft always
    ends with the checklist.
    """
    settings = settings or load_settings()
    today = today or settings.plant_today()
    figures = report_figures(con, year, settings, today)
    tables = report_tables(con, figures, today)
    findings = kpi_findings(figures)
    signoff = report_signoff(con, year)
    domestic, abroad = reply_hours(settings)
    ctx = FillContext(signoff.company, year, date_text(signoff.report_date), domestic, abroad, figures)
    filled, unknown = {}, {}
    texts = chapter_texts(con, year)
    for t in texts:
        filled[t.chapter], missing = fill_placeholders(without_guidance(t.body_md), ctx)
        if missing:
            unknown[t.chapter] = missing
    flags = (checks.narrative_flags(filled, figures, domestic, abroad) + checks.placeholder_flags(unknown)
             + checks.unfilled_flags(filled)
             + checks.published_flags(checks.published_rows(con, year), figures)
             + checks.gap_flags(figures, signoff, today))
    flags = checks.with_acknowledgements(flags, checks.acknowledgements(con, year))
    open_flags = [f for f in flags if f.open]
    if final and open_flags:
        raise ReportNotReady(open_flags)
    blocks: list[Block] = []
    for t in texts:
        blocks.append(Block("heading", level=1, runs=(Run(t.title),)))
        blocks += markdown_blocks(filled[t.chapter], tables, findings)
    if not final:
        blocks += checklist_blocks(flags)
    return Report(year, f"{year} 年质量诚信报告", signoff, date_text(signoff.report_date), final,
                  _number_tables(blocks), flags, findings)
