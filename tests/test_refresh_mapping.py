"""The 刷新 refresh and 上传 upload pages under AppTest on real warehouse and mapping files: complete exports (a dry
run, the rows it would delete per kind, confirm or cancel), the per-file counts, .xls accepted, and the column mapper
for a file whose headers are not known (checks shown next to the fields, not for viewers, saved to the site mapping
file, the next load takes the file)."""
from __future__ import annotations

import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from app.mapper import file_slug
from etl.mapping import read_site_mapping
from tests.conftest import query, shown, signed_in_app, write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from tests.test_mapping_file import ARRIVAL, arrival_rows
from tests.test_upload import THREE, survey_bytes
from tests.test_upload_page import CSV, analyst_on, audited, messages

ARRIVAL_NAME = "到货单2021-03.csv"


def iqc_bytes(tmp_path, rows, name="iqc.csv") -> bytes:
    return write_csv(tmp_path / name, IQC_HEADER, rows).read_bytes()


def load_uploads(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    """Choose the files in the refresh page's uploader and press its load button."""
    at.file_uploader[0].set_value([(name, data, CSV) for name, data in files]).run()
    at.button(key="refresh_uploaded").click().run()
    assert not at.exception, at.exception
    return at


def files_table(at: AppTest):
    return at.dataframe[0].value.set_index("文件")


def ids(warehouse) -> set[str]:
    return {r[0] for r in query(warehouse, "SELECT id FROM inspection")}


# Complete exports -------------------------------------------------------------------------------------------


def test_a_complete_export_shows_what_it_would_delete_and_deletes_it_only_when_confirmed(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    march = iqc_rows(3, 20)
    load_uploads(at, [("进料检验_3月.csv", iqc_bytes(tmp_path, march))])
    assert len(ids(warehouse)) == 20
    box = at.checkbox(key="refresh_replace")
    assert box.label == "这些文件是完整导出：替换其期间"
    assert "最早与最晚日期之间" in box.help and "检验类别和供应商" in box.help and "只更新、不删除" in box.help
    # the corrected export: lots 5-9 are gone, lot 1 changed, lots 21-22 new; its dates span the same days
    corrected = [r for i, r in enumerate(march, start=1) if not 5 <= i <= 9]
    corrected[0] = corrected[0][:-2] + ["2", "不合格"]
    corrected += iqc_rows(3, 22)[20:]
    before = ids(warehouse)
    box.check().run()
    load_uploads(at, [("进料检验_3月_更正.csv", iqc_bytes(tmp_path, corrected, "c.csv"))])
    [warning] = shown(at.warning)
    assert "将删除：检验记录 5 行" in warning and "确认加载" in warning
    assert ids(warehouse) == before                                        # the dry run changed nothing
    assert [b.key for b in at.button if b.key in ("refresh_replace_confirm", "refresh_replace_cancel")] == [
        "refresh_replace_confirm", "refresh_replace_cancel"]
    at.button(key="refresh_replace_confirm").click().run()
    assert not at.exception, at.exception
    after = ids(warehouse)
    gone = before - after
    assert len(gone) == 5 == files_table(at).loc["进料检验_3月_更正.csv", "删除"]    # shown is what went
    assert gone == {f"IQC-03-{i:03d}" for i in range(5, 10)} and after - before == {"IQC-03-021", "IQC-03-022"}
    row = files_table(at).loc["进料检验_3月_更正.csv"]
    assert (row["状态"], row["类别"], row["行数"], row["插入"], row["更新"], row["未变"], row["隔离行"]) == (
        "✓ 已加载", "检验记录", 17, 2, 1, 14, 0)
    assert "删除 5 行" in shown(at.success)[0]
    assert query(warehouse, "SELECT rows_deleted, replaced_period FROM source_file "
                            "WHERE name = '进料检验_3月_更正.csv'") == [(5, True)]
    assert audited(warehouse)[-1] == ("sales.wu", "refresh")


def test_cancelling_a_complete_export_changes_nothing(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    load_uploads(at, [("march.csv", iqc_bytes(tmp_path, iqc_rows(3, 10)))])
    runs = query(warehouse, "SELECT count(*) FROM etl_run")
    at.checkbox(key="refresh_replace").check().run()
    kept = [r for i, r in enumerate(iqc_rows(3, 10), start=1) if i in (1, 3, 4, 5, 10)]   # the same first and last day
    load_uploads(at, [("march-short.csv", iqc_bytes(tmp_path, kept, "s.csv"))])
    assert any("检验记录 5 行" in w for w in shown(at.warning))
    at.button(key="refresh_replace_cancel").click().run()
    assert shown(at.info)[0] == "已取消，数据没有改变。"
    assert not [b for b in at.button if b.key == "refresh_replace_confirm"]
    assert len(ids(warehouse)) == 10 and query(warehouse, "SELECT count(*) FROM etl_run") == runs


def test_a_complete_export_that_deletes_nothing_loads_without_asking(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    at.checkbox(key="refresh_replace").check().run()
    load_uploads(at, [("march.csv", iqc_bytes(tmp_path, iqc_rows(3, 10)))])
    assert not at.warning and shown(at.success)[0].startswith("1 个文件已加载") and len(ids(warehouse)) == 10


def test_in_english_the_checkbox_confirmation_and_table_are_english(tmp_path, warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    load_uploads(at, [("march.csv", iqc_bytes(tmp_path, iqc_rows(3, 10)))])
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.checkbox(key="refresh_replace").label == "These files are complete exports: replace their period"
    at.checkbox(key="refresh_replace").check().run()
    load_uploads(at, [("short.csv", iqc_bytes(tmp_path, iqc_rows(3, 10)[:1] + iqc_rows(3, 10)[-1:], "s.csv"))])
    assert any("deletes 8 rows of inspection log" in w for w in shown(at.warning))
    at.button(key="refresh_replace_confirm").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["File", "Status", "Kind", "Rows", "Inserted", "Updated", "Unchanged", "Deleted",
                                   "Rows quarantined", "Reason"]
    assert table.set_index("File").loc["short.csv", "Deleted"] == 8 and len(ids(warehouse)) == 2


def test_the_table_lists_skipped_files_of_the_folder_with_their_reasons(tmp_path, warehouse, monkeypatch):
    folder = tmp_path / "imports"
    (folder / "sub").mkdir(parents=True)
    write_csv(folder / "iqc.csv", IQC_HEADER, iqc_rows(3, 5))
    (folder / "sub" / "说明.docx").write_bytes(b"PK not an export")
    (folder / "~$iqc.xlsx").write_bytes(b"lock")
    at = analyst_on("refresh", warehouse, monkeypatch, QUALITY_IMPORT_DIR=folder)
    at.button(key="refresh_folder").click().run()
    table = files_table(at)
    assert table.loc["iqc.csv", "状态"] == "✓ 已加载" and table.loc["iqc.csv", "插入"] == 5
    assert table.loc["sub/说明.docx", "状态"] == "– 跳过"
    assert "不是导出文件类型" in table.loc["sub/说明.docx", "原因"]
    assert "临时文件" in table.loc["~$iqc.xlsx", "原因"]


def test_both_pages_accept_old_excel_files(warehouse, monkeypatch):
    at = analyst_on("refresh", warehouse, monkeypatch)
    assert {".xls", ".htm", ".html", ".xlsx", ".csv"} <= set(at.file_uploader[0].proto.type)
    at.switch_page("views/upload.py").run()
    assert {".xls", ".xlsx", ".csv"} <= set(at.file_uploader[0].proto.type)


# The column mapper ------------------------------------------------------------------------------------------


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "site" / "mapping.toml"
    path.parent.mkdir()
    path.write_text('# 站点映射\n[inspection.values.result]\n"OK" = "pass"\n', encoding="utf-8")
    return path


def refused_arrival(tmp_path, warehouse, monkeypatch, **env) -> AppTest:
    """The refresh page after an arrival list with unknown headers was refused."""
    at = analyst_on("refresh", warehouse, monkeypatch, **env)
    data = write_csv(tmp_path / "a.csv", ARRIVAL, arrival_rows(6)).read_bytes()
    load_uploads(at, [(ARRIVAL_NAME, data)])
    assert files_table(at).loc[ARRIVAL_NAME, "状态"] == "✗ 拒收"
    return at


def open_mapper(at: AppTest) -> AppTest:
    at.button(key=f"mapper_open_{file_slug(ARRIVAL_NAME)}").click().run()
    assert not at.exception, at.exception
    return at


def header_select(at: AppTest, header: str):
    kind = at.selectbox(key="mapper_kind").value
    return at.selectbox(key=f"mapper_col_{kind}_{ARRIVAL.index(header)}")


def arrival_mapped(at: AppTest, stage: str) -> AppTest:
    """The mapper with the arrival list's 单据号 and 单据日期 mapped to id and inspected_on, and the stage given."""
    for header, column in [("单据号", "id"), ("单据日期", "inspected_on")]:
        header_select(at, header).set_value(column)
    at.run()
    return at.text_input(key="mapper_const_inspection_stage").input(stage).run()


def test_a_file_with_unknown_headers_is_mapped_saved_and_then_loads(tmp_path, warehouse, monkeypatch, mapping_file):
    at = refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file)
    assert "无法识别的文件" in [s.value for s in at.subheader]
    open_mapper(at)
    assert at.selectbox(key="mapper_kind").value == "inspection"            # the closest candidate
    assert at.selectbox(key="mapper_kind").format_func("inspection") == "检验记录"
    assert header_select(at, "存货编码").value == "item" and header_select(at, "单据号").value == ""
    assert "— 不导入" in header_select(at, "单据号").options and "送检数量（lot_qty）" in header_select(at, "单据号").options
    assert at.text_input(key="mapper_pattern").value == "到货单*-*.csv"
    preview = at.dataframe[-1].value
    assert list(preview.columns) == ["行号", *ARRIVAL] and len(preview) == 6
    assert {t.key for t in at.text_input} >= {"mapper_const_inspection_id", "mapper_const_inspection_stage",
                                              "mapper_const_inspection_inspected_on"}
    header_select(at, "单据号").set_value("id")
    header_select(at, "单据日期").set_value("inspected_on")
    header_select(at, "到货数量").set_value("lot_qty")
    at.run()
    assert [t.key for t in at.text_input if t.key.startswith("mapper_const")] == ["mapper_const_inspection_stage"]
    at.text_input(key="mapper_const_inspection_stage").input("IQC").run()
    at.button(key="mapper_save").click().run()
    assert not at.exception, at.exception
    # saved: the file reads back, keeps what it held, and says what the page chose
    text = mapping_file.read_text(encoding="utf-8")
    assert text.startswith('# 站点映射\n[inspection.values.result]\n"OK" = "pass"\n')
    [entry] = tomllib.loads(text)["file"]
    assert entry == {"pattern": "到货单*-*.csv", "kind": "inspection", "constants": {"stage": "IQC"},
                     "headers": {"单据号": "id", "单据日期": "inspected_on", "存货编码": "item", "存货名称": "item_name",
                                 "供应商编码": "supplier", "到货数量": "lot_qty", "判定": "result"}}
    assert read_site_mapping(mapping_file).file_rule(ARRIVAL_NAME).kind == "inspection"
    assert any("已把规则“到货单*-*.csv”（检验记录）保存到站点映射文件 mapping.toml" in s for s in shown(at.success))
    assert audited(warehouse)[-1] == ("sales.wu", "mapping_saved")
    assert not warehouse.exists()                                          # the refused load wrote nothing
    # the next load takes it
    at.button(key=f"mapper_load_{file_slug(ARRIVAL_NAME)}").click().run()
    assert not at.exception, at.exception
    assert files_table(at).loc[ARRIVAL_NAME, "状态"] == "✓ 已加载" and files_table(at).loc[ARRIVAL_NAME, "插入"] == 6
    assert query(warehouse, "SELECT count(*), min(stage), min(lot_qty), count(DISTINCT supplier) FROM inspection") == [
        (6, "IQC", 100, 1)]


def test_the_same_file_uploaded_again_loads_after_the_save(tmp_path, warehouse, monkeypatch, mapping_file):
    at = arrival_mapped(open_mapper(refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file)),
                        "来料检验")
    at.button(key="mapper_save").click().run()
    assert not at.exception, at.exception
    load_uploads(at, [(ARRIVAL_NAME, write_csv(tmp_path / "a.csv", ARRIVAL, arrival_rows(6)).read_bytes())])
    assert files_table(at).loc[ARRIVAL_NAME, "状态"] == "✓ 已加载" and len(ids(warehouse)) == 6


def test_the_mapper_shows_its_checks_next_to_the_fields_and_saves_nothing_until_they_pass(tmp_path, warehouse,
                                                                                          monkeypatch, mapping_file):
    before = mapping_file.read_bytes()
    at = open_mapper(refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file))
    assert not at.error                                                    # nothing said before a save is tried
    header_select(at, "单据号").set_value("item")                          # 存货编码 holds item already
    at.run()
    at.text_input(key="mapper_pattern").input("其他*.csv").run()
    at.button(key="mapper_save").click().run()
    errors = shown(at.error)
    assert "请先改正标出的问题，映射尚未保存。" in errors
    assert "字段“物料编码（item）”也被列“存货编码”选用；每个字段只能对应一列。" in errors
    assert "字段“物料编码（item）”也被列“单据号”选用；每个字段只能对应一列。" in errors
    assert errors.count("必需字段：请在上面为它选择一列，或在这里填写固定值。") == 3   # id, stage, inspected_on
    assert f"规则与这个文件的名称“{ARRIVAL_NAME}”不符。" in errors
    assert mapping_file.read_bytes() == before
    # the error sits right below its field: the element after the select of 单据号 in its column
    column = next(c for c in at.columns if any(s.key == header_select(at, "单据号").key for s in c.selectbox))
    assert any("也被列“存货编码”选用" in e.value for e in column.error)
    header_select(at, "单据号").set_value("id")
    header_select(at, "单据日期").set_value("inspected_on")
    at.run()
    at.text_input(key="mapper_const_inspection_stage").input("不知道").run()
    at.text_input(key="mapper_pattern").input("").run()
    errors = shown(at.error)
    assert "“不知道”不是字段“检验类型（stage）”的有效值。" in errors and "请填写文件名规则。" in errors
    assert not any("选用" in e for e in errors) and mapping_file.read_bytes() == before
    at.sidebar.radio(key="lang").set_value("en").run()
    assert "Give a file-name pattern." in shown(at.error)


def test_a_mapping_whose_values_do_not_read_is_not_saved(tmp_path, warehouse, monkeypatch, mapping_file):
    before = mapping_file.read_bytes()
    at = open_mapper(refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file))
    header_select(at, "单据号").set_value("id")
    header_select(at, "存货名称").set_value("inspected_on")                # a name is not a date
    header_select(at, "单据日期").set_value("item_name")
    at.run()
    at.text_input(key="mapper_const_inspection_stage").input("IQC").run()
    at.button(key="mapper_save").click().run()
    [error] = shown(at.error)
    assert "6 行中有 6 行的值无法读取" in error and "文件会被拒收" in error and mapping_file.read_bytes() == before


def test_without_a_mapping_file_the_mapper_says_how_to_configure_one(tmp_path, warehouse, monkeypatch):
    monkeypatch.delenv("QUALITY_MAPPING", raising=False)
    at = open_mapper(refused_arrival(tmp_path, warehouse, monkeypatch))
    [info] = [i for i in shown(at.info) if "站点映射文件" in i]
    assert "尚未设置站点映射文件" in info and "服务器的环境设置" in info and "QUALITY_" not in info
    assert "重启看板" in info
    assert at.button(key="mapper_save").disabled


def test_a_mapping_file_that_would_not_read_back_is_left_alone(tmp_path, warehouse, monkeypatch, mapping_file):
    at = arrival_mapped(open_mapper(refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file)),
                        "IQC")
    broken = b'[inspection]\nsheet = """\n'                 # edited meanwhile: an unterminated string
    mapping_file.write_bytes(broken)
    at.button(key="mapper_save").click().run()
    assert not at.exception, at.exception
    assert any(e.startswith("未保存，站点映射文件没有改变") for e in shown(at.error))
    assert mapping_file.read_bytes() == broken and ("sales.wu", "mapping_saved") not in audited(warehouse)


