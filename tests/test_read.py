"""etl.read.read_table and the etl.clean parsers, on files written to tmp_path."""
from __future__ import annotations

import codecs
import datetime as dt
import io
import random
import struct
import zipfile
import zlib

import polars as pl
import pytest
import xlsxwriter
import xlwt

from etl.clean import halfwidth, needs_halfwidth, parse_bool, parse_date, parse_datetime, parse_enum, parse_int, parse_number
from etl.mapping import looks_like_header
from etl.read import UnreadableFile, read_table
from warehouse.sources import PASS_FAIL, STAGES, YES_NO

HEADER = "检验单号,检验日期,物料名称,送检数量,检验结果"
ROWS = ["IQC001,2021/3/5,物镜,120,合格", "IQC002,2021-03-06,目镜,1，234,不合格"]


def write_csv(path, lines, encoding="utf-8"):
    """Path of a CSV file made of lines joined by CRLF (as Excel writes them)."""
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def write_xlsx(path, sheets):
    """Path of an XLSX workbook with {sheet name: [row, ...]}; datetime cells get a date or datetime format."""
    book = xlsxwriter.Workbook(path)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    time_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    fmt = date_format if value.time() == dt.time() else time_format
                    sheet.write_datetime(r, c, value, fmt)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def values(frame, column):
    """The column's values as a list."""
    return frame.get_column(column).to_list()


# --- encodings and delimiters -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_csv_encodings_are_detected_and_text_decoded(tmp_path, encoding, expected):
    path = write_csv(tmp_path / "iqc.csv", [HEADER, *ROWS], encoding)
    table = read_table(path)
    assert (table.format, table.encoding, table.sheet) == ("csv", expected, None)
    assert table.frame.columns == ["检验单号", "检验日期", "物料名称", "送检数量", "检验结果", "__row"]
    assert values(table.frame, "物料名称") == ["物镜", "目镜"]
    assert values(table.frame, "送检数量") == ["120", "1，234"]
    assert values(table.frame, "检验结果") == ["合格", "不合格"]


def test_gb18030_characters_outside_gbk(tmp_path):
    path = write_csv(tmp_path / "supplier.csv", ["供应商编码,供应商名称", "S01,𠀀光学", "S02,㐀精密"], "gb18030")
    with pytest.raises(UnicodeEncodeError):
        "𠀀".encode("gbk")  # the file really needs GB18030
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert values(table.frame, "供应商名称") == ["𠀀光学", "㐀精密"]


def test_gbk_bytes_after_a_long_ascii_start_fall_back_to_gb18030(tmp_path):
    lines = ["id,name"] + [f"{i},part{i}" for i in range(40_000)] + ["40000,物镜"]
    path = write_csv(tmp_path / "late.csv", lines, "gbk")
    assert len(path.read_bytes()) > 256 * 1024  # the GBK bytes are beyond the part judged first
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert table.frame.height == 40_001
    assert values(table.frame, "name")[-1] == "物镜"


@pytest.mark.parametrize("separator", ["\t", ";"])
def test_tab_and_semicolon_delimiters(tmp_path, separator):
    lines = [line.replace(",", separator) for line in [HEADER, "IQC001,2021/3/5,物镜,120,合格"]]
    lines.append(separator.join(["IQC002", "2021-03-06", "目镜", "1,234", "合格"]))
    table = read_table(write_csv(tmp_path / "iqc.txt", lines))
    assert table.frame.columns[:2] == ["检验单号", "检验日期"]
    assert values(table.frame, "送检数量") == ["120", "1,234"]


def test_values_stay_text(tmp_path):
    table = read_table(write_csv(tmp_path / "t.csv", ["lot,qty,date", "00123,1.50,2021-03-05"]))
    assert table.frame.row(0) == ("00123", "1.50", "2021-03-05", 2)
    assert table.frame.schema == {"lot": pl.String, "qty": pl.String, "date": pl.String, "__row": pl.Int32}


# --- rows: titles, blanks, totals, numbering ------------------------------------------------------------


