"""Checks before publishing: claims in the narrative the data contradicts, printed figures their counts
contradict, gaps. Each problem is a Flag; the draft lists them in a checklist at its end, the page shows them.

A flag about something editing cannot change (a figure an earlier edition printed, a year without data)
can be acknowledged with a note (kept in report_flag_ack); the others are fixed by editing the text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from presentation.report.placeholders import prompts
from presentation.report.tables import (KPI_TABLES, NO_DATA, TARGET_GROUPS, ReportFigures, report_number,
                                        unit_shown)
from presentation.report.texts import CHAPTER_TITLES, SignOff, has_table
from warehouse import sql
from warehouse.kpis import REGISTRY, format_value
from warehouse.numbers import number_text
from warehouse.snapshot import write_snapshot

# kind -> can it be acknowledged instead of fixed?
FLAG_KINDS = {
    "claim": False,        # the narrative says something the data contradicts
    "setting": False,      # the narrative contradicts a setting (complaint reply times)
    "placeholder": False,  # a placeholder the report does not know
    "unfilled": False,     # a template prompt (【请填写：…】) not yet replaced by the company's own text
    "signoff": False,      # the sign-off block is incomplete
    "unverified": True,    # the narrative says something the data cannot confirm
    "published": True,     # a printed figure differs from what its counts give
    "no_data": True,       # a table figure of the report year has no data
    "open_year": True,     # the year is not over yet
}
PASS_RATES = ["incoming_inspection_pass_rate", "process_inspection_pass_rate", "final_inspection_pass_rate"]
ALIASES = {"产品出厂合格率": "final_inspection_pass_rate", "出厂合格率": "final_inspection_pass_rate",
           "投诉处理率": "complaint_handling_rate", "三包实施率": "warranty_fulfilment_rate"}
STOP = "。；;！!？?\n"
VERB = r"(?:均达到|均达|达到|达|均为|都为|都是|为|是|保持在|保持)"
NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>%|％|分|件|个|起|台|元)?"  # 4,338,892 元 too


@dataclass(frozen=True)
class Flag:
    """One checklist item: what is wrong, where, and whether (and why) someone acknowledged it."""

    id: str
    kind: str
    message: str                     # zh
    message_en: str
    chapter: str | None = None       # a key of CHAPTERS, when the problem is in a chapter text
    excerpt: str = ""                # the sentence in question
    acknowledgeable: bool = False
    acknowledged: str | None = None  # the note, once acknowledged
    acknowledged_by: str | None = None

    @property
    def open(self) -> bool:
        """Not resolved: blocks a final report."""
        return self.acknowledged is None


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _flag(kind: str, key: str, message: str, message_en: str, chapter: str | None = None, excerpt: str = "") -> Flag:
    return Flag(f"{kind}:{key}", kind, message, message_en, chapter, excerpt, FLAG_KINDS[kind])


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in STOP) + 1
    rights = [i for i in (text.find(c, end) for c in STOP) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip(" *#-\t")


def _tolerance(printed: str) -> float:
    """Half a unit of the last printed digit: 55 stands for [54.5, 55.5], 91.5 for [91.45, 91.55]."""
    decimals = len(printed.split(".", 1)[1]) if "." in printed else 0
    return 0.5 * 10 ** -decimals + 1e-9


def _shown(code: str, year: int, figures: ReportFigures) -> str:
    """A registry value with its counts: 55.6%（5/9）."""
    v = figures.value(code, year)
    text = format_value(v.value, v.unit)
    if v.numerator is not None and v.denominator is not None and v.unit in ("%", "ppm"):
        text += f"（{number_text(v.numerator)}/{number_text(v.denominator)}）"
    return text


def _labels() -> list[tuple[str, str]]:
    """(words, KPI code) the narrative may name a KPI by, longest first."""
    pairs = [(k.label_zh, k.code) for k in REGISTRY.values()] + list(ALIASES.items())
    return sorted(pairs, key=lambda p: -len(p[0]))


def kpi_claims(chapter: str, text: str, figures: ReportFigures) -> tuple[list[Flag], list[tuple[int, int]]]:
    """Flags for '<KPI> (YYYY 年)为 N%' claims that differ from the registry, and the spans they cover."""
    flags, spans = [], []
    for words, code in _labels():
        pattern = re.escape(words) + rf"(?P<gap>[^{STOP}，,、]{{0,14}}?){VERB}\s*{NUMBER}"
        for m in re.finditer(pattern, text):
            if any(s <= m.start() < e for s, e in spans):
                continue
            gap = m.group("gap")
            if re.search(r"目标|≥|≤|>|<|不低于|不高于|以上|以下", gap + text[m.end():m.end() + 4]):
                continue
            spans.append((m.start(), m.end()))
            year_m = re.search(r"(\d{4})\s*年", gap)
            year = int(year_m.group(1)) if year_m else figures.year
            if year not in figures.values:
                continue
            v = figures.value(code, year)
            sentence = _sentence(text, m.start(), m.end())
            claimed = float(m.group("num").replace(",", ""))
            if v.value is None:
                flags.append(_flag("unverified", f"{code}:{chapter}:{_digest(sentence)}",
                                   f"正文称{words} {year} 年为 {m.group('num')}，但该年没有数据，无法核实。",
                                   f"The text says {code} was {m.group('num')} in {year}; there is no data to check it.",
                                   chapter, sentence))
            elif abs(v.value - claimed) > _tolerance(m.group("num")):
                flags.append(_flag("claim", f"{code}:{chapter}:{_digest(sentence)}",
                                   f"正文称{words} {year} 年为 {m.group('num')}{m.group('unit') or ''}，"
                                   f"数据为 {_shown(code, year, figures)}。",
                                   f"The text says {code} was {m.group('num')} in {year}; the data says "
                                   f"{_shown(code, year, figures)}.", chapter, sentence))
    return flags, spans


def pass_rate_claims(chapter: str, text: str, figures: ReportFigures, taken: list[tuple[int, int]]) -> list[Flag]:
    """Flags for '合格率均达 100%' when a pass rate of the years shown is below 100 %."""
    flags = []
    pattern = rf"合格率[^{STOP}，,]{{0,8}}?{VERB}\s*100(?:\.0+)?\s*[%％]"
    for m in re.finditer(pattern, text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        sentence = _sentence(text, m.start(), m.end())
        below = [(y, c) for y in figures.years for c in PASS_RATES
                 if figures.value(c, y).value is not None and figures.value(c, y).value < 100 - 1e-9]
        known = [(y, c) for y in figures.years for c in PASS_RATES if figures.value(c, y).value is not None]
        key = f"pass_rate_100:{chapter}:{_digest(sentence)}"
        if below:
            listed = "；".join(f"{y} 年{REGISTRY[c].label_zh} {_shown(c, y, figures)}" for y, c in below)
            flags.append(_flag("claim", key, f"正文称合格率达 100%，但数据为：{listed}。若指外部监督抽检，请写明并注明来源。",
                               "The text claims a 100 % pass rate; the data shows lower pass rates: "
                               + "; ".join(f"{c} {y}: {format_value(figures.value(c, y).value, '%', 'en')}"
                                           for y, c in below),
                               chapter, sentence))
        elif not known:
            flags.append(_flag("unverified", key, "正文称合格率达 100%，但没有检验数据可以核实。",
                               "The text claims a 100 % pass rate; there is no inspection data to check it.",
                               chapter, sentence))
    return flags


def complaint_claims(chapter: str, text: str, figures: ReportFigures) -> list[Flag]:
    """Flags for '从未出现过重大质量投诉': the complaint log has complaints and no severity to tell them apart."""
    flags = []
    for m in re.finditer(r"(?:从未|未曾|从来没有|没有|未)(?:出现|发生|收到)?过?(?:任何)?重大(?:质量)?投诉", text):
        counts = {y: figures.value("complaints_received", y).value for y in figures.years}
        total = sum(c for c in counts.values() if c)
        sentence = _sentence(text, m.start(), m.end())
        if total == 0 and all(c is not None for c in counts.values()):
            continue
        listed = "，".join(f"{y} 年 {number_text(c)} 件" if c is not None else f"{y} 年无数据" for y, c in counts.items())
        flags.append(_flag("unverified", f"major_complaints:{chapter}:{_digest(sentence)}",
                           f"正文称从未出现过重大质量投诉；客诉台账：{listed}。台账不区分投诉轻重，无法证实，请核实或改写。",
                           f"The text says there was never a major quality complaint; the complaint log has {number_text(total)} "
                           "complaints in the years shown and no severity to confirm it.", chapter, sentence))
    return flags


def reply_time_claims(chapter: str, text: str, domestic: float, abroad: float) -> list[Flag]:
    """Flags for complaint reply times in the text that differ from the complaint clock's settings."""
    flags = []
    for scope, setting, pattern in [
        ("abroad", abroad, r"(?:国外|境外|海外|国际)(?:客户|顾客)"),
        ("domestic", domestic, r"(?:国内|省内)(?:客户|顾客)"),
    ]:
        for m in re.finditer(pattern + rf"[^{STOP}，,、]{{0,20}}?(\d+(?:\.\d+)?)\s*个?小时", text):
            if abs(float(m.group(1)) - setting) < 1e-9:
                continue
            sentence = _sentence(text, m.start(), m.end())
            where = "国外" if scope == "abroad" else "国内"
            flags.append(_flag("setting", f"reply_hours_{scope}:{chapter}:{_digest(sentence)}",
                               f"正文写{where}客诉 {m.group(1)} 小时答复，客诉时钟按 {setting:g} 小时计算。"
                               f"请统一（可用 {{{{reply_hours_{scope if scope == 'abroad' else 'domestic'}}}}}）。",
                               f"The text gives {m.group(1)} h for {scope} complaint replies; the complaint clock "
                               f"uses {setting:g} h.", chapter, sentence))
    return flags


