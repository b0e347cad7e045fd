"""The load path end to end on real files and a real DuckDB warehouse: merge, refusal, reload, rollback."""
from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from etl.cli import main
from warehouse.settings import load_settings
from tests.conftest import file_digest, query, write_csv

IQC_HEADER = ["检验单号", "检验类型", "检验日期", "物料编码", "物料名称", "供应商", "送检数量", "抽样数", "不良数", "检验结果"]


def iqc_rows(month: int, n: int, fail_every: int = 5, prefix: str = "IQC") -> list[list]:
    """n IQC lots in 2021-month; every fail_every-th lot fails with defects."""
    rows = []
    for i in range(1, n + 1):
        failed = i % fail_every == 0
        rows.append([f"{prefix}-{month:02d}-{i:03d}", "来料检验", f"2021/{month}/{i % 28 + 1}", f"M-{i % 3}",
                     "光学玻璃", "宁波光材", "1,200", "80", "3" if failed else "0", "不合格" if failed else "合格"])
    return rows


def test_load_gbk_inspection_log_registers_suppliers_and_items(tmp_path, warehouse):
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 10), encoding="gbk", title="2021年3月来料检验记录")
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*), sum(CASE WHEN result = 'pass' THEN 1 END), sum(lot_qty) FROM inspection") == [(10, 8, 12000)]
    assert query(warehouse, "SELECT code, registered_by_etl FROM supplier") == [("宁波光材", True)]
    assert query(warehouse, "SELECT count(*) FROM item WHERE family = 'material'") == [(3,)]
    assert query(warehouse, "SELECT min(source_row), max(source_row) FROM inspection") == [(3, 12)]


def test_unknown_headers_are_refused_and_the_warehouse_is_byte_identical(tmp_path, warehouse, capsys):
    good = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 5))
    assert main(["load", str(good), "--warehouse", str(warehouse)]) == 0
    before, files = file_digest(warehouse), sorted(p.name for p in warehouse.parent.iterdir())
    bad = write_csv(tmp_path / "odd.csv", ["检验日期", "物料编码", "备注"], [["2021/3/1", "M-1", "x"]])
    assert main(["load", str(bad), "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "odd.csv" in out and "inspection" in out and "检验单号 (id)" in out
    assert file_digest(warehouse) == before
    assert sorted(p.name for p in warehouse.parent.iterdir()) == files  # no temporary file left


def test_unchanged_files_load_without_waiting_for_another_writer(tmp_path, warehouse, capsys):
    from warehouse.snapshot import writer_lock

    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 4))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    with writer_lock(warehouse):  # another load is writing
        done = subprocess.run([sys.executable, "-m", "etl", "load", str(f), "--warehouse", str(warehouse)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "1 unchanged" in done.stdout, done.stderr


def test_a_file_another_load_took_meanwhile_is_unchanged(tmp_path, warehouse, monkeypatch, capsys):
    import etl.load

    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 4))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    before = file_digest(warehouse)
    monkeypatch.setattr(etl.load, "loaded_files", lambda warehouse: etl.load.LoadedFiles())  # looked before it was in
    other = write_csv(tmp_path / "iqc-04.csv", IQC_HEADER, iqc_rows(4, 3))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert file_digest(warehouse) == before
    assert main(["load", str(f), str(other), "--warehouse", str(warehouse)]) == 0
    assert "1 loaded, 1 unchanged" in capsys.readouterr().out
    assert query(warehouse, "SELECT count(*), count(DISTINCT source_file) FROM inspection") == [(7, 2)]
    assert query(warehouse, "SELECT count(*) FROM etl_run") == [(2,)]


def test_an_error_while_reading_leaves_the_warehouse_as_it_was(tmp_path, warehouse, monkeypatch):
    import etl.load

    first = write_csv(tmp_path / "a.csv", IQC_HEADER, iqc_rows(3, 4))
    assert main(["load", str(first), "--warehouse", str(warehouse)]) == 0
    before = file_digest(warehouse)
    files = sorted(p.name for p in warehouse.parent.iterdir())

    def failing(path, mapping, **kwargs):
        raise MemoryError("out of memory while reading")

    monkeypatch.setattr(etl.load, "stage_file", failing)
    second = write_csv(tmp_path / "b.csv", IQC_HEADER, iqc_rows(4, 40))
    with pytest.raises(MemoryError):
        etl.load.load_paths([second], load_settings(warehouse=warehouse), validate=False)
    assert file_digest(warehouse) == before
    assert sorted(p.name for p in warehouse.parent.iterdir()) == files  # no temporary file left


