"""Customer surveys on any answer scale: 问卷星 exports (按分数 and 按文本, CSV UTF-8-BOM and XLSX) loaded without a
mapping, the scale inferred or declared, the 0–100 overall score computed from the answers or checked against them,
and 总分 never taken as the score.

Expected figures are worked out here by hand from the answers the tests write, never read back from the ETL.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from etl.cli import main
from etl.load import load_paths
from etl.mapping import MappingError, normalize_header, read_site_mapping
from etl.upload import preview_upload
from tests.conftest import query, signed_in_app
from warehouse.settings import load_settings

# A 问卷星 customer survey of December 2021: five satisfaction questions on 1–5 (one of them a matrix of three rows)
# after two questions naming the customer and its segment. None = skipped by the survey's logic.
QUESTIONS = ["3、您对我公司产品质量的总体评价：", "4(产品质量)", "4(交货及时性)", "4(售后服务)",
             "5、您对我公司技术支持的满意程度："]
WJX_META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
WJX_HEADER = [*WJX_META, "1、贵公司名称：", "2、贵公司属于：", *QUESTIONS, "总分"]
RESPONSES = [  # 序号, submitted, seconds, customer, segment, answers
    (1, "2021/12/6 9:15:32", 185, "宁波眼镜有限公司", "战略客户", [5, 5, 5, 4, 5]),
    (2, "2021/12/7 14:02:11", 96, "杭州光学仪器厂", "重要客户", [5, 4, 5, 5, 5]),
    (3, "2021/12/9 10:40:05", 240, "义乌商贸有限公司", "一般客户", [5, 5, 5, 5, 5]),
    (4, "2021/12/10 16:21:47", 131, "温州精密光学", "重要客户", [4, 5, 5, None, 5]),
    (5, "2021/12/13 8:55:09", 77, "台州显微科技", "战略客户", [5, 5, 4, 5, 5]),
    (6, "2021/12/15 11:30:00", 302, "金华望远镜厂", "一般客户", [5, 5, 5, 5, 4]),
]
# overall score = mean over the answered questions of (answer − 1) / (5 − 1) × 100
EXPECTED_OVERALL = {
    "1": (4 + 4 + 4 + 3 + 4) / 5 / 4 * 100,    # 95.0
    "2": (4 + 3 + 4 + 4 + 4) / 5 / 4 * 100,    # 95.0
    "3": 100.0,
    "4": (3 + 4 + 4 + 4) / 4 / 4 * 100,        # 93.75: the skipped question does not count
    "5": (4 + 4 + 3 + 4 + 4) / 5 / 4 * 100,    # 95.0
    "6": (4 + 4 + 4 + 4 + 3) / 5 / 4 * 100,    # 95.0
}
EXPECTED_SATISFACTION = (95.0 * 4 + 100.0 + 93.75) / 6   # 95.625, met against the target of 85
WORDS = {5: "非常满意", 4: "满意"}
OTHER_WORDS = {5: "很满意", 4: "比较满意"}                 # 问卷星 surveys use either set of labels
SITE_MAPPING = """
[survey_response.headers]
"1、贵公司名称：" = "customer"
"2、贵公司属于：" = "segment"
"""


def wjx_rows(as_text: bool) -> list[list]:
    """The responses as 问卷星 writes them: 按分数 (numbers, -3 for a skipped question) or 按文本 (words, (跳过))."""
    rows = []
    for n, submitted, seconds, customer, segment, answers in RESPONSES:
        words = OTHER_WORDS if n % 2 == 0 else WORDS
        cells = [("(跳过)" if as_text else -3) if a is None else (words[a] if as_text else a) for a in answers]
        total = sum(a for a in answers if a is not None)   # 总分: the sum of the answers, 5–25
        rows.append([n, submitted, f"{seconds}秒", "手机提交" if n % 2 else "链接", "直接访问",
                     f"183.129.{n}.{20 + n}(浙江-杭州)", customer, segment, *cells, total])
    return rows


def write_wjx(path: Path, header: list[str], rows: list[list]) -> Path:
    """A 问卷星 export: CSV in UTF-8 with a byte-order mark, or an XLSX workbook (numbers as number cells)."""
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Sheet1"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def loaded(tmp_path: Path, warehouse: Path, path: Path, mapping: str | None = None):
    """The outcome of loading one file through the ETL (with a site mapping written from text when given)."""
    mapping_file = write_text(tmp_path / "site.toml", mapping) if mapping is not None else None
    summary = load_paths([path], load_settings(env={}, warehouse=warehouse, mapping_file=mapping_file))
    [outcome] = summary.files
    return outcome


def satisfaction(capsys, warehouse: Path, year: int = 2021) -> dict:
    """The year's customer satisfaction as `etl kpis` prints it."""
    capsys.readouterr()
    assert main(["kpis", "--year", str(year), "--format", "json", "--warehouse", str(warehouse)]) == 0
    rows = json.loads(capsys.readouterr().out)
    return next(r for r in rows if r["kpi"] == "customer_satisfaction")


