"""One number formatter (warehouse.numbers): thousands separators everywhere, a unit on every figure, no negative
zero; downloads that hold numbers (CSV plain numbers, XLSX numeric cells with number formats); pages that show
the formatter's figures. Expected values are worked out here by arithmetic, not copied from output."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.downloads import csv_bytes, xlsx_bytes
from presentation.meeting import delta_text
from presentation.report.tables import report_number
from tests.conftest import displayed, log_in, query
from tests.test_app import APP, card
from warehouse import numbers
from warehouse.kpis import REGISTRY, format_delta, format_value, trend
from warehouse.numbers import MARKET_UNIT, change_text, figure_text, number_text

# The formatter --------------------------------------------------------------------------------------------------


def test_thousands_separators_on_counts_ppm_and_money():
    assert figure_text(1680.0, "count") == "1,680"
    assert figure_text(1_234_567, "count") == "1,234,567"
    assert figure_text(1e6 * 7 / 4522, "ppm") == "1,548 ppm"              # 1547.99… defects per million
    assert figure_text(999.6, "ppm") == "1,000 ppm"                       # rounds over the separator
    assert figure_text(320000.0, MARKET_UNIT) == "320,000 万元"
    assert figure_text(320000.0, MARKET_UNIT, "en") == "320,000 × 10⁴ CNY"
    assert number_text(12345.678, "%") == "12,345.7"


def test_percentages_scores_and_days_carry_their_unit():
    assert figure_text(100 * 1680 / 1750, "%") == "96.0%"
    assert figure_text(100 * 129 / 133, "%") == "97.0%"                   # 96.992… rounds to one decimal
    assert figure_text(94.0, "score") == "94.0 分" and figure_text(94.0, "score", "en") == "94.0 points"
    assert figure_text(9 + 1 / 24, "days") == "9.0 天"
    assert format_value(100 * 5 / 9, "%") == "55.6%"                      # the registry's wording is the formatter's


def test_no_figure_is_a_dash():
    for x in (None, float("nan"), pd.NA):
        assert figure_text(x, "%") == "—" and change_text(x, "ppm") == "—" and number_text(x) == "—"
    assert format_value(None, "ppm") == "—" and format_delta(None, "%") == "—"
    assert report_number(None, "%") == "—"


def test_a_value_or_change_that_rounds_to_zero_is_never_negative_zero():
    assert figure_text(-0.04, "%") == "0.0%"
    assert figure_text(-0.0, "count") == "0" and figure_text(-0.4, "ppm") == "0 ppm"
    # a change that rounds to zero is written without a sign (docs: "0.0 个百分点"), in both languages
    assert change_text(96.060924 - 96.061269, "%") == "0.0 个百分点"
    assert change_text(-0.049, "%", "en") == "0.0 pp"
    assert change_text(-0.4, "count") == "0" and change_text(0.3, "ppm") == "0 ppm"
    assert format_delta(-0.0345, "%") == "0.0 个百分点"
    assert trend(-0.0345, "%", "up") == "same"                            # and it counts as no change
    assert delta_text(-0.0345, "%") == "＝ 0.0 个百分点"
    assert report_number(-0.04, "%") == "0" and report_number(-0.04, "score") == "0.0"


def test_changes_are_signed_in_their_change_unit():
    assert change_text(98.0 - 97.0, "%") == "+1.0 个百分点"
    assert change_text(94.5 - 91.5, "%", "en") == "+3.0 pp"
    assert change_text(1e6 * 3 / 4000 - 1e6 * 5 / 2000, "ppm") == "-1,750 ppm"   # 750 - 2500
    assert change_text(3 - 1, "count") == "+2" and change_text(1 - 3, "count") == "-2"
    assert change_text(-2.84, "score") == "-2.8 分"
    assert delta_text(-1.26, "%") == "▼ -1.3 个百分点" and delta_text(1234.4, "ppm") == "▲ +1,234 ppm"


def test_report_tables_print_the_reference_style_with_separators():
    assert [report_number(x, "%") for x in (95.0, 91.5, 100 * 5 / 9, 100.0)] == ["95", "91.5", "55.6", "100"]
    assert report_number(92.0, "score") == "92.0" and report_number(3, "count") == "3"
    assert report_number(1e6 * 7 / 4522, "ppm") == "1,548"


def test_chart_and_spreadsheet_formats_come_from_the_unit_table():
    assert numbers.d3_format("%") == ",.1f" and numbers.d3_format("ppm") == ",.0f"
    assert numbers.d3_format("count") == ",.0f" and numbers.d3_format("%", change=True) == "+,.1f"
    assert numbers.excel_format("count") == "#,##0"
    assert numbers.excel_format("ppm") == '#,##0" ppm"'
    assert numbers.excel_format("%") == '#,##0.0"%"'
    assert numbers.excel_format(MARKET_UNIT) == '#,##0" 万元"'
    assert numbers.excel_format("+%", "en") == '+#,##0.0" pp";-#,##0.0" pp";0.0" pp"'
    assert all(numbers.decimals(k.unit) == numbers.UNITS[k.unit].decimals for k in REGISTRY.values())


def test_an_unknown_unit_is_refused():
    with pytest.raises(KeyError):
        figure_text(1.0, "percent")


# Downloads ------------------------------------------------------------------------------------------------------

LOTS, PASSED = 1750.0, 1680.0
FRAME = pd.DataFrame({
    "year": [2021, 2022],
    "lots": [LOTS, 1848.0],                          # counts arrive as floats from DuckDB sums
    "pass_rate": [100 * PASSED / LOTS, 100 * 129 / 133],
    "delta": [-0.0345, 100 * 129 / 133 - 100 * PASSED / LOTS],
    "ppm": [1e6 * 7 / 4522, None],
    "sales": [320000.0, 6400.0],
    "note": ["=HYPERLINK(\"http://x\")", "-3 lots"],
})
UNITS = {"lots": "count", "pass_rate": "%", "delta": "+%", "ppm": "ppm", "sales": MARKET_UNIT}


def test_a_csv_download_holds_plain_numbers_and_neutralises_only_text():
    data = csv_bytes(FRAME, UNITS)
    lines = data.decode("utf-8-sig").splitlines()
    rows = list(csv.reader(lines))
    assert rows[0] == ["year", "lots", "pass_rate (%)", "delta (百分点)", "ppm", "sales (万元)", "note"]  # ppm named already
    assert rows[1][:6] == ["2021", "1750", "96.0", "0.0", "1548", "320000"]      # not 1750.0, not -0.0, no '
    assert rows[2][:6] == ["2022", "1848", "97.0", "1.0", "", "6400"]            # 96.99… → 97.0; 97.0 - 96.0
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")" and rows[2][6] == "'-3 lots"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["lots"].dtype.kind == "i" and list(back["lots"]) == [1750, 1848]
    assert back["pass_rate (%)"].dtype.kind == "f" and list(back["pass_rate (%)"]) == [96.0, 97.0]
    assert list(back["delta (百分点)"]) == [0.0, 1.0] and back["sales (万元)"].dtype.kind == "i"


def test_a_csv_download_writes_whole_numbers_without_a_unit_as_integers():
    frame = pd.DataFrame({"n": [1680.0, None], "share": [0.5, 1.0]})
    assert csv_bytes(frame).decode("utf-8-sig").splitlines() == ["n,share", "1680,0.5", ",1.0"]


def test_an_xlsx_download_holds_numbers_with_number_formats():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(FRAME, units=UNITS))).active
    header = [c.value for c in sheet[1]]
    cells = {name: sheet.cell(row=2, column=header.index(name) + 1) for name in header}
    for name, unit in UNITS.items():
        assert cells[name].data_type == "n", name
        assert cells[name].number_format == numbers.excel_format(unit), name
    assert cells["lots"].value == 1750 and cells["pass_rate"].value == 96.0 and cells["ppm"].value == 1548
    assert cells["delta"].value == 0 and cells["sales"].value == 320000
    assert cells["year"].data_type == "n" and cells["year"].value == 2021
    assert cells["note"].data_type == "s" and cells["note"].value.startswith("=")   # text, never a formula
    assert sheet.cell(row=3, column=header.index("pass_rate") + 1).value == 97.0


def test_an_xlsx_download_takes_a_unit_per_row():
    frame = pd.DataFrame({"kpi": ["rate", "ppm"], "value": [96.5, 1547.99]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, units={"value": ["%", "ppm"]}))).active
    assert [sheet["B2"].number_format, sheet["B3"].number_format] == ['#,##0.0"%"', '#,##0" ppm"']
    assert (sheet["B2"].value, sheet["B3"].value) == (96.5, 1548)


# Pages ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_2021(demo_warehouse):
    """An AppTest on the demo warehouse, logged in, period = the whole of 2021."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUALITY_WAREHOUSE", str(demo_warehouse))
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        log_in(at)
        at.segmented_control(key="pick_period_kind").set_value("year").run()
        at.selectbox(key="pick_year").set_value(2021).run()
        assert not at.exception, at.exception
        yield at