def test_too_many_bad_rows_refuses_the_file_naming_row_and_column(tmp_path, warehouse, capsys):
    rows = iqc_rows(3, 5)
    rows[1][2] = "2021-02-30"
    rows[3][6] = "很多"
    good = write_csv(tmp_path / "a.csv", IQC_HEADER, iqc_rows(4, 3))
    main(["load", str(good), "--warehouse", str(warehouse)])
    before = file_digest(warehouse)
    bad = write_csv(tmp_path / "bad.csv", IQC_HEADER, rows)
    assert main(["load", str(bad), "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    # the file's own headers name the cells, not the canonical columns
    assert "bad.csv" in out and "row 3, column 检验日期, value '2021-02-30'" in out and "送检数量" in out
    assert "inspected_on" not in out and "lot_qty" not in out
    assert file_digest(warehouse) == before


def test_one_bad_row_is_quarantined_and_the_rest_load(tmp_path, warehouse):
    rows = iqc_rows(3, 10)
    rows[4][2] = "2021-13-01"
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(9,)]
    assert query(warehouse, "SELECT file_name, source_row, column_name, value FROM quarantine") == [
        ("iqc.csv", 6, "检验日期", "2021-13-01")]


def test_same_file_twice_changes_nothing(tmp_path, warehouse, capsys):
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 10))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    before = file_digest(warehouse)
    copy = tmp_path / "copy-of-iqc.csv"
    copy.write_bytes(f.read_bytes())
    assert main(["load", str(f), str(copy), "--warehouse", str(warehouse)]) == 0
    assert file_digest(warehouse) == before
    assert "2 unchanged" in capsys.readouterr().out
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(10,)]


def test_two_copies_in_one_run_load_once_and_the_size_and_hash_are_recorded(tmp_path, warehouse, capsys):
    f = write_csv(tmp_path / "a.csv", IQC_HEADER, iqc_rows(3, 10))
    copy = tmp_path / "b.csv"
    copy.write_bytes(f.read_bytes())
    odd = write_csv(tmp_path / "odd.csv", ["备注"], [["x"]])
    assert main(["load", str(f), str(copy), str(odd), "--warehouse", str(warehouse)]) == 1
    assert "1 loaded, 1 unchanged, 1 refused" in capsys.readouterr().out
    assert query(warehouse, "SELECT name, status, bytes, hash FROM source_file ORDER BY name") == [
        ("a.csv", "loaded", f.stat().st_size, file_digest(f)), ("odd.csv", "refused", None, file_digest(odd))]
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(10,)]


