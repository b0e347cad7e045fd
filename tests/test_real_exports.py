"""Exports shaped the way real ERPs and clerks write them: partial files, complete exports, files that lack columns,
ERP lists of another kind, damaged files among good ones. Expected counts come from comparing the warehouse's
rows before and after (independent of what the load reports), or from arithmetic on the fixture."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import etl.stage
from etl.cli import main
from etl.load import load_paths
from tests.conftest import file_digest, query, write_csv
from warehouse.settings import load_settings

README = Path(__file__).resolve().parent.parent / "README.md"
IQC_HEADER = ["检验单号", "检验类型", "检验日期", "物料编码", "物料名称", "供应商", "批量", "抽样数", "不良数", "检验结果"]
SUPPLIERS = [f"S{n}" for n in range(1, 7)]


def iqc_lot(supplier: str, n: int, failed: bool = False, day: int | None = None) -> list:
    """One IQC lot of a supplier in March 2021."""
    return [f"IQC-{supplier}-{n:02d}", "来料检验", f"2021/3/{day or n + 1}", f"M-{n % 3}", "光学玻璃", supplier,
            "1200", "80", "2" if failed else "0", "不合格" if failed else "合格"]


def inspection_rows(warehouse: Path) -> dict[str, tuple]:
    """Every inspection row by id, without the bookkeeping columns."""
    rows = query(warehouse, "SELECT id, stage, inspected_on, item, supplier, lot_qty, sample_qty, defects, result "
                            "FROM inspection")
    return {r[0]: r[1:] for r in rows}


def differences(before: dict, after: dict, file_keys: set) -> tuple[int, int, int, int]:
    """(inserted, updated, unchanged, deleted) computed from the rows themselves."""
    inserted = len(set(after) - set(before))
    deleted = len(set(before) - set(after))
    updated = sum(1 for k in file_keys & set(before) & set(after) if before[k] != after[k])
    unchanged = sum(1 for k in file_keys & set(before) & set(after) if before[k] == after[k])
    return inserted, updated, unchanged, deleted


def counts_printed(out: str, name: str) -> tuple[int, int, int, int]:
    """The inserted, updated, unchanged and deleted counts the CLI printed for one file."""
    line = next(line for line in out.splitlines() if name in line)
    found = re.search(r"(\d+) inserted.*?(\d+) updated.*?(\d+) unchanged.*?(\d+) deleted", line)
    return tuple(int(n) for n in found.groups())


@pytest.fixture
def six_suppliers(tmp_path, warehouse):
    """A warehouse holding March 2021's IQC lots of six suppliers, five lots each (lot 5 of each failed)."""
    full = write_csv(tmp_path / "iqc-2021-03.csv", IQC_HEADER,
                     [iqc_lot(s, n, failed=n == 5) for s in SUPPLIERS for n in range(1, 6)])
    assert main(["load", str(full), "--warehouse", str(warehouse)]) == 0
    assert len(inspection_rows(warehouse)) == 30
    return warehouse


def partial_file(tmp_path) -> tuple[Path, set]:
    """Two suppliers' lots: S1's five (lot 1 now failed) plus a new one, and S2's without its lot 3."""
    rows = [iqc_lot("S1", n, failed=n in (1, 5)) for n in range(1, 7)]
    rows += [iqc_lot("S2", n, failed=n == 5) for n in (1, 2, 4, 5)]
    return write_csv(tmp_path / "iqc-s1-s2.csv", IQC_HEADER, rows), {r[0] for r in rows}


def test_a_partial_file_leaves_the_other_suppliers_lots_untouched(tmp_path, six_suppliers, capsys):
    warehouse = six_suppliers
    before = inspection_rows(warehouse)
    path, keys = partial_file(tmp_path)
    capsys.readouterr()
    assert main(["load", str(path), "--warehouse", str(warehouse)]) == 0
    after = inspection_rows(warehouse)
    expected = differences(before, after, keys)
    assert expected == (1, 1, 8, 0)                       # by hand: S1-06 new, S1-01 changed, nothing removed
    assert counts_printed(capsys.readouterr().out, path.name) == expected
    assert {k: v for k, v in after.items() if v[3] not in ("S1", "S2")} == {
        k: v for k, v in before.items() if v[3] not in ("S1", "S2")}
    assert "IQC-S2-03" in after                            # the file did not say S2's lot 3 is gone


