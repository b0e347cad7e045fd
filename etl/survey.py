"""Customer survey files: which columns are questions, the answer scale, text answers, and the 0–100 overall score.

A survey's answers lie on one scale: declared in the site mapping (`[survey_response] scale = "1-5"`, "0-100",
"text", …) or inferred from the answers: the smallest standard scale (1–5, 1–7, 1–10, 0–10, 0–100) that holds
every answer. When the file gives an overall score as well, that score decides: the scale is the smallest one on
which the given scores agree with the answers of most responses (the rows whose answers lie off that scale are
then quarantined by validation as off the scale). Answers written as words (非常满意 … 非常不满意, 很满意 …
很不满意, very satisfied … very dissatisfied) are 5 … 1 on a 1–5 scale, or the same steps on the file's scale.

The overall score of a response, when the file gives none, is the mean over its answered questions of
(answer − low) / (high − low) × 100. A given overall score must lie in 0–100 and agree with the answers within a
tolerance (5 points unless `[survey_response] tolerance` says otherwise), either by that formula or as the share
of the highest possible score (sum of the answers / (answered questions × high) × 100), one of the two for the
whole file; otherwise the file is refused, naming the column. A 总分 column (问卷星's sum of the answers) is never
the overall score: it is checked against the answers (equal within rounding) when they are numbers, and kept out.

问卷星 (wjx.cn) exports load without a mapping: 序号 is the response id, the year comes from 提交答卷时间 when
the file has no year column, and the meta columns (所用时间, 来源, 来源详情, 来自IP …) are not questions.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from etl.clean import halfwidth, parse_datetime, parse_enum, parse_number
from etl.mapping import SiteMapping, header_map, normalize_header
from etl.read import UnreadableFile
from warehouse.sources import SURVEY

QUESTION_PREFIX = "q:"
DEFAULT_TOLERANCE = 5.0
TEXT = "text"


@dataclass(frozen=True)
class Scale:
    """An answer scale: lowest and highest answer."""

    low: float
    high: float

    @property
    def label(self) -> str:
        """The scale as people write it, e.g. 1–5."""
        return f"{_num(self.low)}–{_num(self.high)}"

    def holds(self, expr: pl.Expr) -> pl.Expr:
        """Whether values lie on the scale (null for null values)."""
        return (expr >= self.low) & (expr <= self.high)


STANDARD_SCALES = (Scale(1, 5), Scale(1, 7), Scale(1, 10), Scale(0, 10), Scale(0, 100))  # smallest first
TEXT_SCALE = Scale(1, 5)

# Answers written as words, as points on a 1–5 scale (compared without spaces, case or full-width forms).
TEXT_ANSWERS = {
    5: ["非常满意", "很满意", "十分满意", "特别满意", "very satisfied", "extremely satisfied"],
    4: ["满意", "比较满意", "较满意", "satisfied", "somewhat satisfied", "fairly satisfied"],
    3: ["一般", "neutral", "neither satisfied nor dissatisfied"],
    2: ["不满意", "不太满意", "较不满意", "比较不满意", "dissatisfied", "somewhat dissatisfied"],
    1: ["非常不满意", "很不满意", "十分不满意", "特别不满意", "very dissatisfied", "extremely dissatisfied"],
}
# Cells that mean "not answered": 问卷星 writes (跳过) for a question skipped by its logic and (空) for one left
# empty; its numeric exports write -3 and -2 for the same.
UNANSWERED = ("(跳过)", "(空)", "跳过", "（跳过）", "（空）")
WJX_UNANSWERED_NUMBERS = (-3.0, -2.0)


def _headers(*names: str) -> frozenset[str]:
    """Headers as normalize_header leaves them, for comparing with a file's."""
    return frozenset(normalize_header(n) for n in names)


# Columns of survey tools that are not questions.
SUBMIT_TIME = _headers("提交答卷时间", "提交时间", "答卷时间", "填写时间", "submit time", "submitted at", "submission time")
WJX_META = _headers("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
META = SUBMIT_TIME | WJX_META | _headers(
    "开始时间", "结束时间", "开始答题时间", "结束答题时间", "答题时长", "填写时长", "作答时长", "答题用时", "用时", "IP",
    "IP地址", "IP所在地", "用户ID", "用户名", "昵称", "微信昵称", "填写设备", "操作系统", "浏览器", "start time", "end time",
    "duration", "IP address")
SUM_HEADERS = _headers("总分", "总得分", "得分合计", "分数合计", "合计得分", "total score", "sum of scores")

_SCALE_TEXT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|—|~|～|至|到)\s*(-?\d+(?:\.\d+)?)\s*(?:分)?\s*$")
_NUMBERED = re.compile(r"^\s*(?:第?\d+(?:[、.．:：)）]|题|\s*[(（])|q\d+|问题\s*\d+)", re.IGNORECASE)