def test_a_warehouse_from_before_file_sizes_and_zstd_ids_migrates_and_still_knows_its_files(tmp_path, warehouse):
    from warehouse.sql import migration_files

    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 10))
    warehouse.parent.mkdir()
    con = duckdb.connect(str(warehouse))  # the warehouse as migrations 001-004 left it, with one file loaded
    con.execute("CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in migration_files():
        if version <= 4:
            con.execute(sql)
            con.execute("INSERT INTO schema_migration VALUES (?, ?, current_localtimestamp())", [version, name])
    con.execute("INSERT INTO inspection (id, stage, inspected_on, lot, result, source_file) VALUES "
                "('OLD-1', 'FQC', DATE '2020-05-06', 'L-9', 'pass', ?)", [file_digest(f)])
    con.execute("INSERT INTO source_file (hash, name, status, loaded_at) VALUES (?, 'iqc.csv', 'loaded', now())",
                [file_digest(f)])
    con.close()
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0  # known by its hash: unchanged
    assert query(warehouse, "SELECT count(*) FROM schema_migration") == [(4,)]
    other = write_csv(tmp_path / "iqc-04.csv", IQC_HEADER, iqc_rows(4, 3))
    assert main(["load", str(other), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT id, lot FROM inspection WHERE stage = 'FQC'") == [("OLD-1", "L-9")]
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(4,)]
    stored = dict(query(warehouse, "SELECT column_name, any_value(compression) FROM pragma_storage_info('inspection') "
                                   "WHERE column_name IN ('id', 'lot', 'item') AND segment_type = 'VARCHAR' GROUP BY 1"))
    assert stored["id"] == stored["lot"] == "ZSTD" != stored["item"]
    with pytest.raises(duckdb.ConstraintException):  # the rebuilt table keeps its checks
        con = duckdb.connect(str(warehouse))
        try:
            con.execute("INSERT INTO inspection (id, stage, inspected_on, result) VALUES ('X', 'QC', DATE '2021-01-01', 'pass')")
        finally:
            con.close()


def test_corrected_export_replaces_the_rows_of_its_period_and_stage(tmp_path, warehouse):
    march = write_csv(tmp_path / "iqc-03.csv", IQC_HEADER, iqc_rows(3, 10))
    april = write_csv(tmp_path / "iqc-04.csv", IQC_HEADER, iqc_rows(4, 4))
    ipqc = write_csv(tmp_path / "ipqc-03.csv", IQC_HEADER,
                     [["P-1", "过程检验", "2021/3/10", "M-1", "镜筒", "", "100", "10", "0", "合格"]])
    assert main(["load", str(march), str(april), str(ipqc), "--warehouse", str(warehouse)]) == 0
    corrected = [r for i, r in enumerate(iqc_rows(3, 10)) if i not in (3, 4)]  # two lots entered by mistake
    corrected[0][9], corrected[0][8] = "不合格", "5"                              # and one result was wrong
    fixed = write_csv(tmp_path / "iqc-03-fixed.csv", IQC_HEADER, corrected)
    assert main(["load", str(fixed), "--replace", "--warehouse", str(warehouse)]) == 0
    by_month = query(warehouse, "SELECT month(inspected_on), count(*), count(*) FILTER (result = 'fail') FROM inspection "
                                "WHERE stage = 'IQC' GROUP BY 1 ORDER BY 1")
    assert by_month == [(3, 8, 2), (4, 4, 0)]  # lots 5 and 10 failed; 5 is gone, lot 1 now fails
    assert query(warehouse, "SELECT count(*) FROM inspection WHERE stage = 'IPQC'") == [(1,)]


def test_row_arriving_again_replaces_its_earlier_version(tmp_path, warehouse):
    first = write_csv(tmp_path / "a.csv", ["供应商编码", "供应商名称", "物料风险等级"], [["S01", "宁波光材", "A级"], ["S02", "义乌塑料", "C"]])
    again = write_csv(tmp_path / "b.csv", ["供应商编码", "供应商名称", "物料风险等级"], [["S01", "宁波光学材料有限公司", "B级"]])
    assert main(["load", str(first), "--warehouse", str(warehouse)]) == 0
    assert main(["load", str(again), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT code, name, risk_class FROM supplier ORDER BY code") == [
        ("S01", "宁波光学材料有限公司", "B"), ("S02", "义乌塑料", "C")]


def test_supplier_named_in_a_fact_file_resolves_to_its_code(tmp_path, warehouse):
    suppliers = write_csv(tmp_path / "s.csv", ["供应商编码", "供应商名称"], [["S01", "宁波光材"]])
    iqc = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 2))
    assert main(["load", str(iqc), str(suppliers), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT DISTINCT supplier FROM inspection") == [("S01",)]
    assert query(warehouse, "SELECT count(*) FROM supplier") == [(1,)]


def test_site_mapping_file_maps_headers_and_values(tmp_path, warehouse):
    mapping = tmp_path / "site.toml"
    mapping.write_text('[inspection.headers]\n"质检流水号" = "id"\n"工段" = "stage"\n'
                       '[inspection.values.result]\n"OK" = "pass"\n"NG" = "fail"\n'
                       '[inspection.values.stage]\n"来料" = "IQC"\n', encoding="utf-8")
    f = write_csv(tmp_path / "x.csv", ["质检流水号", "工段", "检验日期", "检验结果", "物料编码", "供应商"],
                  [["Q1", "来料", "2021.3.5", "OK", "M1", "S1"], ["Q2", "来料", "2021.3.6", "NG", "M1", "S1"]])
    assert main(["load", str(f), "--warehouse", str(warehouse), "--mapping", str(mapping)]) == 0
    assert query(warehouse, "SELECT id, stage, inspected_on::VARCHAR, result FROM inspection ORDER BY id") == [
        ("Q1", "IQC", "2021-03-05", "pass"), ("Q2", "IQC", "2021-03-06", "fail")]


def test_bad_mapping_file_is_a_usage_error(tmp_path, warehouse, capsys):
    mapping = tmp_path / "site.toml"
    mapping.write_text('[inspection.headers]\n"编号" = "no_such_column"\n', encoding="utf-8")
    f = write_csv(tmp_path / "x.csv", IQC_HEADER, iqc_rows(3, 1))
    assert main(["load", str(f), "--warehouse", str(warehouse), "--mapping", str(mapping)]) == 2
    assert "no_such_column" in capsys.readouterr().err
    assert not warehouse.exists()


def test_usage_errors_exit_2(tmp_path, warehouse):
    assert main(["load", str(tmp_path / "missing.csv"), "--warehouse", str(warehouse)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["load"])
    assert exc.value.code == 2


def test_partly_refused_run_loads_the_good_file_and_exits_1(tmp_path, warehouse):
    write_csv(tmp_path / "good.csv", IQC_HEADER, iqc_rows(3, 4))
    garbage = tmp_path / "photo.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    assert main(["load", str(tmp_path), "--warehouse", str(warehouse)]) == 1
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(4,)]
    assert query(warehouse, "SELECT name, status FROM source_file ORDER BY name") == [("good.csv", "loaded"), ("photo.csv", "refused")]


def test_reader_holding_the_warehouse_open_during_a_load(tmp_path, warehouse):
    first = write_csv(tmp_path / "a.csv", IQC_HEADER, iqc_rows(3, 5))
    assert main(["load", str(first), "--warehouse", str(warehouse)]) == 0
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM inspection").fetchone() == (5,)
        second = write_csv(tmp_path / "b.csv", IQC_HEADER, iqc_rows(4, 7))
        done = subprocess.run([sys.executable, "-m", "etl", "load", str(second), "--warehouse", str(warehouse)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert reader.execute("SELECT count(*) FROM inspection").fetchone() == (5,)
    finally:
        reader.close()
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(12,)]


def test_rollback_restores_the_previous_snapshot_and_keeps_five(tmp_path, warehouse):
    states = []
    for month in range(1, 8):
        f = write_csv(tmp_path / f"iqc-{month}.csv", IQC_HEADER, iqc_rows(month, 2))
        assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
        states.append(file_digest(warehouse))
    assert len(list((warehouse.parent / "snapshots").glob("quality-*.duckdb"))) == 5
    assert main(["rollback", "--warehouse", str(warehouse)]) == 0
    assert file_digest(warehouse) == states[-2]
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(12,)]
    assert main(["rollback", "--warehouse", str(warehouse)]) == 0
    assert file_digest(warehouse) == states[-3]


def test_rollback_without_snapshot_says_so(tmp_path, warehouse, capsys):
    assert main(["rollback", "--warehouse", str(warehouse)]) == 1
    assert "no earlier snapshot" in capsys.readouterr().err


def test_status_lists_tables_runs_and_files(tmp_path, warehouse, capsys):
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 3))
    main(["load", str(f), "--warehouse", str(warehouse)])
    capsys.readouterr()
    assert main(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^inspection +3$", out, re.M) and "iqc.csv" in out and "load" in out


def test_failed_merge_leaves_no_temporary_file_and_the_live_file_unchanged(tmp_path, warehouse):
    from warehouse.snapshot import write_snapshot

    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 3))
    main(["load", str(f), "--warehouse", str(warehouse)])
    before = file_digest(warehouse)
    with pytest.raises(RuntimeError):
        with write_snapshot(warehouse) as con:
            con.execute("DELETE FROM inspection")
            raise RuntimeError("disk full")
    assert file_digest(warehouse) == before
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["quality.duckdb", "quality.duckdb.lock"]


