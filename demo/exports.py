"""Demo data: the raw ERP / QC export files a site would hand over, written in their real shapes.

Years 2019-2021 reproduce the 2021 quality integrity report exactly (Tables 7, 8 and 12) through the KPI
formulas of docs/kpi-definitions.md; 2022 up to today's month is synthetic, seeded and deterministic.
The files mix CSV in UTF-8, UTF-8 with BOM and GBK with XLSX, Chinese and English headers, title rows,
totals rows, blank trailing rows, several date spellings and thousands separators, as real exports do.
"""
from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path

import holidays
import xlsxwriter

REPORT_YEARS = (2019, 2020, 2021)

# Report Table 8 as lots: (lots inspected, lots failed) per stage and year; FQC and OQC together give the
# final inspection pass rate (96.0 / 97.0 / 98.0 %).
LOTS = {
    "IQC": {2019: (1400, 70), 2020: (1500, 60), 2021: (1750, 70)},     # 95.0 / 96.0 / 96.0 %
    "IPQC": {2019: (1400, 140), 2020: (1400, 119), 2021: (1600, 88)},  # 90.0 / 91.5 / 94.5 %
    "FQC": {2019: (1000, 55), 2020: (1100, 45), 2021: (1200, 32)},
    "OQC": {2019: (800, 17), 2020: (900, 15), 2021: (1000, 12)},       # FQC+OQC 1728/1800, 1940/2000, 2156/2200
}
# Telescope lots given the airtightness test at FQC: (lots tested, lots failing at the first attempt).
AIRTIGHTNESS = {2019: (250, 6), 2020: (260, 5), 2021: (300, 5)}        # 97.6 / 98.1 / 98.3 %
# Customer survey: (responses, mean overall score); overall = sum of the 8 answers (1-5) x 2.5.
SURVEYS = {2019: (35, 92.0), 2020: (40, 93.0), 2021: (45, 95.0)}
# Supplier satisfaction per supplier (GYS-001 .. GYS-009): means 96 / 97 / 98.
SUPPLIER_SATISFACTION = {
    2019: [97, 98, 96, 97, 98, 95, 96, 95, 92],
    2020: [98, 98, 97, 98, 98, 96, 97, 96, 95],
    2021: [99, 99, 98, 99, 99, 97, 98, 97, 96],
}
# Report Table 12: (company sales, market size) in 10,000 yuan; national 2/3/4 %, provincial 4.0/4.5/5 %.
MARKET = {
    2019: {"national": (6400, 320000), "provincial": (1600, 40000)},
    2020: {"national": (9000, 300000), "provincial": (1890, 42000)},
    2021: {"national": (11000, 275000), "provincial": (2200, 44000)},
}

# Monthly weight of the lot count: Spring Festival in January/February, the autumn peak before export season.
SEASON = {1: 0.95, 2: 0.6, 3: 1.0, 4: 1.0, 5: 0.95, 6: 1.0, 7: 1.05, 8: 1.15, 9: 1.2, 10: 0.95, 11: 1.1, 12: 1.05}
COVID_2020 = {2: 0.35, 3: 0.8}
MONTHLY_BASE = {"IQC": 150, "IPQC": 135, "FQC": 100, "OQC": 85}   # lots a month in 2021, grown 3 % a year after
SYNTHETIC_FAIL = {"IQC": (0.025, 0.045), "IPQC": (0.04, 0.07), "FQC": (0.015, 0.03), "OQC": (0.005, 0.015)}

# Master data ------------------------------------------------------------------------------------

# code, name, material risk class, materials [(item code, item name, lot range, defect types)]
SUPPLIERS = [
    ("GYS-001", "宁波明远光学材料有限公司", "A", [("YL-101", "光学玻璃 H-K9L", (200, 2000), ["气泡", "条纹", "划伤"]),
                                            ("YL-102", "光学玻璃 H-ZF2", (200, 1500), ["气泡", "条纹"])]),
    ("GYS-002", "丹阳市恒瑞光学镜片有限公司", "A", [("YL-201", "物镜镜片", (500, 8000), ["划伤", "麻点", "偏心"]),
                                             ("YL-202", "目镜镜片", (500, 8000), ["划伤", "崩边", "镀膜不良"]),
                                             ("YL-203", "放大镜镜片", (1000, 10000), ["划伤", "气泡", "尺寸超差"])]),
    ("GYS-003", "南阳锦程光电元件有限公司", "A", [("YL-301", "屋脊棱镜", (300, 3000), ["崩边", "角度超差", "划伤"]),
                                           ("YL-302", "普罗棱镜", (300, 3000), ["崩边", "划伤"])]),
    ("GYS-004", "苏州远视光学组件有限公司", "A", [("YL-401", "消色差物镜组", (200, 2000), ["成像模糊", "偏心", "脏污"]),
                                           ("YL-402", "广角目镜组", (200, 2000), ["成像模糊", "脏污"])]),
    ("GYS-005", "永康市宏达铝制品有限公司", "A", [("YL-501", "铝合金镜筒", (500, 5000), ["尺寸超差", "氧化不良", "螺纹不良"]),
                                           ("YL-502", "铝合金调焦座", (300, 3000), ["尺寸超差", "螺纹不良"])]),
    ("GYS-006", "余姚市通力塑化有限公司", "B", [("YL-601", "ABS塑料粒子", (500, 5000), ["色差", "杂质"]),
                                          ("YL-602", "PC塑料粒子", (500, 3000), ["色差", "含水率超标"])]),
    ("GYS-007", "深圳市星辉光电科技有限公司", "B", [("YL-701", "LED照明模块", (500, 5000), ["亮度不足", "功能不良"])]),
    ("GYS-008", "金华市永固五金有限公司", "B", [("YL-801", "不锈钢螺钉", (5000, 30000), ["尺寸超差", "生锈"]),
                                          ("YL-802", "调焦弹簧", (2000, 20000), ["弹力不足", "尺寸超差"])]),
    ("GYS-009", "金华市金东区恒丰纸箱厂", "C", [("YL-901", "包装纸箱", (300, 3000), ["强度不足", "印刷不良"]),
                                          ("YL-902", "彩盒", (500, 5000), ["印刷不良", "尺寸超差"])]),
]
SUPPLIER_VOLUME = [12, 20, 10, 12, 10, 12, 8, 8, 8]          # share of IQC lots
SUPPLIER_FAIL_WEIGHT = {"A": 1.0, "B": 1.6, "C": 2.4}
MATERIAL_WORDS = {"GYS-001": "光学玻璃", "GYS-002": "镜片", "GYS-003": "棱镜", "GYS-004": "物镜、目镜组件",
                  "GYS-005": "铝合金镜筒、调焦座", "GYS-006": "塑料粒子", "GYS-007": "LED照明模块",
                  "GYS-008": "五金紧固件、弹簧", "GYS-009": "包装纸箱、彩盒"}

# code (the model), name, family, weight in production, lot range
PRODUCTS = [
    ("XSP-2CA", "生物显微镜 XSP-2CA", "microscope", 8, (100, 800)),
    ("XSP-116", "生物显微镜 XSP-116", "microscope", 6, (100, 600)),
    ("TP-F200", "荧光生物显微镜 TP-F200", "microscope", 8, (50, 400)),
    ("TP-F300", "荧光生物显微镜 TP-F300", "microscope", 5, (50, 300)),
    ("XTL-340", "体视显微镜 XTL-340", "microscope", 5, (100, 600)),
    ("FD-6090", "手持放大镜 FD-6090", "magnifier", 8, (500, 5000)),
    ("FD-7510", "手持放大镜 FD-7510", "magnifier", 6, (500, 5000)),
    ("TF-120", "台式放大镜 TF-120", "magnifier", 5, (200, 2000)),
    ("SW-8X42", "双筒望远镜 SW-8X42", "telescope", 8, (200, 2000)),
    ("SW-10X50", "双筒望远镜 SW-10X50", "telescope", 6, (200, 2000)),
    ("DT-15X50", "单筒望远镜 DT-15X50", "telescope", 4, (200, 1500)),
    ("TW-70070", "天文望远镜 TW-70070", "telescope", 3, (50, 500)),
    ("ZN-45", "指南针 ZN-45", "compass", 5, (1000, 10000)),
    ("ZN-60", "指南针 ZN-60", "compass", 3, (1000, 8000)),
    ("SL-JT01", "塑料镜筒 SL-JT01", "plastic_part", 5, (1000, 10000)),
    ("SL-WK02", "塑料外壳 SL-WK02", "plastic_part", 5, (1000, 10000)),
]
FAMILY_ZH = {"microscope": "显微镜", "magnifier": "放大镜", "telescope": "望远镜", "compass": "指南针",
             "plastic_part": "塑料制品", "material": "原材料"}
