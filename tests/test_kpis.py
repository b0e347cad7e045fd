"""KPI registry and periods, on small hand-built warehouses (real DuckDB, expected values by hand)."""
import csv
import datetime as dt
import io
import json

import duckdb
import pytest

from warehouse.db import apply_migrations, read_connection
from warehouse.kpis import (
    CSV_HEADER, REGISTRY, KpiValue, Period, kpi_series, kpi_targets, kpi_values, kpi_values_by, kpis_csv, kpis_json,
    kpis_text_table, set_kpi_target, wilson_interval,
)
from warehouse.settings import Settings
from warehouse.snapshot import write_snapshot

SETTINGS = Settings(foreign_reply_hours=48.0)
LATER = dt.date(2022, 6, 30)  # "today" for every test here: all of 2021 is in the past

REQUIRED_CODES = [
    "incoming_inspection_pass_rate", "process_inspection_pass_rate", "final_inspection_pass_rate",
    "incoming_inspection_ppm", "process_inspection_ppm", "final_inspection_ppm", "airtightness_first_pass_rate",
    "complaints_received", "complaints_handled_on_time_rate", "complaint_handling_rate", "warranty_fulfilment_rate",
    "customer_satisfaction", "supplier_satisfaction", "suppliers_grade_a", "suppliers_grade_b", "suppliers_grade_c",
    "suppliers_total", "suppliers_grade_a_share", "market_share_national", "market_share_provincial",
    "capa_on_time_rate", "calibration_overdue", "major_environmental_incidents", "fatal_injuries",
    "serious_injuries", "minor_injuries",
]


def by_code(values):
    return {v.kpi: v for v in values}


def add_lots(con, stage, day, passed, failed, sample_qty=None, defects=None):
    """Insert `passed` passing and `failed` failing lots of a stage inspected on day."""
    start = con.execute("SELECT count(*) FROM inspection").fetchone()[0]
    results = ["pass"] * passed + ["fail"] * failed
    for i, result in enumerate(results):
        con.execute(
            "INSERT INTO inspection (id, stage, inspected_on, result, sample_qty, defects) VALUES (?, ?, ?, ?, ?, ?)",
            [f"L{start + i}", stage, day, result, sample_qty, defects],
        )


def add_iqc_lots(con, days: dict[str, tuple[int, int]]):
    """Insert IQC lots: for each day, (passed, failed) lots inspected that day."""
    for day, (passed, failed) in days.items():
        add_lots(con, "IQC", day, passed, failed)