def test_quarantine_lists_bad_rows_and_a_corrected_file_releases_them(tmp_path, warehouse, capsys):
    rows = iqc_rows(3, 10)
    rows[2][6] = "20"           # sample 80 from a lot of 20: impossible
    rows[6][2] = "2021/3/32"    # no such day
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(8,)]
    capsys.readouterr()
    assert main(["quarantine", "--warehouse", str(warehouse)]) == 0
    listing = capsys.readouterr().out
    assert "iqc.csv" in listing and "2021/3/32" in listing
    # data row i sits on spreadsheet row i + 2 (the header is row 1)
    assert sorted(r[0] for r in query(warehouse, "SELECT source_row FROM quarantine WHERE released_at IS NULL")) == [4, 8]

    fixed_rows = iqc_rows(3, 10)
    fixed_rows[6][2] = "2021/3/31"
    fixed = write_csv(tmp_path / "iqc-fixed.csv", IQC_HEADER, fixed_rows)
    assert main(["load", str(fixed), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(10,)]
    assert query(warehouse, "SELECT count(*) FROM quarantine WHERE released_at IS NULL") == [(0,)]
    capsys.readouterr()
    main(["quarantine", "--warehouse", str(warehouse)])
    assert "no quarantined rows" in capsys.readouterr().out


def test_warnings_load_and_are_recorded(tmp_path, warehouse):
    rows = iqc_rows(3, 5)
    rows[0][9] = "不合格"          # a failed lot with no defects recorded: suspicious, not wrong
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(5,)]
    assert query(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]
    warned = query(warehouse, "SELECT severity, unexpected_count FROM validation_result "
                              "WHERE file_name = 'iqc.csv' AND NOT success")
    assert warned and all(sev == "warning" for sev, _ in warned)
    assert sum(n for _, n in warned) >= 1
    assert query(warehouse, "SELECT count(*) FROM validation_result WHERE file_name = 'iqc.csv' AND success")[0][0] > 5