def test_title_row_blank_rows_totals_and_row_numbers_csv(tmp_path):
    lines = [
        "2021年3月来料检验记录,,,,",   # row 1: title
        ",,,,",                         # row 2: blank
        HEADER,                         # row 3: header
        ROWS[0],                        # row 4
        "",                             # row 5: blank line
        ROWS[1],                        # row 6
        " , ,　, , ",                   # row 7: only spaces
        "合 计：,,,1354,",              # row 8: totals
        "IQC003,2021.3.7,镜筒,5,合格",  # row 9
        "总计,,,1359,",                 # row 10: totals
        ",,,,",                         # rows 11-12: trailing blanks
        ",,,,",
    ]
    table = read_table(write_csv(tmp_path / "iqc.csv", lines))
    assert values(table.frame, "检验单号") == ["IQC001", "IQC002", "IQC003"]
    assert values(table.frame, "__row") == [4, 6, 9]
    assert table.frame.schema["__row"] == pl.Int32
    assert [(s.row, s.text, s.reason_en) for s in table.skipped] == [
        (8, "合 计： 1354", "totals row, skipped"), (10, "总计 1359", "totals row, skipped")]
    assert table.skipped[0].reason_zh == "合计行，已跳过"
    assert table.extra_fields == {}


def test_totals_words_are_recognised_only_as_first_filled_cell(tmp_path):
    lines = [
        "单号,物料,数量",
        "A1,物镜,1",
        ",小计,1",          # first filled cell is 小计: dropped
        "Total:,,9",
        "  SUM ,,9",
        "累计：,,9",
        "总合计,,9",
        "A2,合计,2",        # 合计 in a later cell: an ordinary row
        "合计数量,,3",      # not a totals word on its own
    ]
    table = read_table(write_csv(tmp_path / "t.csv", lines))
    assert values(table.frame, "单号") == ["A1", "A2", "合计数量"]
    assert values(table.frame, "__row") == [2, 8, 9]
    assert [s.row for s in table.skipped] == [3, 4, 5, 6, 7]


def test_header_names_stripped_deduplicated_and_named(tmp_path):
    lines = ['" 检验单号 ",,"送检\n数量",检验单号,检验单号', "A1,x,5,y,z"]
    frame = read_table(write_csv(tmp_path / "t.csv", lines)).frame
    assert frame.columns == ["检验单号", "column_2", "送检\n数量", "检验单号_2", "检验单号_3", "__row"]
    assert frame.row(0) == ("A1", "x", "5", "y", "z", 2)


def test_header_whitespace_only_stripped_at_the_edges(tmp_path):
    frame = read_table(write_csv(tmp_path / "t.csv", ["\u3000合格 率\t,b", "1,2"])).frame
    assert frame.columns == ["合格 率", "b", "__row"]  # inner space kept, no full-width conversion


def test_header_hint_picks_the_header_row(tmp_path):
    lines = ["报表,制表人,张伟", "说明,单位,件", "检验单号,物料,数量", "A1,物镜,5"]
    seen = []

    def looks_like_header(cells):
        seen.append(cells)
        return "检验单号" in cells

    table = read_table(write_csv(tmp_path / "t.csv", lines), header_hint=looks_like_header)
    assert table.frame.columns == ["检验单号", "物料", "数量", "__row"]
    assert values(table.frame, "__row") == [4]
    assert seen[0] == ["报表", "制表人", "张伟"]
    assert read_table(tmp_path / "t.csv").frame.columns[0] == "报表"  # without the hint: first dense row


def test_xlsx_first_sheet_title_dates_numbers_totals_and_rows(tmp_path):
    rows = [
        [],                                             # row 1: empty
        ["2021年3月来料检验记录"],                      # row 2: title
        ["检验单号", " 检验日期\n", "送检数量", "合格率", "检验时间"],  # row 3: header
        ["IQC001", dt.datetime(2021, 3, 5), 120, 0.955, dt.datetime(2021, 3, 5, 14, 30, 5)],
        [],                                             # row 5: blank
        ["IQC002", "2021/3/6", 1234567, "95%", 44260],
        ["合计", None, 1234687],                        # row 7: totals
        [], [],
    ]
    path = write_xlsx(tmp_path / "iqc.xlsx", {"来料": rows, "其他": [["x", "y"], [1, 2]]})
    table = read_table(path)
    assert (table.format, table.encoding, table.sheet) == ("xlsx", None, "来料")
    f = table.frame
    assert f.columns == ["检验单号", "检验日期", "送检数量", "合格率", "检验时间", "__row"]
    assert f.row(0) == ("IQC001", "2021-03-05", "120", "0.955", "2021-03-05 14:30:05", 4)
    assert f.row(1) == ("IQC002", "2021/3/6", "1234567", "95%", "44260", 6)
    assert f.height == 2