def overall_scores(warehouse: Path) -> dict[str, float]:
    return dict(query(warehouse, "SELECT response_id, overall_score FROM survey_response"))


# 问卷星 exports -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("as_text", [False, True], ids=["by-score", "by-text"])
def test_a_wjx_export_loads_without_a_mapping(tmp_path, warehouse, capsys, suffix, as_text):
    path = write_wjx(tmp_path / f"顾客满意度调查_问卷星{suffix}", WJX_HEADER, wjx_rows(as_text))
    outcome = loaded(tmp_path, warehouse, path)
    assert (outcome.status, outcome.kind, outcome.loaded, outcome.quarantined) == ("loaded", "survey_response", 6, 0)
    assert query(warehouse, "SELECT DISTINCT survey_year, scale_low, scale_high FROM survey_response") == [(2021, 1, 5)]
    scores = overall_scores(warehouse)
    assert scores.keys() == EXPECTED_OVERALL.keys()                          # response ids from 序号
    assert all(scores[r] == pytest.approx(EXPECTED_OVERALL[r]) for r in scores)
    # the questions as the survey wrote them; no meta column, no 总分, no customer or segment among them
    assert [q for (q,) in query(warehouse, "SELECT DISTINCT question FROM survey_answer ORDER BY 1")] == sorted(QUESTIONS)
    assert query(warehouse, "SELECT count(*), sum(score) FROM survey_answer") == [
        (29, sum(a for *_, answers in RESPONSES for a in answers if a is not None))]
    kpi = satisfaction(capsys, warehouse)
    assert kpi["value"] == pytest.approx(EXPECTED_SATISFACTION) and kpi["status"] == "met"


def test_customer_and_segment_come_from_their_questions_through_the_site_mapping(tmp_path, warehouse):
    path = write_wjx(tmp_path / "问卷星.xlsx", WJX_HEADER, wjx_rows(as_text=True))
    assert loaded(tmp_path, warehouse, path, SITE_MAPPING).status == "loaded"
    assert query(warehouse, "SELECT response_id, customer, segment FROM survey_response ORDER BY response_id") == [
        (str(n), customer, {"战略客户": "strategic", "重要客户": "important", "一般客户": "general"}[segment])
        for n, _, _, customer, segment, _ in RESPONSES]
    assert query(warehouse, "SELECT count(*) FROM customer WHERE registered_by_etl") == [(6,)]


def test_numbered_headers_match_the_mapping_however_the_colon_is_written():
    assert normalize_header("1、贵公司名称：") == normalize_header("1、贵公司名称:") == normalize_header(" 1、 贵公司名称 ")
    mapping = read_site_mapping(None)
    assert mapping.survey_scale is None and mapping.survey_tolerance is None


def test_the_clerks_year_column_and_wjx_total_do_not_make_a_score(tmp_path, warehouse, capsys):
    """The reported case: a year column added by hand, and 总分 (5–25) beside the answers."""
    header = ["调查年度", *WJX_HEADER]
    rows = [[2021, *row] for row in wjx_rows(as_text=False)]
    outcome = loaded(tmp_path, warehouse, write_wjx(tmp_path / "问卷星.csv", header, rows))
    assert outcome.status == "loaded"
    assert "总分" not in dict(load_paths_columns(tmp_path, header, rows))
    scores = overall_scores(warehouse)
    assert all(scores[r] == pytest.approx(EXPECTED_OVERALL[r]) for r in scores)
    total_as_score = sum(sum(a for a in answers if a is not None) for *_, answers in RESPONSES) / 6   # 23.3: not it
    kpi = satisfaction(capsys, warehouse)
    assert kpi["value"] == pytest.approx(EXPECTED_SATISFACTION) != pytest.approx(total_as_score)
    assert kpi["status"] == "met"