def test_a_viewer_never_sees_the_mapper(tmp_path, warehouse, monkeypatch, mapping_file):
    at = refused_arrival(tmp_path, warehouse, monkeypatch, QUALITY_MAPPING=mapping_file)
    assert [b for b in at.button if b.key.startswith("mapper_open_")]
    viewer = signed_in_app(warehouse, "viewer.zhao", "viewer")
    viewer.session_state["refresh_summary"] = at.session_state["refresh_summary"]     # even with a refused file
    viewer.session_state["refresh_mappable"] = at.session_state["refresh_mappable"]  # in its session
    viewer.session_state["_mapper_open_refresh"] = ARRIVAL_NAME
    viewer.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        viewer.switch_page("views/refresh.py")                             # not among a viewer's pages
    assert not viewer.exception and viewer.title[0].value == "总览"
    assert not [w for w in [*viewer.button, *viewer.selectbox, *viewer.text_input] if (w.key or "").startswith("mapper_")]


def test_the_mapper_draws_nothing_for_a_viewer():
    def page(files_arg):
        import datetime as dt

        from app.mapper import mapper_section
        from warehouse.settings import load_settings
        from warehouse.users import User

        viewer = User("viewer.zhao", "viewer", dt.datetime.now(), "test", dt.datetime.now())
        mapper_section(files_arg, load_settings(), viewer, "zh", "refresh")

    from app.mapper import MapperFile
    from etl.mapping_file import UnknownFile
    import polars as pl

    unknown = UnknownFile("a.csv", ["x"], pl.DataFrame({"__row": [2], "x": ["1"]}), [], "无法识别", "unknown")
    at = AppTest.from_function(page, args=({"a.csv": MapperFile(unknown, b"x\n1\n")},)).run()
    assert not at.exception and not at.button and not at.subheader and not at.selectbox


