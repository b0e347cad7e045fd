"""python -m etl spc: the CSV's header and rows against counts read straight from the warehouse and limits worked
out here, the rules on a constructed warehouse, and the errors in both languages."""
import csv
import datetime as dt
import io
import math

import duckdb
import pytest

from etl.cli import main
from tests.conftest import query
from warehouse.db import apply_migrations

HEADER = "month,lots,failed,p,centre,lcl,ucl,rules"


@pytest.fixture
def constructed(tmp_path):
    """A warehouse file: supplier S1's IQC lots, 20 a month: 2 failed each month of 2025, 6 failed in 2026-01..03."""
    path = tmp_path / "quality.duckdb"
    con = duckdb.connect(str(path))
    apply_migrations(con)
    con.execute("INSERT INTO supplier (code, name) VALUES ('S1', '一号供应商')")
    lot = 0
    for year, months, failed in ((2025, range(1, 13), 2), (2026, range(1, 4), 6)):
        for m in months:
            for i in range(20):
                lot += 1
                con.execute("INSERT INTO inspection (id, stage, inspected_on, supplier, result, sample_qty, defects) "
                            "VALUES (?, 'IQC', ?, 'S1', ?, 10, ?)",
                            [f"L{lot}", dt.date(year, m, 5), "fail" if i < failed else "pass", 1 if i < failed else 0])
    con.close()
    return path


def run(capsys, *args):
    code = main(["spc", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_of_a_constructed_warehouse(constructed, capsys):
    code, out, _ = run(capsys, "--warehouse", constructed, "--stage", "IQC", "--supplier", "S1", "--from", "2025-10",
                       "--to", "2026-03", "--baseline", "2025-01:2025-12", "--format", "csv", "--as-of", "2026-06-30")
    assert code == 0
    # p̄ = 24/240 = 0.1; σ = √(0.1·0.9/20) = 0.067082; UCL = 0.1 + 0.201246 = 0.301246; LCL below 0 → 0.
    # 2026: p = 0.3, z = 2.98: January alone is no signal, February and March are 2 of 3 beyond 2σ.
    quiet = "0.1,0.1,0,0.301246,"
    assert out.splitlines() == [
        HEADER,
        f"2025-10,20,2,{quiet}", f"2025-11,20,2,{quiet}", f"2025-12,20,2,{quiet}",
        "2026-01,20,6,0.3,0.1,0,0.301246,",
        "2026-02,20,6,0.3,0.1,0,0.301246,2_of_3_beyond_2sigma",
        "2026-03,20,6,0.3,0.1,0,0.301246,2_of_3_beyond_2sigma"]


def test_u_chart_csv_and_the_table_in_words(constructed, capsys):
    code, out, _ = run(capsys, "--warehouse", constructed, "--stage", "IQC", "--chart", "u", "--from", "2026-01",
                       "--to", "2026-03", "--baseline", "2025-01:2025-12", "--format", "csv", "--as-of", "2026-06-30")
    # ū = 24 defects / 2400 units = 0.01; σ = √(0.01/200) = 0.0070711; UCL = 0.031213; u = 6/200 = 0.03 (z = 2.83)
    assert code == 0 and out.splitlines() == [
        "month,units,defects,u,centre,lcl,ucl,rules",
        "2026-01,200,6,0.03,0.01,0,0.031213,",
        "2026-02,200,6,0.03,0.01,0,0.031213,2_of_3_beyond_2sigma",
        "2026-03,200,6,0.03,0.01,0,0.031213,2_of_3_beyond_2sigma"]
    code, out, _ = run(capsys, "--warehouse", constructed, "--stage", "IQC", "--from", "2026-01", "--to", "2026-03",
                       "--baseline", "2025-01:2025-12", "--lang", "zh", "--as-of", "2026-06-30")
    assert code == 0
    assert "基准期 2025-01 至 2025-12" in out
    assert "2026-02: 连续3点中有2点在同侧2σ以外 (规则2)" in out


def test_running_month_is_marked_and_left_out_of_the_default_baseline(constructed, capsys):
    code, out, _ = run(capsys, "--warehouse", constructed, "--stage", "IQC", "--format", "csv", "--from", "2025-12",
                       "--to", "2026-03", "--as-of", "2026-03-20")
    rows = list(csv.DictReader(io.StringIO(out)))
    # the default baseline is 2025-12..2026-02 (March still runs): (2 + 6 + 6) / 60
    assert code == 0 and float(rows[0]["centre"]) == pytest.approx(14 / 60, abs=1e-6)
    assert [r["month"] for r in rows] == ["2025-12", "2026-01", "2026-02", "2026-03"]


def test_demo_csv_rows_are_the_warehouses_counts_with_limits_from_the_baseline(demo_warehouse, capsys):
    code, out, _ = run(capsys, "--warehouse", demo_warehouse, "--stage", "FQC", "--from", "2021-01", "--to", "2021-12",
                       "--baseline", "2020-01:2020-12", "--format", "csv", "--as-of", "2022-06-30")
    assert code == 0 and out.splitlines()[0] == HEADER
    counted = {f"{y}-{m:02d}": (n, f) for y, m, n, f in query(demo_warehouse, """
        SELECT year(inspected_on), month(inspected_on), count(*), count(*) FILTER (WHERE result = 'fail')
        FROM inspection WHERE stage = 'FQC' AND year(inspected_on) IN (2020, 2021) GROUP BY ALL""")}
    base = [v for k, v in counted.items() if k.startswith("2020")]
    p_bar = sum(f for _, f in base) / sum(n for n, _ in base)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["month"] for r in rows] == [f"2021-{m:02d}" for m in range(1, 13)]
    for r in rows:
        n, failed = counted[r["month"]]
        sigma = math.sqrt(p_bar * (1 - p_bar) / n)
        assert (int(r["lots"]), int(r["failed"])) == (n, failed)
        assert float(r["p"]) == pytest.approx(failed / n, abs=1e-6)
        assert float(r["centre"]) == pytest.approx(p_bar, abs=1e-6)
        assert float(r["ucl"]) == pytest.approx(p_bar + 3 * sigma, abs=1e-6)
        assert float(r["lcl"]) == pytest.approx(max(0.0, p_bar - 3 * sigma), abs=1e-6)
        z = (failed / n - p_bar) / sigma
        assert ("beyond_3sigma" in r["rules"].split(";")) == (abs(z) > 3)


@pytest.mark.parametrize("args, en, zh", [
    (["--stage", "XQC"], "no inspection stage 'XQC'", "没有检验环节"),
    (["--stage", "IQC", "--supplier", "NOPE"], "no supplier 'NOPE'", "没有供应商"),
    (["--stage", "IQC", "--from", "2026-3"], "not a month as YYYY-MM", "月份应写作"),
    (["--stage", "IQC", "--baseline", "2019-01:2019-12"], "the baseline 2019-01:2019-12 has no lots", "基准期"),
    (["--stage", "IQC", "--baseline", "2025-01"], "YYYY-MM:YYYY-MM", "基准期"),
])
def test_errors_are_told_in_both_languages(constructed, capsys, args, en, zh):
    code, out, err = run(capsys, "--warehouse", constructed, *args, "--as-of", "2026-06-30")
    assert code == 2 and out == ""
    assert en in err and zh in err