def load_paths_columns(tmp_path: Path, header: list[str], rows: list[list]) -> dict[str, str]:
    """The header map an upload preview shows for this file (header -> canonical column)."""
    path = write_wjx(tmp_path / "preview.csv", header, rows)
    preview = preview_upload("问卷星.csv", path.read_bytes(), load_settings(env={}, warehouse=tmp_path / "none.duckdb"))
    assert preview.status == "ok", preview.message_en
    return preview.columns


def test_an_upload_preview_shows_where_year_and_questions_come_from(tmp_path):
    columns = load_paths_columns(tmp_path, WJX_HEADER, wjx_rows(as_text=False))
    assert columns["提交答卷时间"] == "survey_year" and columns["序号"] == "response_id"
    assert {h: c for h, c in columns.items() if c.startswith("q:")} == {q: f"q:{q}" for q in QUESTIONS}
    assert not {"所用时间", "来源", "来源详情", "来自IP", "总分"} & columns.keys()


def test_a_total_that_is_not_the_sum_of_the_answers_refuses_the_file(tmp_path, warehouse):
    rows = wjx_rows(as_text=False)
    rows[2][-1] = 24                                  # 序号 3 answered 5 × 5 = 25
    outcome = loaded(tmp_path, warehouse, write_wjx(tmp_path / "问卷星.csv", WJX_HEADER, rows))
    assert outcome.status == "refused" and not warehouse.exists()
    assert "“总分”" in outcome.reason_zh and "第 4 行" in outcome.reason_zh
    assert "'总分'" in outcome.reason_en and "row 4" in outcome.reason_en


# Given overall scores ------------------------------------------------------------------------------------------

TEMPLATE = ["调查年度", "问卷编号", "客户名称", "问题1", "问题2", "问题3"]


def template_rows(answers: list[list], overall: list | None = None) -> list[list]:
    return [[2021, f"R{i:02d}", f"客户{i}", *a, *([] if overall is None else [overall[i - 1]])]
            for i, a in enumerate(answers, start=1)]


ANSWERS = [[5, 4, 5], [4, 4, 4], [5, 5, 5], [3, 4, 5]]


def test_a_given_overall_that_disagrees_with_its_answers_refuses_the_file_naming_it(tmp_path, warehouse):
    sums = [sum(a) for a in ANSWERS]                 # a "composite score" column holding the sum, 3–15
    path = write_wjx(tmp_path / "survey.csv", [*TEMPLATE, "综合得分"], template_rows(ANSWERS, sums))
    outcome = loaded(tmp_path, warehouse, path)
    assert outcome.status == "refused" and not warehouse.exists()
    assert "“综合得分”" in outcome.reason_zh and "'综合得分'" in outcome.reason_en


def test_a_given_overall_within_the_tolerance_is_kept_as_given(tmp_path, warehouse, capsys):
    # (answer − 1) / 4 × 100 per question, averaged: 91.7, 75, 100, 75; the file rounds and is off by at most 4
    given = [90, 79, 100, 72]
    path = write_wjx(tmp_path / "survey.csv", [*TEMPLATE, "总体满意度"], template_rows(ANSWERS, given))
    assert loaded(tmp_path, warehouse, path).status == "loaded"
    assert sorted(overall_scores(warehouse).values()) == sorted(given)
    assert satisfaction(capsys, warehouse)["value"] == pytest.approx(sum(given) / 4)


def test_the_tolerance_is_a_setting(tmp_path, warehouse):
    given = [90, 79, 100, 72]                         # 4 points off at most: beyond a tolerance of 2
    path = write_wjx(tmp_path / "survey.csv", [*TEMPLATE, "总体满意度"], template_rows(ANSWERS, given))
    outcome = loaded(tmp_path, warehouse, path, "[survey_response]\ntolerance = 2\n")
    assert outcome.status == "refused" and "总体满意度" in outcome.reason_zh


def test_a_given_overall_outside_0_to_100_refuses_the_file(tmp_path, warehouse):
    path = write_wjx(tmp_path / "survey.csv", [*TEMPLATE, "总体满意度"], template_rows(ANSWERS, [92, 75, 120, 75]))
    outcome = loaded(tmp_path, warehouse, path)
    assert outcome.status == "refused" and "“总体满意度”" in outcome.reason_zh and "120" in outcome.reason_en


