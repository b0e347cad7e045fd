"""The dashboard's entry file and Overview under Streamlit's AppTest: empty warehouses, a small load, the demo's
2021 figures against the report, the period picker and the language switch."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.cli import main
from tests.conftest import REFERENCE_DIR, displayed, log_in, query, write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from warehouse.db import apply_migrations
from warehouse.kpis import REGISTRY

APP = str(Path(__file__).resolve().parents[1] / "app" / "main.py")
PAGES = ["overview", "inspections", "complaints", "suppliers", "market", "satisfaction", "improvement", "quality_cost",
         "data_quality"]
DEMO_MARK = "演示数据 demo data"


def app_on(warehouse, monkeypatch, page: str = "overview", **state) -> AppTest:
    """An AppTest of the entry file reading the warehouse, logged in as admin, on the page, with the language (lang)
    and the period's widgets (period_kind, year, month) set."""
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    log_in(at)
    for key, value in state.items():
        widgets = {w.key: w for w in [*at.radio, *at.selectbox, *at.segmented_control]}
        widgets[key if key == "lang" else f"pick_{key}"].set_value(value)
        at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> list[str]:
    """Every Markdown, caption, info and title text on the page."""
    return [e.value for kind in ("markdown", "caption", "info", "title", "subheader", "success", "warning")
            for e in getattr(at, kind)]


def card(at: AppTest, label: str):
    """The metric whose label is label."""
    found = [m for m in at.metric if m.label == label]
    assert found, f"no card {label!r} among {[m.label for m in at.metric]}"
    return found[0]


@pytest.fixture
def loaded(tmp_path, warehouse):
    """A warehouse with 20 IQC lots in March 2021, 4 of them failed."""
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 20))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    return warehouse