def test_xlsx_named_sheet_and_missing_sheet(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"封面": [["说明"]], "数据": [["a", "b"], ["1", 2]]})
    table = read_table(path, sheet="数据")
    assert table.sheet == "数据"
    assert table.frame.rows() == [("1", "2", 2)]
    with pytest.raises(UnreadableFile) as error:
        read_table(path, sheet="检验")
    assert "book.xlsx" in str(error.value) and "封面" in str(error.value) and "数据" in str(error.value)
    assert "检验" in error.value.reason_zh


def test_format_comes_from_content_not_extension(tmp_path):
    xlsx = write_xlsx(tmp_path / "really_xlsx.csv", {"S": [["a", "b"], ["x", "y"]]})
    assert read_table(xlsx).format == "xlsx"
    csv_file = write_csv(tmp_path / "really_csv.xlsx", ["a,b", "x,y"])
    assert read_table(csv_file).format == "csv"


def test_rows_without_blanks_or_totals_skip_nothing(tmp_path):
    table = read_table(write_csv(tmp_path / "iqc.csv", [HEADER, *ROWS]))
    assert (table.skipped, table.extra_fields) == ([], {})
    assert values(table.frame, "__row") == [2, 3]


# --- footer lines below a register ------------------------------------------------------------------------


def register_lines(footer):
    """A complaint register (header, three rows) as an ERP writes it, then the given footer lines."""
    return ["序号,投诉日期,客户名称,问题描述,处理结果",
            "1,2021/12/3,上海光学仪器厂,目镜有霉斑,已换货",
            "2,2021/12/9,北京科教设备公司,调焦卡滞,已维修",
            "3,2021/12/20,广州显微镜商行,备注 见附件,处理中",
            *footer]


def test_footer_lines_at_the_end_are_skipped_and_reported(tmp_path):
    footer = [
        ",,,,",                          # row 5: blank
        "合计：18起,,,,",                # row 6
        "制表人：张三,,审核：李四,,",    # row 7: two signatures on one line
        "批准：,,,,",                    # row 8
        "",                              # row 9: blank line
        "打印日期：2021-12-31,,,,",      # row 10
        "备注：数据截至月底,,,,",        # row 11
        "总计 18 批,,,,",                # row 12
    ]
    table = read_table(write_csv(tmp_path / "complaints.csv", register_lines(footer)))
    assert values(table.frame, "序号") == ["1", "2", "3"]
    assert values(table.frame, "__row") == [2, 3, 4]
    assert [(s.row, s.text) for s in table.skipped] == [
        (6, "合计：18起"), (7, "制表人：张三 审核：李四"), (8, "批准："), (10, "打印日期：2021-12-31"),
        (11, "备注：数据截至月底"), (12, "总计 18 批")]
    assert {(s.reason_zh, s.reason_en) for s in table.skipped} == {
        ("表尾签字/统计行，已跳过", "footer line (signature or total), skipped")}
    cells = table.frame.drop("__row").rows()
    for skipped in table.skipped:  # none of the footer text is left in the frame
        assert not any(skipped.text.split()[0] in (cell or "") for row in cells for cell in row)


def test_footer_words_count_only_in_trailing_mostly_empty_rows(tmp_path):
    lines = register_lines([]) + [
        "审核：王五,2021/12/30,南京光电公司,物镜划伤,已退货",  # row 5: a full row of data, though it starts with 审核
        "制表人：张三,,,,",                                   # row 6: footer
    ]
    lines.insert(2, "备注：第一季度,,,,")  # row 3, in the middle of the register: data, not a footer
    table = read_table(write_csv(tmp_path / "complaints.csv", lines))
    assert values(table.frame, "序号") == ["1", "备注：第一季度", "2", "3", "审核：王五"]
    assert values(table.frame, "__row") == [2, 3, 4, 5, 6]
    assert [(s.row, s.text) for s in table.skipped] == [(7, "制表人：张三")]


