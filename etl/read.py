"""Read an export file into an all-text table, whatever shape the ERP or the clerk saved it in.

Shapes read, told by content (never by the file's name): CSV or tab-separated text in UTF-8, UTF-8 with BOM,
GBK/GB18030 or Big5 (told apart by charset-normalizer and a plausibility check, refused when uncertain), Excel's
"Unicode text" (UTF-16 with BOM, tabs), XLSX, old XLS (BIFF, through calamine) and HTML tables saved with an .xls
name by web ERPs. Password-protected workbooks, Excel 2003 XML spreadsheets, PDFs and binary files are refused by
name.

The header row is found among the first HEADER_SEARCH_ROWS rows (title rows above it are skipped), rows that
are entirely empty are dropped, the totals rows Chinese ERPs append (anywhere) and the footer lines clerks add
below a register (制表人, 审核, 打印日期, 合计：18起 …, at the end only) are dropped and reported in
RawTable.skipped, CSV rows with more fields than the header are kept and reported in RawTable.extra_fields,
and "__row" keeps the row number a spreadsheet shows for every row that is left.
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import statistics
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable

import charset_normalizer
import fastexcel
import lxml.etree
import polars as pl

HEADER_SEARCH_ROWS = 10
HEAD_BYTES = 256 * 1024  # enough text to see the header, the delimiter and the encoding
SEPARATORS = (",", "\t", ";")
TOTAL_WORDS = ("合计", "总计", "小计", "总合计", "累计", "合計", "總計", "小計", "總合計", "累計", "total", "sum")
# a totals word alone in its cell, spaces allowed anywhere (合 计), a colon after it
_TOTALS = r"(?i)^\s*(?:" + "|".join(r"\s*".join(word) for word in TOTAL_WORDS) + r")\s*[:：]?\s*$"
# words a clerk's footer line starts with (signatures, print date, totals with text, notes), simplified,
# traditional and English; a colon, a space or the cell's end must follow the word
FOOTER_WORDS = (
    "制表人", "制表", "制单人", "制单", "填表人", "填报人", "编制人", "编制", "审核人", "审核", "复核人", "复核",
    "审批人", "审批", "批准人", "批准", "核准", "签字", "签名", "负责人", "经办人", "打印日期", "打印时间", "打印人",
    "导出日期", "导出时间", "制表日期", "填表日期", "报表日期", "备注", "说明", "注",
    "製表人", "製表", "審核人", "審核", "複核", "覆核", "審批", "負責人", "經辦人", "列印日期", "列印時間", "備註", "說明",
    *TOTAL_WORDS, "prepared by", "checked by", "reviewed by", "approved by", "printed on", "printed", "print date",
    "remarks", "remark", "notes", "note",
)
_FOOTER = (r"(?i)^\s*(?:" + "|".join(r"\s*".join(w) for w in sorted(FOOTER_WORDS, key=len, reverse=True))
           + r")(?:\s*[:：]|\s|$)")
# one scan of every row's first cell finds the rows that need a closer look: blank, totals, possibly a footer
_NEEDS_A_LOOK = _TOTALS + r"|^\s*$|" + _FOOTER.removeprefix("(?i)")
ROW = "__row"
_EXTRA = "__row_extra_"  # name prefix of the fields beyond the header while a ragged CSV is read

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # a compound file: an old .xls, or an encrypted workbook
# HTML (or XML) text: optional comments and whitespace, then a tag such pages start with
_MARKUP = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|meta|title|style|\?xml)\b",
                     re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# declared charsets this module trusts: (label recorded, Python codec)
_CHARSETS = {
    "utf-8": ("utf-8", "utf-8"), "utf8": ("utf-8", "utf-8"),
    "gb2312": ("gb18030", "gb18030"), "gbk": ("gb18030", "gb18030"), "gb18030": ("gb18030", "gb18030"),
    "cp936": ("gb18030", "gb18030"), "x-gbk": ("gb18030", "gb18030"), "euc-cn": ("gb18030", "gb18030"),
    "big5": ("big5", "cp950"), "cp950": ("big5", "cp950"), "x-x-big5": ("big5", "cp950"),
    "big5-hkscs": ("big5", "cp950"),
}
# Chinese legacy encodings told apart: label recorded, Python codec (cp950 is Big5 as Windows writes it, a superset)
LEGACY_ENCODINGS = (("gb18030", "gb18030"), ("big5", "cp950"))
_ENCODING_NAMES = {"gb18030": "GB18030 (GBK)", "big5": "Big5"}
PLAUSIBLE = 0.8  # share of a decoding's non-ASCII characters that must be common Chinese characters or punctuation
MARGIN = 0.1     # by how much the share must beat the other decoding's when both are plausible
LENIENT = 0.5    # the share enough when the header decides, or when the other encoding cannot decode the bytes


@dataclass(frozen=True)
class SkippedLine:
    """A line of the file that is not in the frame although it has text: a totals row or a footer line."""

    row: int            # the row number a spreadsheet shows
    text: str           # the line's non-empty cells, joined by a space
    reason_zh: str
    reason_en: str


_TOTALS_REASON = ("合计行，已跳过", "totals row, skipped")
_FOOTER_REASON = ("表尾签字/统计行，已跳过", "footer line (signature or total), skipped")


@dataclass
class RawTable:
    """An export file as text: every column pl.String plus "__row" (Int32), the row number in the file."""

    frame: pl.DataFrame
    format: str  # "csv" (any delimited text), "xlsx", "xls" or "html"
    encoding: str | None  # "utf-8", "utf-8-sig", "gb18030", "big5" or "utf-16" for csv and html; None for workbooks
    sheet: str | None  # the sheet read, for workbooks
    skipped: list[SkippedLine] = field(default_factory=list)  # totals rows and footer lines left out, by row
    # CSV rows with more non-empty fields than the header: row number -> how many (the row stays in the frame)
    extra_fields: dict[int, int] = field(default_factory=dict)


class UnreadableFile(ValueError):
    """A file that is not a table this module can read; str() is English, .reason_zh is Chinese."""

    def __init__(self, path: Path, reason: str, reason_zh: str):
        super().__init__(f"cannot read {Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason_zh = f"无法读取文件 {Path(path).name}：{reason_zh}"


class _NotUtf8(Exception):
    """polars met bytes that are not UTF-8 (further into the file than the head judged first)."""


def read_table(path: Path, sheet: str | None = None, header_hint: Callable[[list[str]], bool] | None = None) -> RawTable:
    """The table in an export file, its shape told by content, headers found below any title rows."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        raise UnreadableFile(path, "the file is empty", "文件是空的")
    if head.startswith(b"PK"):
        return _workbook_table(path, "xlsx", sheet, header_hint)
    if head.startswith(OLE2_MAGIC):
        return _workbook_table(path, "xls", sheet, header_hint)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16_table(path, header_hint)
    if _MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        return _markup_table(path, path.read_bytes(), None, header_hint)
    if head.startswith(b"%PDF"):
        raise UnreadableFile(path, "a PDF document, not a table; export the data as CSV or XLSX",
                             "这是 PDF 文档，不是表格，请导出为 CSV 或 XLSX")
    return _csv_table(path, head, header_hint)