@pytest.fixture
def empty_file(warehouse):
    """A warehouse file with the schema and no rows."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    apply_migrations(con)
    con.close()
    return warehouse


@pytest.mark.parametrize("page", PAGES)
def test_without_a_warehouse_every_page_says_how_to_load(warehouse, monkeypatch, page):
    at = app_on(warehouse, monkeypatch, page)
    assert at.title[0].value
    assert any("python -m etl load" in i.value for i in at.info)
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize("page", PAGES)
def test_on_a_file_with_no_rows_every_page_says_how_to_load(empty_file, monkeypatch, page):
    at = app_on(empty_file, monkeypatch, page)
    assert any("python -m etl load" in i.value for i in at.info)
    assert not at.dataframe and not at.metric


def test_a_file_that_is_not_a_warehouse_is_a_warning_not_an_error(warehouse, monkeypatch):
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(b"")
    at = app_on(warehouse, monkeypatch)
    assert any("cannot be read" in w.value or "无法读取" in w.value for w in at.warning)


def test_overview_on_a_small_load_shows_value_counts_and_no_demo_mark(loaded, monkeypatch):
    at = app_on(loaded, monkeypatch)
    assert at.selectbox(key="pick_year").value == 2021 and at.segmented_control(key="pick_period_kind").value == "year"
    iqc = card(at, "原料进厂检验合格率")
    assert iqc.value == "80.0%"
    assert any("16/20" in m for m in texts(at))
    assert card(at, "过程检验合格率").value == "—"          # no IPQC lots: no data, never 0 % or 100 %
    assert not any(DEMO_MARK in m for m in texts(at))
    assert any(m.startswith("数据截至") for m in texts(at))


def test_period_picker_month_and_year_to_date(loaded, monkeypatch):
    at = app_on(loaded, monkeypatch, period_kind="month")
    at.selectbox(key="pick_month").set_value(3).run()
    assert card(at, "原料进厂检验合格率").value == "80.0%"
    assert any("2021年3月" in c.value for c in at.caption)
    at.selectbox(key="pick_month").set_value(4).run()
    assert card(at, "原料进厂检验合格率").value == "—"
    at.segmented_control(key="pick_period_kind").set_value("ytd").run()
    assert card(at, "原料进厂检验合格率").value == "80.0%"
    assert any("2021年1–4月累计" in c.value for c in at.caption)


def test_language_switch_changes_the_labels(loaded, monkeypatch):
    at = app_on(loaded, monkeypatch, lang="en")
    labels = [m.label for m in at.metric]
    assert "Incoming inspection pass rate (IQC)" in labels and "原料进厂检验合格率" not in labels
    assert at.title[0].value == "Overview"
    assert at.selectbox(key="pick_year").label == "Year"
    assert any(m.startswith("Data as of") for m in texts(at))
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == "总览" and at.selectbox(key="pick_year").label == "年度"


def _reference_2021() -> list[tuple[str, str]]:
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as f:
        return [(row["kpi"], row["2021"]) for row in csv.DictReader(f)
                if row["kpi"] != "suppliers_grade_a_share_published"]


def test_overview_2021_equals_the_report(demo_warehouse, monkeypatch):
    at = app_on(demo_warehouse, monkeypatch, period_kind="year", year=2021)
    reference = _reference_2021()
    assert len(reference) == 13
    for kpi, printed in reference:
        shown = card(at, REGISTRY[kpi].label_zh).value
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        number = float(shown.replace("%", "").replace("ppm", "").replace("分", "").replace(",", "").strip())
        assert round(number, decimals) == float(printed), (kpi, shown, printed)


def test_overview_on_the_demo_has_a_card_per_kpi_with_status_yoy_and_sparkline(demo_warehouse, monkeypatch):
    at = app_on(demo_warehouse, monkeypatch, period_kind="year", year=2021)
    assert sorted(m.label for m in at.metric) == sorted(k.label_zh for k in REGISTRY.values())
    final = card(at, "成品出厂检验合格率")                       # 98 % against a 100 % target: missed
    assert final.value == "98.0%" and final.delta == "+1.0 个百分点"
    assert final.proto.delta_description == "同比" and len(final.proto.chart_data) == 12
    badge = next(m for m in texts(at) if "✗ 未达标" in m and "≥ 100.0%" in m)
    passed, lots = (int(x.replace(",", "")) for x in re.search(r"([\d,]+)/([\d,]+)", badge).groups())
    assert round(100 * passed / lots, 1) == 98.0
    assert any("✓ 达标" in m and "≥ 98.0%" in m for m in texts(at))       # airtightness 98.3 % ≥ 98 %
    assert any(DEMO_MARK in m for m in texts(at))
    assert any("数据截至" in c.value and "（演示数据，" in c.value and "校验" in c.value for c in at.caption)
    assert [s.value for s in at.subheader][:2] == ["检验", "客诉与顾客"]  # the registry's groups
    table = at.dataframe[0].value.set_index("指标")
    assert len(table) == len(REGISTRY) and table.loc["成品出厂检验合格率", "状态"] == "✗ 未达标"
    assert table.loc["成品出厂检验合格率", "分母"] == lots and table.loc["成品出厂检验合格率", "同比变化"] == pytest.approx(1.0)
    assert displayed(at.dataframe[0]).set_index("指标").loc["成品出厂检验合格率", "同比变化"] == "+1.0 个百分点"


def test_overview_cards_of_yearly_kpis_show_the_latest_year_before_the_chosen_one(demo_warehouse, monkeypatch):
    at = app_on(demo_warehouse, monkeypatch, period_kind="year", year=2026)   # the demo's market figures end with 2025
    [(sales, size)] = query(demo_warehouse, "SELECT company_sales, market_size FROM market_share "
                                            "WHERE year = 2025 AND scope = 'provincial'")
    assert card(at, "省内市场占有率").value == f"{100 * sales / size:.1f}%"
    assert any("2025 年数据（2026 年尚无）" in m and "/" in m for m in texts(at))
    table = displayed(at.dataframe[0]).set_index("指标")
    assert table.loc["省内市场占有率", "值"] == "—"                       # the table keeps the chosen year's values


def test_a_new_load_shows_on_the_next_run_without_a_restart(loaded, tmp_path, monkeypatch):
    at = app_on(loaded, monkeypatch)
    assert card(at, "原料进厂检验合格率").value == "80.0%"
    more = write_csv(tmp_path / "iqc-april.csv", IQC_HEADER, iqc_rows(4, 10, fail_every=2, prefix="APR"))
    assert main(["load", str(more), "--warehouse", str(loaded)]) == 0
    at.run()
    assert card(at, "原料进厂检验合格率").value == "70.0%"           # 21 of 30 lots passed


def test_data_quality_shows_refused_files_and_quarantine_reasons_in_the_users_language(tmp_path, warehouse,
                                                                                        monkeypatch):
    rows = iqc_rows(3, 10)
    rows[4][2] = "2021-13-01"
    good = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    odd = write_csv(tmp_path / "odd.csv", ["检验日期", "物料编码", "备注"], [["2021/3/1", "M-1", "x"]])
    assert main(["load", str(good), str(odd), "--warehouse", str(warehouse)]) == 1
    at = app_on(warehouse, monkeypatch, "data_quality")
    files = at.dataframe[1].value.set_index("名称")
    assert files.loc["odd.csv", "状态"] == "✗ 拒收" and files.loc["iqc.csv", "隔离行"] == 1
    assert list(at.dataframe[0].value["状态"]) == ["! 部分文件被拒收"]
    quarantine = at.dataframe[-1].value
    assert list(quarantine["原因"]) == ["检验日期不是有效日期"] and list(quarantine["值"]) == ["2021-13-01"]
    assert any("隔离中 1 行" in c.value for c in at.caption)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert list(at.dataframe[-1].value["Reason"]) == ["检验日期: not a valid date"]  # the header as the file writes it