def test_footer_lines_below_an_xlsx_register(tmp_path):
    rows = [["检验单号", "检验日期", "送检数量", "检验结果"], ["IQC001", "2021/3/5", 120, "合格"], [],
            ["合计：1 批", None, 120], ["制表人：张三", None, "审 核：李四"]]
    table = read_table(write_xlsx(tmp_path / "iqc.xlsx", {"S": rows}))
    assert table.frame.rows() == [("IQC001", "2021/3/5", "120", "合格", 2)]
    assert [(s.row, s.text) for s in table.skipped] == [(4, "合计：1 批 120"), (5, "制表人：张三 审 核：李四")]


# --- rows with more fields than the header ------------------------------------------------------------------


def test_extra_fields_are_counted_and_the_row_kept(tmp_path):
    lines = [
        "报表：来料检验,,,",                     # row 1: title, wider than nothing
        HEADER,                                   # row 2: header, 5 fields
        ROWS[0],                                  # row 3
        "IQC002,2021/3/6,目镜,5,不合格,超差,返工",  # row 4: two extra fields
        "IQC003,2021/3/7,镜筒,5,合格,,",          # row 5: empty separators only
        'IQC004,2021/3/8,"棱镜,大",5,合格',      # row 6: a quoted comma is not a field
        "IQC005,2021/3/9,物镜,5,合格,,,复检,,",  # row 7: one extra field among empty ones
    ]
    table = read_table(write_csv(tmp_path / "iqc.csv", lines))
    assert table.extra_fields == {4: 2, 7: 1}
    assert table.frame.columns == ["检验单号", "检验日期", "物料名称", "送检数量", "检验结果", "__row"]
    assert table.frame.filter(pl.col("__row") == 4).row(0) == ("IQC002", "2021/3/6", "目镜", "5", "不合格", 4)
    assert values(table.frame, "物料名称") == ["物镜", "目镜", "镜筒", "棱镜,大", "物镜"]
    assert values(table.frame, "__row") == [3, 4, 5, 6, 7]


def test_many_extra_fields_and_a_row_with_text_only_beyond_the_header(tmp_path):
    lines = [HEADER, ROWS[0] + "," + ",".join(f"x{i}" for i in range(12)), ",,,,,,迟到", ROWS[1]]
    table = read_table(write_csv(tmp_path / "t.csv", lines), header_hint=looks_like_header)
    assert table.extra_fields == {2: 12, 3: 1}
    assert values(table.frame, "检验单号") == ["IQC001", None, "IQC002"]
    assert values(table.frame, "__row") == [2, 3, 4]


def test_extra_fields_in_a_gbk_file(tmp_path):
    lines = [HEADER, ROWS[0], "IQC002,2021/3/6,目镜,5,不合格,超差"]
    table = read_table(write_csv(tmp_path / "iqc.csv", lines, "gbk"), header_hint=looks_like_header)
    assert (table.encoding, table.extra_fields) == ("gb18030", {3: 1})


# --- Big5, GB18030 or uncertain ----------------------------------------------------------------------------------

TRADITIONAL_HEADER = ["檢驗單號", "檢驗日期", "供應商", "檢驗結果"]
TAIWAN_ROWS = [["IQC001", "2021/3/5", "台灣精密光學股份有限公司", "合格"],
               ["IQC002", "2021/3/6", "東亞鏡片廠", "不合格"],
               ["IQC003", "2021/3/8", "亞洲光學股份有限公司", "合格"]]


def test_big5_with_traditional_headers(tmp_path):
    path = write_csv(tmp_path / "tw.csv", [",".join(r) for r in [TRADITIONAL_HEADER, *TAIWAN_ROWS]], "big5")
    data = path.read_bytes()
    assert data.decode("gb18030") != data.decode("big5")  # valid GB18030 too, as other characters
    table = read_table(path, header_hint=looks_like_header)
    assert (table.format, table.encoding) == ("csv", "big5")
    assert table.frame.columns == [*TRADITIONAL_HEADER, "__row"]
    assert values(table.frame, "供應商") == [r[2] for r in TAIWAN_ROWS]
    assert values(table.frame, "檢驗結果") == ["合格", "不合格", "合格"]


