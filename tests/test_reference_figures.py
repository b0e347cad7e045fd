"""The demo warehouse, loaded through the real ETL, reproduces the 2021 report's tables in `etl kpis` output."""
from __future__ import annotations

import csv
import io
import json

import pytest

from etl.cli import main
from tests.conftest import REFERENCE_DIR


def reference_rows() -> list[dict]:
    """Rows of the report's figures CSV, less the printed A share that its own counts contradict."""
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["kpi"] != "suppliers_grade_a_share_published"]


def printed_precision(text: str) -> int:
    """Decimals as the report prints the figure ("91.5" → 1, "95" → 0)."""
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize("year", ["2019", "2020", "2021"])
def test_kpis_csv_reproduces_the_report(demo_warehouse, capsys, year):
    capsys.readouterr()
    assert main(["kpis", "--year", year, "--format", "csv", "--warehouse", str(demo_warehouse)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("kpi,label,value,numerator,denominator,unit,target,status,prior_value,delta"
                                      ",in_progress,partial")
    values = {r["kpi"]: r for r in csv.DictReader(io.StringIO(out))}
    checked = 0
    for row in reference_rows():
        printed = row[year]
        got = float(values[row["kpi"]]["value"])
        assert round(got, printed_precision(printed)) == float(printed), (row["kpi"], year, got, printed)
        checked += 1
    assert checked == len(reference_rows()) >= 12


def test_grade_a_share_is_computed_from_the_counts(demo_warehouse, capsys):
    capsys.readouterr()
    main(["kpis", "--year", "2021", "--format", "json", "--warehouse", str(demo_warehouse)])
    values = {v["kpi"]: v for v in json.loads(capsys.readouterr().out)}
    a, total = values["suppliers_grade_a"]["value"], values["suppliers_total"]["value"]
    assert values["suppliers_grade_a_share"]["value"] == pytest.approx(a / total * 100)
    assert round(values["suppliers_grade_a_share"]["value"], 1) == 55.6


def test_ytd_compares_the_same_months_of_the_prior_year(demo_warehouse, capsys):
    capsys.readouterr()
    main(["kpis", "--year", "2021", "--month", "6", "--ytd", "--format", "json", "--warehouse", str(demo_warehouse)])
    ytd = {v["kpi"]: v for v in json.loads(capsys.readouterr().out)}
    main(["kpis", "--year", "2020", "--month", "6", "--ytd", "--format", "json", "--warehouse", str(demo_warehouse)])
    prior = {v["kpi"]: v for v in json.loads(capsys.readouterr().out)}
    code = "incoming_inspection_pass_rate"
    assert ytd[code]["prior_value"] == pytest.approx(prior[code]["value"])
    assert ytd[code]["delta"] == pytest.approx(ytd[code]["value"] - prior[code]["value"])