FAMILY_DEFECTS = {
    "microscope": ["成像模糊", "装配不良", "脏污", "偏心", "调焦不顺"],
    "magnifier": ["划伤", "气泡", "脏污", "装配不良"],
    "telescope": ["成像模糊", "偏心", "装配不良", "脏污"],
    "compass": ["指向偏差", "气泡", "装配不良"],
    "plastic_part": ["缺料", "飞边", "尺寸超差", "色差"],
}
FAMILY_PROCESS = {"microscope": ["装配", "光轴调校"], "magnifier": ["装配", "镜片清洁"], "telescope": ["装配", "充氮密封"],
                  "compass": ["装配", "充液"], "plastic_part": ["注塑", "修边"]}
OQC_DEFECTS = ["包装破损", "标识错误", "脏污", "划伤", "附件缺失"]
AIRTIGHT_DEFECTS = ["气密性不良", "漏气"]

INSPECTORS = {"IQC": ["王丽华", "陈建国", "张晓燕"], "IPQC": ["刘伟", "吴敏", "周斌", "蒋丽娟"],
              "FQC": ["徐海燕", "郑强", "方红梅"], "OQC": ["何芳", "郑强"]}
ID_PREFIX = {"IQC": "LL", "IPQC": "GC", "FQC": "CP", "OQC": "CH"}
TITLE_WORD = {"IQC": "来料检验记录", "IPQC": "过程检验记录", "FQC": "成品检验记录", "OQC": "出货检验记录"}
FILE_WORD = {"IQC": "IQC来料检验", "IPQC": "IPQC过程检验", "FQC": "FQC成品检验", "OQC": "OQC出货检验"}

_IN_PROVINCE = ["杭州", "宁波", "温州", "义乌", "金华", "绍兴", "台州", "嘉兴", "湖州", "丽水", "衢州", "舟山",
                "东阳", "永康", "兰溪", "诸暨", "余姚", "慈溪"]
_OUT_OF_PROVINCE = ["上海", "南京", "苏州", "广州", "深圳", "北京", "天津", "武汉", "成都", "西安", "长沙", "郑州",
                    "济南", "青岛", "合肥", "福州", "厦门", "南昌", "昆明", "重庆", "沈阳", "南宁"]
_ABROAD = ["Nordlicht Optik GmbH", "Bright Lens Trading LLC", "Sakura Scientific Co., Ltd.", "Optica Iberia S.L.",
           "Kiwi Science Supplies Ltd", "Maple Leaf Educational Inc.", "Desert Vision Trading FZE",
           "Lumen Ottica S.r.l.", "Baltic Optics UAB", "Hanbit Edu-Science Co.", "Andes Instrumentos S.A.",
           "Southern Cross Discovery Pty Ltd", "Nile Lab Supplies", "Vistula Optyka Sp. z o.o.",
           "Fjord Naturfag AS", "Lowlands Hobby Optics B.V."]
_NAME_WORDS = ["明视", "博远", "晶华", "启明", "星河", "睿智", "天宇", "华光", "慧眼", "远景", "新锐", "金桥"]
_NAME_KINDS = ["科教仪器有限公司", "教学设备有限公司", "光学器材商行", "文具有限公司", "电子商务有限公司", "贸易有限公司"]
SEGMENT_CYCLE = ["strategic", "important", "general", "important", "general", "general", "potential",
                 "general", "important", "general"]
SEGMENT_ZH = {"strategic": "战略客户", "important": "重要客户", "general": "一般客户", "potential": "潜在客户"}
REGION_ZH = {"in_province": "省内", "out_of_province": "省外", "abroad": "国外"}

# code, name, what it measures, origin, level, interval in months (Table 5 first, then the gauges)
INSTRUMENTS = [
    ("JL-001", "望远镜、显微镜综合测量仪", "放大率", "上海", "国内先进", 12),
    ("JL-002", "光学中心仪", "镜中心", "上海", "国内先进", 12),
    ("JL-003", "显微镜测量仪", "显微镜效果", "上海", "国内先进", 12),
    ("JL-004", "投影仪", "图像放大", "上海", "国内先进", 12),
    ("JL-005", "球面干涉仪", "球面面形", "成都", "国内先进", 12),
    ("JL-006", "工具显微镜", "几何尺寸", "上海", "国内先进", 12),
    ("JL-007", "气密性检测仪", "气密性", "深圳", "国内一般", 12),
    ("JL-008", "数显卡尺 0-150mm", "长度", "桂林", "国内一般", 12),
    ("JL-009", "数显卡尺 0-200mm", "长度", "桂林", "国内一般", 12),
    ("JL-010", "外径千分尺 0-25mm", "外径", "哈尔滨", "国内一般", 12),
    ("JL-011", "外径千分尺 25-50mm", "外径", "哈尔滨", "国内一般", 12),
]
OVERDUE_INSTRUMENT = "JL-009"
OVERDUE_AUDIT_SUPPLIER = "GYS-004"

# Reference-year complaints: received, customer code, product, description, our fault, on-site needed,
# written report requested, 三包 resolution.  Every milestone is met well inside its due time.
REFERENCE_COMPLAINTS = [
    ("2019-04-16 09:20", "KH001", "XSP-2CA", "部分生物显微镜成像模糊，调焦后仍有重影", True, True, True, "维修"),
    ("2019-09-17 10:05", "KH003", "SW-8X42", "双筒望远镜镜筒内起雾，疑似气密性不良", True, False, False, "更换"),
    ("2020-07-14 09:40", "KH002", "FD-6090", "手持放大镜镜片表面划伤，外箱有挤压痕迹", False, False, False, "更换"),
    ("2021-03-23 09:15", "KH010", "XTL-340", "体视显微镜调焦机构装配不良，调焦卡滞", True, True, False, "维修"),
    ("2021-06-08 10:30", "KH012", "ZN-45", "指南针磁针指向偏差超出允许范围", True, False, True, "退款"),
    ("2021-11-09 09:50", "KH011", "TW-70070", "天文望远镜主镜偏心，成像拖影", True, True, True, "更换"),
]
COMPLAINT_TEXT = {
    "microscope": ["显微镜成像模糊", "载物台移动不顺", "照明亮度不均", "物镜转换器松动"],
    "magnifier": ["放大镜镜片划伤", "镜片与镜框脱胶", "LED灯不亮"],
    "telescope": ["望远镜镜筒内起雾", "双筒光轴不平行", "调焦轮卡滞"],
    "compass": ["指南针磁针指向偏差", "指南针表盘内有气泡"],
    "plastic_part": ["塑料镜筒尺寸偏大，装配困难", "塑料外壳色差明显"],
}

# Calendar ---------------------------------------------------------------------------------------

_CALENDAR = holidays.China(years=range(2018, 2031))


def is_working_day(day: datetime.date) -> bool:
    """Whether day is a working day in China's official calendar (make-up weekends included)."""
    return _CALENDAR.is_working_day(day)


def working_day_after(day: datetime.date, n: int = 1) -> datetime.date:
    """The nth working day after day."""
    while n > 0:
        day += datetime.timedelta(days=1)
        n -= is_working_day(day)
    return day


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """day itself when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_days_of_month(year: int, month: int) -> list[datetime.date]:
    """The working days of a month."""
    day = datetime.date(year, month, 1)
    days = []
    while day.month == month:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def surveyed_years(today: datetime.date) -> list[int]:
    """Years whose yearly surveys and market figures exist by today: report years, then each after its December."""
    return [y for y in range(REPORT_YEARS[0], today.year + 1) if y in REPORT_YEARS or datetime.date(y, 12, 10) <= today]


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month months later (the month's last day when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def spread(total: int, weights: list[float]) -> list[int]:
    """total split in proportion to weights, by largest remainder."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))[: total - sum(counts)]:
        counts[i] += 1
    return counts