FULL_2021 = """
INSERT INTO inspection (id, stage, inspected_on, result, sample_qty, defects, test_kind, first_pass) VALUES
    ('i1', 'IQC',  '2021-01-10', 'pass', 50, 0, NULL, NULL),
    ('i2', 'IQC',  '2021-02-10', 'pass', 50, 0, NULL, NULL),
    ('i3', 'IQC',  '2021-03-10', 'pass', 50, 0, NULL, NULL),
    ('i4', 'IQC',  '2021-04-10', 'fail', 50, 5, NULL, NULL),
    ('p1', 'IPQC', '2021-05-10', 'pass', 100, 1, NULL, NULL),
    ('p2', 'IPQC', '2021-06-10', 'pass', 100, 0, 'airtightness', NULL),
    ('f1', 'FQC',  '2021-07-10', 'pass', 20, 0, 'airtightness', true),
    ('o1', 'OQC',  '2021-08-10', 'fail', 20, 2, 'airtightness', false);
INSERT INTO customer (code, region) VALUES ('K2', 'out_of_province');
INSERT INTO complaint (id, customer, region, received_at, first_response_at, reply_at, onsite_required, our_fault,
                       report_requested, capa_started_at, closed_at, resolution, resolution_done_at) VALUES
    ('c1', NULL, 'in_province', '2021-03-01 09:00', '2021-03-01 10:00', '2021-03-01 15:00', false, false, false,
     '2021-03-02 09:00', '2021-03-10 09:00', 'repair', '2021-03-08 09:00'),
    ('c2', 'K2', NULL, '2021-05-10 09:00', '2021-05-10 15:00', '2021-05-10 16:00', false, false, false,
     '2021-05-11 09:00', NULL, 'replace', NULL);
INSERT INTO upload_batch (id, kind, file_hash, file_name, uploaded_at, undone_at) VALUES
    ('b-ok', 'survey', 'h1', 'survey.csv', '2021-12-01', NULL),
    ('b-undone', 'survey', 'h2', 'wrong.csv', '2021-12-02', '2021-12-03');
INSERT INTO survey_response (survey_year, response_id, overall_score, upload_batch) VALUES
    (2021, 'r1', 90, 'b-ok'), (2021, 'r2', 96, 'b-ok'), (2021, 'r3', NULL, 'b-ok'), (2021, 'r4', 10, 'b-undone');
INSERT INTO supplier_survey (year, supplier, satisfaction) VALUES (2021, 'S1', 96), (2021, 'S2', 98);
INSERT INTO supplier_grade (supplier, year, grade) VALUES
    ('S1', 2021, 'A'), ('S2', 2021, 'A'), ('S3', 2021, 'A'), ('S4', 2021, 'B'), ('S5', 2021, 'C');
INSERT INTO market_share (year, scope, company_sales, market_size) VALUES
    (2021, 'national', 40, 1000), (2021, 'provincial', 50, 1000);
INSERT INTO corrective_action (id, opened_on, due_on, implemented_on, verified_on, effective) VALUES
    ('a1', '2021-04-01', '2021-04-30', '2021-04-29', '2021-05-20', true),
    ('a2', '2021-06-01', '2021-06-30', '2021-07-05', '2021-07-20', true),
    ('a3', '2021-08-01', '2021-08-31', NULL, NULL, NULL),
    ('a4', '2021-12-01', '2022-12-31', NULL, NULL, NULL);
INSERT INTO instrument_calibration (instrument, calibrated_on, interval_months, next_due_on) VALUES
    ('I1', '2021-01-10', 6, '2021-07-10'),
    ('I2', '2021-03-01', 12, '2022-03-01'),
    ('I3', '2020-06-01', 12, '2021-06-01'),
    ('I3', '2021-05-20', 12, '2022-05-20'),
    ('I4', '2021-01-15', 6, NULL);
INSERT INTO incident (id, occurred_on, kind, severity) VALUES
    ('e1', '2021-04-02', 'safety', 'minor'),
    ('e2', '2021-05-05', 'environment', 'environmental');
"""

# Worked out by hand from FULL_2021 (year 2021, as of 2022-06-30).
EXPECTED_2021 = {
    "incoming_inspection_pass_rate": 100 * 3 / 4,
    "incoming_inspection_ppm": 1e6 * 5 / 200,
    "process_inspection_pass_rate": 100.0,
    "process_inspection_ppm": 1e6 * 1 / 200,
    "final_inspection_pass_rate": 50.0,                    # FQC pass, OQC fail
    "final_inspection_ppm": 1e6 * 2 / 40,
    "airtightness_first_pass_rate": 50.0,                  # p2 has no first-pass flag: not counted
    "complaints_received": 2,
    "complaints_handled_on_time_rate": 50.0,               # c2 answered after 6 h (4 h allowed)
    "complaint_handling_rate": 50.0,                       # c1 closed, c2 open
    "warranty_fulfilment_rate": 50.0,                      # repair done, replacement not
    "customer_satisfaction": (90 + 96) / 2,                # NULL score and undone upload left out
    "supplier_satisfaction": 97.0,
    "suppliers_grade_a": 3,
    "suppliers_grade_b": 1,
    "suppliers_grade_c": 1,
    "suppliers_total": 5,
    "suppliers_grade_a_share": 60.0,
    "market_share_national": 4.0,
    "market_share_provincial": 5.0,
    "capa_on_time_rate": 100 * 1 / 3,                      # a1 on time and effective; a2 late; a4 due in 2022
    "capa_ineffective": 0,                                 # none verified ineffective
    "calibration_overdue": 2,                              # I1 (due 2021-07-10), I4 (2021-01-15 + 6 months)
    "major_environmental_incidents": 0,
    "fatal_injuries": 0,
    "serious_injuries": 0,
    "minor_injuries": 1,
}


def test_registry_has_every_required_code_with_labels_and_units():
    assert set(REQUIRED_CODES) <= set(REGISTRY)
    for code, kpi in REGISTRY.items():
        assert kpi.code == code
        assert kpi.label_zh and kpi.label_en
        assert kpi.unit in ("%", "count", "ppm", "score", "yuan")
        assert kpi.direction in ("up", "down", None)
    assert REGISTRY["incoming_inspection_pass_rate"].label_zh == "原料进厂检验合格率"
    assert REGISTRY["complaints_handled_on_time_rate"].label_zh == "客诉及时受理率"
    assert REGISTRY["market_share_provincial"].label_zh == "省内市场占有率"