def test_big5_with_english_headers(tmp_path):
    lines = ["Inspection No,Date,Supplier,Result"] + [",".join(r) for r in TAIWAN_ROWS]
    path = write_csv(tmp_path / "tw.csv", lines, "big5")
    path.read_bytes().decode("gb18030")  # the bytes are valid GB18030 too: only the text tells them apart
    for hint in (None, looks_like_header):
        table = read_table(path, header_hint=hint)
        assert table.encoding == "big5"
        assert values(table.frame, "Supplier") == [r[2] for r in TAIWAN_ROWS]


def test_gbk_bytes_that_are_valid_big5_too_are_read_as_gb18030(tmp_path):
    lines = ["id,name", "1,光学", "2,舜宇光学", "3,永新光学"]
    path = write_csv(tmp_path / "s.csv", lines, "gbk")
    assert path.read_bytes().decode("big5") != "\r\n".join(lines) + "\r\n"  # valid Big5, other characters
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert values(table.frame, "name") == ["光学", "舜宇光学", "永新光学"]


def test_gbk_measurements_full_of_symbols_are_read_as_gb18030(tmp_path):
    lines = ["检验项目,标准,实测,判定,备注"] + [f"外径Φ{i},Φ25±0.05mm,Φ25.0{i},√,①②③■□○●★" for i in range(10)]
    lines.append("温度,25℃±2℃,24℃,√,≤≥％‰")
    path = write_csv(tmp_path / "measure.csv", lines, "gbk")
    path.read_bytes().decode("big5")  # valid Big5 too
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert values(table.frame, "标准")[-1] == "25℃±2℃" and values(table.frame, "备注")[0] == "①②③■□○●★"


def test_an_ambiguous_short_text_is_refused_naming_the_encodings_tried(tmp_path):
    # two characters whose bytes are common characters in GB2312 (level 1: lead byte B0-D7) and in Big5 (the
    # common set: lead byte A4-C6, trail byte A1-FE) alike, and no UTF-8 (a lead byte below C2)
    data = b"id,name\r\n1,\xb0\xa1\xb1\xa2\r\n"
    gb, big5 = data.decode("gb2312"), data.decode("big5")
    assert gb != big5
    path = tmp_path / "short.csv"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as error:
        read_table(path)
    for name in ("UTF-8", "GB18030", "Big5"):
        assert name in str(error.value) and name in error.value.reason_zh
    assert "short.csv" in str(error.value) and "编码" in error.value.reason_zh