def seeded(seed: int, *topic) -> random.Random:
    """A random generator for one topic (stage, year, ...), independent of every other topic."""
    return random.Random(":".join(map(str, (seed, *topic))))


# Writing tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How one export system writes a table."""

    fmt: str = "csv"             # csv or xlsx
    encoding: str = "utf-8"      # utf-8, utf-8-sig or gbk (csv only)
    dates: str = "iso"           # iso 2021-03-05, slash 2021/3/5, zh 2021年3月5日 (csv only)
    thousands: bool = False      # 1,200 (csv) / #,##0 (xlsx)
    title: str | None = None     # a title row above the header
    totals: tuple = ()           # columns summed in a 合计 row at the bottom
    blank_rows: int = 0          # blank rows after the data
    newline: str = "\n"


def date_text(value, style: str) -> str:
    """A date or datetime written the way the style writes it."""
    if isinstance(value, datetime.datetime):
        clock = f" {value.hour}:{value.minute:02d}" if style == "slash" else f" {value:%H:%M}"
        return date_text(value.date(), style) + clock
    if style == "slash":
        return f"{value.year}/{value.month}/{value.day}"
    if style == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def cell_text(value, style: Style) -> str:
    """A cell value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return date_text(value, style.dates)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if style.thousands else str(value)
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else f"{value:.1f}"
    return str(value)


def totals_row(header: list[str], rows: list[list], style: Style) -> list:
    """The 合计 row: the label in the first column, sums under the totalled columns."""
    out: list = ["合计"] + [None] * (len(header) - 1)
    for name in style.totals:
        i = header.index(name)
        out[i] = sum(r[i] or 0 for r in rows)
    return out


def write_table(path: Path, header: list[str], rows: list[list], style: Style) -> Path:
    """Write one export table in the style's format; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if style.fmt == "xlsx":
        return write_xlsx(path, header, rows, style)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=style.newline)
    if style.title:
        writer.writerow([style.title] + [""] * (len(header) - 1))
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(v, style) for v in row])
    if style.totals:
        writer.writerow([cell_text(v, style) for v in totals_row(header, rows, style)])
    for _ in range(style.blank_rows):
        writer.writerow([""] * len(header))
    path.write_bytes(buffer.getvalue().encode(style.encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], style: Style) -> Path:
    """Write one table as an XLSX workbook with real date and number cells; return its path."""
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"created": datetime.datetime(2022, 1, 8), "author": "ERP"})
    sheet = workbook.add_worksheet("Sheet1")
    bold = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    title = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd", "border": 1})
    time_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "border": 1})
    int_fmt = workbook.add_format({"num_format": "#,##0" if style.thousands else "0", "border": 1})
    num_fmt = workbook.add_format({"num_format": "0.0", "border": 1})
    text_fmt = workbook.add_format({"border": 1})
    r = 0
    if style.title:
        sheet.merge_range(0, 0, 0, len(header) - 1, style.title, title)
        r = 1
    sheet.write_row(r, 0, header, bold)
    sheet.freeze_panes(r + 1, 0)
    for c, name in enumerate(header):
        sheet.set_column(c, c, max(10, 2 * len(name) + 2))
    first = r + 1
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, c, None, text_fmt)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(r, c, value, time_fmt)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, date_fmt)
            elif isinstance(value, bool):
                sheet.write_string(r, c, str(value), text_fmt)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, int_fmt)
            elif isinstance(value, float):
                sheet.write_number(r, c, value, num_fmt)
            else:
                sheet.write_string(r, c, value, text_fmt)
    if style.totals:
        r += 1
        sheet.write_string(r, 0, "合计", bold)
        for name in style.totals:
            c = header.index(name)
            column = xlsxwriter.utility.xl_col_to_name(c)
            value = sum(row[c] or 0 for row in rows)
            sheet.write_formula(r, c, f"=SUM({column}{first + 1}:{column}{r})", int_fmt, value)
    for _ in range(style.blank_rows):
        r += 1
        for c in range(len(header)):
            sheet.write_blank(r, c, None, text_fmt)
    workbook.close()
    return path


# Master data files ------------------------------------------------------------------------------


def customers() -> list[tuple[str, str, str, str]]:
    """The customer list: (code, name, region, segment), the regions taken in turn."""
    lists = [[(c, "in_province") for c in _IN_PROVINCE], [(c, "out_of_province") for c in _OUT_OF_PROVINCE],
             [(n, "abroad") for n in _ABROAD]]
    places = [p for i in range(max(map(len, lists))) for p in (lst[i] for lst in lists if i < len(lst))]
    out = []
    for n, (place, region) in enumerate(places):
        name = place if region == "abroad" else (
            f"{place}{_NAME_WORDS[n % len(_NAME_WORDS)]}{_NAME_KINDS[(n // 2) % len(_NAME_KINDS)]}")
        out.append((f"KH{n + 1:03d}", name, region, SEGMENT_CYCLE[n % len(SEGMENT_CYCLE)]))
    return out


def supplier_list_file(out: Path) -> Path:
    """供应商名录 (XLSX)."""
    header = ["供应商编码", "供应商名称", "物料风险等级", "供应物料", "所在地"]
    rows = [[code, name, f"{risk}类", MATERIAL_WORDS[code], name[:2]] for code, name, risk, _ in SUPPLIERS]
    return write_table(out / "主数据" / "供应商名录.xlsx", header, rows, Style(fmt="xlsx"))


def item_master_file(out: Path) -> Path:
    """物料与产品清单 (CSV, GBK)."""
    header = ["物料编码", "物料名称", "产品类别", "计量单位"]
    rows = [[code, name, FAMILY_ZH["material"], "件"] for _, _, _, mats in SUPPLIERS for code, name, _, _ in mats]
    rows += [[code, name, FAMILY_ZH[family], "台" if family != "plastic_part" else "件"]
             for code, name, family, _, _ in PRODUCTS]
    return write_table(out / "主数据" / "物料与产品清单.csv", header, rows, Style(encoding="gbk", newline="\r\n"))


def customer_list_file(out: Path) -> Path:
    """客户名录 (CSV, UTF-8 with BOM)."""
    header = ["客户编码", "客户名称", "客户区域", "客户类别"]
    rows = [[code, name, REGION_ZH[region], SEGMENT_ZH[segment]] for code, name, region, segment in customers()]
    return write_table(out / "主数据" / "客户名录.csv", header, rows, Style(encoding="utf-8-sig"))


# Inspection -------------------------------------------------------------------------------------

AQL_SAMPLE = [(8, 2), (15, 3), (25, 5), (50, 8), (90, 13), (150, 20), (280, 32), (500, 50), (1200, 80),
              (3200, 125), (10000, 200), (35000, 315), (150000, 500)]
AQL_ACCEPT = {2: 0, 3: 0, 5: 0, 8: 0, 13: 0, 20: 0, 32: 1, 50: 1, 80: 2, 125: 3, 200: 5, 315: 7, 500: 10}


def sample_size(lot_qty: int) -> int:
    """GB/T 2828.1 sample size (general inspection level II, normal inspection) for a lot."""
    return next(n for top, n in AQL_SAMPLE if lot_qty <= top)


def month_lot_counts(stage: str, year: int, today: datetime.date, rng: random.Random) -> dict[int, int]:
    """Lots inspected per month of the year (up to today)."""
    weights = {m: SEASON[m] * (COVID_2020.get(m, 1.0) if year == 2020 else 1.0) for m in range(1, 13)}
    if year in LOTS[stage]:
        return dict(zip(range(1, 13), spread(LOTS[stage][year][0], list(weights.values()))))
    counts = {}
    for m in range(1, 13):
        days = working_days_of_month(year, m)
        elapsed = [d for d in days if d <= today]
        if not elapsed:
            break
        n = MONTHLY_BASE[stage] * 1.03 ** (year - 2021) * weights[m] * rng.gauss(1.0, 0.06)
        counts[m] = max(1, round(n * len(elapsed) / len(days)))
    return counts