def test_keys_must_be_unique_within_a_file_not_across_the_files_of_one_run(tmp_path, warehouse):
    march = iqc_rows(3, 12)
    march[11][0] = march[10][0]                  # the same lot number twice in one export
    first = write_csv(tmp_path / "a.csv", IQC_HEADER, march)
    again = write_csv(tmp_path / "b.csv", IQC_HEADER, [iqc_rows(3, 1)[0][:8] + ["4", "不合格"]])  # lot 1 re-inspected
    assert main(["load", str(first), str(again), "--warehouse", str(warehouse)]) == 0
    # both rows of the duplicate are held back: data rows 10 and 11 sit on spreadsheet rows 12 and 13
    assert sorted(r[0] for r in query(warehouse, "SELECT source_row FROM quarantine")) == [12, 13]
    # a.csv keeps lots 1-10; b.csv, loaded after it, replaces lot 1; lots 5 and 10 failed in a.csv
    assert query(warehouse, "SELECT count(*), list(id ORDER BY id) FILTER (result = 'fail') FROM inspection") == [
        (10, ["IQC-03-001", "IQC-03-005", "IQC-03-010"])]


def test_warehouse_defaults_to_the_environment_variable(tmp_path, warehouse, monkeypatch):
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 2))
    assert main(["load", str(f)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(2,)]


def test_survey_answers_off_the_scale_are_quarantined_with_the_question_named(tmp_path, warehouse):
    header = ["调查年度", "问卷编号", "客户名称", "问题1", "问题2", "问题3", "总体满意度"]
    rows = [[2021, f"R{i}", f"客户{i}", 4, 5, 4, 90] for i in range(1, 10)]
    rows[2][5] = 7                                   # question 3 answered 7 on a 1–5 scale
    f = write_csv(tmp_path / "survey.csv", header, rows, encoding="gbk")
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT source_row, column_name, value, reason_zh, reason_en FROM quarantine") == [
        (4, "问题3", "7", "问题3的评分不在1–5分之间", "问题3 score outside 1–5")]
    assert query(warehouse, "SELECT count(*), count(DISTINCT question) FROM survey_answer") == [(24, 3)]


def test_a_registered_frame_keeps_its_types_and_all_null_columns_and_can_be_read_twice():
    import datetime as dt

    import polars as pl

    from warehouse.db import register_frame

    frame = pl.DataFrame({"n": [1, None, 3], "day": [dt.date(2021, 3, 5), None, None], "empty": [None, None, None],
                          "text": ["合格", "ｘ", None]})
    con = duckdb.connect()
    try:
        register_frame(con, "f", frame)
        assert con.execute("SELECT * FROM f").fetchall() == [(1, dt.date(2021, 3, 5), None, "合格"), (None, None, None, "ｘ"),
                                                             (3, None, None, None)]
        assert con.execute("SELECT count(*), count(empty), sum(n) FROM f").fetchall() == [(3, 0, 4)]
    finally:
        con.close()