class SurveyRefused(UnreadableFile):
    """A survey file that cannot be loaded as it stands; str() is English, .reason_zh is Chinese."""

    def __init__(self, path, en: str, zh: str):
        ValueError.__init__(self, en)
        self.path = path
        self.reason_zh = zh


def _num(x: float) -> str:
    """A number as people write it: 5, 87.5, 13800000000."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def parse_scale(text) -> str | Scale:
    """A declared scale: "text", or "low-high" (e.g. "1-5", "0–100"); ValueError for anything else."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if value in (TEXT, "文本", "文字"):
        return TEXT
    match = _SCALE_TEXT.match(value)
    if not match or float(match[1]) >= float(match[2]):
        raise ValueError(f"scale {text!r} is neither \"text\" nor a range such as \"1-5\" or \"0-100\"")
    return Scale(float(match[1]), float(match[2]))


def _norm(header: str) -> str:
    return normalize_header(header)


def recognised(headers: list[str], mapping: SiteMapping) -> dict[str, str] | None:
    """The header map of a survey export the built-in kinds do not recognise (no year or no overall score column),
    or None: it needs a response id, a year or a submit time, and 问卷星's meta columns or an overall score or
    numbered questions."""
    mapped = header_map(SURVEY, headers, mapping)
    columns = set(mapped.values())
    others = [h for h in headers if h not in mapped]
    has_year = "survey_year" in columns or any(_norm(h) in SUBMIT_TIME for h in others)
    looks_like_survey = ("overall_score" in columns or sum(_norm(h) in WJX_META for h in others) >= 2
                         or any(_NUMBERED.match(unicodedata.normalize("NFKC", str(h))) for h in others))
    if "response_id" in columns and has_year and looks_like_survey:
        return mapped
    return None


@dataclass
class SurveyColumns:
    """What survey_columns worked out for one file."""

    frame: pl.DataFrame                 # the typed frame with answers, scale, year and overall score filled in
    header_map: dict[str, str]          # raw header -> canonical column, the submit time included when it gave the year
    ignored: list[str]                  # headers that are neither canonical columns nor questions
    scale: Scale | None                 # the answers' scale (None: no answers and none declared)


_POINTS = "points:"  # parse_enum also reads its canonical values: these are no answer anyone writes


def _text_values(mapping: SiteMapping) -> dict:
    """{"points:<n>": [spellings]} for parse_enum: the built-in words plus the site's (which win)."""
    extra = {unicodedata.normalize("NFKC", k).replace(" ", "").lower(): v for k, v in mapping.survey_answers.items()}
    values: dict[str, list[str]] = {}
    for points, words in TEXT_ANSWERS.items():
        values[_POINTS + _num(points)] = [w for w in words if w.replace(" ", "").lower() not in extra]
    for word, points in mapping.survey_answers.items():
        values.setdefault(_POINTS + _num(float(points)), []).append(word)
    return values


def _cells(header: str) -> pl.Expr:
    """A question column's text: full-width forms made ASCII, blanks and 问卷星's (跳过)/(空) as null."""
    text = halfwidth(pl.col(header))
    return pl.when(text.is_in(list(UNANSWERED))).then(None).otherwise(text)


def _numbers(expr: pl.Expr) -> pl.Expr:
    """Numbers of answer cells, "5分" read as 5."""
    return parse_number(expr.str.strip_suffix("分"))


@dataclass
class _Question:
    header: str
    text: bool                 # answered in words (points 1..5), else in numbers
    values: pl.Series          # Float64: numbers, or the points of the words