# Scales --------------------------------------------------------------------------------------------------------


def test_a_1_to_7_scale_is_inferred(tmp_path, warehouse, capsys):
    answers = [[7, 6, 7], [5, 6, 6], [7, 7, 7], [4, 6, 5]]
    assert loaded(tmp_path, warehouse, write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))).status == "loaded"
    expected = [(6 + 5 + 6) / 3 / 6 * 100, (4 + 5 + 5) / 3 / 6 * 100, 100.0, (3 + 5 + 4) / 3 / 6 * 100]
    scores = overall_scores(warehouse)
    assert [scores[f"R{i:02d}"] for i in range(1, 5)] == pytest.approx(expected)
    assert query(warehouse, "SELECT DISTINCT scale_low, scale_high FROM survey_response") == [(1, 7)]
    assert satisfaction(capsys, warehouse)["value"] == pytest.approx(sum(expected) / 4)


def test_files_on_different_scales_in_one_load_are_each_checked_on_their_own(tmp_path, warehouse):
    on_five = [[4, 5, 4]] * 9
    on_five[2] = [4, 5, 7]                            # a 7 among answers whose given scores say 1–5
    five = write_wjx(tmp_path / "a.csv", [*TEMPLATE, "总体满意度"], template_rows(on_five, [90] * 9))
    seven = write_wjx(tmp_path / "b.csv", TEMPLATE, [[2020, *row[1:]] for row in template_rows([[7, 6, 7], [5, 6, 6]])])
    summary = load_paths([five, seven], load_settings(env={}, warehouse=warehouse))
    assert [(f.status, f.loaded, f.quarantined) for f in summary.files] == [("loaded", 8, 1), ("loaded", 2, 0)]
    assert query(warehouse, "SELECT source_row, column_name, value, reason_zh FROM quarantine") == [
        (4, "问题3", "7", "问题3的评分不在1–5分之间")]
    assert query(warehouse, "SELECT survey_year, scale_low, scale_high, count(*) FROM survey_response GROUP BY ALL "
                            "ORDER BY 1") == [(2020, 1, 7, 2), (2021, 1, 5, 8)]


def test_a_0_to_100_scale_is_inferred(tmp_path, warehouse):
    answers = [[85, 90, 70], [100, 95, 100], [60, 75, 80]]
    assert loaded(tmp_path, warehouse, write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))).status == "loaded"
    scores = overall_scores(warehouse)
    assert [scores[f"R{i:02d}"] for i in (1, 2, 3)] == pytest.approx([245 / 3, 295 / 3, 215 / 3])
    assert query(warehouse, "SELECT DISTINCT scale_low, scale_high FROM survey_response") == [(0, 100)]


def test_a_declared_scale_overrides_inference(tmp_path, warehouse):
    answers = [[5, 4, 5], [3, 4, 4]]                 # would be 1–5; the survey was on 1–10
    path = write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))
    assert loaded(tmp_path, warehouse, path, '[survey_response]\nscale = "1-10"\n').status == "loaded"
    scores = overall_scores(warehouse)
    assert [scores["R01"], scores["R02"]] == pytest.approx([(4 + 3 + 4) / 3 / 9 * 100, (2 + 3 + 3) / 3 / 9 * 100])
    assert query(warehouse, "SELECT DISTINCT scale_low, scale_high FROM survey_response") == [(1, 10)]


def test_on_a_declared_scale_an_answer_off_it_is_quarantined_not_a_reason_to_widen_it(tmp_path, warehouse):
    answers = [[5, 4, 5], [4, 4, 4], [5, 5, 5], [4, 7, 4], [5, 4, 4], [4, 5, 5]]   # 7 on a 1–5 survey
    path = write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))
    outcome = loaded(tmp_path, warehouse, path, '[survey_response]\nscale = "1-5"\n')
    assert (outcome.status, outcome.loaded, outcome.quarantined) == ("loaded", 5, 1)
    assert query(warehouse, "SELECT source_row, column_name, value, reason_en FROM quarantine") == [
        (5, "问题2", "7", "问题2 score outside 1–5")]