@pytest.mark.parametrize("period", [Period(2021), Period(2021, 5), Period(2021, 5, ytd=True)])
def test_empty_warehouse_is_no_data_for_every_kpi(con, period):
    values = kpi_values(con, period, SETTINGS, today=LATER)
    assert [v.kpi for v in values] == list(REGISTRY)
    for v in values:
        assert v.value is None, v.kpi
        assert v.status == "no_data", v.kpi
        assert v.prior_value is None and v.delta is None, v.kpi


def test_every_kpi_on_a_full_fixture(con):
    con.execute(FULL_2021)
    values = by_code(kpi_values(con, Period(2021), SETTINGS, today=LATER))
    assert set(values) == set(REGISTRY)
    for code, expected in EXPECTED_2021.items():
        assert values[code].value == pytest.approx(expected), code
        assert values[code].status != "no_data", code
    # statuses against the report's Table 3 targets seeded by migration 002
    assert values["final_inspection_pass_rate"].status == "missed"
    assert values["customer_satisfaction"].status == "met"
    assert values["fatal_injuries"].status == "met"
    assert values["minor_injuries"].status == "missed"
    assert values["incoming_inspection_pass_rate"].status == "no_target"
    # denominators shown beside rates
    assert (values["incoming_inspection_pass_rate"].numerator, values["incoming_inspection_pass_rate"].denominator) == (3, 4)
    assert values["customer_satisfaction"].denominator == 2
    assert values["suppliers_grade_a"].numerator == 3 and values["suppliers_grade_a"].denominator is None


def test_ytd_against_prior_ytd(con):
    # 2021 Jan-Mar: 3/3, 1/2, 4/5 -> 8 of 10 lots passed; April must not count.
    add_iqc_lots(con, {"2021-01-15": (3, 0), "2021-02-15": (1, 1), "2021-03-31": (4, 1), "2021-04-01": (0, 4)})
    # 2020 Jan-Mar: 2/2, 0/1, 1/1 -> 3 of 4; 2019-12-31 and 2020-04-01 must not count.
    add_iqc_lots(con, {"2019-12-31": (0, 3), "2020-01-02": (2, 0), "2020-02-29": (0, 1), "2020-03-31": (1, 0),
                       "2020-04-01": (0, 1)})
    period = Period(2021, 3, ytd=True)
    assert (period.start, period.end) == (dt.date(2021, 1, 1), dt.date(2021, 4, 1))
    assert (period.prior().start, period.prior().end) == (dt.date(2020, 1, 1), dt.date(2020, 4, 1))
    [v] = kpi_values(con, period, SETTINGS, today=LATER, codes=["incoming_inspection_pass_rate"])
    assert (v.numerator, v.denominator) == (8, 10)
    assert v.value == pytest.approx(80.0)
    assert v.prior_value == pytest.approx(75.0)
    assert v.delta == pytest.approx(5.0)
    assert v.status == "no_target"


def test_month_and_year_periods(con):
    add_iqc_lots(con, {"2021-02-01": (1, 0), "2021-02-28": (0, 1), "2021-03-01": (5, 0), "2020-02-15": (0, 1),
                       "2020-07-15": (3, 0)})
    [feb] = kpi_values(con, Period(2021, 2), SETTINGS, today=LATER, codes=["incoming_inspection_pass_rate"])
    assert (feb.value, feb.prior_value, feb.delta) == (pytest.approx(50.0), pytest.approx(0.0), pytest.approx(50.0))
    [year] = kpi_values(con, Period(2021), SETTINGS, today=LATER, codes=["incoming_inspection_pass_rate"])
    assert year.value == pytest.approx(100 * 6 / 7)
    assert year.prior_value == pytest.approx(100 * 3 / 4)
    assert year.delta == pytest.approx(100 * 6 / 7 - 75)


BREAKDOWN_LOTS = """
INSERT INTO item (code, name, family) VALUES ('M1', '镜片', 'material'), ('M2', '棱镜', 'material'), ('T1', '望远镜', 'telescope');
INSERT INTO inspection (id, stage, inspected_on, item, supplier, result, sample_qty, defects) VALUES
    ('a1', 'IQC', '2021-02-01', 'M1', 'S1', 'pass', 100, 0),
    ('a2', 'IQC', '2021-02-11', 'M1', 'S1', 'fail', 100, 4),
    ('a3', 'IQC', '2021-03-01', 'M2', 'S2', 'pass', 50, 1),
    ('a4', 'IQC', '2021-03-02', 'M2', NULL, 'pass', 50, 0),
    ('a5', 'IQC', '2021-05-02', 'M2', 'S2', 'fail', 50, 9),
    ('b1', 'IQC', '2020-03-01', 'M1', 'S1', 'fail', 100, 2),
    ('b2', 'IQC', '2020-03-05', 'M9', 'S3', 'pass', 20, 0),
    ('f1', 'FQC', '2021-01-20', 'T1', NULL, 'fail', 10, 1),
    ('o1', 'OQC', '2021-02-20', 'T1', NULL, 'pass', 10, 0);
"""


