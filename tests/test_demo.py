"""The demo export files: deterministic, in the real mix of formats, and reproducing the 2021 report.

The report figures are recomputed here by plain polars arithmetic over the raw files (following
docs/kpi-definitions.md), independently of the ETL, and compared with tests/reference/report-2021-figures.csv.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import re
from pathlib import Path

import polars as pl
import pytest

from demo.exports import write_demo_exports
from warehouse.sources import KINDS
from tests.conftest import REFERENCE_DIR

TODAY = dt.date(2026, 11, 24)
REPORT_YEARS = (2019, 2020, 2021)


# Reading the raw files back, independently of the ETL --------------------------------------------


def normalized(header: str) -> str:
    """A header as sources.py spells it: lower case, no spaces, no unit in brackets."""
    text = re.sub(r"\s+", "", str(header)).lower()
    return re.sub(r"[（(][^）)]*[）)]$", "", text)


def raw_grid(path: Path) -> list[list[str]]:
    """All rows of a CSV (UTF-8, UTF-8-BOM or GBK) or XLSX file as text cells."""
    if path.suffix == ".xlsx":
        grid = pl.read_excel(path, engine="calamine", has_header=False,
                             read_options={"header_row": None, "dtypes": "string"})
        return [[("" if c is None else str(c)) for c in row] for row in grid.rows()]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return list(csv.reader(io.StringIO(text)))


def read_export(path: Path, kind: str) -> pl.DataFrame:
    """The table of an export file with canonical column names (text values); title, 合计 and blank rows dropped."""
    rows = raw_grid(path)
    header_at = next(i for i, row in enumerate(rows) if sum(1 for c in row if c.strip()) >= 3)
    names = {normalized(h): c.name for c in KINDS[kind].columns for h in c.headers}
    header: list[str] = []
    for h in rows[header_at]:   # a column named twice (code and name of a supplier): the first one wins
        name = names.get(normalized(h), h)
        header.append(name if name not in header else h)
    body = [r for r in rows[header_at + 1:] if any(c.strip() for c in r) and r[0].strip() != "合计"]
    return pl.DataFrame(body, schema=header, orient="row").with_columns(
        pl.all().str.strip_chars().replace("", None))


def read_kind(folder: Path, pattern: str, kind: str) -> pl.DataFrame:
    """All files matching pattern under folder, read as one kind and stacked."""
    frames = [read_export(p, kind) for p in sorted(folder.rglob(pattern)) if p.is_file()]
    return pl.concat(frames, how="diagonal")


def canonical(expr: pl.Expr, spellings: dict) -> pl.Expr:
    """Canonical value of a spelling (case-insensitive), as sources.py lists them."""
    lookup = {str(s).lower(): str(k) for k, many in spellings.items() for s in [k, *many]}
    return expr.str.to_lowercase().replace_strict(lookup, default=None)


def number(expr: pl.Expr) -> pl.Expr:
    """Float from text such as 1,200 or 92.5."""
    return expr.str.replace_all(",", "").cast(pl.Float64)


def moment(expr: pl.Expr) -> pl.Expr:
    """Datetime from 2021/3/5 9:40, 2021-03-05 09:40:00, 2021年3月5日 or 2021-03-05."""
    parts = expr.str.extract_groups(r"(\d{4})\D(\d{1,2})\D(\d{1,2})\D*(?:(\d{1,2}):(\d{2}))?")
    field = parts.struct.field
    return pl.datetime(field("1").cast(pl.Int32), field("2").cast(pl.Int32), field("3").cast(pl.Int32),
                       field("4").cast(pl.Int32).fill_null(0), field("5").cast(pl.Int32).fill_null(0))


def yes(expr: pl.Expr) -> pl.Expr:
    """True for 是 / Y."""
    return expr.str.to_lowercase().is_in(["是", "y", "yes"])


# Report figures by plain arithmetic --------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def inspection_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Pass rates by lot (passed / inspected x 100) per year for IQC, IPQC and FQC+OQC."""
    lots = read_kind(folder / "检验记录", "*", "inspection").select(
        canonical(pl.col("stage"), KINDS["inspection"].column("stage").values).alias("stage"),
        moment(pl.col("inspected_on")).dt.year().alias("year"),
        canonical(pl.col("result"), KINDS["inspection"].column("result").values).alias("result"),
    )
    assert lots.null_count().sum_horizontal().item() == 0
    group = pl.col("stage").replace({"FQC": "final", "OQC": "final", "IQC": "incoming", "IPQC": "process"})
    rates = lots.group_by(group.alias("group"), "year").agg(
        ((pl.col("result") == "pass").sum() / pl.len() * 100).alias("rate"))
    names = {"incoming": "incoming_inspection_pass_rate", "process": "process_inspection_pass_rate",
             "final": "final_inspection_pass_rate"}
    return {(names[g], y): r for g, y, r in rates.iter_rows()}