def test_answers_in_words_map_onto_1_to_5(tmp_path, warehouse):
    answers = [["Very satisfied", "satisfied", "NEUTRAL"], ["dissatisfied", "very dissatisfied", "非常满意"],
               ["一般", "不满意", "非常不满意"], ["很满意", "较满意", "不太满意"]]
    assert loaded(tmp_path, warehouse, write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))).status == "loaded"
    points = {r: p for r, p in query(warehouse, "SELECT response_id, list(score ORDER BY question) FROM survey_answer "
                                                "GROUP BY 1")}
    assert points == {"R01": [5, 4, 3], "R02": [2, 1, 5], "R03": [3, 2, 1], "R04": [5, 4, 2]}
    scores = overall_scores(warehouse)
    assert scores["R02"] == pytest.approx((1 + 0 + 4) / 3 / 4 * 100)
    assert query(warehouse, "SELECT DISTINCT scale_low, scale_high FROM survey_response") == [(1, 5)]


def test_words_beside_numbers_on_another_scale_are_the_same_steps_of_it(tmp_path, warehouse):
    answers = [[0, 9, "非常满意"], [10, 6, "一般"]]   # 0–10: 非常满意 is its top, 一般 its middle
    assert loaded(tmp_path, warehouse, write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))).status == "loaded"
    scores = overall_scores(warehouse)
    assert [scores["R01"], scores["R02"]] == pytest.approx([(0 + 90 + 100) / 3, (100 + 60 + 50) / 3])
    assert query(warehouse, "SELECT DISTINCT scale_low, scale_high FROM survey_response") == [(0, 10)]


def test_a_site_can_add_answer_words(tmp_path, warehouse):
    answers = [["基本满意", "满意", "非常满意"]]
    path = write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers))
    assert loaded(tmp_path, warehouse, path, '[survey_response.answers]\n"基本满意" = 3\n').status == "loaded"
    assert overall_scores(warehouse)["R01"] == pytest.approx((2 + 3 + 4) / 3 / 4 * 100)


def test_answers_on_no_scale_refuse_the_file_naming_the_column_unless_it_is_ignored(tmp_path, warehouse):
    header = [*WJX_HEADER, "6、您的联系电话："]
    rows = [[*row, 13800000000 + n] for n, row in enumerate(wjx_rows(as_text=False))]
    path = write_wjx(tmp_path / "问卷星.xlsx", header, rows)
    outcome = loaded(tmp_path, warehouse, path)
    assert outcome.status == "refused" and not warehouse.exists()
    assert "“6、您的联系电话：”" in outcome.reason_zh and "'6、您的联系电话：'" in outcome.reason_en
    ignore = '[survey_response]\nignore = ["6、您的联系电话："]\n'
    assert loaded(tmp_path, warehouse, path, ignore).status == "loaded"
    assert overall_scores(warehouse)["4"] == pytest.approx(EXPECTED_OVERALL["4"])


@pytest.mark.parametrize("odd, says", [("还行", "还行"), (3, "既有数字又有文字")])
def test_a_question_of_mostly_words_with_another_answer_refuses_the_file(tmp_path, warehouse, odd, says):
    answers = [["满意", 4, "非常满意"], [odd, 5, "满意"], ["满意", 4, "一般"]]
    outcome = loaded(tmp_path, warehouse, write_wjx(tmp_path / "s.csv", TEMPLATE, template_rows(answers)))
    assert outcome.status == "refused" and "“问题1”" in outcome.reason_zh and says in outcome.reason_zh
    assert "'问题1'" in outcome.reason_en


@pytest.mark.parametrize("text, says", [('scale = "1到"', "scale"), ("tolerance = -1", "tolerance"),
                                        ('answers = { "还行" = 6 }', "answers")])
def test_survey_settings_that_make_no_sense_are_refused(tmp_path, text, says):
    with pytest.raises(MappingError, match=says):
        read_site_mapping(write_text(tmp_path / "site.toml", f"[survey_response]\n{text}\n"))


# The satisfaction page -----------------------------------------------------------------------------------------


def test_the_satisfaction_page_shows_the_questions_as_the_survey_wrote_them(tmp_path, warehouse, monkeypatch):
    path = write_wjx(tmp_path / "问卷星.csv", WJX_HEADER, wjx_rows(as_text=False))
    assert loaded(tmp_path, warehouse, path, SITE_MAPPING).status == "loaded"
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    at = signed_in_app(warehouse, "viewer.li", "viewer", "satisfaction")
    [questions] = [d.value for d in at.dataframe if "问题" in d.value.columns]
    assert sorted(questions["问题"]) == sorted(QUESTIONS)