def test_a_declared_complete_export_replaces_its_period_within_its_suppliers(tmp_path, six_suppliers, capsys):
    warehouse = six_suppliers
    before = inspection_rows(warehouse)
    path, keys = partial_file(tmp_path)
    capsys.readouterr()
    assert main(["load", str(path), "--replace", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    after = inspection_rows(warehouse)
    expected = differences(before, after, keys)
    assert expected == (1, 1, 8, 1)                       # S2-03 is gone: the complete export no longer holds it
    assert counts_printed(out, path.name) == expected
    assert set(before) - set(after) == {"IQC-S2-03"}
    assert "1 inspection" in out
    assert query(warehouse, "SELECT rows_inserted, rows_updated, rows_unchanged, rows_deleted, replaced_period "
                            "FROM source_file WHERE name = ?", [path.name]) == [(*expected, True)]


def test_a_dry_run_counts_what_the_load_would_do_and_changes_nothing(tmp_path, six_suppliers, capsys):
    warehouse = six_suppliers
    digest, path = file_digest(warehouse), partial_file(tmp_path)[0]
    assert main(["load", str(path), "--replace", "--dry-run", "--warehouse", str(warehouse)]) == 0
    dry = capsys.readouterr().out
    assert file_digest(warehouse) == digest
    assert "would delete" in dry and "1 inspection" in dry
    assert main(["load", str(path), "--replace", "--warehouse", str(warehouse)]) == 0
    assert counts_printed(capsys.readouterr().out, path.name) == counts_printed(dry, path.name)


def test_the_site_mapping_declares_a_file_pattern_complete(tmp_path, six_suppliers):
    mapping = tmp_path / "site.toml"
    mapping.write_text('[[file]]\npattern = "iqc-s1-*.csv"\nkind = "inspection"\nreplace = "period"\n', encoding="utf-8")
    path, _ = partial_file(tmp_path)
    assert main(["load", str(path), "--warehouse", str(six_suppliers), "--mapping", str(mapping)]) == 0
    assert "IQC-S2-03" not in inspection_rows(six_suppliers)
    assert len(inspection_rows(six_suppliers)) == 30      # one lot new, one gone


def test_a_file_without_a_column_never_blanks_it(tmp_path, warehouse):
    full = write_csv(tmp_path / "suppliers.csv", ["供应商编码", "供应商名称", "物料风险等级", "供应物料"],
                     [["S1", "宁波光材", "A", "光学玻璃"], ["S2", "义乌塑料", "C", "塑料件"]])
    names = write_csv(tmp_path / "names.csv", ["供应商编码", "供应商名称"], [["S1", "宁波光学材料有限公司"], ["S3", "新供方"]])
    assert main(["load", str(full), "--warehouse", str(warehouse)]) == 0
    assert main(["load", str(names), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT code, name, risk_class, material FROM supplier ORDER BY code") == [
        ("S1", "宁波光学材料有限公司", "A", "光学玻璃"), ("S2", "义乌塑料", "C", "塑料件"), ("S3", "新供方", None, None)]


def test_a_fact_without_a_column_keeps_what_the_warehouse_knows(tmp_path, warehouse):
    header = ["客诉编号", "客户编码", "受理时间", "首次回应时间", "结案时间"]
    first = write_csv(tmp_path / "a.csv", header, [["C1", "K1", "2021-03-01 09:00", "2021-03-01 10:00", "2021-03-05 12:00"]])
    later = write_csv(tmp_path / "b.csv", header[:3], [["C1", "K1", "2021-03-01 09:00"]])
    assert main(["load", str(first), "--warehouse", str(warehouse)]) == 0
    assert main(["load", str(later), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT first_response_at::VARCHAR, closed_at::VARCHAR FROM complaint") == [
        ("2021-03-01 10:00:00", "2021-03-05 12:00:00")]


# --- recognition that knows when it is unsure -----------------------------------------------------------

U8_HEADER = ["单据号", "单据日期", "供应商编码", "供应商名称", "存货编码", "存货名称", "规格型号", "到货数量",
             "合格数量", "不合格数量", "拒收数量"]
U8_ROWS = [
    ["DH2021030001", "2021-03-02", "S1", "宁波光材", "M-100", "物镜", "10X", "500", "500", "0", "0"],
    ["DH2021030001", "2021-03-02", "S1", "宁波光材", "M-101", "目镜", "WF10X", "200", "196", "4", "0"],
    ["DH2021030002", "2021-03-03", "S2", "义乌塑料", "P-200", "镜筒", "", "1000", "980", "0", "20"],
    ["DH2021030003", "2021-03-05", "S2", "义乌塑料", "P-201", "底座", "", "300", "300", "0", "0"],
]


def readme_mapping_example() -> str:
    """The arrival-list mapping of the README's "Real exports" section, as written there."""
    section = README.read_text(encoding="utf-8").split("## Real exports", 1)[1]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_an_erp_arrival_list_is_refused_with_the_candidates_not_loaded_as_suppliers(tmp_path, warehouse, capsys):
    suppliers = write_csv(tmp_path / "suppliers.csv", ["供应商编码", "供应商名称", "物料风险等级"], [["S1", "宁波光材", "A"]])
    assert main(["load", str(suppliers), "--warehouse", str(warehouse)]) == 0
    u8 = write_csv(tmp_path / "到货单列表.csv", U8_HEADER, U8_ROWS)
    before = file_digest(warehouse)
    assert main(["load", str(u8), "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "供应商名录" in out and "检验记录" in out and "单据日期" in out
    assert file_digest(warehouse) == before
    assert query(warehouse, "SELECT risk_class FROM supplier WHERE code = 'S1'") == [("A",)]


def test_an_erp_arrival_list_loads_as_incoming_inspections_through_the_readme_mapping(tmp_path, warehouse):
    mapping = tmp_path / "site.toml"
    mapping.write_text(readme_mapping_example(), encoding="utf-8")
    u8 = write_csv(tmp_path / "到货单列表-2021-03.csv", U8_HEADER, U8_ROWS, encoding="gbk")
    assert main(["load", str(u8), "--warehouse", str(warehouse), "--mapping", str(mapping)]) == 0
    rows = query(warehouse, "SELECT id, stage, inspected_on::VARCHAR, supplier, item, lot_qty, defects, result "
                            "FROM inspection ORDER BY id")
    # by hand: a line fails when it has rejected or non-conforming units
    assert rows == [
        ("DH2021030001-M-100", "IQC", "2021-03-02", "S1", "M-100", 500, 0, "pass"),
        ("DH2021030001-M-101", "IQC", "2021-03-02", "S1", "M-101", 200, 4, "fail"),
        ("DH2021030002-P-200", "IQC", "2021-03-03", "S2", "P-200", 1000, 0, "fail"),
        ("DH2021030003-P-201", "IQC", "2021-03-05", "S2", "P-201", 300, 0, "pass"),
    ]
    assert query(warehouse, "SELECT count(*) FROM inspection WHERE sample_qty IS NOT NULL") == [(0,)]


def test_headers_that_fit_two_kinds_equally_are_refused_naming_both(tmp_path, warehouse, capsys):
    f = write_csv(tmp_path / "mixed.csv", ["供应商编码", "年度", "等级", "满意度"], [["S1", "2021", "A", "95"]])
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "供应商评级" in out and "供应商满意度" in out
    assert not warehouse.exists() or query(warehouse, "SELECT count(*) FROM supplier_grade") == [(0,)]


def test_constants_and_derived_columns_complete_a_register(tmp_path, warehouse):
    mapping = tmp_path / "site.toml"
    mapping.write_text('[[file]]\npattern = "来料*"\nkind = "inspection"\n[file.constants]\nstage = "IQC"\n',
                       encoding="utf-8")
    header = [h for h in IQC_HEADER if h != "检验类型"]
    rows = [[c for i, c in enumerate(iqc_lot("S1", n)) if i != 1] for n in (1, 2)]
    f = write_csv(tmp_path / "来料检验登记.csv", header, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse), "--mapping", str(mapping)]) == 0
    assert query(warehouse, "SELECT DISTINCT stage FROM inspection") == [("IQC",)]


# --- one bad file never stops the others -----------------------------------------------------------------


def test_damaged_and_failing_files_are_refused_by_name_and_the_good_one_loads(tmp_path, warehouse, monkeypatch):
    import zipfile

    good = write_csv(tmp_path / "good.csv", IQC_HEADER, [iqc_lot("S1", 1)])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name=")      # cut off
    odd = write_csv(tmp_path / "odd.csv", IQC_HEADER, [iqc_lot("S1", 2)])
    real = etl.stage.read_table

    def failing_on_odd(path, **kwargs):
        if Path(path).name == "odd.csv":
            raise RuntimeError("unexpected\nparser state")
        return real(path, **kwargs)

    monkeypatch.setattr(etl.stage, "read_table", failing_on_odd)
    summary = load_paths([tmp_path], load_settings(warehouse=warehouse))
    by_name = {f.name: f for f in summary.files}
    assert by_name["good.csv"].status == "loaded"
    assert by_name["damaged.xlsx"].status == "refused" and by_name["damaged.xlsx"].reason_zh
    assert by_name["odd.csv"].status == "refused"
    assert "RuntimeError" in by_name["odd.csv"].reason_en and "\n" not in by_name["odd.csv"].reason_en
    assert summary.exit_code == 1
    assert set(inspection_rows(warehouse)) == {"IQC-S1-01"}


def test_a_folder_load_lists_the_files_it_skipped(tmp_path, warehouse, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(folder / "good.csv", IQC_HEADER, [iqc_lot("S1", 1)])
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$book.xlsx").write_bytes(b"lock")
    assert main(["load", str(folder), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "说明.pdf" in out and "~$book.xlsx" in out and "2 skipped" in out


def test_the_next_writer_removes_what_a_killed_load_left(tmp_path, warehouse):
    write_csv(tmp_path / "a.csv", IQC_HEADER, [iqc_lot("S1", 1)])
    assert main(["load", str(tmp_path / "a.csv"), "--warehouse", str(warehouse)]) == 0
    left = [warehouse.with_name(f".{warehouse.name}.4242.20260101T000000000000.tmp"),
            warehouse.with_name(f".{warehouse.name}.4242.20260101T000000000000.tmp.wal")]
    for p in left:
        p.write_bytes(b"x" * 1024)
    write_csv(tmp_path / "b.csv", IQC_HEADER, [iqc_lot("S1", 2)])
    assert main(["load", str(tmp_path / "b.csv"), "--warehouse", str(warehouse)]) == 0
    assert not any(p.exists() for p in left)


# --- what clerks write -------------------------------------------------------------------------------------


def test_units_and_the_dispositions_clerks_write_are_understood(tmp_path, warehouse):
    header = ["检验单号", "检验类型", "检验日期", "物料编码", "供应商", "批量", "抽样数", "不良数", "检验结果", "处理方式"]
    written = [("500pcs", "50 PCS", "0", "合格", "接收"), ("5个", "5个", "1", "特采", "特采"),
               ("1,000 只", "80只", "3", "不合格", "让步接收"), ("200", "20", "2", "不合格", "挑选使用"),
               ("300", "30", "4", "不合格", "拣用"), ("400", "40", "5", "不合格", "判退"),
               ("600", "60", "6", "不合格", "退货"), ("700", "70", "7", "不合格", "返工")]
    rows = [[f"L{i}", "来料检验", "2021-03-05", "M-1", "S1", *w] for i, w in enumerate(written)]
    f = write_csv(tmp_path / "register.csv", header, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT id, lot_qty, sample_qty, result, disposition FROM inspection ORDER BY id") == [
        ("L0", 500, 50, "pass", "accept"), ("L1", 5, 5, "fail", "concession"), ("L2", 1000, 80, "fail", "concession"),
        ("L3", 200, 20, "fail", "rework"), ("L4", 300, 30, "fail", "rework"), ("L5", 400, 40, "fail", "return"),
        ("L6", 600, 60, "fail", "return"), ("L7", 700, 70, "fail", "rework")]
    assert query(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]


def test_a_row_without_its_master_data_code_is_quarantined_naming_the_header(tmp_path, warehouse):
    rows = [iqc_lot("S1", n) for n in range(1, 11)]
    rows[2][3] = ""          # no item
    rows[6][5] = ""          # an incoming lot without its supplier
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT source_row, column_name, reason_zh FROM quarantine ORDER BY source_row") == [
        (4, "物料编码", "物料编码为空"), (8, "供应商", "供应商为空（来料检验须有供应商）")]
    assert len(inspection_rows(warehouse)) == 8


def test_reasons_name_the_header_as_written_and_allowed_values_in_the_files_language(tmp_path, warehouse):
    rows = [iqc_lot("S1", n) for n in range(1, 11)]
    rows[1][6] = "很多"
    rows[3][9] = "待定"
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    reasons = dict(query(warehouse, "SELECT column_name, reason_zh FROM quarantine"))
    assert reasons["批量"].startswith("批量不是整数")
    assert reasons["检验结果"].startswith("检验结果不是允许的取值") and "合格/不合格" in reasons["检验结果"]
    assert "pass" not in reasons["检验结果"]


def test_a_taiwanese_suppliers_big5_file_loads_with_traditional_or_english_headers(tmp_path, warehouse):
    traditional = ["檢驗單號", "檢驗類型", "檢驗日期", "物料編碼", "物料名稱", "供應商", "送檢數量", "抽樣數", "不良數", "檢驗結果"]
    rows = [["TW-1", "來料檢驗", "2021/3/2", "M-1", "物鏡", "台灣精密光學股份有限公司", "100", "10", "0", "合格"],
            ["TW-2", "來料檢驗", "2021/3/3", "M-2", "稜鏡", "台灣精密光學股份有限公司", "50", "8", "2", "不合格"]]
    english = ["Inspection No", "Stage", "Inspection Date", "Item Code", "Supplier", "Lot Qty", "Sample Qty", "Defects",
               "Result"]
    rows_en = [["TW-3", "IQC", "2021-03-04", "M-3", "台灣精密光學股份有限公司", "80", "8", "0", "pass"]]
    write_csv(tmp_path / "tw.csv", traditional, rows, encoding="big5")
    write_csv(tmp_path / "tw-en.csv", english, rows_en, encoding="big5")
    assert main(["load", str(tmp_path), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT id, stage, supplier, result FROM inspection ORDER BY id") == [
        ("TW-1", "IQC", "台灣精密光學股份有限公司", "pass"), ("TW-2", "IQC", "台灣精密光學股份有限公司", "fail"),
        ("TW-3", "IQC", "台灣精密光學股份有限公司", "pass")]
    assert query(warehouse, "SELECT DISTINCT encoding FROM source_file") == [("big5",)]


def test_footer_lines_are_skipped_and_reported_not_counted_as_bad_rows(tmp_path, warehouse, capsys):
    rows = [iqc_lot("S1", n) for n in range(1, 5)]
    footer = [["合计：4批", "", "", "", "", "", "4800"], ["制表人：张三", "", "", "审核：李四"], ["批准："],
              ["打印日期：2021-04-01"]]
    f = write_csv(tmp_path / "register.csv", IQC_HEADER, rows + [[]] + footer)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "4 footer/totals lines skipped" in out and "row 8" in out
    assert len(inspection_rows(warehouse)) == 4
    assert query(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]


def test_a_row_with_more_fields_than_the_header_is_quarantined_not_trimmed(tmp_path, warehouse):
    rows = [iqc_lot("S1", n) for n in range(1, 8)]
    rows[2] = rows[2] + ["多写的备注", "", "又一个"]
    f = write_csv(tmp_path / "ragged.csv", IQC_HEADER, rows)
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT source_row, reason_zh FROM quarantine") == [(4, "多出 2 个字段（比表头多）")]
    assert "IQC-S1-03" not in inspection_rows(warehouse) and len(inspection_rows(warehouse)) == 6