def test_breakdown_by_supplier_item_and_family_adds_up_to_the_kpi(con):
    con.execute(BREAKDOWN_LOTS)
    ytd = Period(2021, 3, ytd=True)  # a5 (May) is outside; 2020 Jan-Mar is the prior span
    codes = ["incoming_inspection_pass_rate", "incoming_inspection_ppm"]
    found = {key: (rate, ppm) for _, key, (rate, ppm) in kpi_values_by(con, [ytd], "supplier", codes, SETTINGS)}
    # S1: a1 pass, a2 fail (4 of 200 units); prior b1 fail. S2: a3 pass (1 of 50). No supplier: a4. S3: prior only.
    assert sorted(found) == ["", "S1", "S2", "S3"]
    rate, ppm = found["S1"]
    assert (rate.numerator, rate.denominator, rate.value, rate.prior_value, rate.delta) == (1, 2, 50.0, 0.0, 50.0)
    assert ppm.value == pytest.approx(4 / 200 * 1e6)
    assert (found["S2"][0].value, found["S2"][1].value) == (100.0, pytest.approx(1 / 50 * 1e6))
    assert (found[""][0].numerator, found[""][0].denominator) == (1, 1)
    assert (found["S3"][0].value, found["S3"][0].denominator, found["S3"][0].prior_value) == (None, None, 100.0)
    [total] = kpi_values(con, ytd, SETTINGS, codes=["incoming_inspection_pass_rate"])
    assert sum(r.denominator or 0 for r, _ in found.values()) == total.denominator == 4
    assert sum(r.numerator or 0 for r, _ in found.values()) == total.numerator == 3

    by_item = {key: rate for _, key, (rate,) in kpi_values_by(con, [Period(2021)], "item", codes[:1], SETTINGS)}
    assert {k: (v.numerator, v.denominator) for k, v in by_item.items()} == {
        "M1": (1, 2), "M2": (2, 3), "M9": (None, None)}
    by_family = kpi_values_by(con, [Period(2021), Period(2020)], "family", ["final_inspection_pass_rate"], SETTINGS)
    assert [(p.year, key, v.numerator, v.denominator) for p, key, (v,) in by_family] == [(2021, "telescope", 1, 2)]


def test_customer_satisfaction_by_segment_averages_each_segments_scores(con):
    con.execute("""
        INSERT INTO upload_batch (id, kind, file_hash, file_name, uploaded_at, undone_at) VALUES
            ('b-undone', 'survey', 'h2', 'wrong.csv', '2021-12-02', '2021-12-03');
        INSERT INTO survey_response (survey_year, response_id, segment, overall_score, upload_batch) VALUES
            (2021, 'r1', 'strategic', 90, NULL), (2021, 'r2', 'strategic', 96, NULL), (2021, 'r3', 'general', 80, NULL),
            (2021, 'r4', NULL, 70, NULL), (2021, 'r5', 'general', NULL, NULL), (2021, 'r6', 'general', 10, 'b-undone'),
            (2020, 'p1', 'strategic', 88, NULL);
    """)
    found = {key: v for _, key, (v,) in kpi_values_by(con, [Period(2021)], "segment", ["customer_satisfaction"], SETTINGS)}
    assert {k: (v.value, v.denominator, v.prior_value) for k, v in found.items()} == {
        "": (70.0, 1, None), "general": (80.0, 1, None), "strategic": (93.0, 2, 88.0)}
    [total] = kpi_values(con, Period(2021), SETTINGS, codes=["customer_satisfaction"])
    assert total.value == pytest.approx((90 + 96 + 80 + 70) / 4) and total.denominator == 4


