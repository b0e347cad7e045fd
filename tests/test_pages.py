"""Every dashboard page under AppTest on the demo warehouse (2021, the report's year): the figures and elements
each page must show, downloads beside every table, and English labels throughout after the switch."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app import derive
from tests.conftest import log_in, query
from tests.test_app import APP, PAGES, card, texts

CJK = re.compile(r"[\u4e00-\u9fff]")
PAGE_DEFAULTS = {"inspection_step": "incoming", "inspection_dimension": "family", "inspection_filter_family_incoming": None,
                 "inspection_filter_item_incoming": None, "inspection_filter_supplier_incoming": None, "complaint_id": None}


@pytest.fixture(scope="module")
def demo_app(demo_warehouse):
    """One AppTest session on the demo warehouse, logged in as admin, period = the whole of 2021 (pages switch)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUALITY_WAREHOUSE", str(demo_warehouse))
        mp.delenv("QUALITY_FOREIGN_REPLY_HOURS", raising=False)
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        log_in(at)
        at.segmented_control(key="pick_period_kind").set_value("year").run()
        at.selectbox(key="pick_year").set_value(2021).run()
        yield at


def open_page(at: AppTest, page: str, lang: str = "zh") -> AppTest:
    """Switch the session to the page (and language), its own widgets at their defaults, and run it."""
    if at.sidebar.radio(key="lang").value != lang:
        at.sidebar.radio(key="lang").set_value(lang)
    at.switch_page(f"views/{page}.py").run()
    for _ in range(3):
        stale = [w for w in [*at.main.radio, *at.main.selectbox]
                 if w.key in PAGE_DEFAULTS and w.value != PAGE_DEFAULTS[w.key]]
        if not stale:
            break
        for widget in stale:
            widget.set_value(PAGE_DEFAULTS[widget.key])
        at.run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str):
    """The first table that has the column."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with {column!r}"
    return found[0]


def charts(at: AppTest) -> list:
    """The Vega-Lite charts on the page."""
    return at.get("vega_lite_chart")


@pytest.mark.parametrize("page", PAGES)
def test_every_table_has_csv_and_xlsx_downloads_and_the_demo_mark(demo_app, page):
    at = open_page(demo_app, page)
    assert at.dataframe or page == "overview"
    labels = [b.label for b in at.download_button]
    assert labels.count("下载 CSV") == labels.count("下载 Excel") == len(at.dataframe)
    assert any("演示数据 demo data" in m for m in texts(at))


def test_inspections_rates_p_chart_pareto_drilldown_and_failed_lots(demo_app, demo_warehouse):
    at = open_page(demo_app, "inspections")
    assert card(at, "原料进厂检验合格率").value == "96.0%"              # the report's Table 8
    assert [s.value for s in at.subheader] == ["按月合格率（与上年对比）", "按年合格率",
                                               "p 控制图 · 进厂检验 IQC（月不合格批率）",
                                               "u 控制图 · 进厂检验 IQC（每抽样单位缺陷数）",
                                               "按产品族、物料、供应商细分", "缺陷柏拉图", "不合格批次及处置"]
    monthly = table_with(at, "月份")
    assert sorted(set(monthly["年度"])) == [2020, 2021] and len(monthly) == 24
    assert ("95% 置信下限 (%)" in monthly.columns) == bool((monthly["检验批数"] < 100).any())   # bounds for few lots only
    yearly = table_with(at, "上年批合格率 (%)").set_index("年度")
    lots, passed = int(yearly.loc[2021, "检验批数"]), int(yearly.loc[2021, "合格批数"])
    assert round(yearly.loc[2021, "批合格率 (%)"], 1) == 96.0 and round(yearly.loc[2021, "上年批合格率 (%)"], 1) == 96.0
    assert lots == monthly[monthly["年度"] == 2021]["检验批数"].sum()
    assert any(f"{passed:,}/{lots:,}" in m for m in texts(at))          # the card shows its denominator
    assert len(charts(at)) == 5                       # by month, by year, p-chart, u-chart, Pareto
    p_spec = json.dumps(json.loads(charts(at)[2].proto.spec), ensure_ascii=False)
    assert "UCL" in p_spec and "p̄" in p_spec and "判异规则" in p_spec
    # the baseline slider opens on the chosen year; each chart names its baseline and centre line (p̄ of IQC 2021:
    # failed lots / lots of the year)
    assert at.select_slider(key="spc_baseline_2021").value == ("2021-01", "2021-12")
    iqc = query(demo_warehouse, "SELECT count(*) FILTER (WHERE result = 'fail'), count(*) FROM inspection "
                                "WHERE stage = 'IQC' AND year(inspected_on) = 2021")[0]
    assert f"基准期 2021-01 至 2021-12\u3000中心线 {100 * iqc[0] / iqc[1]:.2f}%" in [c.value for c in at.caption]
    assert [m.value for m in at.markdown].count("###### 判异月份") == 2
    pareto = table_with(at, "累计占比 (%)")
    assert list(pareto["不良数"]) == sorted(pareto["不良数"], reverse=True)
    assert round(pareto.iloc[-1]["累计占比 (%)"]) == 100
    families = table_with(at, "产品族")
    assert families["检验批数"].sum() == lots and families.iloc[0]["产品族"] == "原材料"
    failed = table_with(at, "处置")
    assert len(failed) == lots - passed and set(failed["处置"]) <= {"退货", "返工", "让步接收", "报废", "接收", "未记录"}
    summary = next(m for m in texts(at) if m.startswith("**"))
    assert sum(int(n.replace(",", "")) for n in re.findall(r"\*\* ([\d,]+)", summary)) == lots - passed


def test_inspections_drill_down_filters_the_failed_lots(demo_app):
    at = open_page(demo_app, "inspections")
    at.radio(key="inspection_dimension").set_value("supplier").run()
    suppliers = table_with(at, "供应商")
    assert len(suppliers) == 9 and suppliers["名称"].notna().all()
    worst = suppliers.sort_values("批合格率 (%)").iloc[0]
    at.selectbox(key="inspection_filter_supplier_incoming").set_value(worst["供应商"]).run()
    failed = table_with(at, "处置")
    assert set(failed["供应商"]) == {worst["供应商"]} and len(failed) == worst["检验批数"] - worst["合格批数"]
    at.selectbox(key="inspection_filter_supplier_incoming").set_value(None)
    at.radio(key="inspection_dimension").set_value("family")
    at.radio(key="inspection_step").set_value("final").run()
    assert card(at, "成品出厂检验合格率").value == "98.0%"
    assert "供应商" not in [s.label for s in at.selectbox]          # final inspection has no supplier


def test_complaints_clock_open_first_regions_and_the_foreign_rule(demo_app):
    at = open_page(demo_app, "complaints")
    assert card(at, "客诉受理数").value == "3" and card(at, "客诉及时受理率").value == "100.0%"
    rule = " ".join(i.value for i in at.info)
    assert "国外客户 48 小时明确答复（报告第六章）" in rule and "当前 48 小时" in rule and "管理员" in rule
    assert "QUALITY_" not in rule                                     # the setting in words, not its name
    register = table_with(at, "时长 (天)")
    states = list(register["状态"])
    assert states == sorted(states, key=lambda s: s != "● 未结案")
    assert (register["受理时间"].dt.year == 2021).sum() == 3
    opened = register[register["状态"] == "● 未结案"]
    assert list(opened["时长 (天)"]) == sorted(opened["时长 (天)"], reverse=True)
    timeliness = table_with(at, "按时占比 (%)")
    assert list(timeliness["节点"])[:2] == ["首次回应", "明确答复"] and set(timeliness["✗ 超时"]) == {0}
    regions = table_with(at, "市场")
    assert set(regions["市场"]) <= {"国内", "国外"} and regions["客诉数"].sum() == 3
    clock = table_with(at, "所用规则")
    assert "✓ 按时" in set(clock["时钟判定"]) and set(clock["客诉编号"]) == set(register["编号"])
    assert len(charts(at)) == 3


def test_complaints_page_names_the_72_hour_rule_when_set(demo_app, monkeypatch):
    monkeypatch.setenv("QUALITY_FOREIGN_REPLY_HOURS", "72")
    at = open_page(demo_app, "complaints")
    rule = " ".join(i.value for i in at.info)
    assert "国外客户 72 小时明确答复（报告第四章（三））" in rule and "当前 72 小时" in rule


def test_suppliers_table_7_scorecard_audits_and_suggested_grade(demo_app, demo_warehouse):
    at = open_page(demo_app, "suppliers")
    table7 = table_with(at, "A 类占比 (%)")
    rows = table7[table7["年度"].isin([2019, 2020, 2021])]
    assert rows[["A 类", "B 类", "C 类", "合计"]].values.tolist() == [[5, 3, 1, 9]] * 3
    assert [round(x, 1) for x in rows["A 类占比 (%)"]] == [55.6] * 3          # from the counts, not the printed 65 %
    assert list(rows["满意度 (0–100)"]) == [96, 97, 98]
    scorecard = table_with(at, "建议等级")
    assert len(scorecard) == 9 and (scorecard["评定等级"] == "A").sum() == 5
    for _, r in scorecard.iterrows():
        expected = derive.suggested_grade(r["批合格率 (%)"], r["不良率 (PPM)"], r["检验批数"]) or "—"
        assert r["建议等级"] == expected
    assert set(scorecard["对比"]) <= {"✓ 一致", "▲ 数据优于评定", "▼ 数据差于评定", "– 数据不足"}
    audits = table_with(at, "所需审核")
    assert len(audits) == 9 and set(audits["审核状态"]) <= {"✓ 正常", "… 即将到期", "✗ 已逾期", "✗ 无审核记录"}
    a_class = audits[audits["物料风险类别"] == "A"]
    assert set(a_class["所需审核"]) == {"现场审核"} and set(a_class["周期 (月)"]) == {12}
    assert any("97%" in c.value and "2,500 PPM" in c.value for c in at.caption)
    assert len(charts(at)) == 4                       # grade mix, two trends, the chosen supplier's p-chart
    # the p-chart opens on the supplier with the most lots of the year; its centre line is its own 2021 share failed
    chosen = at.selectbox(key="spc_supplier_2021").value
    assert chosen == scorecard.sort_values(["检验批数", "供应商"], ascending=[False, True]).iloc[0]["供应商"]
    failed, lots = query(demo_warehouse, "SELECT count(*) FILTER (WHERE result = 'fail'), count(*) FROM inspection "
                                         "WHERE stage = 'IQC' AND supplier = ? AND year(inspected_on) = 2021",
                         [chosen])[0]
    assert f"基准期 2021-01 至 2021-12\u3000中心线 {100 * failed / lots:.2f}%" in [c.value for c in at.caption]
    # a baseline of its own: the supplier's 2020 lots draw the limits
    at.select_slider(key="spc_supplier_baseline_2021").set_value(("2020-01", "2020-12")).run()
    failed, lots = query(demo_warehouse, "SELECT count(*) FILTER (WHERE result = 'fail'), count(*) FROM inspection "
                                         "WHERE stage = 'IQC' AND supplier = ? AND year(inspected_on) = 2020",
                         [chosen])[0]
    assert f"基准期 2020-01 至 2020-12\u3000中心线 {100 * failed / lots:.2f}%" in [c.value for c in at.caption]
    at.select_slider(key="spc_supplier_baseline_2021").set_value(("2021-01", "2021-12")).run()
    assert "供应商 p 控制图（进厂检验月不合格批率）" in [s.value for s in at.subheader]
    assert {d.proto.placeholder for d in at.dataframe} == {"—"}          # a missing value reads "—", not "None"


def test_market_share_by_year_with_yoy(demo_app):
    at = open_page(demo_app, "market")
    assert card(at, "国内市场占有率").value == "4.0%" and card(at, "省内市场占有率").value == "5.0%"
    table = table_with(at, "国内占有率 (%)").set_index("年度")
    assert [round(table.loc[y, "国内占有率 (%)"], 2) for y in (2019, 2020, 2021)] == [2.0, 3.0, 4.0]
    assert [round(table.loc[y, "省内占有率 (%)"], 2) for y in (2019, 2020, 2021)] == [4.0, 4.5, 5.0]
    assert round(table.loc[2021, "国内同比 (百分点)"], 2) == 1.0 and round(table.loc[2021, "省内同比 (百分点)"], 2) == 0.5
    assert 2022 not in table.index and len(charts(at)) == 1


def test_satisfaction_per_year_question_segment_and_distribution(demo_app):
    at = open_page(demo_app, "satisfaction")
    assert card(at, "顾客满意度").value == "95.0 分"
    yearly = table_with(at, "答卷数").set_index("年度")
    assert [yearly.loc[y, "得分"] for y in (2019, 2020, 2021)] == [92.0, 93.0, 95.0]
    assert yearly.loc[2021, "同比变化"] == 2.0
    responses = int(yearly.loc[2021, "答卷数"])
    assert any(f"n = {responses:,}" in m for m in texts(at))
    questions = table_with(at, "问题")
    assert len(questions) >= 1 and (questions["回答数"] <= responses).all()
    segments = table_with(at, "客户类别")
    assert set(segments["客户类别"]) <= {"战略客户", "重要客户", "一般客户", "潜在客户", "未分类"}
    assert segments["答卷数"].sum() == responses
    assert len(charts(at)) == 4


def test_improvement_capa_calibration_and_incidents_against_zero(demo_app):
    at = open_page(demo_app, "improvement")
    assert card(at, "纠正措施按期完成率").value == "100.0%"
    for label in ("重大环境事故", "死亡事故", "重伤事故", "轻伤事故"):
        assert card(at, label).value == "0"
    assert sum("✓ 达标" in m and "≤ 0" in m for m in texts(at)) == 4
    assert [s.value for s in at.subheader] == ["纠正预防措施", "未完成的措施及其时长", "计量器具校准", "环境与安全事故（目标为 0）"]
    actions = table_with(at, "逾期天数")
    assert list(actions["逾期天数"]) == sorted(actions["逾期天数"], reverse=True)
    assert len(charts(at)) == 1


def test_data_quality_runs_files_checks_and_quarantine(demo_app):
    at = open_page(demo_app, "data_quality")
    runs = table_with(at, "命令")
    assert list(runs["命令"]) == ["演示数据"] and list(runs["状态"]) == ["✓ 成功"]
    files = table_with(at, "内容哈希")
    assert len(files) == runs.iloc[0]["文件数"] and set(files["状态"]) == {"✓ 已加载"}
    suites = table_with(at, "校验套件")
    assert "检验记录" in set(suites["校验套件"]) and suites["校验项"].sum() == runs.iloc[0]["校验项"]
    assert any("没有被隔离的数据行" in s.value for s in at.success)


@pytest.mark.parametrize("page", PAGES)
def test_in_english_every_heading_label_and_column_is_english(demo_app, page):
    at = open_page(demo_app, page, "en")
    words = ([e.value for kind in ("title", "subheader", "caption", "info") for e in getattr(at, kind)]
             + [m.label for m in at.metric] + [b.label for b in at.download_button]
             + [str(c) for d in at.dataframe for c in d.value.columns]
             + [w.label for w in [*at.radio, *at.selectbox, *at.sidebar.radio, *at.sidebar.selectbox]])
    allowed = ("语言", "演示数据", "三包")           # the language switch, the demo mark, the registry's own term
    chinese = [w for w in words if CJK.search(w) and not any(a in w for a in allowed)]
    assert not chinese, chinese
    open_page(demo_app, page, "zh")


def test_yearly_pages_show_the_latest_year_before_the_chosen_one_and_say_so(demo_app, demo_warehouse):
    try:                                          # the demo's surveys and market end with 2025
        at = open_page(demo_app, "satisfaction")  # a page with the year control, whichever page came before
        at.selectbox(key="pick_year").set_value(2026).run()
        assert "2026 年尚无顾客满意度调查，以下为最近一年 2025 年的数据。" in [i.value for i in at.info]
        [(score,)] = query(demo_warehouse, "SELECT avg(overall_score) FROM survey_response WHERE survey_year = 2025")
        assert card(at, "顾客满意度").value == f"{score:.1f} 分"
        at = open_page(demo_app, "market")
        assert "2026 年尚无市场数据，以下为最近一年 2025 年的数据。" in [i.value for i in at.info]
        [(sales, size)] = query(demo_warehouse, "SELECT company_sales, market_size FROM market_share "
                                                "WHERE year = 2025 AND scope = 'national'")
        assert card(at, "国内市场占有率").value == f"{100 * sales / size:.1f}%"
    finally:                                      # the session's own year, whichever page the session is on
        demo_app.session_state["year"] = 2021
        demo_app.run()