# The upload page ------------------------------------------------------------------------------------------------


def test_a_survey_with_unknown_headers_is_mapped_on_the_upload_page_then_loads(warehouse, monkeypatch, mapping_file):
    at = analyst_on("upload", warehouse, monkeypatch, QUALITY_MAPPING=mapping_file)
    odd = survey_bytes(THREE, "utf-8").decode("utf-8").replace("调查年度", "年份（调查）").replace("问卷编号", "答卷号")
    at.file_uploader[0].set_value(("满意度2021.csv", odd.encode("utf-8"), CSV)).run()
    assert any("缺少" in e for e in shown(at.error)) and not [b for b in at.button if b.key == "upload_commit"]
    at.button(key=f"mapper_open_{file_slug('满意度2021.csv')}").click().run()
    assert at.selectbox(key="mapper_kind").options == ["顾客满意度调查"]
    headers = odd.splitlines()[0].split(",")
    at.selectbox(key=f"mapper_col_survey_response_{headers.index('年份（调查）')}").set_value("survey_year")
    at.selectbox(key=f"mapper_col_survey_response_{headers.index('答卷号')}").set_value("response_id")
    at.run()
    assert at.text_input(key="mapper_pattern").value == "满意度*.csv"
    at.button(key="mapper_save").click().run()
    assert not at.exception, at.exception
    assert any("保存到站点映射文件 mapping.toml" in s and "预览已按新映射重新检查" in s for s in shown(at.success))
    assert "可导入 3 行" in shown(at.success)
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(3,)]
    row = at.dataframe[0].value.set_index("文件").loc["满意度2021.csv"]
    assert (row["状态"], row["插入"], row["更新"], row["未变"], row["删除"], row["隔离行"]) == ("✓ 已加载", 3, 0, 0, 0, 0)


