"""Survey uploads on a real warehouse: preview, commit as a batch, refusals, duplicates, undo; template; safe cells."""
from __future__ import annotations

import csv
import io

import openpyxl
import polars as pl
import pytest

from etl.cli import main
from app.downloads import safe_cell
from etl.upload import (TEMPLATE_HEADERS, UploadError, commit_upload, preview_upload, survey_template_csv,
                        survey_template_xlsx, undo_upload, upload_batches, uploaded_name)
from tests.conftest import file_digest, query
from tests.test_load import IQC_HEADER, iqc_rows
from warehouse.db import read_connection
from warehouse.settings import load_settings
from warehouse.users import accounts_connection, audit_entries

QUESTIONS = {f"问题{q}": f"q:问题{q}" for q in range(1, 9)}


@pytest.fixture
def settings(warehouse):
    return load_settings(env={}, warehouse=warehouse)


def survey_row(year: int, n: int, customer: str, answers: list[int], overall: float, segment: str = "重要客户") -> list:
    return [year, f"MY{year}-{n:03d}", customer, segment, *answers, overall]


def survey_bytes(rows: list[list], encoding: str = "gbk", header: list[str] = TEMPLATE_HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


# overall scores that agree with their answers (a share of the highest score: sum / 40 × 100)
THREE = [survey_row(2021, 1, "宁波眼镜", [5, 4, 4, 5, 5, 4, 4, 5], 90),
         survey_row(2021, 2, "杭州光学", [4] * 8, 80),
         survey_row(2021, 3, "义乌商贸", [5] * 8, 100, segment="一般客户")]


def warehouse_tables(warehouse) -> dict[str, list]:
    """Every table's rows except the run bookkeeping that an undo keeps as history."""
    history = {"etl_run", "source_file", "validation_result", "upload_batch", "schema_migration"}
    names = [r[0] for r in query(warehouse, "SELECT table_name FROM duckdb_tables()") if r[0] not in history]
    return {n: query(warehouse, f'SELECT * FROM "{n}" ORDER BY ALL') for n in names}


def upload_actions(settings) -> list[tuple]:
    with accounts_connection(settings) as con:
        return [(e.actor, e.action) for e in reversed(audit_entries(con)) if e.action.startswith("upload")]


def test_gbk_survey_previews_then_commits_as_a_batch(settings, warehouse):
    preview = preview_upload("2021年顾客满意度.csv", survey_bytes(THREE), settings)
    assert (preview.status, preview.format, preview.encoding, preview.kind) == ("ok", "csv", "gb18030", "survey_response")
    assert preview.columns == {"调查年度": "survey_year", "问卷编号": "response_id", "客户名称": "customer",
                               "客户类别": "segment", "总体满意度": "overall_score", **QUESTIONS}
    assert (preview.rows, preview.rows_ok, preview.problems, preview.ignored_headers) == (3, 3, [], [])
    assert preview.first_rows["问卷编号"].to_list() == ["MY2021-001", "MY2021-002", "MY2021-003"]
    assert preview.first_rows["__row"].to_list() == [2, 3, 4]
    assert not warehouse.exists()  # a preview writes nothing

    result = commit_upload(preview, settings, actor="sales.wu")
    assert (result.status, result.rows, result.quarantined) == ("loaded", 3, 0)
    assert query(warehouse, "SELECT count(*), avg(overall_score), min(upload_batch), max(upload_batch) "
                            "FROM survey_response") == [(3, (80 + 90 + 100) / 3, result.batch_id, result.batch_id)]
    assert query(warehouse, "SELECT count(*), sum(score) FROM survey_answer") == [(3 * 8, 36 + 32 + 40)]
    assert query(warehouse, "SELECT segment FROM survey_response ORDER BY response_id") == [
        ("important",), ("important",), ("general",)]
    with read_connection(warehouse) as con:
        [batch] = upload_batches(con)
    assert (batch.id, batch.kind, batch.file_name, batch.uploaded_by, batch.rows, batch.undone_at) == (
        result.batch_id, "survey_response", "2021年顾客满意度.csv", "sales.wu", 3, None)
    assert query(warehouse, "SELECT name, status FROM source_file") == [("2021年顾客满意度.csv", "loaded")]
    assert upload_actions(settings) == [("sales.wu", "upload")]


def test_cells_that_fail_validation_are_listed_by_row_and_header(settings, warehouse):
    rows = [survey_row(2021, n, f"客户{n}", [4] * 8, 80) for n in range(1, 11)]
    rows[6][6] = 7          # 问题3 of the 7th response: off the 1-5 scale (spreadsheet row 8)
    rows[8][-1] = "很好"     # an overall score that is not a number (row 10)
    preview = preview_upload("survey.csv", survey_bytes(rows, "utf-8"), settings)
    assert (preview.status, preview.rows, preview.rows_ok) == ("ok", 10, 8)
    assert [(p.row, p.column, p.value) for p in preview.problems] == [(8, "问题3", "7"), (10, "总体满意度", "很好")]
    assert all(p.reason_zh and p.reason_en for p in preview.problems)
    result = commit_upload(preview, settings, actor="sales.wu")
    assert (result.rows, result.quarantined) == (8, 2)
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(8,)]
    assert query(warehouse, "SELECT file_name, source_row FROM quarantine ORDER BY 2") == [("survey.csv", 8), ("survey.csv", 10)]