def top_weighted(rng: random.Random, candidates: list[int], weights: dict[int, float], k: int) -> set[int]:
    """k of the candidates drawn without replacement, more likely the heavier (Efraimidis-Spirakis)."""
    keyed = sorted(candidates, key=lambda i: rng.random() ** (1.0 / weights[i]), reverse=True)
    return set(keyed[:k])


def inspection_lots(stage: str, year: int, today: datetime.date, seed: int) -> list[dict]:
    """Every lot one stage inspected in a year (up to today), with result, defects and disposition."""
    rng = seeded(seed, "inspection", stage, year)
    lots = []
    for month, n in month_lot_counts(stage, year, today, rng).items():
        days = [d for d in working_days_of_month(year, month) if d <= today]
        dates = sorted(rng.choice(days) for _ in range(n))
        for seq, day in enumerate(dates, start=1):
            lots.append({"stage": stage, "date": day, "id": f"{ID_PREFIX[stage]}{day:%y%m}{seq:04d}"})
    if not lots:
        return lots
    supplier_weights = dict(zip(range(len(SUPPLIERS)), SUPPLIER_VOLUME))
    product_weights = [p[3] for p in PRODUCTS]
    for lot in lots:
        if stage == "IQC":
            s = rng.choices(range(len(SUPPLIERS)), weights=list(supplier_weights.values()))[0]
            code, name, risk, materials = SUPPLIERS[s]
            item, item_name, (lo, hi), defects = rng.choice(materials)
            lot.update(supplier=name, supplier_code=code, risk=risk, item=item, item_name=item_name,
                       defect_words=defects, family="material")
        else:
            item, item_name, family, _, (lo, hi) = rng.choices(PRODUCTS, weights=product_weights)[0]
            defects = OQC_DEFECTS if stage == "OQC" else FAMILY_DEFECTS[family]
            lot.update(item=item, item_name=item_name, family=family, defect_words=defects)
        lot["lot_qty"] = round(rng.randint(lo, hi), -1 if hi >= 1000 else 0)
        lot["sample_qty"] = sample_size(lot["lot_qty"])
    airtight = assign_airtightness(lots, stage, year, rng)
    failed = failed_lots(lots, stage, year, airtight, rng)
    for i, lot in enumerate(lots):
        fill_outcome(lot, i in failed, i in airtight, rng)
    return lots


def assign_airtightness(lots: list[dict], stage: str, year: int, rng: random.Random) -> set[int]:
    """Indices of the FQC lots given the airtightness test (telescopes); their family becomes telescope."""
    if stage != "FQC":
        return set()
    telescopes = [p for p in PRODUCTS if p[2] == "telescope"]
    others = [p for p in PRODUCTS if p[2] != "telescope"]
    if year in AIRTIGHTNESS:
        chosen = set(rng.sample(range(len(lots)), AIRTIGHTNESS[year][0]))
    else:
        chosen = {i for i in range(len(lots)) if rng.random() < 0.25}
    for i, lot in enumerate(lots):
        pool = telescopes if i in chosen else others
        if (lot["family"] == "telescope") != (i in chosen):
            item, item_name, family, _, (lo, hi) = rng.choices(pool, weights=[p[3] for p in pool])[0]
            lot.update(item=item, item_name=item_name, family=family, defect_words=FAMILY_DEFECTS[family],
                       lot_qty=round(rng.randint(lo, hi), -1 if hi >= 1000 else 0))
            lot["sample_qty"] = sample_size(lot["lot_qty"])
    return chosen


def failed_lots(lots: list[dict], stage: str, year: int, airtight: set[int], rng: random.Random) -> set[int]:
    """Indices of the lots that fail: exact counts in report years, a seeded rate afterwards."""
    weights = {i: SUPPLIER_FAIL_WEIGHT[lot["risk"]] if stage == "IQC" else 1.3 if lot["family"] == "plastic_part"
               else 1.0 for i, lot in enumerate(lots)}
    others = [i for i in range(len(lots)) if i not in airtight]
    if year in LOTS[stage]:
        total = LOTS[stage][year][1]
        air_fails = AIRTIGHTNESS[year][1] if stage == "FQC" else 0
        failed = set(rng.sample(sorted(airtight), air_fails)) if air_fails else set()
        return failed | top_weighted(rng, others, weights, total - air_fails)
    p = rng.uniform(*SYNTHETIC_FAIL[stage])
    air_p = rng.uniform(0.01, 0.03)
    mean = sum(weights.values()) / len(weights)
    return ({i for i in airtight if rng.random() < air_p}
            | {i for i in others if rng.random() < p * weights[i] / mean})


def fill_outcome(lot: dict, failed: bool, airtight: bool, rng: random.Random) -> None:
    """Set result, defects, defect type, disposition, test and first-pass flag of a lot."""
    stage, n = lot["stage"], lot["sample_qty"]
    accept = AQL_ACCEPT[n]
    lot["result"] = "fail" if failed else "pass"
    lot["test_kind"] = "airtightness" if airtight else ("general" if stage == "FQC" else None)
    lot["first_pass"] = (not failed) if airtight else None
    lot["inspector"] = rng.choice(INSPECTORS[stage])
    lot["process"] = rng.choice(FAMILY_PROCESS.get(lot["family"], ["装配"]))
    if failed:
        lot["defects"] = min(n, accept + 1 + int(rng.expovariate(0.6)))
        lot["defect_code"] = rng.choice(AIRTIGHT_DEFECTS if airtight else lot["defect_words"])
        lot["disposition"] = {
            "IQC": rng.choices(["return", "concession", "rework"], weights=[6, 2, 2])[0],
            "IPQC": rng.choices(["rework", "scrap"], weights=[8, 2])[0],
        }.get(stage, "rework")
    else:
        small = accept > 0 and rng.random() < (0.01 if stage == "IQC" else 0.15)   # passed with defects <= Ac
        lot["defects"] = rng.randint(1, accept) if small else 0
        lot["defect_code"] = rng.choice(lot["defect_words"]) if small else None
        lot["disposition"] = "accept"
    prefix = {"IQC": "B", "IPQC": "SC", "FQC": "SC", "OQC": "FH"}[stage]
    lot["lot"] = f"{prefix}{lot['date']:%y%m%d}-{rng.randint(1, 30):02d}"


INSPECTION_HEADERS = {
    "erp_a": {"id": "检验单号", "stage": "检验类型", "date": "检验日期", "lot": "批号", "item": "物料编码",
              "item_name": "物料名称", "supplier": "供应商名称", "lot_qty": "送检数量", "sample_qty": "抽样数量",
              "defects": "不良数", "result": "检验结果", "disposition": "处理方式", "defect_code": "不良类型",
              "test_kind": "检验项目", "first_pass": "一次通过", "inspector": "检验员", "process": "工序"},
    "erp_b": {"id": "单据编号", "stage": "检验类别", "date": "日期", "lot": "批次号", "item": "料号",
              "item_name": "品名", "supplier": "供应商编码", "lot_qty": "批量", "sample_qty": "样本量",
              "defects": "不合格数", "result": "判定结果", "disposition": "处置方式", "defect_code": "不良现象",
              "test_kind": "试验项目", "first_pass": "是否一次通过", "inspector": "质检员", "process": "工序"},
    "erp_c": {"id": "报告编号", "stage": "检验阶段", "date": "送检日期", "lot": "生产批号", "item": "存货编码",
              "item_name": "存货名称", "supplier": "供应商", "lot_qty": "报检数量", "sample_qty": "抽检数量",
              "defects": "不良数量", "result": "判定", "disposition": "处理结果", "defect_code": "缺陷类型",
              "test_kind": "试验类型", "first_pass": "一次合格", "inspector": "检验人", "process": "工序"},
    "english": {"id": "Inspection No", "stage": "Stage", "date": "Inspection Date", "lot": "Lot No",
                "item": "Item Code", "item_name": "Item Name", "supplier": "Supplier", "lot_qty": "Lot Qty",
                "sample_qty": "Sample Qty", "defects": "Defects", "result": "Result", "disposition": "Disposition",
                "defect_code": "Defect Code", "test_kind": "Test", "first_pass": "First Pass",
                "inspector": "Inspector", "process": "Process"},
}
STAGE_WORDS = {
    "erp_a": {"IQC": "来料检验", "IPQC": "过程检验", "FQC": "成品检验", "OQC": "出货检验"},
    "erp_b": {"IQC": "IQC来料检验", "IPQC": "IPQC过程检验", "FQC": "FQC成品检验", "OQC": "OQC出货检验"},
    "erp_c": {"IQC": "进料检验", "IPQC": "制程检验", "FQC": "入库检验", "OQC": "出厂检验"},
    "english": {"IQC": "IQC", "IPQC": "IPQC", "FQC": "FQC", "OQC": "OQC"},
}
RESULT_WORDS = {"zh": {"pass": "合格", "fail": "不合格"}, "english": {"pass": "Pass", "fail": "Fail"}}
DISPOSITION_WORDS = {
    "zh": {"IQC": "接收", "IPQC": "放行", "FQC": "入库", "OQC": "放行", "rework": "返工", "return": "退货",
           "concession": "让步接收", "scrap": "报废"},
    "english": {"accept": "Accept", "rework": "Rework", "return": "Return", "concession": "Concession",
                "scrap": "Scrap"},
}
TEST_WORDS = {"zh": {"airtightness": "气密性", "general": "常规"}, "english": {"airtightness": "Airtightness",
                                                                           "general": "General"}}