def _classify(path, raw: pl.DataFrame, candidates: list[str], mapping: SiteMapping,
              wjx: bool) -> list[_Question]:
    """The candidate columns that are questions (the others are free text or empty).

    A column is a question when every filled cell is a number, or every filled cell is a satisfaction word. A column
    mostly of numbers or mostly of such words with other cells among them is refused: its odd cells fit no scale.
    """
    if not candidates:
        return []
    words = _text_values(mapping)
    cells = raw.select(_cells(h).alias(h) for h in candidates)
    numbers = cells.select(_numbers(pl.col(h)).alias(h) for h in candidates)
    points = cells.select(parse_enum(pl.col(h), words).str.strip_prefix(_POINTS).cast(pl.Float64).alias(h)
                          for h in candidates)
    filled, counted_numbers, counted_words = (f.select(pl.all().count()).row(0) for f in (cells, numbers, points))
    questions = []
    for i, header in enumerate(candidates):
        n, numeric, textual = filled[i], counted_numbers[i], counted_words[i]
        if n == 0:
            continue
        if numeric == n:
            values = numbers[header]
            if wjx:
                values = pl.select(pl.when(values.is_in(WJX_UNANSWERED_NUMBERS)).then(None).otherwise(values)).to_series()
            questions.append(_Question(header, False, values.alias(header)))
        elif textual == n:
            questions.append(_Question(header, True, points[header]))
        elif 2 * numeric > n or 2 * textual > n:
            raise _odd_answer(path, header, pl.DataFrame({"row": raw["__row"], "cell": cells[header],
                                                          "number": numbers[header], "points": points[header]}))
    return questions


def _odd_answer(path, header: str, cells: pl.DataFrame) -> SurveyRefused:
    """The refusal of a question column with a cell that is neither a number nor a known word, or that mixes both."""
    filled = cells.filter(pl.col("cell").is_not_null())
    odd = filled.filter(pl.col("number").is_null() & pl.col("points").is_null())
    allowed = "/".join(ws[0] for _, ws in sorted(TEXT_ANSWERS.items(), reverse=True))
    if odd.height == 0:  # numbers and words in one column
        row, value = filled.filter(pl.col("number").is_not_null()).select("row", "cell").row(0)
        return SurveyRefused(
            path, f"column {header!r} mixes answers in numbers and in words (row {row}: {value!r})",
            f"列“{header}”的答案既有数字又有文字（第 {row} 行：“{value}”）")
    row, value = odd.select("row", "cell").row(0)
    return SurveyRefused(
        path,
        f"column {header!r}: row {row} answers {value!r}, which is on no answer scale (numbers, or {allowed}); add "
        "the word under [survey_response.answers] in the site mapping, or, if the column is not a question, list it "
        "under [survey_response] ignore",
        f"列“{header}”：第 {row} 行的答案“{value}”不在任何评分量表上（应为数字或{allowed}）；可在站点映射的 "
        "[survey_response.answers] 中加入该说法，若该列不是问题，请在 [survey_response] ignore 中列出")


def _on_scale(questions: list[_Question], scale: Scale) -> pl.DataFrame:
    """The answers on scale: numbers as written, words as the same steps of this scale."""
    step = (scale.high - scale.low) / (TEXT_SCALE.high - TEXT_SCALE.low)
    return pl.DataFrame([(scale.low + (q.values - TEXT_SCALE.low) * step).alias(q.header) if q.text
                         else q.values.alias(q.header) for q in questions])


def _scores(answers: pl.DataFrame, scale: Scale) -> pl.DataFrame:
    """Per response: formula = mean of (answer − low)/(high − low) × 100 over the answered questions; share = sum of
    the answers / (answered × high) × 100; on = every answer lies on the scale; answered = any answer."""
    names = answers.columns
    span = scale.high - scale.low
    return answers.select(
        (pl.mean_horizontal([(pl.col(n) - scale.low) / span for n in names]) * 100).alias("formula"),
        (pl.mean_horizontal([pl.col(n) / scale.high for n in names]) * 100).alias("share")
        if scale.high > 0 else pl.lit(None, pl.Float64).alias("share"),
        pl.all_horizontal([scale.holds(pl.col(n)).fill_null(True) for n in names]).alias("on"),
        pl.any_horizontal([pl.col(n).is_not_null() for n in names]).alias("answered"),
    )


@dataclass
class _Agreement:
    scale: Scale
    rows_on: int              # responses with answers that all lie on the scale
    rows_answered: int        # responses with any answer
    convention: str | None    # "formula" or "share" when the given scores agree with the answers, else None
    example: tuple | None     # (row, given, computed by the formula) of the first disagreeing response