def complaint_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Complaints received and the share with every milestone met (calendar-day bounds: stricter than working days)."""
    c = read_kind(folder / "客诉", "客诉登记表_*", "complaint")
    times = {col.name: moment(pl.col(col.name)) for col in KINDS["complaint"].columns if col.dtype == "datetime"}
    c = c.with_columns(**times, abroad=pl.col("region") == "国外", in_province=pl.col("region") == "省内",
                       onsite=yes(pl.col("onsite_required")), fault=yes(pl.col("our_fault")),
                       report=yes(pl.col("report_requested")))
    hours = lambda done, start: (pl.col(done) - pl.col(start)).dt.total_minutes() / 60  # noqa: E731
    met = (
        (hours("first_response_at", "received_at") <= 4)
        & (hours("reply_at", "received_at") <= pl.when(pl.col("abroad")).then(48).otherwise(24))
        & (~pl.col("onsite")
           | (hours("onsite_at", "received_at") <= pl.when(pl.col("in_province")).then(48).otherwise(96)))
        & (~pl.col("fault") | (hours("plan_sent_at", "cause_confirmed_at") <= 72))
        & (~pl.col("fault") | (hours("resample_at", "plan_accepted_at") <= 240))
        & (~pl.col("report") | (hours("report_sent_at", "cause_confirmed_at") <= 72))
        & (hours("capa_started_at", "received_at") <= 72)
        & pl.col("closed_at").is_not_null()
    ).fill_null(False)
    per_year = c.group_by(pl.col("received_at").dt.year().alias("year")).agg(
        pl.len().alias("n"), (met.sum() / pl.len() * 100).alias("on_time"))
    out = {}
    for year, n, on_time in per_year.iter_rows():
        out[("complaints_received", year)] = n
        out[("complaints_handled_on_time_rate", year)] = on_time
    return out


def survey_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Mean overall customer score and mean supplier satisfaction per year."""
    customers = read_kind(folder / "顾客满意度", "*", "survey_response").group_by(
        pl.col("survey_year").cast(pl.Int32)).agg(number(pl.col("overall_score")).mean())
    suppliers = read_kind(folder / "供应商", "供应商满意度调查_*", "supplier_survey").group_by(
        pl.col("year").cast(pl.Int32)).agg(number(pl.col("satisfaction")).mean())
    out = {("customer_satisfaction", y): v for y, v in customers.iter_rows()}
    out |= {("supplier_satisfaction", y): v for y, v in suppliers.iter_rows()}
    return out


def supplier_grade_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Suppliers per grade, in total, and the grade A share, per year."""
    grades = read_kind(folder / "供应商", "供应商评级_*", "supplier_grade").select(
        pl.col("year").cast(pl.Int32), canonical(pl.col("grade"), KINDS["supplier_grade"].column("grade").values))
    out = {}
    for (year,), g in grades.group_by("year"):
        counts = g["grade"].value_counts()
        count = dict(counts.iter_rows())
        for grade in "abc":
            out[(f"suppliers_grade_{grade}", year)] = count.get(grade.upper(), 0)
        out[("suppliers_total", year)] = g.height
        out[("suppliers_grade_a_share", year)] = count.get("A", 0) / g.height * 100
    return out


def market_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Company sales / market size x 100, national and provincial, per year."""
    m = read_export(folder / "市场" / "市场占有率统计.xlsx", "market_share")
    scope = canonical(pl.col("scope"), KINDS["market_share"].column("scope").values)
    share = number(pl.col("company_sales")) / number(pl.col("market_size")) * 100
    return {(f"market_share_{s}", int(y)): v for y, s, v in m.select("year", scope, share).iter_rows()}


@functools.lru_cache(maxsize=None)
def report_figures(folder: Path) -> dict[tuple[str, int], float]:
    """Every figure of the report, recomputed from the raw files."""
    return (inspection_figures(folder) | complaint_figures(folder) | survey_figures(folder)
            | supplier_grade_figures(folder) | market_figures(folder))


