"""Typing a large file converts each distinct text once; the values must equal converting row by row."""
from __future__ import annotations

import datetime as dt

import polars as pl

from etl.mapping import SiteMapping
from etl.stage import stage_file
from tests.conftest import write_csv

HEADER = ["检验单号", "检验类型", "检验日期", "送检数量", "抽样数", "不良数", "检验结果", "供应商", "批号", "物料编码"]
DATE_FORMS = ["{y}/{m}/{d}", "{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}.{m}.{d}"]


def test_large_file_is_typed_like_a_small_one(tmp_path):
    rows, expected_dates = [], []
    for i in range(30_000):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=i % 365)
        expected_dates.append(day)
        text = DATE_FORMS[i % 4].format(y=day.year, m=day.month, d=day.day)
        rows.append([f"I{i}", ["来料检验", "IQC", "过程检验", "出货检验"][i % 4], text,
                     "１，２００" if i % 7 == 0 else f"{1000 + i % 50:,}", 80, i % 3, "合格" if i % 3 == 0 else "不合格",
                     f" 供应商{i % 5} ", f"L{i}", f"M{i % 40}"])
    rows[12_345][2] = "2021-02-30"
    rows[20_001][0], rows[20_002][8] = "Ｉ２０００１", "L20002\u3000"  # mostly distinct texts, two to clean
    expected_dates[12_345] = None
    rows = rows[:25_000] + [[""] * len(HEADER)] + rows[25_000:] + [["合计", "", "", "1,234,567"]]  # dropped
    batch = stage_file(write_csv(tmp_path / "big.csv", HEADER, rows), SiteMapping())
    frame = batch.frame
    assert frame["inspected_on"].to_list() == expected_dates
    assert frame["lot_qty"].to_list() == [1200 if i % 7 == 0 else 1000 + i % 50 for i in range(30_000)]
    assert frame["stage"].to_list() == [["IQC", "IQC", "IPQC", "OQC"][i % 4] for i in range(30_000)]
    assert frame["result"].to_list() == ["pass" if i % 3 == 0 else "fail" for i in range(30_000)]
    assert frame["supplier"].to_list() == [f"供应商{i % 5}" for i in range(30_000)]
    assert frame["id"].to_list() == [f"I{i}" for i in range(30_000)]
    assert frame["lot"].to_list() == [f"L{i}" for i in range(30_000)]
    assert frame["source_row"].to_list() == [i + 2 for i in range(25_000)] + [i + 3 for i in range(25_000, 30_000)]
    assert frame.schema["inspected_on"] == pl.Date
    assert [(f.source_row, f.column, f.value) for f in batch.parse_failures] == [(12_347, "inspected_on", "2021-02-30")]
