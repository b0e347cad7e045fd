"""Cost of quality (质量成本, GB/T 13339): the quality-cost ledger and monthly sales loaded as ledgers export them,
the suite's refusals, the registry's six KPIs with the year before, and the rows behind each figure. Every
expected figure is worked out by hand from the fixtures below."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from etl.cli import main
from etl.load import load_paths
from tests.conftest import file_digest, query, write_csv
from warehouse.db import read_connection
from warehouse.kpis import Period, kpi_values, rows_behind
from warehouse.settings import load_settings

CODES = ["quality_cost_total", "prevention_cost_share", "appraisal_cost_share", "internal_failure_cost_share",
         "external_failure_cost_share", "quality_cost_rate"]
TODAY = dt.date(2021, 6, 30)

# 用友 U8-style ledger of March 2021, GBK, amounts with thousands separators, one correction (红字), a totals row.
U8_HEADER = ["日期", "凭证号", "成本科目", "类别", "金额（元）", "部门", "产品", "说明"]
U8_MARCH = [
    ["2021-03-05", "记-0031", "质量培训费", "预防成本", "3,000.00", "质量部", "", "内审员培训"],
    ["2021-03-05", "记-0031", "供应商质量审核差旅费", "预防成本", "1,500.00", "采购部", "", "GYS-004 现场审核"],
    ["2021-03-12", "记-0042", "来料检验费", "鉴定成本", "4,500.00", "质量部", "", ""],
    ["2021-03-18", "记-0050", "返工返修损失", "内部损失成本", "6,234.50", "装配车间", "XSJ-107", "物镜返工"],
    ["2021-03-25", "记-0057", "三包维修费", "外部损失成本", "2,800.00", "售后服务部", "WYJ-850", ""],
    ["2021-03-29", "记-0061", "三包维修费", "外部损失成本", "-800.00", "售后服务部", "WYJ-850", "红字冲销 记-0057 多计维修费"],
]
MARCH_2021 = {"prevention": 3000 + 1500, "appraisal": 4500, "internal_failure": 6234.5, "external_failure": 2800 - 800}
# XLSX of April 2021 with a title row, short category names, no voucher; one entry written twice (two entries).
APRIL_TITLE = "2021年4月质量成本明细表"
APRIL_HEADER = ["日期", "成本科目", "类别", "金额", "部门", "说明"]
APRIL = [
    [dt.date(2021, 4, 8), "质量培训费", "预防", 2000.0, "质量部", "SPC 培训"],
    [dt.date(2021, 4, 15), "计量器具校准费", "鉴定", 1200.0, "质量部", ""],
    [dt.date(2021, 4, 20), "报废损失", "内部损失", 3000.0, "装配车间", "镜筒报废"],
    [dt.date(2021, 4, 20), "报废损失", "内部损失", 3000.0, "装配车间", "镜筒报废"],
    [dt.date(2021, 4, 28), "退货运费", "外部损失", 500.0, "销售部", ""],
]
# English headers, March 2020: the year before.
EN_HEADER = ["Date", "Cost item", "Category", "Amount", "Department", "Product", "Description"]
MARCH_2020 = [
    ["2020-03-10", "Quality training", "Prevention", "1000", "QA", "", ""],
    ["2020-03-11", "Incoming inspection", "Appraisal", "3000", "QA", "", ""],
    ["2020-03-20", "Rework", "Internal failure", "8000", "Assembly", "XSJ-107", ""],
    ["2020-03-28", "Warranty repair", "External failure", "4000", "Service", "WYJ-850", ""],
]
SALES_HEADER = ["月份", "销售额（元）"]
SALES = [["2020-03", "800,000"], ["2021年3月", "1,000,000"], ["2021/4", "1,100,000.00"]]


def write_xlsx(path: Path, header: list[str], rows: list[list], title: str | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("质量成本")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})
    r = 0
    if title:
        sheet.merge_range(0, 0, 0, len(header) - 1, title)
        r = 1
    sheet.write_row(r, 0, header)
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, float):
                sheet.write_number(r, c, value, money)
            else:
                sheet.write(r, c, value)
    book.close()
    return path


def u8_march(folder: Path, rows=U8_MARCH, name: str = "质量成本明细账_2021-03.csv") -> Path:
    total = sum(float(r[4].replace(",", "")) for r in rows)
    return write_csv(folder / name, U8_HEADER, rows + [["合计", "", "", "", f"{total:,.2f}", "", "", ""]],
                     encoding="gbk", title="质量成本明细账")


@pytest.fixture
def ledgers(tmp_path) -> list[Path]:
    folder = tmp_path / "exports"
    folder.mkdir()
    return [u8_march(folder),
            write_xlsx(folder / "质量成本_2021-04.xlsx", APRIL_HEADER, APRIL, APRIL_TITLE),
            write_csv(folder / "quality_cost_2020-03.csv", EN_HEADER, MARCH_2020),
            write_csv(folder / "销售月报.csv", SALES_HEADER, SALES, encoding="gbk")]


@pytest.fixture
def loaded(ledgers, warehouse) -> Path:
    assert main(["load", *map(str, ledgers), "--warehouse", str(warehouse)]) == 0
    return warehouse


def values(warehouse: Path, period: Period, today: dt.date = TODAY) -> dict:
    with read_connection(warehouse) as con:
        return {v.kpi: v for v in kpi_values(con, period, load_settings(warehouse=warehouse), today=today,
                                             codes=CODES)}


def test_each_export_shape_loads_every_entry_with_its_category_and_amount(loaded):
    rows = query(loaded, "SELECT booked_on, category, amount, correction, voucher FROM quality_cost ORDER BY ALL")
    assert len(rows) == len(U8_MARCH) + len(APRIL) + len(MARCH_2020)      # the 合计 row is not an entry
    by_month = {}
    for day, category, amount, _, _ in rows:
        by_month.setdefault((day.year, day.month), {}).setdefault(category, 0)
        by_month[(day.year, day.month)][category] += amount
    assert by_month[(2021, 3)] == MARCH_2021
    assert by_month[(2021, 4)] == {"prevention": 2000, "appraisal": 1200, "internal_failure": 6000,
                                   "external_failure": 500}
    assert by_month[(2020, 3)] == {"prevention": 1000, "appraisal": 3000, "internal_failure": 8000,
                                   "external_failure": 4000}
    assert [r[2] for r in rows if r[3]] == [-800.0]                       # the 红字 entry is the one correction
    assert query(loaded, "SELECT entry_id FROM quality_cost WHERE voucher = '记-0031' ORDER BY 1") == [
        ("2021-03 记-0031/1",), ("2021-03 记-0031/2",)]                   # one voucher, two lines
    assert query(loaded, "SELECT month, amount FROM sales ORDER BY 1") == [
        (dt.date(2020, 3, 1), 800000.0), (dt.date(2021, 3, 1), 1000000.0), (dt.date(2021, 4, 1), 1100000.0)]


def test_the_kpis_of_a_month_against_the_same_month_a_year_earlier(loaded):
    v = values(loaded, Period(2021, 3))
    total = 4500 + 4500 + 6234.5 + 2000
    assert v["quality_cost_total"].value == pytest.approx(total) and total == 17234.5
    assert v["quality_cost_total"].prior_value == pytest.approx(16000)
    assert v["quality_cost_total"].delta == pytest.approx(1234.5)
    assert v["prevention_cost_share"].value == pytest.approx(4500 / 17234.5 * 100)
    assert v["prevention_cost_share"].prior_value == pytest.approx(6.25)           # 1000 of 16000
    assert v["appraisal_cost_share"].value == pytest.approx(4500 / 17234.5 * 100)
    assert v["internal_failure_cost_share"].value == pytest.approx(6234.5 / 17234.5 * 100)
    assert v["internal_failure_cost_share"].prior_value == pytest.approx(50.0)     # 8000 of 16000
    assert v["external_failure_cost_share"].value == pytest.approx(2000 / 17234.5 * 100)
    assert sum(v[c].value for c in CODES[1:5]) == pytest.approx(100)
    assert v["quality_cost_rate"].value == pytest.approx(1.72345)                  # 17234.5 / 1,000,000
    assert v["quality_cost_rate"].prior_value == pytest.approx(2.0)                # 16000 / 800,000
    assert v["quality_cost_rate"].delta == pytest.approx(1.72345 - 2.0)
    assert (v["quality_cost_rate"].numerator, v["quality_cost_rate"].denominator) == (17234.5, 1000000)
    assert all(v[c].status == "no_target" for c in CODES)


def test_year_to_date_and_a_running_month(loaded):
    ytd = values(loaded, Period(2021, 4, ytd=True))
    assert ytd["quality_cost_total"].value == pytest.approx(17234.5 + 9700)
    assert ytd["quality_cost_rate"].value == pytest.approx((17234.5 + 9700) / 2_100_000 * 100)
    assert ytd["external_failure_cost_share"].value == pytest.approx((2000 + 500) / (17234.5 + 9700) * 100)
    assert ytd["quality_cost_total"].prior_value == pytest.approx(16000)
    # as of 20 April: April's entries up to that day count, and April, still running, is left out of the rate
    running = values(loaded, Period(2021, 4, ytd=True), today=dt.date(2021, 4, 20))
    assert running["quality_cost_total"].partial
    assert running["quality_cost_total"].value == pytest.approx(17234.5 + 2000 + 1200 + 3000 + 3000)
    assert running["quality_cost_rate"].value == pytest.approx(1.72345)
    assert running["quality_cost_rate"].prior_value == pytest.approx(2.0)
    april = values(loaded, Period(2021, 4), today=dt.date(2021, 4, 20))
    assert april["quality_cost_rate"].value is None                       # no whole month with sales yet
    assert april["quality_cost_total"].value == pytest.approx(9200)
    assert april["quality_cost_total"].prior_value == 0                   # the ledger is loaded: none booked then
    empty = values(loaded, Period(2019))
    assert empty["prevention_cost_share"].value is None and empty["quality_cost_rate"].value is None


@pytest.mark.parametrize("period", [Period(2021, 3), Period(2021, 4, ytd=True), Period(2021), Period(2020)], ids=str)
def test_the_rows_behind_each_figure_add_up_to_it(loaded, period):
    settings = load_settings(warehouse=loaded)
    v = values(loaded, period)
    with read_connection(loaded) as con:
        for code in CODES:
            rows = rows_behind(con, code, period, settings, today=TODAY)
            numerator = sum(r["numerator"] or 0 for r in rows)
            denominator = sum(r["denominator"] or 0 for r in rows)
            assert all(r["file"] and r["row"] and r["run"] for r in rows), code
            if code == "quality_cost_total":
                assert numerator == pytest.approx(v[code].value), code
            else:
                assert (numerator, denominator) == (pytest.approx(v[code].numerator or 0),
                                                    pytest.approx(v[code].denominator or 0)), code
        march = rows_behind(con, "quality_cost_rate", Period(2021, 3), settings, today=TODAY)
    assert sorted((r["file"], r["row"]) for r in march if r["denominator"]) == [("销售月报.csv", 3)]
    # the GBK ledger's title is line 1 and its header line 2, so its first entry is line 3
    assert min(r["row"] for r in march if r["file"] == "质量成本明细账_2021-03.csv") == 3


def test_loading_again_never_doubles_and_a_file_never_deletes_what_it_does_not_hold(loaded, tmp_path):
    before = query(loaded, "SELECT entry_id, amount FROM quality_cost ORDER BY 1")
    again = tmp_path / "again"
    again.mkdir()
    # a re-export of March with one more entry and another description for the first: keys by voucher and line
    more = [U8_MARCH[0][:7] + ["内审员培训（补充发票）"], *U8_MARCH[1:],
            ["2021-03-31", "记-0066", "质量奖励", "预防成本", "600.00", "质量部", "", ""]]
    # a re-export of April without its last entry and with its rows in another order: keys by content
    april = [APRIL[3], APRIL[0], APRIL[2], APRIL[1]]
    paths = [u8_march(again, more, "质量成本明细账_2021-03_v2.csv"),
             write_xlsx(again / "质量成本_2021-04_v2.xlsx", APRIL_HEADER, april, APRIL_TITLE)]
    summary = load_paths(paths, load_settings(warehouse=loaded), today=TODAY)
    assert summary.exit_code == 0
    counts = {f.name: (f.inserted, f.updated, f.same, f.deleted) for f in summary.files}
    assert counts == {"质量成本明细账_2021-03_v2.csv": (1, 1, 5, 0), "质量成本_2021-04_v2.xlsx": (0, 0, 4, 0)}
    after = query(loaded, "SELECT entry_id, amount FROM quality_cost ORDER BY 1")
    assert len(after) == len(before) + 1 and set(before) < set(after)     # April's last entry is still there
    assert values(loaded, Period(2021, 3))["quality_cost_total"].value == pytest.approx(17234.5 + 600)


def test_a_complete_export_replaces_the_entries_of_its_dates(loaded, tmp_path):
    path = write_xlsx(tmp_path / "质量成本_2021-04_全月.xlsx", APRIL_HEADER, APRIL[:4], APRIL_TITLE)
    summary = load_paths([path], load_settings(warehouse=loaded), today=TODAY, replace=True)
    # its dates run 8–20 April: the entry of 28 April lies outside them and stays
    assert [(f.inserted, f.same, f.deleted) for f in summary.files] == [(0, 4, 0)]
    path = write_xlsx(tmp_path / "质量成本_2021-04_修订.xlsx", APRIL_HEADER, [APRIL[0], APRIL[4]], APRIL_TITLE)
    summary = load_paths([path], load_settings(warehouse=loaded), today=TODAY, replace=True)
    assert [(f.inserted, f.same, f.deleted) for f in summary.files] == [(0, 2, 3)]
    assert values(loaded, Period(2021, 4))["quality_cost_total"].value == pytest.approx(2000 + 500)


REFUSED = [
    # (row as the file writes it, what is wrong, the header named, the words of the reason)
    (["2021-05-06", "记-0070", "返工返修损失", "内部损失成本", "-1,200.00", "装配车间", "", "返工"], 2, "金额（元）", "为负数"),
    (["2021-05-07", "记-0071", "培训费", "管理成本", "500.00", "质量部", "", ""], 3, "类别", "不是允许的取值"),
    (["2021-07-01", "记-0072", "检验费", "鉴定成本", "500.00", "质量部", "", ""], 4, "日期", "晚于今天"),
]


def test_a_ledger_with_bad_entries_is_refused_naming_file_row_and_column_and_the_warehouse_stays(loaded, tmp_path,
                                                                                                 capsys):
    good = [["2021-05-10", "记-0080", "质量培训费", "预防成本", "800.00", "质量部", "", ""]]
    path = write_csv(tmp_path / "质量成本明细账_2021-05.csv", U8_HEADER, [r for r, *_ in REFUSED] + good,
                     encoding="gbk")
    digest = file_digest(loaded)
    assert main(["load", str(path), "--warehouse", str(loaded)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "质量成本明细账_2021-05.csv" in text
    assert file_digest(loaded) == digest                                   # byte for byte as it was
    summary = load_paths([path], load_settings(warehouse=loaded), today=TODAY)
    [outcome] = summary.files
    assert outcome.status == "refused"
    for _, row, header, words in REFUSED:        # the header is line 1, so the n-th entry stands on line n + 1
        assert f"第 {row} 行“{header}”" in outcome.reason_zh and words in outcome.reason_zh, outcome.reason_zh
        assert f"row {row}, column {header}" in outcome.reason_en
    assert file_digest(loaded) == digest


def test_one_bad_entry_among_many_is_quarantined_and_a_correction_may_be_negative(loaded, tmp_path):
    rows = [["2021-05-%02d" % d, f"记-01{d:02d}", "来料检验费", "鉴定成本", "1,000.00", "质量部", "", ""]
            for d in range(1, 10)]
    rows.append(["2021-05-20", "记-0120", "退货损失", "外部损失成本", "-300.00", "销售部", "", "退货"])  # not a correction
    rows.append(["2021-05-21", "记-0121", "退货损失", "外部损失成本", "-300.00", "销售部", "", "【更正】4月退货损失"])
    path = write_csv(tmp_path / "质量成本明细账_2021-05.csv", U8_HEADER, rows, encoding="gbk")
    summary = load_paths([path], load_settings(warehouse=loaded), today=TODAY)
    [outcome] = summary.files
    assert (outcome.status, outcome.loaded, outcome.quarantined) == ("loaded", 10, 1)
    [(row, column, reason)] = query(loaded, "SELECT source_row, column_name, reason_zh FROM quarantine "
                                            "WHERE file_name = '质量成本明细账_2021-05.csv'")
    assert (row, column) == (11, "金额（元）") and "冲销" in reason
    assert values(loaded, Period(2021, 5))["quality_cost_total"].value == pytest.approx(9 * 1000 - 300)


def test_a_voucher_number_of_another_month_is_another_entry(loaded, tmp_path):
    # ledgers number their vouchers afresh each month: 记-0031 of May is not 记-0031 of March
    may = [["2021-05-06", "记-0031", "质量培训费", "预防成本", "700.00", "质量部", "", ""]]
    path = write_csv(tmp_path / "质量成本明细账_2021-05.csv", U8_HEADER, may, encoding="gbk")
    assert [(f.inserted, f.updated) for f in load_paths([path], load_settings(warehouse=loaded), today=TODAY).files] \
        == [(1, 0)]
    assert query(loaded, "SELECT count(*) FROM quality_cost WHERE voucher = '记-0031'") == [(3,)]
    assert values(loaded, Period(2021, 3))["quality_cost_total"].value == pytest.approx(17234.5)


def test_the_page_shows_the_cards_the_categories_by_month_the_pareto_and_the_balance(loaded, monkeypatch):
    from tests.conftest import signed_in_app

    monkeypatch.setenv("QUALITY_WAREHOUSE", str(loaded))
    at = signed_in_app(loaded, "analyst.he", "analyst", "quality_cost")
    at.session_state["year"], at.session_state["period_kind"], at.session_state["month"] = 2021, "month", 3
    at.run()
    assert not at.exception, at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["质量成本总额"] == f"{17234.5:,.0f} 元"
    assert cards["预防成本占比"] == f"{4500 / 17234.5 * 100:.1f}%" == "26.1%"
    assert cards["质量成本率"] == "1.7%"                                        # 17,234.5 of 1,000,000
    assert [s.value for s in at.subheader] == ["各类质量成本（按月）", "成本科目排列图（帕累托）", "预防＋鉴定成本与损失成本对比"]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3
    by_month = next(d.value for d in at.dataframe if "预防成本（元）" in d.value.columns).set_index(["年度", "月份"])
    assert by_month.loc[(2021, 3), "内部损失成本（元）"] == 6234.5
    assert by_month.loc[(2021, 4), "内部损失成本（元）"] == 6000
    assert by_month.loc[(2020, 3), "外部损失成本（元）"] == 4000
    pareto = next(d.value for d in at.dataframe if "累计占比 (%)" in d.value.columns)
    # March 2021 by cost item: 返工返修损失 6234.5, 来料检验费 4500, 质量培训费 3000, 三包维修费 2000, 差旅费 1500
    assert list(pareto["成本科目"]) == ["返工返修损失", "来料检验费", "质量培训费", "三包维修费", "供应商质量审核差旅费"]
    assert list(pareto["累计占比 (%)"]) == [round(100 * x / 17234.5, 1) for x in       # as shown: to 0.1 %
                                           (6234.5, 10734.5, 13734.5, 15734.5, 17234.5)]
    assert pareto["类别"].iloc[0] == "内部损失成本"


def test_the_charts_stack_the_categories_and_set_prevention_and_appraisal_against_failure():
    import pandas as pd

    from app import charts

    monthly = pd.DataFrame({"year": [2021] * 4 + [2021] * 2, "month": [3] * 4 + [4] * 2,
                            "category": ["prevention", "appraisal", "internal_failure", "external_failure",
                                         "prevention", "external_failure"],
                            "amount": [4500, 4500, 6234.5, 2000, 2000, 500]})
    balance = charts.conformance_frame(monthly)
    assert [tuple(r) for r in balance.itertuples(index=False)] == [
        (2021, 3, "conformance", 9000), (2021, 3, "failure", 8234.5), (2021, 4, "conformance", 2000),
        (2021, 4, "failure", 500)]
    spec = charts.cost_balance_chart(balance, "zh").to_dict()
    [rows] = spec["datasets"].values()
    assert {(r["period_label"], r["side_label"]): r["amount"] for r in rows}[("2021-03", "预防＋鉴定成本")] == 9000
    stacked = charts.cost_category_chart(monthly, "en").to_dict()
    assert stacked["encoding"]["y"]["stack"] == "zero" and stacked["mark"]["type"] == "bar"
    assert stacked["encoding"]["color"]["scale"]["domain"] == ["prevention", "appraisal", "internal failure",
                                                               "external failure"]


def test_the_meeting_screen_gives_the_month_the_year_to_date_and_the_months_by_category(loaded):
    from presentation.meeting import meeting_screens

    settings = load_settings(warehouse=loaded)
    with read_connection(loaded) as con:
        screens = meeting_screens(con, 2021, 4, settings, "zh", TODAY)
    [screen] = [s for s in screens if s.key == "quality_cost"]
    assert screen.title_zh == "质量成本"
    figures = {f.label: f for f in screen.figures}
    total = figures["质量成本总额"]
    assert (total.value, total.ytd, total.prior_ytd) == ("9,700 元", f"{17234.5 + 9700:,.0f} 元", "16,000 元")
    assert total.trend == "worse"                                   # more cost than the same months of 2020
    assert figures["质量成本率"].value == f"{9700 / 1_100_000 * 100:.1f}%"
    assert figures["质量成本率"].ytd == f"{(17234.5 + 9700) / 2_100_000 * 100:.1f}%"
    assert figures["预防成本占比"].prior_ytd == "6.2%"               # 1000 of 16000 = 6.25 %
    [table] = screen.tables
    assert table.columns == ("月份", "预防成本", "鉴定成本", "内部损失成本", "外部损失成本", "合计")
    assert table.rows == (("3月", "4,500 元", "4,500 元", f"{6234.5:,.0f} 元", "2,000 元", f"{17234.5:,.0f} 元"),
                          ("4月", "2,000 元", "1,200 元", "6,000 元", "500 元", "9,700 元"))


def test_the_annual_report_table_and_findings(loaded):
    from presentation.report.findings import finding_sentence
    from presentation.report.tables import quality_cost_table, report_figures, report_tables

    settings = load_settings(warehouse=loaded)
    with read_connection(loaded) as con:
        figures = report_figures(con, 2021, settings, today=dt.date(2022, 3, 1))
        table = report_tables(con, figures, dt.date(2022, 3, 1))["quality_cost"]
    assert table == quality_cost_table(figures)
    assert table.header == ["项目", "单位", "2019年", "2020年", "2021年"]
    rows = {r[0]: r[2:] for r in table.rows}
    # 2021: March and April; 2020: March; 2019: nothing loaded but the ledger is known, so a total of 0
    assert rows["预防成本"] == ["—", "1,000", f"{4500 + 2000:,}"]
    assert rows["内部损失成本"] == ["—", "8,000", f"{6234.5 + 6000:,.0f}"]
    assert rows["质量成本合计"] == ["0", "16,000", f"{17234.5 + 9700:,.0f}"]
    assert rows["外部损失成本占比"] == ["—", "25", f"{2500 / 26934.5 * 100:.1f}"]
    # the rate: 2020 16,000 of March's 800,000; 2021 both months of 2,100,000
    assert rows["质量成本率"] == ["—", "2", f"{26934.5 / 2_100_000 * 100:.1f}"]
    sentence = finding_sentence(figures.value("quality_cost_total"), 2021)
    assert sentence == f"质量成本总额 2021 年为 26,934 元，较 2020 年提高 {26934 - 16000:,} 元。"


def test_the_readme_example_gives_the_figures_it_says(tmp_path, warehouse):
    import re

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Cost of quality"):text.index("## Writes never block")]
    block = section[section.index("For example"):]
    lines = [line[4:] for line in block.splitlines() if line.startswith("    ")]
    path = tmp_path / "质量成本明细账.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    sales = write_csv(tmp_path / "销售月报.csv", SALES_HEADER, [["2021-03", "1,000,000"]])
    assert main(["load", str(path), str(sales), "--warehouse", str(warehouse)]) == 0
    v = values(warehouse, Period(2021, 3))
    total = 3000 + 4500 + 6234.5 + 2800 - 800
    assert v["quality_cost_total"].value == pytest.approx(total)
    figures = block[block.index("gives for"):]
    said = dict(re.findall(r"(预防成本占比|鉴定|内部损失|外部损失|质量成本率)[^=%]*?(?:= )?(\d+\.\d) %", figures))
    assert said == {"预防成本占比": f"{3000 / total * 100:.1f}", "鉴定": f"{4500 / total * 100:.1f}",
                    "内部损失": f"{6234.5 / total * 100:.1f}", "外部损失": f"{2000 / total * 100:.1f}",
                    "质量成本率": f"{total / 1e6 * 100:.1f}"}
    assert [f"{v[c].value:.1f}" for c in CODES[1:]] == [said[k] for k in ("预防成本占比", "鉴定", "内部损失", "外部损失",
                                                                          "质量成本率")]
    settings = load_settings(warehouse=warehouse)
    with read_connection(warehouse) as con:
        rows = rows_behind(con, "prevention_cost_share", Period(2021, 3), settings, today=TODAY)
    assert sorted(r["numerator"] for r in rows) == [0, 0, 0, 0, 3000] and min(r["row"] for r in rows) == 3


def test_a_ledger_with_an_entry_id_of_its_own_keys_by_it(tmp_path, warehouse, monkeypatch):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[quality_cost.headers]\n"分录ID" = "entry_id"\n', encoding="utf-8")
    monkeypatch.setenv("QUALITY_MAPPING", str(mapping))
    rows = [["FL-1", "2021-03-05", "质量培训费", "预防", "100"], ["FL-2", "2021-03-05", "质量培训费", "预防", "100"]]
    header = ["分录ID", "日期", "成本科目", "类别", "金额"]
    first = write_csv(tmp_path / "ledger.csv", header, rows)
    assert main(["load", str(first), "--warehouse", str(warehouse)]) == 0
    second = write_csv(tmp_path / "ledger_v2.csv", header, [["FL-2", "2021-03-05", "质量培训费", "预防", "150"]])
    assert main(["load", str(second), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT entry_id, amount FROM quality_cost ORDER BY 1") == [("FL-1", 100.0), ("FL-2", 150.0)]


def test_an_amount_written_with_thousands_separators_is_checked_whole(loaded):
    from presentation.report.checks import kpi_claims
    from presentation.report.tables import report_figures

    with read_connection(loaded) as con:
        figures = report_figures(con, 2021, load_settings(warehouse=loaded), today=dt.date(2022, 3, 1))
    right, _ = kpi_claims("improvement", "2021 年质量成本总额为 26,934 元。", figures)     # 26,934.50 printed whole
    wrong, _ = kpi_claims("improvement", "2021 年质量成本总额为 36,934 元。", figures)
    assert right == [] and len(wrong) == 1 and "36,934元" in wrong[0].message