def narrative_flags(filled: dict[str, str], figures: ReportFigures, domestic: float, abroad: float) -> list[Flag]:
    """Flags for the claims in the chapter texts (filled placeholders, Markdown emphasis removed)."""
    flags = []
    for chapter, text in filled.items():
        plain = text.replace("**", "").replace("__", "")
        found, spans = kpi_claims(chapter, plain, figures)
        flags += found
        flags += pass_rate_claims(chapter, plain, figures, spans)
        flags += complaint_claims(chapter, plain, figures)
        flags += reply_time_claims(chapter, plain, domestic, abroad)
    return flags


def placeholder_flags(unknown: dict[str, list[str]]) -> list[Flag]:
    """Flags for placeholders the report does not know, per chapter."""
    return [_flag("placeholder", f"{chapter}:{name}", f"“{CHAPTER_TITLES[chapter]}”中的占位符 {name} 无法识别。",
                  f"Unknown placeholder {name} in chapter {chapter}.", chapter, name)
            for chapter, names in unknown.items() for name in dict.fromkeys(names)]


def unfilled_flags(filled: dict[str, str]) -> list[Flag]:
    """One flag per chapter whose text still holds template prompts (【请填写：…】)."""
    flags = []
    for chapter, text in filled.items():
        left = prompts(text)
        if left:
            flags.append(_flag("unfilled", chapter,
                               f"“{CHAPTER_TITLES[chapter]}”还有 {len(left)} 处【请填写：…】，请换成本公司的内容。",
                               f"Chapter {chapter} still has {len(left)} template prompt(s) 【请填写：…】 to replace with "
                               "the company's own text.", chapter, left[0]))
    return flags