def test_breakdown_is_refused_for_kpis_without_one(con):
    with pytest.raises(ValueError, match="complaints_received cannot be broken down by supplier"):
        kpi_values_by(con, [Period(2021)], "supplier", ["complaints_received"], SETTINGS)
    with pytest.raises(ValueError, match="supplier_satisfaction cannot be broken down by segment"):
        kpi_values_by(con, [Period(2021)], "segment", ["customer_satisfaction", "supplier_satisfaction"], SETTINGS)
    with pytest.raises(ValueError, match="not 'region'"):
        kpi_values_by(con, [Period(2021)], "region", ["incoming_inspection_pass_rate"], SETTINGS)


def test_ppm_is_unit_based(con):
    add_lots(con, "IPQC", "2021-06-01", 1, 0, sample_qty=125, defects=0)
    add_lots(con, "IPQC", "2021-06-02", 0, 1, sample_qty=125, defects=3)
    add_lots(con, "IPQC", "2021-06-03", 1, 0, sample_qty=None, defects=7)   # no sample size: left out of PPM
    [ppm] = kpi_values(con, Period(2021, 6), SETTINGS, today=LATER, codes=["process_inspection_ppm"])
    assert ppm.value == pytest.approx(3 / 250 * 1e6)
    assert (ppm.numerator, ppm.denominator) == (3, 250)


def test_event_counts_zero_when_the_log_was_loaded_and_no_data_in_the_future(con):
    con.execute("INSERT INTO source_file (hash, name, kind, status, rows, loaded_at) "
                "VALUES ('h', 'incidents.csv', 'incident', 'loaded', 0, '2022-01-05')")
    values = by_code(kpi_values(con, Period(2021), SETTINGS, today=LATER))
    assert values["fatal_injuries"].value == 0 and values["fatal_injuries"].status == "met"
    assert values["complaints_received"].status == "no_data"       # no complaint log loaded
    future = by_code(kpi_values(con, Period(2022, 12), SETTINGS, today=LATER))
    assert future["fatal_injuries"].status == "no_data"


def test_targets_from_table_with_a_per_year_override(con):
    add_lots(con, "FQC", "2020-05-01", 24, 1)   # 96 %
    add_lots(con, "FQC", "2021-05-01", 24, 1)   # 96 %
    add_lots(con, "FQC", "2022-05-01", 24, 1)   # 96 %
    set_kpi_target(con, "final_inspection_pass_rate", 2021, 95)
    set_kpi_target(con, "capa_on_time_rate", 2021, 90)
    assert kpi_targets(con, 2020)["final_inspection_pass_rate"] == (">=", 100.0)   # report default (2000)
    assert kpi_targets(con, 2021)["final_inspection_pass_rate"] == (">=", 95.0)
    assert kpi_targets(con, 2022)["final_inspection_pass_rate"] == (">=", 95.0)    # applies until superseded
    assert kpi_targets(con, 2021)["capa_on_time_rate"] == (">=", 90.0)
    assert "capa_on_time_rate" not in kpi_targets(con, 2020)
    codes = ["final_inspection_pass_rate"]
    [v2020] = kpi_values(con, Period(2020), SETTINGS, today=LATER, codes=codes)
    [v2021] = kpi_values(con, Period(2021), SETTINGS, today=LATER, codes=codes)
    assert (v2020.target, v2020.status) == (100.0, "missed")
    assert (v2021.target, v2021.comparator, v2021.status) == (95.0, ">=", "met")
    set_kpi_target(con, "final_inspection_pass_rate", 2021, 97)               # replaces the 2021 row
    [again] = kpi_values(con, Period(2021), SETTINGS, today=LATER, codes=codes)
    assert (again.target, again.status) == (97.0, "missed")
    with pytest.raises(ValueError):
        set_kpi_target(con, "suppliers_total", 2021, 9)                       # no direction: comparator needed
    with pytest.raises(KeyError):
        set_kpi_target(con, "no_such_kpi", 2021, 1)


def test_set_target_through_a_write_snapshot(tmp_path):
    path = tmp_path / "quality.duckdb"
    with write_snapshot(path) as con:
        set_kpi_target(con, "customer_satisfaction", 2024, 90, note="raised")
    with read_connection(path) as con:
        assert kpi_targets(con, 2023)["customer_satisfaction"] == (">=", 85.0)
        assert kpi_targets(con, 2024)["customer_satisfaction"] == (">=", 90.0)


