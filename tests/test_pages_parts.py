"""The dashboard's pure parts without Streamlit: charts (axis titles with units, tooltips, cb-safe colours),
derived tables (p-chart limits, audits due, suggested grade, complaint summary), downloads, the catalogue."""
from __future__ import annotations

import ast
import datetime as dt
import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from app import charts, derive, i18n
from warehouse import rules, spc
from app.downloads import csv_bytes, xlsx_bytes

APP_DIR = Path(__file__).resolve().parents[1] / "app"


def leaves(spec: dict, inherited: dict | None = None):
    """(mark, encoding) of every drawn layer, encodings inherited from the enclosing layers."""
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    if "layer" in spec:
        for layer in spec["layer"]:
            yield from leaves(layer, encoding)
    else:
        yield spec["mark"], encoding


def assert_readable(chart, lang: str = "zh") -> list[dict]:
    """Every layer has a tooltip and titled x / y axes; no colour outside the Okabe–Ito palette."""
    spec = chart.to_dict()
    found = list(leaves(spec))
    assert found
    for mark, encoding in found:
        assert "tooltip" in encoding, (mark, encoding)
        for channel in ("x", "y"):
            if channel in encoding:
                assert encoding[channel].get("title"), (channel, encoding[channel])
        colour = mark.get("color") if isinstance(mark, dict) else None
        assert colour in (None, *charts.PALETTE, charts.GREY), colour
    return [e for _, e in found]


def titles(encodings: list[dict], channel: str) -> set[str]:
    return {e[channel]["title"] for e in encodings if channel in e}


def monthly(year: int = 2021) -> pd.DataFrame:
    return pd.DataFrame({"year": [year - 1] * 3 + [year] * 3, "month": [1, 2, 3] * 2,
                         "value": [95.0, 96.0, None, 97.0, 94.0, 98.0], "numerator": [95, 96, None, 97, 47, 98],
                         "denominator": [100, 100, None, 100, 50, 100]})


def test_monthly_rate_chart_titles_units_tooltips_and_year_styles():
    frame = derive.with_wilson(monthly(), "numerator", "denominator")
    encodings = assert_readable(charts.monthly_rate_chart(frame, "zh", "批合格率 (%)", "检验批数"))
    assert titles(encodings, "y") == {"批合格率 (%)"} and titles(encodings, "x") == {"月份"}
    line = next(e for e in encodings if "strokeDash" in e)
    assert line["color"]["scale"]["domain"] == ["2021", "2020"]
    assert line["color"]["scale"]["range"] == [charts.BLUE, charts.ORANGE]
    assert line["strokeDash"]["scale"]["range"][1] != [1, 0]        # the prior year is dashed, not only coloured
    assert {t["title"] for t in line["tooltip"]} >= {"年度", "月份", "分子", "检验批数"}


def spc_chart(kind: str = "p"):
    """A control chart of four months with p̄ = 0.1: the last (z = 3.33 on n = 400) beyond 3σ."""
    samples = [spc.Sample(2021, m, 100, 10) for m in (1, 2, 3)] + [spc.Sample(2021, 4, 400, 60)]
    return spc.Chart(kind, "IQC", None, ((2021, 1), (2021, 3)), 0.1, tuple(spc.chart_points(kind, samples, 0.1)))


def test_p_chart_marks_signals_by_shape_colour_and_rule_number():
    points = derive.control_chart_points(spc_chart())
    encodings = assert_readable(charts.p_chart(points, "en"), "en")
    assert titles(encodings, "y") == {"Lots failed (%)"}
    marks = next(e for e in encodings if "shape" in e)
    assert marks["shape"]["scale"]["range"] == ["circle", "triangle-up"]
    assert marks["color"]["scale"]["range"] == [charts.BLUE, charts.VERMILLION]
    assert {t["title"] for t in marks["tooltip"]} >= {"UCL (%)", "LCL (%)", "Lots inspected", "Lots failed",
                                                       "Rules broken"}
    spec = charts.p_chart(points, "en").to_dict()
    texts = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"
             and layer["encoding"].get("text", {}).get("field") == "numbers"]
    assert texts, "no rule numbers beside the flagged points"
    rows = spec["datasets"][texts[0]["data"]["name"]]
    assert [(r["period"], r["numbers"], r["rules_text"]) for r in rows] == [
        ("2021-04", "1", "beyond the 3σ limits (rule 1)")]


def test_u_chart_is_titled_per_unit():
    encodings = assert_readable(charts.u_chart(derive.control_chart_points(spc_chart("u")), "zh"))
    assert titles(encodings, "y") == {"每抽样单位缺陷数"}