def test_cards_and_the_kpi_table_show_ppm_with_separators(app_2021, demo_warehouse):
    [(defects, samples)] = query(demo_warehouse, "SELECT sum(defects), sum(sample_qty) FROM inspection "
                                                 "WHERE stage = 'IQC' AND year(inspected_on) = 2021 "
                                                 "AND defects IS NOT NULL AND sample_qty IS NOT NULL")
    ppm = 1e6 * defects / samples
    expected = f"{round(ppm):,} ppm"
    assert round(ppm) >= 1000 and "," in expected
    at = app_2021.switch_page("views/overview.py").run()
    assert card(at, REGISTRY["incoming_inspection_ppm"].label_zh).value == expected
    table = at.dataframe[0]
    rows = displayed(table).set_index("指标")
    assert rows.loc["原料进厂检验不良率（PPM）", "值"] == expected
    assert rows.loc["成品出厂检验合格率", "值"] == "98.0%" and rows.loc["成品出厂检验合格率", "同比变化"] == "+1.0 个百分点"
    assert rows.loc["原料进厂检验不良率（PPM）", "分母"] == f"{samples:,}"
    assert rows.loc["原料进厂检验不良率（PPM）", "单位"] == "PPM" and rows.loc["客诉受理数", "单位"] == "件"
    numeric = table.value.set_index("指标")
    assert numeric.loc["原料进厂检验不良率（PPM）", "值"] == pytest.approx(ppm)   # the cell still sorts as a number