def test_text_in_another_encoding_is_refused_not_loaded_garbled(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_bytes("name,city\r\nMüller,Köln\r\nGroß,Zürich\r\n".encode("latin-1"))
    with pytest.raises(UnreadableFile) as error:
        read_table(path)
    assert "Big5" in str(error.value) and "GB18030" in error.value.reason_zh


# --- Excel's Unicode text (UTF-16) ---------------------------------------------------------------------------


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_unicode_text_export_utf16_tabs_crlf(tmp_path, codec, bom):
    lines = ["2021年3月来料检验记录", "\t".join(["检验单号", "检验日期", "物料名称", "备注"]),
             "\t".join(["IQC001", "2021/3/5", "物镜", '"含\t制表符"']), "\t".join(["IQC002", "2021/3/6", "目镜", ""])]
    path = tmp_path / "iqc.txt"
    path.write_bytes(bom + "\r\n".join(lines).encode(codec) + "\r\n".encode(codec))
    table = read_table(path)
    assert (table.format, table.encoding) == ("csv", "utf-16")
    assert table.frame.rows() == [("IQC001", "2021/3/5", "物镜", "含\t制表符", 3), ("IQC002", "2021/3/6", "目镜", None, 4)]


# --- old .xls workbooks ------------------------------------------------------------------------------------


def write_xls(path, rows, title=None):
    """Path of a BIFF8 workbook written by xlwt: an optional merged title row above the rows; dates get a format."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("来料检验")
    date_style, time_style = xlwt.easyxf(num_format_str="yyyy-mm-dd"), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    offset = 0
    if title:
        sheet.write_merge(0, 0, 0, len(rows[0]) - 1, title)
        offset = 1
    for r, row in enumerate(rows, start=offset):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write(r, c, value, date_style if value.time() == dt.time() else time_style)
            elif value is not None:
                sheet.write(r, c, value)
    notes = book.add_sheet("说明")
    for r, row in enumerate([["项目", "内容"], ["来源", "ERP 导出"]]):
        for c, value in enumerate(row):
            notes.write(r, c, value)
    book.save(str(path))
    return path


XLS_ROWS = [["检验单号", "检验日期", "送检数量", "检验结果", "检验时间"],
            ["IQC001", dt.datetime(2021, 3, 5), 120, "合格", dt.datetime(2021, 3, 5, 14, 30)],
            ["IQC002", "2021/3/6", 1.5, "不合格", None],
            ["合计", None, 121.5, None, None]]


def test_xls_written_by_xlwt(tmp_path):
    path = write_xls(tmp_path / "iqc.xls", XLS_ROWS, title="2021年3月来料检验记录")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    table = read_table(path)
    assert (table.format, table.encoding, table.sheet) == ("xls", None, "来料检验")
    assert table.frame.columns == [*XLS_ROWS[0], "__row"]
    assert table.frame.rows() == [("IQC001", "2021-03-05", "120", "合格", "2021-03-05 14:30:00", 3),
                                  ("IQC002", "2021/3/6", "1.5", "不合格", None, 4)]
    assert [(s.row, s.text) for s in table.skipped] == [(5, "合计 121.5")]
    assert read_table(path, sheet="说明").frame.rows() == [("来源", "ERP 导出", 2)]


def test_xls_format_comes_from_content(tmp_path):
    xls = write_xls(tmp_path / "iqc.xls", XLS_ROWS)
    for name in ("export.csv", "export.xlsx"):
        (tmp_path / name).write_bytes(xls.read_bytes())
        assert read_table(tmp_path / name).format == "xls"


def test_damaged_or_encrypted_xls_is_refused(tmp_path):
    data = write_xls(tmp_path / "iqc.xls", XLS_ROWS).read_bytes()
    (tmp_path / "cut.xls").write_bytes(data[:1536])
    # an encrypted workbook is a compound file whose stream is EncryptedPackage instead of Workbook
    name = data.index("Workbook".encode("utf-16-le"))
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 34)
    (tmp_path / "locked.xls").write_bytes(data[:name] + entry + data[name + 66:])
    with pytest.raises(UnreadableFile) as error:
        read_table(tmp_path / "cut.xls")
    assert "cut.xls" in str(error.value) and "old .xls" in str(error.value) and "encrypted" in str(error.value)
    assert "旧版 .xls" in error.value.reason_zh and "加密" in error.value.reason_zh
    with pytest.raises(UnreadableFile) as error:
        read_table(tmp_path / "locked.xls")
    assert "password" in str(error.value) and "密码" in error.value.reason_zh


# --- HTML tables saved as .xls ------------------------------------------------------------------------------


def erp_page(charset=None):
    """An HTML page as a web ERP saves it with an .xls name: a search form table, then the data table."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head>{meta}<title>来料检验报表</title><style>td {{ mso-number-format:"\\@"; }}</style></head>
<body>
<table><tr><td>查询条件：2021-03</td><td><input type="button" value="导出"></td></tr></table>
<table border="1" cellspacing="0">
  <thead>
    <tr><th colspan="5">2021年3月 来料检验记录</th></tr>
    <tr><th>检验单号</th><th>检验日期</th><th>供应商</th><th>送检数量</th><th>检验结果</th></tr>
  </thead>
  <tbody>
    <tr><td>IQC001</td><td rowspan="2">2021-03-05</td><td>舜宇&nbsp;光学</td><td x:num>1,200</td><td>合格</td></tr>
    <tr><td>IQC002</td><td>永新<br>光学</td><td>80</td><td><font color="red">不合格</font></td></tr>
    <tr><td>IQC003</td><td>2021-03-07</td><td>
        凤凰光学
      </td><td>5</td><td>合格</td></tr>
    <tr><td></td><td>&nbsp;</td><td></td><td></td><td></td></tr>
    <tr><td colspan="3">合计：3 批</td><td>1285</td><td></td></tr>
    <tr><td colspan="5">制表人：张三　审核：李四</td></tr>
  </tbody>
</table></body></html>"""


HTML_ROWS = [("IQC001", "2021-03-05", "舜宇 光学", "1,200", "合格", 3),
             ("IQC002", None, "永新\n光学", "80", "不合格", 4),
             ("IQC003", "2021-03-07", "凤凰光学", "5", "合格", 5)]


@pytest.mark.parametrize("charset, codec, expected", [
    ("utf-8", "utf-8", "utf-8"), ("gbk", "gbk", "gb18030"), ("gb2312", "gbk", "gb18030"), (None, "gbk", "gb18030"),
])
def test_html_table_saved_as_xls(tmp_path, charset, codec, expected):
    path = tmp_path / "来料检验.xls"
    path.write_bytes(erp_page(charset).encode(codec))
    table = read_table(path, header_hint=looks_like_header)
    assert (table.format, table.encoding, table.sheet) == ("html", expected, None)
    assert table.frame.columns == ["检验单号", "检验日期", "供应商", "送检数量", "检验结果", "__row"]
    assert table.frame.rows() == HTML_ROWS
    assert [(s.row, s.text) for s in table.skipped] == [(7, "合计：3 批 1285"), (8, "制表人：张三　审核：李四")]


def test_html_with_bom_named_htm_or_csv(tmp_path):
    for name in ("report.htm", "report.csv"):
        (tmp_path / name).write_bytes(codecs.BOM_UTF8 + erp_page("utf-8").encode("utf-8"))
        table = read_table(tmp_path / name)
        assert (table.format, table.encoding) == ("html", "utf-8-sig")
        assert table.frame.rows() == HTML_ROWS


def test_html_without_a_table_and_excel_xml_are_refused_by_name(tmp_path):
    (tmp_path / "page.xls").write_text("<html><body><p>没有数据</p></body></html>", encoding="utf-8")
    (tmp_path / "xml.xls").write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                                      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
                                      encoding="utf-8")
    (tmp_path / "report.xls").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    for name, says in (("page.xls", "without a table"), ("xml.xls", "Excel 2003 XML"), ("report.xls", "PDF")):
        with pytest.raises(UnreadableFile) as error:
            read_table(tmp_path / name)
        assert says in str(error.value) and name in error.value.reason_zh


# --- unreadable files -----------------------------------------------------------------------------------


def png_bytes():
    """A valid 1x1 PNG image."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")