def published_rows(con, year: int) -> list[tuple]:
    """Figures printed by editions up to year for the three years shown: edition, year, kpi, printed, source."""
    if not has_table(con, "report_published"):
        return []
    return sql.rows(con, "read/report_published_for_years", edition=year, first_year=year - 2)


def published_flags(rows: list[tuple], figures: ReportFigures) -> list[Flag]:
    """Flags for printed figures that the registry (from the counts) contradicts."""
    flags = []
    for edition, year, code, printed, source in rows:
        if code not in REGISTRY or year not in figures.values:
            continue
        v = figures.value(code, year)
        try:
            value = float(printed.replace(",", ""))
        except ValueError:
            continue
        if v.value is not None and abs(v.value - value) <= _tolerance(printed):
            continue
        label, unit = REGISTRY[code].label_zh, unit_shown(code)
        where = f"{edition} 年版报告" + (f"（{source}）" if source else "")
        computed = _shown(code, year, figures) if v.value is not None else "无数据"
        tail = "本报告表中列示按数据计算的值；已发布的数字有误时，请在正文中说明更正。"
        flags.append(_flag("published", f"{edition}:{year}:{code}",
                           f"{where}印：{label} {year} 年为 {printed}{unit}，按数据计算为 {computed}。{tail}",
                           f"The {edition} edition printed {code} = {printed} for {year}; the data gives "
                           f"{v.value if v.value is None else round(v.value, 3)}."))
    return flags