def test_the_other_charts_are_titled_with_units_and_tooltipped():
    pareto = pd.DataFrame({"defect_code": ["划伤", "气泡"], "lots": [5, 3], "lots_failed": [2, 1], "defects": [30, 10],
                           "cumulative_share": [75.0, 100.0]})
    enc = assert_readable(charts.pareto_chart(pareto, "zh"))
    assert titles(enc, "x") == {"不良数 (件)", "累计占比 (%)"} and titles(enc, "y") == {"缺陷"}  # bars lie flat
    enc = assert_readable(charts.yearly_rate_chart(monthly().assign(year=[2019, 2020, 2021, 2022, 2023, 2024]), "zh",
                                                   "批合格率 (%)", "检验批数"))
    assert titles(enc, "x") == {"年度"}
    enc = assert_readable(charts.monthly_count_chart(monthly(), "en", "Complaints (count)"))
    assert titles(enc, "y") == {"Complaints (count)"}
    clock = pd.DataFrame({"label": ["首次回应", "首次回应", "明确答复"], "status": ["met", "missed", "pending"],
                          "complaints": [3, 1, 1]})
    enc = assert_readable(charts.milestone_chart(clock, "zh"))
    assert enc[0]["color"]["scale"]["domain"] == ["✓ 按时", "✗ 超时", "… 未到期"]
    regions = pd.DataFrame({"region": ["abroad", "in_province"], "clock": ["met", "missed"], "complaints": [1, 2]})
    assert titles(assert_readable(charts.region_chart(regions, "zh")), "x") == {"地区"}
    grades = pd.DataFrame({"year": [2021] * 3, "grade": ["A", "B", "C"], "suppliers": [5, 3, 1]})
    assert titles(assert_readable(charts.grade_mix_chart(grades, "zh")), "y") == {"供应商数 (家)"}
    trend = pd.DataFrame({"supplier": ["S1", "S1"], "name": ["a", "a"], "year": [2020, 2021], "lots": [10, 12],
                          "pass_rate": [95.0, 97.0], "ppm": [2000.0, 1500.0]})
    assert titles(assert_readable(charts.supplier_trend_chart(trend, "zh", "ppm")), "y") == {"不良率 (PPM)"}
    shares = pd.DataFrame({"year": [2020, 2021], "label": ["国内市场占有率"] * 2, "value": [3.0, 4.0], "delta": [None, 1.0]})
    assert titles(assert_readable(charts.yearly_lines_chart(shares, "zh", "市场占有率 (%)")), "y") == {"市场占有率 (%)"}
    scores = pd.DataFrame({"question": ["Q1", "Q1"], "year": [2020, 2021], "score": [4.5, 4.7], "answers": [40, 45]})
    assert titles(assert_readable(charts.grouped_score_chart(scores, "en", "question", "Question", "Average score "
                                                             "(points)", "answers")), "x") == {"Question"}
    bands = pd.DataFrame({"band": [85.0, 90.0], "year": [2021, 2021], "responses": [4, 20]})
    assert titles(assert_readable(charts.distribution_chart(bands, "zh", 5)), "x") == {"总体满意度区间 (0–100 分)"}
    sat = pd.DataFrame({"year": [2020, 2021], "value": [93.0, 95.0], "numerator": [None, None], "denominator": [40, 45]})
    assert titles(assert_readable(charts.yearly_value_chart(sat, "zh", "满意度得分 (0–100)", "答卷数", 85)), "y") == {
        "满意度得分 (0–100)"}


def test_control_chart_points_are_the_charts_points_in_percent():
    points = derive.control_chart_points(spc_chart())
    assert points["centre"].tolist() == pytest.approx([10.0] * 4)
    # n = 400: σ = √(0.09/400) = 0.015 → UCL 14.5 %, LCL 5.5 %; n = 100: σ = 0.03 → 19 %, 1 %
    assert points["ucl"].tolist() == pytest.approx([19.0, 19.0, 19.0, 14.5])
    assert points["lcl"].tolist() == pytest.approx([1.0, 1.0, 1.0, 5.5])
    assert points["p"].tolist() == pytest.approx([10.0, 10.0, 10.0, 15.0])
    assert points["signal"].tolist() == [False, False, False, True]
    assert points["rules"].tolist()[-1] == "beyond_3sigma" and points["numbers"].tolist()[-1] == "1"
    assert derive.control_chart_points(spc_chart("u"))["p"].tolist() == pytest.approx([0.1, 0.1, 0.1, 0.15])
    assert derive.control_chart_points(None).empty


def test_suggested_grade_follows_the_thresholds():
    (a, a_rate, a_ppm), (b, b_rate, b_ppm) = rules.GRADE_THRESHOLDS
    assert derive.suggested_grade(a_rate, a_ppm, 100) == "A"
    assert derive.suggested_grade(a_rate, a_ppm + 1, 100) == "B"
    assert derive.suggested_grade(b_rate - 0.1, 0, 100) == rules.GRADE_OTHERWISE
    assert derive.suggested_grade(99.0, 0, rules.GRADE_MIN_LOTS - 1) is None
    assert derive.suggested_grade(None, None, 100) is None