FIRST_PASS_WORDS = {"zh": {True: "是", False: "否"}, "english": {True: "Y", False: "N"}}
STAGE_COLUMNS = {
    "IQC": ["id", "stage", "date", "supplier", "item", "item_name", "lot", "lot_qty", "sample_qty", "defects",
            "result", "disposition", "defect_code", "inspector"],
    "IPQC": ["id", "stage", "date", "item", "item_name", "process", "lot", "lot_qty", "sample_qty", "defects",
             "result", "disposition", "defect_code", "inspector"],
    "FQC": ["id", "stage", "date", "item", "item_name", "lot", "lot_qty", "sample_qty", "defects", "test_kind",
            "first_pass", "result", "disposition", "defect_code", "inspector"],
    "OQC": ["id", "stage", "date", "item", "item_name", "lot", "lot_qty", "sample_qty", "defects", "result",
            "disposition", "defect_code", "inspector"],
}


def inspection_style(stage: str, year: int, month: int) -> tuple[str, Style]:
    """The header set and file style of a stage's log in a month: each department's system, changed over time."""
    title = f"{year}年{month}月 {TITLE_WORD[stage]}"
    qty = ("lot_qty", "sample_qty", "defects")
    gbk_erp = Style(encoding="gbk", dates="slash", thousands=True, title=title, totals=qty, newline="\r\n")
    workbook = Style(fmt="xlsx", thousands=True, title=title, totals=qty, blank_rows=2)
    mes = Style(encoding="utf-8-sig", dates="zh", blank_rows=2)
    if stage == "IQC":      # the old ERP's GBK CSV saved from Excel; the new ERP (2023) exports XLSX
        return ("erp_a", gbk_erp) if year <= 2022 else ("erp_c", workbook)
    if stage == "IPQC":     # the workshop's workbook, then the MES (2022)
        return ("erp_c", workbook) if year <= 2021 else ("erp_b", mes)
    if stage == "FQC":      # the MES, then its upgrade (2024) writing GBK again
        return ("erp_b", mes) if year <= 2023 else ("erp_a", replace(gbk_erp, thousands=False, totals=()))
    return "english", Style(encoding="utf-8")   # the shipping system


def inspection_row(lot: dict, columns: list[str], headers: str) -> list:
    """One lot as a row of the columns, in the vocabulary of the header set."""
    lang = "english" if headers == "english" else "zh"
    if lang == "zh":
        disposition = DISPOSITION_WORDS["zh"][lot["stage"] if lot["disposition"] == "accept" else lot["disposition"]]
    else:
        disposition = DISPOSITION_WORDS["english"][lot["disposition"]]
    values = {
        "stage": STAGE_WORDS[headers][lot["stage"]],
        "result": RESULT_WORDS[lang][lot["result"]],
        "disposition": disposition,
        "test_kind": TEST_WORDS[lang].get(lot["test_kind"]),
        "first_pass": None if lot["first_pass"] is None else FIRST_PASS_WORDS[lang][lot["first_pass"]],
        "supplier": lot.get("supplier") if headers == "erp_a" else lot.get("supplier_code"),
    }
    return [values[c] if c in values else lot.get(c) for c in columns]


def inspection_files(out: Path, today: datetime.date, seed: int) -> tuple[list[Path], list[dict]]:
    """The inspection logs, one file per stage and month, and the failed lots (for corrective actions)."""
    paths, failed = [], []
    for year in range(REPORT_YEARS[0], today.year + 1):
        for stage in ("IQC", "IPQC", "FQC", "OQC"):
            by_month: dict[int, list[dict]] = {}
            for lot in inspection_lots(stage, year, today, seed):
                by_month.setdefault(lot["date"].month, []).append(lot)
                if lot["result"] == "fail":
                    failed.append(lot)
            for month, lots in sorted(by_month.items()):
                headers, style = inspection_style(stage, year, month)
                names = INSPECTION_HEADERS[headers]
                columns = STAGE_COLUMNS[stage]
                style = replace(style, totals=tuple(names[c] for c in style.totals))
                rows = [inspection_row(lot, columns, headers) for lot in lots]
                name = f"{FILE_WORD[stage]}_{year}-{month:02d}.{style.fmt}"
                paths.append(write_table(out / "检验记录" / str(year) / name, [names[c] for c in columns], rows, style))
    return paths, failed


# Suppliers --------------------------------------------------------------------------------------


def supplier_grades(year: int) -> list[str]:
    """The grade each supplier was given for a year (report years: 5 A, 3 B, 1 C)."""
    grades = [risk for _, _, risk, _ in SUPPLIERS]
    if year >= 2023:
        grades[6] = "A"   # the LED module supplier earned A after two good years
    return grades


def supplier_grade_files(out: Path, today: datetime.date, seed: int) -> list[Path]:
    """供应商评级 per year (CSV, alternately GBK and UTF-8)."""
    paths = []
    for year in range(REPORT_YEARS[0], today.year + 1):
        rng = seeded(seed, "grades", year)
        header = ["供应商编码", "供应商名称", "评定年度", "评定等级", "评定依据"]
        rows = []
        for (code, name, risk, _), grade in zip(SUPPLIERS, supplier_grades(year)):
            score = {"A": rng.randint(90, 97), "B": rng.randint(80, 89), "C": rng.randint(70, 79)}[grade]
            rows.append([code, name, year, f"{grade}级", f"物料风险{risk}类；年度综合评分{score}分"])
        style = Style(encoding="gbk", newline="\r\n") if year % 2 else Style(encoding="utf-8")
        paths.append(write_table(out / "供应商" / f"供应商评级_{year}.csv", header, rows, style))
    return paths


def supplier_audit_file(out: Path, today: datetime.date, seed: int) -> Path:
    """供应商审核记录 (XLSX): A on site yearly, B on site in odd years, else on paper; one A supplier overdue."""
    rng = seeded(seed, "audits")
    rows = []
    for s, (code, name, risk, _) in enumerate(SUPPLIERS):
        overdue = code == OVERDUE_AUDIT_SUPPLIER and today.year - 2 >= REPORT_YEARS[-1]
        last = today.year - 2 if overdue else today.year
        for year in range(REPORT_YEARS[0], last + 1):
            day = working_day_on_or_before(datetime.date(year, 3 + s, 10 + s))
            if day > today:
                break
            on_site = risk == "A" or (risk == "B" and year % 2 == 1)
            result = "有条件通过" if rng.random() < 0.08 else "通过"
            rows.append([name, day, "现场审核" if on_site else "资料审核", result, rng.choice(["王丽华", "陈建国", "殷建平"])])
    rows.sort(key=lambda r: (r[1], r[0]))
    header = ["供应商名称", "审核日期", "审核方式", "审核结果", "审核员"]
    return write_table(out / "供应商" / "供应商审核记录.xlsx", header, rows, Style(fmt="xlsx"))