def reference_rows() -> list[dict]:
    """The rows of report-2021-figures.csv."""
    with open(REFERENCE_DIR / "report-2021-figures.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def matches_printed(value: float, printed: str) -> bool:
    """Whether value rounds to the printed figure at the printed precision ("91.5" -> one decimal)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return round(value, decimals) == float(printed)


def folder_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under folder."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The demo exports for seed 2021 as of TODAY, and the paths write_demo_exports returned."""
    folder = tmp_path_factory.mktemp("demo")
    return folder, write_demo_exports(folder, seed=2021, today=TODAY)


# Tests ------------------------------------------------------------------------------------------


def test_the_paths_returned_are_every_file_written(demo):
    folder, paths = demo
    assert sorted(paths) == sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(paths) == len(set(paths))


def test_the_same_seed_writes_identical_bytes(demo, tmp_path):
    folder, _ = demo
    write_demo_exports(tmp_path, seed=2021, today=TODAY)
    assert folder_digest(tmp_path) == folder_digest(folder)


def test_another_seed_changes_the_synthetic_years_but_not_the_report(demo, tmp_path):
    folder, _ = demo
    write_demo_exports(tmp_path, seed=7, today=TODAY)
    ours, theirs = folder_digest(folder), folder_digest(tmp_path)
    assert ours.keys() == theirs.keys()
    assert ours["检验记录/2024/OQC出货检验_2024-05.csv"] != theirs["检验记录/2024/OQC出货检验_2024-05.csv"]
    assert inspection_figures(tmp_path)[("incoming_inspection_pass_rate", 2024)] != \
        inspection_figures(folder)[("incoming_inspection_pass_rate", 2024)]
    mine, other = report_figures(folder), report_figures(tmp_path)
    assert {k: v for k, v in other.items() if k[1] in REPORT_YEARS} == pytest.approx(
        {k: v for k, v in mine.items() if k[1] in REPORT_YEARS})


def test_the_raw_files_reproduce_every_figure_of_the_report(demo):
    folder, _ = demo
    figures = report_figures(folder)
    checked = 0
    for row in reference_rows():
        for year in REPORT_YEARS:
            if row["kpi"] == "suppliers_grade_a_share_published":
                # printed 55 / 60 / 65 contradicts its own 5 of 9: the share comes from the counts
                assert round(figures[("suppliers_grade_a_share", year)], 1) == 55.6
                continue
            value = figures[(row["kpi"], year)]
            assert matches_printed(value, row[str(year)]), (row["kpi"], year, value, row[str(year)])
            checked += 1
    assert checked == 13 * 3


def test_the_report_rates_are_exact_not_just_rounded(demo):
    figures = report_figures(demo[0])
    assert figures[("process_inspection_pass_rate", 2020)] == 91.5
    assert figures[("customer_satisfaction", 2019)] == 92.0
    assert figures[("market_share_provincial", 2020)] == pytest.approx(4.5)


def test_the_files_mix_formats_encodings_titles_and_totals(demo):
    _, paths = demo
    csvs = [p for p in paths if p.suffix == ".csv"]
    gbk = [p for p in csvs if not _decodes_as_utf8(p)]
    assert gbk and all(p.read_bytes().decode("gbk") for p in gbk)
    assert any(_decodes_as_utf8(p) and not p.read_bytes().startswith(b"\xef\xbb\xbf") for p in csvs)
    assert any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in csvs)
    assert any(p.suffix == ".xlsx" for p in paths)
    inspection = [p for p in paths if "检验记录" in p.parts]
    assert {p.suffix for p in inspection} == {".csv", ".xlsx"} and any(p in gbk for p in inspection)
    grids = {p: raw_grid(p) for p in inspection}
    assert any(len([c for c in g[0] if c.strip()]) == 1 and "检验记录" in g[0][0] for g in grids.values())
    assert any(any(r and r[0] == "合计" for r in g) for g in grids.values())
    assert any(not any(c.strip() for c in g[-1]) for g in grids.values())
    headers = {normalized(h) for g in grids.values() for row in g[:2] for h in row}
    assert {"检验单号", "单据编号", "报告编号", "inspectionno"} <= headers
    text = "\n".join(",".join(r) for g in grids.values() for r in g)
    assert re.search(r"2021/3/\d+,", text) and re.search(r"2021年3月\d+日", text) and re.search(r'\d,\d{3}', text)