def test_audit_status_by_risk_class():
    day = dt.date(2026, 6, 1)
    audits = pd.DataFrame({
        "supplier": ["A1", "A2", "B1", "C1", "C2"], "name": list("vwxyz"), "risk_class": ["A", "A", "B", "C", "C"],
        "last_on_site": [dt.date(2025, 5, 1), dt.date(2025, 12, 1), None, None, None],
        "last_document": [dt.date(2026, 1, 1), None, dt.date(2025, 7, 1), dt.date(2024, 1, 1), None],
    })
    status = derive.audit_status(audits, day).set_index("supplier")
    assert status.loc["A1", "audit_status"] == "overdue"        # a document audit does not count for class A
    assert status.loc["A1", "next_due"] == dt.date(2026, 5, 1)
    assert status.loc["A2", "audit_status"] == "ok"
    assert status.loc["B1", "audit_status"] == "due"            # due 2026-07-01, within the 60 days
    assert status.loc["C1", "audit_status"] == "ok" and status.loc["C1", "next_due"] == dt.date(2027, 1, 1)
    assert status.loc["C2", "audit_status"] == "never"
    assert list(status.index[:2]) == ["C2", "A1"]               # never audited, then overdue, first


def test_complaint_summary_puts_open_ones_first_oldest_first():
    now = dt.datetime(2026, 11, 24, 12)
    register = pd.DataFrame({
        "id": ["c1", "c2", "c3"], "in_period": [True, True, False], "region": ["abroad", None, "in_province"],
        "received_at": pd.to_datetime(["2026-01-01", "2026-11-20", "2026-10-01"]),
        "closed_at": pd.to_datetime(["2026-01-05", None, None])})
    milestones = pd.DataFrame({"complaint_id": ["c1", "c1", "c2", "c3"], "milestone": ["a", "b", "a", "a"],
                               "label": ["A", "B", "A", "A"], "status": ["met", "missed", "pending", "met"]})
    summary = derive.complaint_summary(register, milestones, now)
    assert list(summary["id"]) == ["c3", "c2", "c1"] and list(summary["clock"]) == ["met", "pending", "missed"]
    assert summary.loc[2, "age_days"] == 4
    regions = derive.region_counts(summary)
    assert set(zip(regions["market"], regions["region"])) == {("foreign", "abroad"), ("domestic", "unknown"),
                                                            ("domestic", "in_province")}


def test_downloads_round_trip_csv_with_bom_and_xlsx():
    frame = pd.DataFrame({"产品族": ["显微镜", None], "批合格率 (%)": [96.5, float("nan")],
                          "日期": [dt.date(2021, 3, 1), None], "时间": pd.to_datetime(["2021-03-01 08:30", None]),
                          "未结案": [True, False], "批数": [1750, 3]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf") and pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").shape == (2, 6)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    rows = list(sheet.values)
    assert rows[0] == tuple(frame.columns)
    assert rows[1][:2] == ("显微镜", 96.5) and rows[1][3] == dt.datetime(2021, 3, 1, 8, 30) and rows[1][5] == 1750
    assert rows[2][:4] == (None, None, None, None) and rows[2][4] is False


def test_catalogue_has_both_languages_and_codes_fall_back():
    assert all(zh and en for zh, en in i18n.TEXTS.values())
    assert i18n.enum_label("clock_status", "missed", "zh") == "✗ 超时"
    assert i18n.enum_label("open", True, "en") == "● open"
    assert i18n.enum_label("family", None, "zh") == "—"
    assert i18n.enum_label("family", "lens", "zh") == "lens"
    assert i18n.month_label(3, "en") == "Mar" and i18n.month_label(3, "zh") == "3月"


def test_every_catalogue_key_the_app_names_exists():
    keys = set()
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    assert keys and keys <= set(i18n.TEXTS), keys - set(i18n.TEXTS)


def test_pages_hold_no_sql():  # that no page imports Great Expectations: tests/test_validation_warm_up.py
    for path in (APP_DIR / "views").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "SELECT" not in text and "duckdb" not in text and "read_connection" not in text, path


def test_timestamps_of_whole_days_become_dates_and_others_keep_their_time():
    from app.ui import with_days

    frame = pd.DataFrame({
        "due": pd.to_datetime(["2026-09-01", None, "2026-10-08"]),                 # a DuckDB DATE as pandas reads it
        "received": pd.to_datetime(["2026-09-01 09:30", "2026-09-02 00:00", None]),     # a real time of day
        "n": [1, 2, 3]})
    out = with_days(frame)
    assert list(out["due"]) == [dt.date(2026, 9, 1), None, dt.date(2026, 10, 8)]
    assert out["received"].equals(frame["received"]) and out["n"].equals(frame["n"])
    assert csv_bytes(out[["due"]]).decode("utf-8-sig").splitlines()[1] == "2026-09-01"