# --- delimited text ---------------------------------------------------------------------------------------


def _csv_table(path: Path, head: bytes, header_hint) -> RawTable:
    """RawTable of a CSV file: UTF-8 (with or without BOM) read by polars from the file, else GB18030 or Big5."""
    encoding = _utf8_kind(path, head, more=len(head) == HEAD_BYTES)
    if encoding is not None:
        try:
            return _csv_raw(path, path, head, header_hint, encoding)
        except _NotUtf8:  # invalid UTF-8 further down than the head
            if encoding == "utf-8-sig":
                raise UnreadableFile(path, "marked UTF-8 but has invalid UTF-8 bytes", "标记为 UTF-8 但含有无效字节")
    data = path.read_bytes()
    label, text = _legacy_text(path, data, header_hint)
    utf8 = text.encode("utf-8")
    return _csv_raw(path, utf8, utf8[:HEAD_BYTES], header_hint, label)


def _utf16_table(path: Path, header_hint) -> RawTable:
    """RawTable of UTF-16 text with a BOM: Excel's "Unicode text" (tab-separated), or an HTML page."""
    try:
        text = path.read_bytes().decode("utf-16")
    except UnicodeDecodeError as error:
        raise UnreadableFile(path, "marked UTF-16 (Unicode text) but has invalid UTF-16 bytes",
                             "标记为 UTF-16（Unicode 文本）但含有无效字节") from error
    if _MARKUP.match(text[:4096].encode("utf-8")):
        return _markup_table(path, None, (text, "utf-16"), header_hint)
    utf8 = text.encode("utf-8")
    if b"\x00" in utf8[:HEAD_BYTES]:
        raise UnreadableFile(path, "binary data, not a CSV or XLSX table", "这是二进制文件，不是 CSV 或 XLSX 表格")
    return _csv_raw(path, utf8, utf8[:HEAD_BYTES], header_hint, "utf-16")