def table_codes() -> list[str]:
    """The KPI codes the generated tables show."""
    codes = [c for _, cs in TARGET_GROUPS for c in cs] + [c for _, cs, _ in KPI_TABLES.values() for c in cs]
    return list(dict.fromkeys(codes))


def gap_flags(figures: ReportFigures, signoff: SignOff, today: dt.date) -> list[Flag]:
    """Flags for table figures of the report year without data, an unfinished year, an incomplete sign-off."""
    flags = []
    if today <= dt.date(figures.year, 12, 31):
        flags.append(_flag("open_year", str(figures.year), f"{figures.year} 年尚未结束（今天是 {today.isoformat()}），数据不完整。",
                           f"{figures.year} is not over yet (today is {today.isoformat()}); the data is incomplete."))
    for code in table_codes():
        if figures.value(code).value is None:
            flags.append(_flag("no_data", code, f"{REGISTRY[code].label_zh} {figures.year} 年无数据，表中显示为“—”。",
                               f"{code} has no data for {figures.year}; the tables show —."))
    needed = {"report_date": "报告日期", "compiled_by": "编制人", "compiled_on": "编制日期", "reviewed_by": "审核人",
              "reviewed_on": "审核日期", "approved_by": "批准人", "approved_on": "批准日期"}
    missing = [zh for name, zh in needed.items() if not getattr(signoff, name)]
    if missing:
        flags.append(_flag("signoff", str(figures.year), f"签署栏未填写：{'、'.join(missing)}。",
                           "The sign-off block is incomplete: " + ", ".join(n for n in needed
                                                                            if not getattr(signoff, n)) + "."))
    return flags


def acknowledgements(con, year: int) -> dict[str, tuple[str, str | None]]:
    """Acknowledged checklist items of the year: flag id -> (note, who)."""
    if not has_table(con, "report_flag_ack"):
        return {}
    return {f: (note, by) for f, note, _, by in sql.rows(con, "read/report_flag_ack_for_year", year=year)}


def with_acknowledgements(flags: list[Flag], acks: dict[str, tuple[str, str | None]]) -> list[Flag]:
    """The flags with the notes of those acknowledged (only acknowledgeable kinds)."""
    return [replace(f, acknowledged=acks[f.id][0], acknowledged_by=acks[f.id][1])
            if f.acknowledgeable and f.id in acks else f for f in flags]


def acknowledge_flag(warehouse: Path, year: int, flag_id: str, note: str, user: str | None = None) -> None:
    """Record that someone checked a flag of the year's report and why it may stand (a snapshot write)."""
    kind = flag_id.split(":", 1)[0]
    if not FLAG_KINDS.get(kind):
        raise ValueError(f"a {kind!r} flag cannot be acknowledged: fix the text or the data instead")
    if not note.strip():
        raise ValueError("say why the flag may stand")
    with write_snapshot(Path(warehouse)) as con:
        sql.run(con, "write/report_flag_ack_upsert", year=int(year), flag=flag_id, note=note.strip(), acked_by=user)


def save_published_value(warehouse: Path, edition: int, year: int, kpi: str, printed: str,
                         source: str | None = None, user: str | None = None) -> None:
    """Record a figure as an edition printed it (a snapshot write)."""
    if kpi not in REGISTRY:
        raise KeyError(f"unknown KPI code {kpi!r}")
    float(printed)
    with write_snapshot(Path(warehouse)) as con:
        sql.run(con, "write/report_published_upsert", edition=int(edition), year=int(year), kpi=kpi,
                printed=str(printed).strip(), source=source, recorded_by=user)


def printed_figures(figures: ReportFigures) -> list[tuple[int, str, str]]:
    """(year, kpi, printed) of every figure the generated KPI tables print (no-data cells left out)."""
    out = []
    for code in table_codes():
        for y in figures.years:
            text = report_number(figures.value(code, y).value, REGISTRY[code].unit)
            if text != NO_DATA:
                out.append((y, code, text.replace(",", "")))     # recorded as a number: 1548, not 1,548
    return out