def test_a_png_is_refused_as_not_a_table(settings, warehouse):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)
    preview = preview_upload("logo.png", png, settings)
    assert preview.status == "refused" and preview.kind is None
    assert "二进制" in preview.message_zh and "binary" in preview.message_en and "logo.png" in preview.message_en
    result = commit_upload(preview, settings, actor="sales.wu")
    assert result.status == "refused" and not warehouse.exists()
    assert upload_actions(settings) == [("sales.wu", "upload_refused")]


def test_an_oversize_file_is_refused_before_it_is_read(warehouse):
    settings = load_settings(env={"QUALITY_UPLOAD_MAX_MB": "0.001"}, warehouse=warehouse)  # 1048.576 bytes
    data = survey_bytes([survey_row(2021, n, "客户", [4] * 8, 90) for n in range(1, 40)])
    assert len(data) > 1049
    preview = preview_upload("big.csv", data, settings)
    assert (preview.status, preview.format, preview.rows) == ("refused", None, 0)
    assert "超过上限 0.001 MB" in preview.message_zh and "more than the limit of 0.001 MB" in preview.message_en


def test_a_table_of_another_kind_is_refused_naming_its_kind(settings, warehouse):
    data = survey_bytes(iqc_rows(3, 5), "utf-8", header=IQC_HEADER)
    preview = preview_upload("iqc.csv", data, settings)
    assert (preview.status, preview.kind) == ("refused", "inspection")
    assert "检验记录" in preview.message_zh and "(inspection)" in preview.message_en
    assert commit_upload(preview, settings, actor="sales.wu").status == "refused" and not warehouse.exists()


def test_the_same_file_again_is_recognised_and_not_counted_twice(settings, warehouse):
    data = survey_bytes(THREE)
    first = commit_upload(data, settings, actor="sales.wu", file_name="a.csv")
    before = file_digest(warehouse)
    again = preview_upload("copy of a.csv", data, settings)
    assert again.status == "duplicate" and again.earlier.batch_id == first.batch_id
    assert "不会重复计入" in again.message_zh and "a.csv" in again.message_en
    second = commit_upload(data, settings, actor="sales.li", file_name="copy of a.csv")
    assert (second.status, second.batch_id, second.rows) == ("duplicate", first.batch_id, 0)
    assert file_digest(warehouse) == before
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(3,)]
    assert upload_actions(settings) == [("sales.wu", "upload"), ("sales.li", "upload_duplicate")]


def test_two_previews_of_one_file_commit_once(settings, warehouse):
    data = survey_bytes(THREE)
    one, two = preview_upload("a.csv", data, settings), preview_upload("b.csv", data, settings)
    assert one.status == two.status == "ok"
    first = commit_upload(one, settings, actor="sales.wu")
    second = commit_upload(two, settings, actor="sales.li")  # found under the write lock
    assert (first.status, second.status, second.batch_id) == ("loaded", "duplicate", first.batch_id)
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(3,)]


def test_a_file_loaded_by_the_etl_is_recognised_too(tmp_path, settings, warehouse):
    path = tmp_path / "survey.csv"
    path.write_bytes(survey_bytes(THREE))
    assert main(["load", str(path), "--warehouse", str(warehouse)]) == 0
    result = commit_upload(path.read_bytes(), settings, actor="sales.wu", file_name="survey.csv")
    assert (result.status, result.batch_id) == ("duplicate", None)
    assert "数据加载" in result.message_zh


