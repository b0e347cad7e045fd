"""Every figure can show its rows: the records behind a KPI's numerator, denominator and in-progress count, each
with the file, row and load run it came from, in the CLI (`kpis --explain`) and on the pages."""
import csv
import datetime as dt
import io

import pytest

from etl.cli import main
from tests.conftest import query, signed_in_app, write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from warehouse.db import read_connection
from warehouse.kpis import BEHIND_COLUMNS, REGISTRY, Period, kpi_values, rows_behind
from warehouse.settings import load_settings

DAY = dt.date(2026, 12, 1)


def sums(rows: list[dict]) -> tuple[float, float, float]:
    return tuple(sum(r[c] or 0 for r in rows) for c in ("numerator", "denominator", "in_progress"))


@pytest.mark.parametrize("period", [Period(2021), Period(2025, 6), Period(2026, 11),
                                    Period(2026, 12, ytd=True)], ids=str)
def test_the_rows_behind_every_kpi_add_up_to_its_figure(demo_warehouse, period):
    settings = load_settings(warehouse=demo_warehouse)
    with read_connection(demo_warehouse) as con:
        values = {v.kpi: v for v in kpi_values(con, period, settings, today=DAY)}
        for code, kpi in REGISTRY.items():
            rows, v = rows_behind(con, code, period, settings, today=DAY), values[code]
            numerator, denominator, waiting = sums(rows)
            if kpi.unit in ("%", "ppm"):   # amounts in yuan add up to the figure within floating-point rounding
                assert (numerator, denominator, waiting) == pytest.approx((v.numerator or 0, v.denominator or 0,
                                                                           v.in_progress or 0), rel=1e-12), code
            elif kpi.unit == "score":
                assert len(rows) == (v.denominator or 0), code
                assert v.value is None or v.value == pytest.approx(numerator / denominator), code
            else:
                assert numerator == pytest.approx(v.value or 0, rel=1e-12), code
            assert all(r["file"] and r["row"] and r["run"] for r in rows), code


def test_kpis_explain_lists_the_lots_with_their_file_row_and_run(tmp_path, warehouse, capsys):
    path = write_csv(tmp_path / "来料检验_2021-03.csv", IQC_HEADER, iqc_rows(3, 10))   # lots 5 and 10 fail
    assert main(["load", str(path), "--warehouse", str(warehouse)]) == 0
    capsys.readouterr()
    assert main(["kpis", "--warehouse", str(warehouse), "--year", "2021", "--month", "3", "--format", "csv",
                 "--explain", "incoming_inspection_pass_rate", "--as-of", "2021-06-30"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == BEHIND_COLUMNS
    # the file's header is its line 1, so lot i stands on line i + 1
    assert sorted((r["item"], r["numerator"], r["denominator"], r["file"], r["row"], r["run"]) for r in rows) == sorted(
        (f"IQC-03-{i:03d}", "0" if i % 5 == 0 else "1", "1", "来料检验_2021-03.csv", str(i + 1), "1")
        for i in range(1, 11))
    assert main(["kpis", "--warehouse", str(warehouse), "--year", "2021", "--explain", "no_such_kpi"]) == 2
    assert "no KPI 'no_such_kpi'" in capsys.readouterr().err


def test_a_viewer_sees_the_rows_but_not_the_files(demo_warehouse, tmp_path, monkeypatch):
    import shutil

    warehouse = tmp_path / "wh" / "quality.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(demo_warehouse, warehouse)
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    shown = {}
    for name, role in [("analyst.he", "analyst"), ("viewer.qian", "viewer")]:
        at = signed_in_app(warehouse, name, role, "complaints")
        at.session_state["year"], at.session_state["period_kind"] = 2021, "year"
        at.run()
        assert not at.exception, at.exception
        assert not [d for d in at.dataframe if "行号" in d.value.columns]      # nothing read until a KPI is chosen
        [box] = [s for s in at.selectbox if s.key.startswith("rows_behind_")]
        box.set_value("complaints_received").run()
        [frame] = [d.value for d in at.dataframe if "行号" in d.value.columns]
        shown[role] = frame
    assert "文件" in shown["analyst"].columns and "文件" not in shown["viewer"].columns
    # 2021 received 3 complaints (the report's table): the first KPI of the page is complaints_received
    assert len(shown["viewer"]) == len(shown["analyst"]) == 3
    complaint_files = {name for (name,) in query(warehouse, "SELECT name FROM source_file WHERE kind = 'complaint'")}
    assert set(shown["analyst"]["文件"]) <= complaint_files and len(set(shown["analyst"]["文件"])) == 1