def test_unreadable_files_name_the_file(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "photo.csv").write_bytes(png_bytes())
    (tmp_path / "noise.csv").write_bytes(random.Random(7).randbytes(4096))
    with zipfile.ZipFile(tmp_path / "archive.xlsx", "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    (tmp_path / "letter.csv").write_text("尊敬的客户：\n感谢您的来信。\n", encoding="utf-8")
    for name in ["empty.csv", "photo.csv", "noise.csv", "archive.xlsx", "letter.csv"]:
        with pytest.raises(UnreadableFile) as error:
            read_table(tmp_path / name)
        assert name in str(error.value)
        assert name in error.value.reason_zh and "无法读取" in error.value.reason_zh
        assert isinstance(error.value, ValueError)


def test_damaged_workbooks_raise_unreadable_file(tmp_path):
    with zipfile.ZipFile(tmp_path / "report.xlsx", "w") as archive:  # a valid ZIP of a report, not a workbook
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["a", "b"]] + [[f"x{i}", i] for i in range(200)]})
    cut = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    (tmp_path / "cut.xlsx").write_bytes(cut.getvalue())
    assert read_table(good).frame.height == 200
    for name, says in (("report.xlsx", "not an XLSX workbook"), ("cut.xlsx", "damaged")):
        with pytest.raises(UnreadableFile) as error:
            read_table(tmp_path / name)
        assert says in str(error.value) and name in error.value.reason_zh


# --- clean.py parsers -----------------------------------------------------------------------------------


def parsed(expr_fn, raw):
    """Python values of expr_fn applied to a String column holding raw."""
    frame = pl.DataFrame({"raw": pl.Series(raw, dtype=pl.String)})
    return frame.select(expr_fn(pl.col("raw"))).to_series().to_list()


@pytest.mark.parametrize("expr_fn, dtype", [
    (halfwidth, pl.String), (parse_number, pl.Float64), (parse_int, pl.Int64), (parse_date, pl.Date),
    (parse_datetime, pl.Datetime("us")), (lambda e: parse_bool(e, YES_NO), pl.Boolean),
    (lambda e: parse_enum(e, STAGES), pl.String),
])
def test_parsers_keep_the_column_name_and_give_their_type(expr_fn, dtype):
    frame = pl.DataFrame({"raw": ["1"], "other": ["x"]}).with_columns(expr_fn(pl.col("raw")))
    assert frame.schema == {"raw": dtype, "other": pl.String}