def test_undo_removes_exactly_that_batch_and_the_file_can_come_again(tmp_path, settings, warehouse):
    earlier = tmp_path / "survey-2020.csv"
    earlier.write_bytes(survey_bytes([survey_row(2020, 1, "宁波眼镜", [4] * 8, 85)]))
    assert main(["load", str(earlier), "--warehouse", str(warehouse)]) == 0
    kept = commit_upload(survey_bytes(THREE), settings, actor="sales.wu", file_name="a.csv")
    state = warehouse_tables(warehouse)
    rows = [survey_row(2021, 4, "宁波眼镜", [3] * 8, 60), survey_row(2021, 5, "新客户", [2] * 8, 40),
            survey_row(2021, 6, "再一个新客户", [5] * 8, 100), survey_row(2021, 7, "杭州光学", [4] * 8, 80),
            survey_row(2021, 8, "新客户", [1] * 8, 20)]
    rows[2][5] = 9  # quarantined: answer 2 off the scale (1 bad row in 5 is within the 20 % limit)
    data = survey_bytes(rows)
    wrong = commit_upload(data, settings, actor="sales.li", file_name="b.csv")
    assert (wrong.rows, wrong.quarantined) == (4, 1)
    assert query(warehouse, "SELECT count(*) FROM customer WHERE code = '新客户'") == [(1,)]

    assert undo_upload(wrong.batch_id, settings, actor="analyst.zhang") == 4
    assert warehouse_tables(warehouse) == state
    assert query(warehouse, "SELECT count(*) FROM survey_response WHERE upload_batch = ?", [kept.batch_id]) == [(3,)]
    with read_connection(warehouse) as con:
        batches = {b.id: b for b in upload_batches(con)}
    assert batches[wrong.batch_id].undone_by == "analyst.zhang" and batches[kept.batch_id].undone_at is None
    with pytest.raises(UploadError, match="undone"):
        undo_upload(wrong.batch_id, settings, actor="analyst.zhang")
    with pytest.raises(UploadError):
        undo_upload("U-no-such-batch", settings, actor="analyst.zhang")

    again = commit_upload(data, settings, actor="sales.li", file_name="b.csv")
    assert again.status == "loaded" and again.batch_id != wrong.batch_id
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(1 + 3 + 4,)]
    assert upload_actions(settings) == [("sales.wu", "upload"), ("sales.li", "upload"),
                                        ("analyst.zhang", "upload_undo"), ("sales.li", "upload")]


def test_the_csv_template_filled_in_uploads_as_a_survey(settings):
    template = survey_template_csv()
    assert template.startswith(b"\xef\xbb\xbf")
    assert template.decode("utf-8-sig").strip().split(",") == TEMPLATE_HEADERS
    rows = "".join(",".join(map(str, r)) + "\r\n" for r in THREE).encode("utf-8")
    preview = preview_upload("template.csv", template + rows, settings)
    assert (preview.status, preview.encoding, preview.rows) == ("ok", "utf-8-sig", 3)


def test_the_xlsx_template_filled_in_uploads_as_a_survey(settings):
    book = openpyxl.load_workbook(io.BytesIO(survey_template_xlsx()))
    sheet = book.active
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS
    for row in THREE:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    preview = preview_upload("template.xlsx", out.getvalue(), settings)
    assert (preview.status, preview.format, preview.kind, preview.rows) == ("ok", "xlsx", "survey_response", 3)
    assert preview.columns["问题8"] == "q:问题8"


def test_the_uploaded_name_is_only_data(settings, warehouse, tmp_path):
    assert uploaded_name("../../etc/\x1b[31mpasswd\r\n.csv") == "[31mpasswd.csv"
    assert uploaded_name("C:\\Users\\wu\\调查.csv") == "调查.csv" and uploaded_name("") == "upload"
    result = commit_upload(survey_bytes(THREE), settings, actor="sales.wu", file_name="../../a.csv")
    assert query(warehouse, "SELECT file_name FROM upload_batch WHERE id = ?", [result.batch_id]) == [("a.csv",)]


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+86 571 8888", "'+86 571 8888"), ("-2", "'-2"), ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=cmd", "'\t=cmd"), ("\rx", "'\rx"), ("a=b", "a=b"), ("宁波眼镜", "宁波眼镜"), ("", ""),
    (-3.5, -3.5), (42, 42), (None, None),
])
def test_safe_cell_neutralises_formulas(value, safe):
    assert safe_cell(value) == safe


def test_safe_cell_keeps_a_downloaded_csv_from_running_formulas():
    frame = pl.DataFrame({"customer": ["=HYPERLINK(\"http://x\")", "杭州光学"], "score": [90, 80]})
    cleaned = frame.with_columns(pl.col("customer").map_elements(safe_cell, return_dtype=pl.String))
    assert cleaned["customer"].to_list() == ["'=HYPERLINK(\"http://x\")", "杭州光学"]


def test_a_response_uploaded_again_belongs_to_the_later_batch_and_survives_the_first_ones_undo(settings, warehouse):
    first = commit_upload(survey_bytes(THREE), settings, "li", "a.csv")
    more = [*THREE, survey_row(2021, 4, "杭州光学", [4] * 8, 80)]          # the same three responses and one more
    second = commit_upload(survey_bytes(more), settings, "li", "b.csv")
    assert (first.status, second.status) == ("loaded", "loaded")
    undo_upload(first.batch_id, settings, "li")
    # by hand: the four responses of the second upload are all still counted
    assert query(warehouse, "SELECT count(*) FROM survey_response") == [(4,)]
    assert query(warehouse, "SELECT DISTINCT upload_batch FROM survey_response") == [(second.batch_id,)]