def supplier_satisfaction(year: int, seed: int) -> list[int]:
    """Each supplier's satisfaction score for a year."""
    if year in SUPPLIER_SATISFACTION:
        return SUPPLIER_SATISFACTION[year]
    rng = seeded(seed, "supplier-survey", year)
    return [min(100, rng.randint(95, 99) - (2 if risk == "C" else 0)) for _, _, risk, _ in SUPPLIERS]


def supplier_survey_files(out: Path, today: datetime.date, seed: int) -> list[Path]:
    """供应商满意度调查 per year (XLSX in even years, UTF-8 CSV in odd years); the survey runs in December."""
    paths = []
    for year in surveyed_years(today):
        header = ["调查年度", "供应商名称", "满意度得分", "调查人"]
        scores = supplier_satisfaction(year, seed)
        rows = [[year, name, score, "采购部"] for (_, name, _, _), score in zip(SUPPLIERS, scores)]
        style = Style(fmt="xlsx") if year % 2 == 0 else Style(encoding="utf-8")
        paths.append(write_table(out / "供应商" / f"供应商满意度调查_{year}.{style.fmt}", header, rows, style))
    return paths


# Customers: complaints and survey ---------------------------------------------------------------


def at(text: str) -> datetime.datetime:
    """A datetime from "YYYY-MM-DD HH:MM"."""
    return datetime.datetime.fromisoformat(text)