def _utf8_kind(path: Path, head: bytes, more: bool) -> str | None:
    """"utf-8-sig" or "utf-8" when the first bytes are UTF-8 (more: the file goes on), else None; binary raises."""
    if b"\x00" in head:
        raise UnreadableFile(path, "binary data, not a CSV or XLSX table", "这是二进制文件，不是 CSV 或 XLSX 表格")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=not more)
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _csv_raw(path: Path, source: Path | bytes, head: bytes, header_hint, encoding: str) -> RawTable:
    """RawTable of UTF-8 CSV (a file or bytes) whose header row is found in head, its first bytes."""
    rows, separator = _head_rows(path, head)
    header_at = _header_index(path, rows, header_hint)
    options = dict(separator=separator, infer_schema=False, raise_if_empty=False)
    try:
        # no truncation: polars raises on a row with more fields than the header, which is rare and then read again
        body = pl.read_csv(source, has_header=True, skip_rows=header_at, truncate_ragged_lines=False, **options)
        width = None
    except pl.exceptions.PolarsError as error:
        if "truncate_ragged_lines" not in str(error):
            _csv_failure(path, error)
        width = len(rows[header_at])
        try:
            body = _wide_csv(source, header_at, width, options)
        except pl.exceptions.PolarsError as again:
            _csv_failure(path, again)
    frame, skipped, extra = _table(body, rows[header_at], header_at + 2, width)
    return RawTable(frame, "csv", encoding, None, skipped, extra)


def _csv_failure(path: Path, error: Exception):
    """Raise what a polars CSV error means: not UTF-8 (the caller decodes the text), else an unreadable file."""
    if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
        raise _NotUtf8(str(error)) from error
    raise UnreadableFile(path, f"not a readable CSV ({error})", "不是可读取的 CSV 文件") from error


def _wide_csv(source: Path | bytes, header_at: int, width: int, options: dict) -> pl.DataFrame:
    """The rows below the header with every field: the header's width, then fields named _EXTRA + n beyond it."""
    extra = max(8, width)
    while True:
        names = [f"column_{i}" for i in range(1, width + 1)] + [f"{_EXTRA}{i}" for i in range(1, extra + 1)]
        wide = pl.read_csv(source, has_header=False, skip_rows=header_at, schema=dict.fromkeys(names, pl.String),
                           missing_columns="insert", truncate_ragged_lines=True, **options)
        if wide.height == 0 or wide.get_column(names[-1]).null_count() == wide.height:
            return wide.slice(1)  # the header row itself
        extra *= 4  # a row filled even the last field read: read wider


def _head_rows(path: Path, head: bytes) -> tuple[list[list[str]], str]:
    """The first rows of UTF-8 CSV text and its delimiter."""
    if len(head) == HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head  # whole lines only
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    separator = _separator(text)
    try:
        rows = list(islice(csv.reader(io.StringIO(text), delimiter=separator), HEADER_SEARCH_ROWS))
    except csv.Error as error:
        raise UnreadableFile(path, f"not a readable CSV ({error})", "不是可读取的 CSV 文件") from error
    return rows, separator