def _decodes_as_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_inspection_lots_are_internally_consistent(demo):
    folder, _ = demo
    lots = read_kind(folder / "检验记录", "*", "inspection").with_columns(
        canonical(pl.col("result"), KINDS["inspection"].column("result").values).alias("result"),
        canonical(pl.col("stage"), KINDS["inspection"].column("stage").values).alias("stage"),
        number(pl.col("lot_qty")), number(pl.col("sample_qty")), number(pl.col("defects")),
        moment(pl.col("inspected_on")).dt.date().alias("inspected_on"))
    assert 30_000 < lots.height < 100_000
    assert lots["id"].n_unique() == lots.height
    assert lots.filter(pl.col("result") == "fail")["defects"].min() > 0
    assert lots.filter(pl.col("defects") > pl.col("sample_qty")).height == 0
    assert lots.filter(pl.col("sample_qty") > pl.col("lot_qty")).height == 0
    assert lots["inspected_on"].max() <= TODAY
    assert lots.filter(pl.col("stage") == "IQC")["supplier"].null_count() == 0
    air = lots.filter(pl.col("test_kind").is_in(["气密性", "Airtightness"]))
    assert air.height > 0 and air["item_name"].str.contains("望远镜").all()
    first_pass = yes(pl.col("first_pass")) == (pl.col("result") == "pass")
    assert air.select(first_pass.all()).item()
    monthly = lots.filter(pl.col("stage") == "IQC", pl.col("inspected_on").dt.year() == 2021).group_by(
        pl.col("inspected_on").dt.month()).len()
    per_month = dict(monthly.iter_rows())
    assert per_month[2] < per_month[9] and 80 <= min(per_month.values()) and max(per_month.values()) <= 220


def test_recent_years_have_something_for_the_pages_to_show(demo):
    folder, _ = demo
    complaints = read_kind(folder / "客诉", "客诉登记表_*", "complaint").with_columns(
        moment(pl.col("received_at")).alias("received_at"), moment(pl.col("reply_at")).alias("reply_at"),
        moment(pl.col("first_response_at")).alias("first_response_at"))
    assert complaints.filter(pl.col("closed_at").is_null()).height == 2
    late_reply = (pl.col("reply_at") - pl.col("received_at")).dt.total_hours() > 48
    late_response = (pl.col("first_response_at") - pl.col("received_at")).dt.total_hours() > 4
    assert complaints.filter(late_reply)["region"].to_list() == ["国外"]
    assert complaints.filter(late_response).height == 1
    capa = read_export(folder / "纠正预防措施台账.xlsx", "corrective_action")
    overdue = capa.filter(pl.col("implemented_on").is_null(), moment(pl.col("due_on")).dt.date() < TODAY)
    assert overdue.height >= 3
    calibration = read_export(folder / "计量器具校准台账.csv", "instrument_calibration").with_columns(
        moment(pl.col("next_due_on")).dt.date().alias("due"))
    latest = calibration.group_by("instrument").agg(pl.col("due").max())
    assert latest.filter(pl.col("due") < TODAY)["instrument"].to_list() == ["JL-009"]
    names = set(calibration["instrument_name"])
    assert {"望远镜、显微镜综合测量仪", "光学中心仪", "显微镜测量仪", "投影仪", "球面干涉仪", "工具显微镜"} <= names
    incidents = read_export(folder / "事故记录.csv", "incident")
    assert incidents["severity"].to_list() == ["轻伤"]


@pytest.mark.parametrize("today", [dt.date(2021, 12, 31), dt.date(2022, 1, 4), dt.date(2024, 2, 29)])
def test_the_report_years_do_not_depend_on_today(demo, tmp_path, today):
    write_demo_exports(tmp_path, seed=2021, today=today)
    mine, early = report_figures(demo[0]), report_figures(tmp_path)
    assert {k: v for k, v in early.items() if k[1] in REPORT_YEARS} == pytest.approx(
        {k: v for k, v in mine.items() if k[1] in REPORT_YEARS})
    lots = read_kind(tmp_path / "检验记录", "*", "inspection")
    assert lots.select(moment(pl.col("inspected_on")).dt.date().max()).item() <= today


def test_demo_loaded_through_the_etl_gives_the_report_figures(tmp_path):
    """End to end: demo exports (report years) -> etl.load.load_paths (validation on) -> warehouse.kpis."""
    from etl.load import load_paths
    from warehouse.db import read_connection
    from warehouse.kpis import Period, kpi_values
    from warehouse.settings import load_settings

    today = dt.date(2021, 12, 31)   # the report years only: a third of the files, the same 2019-2021 rows
    write_demo_exports(tmp_path / "exports", seed=2021, today=today)
    settings = load_settings(env={}, warehouse=tmp_path / "wh" / "quality.duckdb")
    summary = load_paths([tmp_path / "exports"], settings, today=today)
    assert summary.exit_code == 0
    assert [f.path.name for f in summary.files if f.status != "loaded" or f.quarantined] == []
    with read_connection(settings.warehouse) as con:
        values = {year: {v.kpi: v.value for v in kpi_values(con, Period(year), settings, today=today)}
                  for year in REPORT_YEARS}
    for row in reference_rows():
        for year in REPORT_YEARS:
            if row["kpi"] == "suppliers_grade_a_share_published":
                assert round(values[year]["suppliers_grade_a_share"], 1) == 55.6
                continue
            value = values[year][row["kpi"]]
            assert value is not None and matches_printed(value, row[str(year)]), (row["kpi"], year, value)
