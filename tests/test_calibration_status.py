"""One rule for an instrument's calibration status (warehouse/migrations/010_calibration_status.sql), asked by the
overdue KPI, the improvement page's list, the meeting's list and the report's table 5 — tested on a register whose
instrument has a calibration but no due date, the case they used to disagree on."""
from __future__ import annotations

import datetime as dt

import duckdb

from etl.cli import main
from presentation.report.tables import instruments_table
from tests.conftest import write_csv
from warehouse import rules, sql
from warehouse.kpis import Period, kpi_values

HEADER = ["器具编号", "器具名称", "检测项目", "校准日期", "校准周期", "下次校准日期", "校准结果"]
AS_OF = dt.date(2021, 6, 30)


def test_every_consumer_reads_one_calibration_status(tmp_path, warehouse):
    register = write_csv(tmp_path / "calibration.csv", HEADER, [
        ["G-1", "游标卡尺", "长度", "2020-05-01", "12", "2021-05-01", "合格"],   # due again 2021-05-01: overdue on 06-30
        ["G-2", "千分尺", "长度", "2021-03-01", "", "", "合格"],                  # no due date, no interval
        ["G-3", "投影仪", "轮廓", "2021-04-01", "12", "", "合格"],                # interval: due 2022-04-01, valid
        ["G-4", "色差仪", "颜色", "2020-07-15", "12", "", "合格"],                # due 2021-07-15: within 30 days
    ])
    assert main(["load", str(register), "--warehouse", str(warehouse)]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        overdue = {v.kpi: v for v in kpi_values(con, Period(2021, 6), today=AS_OF, codes=["calibration_overdue"])}
        listed = sql.frame(con, "read/calibration_due", as_of=AS_OF, horizon_days=rules.CALIBRATION_DUE_SOON_DAYS)
        table = instruments_table(con, 2021, AS_OF)
    finally:
        con.close()
    # by hand: only G-1's due date lies before 30 June; G-2 cannot be called overdue nor valid
    assert overdue["calibration_overdue"].value == 1
    assert dict(zip(listed["instrument"], listed["calibration_status"])) == {
        "G-1": "overdue", "G-2": "no_due_date", "G-4": "due"}
    status = {row[1]: row[-1] for row in table.rows}
    assert status == {"游标卡尺": "逾期未校准", "千分尺": "有效期未知", "投影仪": "有效", "色差仪": "有效"}