def on_day(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """day at hour:minute."""
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def complaint_record(received: datetime.datetime, customer: tuple, product: str, text: str, our_fault: bool,
                     onsite: bool, report: bool, resolution: str, rng: random.Random,
                     stop: str | None = None) -> dict:
    """A complaint handled well inside every milestone of the clock; stop leaves it open from that step."""
    code, name, region, _ = customer
    day = received.date()
    c = {"customer": name, "region": region, "product": product, "description": text, "received_at": received,
         "onsite_required": onsite, "our_fault": our_fault, "report_requested": report, "resolution": resolution}
    c["first_response_at"] = received + datetime.timedelta(minutes=rng.randint(15, 75))
    c["reply_at"] = received + datetime.timedelta(hours=rng.randint(3, 6))
    c["capa_started_at"] = received + datetime.timedelta(hours=7)
    if stop == "cause":
        return c
    next_day = working_day_after(day)
    if onsite:
        c["onsite_at"] = on_day(day, 15, 30) if region == "in_province" else on_day(next_day, 10)
    c["cause_confirmed_at"] = on_day(next_day, 11)
    if our_fault:
        c["plan_sent_at"] = on_day(next_day, 16)
        c["plan_accepted_at"] = on_day(working_day_after(next_day), 10)
    if report:
        c["report_sent_at"] = on_day(next_day, 17)
    if stop == "resample":
        return c
    finish = next_day
    if our_fault:
        c["resample_at"] = on_day(working_day_after(next_day, 4), 15)
        finish = c["resample_at"].date()
    if resolution != "无":
        c["resolution_done_at"] = on_day(working_day_after(finish, 1), 16)
    c["closed_at"] = on_day(working_day_after(finish, 2), 17)
    return c


def reference_complaints(seed: int) -> list[dict]:
    """The complaints of 2019-2021 (2, 1 and 3), every milestone met."""
    rng = seeded(seed, "complaints", "reference")
    by_code = {c[0]: c for c in customers()}
    return [complaint_record(at(received), by_code[code], product, text, fault, onsite, report, resolution, rng)
            for received, code, product, text, fault, onsite, report, resolution in REFERENCE_COMPLAINTS]


def synthetic_complaints(today: datetime.date, seed: int) -> list[dict]:
    """Complaints from 2022 to today: mostly on time, two missed milestones, two still open."""
    found = []
    buyers = [c for c in customers() if c[3] != "potential"]
    abroad = [c for c in buyers if c[2] == "abroad"]
    families = {p[0]: p[2] for p in PRODUCTS}
    cutoff = today - datetime.timedelta(days=30)
    for year in range(2022, today.year + 1):
        rng = seeded(seed, "complaints", year)
        days = [d for m in range(3, 13) for d in working_days_of_month(year, m)
                if d <= cutoff and d.weekday() < 3 and is_working_day(d + datetime.timedelta(days=1))]
        if not days:
            continue
        for n, day in enumerate(sorted(rng.sample(days, min(len(days), rng.randint(2, 5))))):
            late_reply = year == today.year - 1 and n == 0
            customer = rng.choice(abroad if late_reply else buyers)
            product = rng.choice(PRODUCTS)[0]
            fault = rng.random() < 0.75
            onsite = customer[2] != "abroad" and rng.random() < 0.4
            resolution = rng.choice(["维修", "更换", "退款"]) if fault else rng.choice(["更换", "无"])
            c = complaint_record(on_day(day, rng.randint(8, 11), rng.choice([0, 15, 30, 45])), customer, product,
                                 rng.choice(COMPLAINT_TEXT[families[product]]), fault, onsite,
                                 rng.random() < 0.4, resolution, rng)
            if late_reply:      # missed under the 48 h rule, met under the 72 h one
                c["reply_at"] = c["received_at"] + datetime.timedelta(hours=60)
            if year == today.year - 3 and n == 0:
                c["first_response_at"] = c["received_at"] + datetime.timedelta(hours=6, minutes=30)
            found.append(c)
    rng = seeded(seed, "complaints", "open")
    domestic = [c for c in buyers if c[2] == "out_of_province"]
    for stop, back in (("resample", 6), ("cause", 3)):   # received that many working days before today
        day = today - datetime.timedelta(days=1)
        while back > 0:
            day = working_day_on_or_before(day - datetime.timedelta(days=1))
            back -= 1
        if day.year <= REPORT_YEARS[-1]:
            continue
        product = rng.choice(PRODUCTS)[0]
        found.append(complaint_record(on_day(day, 9, 30), rng.choice(domestic), product,
                                      rng.choice(COMPLAINT_TEXT[families[product]]), True, False, False,
                                      "维修", rng, stop=stop))
    return found


COMPLAINT_COLUMNS = [
    ("id", "客诉编号"), ("customer", "客户名称"), ("region", "客户区域"), ("product", "产品型号"),
    ("description", "问题描述"), ("received_at", "受理时间"), ("first_response_at", "首次回应时间"),
    ("reply_at", "明确答复时间"), ("onsite_required", "需现场确认"), ("onsite_at", "到达现场时间"),
    ("cause_confirmed_at", "原因确认时间"), ("our_fault", "是否我司责任"), ("plan_sent_at", "改善方案回复时间"),
    ("report_requested", "客户要求书面报告"), ("report_sent_at", "书面报告提交时间"),
    ("plan_accepted_at", "客户确认方案时间"), ("resample_at", "重新送样时间"),
    ("capa_started_at", "纠正预防措施启动时间"), ("closed_at", "结案时间"), ("resolution", "三包处理方式"),
    ("resolution_done_at", "三包完成时间"),
]


def complaint_files(out: Path, today: datetime.date, seed: int) -> tuple[list[Path], list[dict]]:
    """客诉登记表 per year (XLSX in odd years, GBK CSV in even years), and the complaints written."""
    complaints = sorted(reference_complaints(seed) + synthetic_complaints(today, seed), key=lambda c: c["received_at"])
    paths = []
    for year in range(REPORT_YEARS[0], today.year + 1):
        of_year = [c for c in complaints if c["received_at"].year == year]
        for n, c in enumerate(of_year, start=1):
            c["id"] = f"KS-{year}-{n:03d}"
        if not of_year:
            continue
        rows = []
        for c in of_year:
            row = []
            for key, _ in COMPLAINT_COLUMNS:
                value = c.get(key)
                if key == "region":
                    value = REGION_ZH[value]
                elif isinstance(value, bool):
                    value = "是" if value else "否"
                row.append(value)
            rows.append(row)
        header = [h for _, h in COMPLAINT_COLUMNS]
        style = Style(fmt="xlsx", title=f"{year}年度 客户投诉登记台账") if year % 2 else Style(
            encoding="gbk", dates="slash", newline="\r\n")
        paths.append(write_table(out / "客诉" / f"客诉登记表_{year}.{style.fmt}", header, rows, style))
    return paths, complaints


def survey_answers(rng: random.Random, n: int, mean: float) -> list[list[int]]:
    """n responses of 8 answers (1-5) whose overall scores (sum x 2.5) average exactly mean."""
    target = round(mean / 2.5 * n)
    sums = [min(40, max(28, round(rng.gauss(mean / 2.5, 2.0)))) for _ in range(n)]
    while sum(sums) != target:
        i = rng.randrange(n)
        step = 1 if sum(sums) < target else -1
        if 28 <= sums[i] + step <= 40:
            sums[i] += step
    answers = []
    for total in sums:
        a = [5] * 8
        for _ in range(40 - total):
            j = rng.choice([k for k in range(8) if a[k] > 2])
            a[j] -= 1
        answers.append(a)
    return answers


def survey_files(out: Path, today: datetime.date, seed: int) -> list[Path]:
    """顾客满意度调查 per year: questions 问题1..问题8 (1-5) and the overall score (0-100)."""
    paths = []
    buyers = [c for c in customers() if c[3] != "potential"]
    for year in surveyed_years(today):
        rng = seeded(seed, "survey", year)
        n, mean = SURVEYS.get(year, (rng.randint(38, len(buyers)), rng.choice([93.0, 94.0, 94.5, 95.5, 96.0])))
        respondents = sorted(rng.sample(buyers, n))
        gbk = year % 3 == 1
        header = ["调查年度", "序号" if gbk else "问卷编号", "客户名称", "客户类别"] + [f"问题{q}" for q in range(1, 9)]
        header.append("综合满意度" if gbk else "总体满意度")
        rows = []
        for i, (customer, answers) in enumerate(zip(respondents, survey_answers(rng, n, mean)), start=1):
            rows.append([year, i if gbk else f"MY{year}-{i:03d}", customer[1], SEGMENT_ZH[customer[3]], *answers,
                         sum(answers) * 2.5])
        style = Style(encoding="gbk", newline="\r\n") if gbk else Style(encoding="utf-8-sig")
        paths.append(write_table(out / "顾客满意度" / f"顾客满意度调查_{year}.csv", header, rows, style))
    return paths


def market_figures(today: datetime.date, seed: int) -> dict[int, dict[str, tuple[int, int]]]:
    """(company sales, market size) in 10,000 yuan per year and scope: the report's, then grown at random."""
    rng = seeded(seed, "market")
    figures = dict(MARKET)
    for year in surveyed_years(today)[len(REPORT_YEARS):]:
        last = figures[year - 1]
        figures[year] = {scope: (round(sales * rng.uniform(1.04, 1.12)), int(round(size * rng.uniform(0.98, 1.05), -2)))
                         for scope, (sales, size) in last.items()}
    return figures


def market_file(out: Path, today: datetime.date, seed: int) -> Path:
    """市场占有率统计 (XLSX): company sales and market size, national and provincial, per year."""
    rows = []
    for year, scopes in sorted(market_figures(today, seed).items()):
        rows.append([year, "国内", scopes["national"][0], scopes["national"][1], "中国光学光电子行业协会年度统计"])
        rows.append([year, "省内", scopes["provincial"][0], scopes["provincial"][1], "浙江省仪器仪表行业协会"])
    header = ["年度", "市场范围", "本公司销售额（万元）", "市场总额（万元）", "数据来源"]
    return write_table(out / "市场" / "市场占有率统计.xlsx", header, rows, Style(fmt="xlsx", thousands=True))


# CAPA, calibration, incidents -------------------------------------------------------------------


def capa_rows(complaints: list[dict], failed: list[dict], today: datetime.date, seed: int) -> list[list]:
    """Corrective actions from complaints, failed lots and internal audits; late and overdue ones only after 2021."""
    actions = [("客诉", c["id"], f"客诉整改：{c['description']}", c["capa_started_at"].date()) for c in complaints]
    for year in range(REPORT_YEARS[0], today.year + 1):
        rng = seeded(seed, "capa", year)
        of_year = [lot for lot in failed if lot["date"].year == year and lot["stage"] != "OQC"]
        for lot in rng.sample(of_year, min(len(of_year), 5)):
            opened = working_day_after(lot["date"])
            if opened <= today:
                actions.append(("检验不合格", lot["id"], f"{lot['item_name']} {lot['defect_code']}，分析原因并整改", opened))
        for month in (6, 11):
            day = working_day_on_or_before(datetime.date(year, month, 20))
            if day <= today:
                actions.append(("内审", f"NS-{year}-{month:02d}", "内部审核不符合项整改", day))
    actions.sort(key=lambda a: (a[3], a[1]))
    rows, seq, overdue = [], {}, 0
    for source, ref, text, opened in actions:
        rng = seeded(seed, "capa-row", ref)
        seq[opened.year] = seq.get(opened.year, 0) + 1
        due = opened + datetime.timedelta(days=30)
        done = opened + datetime.timedelta(days=rng.randint(7, 25))
        if opened.year >= 2022 and rng.random() < 0.12:
            done = due + datetime.timedelta(days=rng.randint(3, 20))
        if (overdue < 3 and opened.year > REPORT_YEARS[-1]
                and today - datetime.timedelta(days=90) <= opened <= today - datetime.timedelta(days=35)):
            done, overdue = None, overdue + 1
        if done is not None and done > today:
            done = None
        verified = done + datetime.timedelta(days=rng.randint(10, 20)) if done else None
        if verified is not None and verified > today:
            verified = None
        effective = None if verified is None else ("否" if opened.year >= 2022 and rng.random() < 0.05 else "是")
        rows.append([f"CA-{opened.year}-{seq[opened.year]:03d}", source, ref, text, opened, due, done, verified,
                     effective])
    return rows


def capa_file(out: Path, complaints: list[dict], failed: list[dict], today: datetime.date, seed: int) -> Path:
    """纠正预防措施台账 (XLSX)."""
    header = ["措施编号", "问题来源", "来源单号", "问题描述", "发起日期", "要求完成日期", "实施完成日期", "验证日期",
              "是否有效"]
    return write_table(out / "纠正预防措施台账.xlsx", header, capa_rows(complaints, failed, today, seed),
                       Style(fmt="xlsx", title="纠正预防措施跟踪台账"))


def calibration_rows(today: datetime.date) -> list[list]:
    """Every calibration of every instrument since 2018; one instrument is overdue today."""
    rows = []
    for n, (code, name, measures, origin, level, months) in enumerate(INSTRUMENTS):
        day = working_day_on_or_before(datetime.date(2018, 3 + n % 9, 5 + 2 * n))
        if code == OVERDUE_INSTRUMENT:
            anniversary = today - datetime.timedelta(days=45)
            day = working_day_on_or_before(datetime.date(2018, anniversary.month, min(anniversary.day, 28)))
        history = []
        while day <= today:
            history.append(day)
            day = working_day_on_or_before(months_later(day, months))
        if (code == OVERDUE_INSTRUMENT and history[-1].year > REPORT_YEARS[-1]
                and history[-1] >= today - datetime.timedelta(days=120)):
            history.pop()
        for day in history:
            result = "限用" if code == "JL-008" and day.year == 2024 else "合格"
            rows.append([code, name, measures, origin, level, day, months, months_later(day, months), result])
    return rows


def calibration_file(out: Path, today: datetime.date) -> Path:
    """计量器具校准台账 (CSV, GBK)."""
    header = ["器具编号", "器具名称", "检测项目", "产地", "先进水平", "校准日期", "校准周期（月）", "下次校准日期",
              "校准结果"]
    return write_table(out / "计量器具校准台账.csv", header, calibration_rows(today),
                       Style(encoding="gbk", newline="\r\n"))


def incident_file(out: Path, today: datetime.date) -> Path | None:
    """事故记录 (CSV, UTF-8): no major environmental, fatal or serious incident; one minor injury."""
    year = today.year - 2
    if year < 2022:
        return None
    header = ["事故编号", "发生日期", "事故类型", "严重程度", "事故描述"]
    rows = [[f"SG-{year}-001", working_day_on_or_before(datetime.date(year, 5, 18)), "安全", "轻伤",
             "装配车间员工清理镜筒毛刺时手指划伤，送医缝合，休息3天"]]
    return write_table(out / "事故记录.csv", header, rows, Style(encoding="utf-8"))


# Cost of quality --------------------------------------------------------------------------------

# GB/T 13339 cost items per category: (cost item, department, share of the category, carries a product).
COST_ITEMS = {
    "prevention": [("质量培训费", "人事行政部", 0.25, False), ("质量改进措施费", "质量部", 0.35, False),
                   ("质量评审费", "质量部", 0.15, False), ("质量管理人员工资", "质量部", 0.25, False)],
    "appraisal": [("试验检验费", "质量部", 0.30, False), ("检验人员工资", "质量部", 0.40, False),
                  ("检测设备维护校准费", "质量部", 0.20, False), ("外部检测认证费", "质量部", 0.10, False)],
    "internal_failure": [("返工返修损失", "装配车间", 0.40, True), ("废品损失", "装配车间", 0.30, True),
                         ("停工损失", "生产部", 0.10, False), ("降级处理损失", "生产部", 0.10, True),
                         ("质量事故处理费", "质量部", 0.10, True)],
    "external_failure": [("三包维修费", "售后服务部", 0.40, True), ("退货损失", "销售部", 0.30, True),
                         ("索赔费用", "销售部", 0.15, True), ("折价损失", "销售部", 0.15, True)],
}
CATEGORY_ZH = {"prevention": "预防成本", "appraisal": "鉴定成本", "internal_failure": "内部损失成本",
               "external_failure": "外部损失成本"}
CATEGORY_SHORT = {"prevention": "预防", "appraisal": "鉴定", "internal_failure": "内部损失", "external_failure": "外部损失"}
# Quality cost as a share of sales, and each category's share of it, in 2019 and in 2026: the plant spends more on
# prevention year by year and loses less to failures (years between are interpolated, later ones held).
COST_RATE = (4.4, 2.7)
CATEGORY_MIX = {"prevention": (8.0, 21.0), "appraisal": (27.0, 29.0), "internal_failure": (44.0, 35.0),
                "external_failure": (21.0, 15.0)}


def monthly_sales(today: datetime.date, seed: int) -> dict[tuple[int, int], int]:
    """Sales in yuan per whole month before today's: each year's company sales (the market figures; a year still
    without them grows 8 % on the last) spread over its months by season, to the hundred yuan."""
    figures = {y: f["national"][0] * 10_000 for y, f in market_figures(today, seed).items()}
    out = {}
    for year in range(REPORT_YEARS[0], today.year + 1):
        total = figures.get(year) or figures.setdefault(year, int(round(figures[year - 1] * 1.08, -4)))
        months = spread(total // 100, [SEASON[m] for m in range(1, 13)])
        out |= {(year, m): n * 100 for m, n in enumerate(months, start=1) if datetime.date(year, m, 1) < today.replace(day=1)}
    return out


def _mix(year: int, pair: tuple[float, float]) -> float:
    step = min(max((year - 2019) / 7, 0.0), 1.0)
    return pair[0] + (pair[1] - pair[0]) * step


def quality_cost_entries(today: datetime.date, seed: int) -> list[dict]:
    """The ledger's entries from January 2019 to today: per month each category's cost (its share of the month's
    sales as COST_RATE and CATEGORY_MIX say, with some noise) split into its cost items, and a correction (红字) now
    and then that takes part of an earlier entry back."""
    sales = monthly_sales(today, seed)
    entries = []
    for (year, month) in sorted(set(sales) | {(today.year, today.month)}):
        rng = seeded(seed, "quality_cost", year, month)
        base = sales.get((year, month)) or sales[max(sales)]
        days = [d for d in working_days_of_month(year, month) if d <= today]
        if not days:
            continue
        rate = _mix(year, COST_RATE) / 100 * rng.uniform(0.85, 1.15)
        for category, items in COST_ITEMS.items():
            amount = base * rate * _mix(year, CATEGORY_MIX[category]) / 100 * rng.uniform(0.8, 1.2)
            for account, department, share, with_product in items:
                value = round(amount * share * rng.uniform(0.7, 1.3), 2)
                day = rng.choice(days)
                product = rng.choice(PRODUCTS)[0] if with_product else None
                entries.append(dict(day=day, account=account, category=category, amount=value,
                                    department=department, product=product, note=""))
        if rng.random() < 0.25 and len(days) > 3:   # a correction of one of the month's failure entries
            wrong = rng.choice([e for e in entries[-9:] if e["category"].endswith("failure")])
            entries.append(dict(wrong, day=max(wrong["day"], days[-1]), amount=-round(wrong["amount"] * 0.1, 2),
                                note=f"红字冲销 {wrong['day']:%m月%d日} {wrong['account']} 多计金额"))
    return sorted(entries, key=lambda e: (e["day"], e["category"], e["account"]))


def quality_cost_files(out: Path, today: datetime.date, seed: int) -> list[Path]:
    """质量成本明细账 per year: to 2023 as 用友 U8 writes it (GBK CSV, voucher numbers, amounts as 1,234.50, a totals
    row), from 2024 as an XLSX with a title row, short category names and no voucher."""
    by_year: dict[int, list[dict]] = {}
    for e in quality_cost_entries(today, seed):
        by_year.setdefault(e["day"].year, []).append(e)
    paths = []
    for year, entries in sorted(by_year.items()):
        if year <= 2023:
            header = ["日期", "凭证号", "成本科目", "类别", "金额（元）", "部门", "产品", "说明"]
            numbers: dict[int, int] = {}    # vouchers are numbered afresh each month
            rows = []
            for e in entries:
                n = numbers[e["day"].month] = numbers.get(e["day"].month, 0) + 1
                rows.append([e["day"], f"记-{n:04d}", e["account"], CATEGORY_ZH[e["category"]], f"{e['amount']:,.2f}",
                             e["department"], e["product"], e["note"]])
            total = sum(e["amount"] for e in entries)
            rows.append(["合计", None, None, None, f"{total:,.2f}", None, None, None])
            paths.append(write_table(out / "质量成本" / f"质量成本明细账_{year}.csv", header, rows,
                                     Style(encoding="gbk", newline="\r\n", title=f"质量成本明细账（{year}年）")))
        else:
            header = ["日期", "成本科目", "类别", "金额", "部门", "产品", "说明"]
            rows = [[e["day"], e["account"], CATEGORY_SHORT[e["category"]], e["amount"], e["department"],
                     e["product"], e["note"] or None] for e in entries]
            paths.append(write_table(out / "质量成本" / f"质量成本明细_{year}.xlsx", header, rows,
                                     Style(fmt="xlsx", title=f"{year}年质量成本明细表")))
    return paths


def sales_file(out: Path, today: datetime.date, seed: int) -> Path:
    """销售月报 (XLSX): sales per month, the month written 2021-03."""
    rows = [[f"{year}-{month:02d}", amount] for (year, month), amount in sorted(monthly_sales(today, seed).items())]
    return write_table(out / "质量成本" / "销售月报.xlsx", ["月份", "销售额（元）"], rows,
                       Style(fmt="xlsx", thousands=True, title="销售收入月报表"))


# The whole set ----------------------------------------------------------------------------------


def write_demo_exports(out_dir: Path, seed: int = 2021, today: datetime.date | None = None) -> list[Path]:
    """Write a realistic set of raw ERP/QC export files for 2019 .. today's month; return their paths."""
    out, today = Path(out_dir), today or datetime.date.today()
    if today < datetime.date(2021, 12, 31):
        raise ValueError("the demo data needs today on or after 2021-12-31 (the report years must be complete)")
    paths = [supplier_list_file(out), item_master_file(out), customer_list_file(out)]
    paths += supplier_grade_files(out, today, seed)
    paths.append(supplier_audit_file(out, today, seed))
    paths += supplier_survey_files(out, today, seed)
    inspection_paths, failed = inspection_files(out, today, seed)
    paths += inspection_paths
    complaint_paths, complaints = complaint_files(out, today, seed)
    paths += complaint_paths
    paths += survey_files(out, today, seed)
    paths.append(market_file(out, today, seed))
    paths.append(capa_file(out, complaints, failed, today, seed))
    paths.append(calibration_file(out, today))
    incident = incident_file(out, today)
    if incident is not None:
        paths.append(incident)
    paths += quality_cost_files(out, today, seed)
    paths.append(sales_file(out, today, seed))
    return paths