def test_the_kpi_tables_download_writes_each_row_in_its_own_unit(demo_warehouse):
    import duckdb

    from app.ui import kpi_frame
    from warehouse.kpis import Period, kpi_values

    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        values = {v.kpi: v for v in kpi_values(con, Period(2021), today=dt.date(2026, 12, 1))}
    finally:
        con.close()
    frame, units = kpi_frame(list(values.values()), "zh")
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(csv_bytes(frame, units).decode("utf-8-sig")))}
    final, ppm = values["final_inspection_pass_rate"], values["incoming_inspection_ppm"]
    assert rows[final.label]["value"] == "98.0" and rows[final.label]["delta"] == "1.0"       # 2156/2200, 97 → 98
    assert rows[final.label]["denominator"] == "2200" and rows[final.label]["unit"] == "%"
    assert rows[ppm.label]["value"] == str(round(1e6 * ppm.numerator / ppm.denominator)) and rows[ppm.label]["unit"] == "PPM"
    assert rows[values["complaints_received"].label]["value"] == "3"                       # the report's 3 complaints


def test_the_market_table_shows_money_with_its_unit(app_2021, demo_warehouse):
    [(sales, size)] = query(demo_warehouse, "SELECT company_sales, market_size FROM market_share "
                                            "WHERE year = 2019 AND scope = 'national'")
    at = app_2021.switch_page("views/market.py").run()
    assert not at.exception, at.exception
    rows = displayed(at.dataframe[0]).set_index("年度")
    assert rows.loc["2019", "国内市场规模"] == f"{size:,.0f} 万元" == "320,000 万元"
    assert rows.loc["2019", "国内销售额"] == f"{sales:,.0f} 万元"
    assert rows.loc["2019", "国内占有率 (%)"] == f"{100 * sales / size:.1f}%" == "2.0%"
    assert rows.loc["2019", "国内同比 (百分点)"] == "—"
    at.sidebar.radio(key="lang").set_value("en").run()
    rows = displayed(at.dataframe[0]).set_index("Year")
    assert rows.loc["2019", "National market size"] == "320,000 × 10⁴ CNY"
    assert rows.loc["2020", "National change (pp)"] == "+1.0 pp"                     # 3.0 % against 2.0 %
    at.sidebar.radio(key="lang").set_value("zh").run()


def test_the_inspection_tables_show_counts_with_separators(app_2021):
    at = app_2021.switch_page("views/inspections.py").run()
    assert not at.exception, at.exception
    yearly = next(d for d in at.dataframe if "上年批合格率 (%)" in d.value.columns and "年度" in d.value.columns)
    rows = displayed(yearly).set_index("年度")
    assert rows.loc["2021", "检验批数"] == "1,750" and rows.loc["2021", "合格批数"] == "1,680"   # 96 % of 1,750
    assert rows.loc["2021", "批合格率 (%)"] == "96.0%"
    assert not any(text.startswith("-0.0") for text in rows["同比变化"])