def test_the_upload_result_counts_updates_of_responses_uploaded_again(warehouse, monkeypatch):
    at = analyst_on("upload", warehouse, monkeypatch)
    at.file_uploader[0].set_value(("a.csv", survey_bytes(THREE), CSV)).run()
    at.button(key="upload_commit").click().run()
    changed = survey_bytes(THREE, "utf-8").decode("utf-8").replace(",80\r\n", ",85\r\n")
    at.file_uploader[0].set_value(("b.csv", changed.encode("utf-8"), CSV)).run()
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    row = at.dataframe[0].value.set_index("文件").loc["b.csv"]
    assert (row["状态"], row["行数"], row["插入"], row["更新"], row["未变"], row["删除"]) == ("✓ 已加载", 3, 0, 1, 2, 0)
    assert any(m.startswith("已导入 3 行") for m in messages(at))


def test_footer_lines_a_file_skipped_are_listed_below_the_table():
    def page():
        from pathlib import Path
        from types import SimpleNamespace

        from app.ui import file_outcomes
        from etl.load import FileOutcome

        lines = [SimpleNamespace(row=25, text="合计  1,200"), SimpleNamespace(row=26, text="制表：王丽")]
        file_outcomes([FileOutcome(Path("a.csv"), "h", "loaded", kind="inspection", rows=23, inserted=23,
                                   skipped_lines=lines), FileOutcome(Path("b.csv"), "h2", "unchanged")], "zh")

    at = AppTest.from_function(page).run()
    assert not at.exception, at.exception
    assert shown(at.caption) == ["a.csv：跳过的表尾行：第 25 行“合计 1,200”；第 26 行“制表：王丽”"]
    assert at.dataframe[0].value.set_index("文件").loc["b.csv", "状态"] == "○ 未变化"