def test_halfwidth():
    raw = ["１２０", "ＡＢｃ－／：（）", "９５．５％，", "\u3000 检验 \u3000", "", "   ", None]
    assert parsed(halfwidth, raw) == ["120", "ABc-/:()", "95.5%,", "检验", None, None, None]


@pytest.mark.parametrize("text", ["abc", "检验 单", "A-1/2", "", " a", "a ", "\u3000a", "a\u00a0", "\u2003x", "x\t",
                                  "x\n", "１", "ａｂ", "a\uff5eb", "\uff01"])
def test_needs_halfwidth_tells_whether_halfwidth_changes_the_text(text):
    assert pl.select(needs_halfwidth(pl.lit(pl.Series([None, text])))).item() == (parsed(halfwidth, [text]) != [text])


def test_parse_number():
    raw = ["120", "１２０", "1,234,567", "1，234", "95%", "９５％", " 95 % ", "+3.5", "-2", "1 234",
           "abc", "1,2", "1.2.3", "%", "", None, "inf"]
    expected = [120.0, 120.0, 1234567.0, 1234.0, 95.0, 95.0, 95.0, 3.5, -2.0, 1234.0,
                None, None, None, None, None, None, None]
    assert parsed(parse_number, raw) == expected


def test_parse_int():
    raw = ["12", "12.0", "12.5", "１，２００", "-7", "80%", "x", "1e3"]
    assert parsed(parse_int, raw) == [12, 12, None, 1200, -7, 80, None, None]


def test_parse_date_every_form():
    march_5 = dt.date(1899, 12, 30) + dt.timedelta(days=44260)
    assert march_5 == dt.date(2021, 3, 5)
    raw = ["44260", "44260.0", "2021/3/5", "2021-03-05", "2021.3.5", "2021年3月5日", "20210305",
           "２０２１年３月５日", "2021-03-05 14:30:05", "2021/3/5 8:05", "2021年3月5日 14时30分"]
    assert parsed(parse_date, raw) == [march_5] * len(raw)


def test_parse_date_rejects_impossible_and_foreign_values():
    raw = ["2021-02-30", "20210230", "2021-13-01", "19999", "80001", "12", "3/5/2021", "abc", "", None]
    assert parsed(parse_date, raw) == [None] * len(raw)
    assert parsed(parse_date, ["2020-02-29"]) == [dt.date(2020, 2, 29)]


def test_parse_datetime():
    raw = ["2021-03-05 14:30", "2021/3/5 14:30:05", "2021年3月5日 14时30分", "2021年3月5日14时30分05秒",
           "2021-03-05", "44260.5", "44260", "2021-03-05T08:00:00", "2021-03-05 25:00", "2021-03-05 14:61"]
    expected = [dt.datetime(2021, 3, 5, 14, 30), dt.datetime(2021, 3, 5, 14, 30, 5), dt.datetime(2021, 3, 5, 14, 30),
                dt.datetime(2021, 3, 5, 14, 30, 5), dt.datetime(2021, 3, 5), dt.datetime(2021, 3, 5, 12),
                dt.datetime(2021, 3, 5), dt.datetime(2021, 3, 5, 8), None, None]
    assert parsed(parse_datetime, raw) == expected


def test_parse_bool_and_enum():
    raw = ["是", "Ｙ", " y e s ", "TRUE", "否", "0", "×", "maybe", None]
    assert parsed(lambda e: parse_bool(e, YES_NO), raw) == [True, True, True, True, False, False, False, None, None]
    raw = ["来料检验", "ＩＱＣ", "i pqc", "OQC", "出厂检验", "返工"]
    assert parsed(lambda e: parse_enum(e, STAGES), raw) == ["IQC", "IQC", "IPQC", "OQC", "OQC", None]
    assert parsed(lambda e: parse_enum(e, PASS_FAIL), ["判定合格", "NG", "pass"]) == ["pass", "fail", "pass"]


def test_conflicting_spellings_raise():
    with pytest.raises(ValueError, match="means both"):
        parse_enum(pl.col("x"), {"pass": ["ok"], "fail": ["OK"]})