def _agreement(questions: list[_Question], scale: Scale, given: pl.Series, rows: pl.Series,
               tolerance: float) -> _Agreement:
    """How the given overall scores compare with the answers on this scale (responses with answers off it left out)."""
    scores = _scores(_on_scale(questions, scale), scale).with_columns(given.alias("given"), rows.alias("row"))
    checked = scores.filter(pl.col("on") & pl.col("answered") & pl.col("given").is_not_null())
    agreed = None
    for convention in ("formula", "share"):
        if checked.height and checked.select(((pl.col("given") - pl.col(convention)).abs()
                                              <= tolerance + 1e-9).fill_null(False).all()).item():
            agreed = convention
            break
    example = None
    if agreed is None and checked.height:
        bad = checked.filter((pl.col("given") - pl.col("formula")).abs() > tolerance + 1e-9)
        example = (bad if bad.height else checked).select("row", "given", "formula").row(0)
    return _Agreement(scale, int((scores["on"] & scores["answered"]).sum()), int(scores["answered"].sum()),
                      agreed, example)


def _refuse_disagreement(path, header: str, found: _Agreement, tolerance: float):
    row, given, computed = found.example
    return SurveyRefused(
        path,
        f"column {header!r} is not the overall score of the answers: row {row} gives {_num(given)}, its answers make "
        f"{computed:.1f} on the {found.scale.label} scale, more than {_num(tolerance)} points apart "
        f"(the overall score is the mean of (answer − low) / (high − low) × 100, or the share of the highest score)",
        f"列“{header}”与答案算出的总体满意度不符：第 {row} 行为 {_num(given)}，按其答案（{found.scale.label} 分制）"
        f"计算为 {computed:.1f}，相差超过 {_num(tolerance)} 分（总体满意度 = 各题 (得分 − 最低分) / (最高分 − 最低分) × 100 的"
        "平均值，或得分占满分的比例）")


def _chosen_scale(path, questions: list[_Question], mapping: SiteMapping, given: pl.Series | None,
                  overall_header: str | None, rows: pl.Series, tolerance: float) -> Scale | None:
    """The answers' scale, declared or inferred; refuses answers on no scale and given scores that disagree."""
    declared = mapping.survey_scale
    if declared is not None:
        scale = TEXT_SCALE if declared == TEXT else declared
        if questions and given is not None:
            found = _agreement(questions, scale, given, rows, tolerance)
            if found.convention is None and found.example is not None:
                raise _refuse_disagreement(path, overall_header, found, tolerance)
        return scale
    if not questions:
        return None
    numeric = [q for q in questions if not q.text]
    fitting = [TEXT_SCALE]                           # answers in words only: 1–5
    if numeric:
        ranges = [(q.header, q.values.min(), q.values.max()) for q in numeric if q.values.null_count() < len(q.values)]
        low, high = min((r[1] for r in ranges), default=TEXT_SCALE.low), max((r[2] for r in ranges), default=TEXT_SCALE.high)
        fitting = [s for s in STANDARD_SCALES if s.low <= low and high <= s.high]
        if not fitting:
            question = next(q for q in numeric if q.values.null_count() < len(q.values)
                            and (q.values.min() < 0 or q.values.max() > 100))
            row, value = pl.DataFrame({"row": rows, "value": question.values}).filter(
                (pl.col("value") < 0) | (pl.col("value") > 100)).row(0)
            header = question.header
            raise SurveyRefused(
                path,
                f"column {header!r}: row {row} answers {_num(value)}, which is on no answer scale "
                f"({', '.join(s.label for s in STANDARD_SCALES)}); declare the scale under [survey_response] scale in "
                "the site mapping, or list the column under [survey_response] ignore if it is not a question",
                f"列“{header}”：第 {row} 行的答案 {_num(value)} 不在任何评分量表（{'、'.join(s.label for s in STANDARD_SCALES)}）上；"
                "请在站点映射的 [survey_response] scale 中声明量表，若该列不是问题，请在 [survey_response] ignore 中列出")
    if given is None:
        return fitting[0]
    # The given overall scores decide: the smallest scale on which most responses' answers lie and agree with them.
    first_fitting = None
    for scale in (STANDARD_SCALES if numeric else (TEXT_SCALE,)):
        found = _agreement(questions, scale, given, rows, tolerance)
        if scale == fitting[0]:
            first_fitting = found
        if 2 * found.rows_on <= found.rows_answered:
            continue
        if found.convention is not None or found.example is None:
            return scale
    raise _refuse_disagreement(path, overall_header, first_fitting, tolerance)