def test_kpis_csv_header_and_round_trip(con):
    con.execute(FULL_2021)
    values = kpi_values(con, Period(2021), SETTINGS, today=LATER)
    text = kpis_csv(values)
    assert text.splitlines()[0] == ("kpi,label,value,numerator,denominator,unit,target,status,prior_value,delta"
                                      ",in_progress,partial")
    assert CSV_HEADER == text.splitlines()[0].split(",")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["kpi"] for r in rows] == [v.kpi for v in values]
    for row, v in zip(rows, values):
        assert row["label"] == v.label and row["unit"] == v.unit and row["status"] == v.status
        for field in ("value", "numerator", "denominator", "target", "prior_value", "delta"):
            original = getattr(v, field)
            if original is None:
                assert row[field] == "", (v.kpi, field)
            else:
                assert "e" not in row[field].lower()
                assert float(row[field]) == pytest.approx(original, abs=1e-6), (v.kpi, field)
    by_kpi = {r["kpi"]: r for r in rows}
    assert by_kpi["suppliers_grade_a_share"]["value"] == "60"           # a percentage 0-100
    assert by_kpi["process_inspection_pass_rate"]["prior_value"] == ""   # no 2020 data


def test_kpis_json_and_text_table(con):
    con.execute(FULL_2021)
    values = kpi_values(con, Period(2021), SETTINGS, lang="en", today=LATER)
    data = json.loads(kpis_json(values))
    assert len(data) == len(REGISTRY)
    assert set(data[0]) == set(KpiValue.__dataclass_fields__)
    assert data[0]["prior_value"] is None
    table = kpis_text_table(values, lang="en")
    assert "Incoming inspection pass rate (IQC)" in table and "75.0%" in table
    zh = kpis_text_table(kpi_values(con, Period(2021), SETTINGS, today=LATER))
    assert "原料进厂检验合格率" in zh and "未达标" in zh and "75.0%" in zh


def test_kpi_series_by_month(con):
    add_iqc_lots(con, {"2021-01-15": (3, 0), "2021-02-15": (1, 1), "2021-03-31": (4, 1)})
    points = kpi_series(con, "incoming_inspection_pass_rate", 3, Period(2021, 3), SETTINGS, today=LATER)
    assert [(p.period.year, p.period.month) for p in points] == [(2021, 1), (2021, 2), (2021, 3)]
    assert [p.value for p in points] == [pytest.approx(100.0), pytest.approx(50.0), pytest.approx(80.0)]
    assert [p.denominator for p in points] == [3, 2, 5]
    long = kpi_series(con, "incoming_inspection_pass_rate", 24, Period(2021, 3), SETTINGS, today=LATER)
    assert len(long) == 24 and long[0].period == Period(2019, 4)
    assert long[0].value is None and long[0].status == "no_data"


def test_yearly_kpi_in_a_month_series_takes_its_year(con):
    con.execute("INSERT INTO supplier_survey VALUES (2020, 'S1', 80, NULL, NULL), (2021, 'S1', 90, NULL, NULL)")
    points = kpi_series(con, "supplier_satisfaction", 2, Period(2021, 1), SETTINGS, today=LATER)
    assert [p.value for p in points] == [80.0, 90.0]


def test_period_labels_and_validation():
    assert Period(2021).label("zh") == "2021年"
    assert Period(2021, 3).label("en") == "Mar 2021"
    assert Period(2021, 3, ytd=True).label("zh") == "2021年1–3月累计"
    assert Period(2021, 12).end == dt.date(2022, 1, 1)
    with pytest.raises(ValueError):
        Period(2021, 13)
    with pytest.raises(ValueError):
        Period(2021, ytd=True)


def test_unknown_code_is_refused(con):
    with pytest.raises(KeyError):
        kpi_values(con, Period(2021), SETTINGS, codes=["nope"])


def test_wilson_interval():
    low, high = wilson_interval(5, 10)            # published 95 % Wilson interval for 5/10: 0.2366-0.7634
    assert (low, high) == (pytest.approx(23.66, abs=0.01), pytest.approx(76.34, abs=0.01))
    low, high = wilson_interval(0, 10)            # upper bound z^2/n / (1 + z^2/n) = 0.2775
    assert low == pytest.approx(0, abs=1e-9) and high == pytest.approx(27.75, abs=0.01)
    assert wilson_interval(0, 0) is None


def test_default_targets_are_the_reports_table_3(con):
    from tests.conftest import REFERENCE_DIR

    with open(REFERENCE_DIR / "report-2021-targets.csv", encoding="utf-8") as handle:
        expected = {r["kpi"]: (r["comparator"], float(r["target"])) for r in csv.DictReader(handle)}
    assert kpi_targets(con, 2021) == expected
    assert set(expected) <= set(REGISTRY)
