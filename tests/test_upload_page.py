"""The 上传 upload and 刷新 refresh pages under AppTest on real warehouse files: a survey's preview (encoding, mapped
columns, problems by row and column), commit, duplicate, undo, refusals; ERP exports loaded with a summary; rollback;
downloads that cannot carry a formula."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.downloads import csv_bytes, xlsx_bytes
from tests.conftest import query, shown, signed_in_app, unescaped, write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from tests.test_upload import THREE, survey_bytes, survey_row
from warehouse.settings import load_settings
from warehouse.users import accounts_connection, audit_entries

CSV = "text/csv"


def analyst_on(page: str, warehouse, monkeypatch, **env) -> AppTest:
    """An AppTest logged in as an analyst (sales.wu) on the page."""
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    return signed_in_app(warehouse, "sales.wu", "analyst", page)


def uploaded(at: AppTest, name: str, data: bytes) -> AppTest:
    """The page after choosing a file in its (first) file uploader."""
    at.file_uploader[0].set_value((name, data, CSV)).run()
    assert not at.exception, at.exception
    return at


def messages(at: AppTest) -> list[str]:
    """Every success, info, warning and error text, as the reader sees it."""
    return shown([*at.success, *at.info, *at.warning, *at.error])


def audited(warehouse) -> list[tuple]:
    """(actor, action) of the audit log, oldest first."""
    with accounts_connection(load_settings(warehouse=warehouse)) as con:
        return [(e.actor, e.action) for e in reversed(audit_entries(con))]


def responses(warehouse) -> int:
    return query(warehouse, "SELECT count(*) FROM survey_response")[0][0]


@pytest.fixture
def upload_page(warehouse, monkeypatch) -> AppTest:
    return analyst_on("upload", warehouse, monkeypatch)


# Upload ---------------------------------------------------------------------------------------------------------


def test_a_gbk_survey_previews_with_its_encoding_and_columns_then_loads_as_a_batch(upload_page, warehouse):
    at = upload_page
    assert at.title[0].value == "上传" and [b.label for b in at.download_button] == ["下载模板 CSV", "下载模板 Excel"]
    assert shown(at.info) == ["还没有上传批次。"]
    uploaded(at, "2021年顾客满意度.csv", survey_bytes(THREE, "gbk"))
    assert any("编码 gb18030（GBK/GB18030 中文编码）" in c and "数据 3 行" in c for c in shown(at.caption))
    assert shown(at.success) == ["可导入 3 行"]
    mapped = at.table[0].value.set_index("文件中的列名")
    assert mapped.loc["调查年度", "对应字段"] == "survey_year" and mapped.loc["总体满意度", "对应字段"] == "overall_score"
    assert mapped.loc["问题3", "对应字段"] == "q:问题3" and len(mapped) == 13
    first = at.dataframe[-1].value
    assert list(first["问卷编号"]) == ["MY2021-001", "MY2021-002", "MY2021-003"] and list(first["行号"]) == [2, 3, 4]
    assert not warehouse.exists()                                      # a preview writes nothing
    at.button(key="upload_commit").click().run()
    assert not at.exception
    [done] = shown(at.success)
    assert done.startswith("已导入 3 行（批次 U")
    assert responses(warehouse) == 3 and not at.file_uploader[0].value   # the uploader is empty again
    assert [t.value for t in at.text] == ["2021年顾客满意度.csv"]
    assert "sales.wu · 3 行" in shown(at.main.caption)[-1]
    assert audited(warehouse)[-1] == ("sales.wu", "upload")


def test_the_same_file_again_is_a_duplicate_and_counts_nothing_twice(upload_page, warehouse):
    at = uploaded(upload_page, "a.csv", survey_bytes(THREE))
    at.button(key="upload_commit").click().run()
    uploaded(at, "again.csv", survey_bytes(THREE))
    [warning] = shown(at.warning)
    assert "相同内容的文件“a.csv”" in warning and "不会重复计入" in warning
    assert not [b for b in at.button if b.key == "upload_commit"] and responses(warehouse) == 3


def test_undo_asks_first_then_removes_the_batch(upload_page, warehouse):
    at = uploaded(upload_page, "a.csv", survey_bytes(THREE))
    at.button(key="upload_commit").click().run()
    batch = query(warehouse, "SELECT id FROM upload_batch")[0][0]
    at.button(key=f"undo-{batch}").click().run()
    assert responses(warehouse) == 3 and any(f"确认撤销批次 {batch}" in w for w in shown(at.warning))
    at.button(key="undo_cancel").click().run()
    assert not at.warning and responses(warehouse) == 3
    at.button(key=f"undo-{batch}").click().run()
    at.button(key="undo_confirm").click().run()
    assert not at.exception and shown(at.success) == [f"已撤销批次 {batch}：删除 3 份问卷。"]
    assert responses(warehouse) == 0 and "撤销" in shown(at.main.caption)[-1]
    assert not [b for b in at.button if b.key == f"undo-{batch}"]
    assert audited(warehouse)[-1] == ("sales.wu", "upload_undo")


def test_problems_are_listed_by_row_and_column_in_the_users_language(upload_page, warehouse):
    rows = [*map(list, THREE), *(survey_row(2021, n, f"客户{n}", [5] * 8, 100) for n in range(4, 8))]  # copies: THREE is shared
    rows[1][-1] = "很好"                                              # overall score is not a number
    at = uploaded(upload_page, "survey.csv", survey_bytes(rows, "utf-8"))
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["行", "列", "值", "原因"]
    assert problems.iloc[0][["行", "列", "值"]].tolist() == [3, "总体满意度", "很好"]
    assert shown(at.success) == ["可导入 6 行，1 行未通过校验将被隔离"]
    at.sidebar.radio(key="lang").set_value("en").run()
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["Row", "Column", "Value", "Reason"]
    # English words around the header as the file writes it
    assert problems.iloc[0]["Reason"] == "总体满意度: not a number"


@pytest.mark.parametrize("name, data, says", [
    ("garbage.csv", bytes(range(256)) * 8, "这是二进制文件，不是 CSV 或 XLSX 表格"),
    ("notes.txt", "会议纪要\n今天讨论了质量目标\n".encode("gbk"), "文件不像是表格"),
    ("book.xlsx", b"PK\x03\x04 not really a workbook", "不是 XLSX 工作簿"),
])
def test_a_file_that_is_not_a_table_gets_a_clear_message(upload_page, warehouse, name, data, says):
    at = uploaded(upload_page, name, data)
    [error] = shown(at.error)
    assert says in error and name in error
    assert not [b for b in at.button if b.key == "upload_commit"] and not warehouse.exists()


def test_a_file_over_the_limit_is_not_read(warehouse, monkeypatch):
    at = analyst_on("upload", warehouse, monkeypatch, QUALITY_UPLOAD_MAX_MB=0.001)
    assert at.file_uploader[0].proto.max_upload_size_mb == 1      # the browser refuses it first (whole MB)
    uploaded(at, "big.csv", survey_bytes(THREE * 20))
    assert shown(at.error) == ["文件大小 0.0 MB，超过上限 0.001 MB，未读取。"]
    assert not at.table and not warehouse.exists()


def test_file_names_are_shown_as_written_never_as_markdown(upload_page):
    name = "[点这里](http://example.com) **2021**.csv"
    at = uploaded(upload_page, name, survey_bytes(THREE))
    line = next(m.value for m in at.markdown if "文件名" in m.value)
    assert "](" not in line and "**2021" not in line and unescaped(line) == f"文件名： {name}"


def test_downloaded_tables_cannot_carry_a_formula():
    frame = pd.DataFrame({"=客户": ["=HYPERLINK(\"http://x\",\"点\")", "+86 571", "@SUM(A1)", "-3", "杭州"],
                          "分数": [1, 2, 3, -4, 5]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows == [["'=客户", "分数"], ["'=HYPERLINK(\"http://x\",\"点\")", "1"], ["'+86 571", "2"],
                    ["'@SUM(A1)", "3"], ["'-3", "-4"], ["杭州", "5"]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert [c.data_type for c in sheet[1]] == ["s", "s"] and sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\",\"点\")" and sheet["B5"].value == -4


# Refresh --------------------------------------------------------------------------------------------------------


def test_refresh_loads_uploaded_exports_with_a_summary_then_rolls_back(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    assert at.title[0].value == "刷新" and shown(at.info)[0].startswith("尚未设置导入文件夹")
    march = write_csv(tmp_path / "iqc-march.csv", IQC_HEADER, iqc_rows(3, 20)).read_bytes()
    odd = "检验日期,物料编码,备注\n2021/3/1,M-1,x\n".encode("gbk")
    at.file_uploader[0].set_value([("进料检验_3月.csv", march, CSV), ("odd.csv", odd, CSV)]).run()
    at.button(key="refresh_uploaded").click().run()
    assert not at.exception, at.exception
    [summary] = shown(at.warning)
    assert summary.startswith("1 个文件已加载，0 个未变化，1 个被拒收；加载 20 行")
    files = at.dataframe[0].value.set_index("文件")
    assert files.loc["进料检验_3月.csv", "状态"] == "✓ 已加载" and files.loc["进料检验_3月.csv", "类别"] == "检验记录"
    assert files.loc["odd.csv", "状态"] == "✗ 拒收" and files.loc["odd.csv", "原因"]
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(20,)]
    assert query(warehouse, "SELECT name FROM source_file WHERE status = 'loaded'") == [("进料检验_3月.csv",)]
    assert audited(warehouse)[-1] == ("sales.wu", "refresh")
    assert not at.file_uploader[0].value

    april = write_csv(tmp_path / "iqc-april.csv", IQC_HEADER, iqc_rows(4, 10, prefix="APR")).read_bytes()
    at.file_uploader[0].set_value([("进料检验_4月.csv", april, CSV)]).run()
    at.button(key="refresh_uploaded").click().run()
    assert shown(at.success)[0].startswith("1 个文件已加载") and query(warehouse, "SELECT count(*) FROM inspection") == [(30,)]

    at.button(key="rollback").click().run()
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(30,)]       # nothing before the confirmation
    assert any("确认回滚" in w for w in shown(at.warning))
    at.button(key="rollback_confirm").click().run()
    assert not at.exception and shown(at.success)[0].startswith("已恢复到")
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(20,)]
    assert audited(warehouse)[-1] == ("sales.wu", "rollback")


def test_refresh_loads_what_is_new_in_the_import_folder(tmp_path, warehouse, monkeypatch):
    folder = tmp_path / "imports"
    folder.mkdir()
    write_csv(folder / "iqc.csv", IQC_HEADER, iqc_rows(3, 20))
    at = analyst_on("refresh", warehouse, monkeypatch, QUALITY_IMPORT_DIR=folder)
    assert any("1 个导出文件" in c for c in shown(at.main.caption))
    at.button(key="refresh_folder").click().run()
    assert shown(at.success)[0].startswith("1 个文件已加载") and query(warehouse, "SELECT count(*) FROM inspection") == [(20,)]
    at.button(key="refresh_folder").click().run()
    assert shown(at.success)[0].startswith("0 个文件已加载，1 个未变化") and "数据没有变化" in shown(at.success)[0]


def test_refresh_says_when_the_import_folder_is_missing(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch, QUALITY_IMPORT_DIR=tmp_path / "nowhere")
    assert any("导入文件夹不存在" in w for w in shown(at.warning))
    assert not [b for b in at.button if b.key == "refresh_folder"]
    assert shown(at.info) == ["没有可回滚的快照。"]