def _check_sum(path, header: str, raw: pl.DataFrame, questions: list[_Question]) -> None:
    """A 总分 column must equal the sum of the numeric answers within rounding (words: scored by the survey, not
    checked)."""
    if any(q.text for q in questions) or not questions:
        return
    written = raw.select(_numbers(_cells(header))).to_series()
    answers = pl.DataFrame([q.values for q in questions])
    sums = answers.select(pl.sum_horizontal(pl.all()).alias("sum"),
                          pl.any_horizontal(pl.all().is_not_null()).alias("answered"))
    check = sums.with_columns(written.alias("written"), raw["__row"].alias("row")).filter(
        pl.col("answered") & pl.col("written").is_not_null() & ((pl.col("written") - pl.col("sum")).abs() > 0.5 + 1e-9))
    if check.height:
        row, total, written_value = check.select("row", "sum", "written").row(0)
        raise SurveyRefused(
            path,
            f"column {header!r} is the sum of the answers (never the overall score), but row {row} gives "
            f"{_num(written_value)} where its answers add up to {_num(total)}",
            f"列“{header}”是各题得分之和（不作为总体满意度），但第 {row} 行为 {_num(written_value)}，"
            f"而其答案之和为 {_num(total)}")


def survey_columns(path, raw: pl.DataFrame, typed: pl.DataFrame, hmap: dict[str, str], ignored: list[str],
                   mapping: SiteMapping) -> SurveyColumns:
    """The typed survey frame with its questions (q:<header as written>), the answers' scale (scale_low, scale_high),
    the survey year (from the submit time when the file has no year) and the overall score (computed when the file
    gives none); refuses, with SurveyRefused, what cannot be taken as it stands."""
    columns = set(hmap.values())
    tolerance = DEFAULT_TOLERANCE if mapping.survey_tolerance is None else mapping.survey_tolerance
    headers = [h for h in raw.columns if h != "__row"]
    wjx = sum(_norm(h) in WJX_META for h in headers) >= 2
    norm = {h: _norm(h) for h in ignored}
    skip = META | mapping.survey_ignore
    sums = [h for h in ignored if norm[h] in SUM_HEADERS]
    meta = [h for h in ignored if norm[h] in skip or h in sums]
    candidates = [h for h in ignored if h not in meta]
    questions = _classify(path, raw, candidates, mapping, wjx)
    hmap = dict(hmap)
    frame = typed

    if "survey_year" not in columns:
        submit = next((h for h in headers if _norm(h) in SUBMIT_TIME), None)
        if submit is None:
            raise SurveyRefused(path, "the file has neither a survey year nor a submit time column",
                                "文件既没有调查年度列，也没有提交答卷时间列")
        frame = frame.with_columns(raw.select(parse_datetime(pl.col(submit)).dt.year().cast(pl.Int64)).to_series()
                                   .alias("survey_year"))
        hmap[submit] = "survey_year"

    overall_header = next((h for h, c in hmap.items() if c == "overall_score"), None)
    given = frame["overall_score"] if overall_header is not None else None
    if given is not None:
        outside = frame.select(pl.col("source_row"), pl.col("overall_score")).filter(
            (pl.col("overall_score") < 0) | (pl.col("overall_score") > 100))
        if outside.height:
            row, value = outside.row(0)
            raise SurveyRefused(
                path, f"column {overall_header!r} is not a 0–100 overall score: row {row} gives {_num(value)}",
                f"列“{overall_header}”不是 0–100 的总体满意度：第 {row} 行为 {_num(value)}")
    elif not questions:
        raise SurveyRefused(path, "the file has no overall score and no answers to compute it from",
                            "文件既没有总体满意度，也没有可计算总体满意度的评分题")

    scale = _chosen_scale(path, questions, mapping, given, overall_header, raw["__row"], tolerance)
    for header in sums:
        _check_sum(path, header, raw, questions)

    if questions:
        answers = _on_scale(questions, scale)
        frame = frame.with_columns(answers.rename({h: QUESTION_PREFIX + h for h in answers.columns}).get_columns())
        if given is None:
            frame = frame.with_columns(_scores(answers, scale)["formula"].alias("overall_score"))
    if scale is not None:
        frame = frame.with_columns(pl.lit(float(scale.low)).alias("scale_low"), pl.lit(float(scale.high)).alias("scale_high"))
    kept = set(hmap) | {q.header for q in questions}
    return SurveyColumns(frame, hmap, [h for h in ignored if h not in kept], scale)
