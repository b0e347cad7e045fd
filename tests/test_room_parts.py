"""The parts behind the meeting room and honest charts, without a browser: chart specs (gaps, axes near the data with
the target, every Pareto category, one supplier highlighted), check names, audit sentences, the meeting's cards and
the chart room of its slides."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from app import charts
from app.derive import audit_sentence
from app.meeting_deck import chart_codes, deck_slides
from expectations import check_name
from expectations.names import every_rule_name
from expectations.rules import HAND_RULES
from presentation.meeting import meeting_screens
from warehouse.db import read_connection
from warehouse.kpis import REGISTRY, Period, format_value, kpi_values
from warehouse.settings import load_settings


def layers(spec: dict):
    """Every drawn layer of a spec (nested layers flattened), with its own data when it has some."""
    if "layer" in spec:
        for layer in spec["layer"]:
            yield from layers(layer)
    else:
        yield spec


def rows_of(spec: dict, layer: dict) -> list[dict]:
    """The rows a layer draws (its inline dataset)."""
    name = layer.get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def test_a_month_without_data_is_a_gap_not_a_straight_line():
    frame = pd.DataFrame({"year": [2021] * 4, "month": [1, 2, 5, 6], "value": [90.0, 92.0, 94.0, 96.0],
                          "numerator": [9, 23, 47, 48], "denominator": [10, 25, 50, 50]})
    grid = charts.month_grid(frame)
    assert list(grid["month"]) == [1, 2, 3, 4, 5, 6]                  # March and April are there, empty
    assert grid.loc[grid["month"].isin([3, 4]), "value"].isna().all()
    spec = charts.monthly_rate_chart(frame, "zh", "批合格率 (%)", "检验批数").to_dict()
    line = next(l for l in layers(spec) if (l["mark"].get("type") if isinstance(l["mark"], dict) else l["mark"]) == "line")
    assert line["mark"]["invalid"] == charts.BREAK
    drawn = rows_of(spec, line)
    assert sorted(r["month"] for r in drawn) == [1, 2, 3, 4, 5, 6]
    assert [r["value"] for r in drawn if r["month"] in (3, 4)] == [None, None]
    trend = frame.assign(target=95.0, partial=False)
    spec = charts.kpi_trend_chart(trend.assign(month=[1, 2, 5, 6]), "zh", "数值 (%)").to_dict()
    assert any(isinstance(l["mark"], dict) and l["mark"].get("invalid") == charts.BREAK for l in layers(spec))


def test_yearly_rates_start_near_the_data_with_the_target_drawn():
    frame = pd.DataFrame({"year": [2020, 2021], "value": [95.0, 96.0], "numerator": [95, 96],
                          "denominator": [100, 100], "target": [95.5, 95.5]})
    spec = charts.yearly_rate_chart(frame, "zh", "批合格率 (%)", "检验批数").to_dict()
    bars = next(l for l in layers(spec) if l["mark"]["type"] == "bar")
    scale = bars["encoding"]["y"]["scale"]
    # values 95–96, target 95.5: spread 1, so 1 of room each side, in whole units: 94 to 97
    assert scale["zero"] is False and scale["domain"] == [94.0, 97.0]
    rule = next(l for l in layers(spec) if l["mark"]["type"] == "rule")
    assert rows_of(spec, rule) == [{"target": 95.5}]
    assert charts.padded_domain([40.0, 100.0]) == [22.0, 100.0]        # 30 % of a 60-point spread, capped at 100


def test_the_pareto_names_every_category_on_its_own_row():
    codes = [f"缺陷{i:02d}" for i in range(19)]
    defects = list(range(190, 0, -10))
    total = sum(defects)
    share = [100 * sum(defects[: i + 1]) / total for i in range(19)]
    frame = pd.DataFrame({"defect_code": codes, "lots": [5] * 19, "lots_failed": [1] * 19, "defects": defects,
                          "cumulative_share": share})
    spec = charts.pareto_chart(frame, "zh").to_dict()
    bars = next(l for l in layers(spec) if l["mark"]["type"] == "bar")
    y = bars["encoding"]["y"]
    assert y["field"] == "defect_code" and y["sort"] == codes and len(y["sort"]) == 19
    assert y["axis"]["labelOverlap"] is False and y["axis"]["labelLimit"] >= 300
    assert spec["height"] == {"step": charts.PARETO_ROW_PX}
    assert len(rows_of(spec, bars)) == 19


def test_one_supplier_is_highlighted_against_the_others_in_grey():
    frame = pd.DataFrame({"supplier": ["S1", "S1", "S2", "S2", "S3", "S3"], "name": ["a", "a", "b", "b", "c", "c"],
                          "year": [2020, 2021] * 3, "lots": [10] * 6,
                          "pass_rate": [99.0, 98.0, 97.0, 99.5, 95.0, 97.5], "ppm": [1.0, 2.0, 3.0, 0.5, 9.0, 4.0]})
    assert charts.worst_supplier(frame, "pass_rate") == "S3"          # 2021: 98.0, 99.5, 97.5
    assert charts.worst_supplier(frame, "ppm") == "S3"                # 2021: 2.0, 0.5, 4.0
    spec = charts.supplier_trend_chart(frame, "zh", "pass_rate").to_dict()
    grey, blue = [l for l in layers(spec) if l["mark"]["type"] == "line"]
    assert grey["mark"]["color"] == charts.GREY and {r["supplier"] for r in rows_of(spec, grey)} == {"S1", "S2"}
    assert blue["mark"]["color"] == charts.BLUE and {r["supplier"] for r in rows_of(spec, blue)} == {"S3"}
    chosen = charts.supplier_trend_chart(frame, "zh", "pass_rate", "S1").to_dict()
    assert {r["supplier"] for r in rows_of(chosen, [l for l in layers(chosen) if l["mark"]["type"] == "line"][1])} == {"S1"}


def test_every_check_has_a_name_in_words_in_both_languages():
    named = every_rule_name(dt.date(2026, 6, 1))
    assert len(named) > 100
    for suite, name, column in named:
        for lang in ("zh", "en"):
            text = check_name(suite, name, column, lang)
            assert text and "expect" not in text and not text.startswith(("values_", "rows_")), (suite, name, text)
    rule = next(r for r in HAND_RULES["inspection"] if r.name == "expect_passed_iqc_lot_to_have_no_defects")
    assert check_name("inspection", rule.name, "不良数", "zh") == "来料判定合格但不良数大于0"
    assert check_name("inspection", rule.name, "不良数", "en") == "incoming lot passed with defects"
    assert check_name("complaint", "expect_column_values_to_not_be_null", "客诉编号", "zh") == "客诉编号不为空"
    assert check_name("reconciliation", "expect_kpi_numerator_at_most_denominator", "capa_on_time_rate", "zh") == \
        "指标分子不大于分母：" + REGISTRY["capa_on_time_rate"].label("zh")
    assert "_" not in check_name("load", "expect_error_row_share_to_be_at_most", None, "en")


@pytest.mark.parametrize("action, detail, lang, sentence", [
    ("user_add", '{"user": "li.na", "role": "analyst"}', "zh", "添加用户 li.na，角色为分析员"),
    ("user_role", '{"user": "li.na", "role": "viewer"}', "en", "made li.na viewer"),
    ("upload", '{"file": "s.csv", "hash": "ab", "batch": "U1", "rows": 3, "quarantined": 1}', "zh",
     "上传 s.csv：导入 3 行，隔离 1 行（批次 U1）"),
    ("report_import", '{"year": 2021, "file": "r.docx", "chapters": ["前言", "结语"]}', "zh",
     "从文件 r.docx 导入 2021 年报告正文：前言、结语"),
    ("logout", None, "en", "signed out"),
    ("something_new", '{"a": 1}', "zh", "something_new：1"),
])
def test_an_audit_entry_reads_as_a_sentence(action, detail, lang, sentence):
    assert audit_sentence(action, detail, lang) == sentence
    assert audit_sentence(action, float("nan"), lang)                   # a missing detail (a table's NaN) too


def test_meeting_cards_never_show_a_bare_dash_and_a_yearly_kpi_shows_its_latest_year(demo_warehouse):
    settings = load_settings(warehouse=demo_warehouse)
    day = dt.date.today()
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    with read_connection(demo_warehouse) as con:
        screens = meeting_screens(con, year, month, settings, "zh", day, check_name)
        this_year = {v.kpi: v for v in kpi_values(con, Period(year, month), settings, "zh", day)}
        earlier = {y: {v.kpi: v for v in kpi_values(con, Period(y), settings, "zh", day)} for y in
                   range(year - 3, year)}
    figures = [f for s in screens for f in s.figures]
    assert figures and all(f.value.strip("—") for f in figures), [f.label for f in figures if not f.value.strip("—")]
    waiting = [c for c, v in this_year.items() if REGISTRY[c].aggregate == "year" and v.value is None]
    for f in figures:
        if f.code in waiting:
            latest = max((y for y, values in earlier.items() if values[f.code].value is not None), default=None)
            assert latest is not None, f.code
            assert f.value == format_value(earlier[latest][f.code].value, REGISTRY[f.code].unit)
            assert f.value_label == f"{latest} 年度" and "本年尚无数据" in f.basis
    checks = [row[1] for s in screens if s.key == "data_quality" for t in s.tables if "校验" in t.title for row in t.rows]
    assert not any("expect" in c for c in checks), checks


def test_each_topic_but_the_scorecard_gets_a_chart_with_the_room_its_slide_leaves(demo_warehouse):
    settings = load_settings(warehouse=demo_warehouse)
    with read_connection(demo_warehouse) as con:
        screens = meeting_screens(con, 2021, 12, settings, "zh", dt.date(2022, 1, 10))
    by_key = {s.key: s for s in screens}
    assert chart_codes(by_key["inspections"]) == ("incoming_inspection_pass_rate", "process_inspection_pass_rate",
                                                  "final_inspection_pass_rate")
    assert chart_codes(by_key["scorecard"]) == () and chart_codes(by_key["data_quality"]) == ()
    assert chart_codes(by_key["satisfaction_market"]) == ("market_share_national", "market_share_provincial")
    slides = deck_slides(screens)
    charted = [s for s in slides if s.chart]
    assert {s.screen.key for s in charted} == {"inspections", "complaints", "suppliers", "satisfaction_market",
                                               "improvement", "quality_cost"}
    assert all(len([s for s in charted if s.screen.key == k]) == 1 for k in {s.screen.key for s in charted})
    from app.meeting_deck import CHART_MIN_PX, GAP_PX
    assert all(s.free >= CHART_MIN_PX + GAP_PX for s in charted)
