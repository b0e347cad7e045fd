"""etl.read.read_table and the etl.clean parsers, on files written to tmp_path."""
from __future__ import annotations

import datetime as dt
import random
import struct
import zipfile
import zlib

import polars as pl
import pytest
import xlsxwriter

from etl.clean import halfwidth, needs_halfwidth, parse_bool, parse_date, parse_datetime, parse_enum, parse_int, parse_number
from etl.read import UnreadableFile, read_table
from etl.sources import PASS_FAIL, STAGES, YES_NO

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
    (tmp_path / "utf16.csv").write_bytes("a,b\n1,2\n".encode("utf-16"))
    for name in ["empty.csv", "photo.csv", "noise.csv", "archive.xlsx", "letter.csv", "utf16.csv"]:
        with pytest.raises(UnreadableFile) as error:
            read_table(tmp_path / name)
        assert name in str(error.value)
        assert name in error.value.reason_zh and "无法读取" in error.value.reason_zh
        assert isinstance(error.value, ValueError)


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