def _separator(text: str) -> str:
    """The delimiter giving the most fields per line (median over the first lines); comma on a tie."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()] or [""]
    widths = {
        sep: statistics.median_low(len(r) for r in csv.reader(lines, delimiter=sep)) for sep in SEPARATORS
    }
    return max(SEPARATORS, key=lambda sep: widths[sep])  # max keeps the first (comma) on a tie


# --- telling GB18030 from Big5 -----------------------------------------------------------------------------


@functools.cache
def _common_characters() -> tuple[frozenset[str], frozenset[str]]:
    """The common Chinese characters (GB2312 level 1: 3755 simplified; Big5's common set: 5401 traditional) and the
    symbols of Chinese business text (GB2312's punctuation, numbers, full-width forms and Greek, rows A1-A3 and A6;
    Big5's, A140-A2FE)."""
    def decoded(codec: str, leads, trails) -> set[str]:
        return {bytes([lead, trail]).decode(codec, errors="ignore") for lead in leads for trail in trails} - {""}

    gb_trails, big5_trails = range(0xA1, 0xFF), (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    common = decoded("gb2312", range(0xB0, 0xD8), gb_trails) | decoded("big5", range(0xA4, 0xC6), big5_trails)
    common |= decoded("big5", (0xC6,), range(0x40, 0x7F))
    symbols = decoded("gb2312", (0xA1, 0xA2, 0xA3, 0xA6), gb_trails) | decoded("big5", (0xA1, 0xA2), big5_trails)
    return frozenset(common), frozenset(symbols - common)


def _common_share(text: str) -> float:
    """Share of the non-ASCII characters of text, symbols left out, that are common Chinese characters (1.0: none).

    Symbols say little: a wrong decoding of symbols is often other symbols, but of characters, rare characters,
    kana, box drawing or private-use characters.
    """
    common, symbols = _common_characters()
    usual = counted = 0
    for ch in text:
        if ch > "\x7f" and ch not in symbols:
            counted += 1
            usual += ch in common
    return usual / counted if counted else 1.0


def _sample(data: bytes) -> tuple[bytes, bool]:
    """Up to HEAD_BYTES of whole lines from where the non-ASCII text starts; True when they reach the end."""
    start = re.search(rb"[\x80-\xff]", data)
    if start is None:
        return data[:HEAD_BYTES], len(data) <= HEAD_BYTES
    begin = data.rfind(b"\n", 0, start.start()) + 1
    sample = data[begin: begin + HEAD_BYTES]
    if begin + HEAD_BYTES < len(data):
        cut = sample.rfind(b"\n") + 1
        return (sample[:cut] if cut > start.start() - begin + 1 else sample), False
    return sample, True


def _decoded(data: bytes, codec: str, final: bool) -> str | None:
    """data decoded strictly (a character cut at the end is allowed when not final), or None."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _legacy_encoding(path: Path, data: bytes, header_hint, head_rows) -> tuple[str, str]:
    """(label, codec) of text that is not UTF-8: GB18030 or Big5, when the text tells which; else refused.

    A decoding is plausible when the bytes decode and most of its non-ASCII characters (PLAUSIBLE) are common in
    Chinese business text. The first rule that picks one encoding decides: a header that header_hint accepts under
    one decoding only; a single plausible decoding; of two, the one whose share of common characters is MARGIN
    higher, or the one that charset-normalizer alone reads without mess; a single decoding at all that
    charset-normalizer reads without mess, LENIENT. Anything else is uncertain, and refused.
    """
    sample, final = _sample(data)
    head = data[:HEAD_BYTES]
    clean = {m.encoding for m in charset_normalizer.from_bytes(
        sample, cp_isolation=[codec for _, codec in LEGACY_ENCODINGS], preemptive_behaviour=False,
        enable_fallback=False)}
    found: dict[str, _Decoding] = {}
    for label, codec in LEGACY_ENCODINGS:
        text = _decoded(sample, codec, final)
        if text is not None:
            hinted = _hinted(head, codec, len(head) == len(data), header_hint, head_rows)
            found[label] = _Decoding(codec, _common_share(text), hinted, codec in clean)
    hinted = [label for label, d in found.items() if d.hinted and d.share >= LENIENT]
    if len(hinted) == 1:
        return hinted[0], found[hinted[0]].codec
    plausible = sorted((label for label, d in found.items() if d.share >= PLAUSIBLE), key=lambda l: -found[l].share)
    if len(plausible) == 2:
        without_mess = [label for label in plausible if found[label].clean]
        if found[plausible[0]].share - found[plausible[1]].share >= MARGIN:
            plausible = plausible[:1]
        elif len(without_mess) == 1:
            plausible = without_mess
    if len(plausible) == 1:
        return plausible[0], found[plausible[0]].codec
    if not plausible and len(found) == 1:  # the other does not decode at all: lenient with rare characters
        label, decoding = next(iter(found.items()))
        if decoding.clean and decoding.share >= LENIENT:
            return label, decoding.codec
    raise _uncertain(path, plausible)


@dataclass(frozen=True)
class _Decoding:
    """What a text looks like decoded with one codec."""

    codec: str
    share: float   # of common characters (_common_share)
    hinted: bool   # header_hint accepts one of its first rows
    clean: bool    # charset-normalizer reads it without mess


def _hinted(head: bytes, codec: str, final: bool, header_hint, head_rows) -> bool:
    """Whether header_hint accepts one of the first rows of head decoded with codec (head_rows: text -> rows)."""
    text = _decoded(head, codec, final) if header_hint is not None and head_rows is not None else None
    if text is None:
        return False
    try:
        rows = head_rows(text)
    except UnreadableFile:
        return False
    return any(header_hint(cells) for cells in ([(c or "").strip() for c in row] for row in rows) if any(cells))


def _uncertain(path: Path, plausible: list[str]) -> UnreadableFile:
    """The refusal of text whose encoding is uncertain, naming the encodings tried."""
    if len(plausible) > 1:
        en, zh = "it reads as Chinese in both GB18030 and Big5", "按 GB18030 和 Big5 解码都像中文，无法区分"
    else:
        en, zh = "it reads as Chinese text in none of them", "按这几种编码解码都不像中文文本"
    return UnreadableFile(path, f"the text encoding is uncertain: tried UTF-8, GB18030 (GBK) and Big5, and {en}; "
                                "save it as CSV UTF-8",
                          f"无法确定文本编码：已尝试 UTF-8、GB18030（GBK）和 Big5，{zh}；请另存为 CSV UTF-8")


def _legacy_text(path: Path, data: bytes, header_hint) -> tuple[str, str]:
    """(label, text) of CSV bytes that are not UTF-8, decoded as the GB18030 or Big5 they are."""
    label, codec = _legacy_encoding(path, data, header_hint, lambda text: _head_rows(path, text.encode("utf-8"))[0])
    return label, _decoded_whole(path, data, label, codec)


def _decoded_whole(path: Path, data: bytes, label: str, codec: str) -> str:
    """All of data decoded with the codec its first part was judged to be in; invalid bytes further on refused."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        name = _ENCODING_NAMES[label]
        raise UnreadableFile(path, f"the text reads as {name} but has bytes that are not {name} at byte {error.start}",
                             f"文本按 {name} 编码读取，但第 {error.start} 字节处含有无效字节") from error


# --- workbooks ---------------------------------------------------------------------------------------------


def _workbook_table(path: Path, fmt: str, sheet: str | None, header_hint) -> RawTable:
    """RawTable of a sheet (the first one by default) of an XLSX or XLS workbook, read by calamine."""
    data = path.read_bytes()  # calamine judges bytes by content, a path by its suffix
    try:
        names = fastexcel.read_excel(data).sheet_names
    except Exception as error:  # fastexcel raises its own error types for non-workbooks
        raise _not_a_workbook(path, fmt, data, error) from error
    if not names:
        raise UnreadableFile(path, "the workbook has no sheets", "工作簿中没有工作表")
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        raise UnreadableFile(path, f"no sheet named {sheet!r}; sheets: {', '.join(names)}",
                             f"没有名为“{sheet}”的工作表；现有工作表：{'、'.join(names)}")
    try:
        grid = pl.read_excel(
            data, sheet_name=sheet, engine="calamine", has_header=False,
            read_options={"header_row": None, "skip_rows": 0, "dtypes": "string"},
            drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False,
        )
    except Exception as error:
        raise UnreadableFile(path, f"the workbook is damaged: sheet {sheet!r} cannot be read",
                             f"工作簿已损坏，工作表“{sheet}”无法读取") from error
    # calamine writes date cells as "YYYY-MM-DD HH:MM:SS"; a date without a time becomes "YYYY-MM-DD"
    grid = grid.with_columns(pl.all().str.replace(r"^(\d{4}-\d\d-\d\d) 00:00:00$", "${1}"))
    rows = grid.head(HEADER_SEARCH_ROWS).rows()
    header_at = _header_index(path, rows, header_hint)
    frame, skipped, _ = _table(grid.slice(header_at + 1), rows[header_at], header_at + 2)
    return RawTable(frame, fmt, None, sheet, skipped)


def _not_a_workbook(path: Path, fmt: str, data: bytes, error: Exception) -> UnreadableFile:
    """Why calamine could not open a ZIP or OLE2 file."""
    if fmt == "xlsx":
        return UnreadableFile(path, "a ZIP archive that is not an XLSX workbook", "这是 ZIP 压缩包，不是 XLSX 工作簿")
    if "EncryptedPackage".encode("utf-16-le") in data or "password" in str(error).lower():
        return UnreadableFile(path, "a password-protected (encrypted) workbook; remove the password in Excel and "
                                    "save it again", "这是设有密码（加密）的工作簿，请在 Excel 中取消密码后重新保存")
    return UnreadableFile(path, "an old .xls workbook that cannot be read: it is damaged, encrypted or another old "
                                "Office file; open it in Excel and save it as .xlsx or CSV",
                          "这是无法读取的旧版 .xls 工作簿（已损坏、已加密或是其他旧版 Office 文件），"
                          "请用 Excel 打开后另存为 .xlsx 或 CSV")


# --- HTML tables ---------------------------------------------------------------------------------------------


def _markup_table(path: Path, data: bytes | None, decoded: tuple[str, str] | None, header_hint) -> RawTable:
    """RawTable of the table of an HTML page (data, or decoded: its text and encoding label); XML refused."""
    text, encoding = decoded or _html_text(path, data)
    start = text[:HEAD_BYTES].lower()
    if start.lstrip("\ufeff \t\r\n").startswith("<?xml") and "<html" not in start and "<table" not in start:
        if "urn:schemas-microsoft-com:office:spreadsheet" in start or "<workbook" in start:
            raise UnreadableFile(path, "an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx",
                                 "这是 Excel 2003 XML 表格，请用 Excel 打开后另存为 .xlsx")
        raise UnreadableFile(path, "an XML file, not a table", "这是 XML 文件，不是表格")
    try:
        page = lxml.etree.fromstring(text.encode("utf-8"), lxml.etree.HTMLParser(encoding="utf-8"))
    except lxml.etree.LxmlError as error:
        raise UnreadableFile(path, "an HTML page that cannot be read", "这是无法读取的网页文件") from error
    tables = [] if page is None else list(page.iter("table"))
    if not tables:
        raise UnreadableFile(path, "an HTML page without a table", "这是网页文件，其中没有表格")
    # the table with the most rows of more than one cell (the first on a tie): the data, not a layout or search form
    table = max(tables, key=lambda t: t.xpath("count(./tr[count(td|th)>1]|./*/tr[count(td|th)>1])"))
    grid = _html_grid([[cell for cell in tr if cell.tag in ("td", "th")]
                       for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")])
    width = max((len(row) for row in grid), default=0)
    if width == 0:
        raise UnreadableFile(path, "an HTML page whose table is empty", "这是网页文件，其中的表格是空的")
    grid = [row + [None] * (width - len(row)) for row in grid]
    frame = pl.DataFrame(grid, schema=[(f"column_{i}", pl.String) for i in range(1, width + 1)], orient="row")
    rows = grid[:HEADER_SEARCH_ROWS]
    header_at = _header_index(path, rows, header_hint)
    frame, skipped, _ = _table(frame.slice(header_at + 1), rows[header_at], header_at + 2)
    return RawTable(frame, "html", encoding, None, skipped)


def _html_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding label) of an HTML page: BOM, else a declared charset that decodes, else UTF-8, else detected."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise UnreadableFile(path, "marked UTF-8 but has invalid UTF-8 bytes", "标记为 UTF-8 但含有无效字节") from error
    declared = _META_CHARSET.search(data[:HEAD_BYTES])
    charset = _CHARSETS.get(declared.group(1).decode("ascii").lower()) if declared else None
    for label, codec in [charset, ("utf-8", "utf-8")] if charset else [("utf-8", "utf-8")]:
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            pass  # a page that declares one charset and is written in another
    label, codec = _legacy_encoding(path, data, None, None)
    return _decoded_whole(path, data, label, codec), label


def _html_grid(rows: list[list]) -> list[list[str | None]]:
    """Cell texts by row and column of a table's rows of <td>/<th> cells; a merged cell's text is in its first
    position, the others it covers (colspan, rowspan) are None."""
    grid: list[list[str | None]] = []
    covered: dict[int, int] = {}  # column -> rows below still covered by a cell with a rowspan
    for cells in rows:
        line: list[str | None] = []
        for cell in cells:
            while covered and len(line) in covered:
                _cover(covered, len(line))
                line.append(None)
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            if rowspan > 1:
                covered.update(dict.fromkeys(range(len(line), len(line) + colspan), rowspan - 1))
            line.append(_cell_text(cell))
            if colspan > 1:
                line += [None] * (colspan - 1)
        for column in sorted(c for c in covered if c >= len(line)) if covered else ():
            _cover(covered, column)
            line += [None] * (column + 1 - len(line))
        grid.append(line)
    return grid


def _cover(covered: dict[int, int], column: int) -> None:
    """Count one more row covered by the rowspan over column."""
    covered[column] -= 1
    if not covered[column]:
        del covered[column]


def _span(value: str | None) -> int:
    """A colspan or rowspan attribute as a count of cells, tolerant of junk (1 when unreadable)."""
    if value is None:
        return 1
    digits = re.match(r"\s*(\d+)", value)
    return min(max(int(digits.group(1)), 1), 1000) if digits else 1


_HTML_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")  # &nbsp; shows as a space too
_BREAK = "\ue000"  # stands for a <br> while the whitespace is collapsed


def _cell_text(cell) -> str | None:
    """The text of a <td>/<th>: whitespace collapsed as a browser shows it, <br> as a line break; None when empty."""
    if len(cell):  # elements inside the cell
        for br in cell.iter("br"):
            br.tail = _BREAK + (br.tail or "")
        text = _HTML_SPACE.sub(" ", "".join(cell.itertext()))
        text = re.sub(f" ?{_BREAK} ?", "\n", text) if _BREAK in text else text
    else:
        text = _HTML_SPACE.sub(" ", cell.text or "")
    return text.strip() or None


# --- the table: header, rows, numbering ------------------------------------------------------------------------


def _header_index(path: Path, rows: list, header_hint) -> int:
    """Index of the header among the first rows: the first header_hint accepts, else the first dense row.

    A dense row has more than one non-empty cell and at least half as many as the fullest of these rows.
    """
    cells = [[(c or "").strip() for c in row] for row in rows]
    filled = [sum(1 for c in row if c) for row in cells]
    if header_hint is not None:
        for i, row in enumerate(cells):
            if filled[i] and header_hint(row):
                return i
    widest = max(filled, default=0)
    for i, count in enumerate(filled):
        if count > 1 and 2 * count >= widest:
            return i
    raise UnreadableFile(path, f"no header row in the first {HEADER_SEARCH_ROWS} rows; is this a table?",
                         f"前 {HEADER_SEARCH_ROWS} 行中找不到表头行，文件不像是表格")


def _column_names(header: list) -> list[str]:
    """Header cells stripped; empty ones named "column_N" (N counted from 1), repeats suffixed "_2", "_3"."""
    names: list[str] = []
    taken = {ROW}
    for i, cell in enumerate(header, start=1):
        base = (cell or "").strip() or f"column_{i}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names.append(name)
    return names


def _table(body: pl.DataFrame, header: list, first_row: int, width: int | None = None
           ) -> tuple[pl.DataFrame, list[SkippedLine], dict[int, int]]:
    """Body renamed to the header, with "__row" from first_row, empty, totals and footer rows dropped; the lines
    skipped; and, when width is given (fields beyond it are extra), how many non-empty extra fields each row had."""
    if width is None:
        header = (list(header) + [None] * body.width)[: body.width]
        names = _column_names(header)
    else:
        names = _column_names(header[:width]) + [f"{_EXTRA}{i}" for i in range(1, body.width - width + 1)]
    body = body.rename(dict(zip(body.columns, names)))
    body = body.with_columns(_row_numbers(body, first_row))
    first = body.select(pl.coalesce(body.columns[:-1])).to_series()
    skipped: list[SkippedLine] = []
    if first.null_count() or first.str.contains(_NEEDS_A_LOOK).any():  # else the common case: one scan
        body, skipped = _without_blank_totals_and_footer(body, len(header) if width is None else width)
    if width is None:
        return body, skipped, {}
    extra = [c for c in body.columns if c.startswith(_EXTRA)]
    counts = body.select(pl.col(ROW), pl.sum_horizontal(pl.col(c).str.contains(r"\S").fill_null(False) for c in extra)
                         .alias("n")).filter(pl.col("n") > 0)
    return body.drop(extra), skipped, dict(zip(counts[ROW].to_list(), counts["n"].to_list()))


def _without_blank_totals_and_footer(body: pl.DataFrame, width: int) -> tuple[pl.DataFrame, list[SkippedLine]]:
    """Body without its blank rows, its totals rows and the footer lines at its end; the lines skipped.

    A footer line's first filled cell starts with a FOOTER_WORDS word, and few of its other cells (at most a third
    of the header's width, at least one) hold anything but more such words. Only the rows after the last row of
    data are footer lines; blank rows and totals rows may stand between them.
    """
    first = body.select(_first_filled(body.drop(ROW))).to_series()
    blank, total = first.is_null(), first.str.contains(_TOTALS).fill_null(False)
    maybe = first.str.contains(_FOOTER).fill_null(False)
    data = (~(blank | total | maybe)).arg_true()
    start = data.max() + 1 if data.len() else 0  # footer lines are only below the last row that is surely data
    footer: set[int] = set()
    allowed = max(1, (width - 1) // 3)
    end = body.height
    while end > start:  # from the end back, a few rows at a time, until a row that is not a footer line
        begin = max(start, end - 64)
        lines = body.slice(begin, end - begin).rows(named=True)
        for i, line in zip(range(end - 1, begin - 1, -1), reversed(lines)):
            if blank[i] or total[i]:
                continue
            others = [c for c in _filled(line, body.columns)[1:] if not re.match(_FOOTER, c)]
            if not (maybe[i] and len(others) <= allowed):
                begin = start  # a row of data: no footer line above it
                break
            footer.add(line[ROW])
        end = begin
    is_footer = body[ROW].is_in(list(footer))
    skipped = []
    for row in body.filter(total | is_footer).iter_rows(named=True):
        zh, en = _FOOTER_REASON if row[ROW] in footer else _TOTALS_REASON
        skipped.append(SkippedLine(row[ROW], " ".join(_filled(row, body.columns)), zh, en))
    return body.filter(~(blank | total | is_footer)), skipped


def _filled(line: dict, columns: list[str]) -> list[str]:
    """The non-empty cells of a row (named by column) in these columns, stripped; "__row" left out."""
    cells = (line[c] for c in columns if c != ROW)
    return [text for text in (c.strip() for c in cells if c is not None) if text]


def _row_numbers(body: pl.DataFrame, first_row: int) -> pl.Series:
    """The "__row" column, in chunks as long as the body's (polars copies a frame whose columns are chunked unlike
    each other at every later select)."""
    numbers = pl.int_range(first_row, first_row + body.height, dtype=pl.Int32, eager=True).alias(ROW)
    if body.width == 0 or body.height == 0:
        return numbers
    start, parts = 0, []
    for length in body.to_series(0).chunk_lengths():
        parts.append(numbers.slice(start, length))
        start += length
    return pl.concat(parts, rechunk=False)


def _first_filled(frame: pl.DataFrame) -> pl.Expr:
    """Expression for each row's first cell that is not empty or whitespace (null when there is none)."""
    cells = [pl.col(c) for c in frame.columns]
    if frame.select(pl.coalesce(cells).str.contains(r"^\s*$").any()).item():  # rare: whitespace-only cells
        cells = [pl.when(c.str.contains(r"\S")).then(c) for c in cells]
    return pl.coalesce(cells)
