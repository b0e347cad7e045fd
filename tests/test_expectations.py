"""Expectation suites: a good and a bad fixture per source kind, batch refusals, and the warehouse reconciliation.

Fixtures are CSV under tests/fixtures/expectations/. A bad fixture's `expect` column says, per row, which
failures are intended ("severity:column", several separated by ";"); the tests compare exactly.
"""
from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from warehouse.sources import KINDS
from expectations import reconciliation_outcomes, validate_batch
from warehouse.db import apply_migrations

FIXTURES = Path(__file__).parent / "fixtures" / "expectations"
TODAY = datetime.date(2024, 6, 30)
POLARS_TYPES = {"str": pl.String, "enum": pl.String, "int": pl.Int64, "float": pl.Float64, "date": pl.Date,
                "datetime": pl.Datetime("us"), "bool": pl.Boolean}
BATCH_LEVEL = {"expect_column_to_exist", "expect_table_row_count_to_be_between", "expect_error_row_share_to_be_at_most"}


def parsed(name: str, dtype: str) -> pl.Expr:
    """A fixture's text column converted to the staged type of a canonical column."""
    column = pl.col(name)
    if dtype == "date":
        return column.str.to_date("%Y-%m-%d")
    if dtype == "datetime":
        return column.str.to_datetime("%Y-%m-%d %H:%M", time_unit="us")
    if dtype == "bool":
        return column == "true"
    return column.cast(POLARS_TYPES[dtype])


def staged(kind_name: str, which: str) -> pl.DataFrame:
    """A fixture as the ETL stages it: every canonical column typed (missing ones all-null), plus source_row."""
    raw = pl.read_csv(FIXTURES / f"{kind_name}_{which}.csv", infer_schema=False)
    kind = KINDS[kind_name]
    names = {c.name for c in kind.columns}
    canonical = [parsed(c.name, c.dtype) if c.name in raw.columns else pl.lit(None, POLARS_TYPES[c.dtype]).alias(c.name)
                 for c in kind.columns]
    questions = [pl.col(c).cast(pl.Float64) for c in raw.columns if c not in names | {"source_row", "expect"}]
    return raw.select(pl.col("source_row").cast(pl.Int64), *canonical, *questions)


def intended(kind_name: str) -> list[tuple[int, str, str]]:
    """The bad fixture's intended failures as sorted (source_row, column, severity)."""
    raw = pl.read_csv(FIXTURES / f"{kind_name}_bad.csv", infer_schema=False)
    found = []
    for row, expect in raw.select("source_row", "expect").iter_rows():
        for item in (expect or "").split(";"):
            if item:
                severity, column = item.split(":", 1)
                found.append((int(row), column, severity))
    return sorted(found)


def flagged(found) -> list[tuple[int, str, str]]:
    """What validate_batch flagged, as sorted (source_row, column, severity)."""
    return sorted((f.source_row, f.column, f.severity) for f in found.row_failures)


def quarantined_rows(frame: pd.DataFrame, found) -> set[int]:
    """Source rows of the quarantined positions."""
    return {int(frame["source_row"].iloc[i]) for i in found.quarantined_indexes}


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_good_fixture_passes_every_expectation(kind_name):
    frame = staged(kind_name, "good").to_pandas()
    found = validate_batch(kind_name, frame, TODAY)
    assert found.row_failures == []
    assert found.batch_errors == []
    assert [o for o in found.outcomes if not o.success] == []
    assert {o.suite for o in found.outcomes} == {kind_name}


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_bad_fixture_flags_exactly_the_intended_rows(kind_name):
    frame = staged(kind_name, "bad").to_pandas()
    found = validate_batch(kind_name, frame, TODAY, bad_row_share=1.0)
    expected = intended(kind_name)
    assert flagged(found) == expected
    assert quarantined_rows(frame, found) == {row for row, _, severity in expected if severity == "error"}
    assert found.batch_errors == []
    row_level = [o for o in found.outcomes if o.expectation not in BATCH_LEVEL]
    assert [(o.expectation, o.column) for o in row_level if o.success] == []   # every expectation fails somewhere
    assert sum(o.unexpected_count for o in row_level) == len(found.row_failures)


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_each_expectation_is_recorded_once(kind_name):
    found = validate_batch(kind_name, staged(kind_name, "good").to_pandas(), TODAY)
    names = [(o.expectation, o.column) for o in found.outcomes]
    assert len(names) == len(set(names))
    assert {o.severity for o in found.outcomes} <= {"error", "warning"}


def test_failures_carry_value_and_reasons_in_both_languages():
    frame = staged("inspection", "bad").to_pandas()
    found = validate_batch("inspection", frame, TODAY, bad_row_share=1.0)
    by_row = {(f.source_row, f.column): f for f in found.row_failures}
    over = by_row[(14, "sample_qty")]
    assert (over.value, over.reason_zh, over.reason_en) == ("60", "抽样数大于批量", "sample quantity exceeds lot quantity")
    assert over.index == 12 and frame["source_row"].iloc[over.index] == 14
    assert by_row[(6, "inspected_on")].value == "2024-07-01"
    assert by_row[(2, "id")].value is None
    assert [f.value for f in found.row_failures if f.column == "id" and f.reason_en == "duplicate id"] == ["INS-10"] * 2
    dup = next(f for f in validate_batch("supplier_grade", staged("supplier_grade", "bad").to_pandas(), TODAY,
                                         bad_row_share=1.0).row_failures if f.source_row == 4)
    assert (dup.column, dup.value) == ("supplier,year", "S05|2021")


def test_missing_required_column_refuses_the_file():
    frame = staged("inspection", "good").to_pandas().drop(columns=["result"])
    found = validate_batch("inspection", frame, TODAY)
    assert found.batch_errors == [("缺少必需列：检验结果（result）", "required column missing: result")]
    exists = {o.column: o for o in found.outcomes if o.expectation == "expect_column_to_exist"}
    assert exists["result"].success is False and exists["stage"].success is True
    assert not any(o.column == "result" and o.expectation != "expect_column_to_exist" for o in found.outcomes)


def test_empty_frame_refuses_the_file():
    frame = staged("inspection", "good").to_pandas().iloc[0:0]
    found = validate_batch("inspection", frame, TODAY)
    assert found.batch_errors == [("文件没有数据行", "the file has no data rows")]
    assert found.row_failures == []


def test_too_many_bad_rows_refuse_the_file():
    frame = staged("inspection", "good").to_pandas()
    frame.loc[0, "stage"] = "QC"                                       # 1 of 5 rows: 20 %, not above the limit
    assert validate_batch("inspection", frame, TODAY).batch_errors == []
    frame.loc[1, "result"] = "unknown"                                 # 2 of 5 rows: 40 %
    found = validate_batch("inspection", frame, TODAY)
    assert found.batch_errors == [("错误行占比 40.0%，超过上限 20%，整个文件拒收",
                                   "40.0% of the rows have errors, more than the limit of 20%: file refused")]
    share = next(o for o in found.outcomes if o.expectation == "expect_error_row_share_to_be_at_most")
    assert (share.success, share.unexpected_count) == (False, 2)
    assert validate_batch("inspection", frame, TODAY, bad_row_share=0.5).batch_errors == []


def test_warnings_are_recorded_but_do_not_quarantine():
    frame = staged("inspection", "good").to_pandas()
    frame.loc[1, "defects"] = 0                                        # IQC lot failed with zero defects
    frame.loc[0, "defects"] = 2                                        # IQC lot passed with defects
    found = validate_batch("inspection", frame, TODAY, bad_row_share=0.0)
    assert flagged(found) == [(2, "defects", "warning"), (3, "defects", "warning")]
    assert found.quarantined_indexes == set()
    assert found.batch_errors == []
    warned = [o for o in found.outcomes if not o.success]
    assert {(o.expectation, o.severity) for o in warned} == {
        ("expect_failed_lot_to_have_defects", "warning"), ("expect_passed_iqc_lot_to_have_no_defects", "warning")}


def test_today_decides_what_is_in_the_future():
    frame = staged("inspection", "good").to_pandas()
    frame.loc[0, "inspected_on"] = pd.Timestamp("2024-07-01")
    assert flagged(validate_batch("inspection", frame, TODAY)) == [(2, "inspected_on", "error")]
    assert flagged(validate_batch("inspection", frame, datetime.date(2024, 7, 1))) == []


def test_survey_scale_is_a_setting():
    frame = staged("survey_response", "bad").to_pandas()
    on_ten = flagged(validate_batch("survey_response", frame, TODAY, bad_row_share=1.0, survey_scale=(0, 10)))
    assert [f for f in on_ten if f[0] == 10] == []
    assert [f for f in intended("survey_response") if f[0] != 10] == on_ten


def test_pandas_nullable_dtypes_and_odd_index_give_the_same_result():
    frame = staged("inspection", "bad").to_pandas()
    nullable = frame.astype({"lot_qty": "Int64", "sample_qty": "Int64", "defects": "Int64", "first_pass": "boolean",
                             "id": "string", "stage": "string", "result": "string"})
    nullable["inspected_on"] = [None if pd.isna(v) else v.date() for v in frame["inspected_on"]]
    nullable.index = range(100, 100 - len(frame), -1)
    plain = validate_batch("inspection", frame, TODAY, bad_row_share=1.0)
    other = validate_batch("inspection", nullable, TODAY, bad_row_share=1.0)
    assert sorted(other.row_failures, key=repr) == sorted(plain.row_failures, key=repr)


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_a_polars_frame_gives_what_the_same_pandas_frame_gives(kind_name):
    frame = staged(kind_name, "bad")
    as_polars = validate_batch(kind_name, frame, TODAY, bad_row_share=1.0)
    as_pandas = validate_batch(kind_name, frame.to_pandas(), TODAY, bad_row_share=1.0)
    assert (as_polars.outcomes, as_polars.row_failures, as_polars.batch_errors) == (
        as_pandas.outcomes, as_pandas.row_failures, as_pandas.batch_errors)


def one_complete_pass(kind_name: str, frame: pl.DataFrame, today: datetime.date, group_column: str | None = None):
    """Outcomes and failed rows of a single GE run of the whole suite, on one batch of every column the rules
    read, text as categoricals, with result_format COMPLETE: how validate_batch ran before it ran two passes."""
    from expectations.rules import suite_rules
    from expectations.validate import expectation_suite, ge_context, ge_frame, judged

    rules = [r for r in suite_rules(kind_name, today, group_column=group_column)
             if set(frame.columns) >= set(r.columns)]
    data = ge_frame(kind_name, frame, [c for c in frame.columns if any(c in r.columns for r in rules)])
    context = ge_context()
    source = context.data_sources.add_pandas("one_complete_pass")
    try:
        batch = (source.add_dataframe_asset("batch").add_batch_definition_whole_dataframe("whole")
                 .get_batch(batch_parameters={"dataframe": data}))
        results = batch.validate(expectation_suite(kind_name, rules),
                                 result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False})
    finally:
        context.data_sources.delete(source.name)
    by_rule = sorted(results.results, key=lambda r: r.expectation_config.meta["rule"])
    judged_rules = [judged(kind_name, rule, result, frame) for rule, result in zip(rules, by_rule)]
    return [outcome for outcome, _, _ in judged_rules], [f for _, failures, _ in judged_rules for f in failures]


def test_two_passes_report_what_one_complete_pass_reports():
    bad = staged("inspection", "bad")                                  # fails every rule, errors and warnings
    good = staged("inspection", "good")
    filler = pl.concat([good] * 400).with_columns(
        ("INS-G" + pl.int_range(pl.len()).cast(pl.String)).alias("id"))  # 2,000 good rows with distinct ids
    at = list(range(7, 7 + 90 * bad.height, 90))                       # where the bad rows go, among good ones
    parts, last = [], 0
    for i, position in enumerate(at):
        parts += [filler.slice(last, position - i - last), bad.slice(i, 1)]
        last = position - i
    frame = pl.concat([*parts, filler.slice(last)]).with_columns(pl.lit(0, dtype=pl.Int32).alias("source_file_index"))
    assert [frame.row(p, named=True)["source_row"] for p in at] == bad["source_row"].to_list()

    found = validate_batch("inspection", frame, TODAY, bad_row_share=1.0, group_column="source_file_index")
    # the failures the fixture intends, at the positions the bad rows were put at
    position = dict(zip(bad["source_row"].to_list(), at))
    assert flagged(found) == intended("inspection")
    assert sorted((f.index, f.column, f.severity) for f in found.row_failures) == sorted(
        (position[row], column, severity) for row, column, severity in intended("inspection"))
    by_row = {(f.source_row, f.column): f for f in found.row_failures}
    assert (by_row[(14, "sample_qty")].value, by_row[(6, "inspected_on")].value, by_row[(9, "disposition")].value) == (
        "60", "2024-07-01", "burn")
    duplicates = [f.value for f in found.row_failures if f.expectation == "expect_column_values_to_be_unique"]
    assert duplicates == ["0|INS-10"] * 2
    # and exactly what one COMPLETE run of the whole suite reports: outcomes, positions, values, counts
    outcomes, failures = one_complete_pass("inspection", frame, TODAY, "source_file_index")
    assert found.outcomes[:-1] == outcomes
    assert found.row_failures == failures
    failed_rules = {(o.expectation, o.column) for o in outcomes if not o.success}
    assert failed_rules == {(f.expectation, f.column) for f in failures}
    assert sum(o.unexpected_count for o in outcomes) == len(failures)


def test_a_row_condition_is_evaluated_once_per_batch(monkeypatch):
    from expectations.validate import FilteredOnce

    frame = FilteredOnce(pd.DataFrame({"result": pd.Categorical(["pass", "fail", "pass"]), "defects": [0.0, 2.0, 1.0]}))
    evaluated, real_query = [], pd.DataFrame.query

    def counted(self, expr, **kwargs):
        evaluated.append(expr)
        return real_query(self, expr, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "query", counted)
    first = frame.query("result == 'pass'")
    first["defects"] = -1.0                                             # what a caller does to its rows stays there
    again = frame.query("result == 'pass'")
    assert evaluated == ["result == 'pass'"]
    assert again["defects"].tolist() == [0.0, 1.0] and again.index.tolist() == [0, 2]
    assert frame.query("result == 'fail'").index.tolist() == [1] and len(evaluated) == 2


def test_caller_frame_is_not_changed():
    frame = staged("complaint", "bad").to_pandas()
    before = frame.copy()
    validate_batch("complaint", frame, TODAY)
    pd.testing.assert_frame_equal(frame, before)


def test_import_is_lazy_and_validation_stays_offline():
    script = textwrap.dedent("""
        import datetime, json, socket, sys
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(repr(args[1:2]))
            raise OSError("network disabled in this test")
        socket.socket.connect = socket.socket.connect_ex = refuse
        socket.create_connection = socket.getaddrinfo = refuse
        import expectations
        lazy = not any(m.startswith("great_expectations") for m in sys.modules)
        import pandas as pd
        frame = pd.DataFrame({"source_row": [2, 3], "id": ["A1", "A2"], "kind": ["safety", "fire"],
                              "occurred_on": pd.to_datetime(["2024-01-02", "2024-01-03"]),
                              "severity": ["minor", "minor"], "description": [None, None]})
        found = expectations.validate_batch("incident", frame, datetime.date(2024, 6, 30))
        print(json.dumps({"lazy": lazy, "loaded": "great_expectations" in sys.modules, "attempts": attempts,
                          "rows": sorted(f.source_row for f in found.row_failures)}))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GX_")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env,
                         cwd=Path(__file__).parent.parent)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"lazy": True, "loaded": True, "attempts": [], "rows": [3]}
    assert "Calculating Metrics" not in run.stderr and "%|" not in run.stderr


def test_modules_ge_imports_but_never_uses_are_imported_on_first_use():
    script = textwrap.dedent("""
        import json, sys
        from expectations.validate import DeferredModule, ge_context
        ge_context()
        deferred = sorted(n for n in ("scipy.stats", "altair") if isinstance(sys.modules.get(n), DeferredModule))
        from scipy import stats
        import altair as alt
        import great_expectations.expectations.core.expect_column_kl_divergence_to_be_less_than as kl
        print(json.dumps({"deferred": deferred, "cdf": stats.norm.cdf(0), "entropy": round(kl.stats.entropy([1, 1]), 4),
                          "same chart": kl.alt.Chart is alt.Chart and alt.Chart.__name__ == "Chart",
                          "now": [type(sys.modules[n]).__name__ for n in ("scipy.stats", "altair")]}))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).parent.parent)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {
        "deferred": ["altair", "scipy.stats"], "cdf": 0.5, "entropy": 0.6931, "same chart": True,
        "now": ["module", "module"]}


# Reconciliation over a real DuckDB warehouse -----------------------------------------------------------

INSPECTION_SQL = ("INSERT INTO inspection (id, stage, inspected_on, item, supplier, lot_qty, sample_qty, defects, "
                  "result, test_kind, first_pass) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@pytest.fixture
def warehouse_db():
    """A migrated in-memory warehouse with consistent master data and facts."""
    con = duckdb.connect()
    apply_migrations(con)
    con.executemany("INSERT INTO supplier (code, name) VALUES (?, ?)", [("S01", "甲"), ("S02", "乙")])
    con.executemany("INSERT INTO item (code, name) VALUES (?, ?)", [("M-100", "物镜"), ("P-300", "显微镜")])
    con.executemany("INSERT INTO supplier_grade (supplier, year, grade) VALUES (?, ?, ?)",
                    [("S01", 2021, "A"), ("S02", 2021, "B"), ("S03", 2021, "C"), ("S01", 2022, "A")])
    con.executemany(INSPECTION_SQL, [
        ("I1", "IQC", datetime.date(2021, 3, 1), "M-100", "S01", 500, 50, 2, "fail", "general", None),
        ("I2", "IQC", datetime.date(2021, 3, 2), "M-100", "S02", 500, 50, 0, "pass", "general", None),
        ("I3", "FQC", datetime.date(2022, 3, 2), "P-300", None, 100, 100, 0, "pass", "airtightness", True),
    ])
    con.execute("INSERT INTO complaint (id, received_at, closed_at, resolution, resolution_done_at) VALUES "
                "(?, ?, ?, ?, ?)", ["K1", datetime.datetime(2021, 5, 1, 9), None, "repair", None])
    con.execute("INSERT INTO market_share (year, scope, company_sales, market_size) VALUES (?, ?, ?, ?)",
                [2021, "national", 1200.0, 250000.0])
    yield con
    con.close()


def outcome(outcomes, expectation, column):
    """The one outcome with this expectation and column."""
    (found,) = [o for o in outcomes if (o.expectation, o.column) == (expectation, column)]
    return found


def test_reconciliation_of_a_consistent_warehouse_passes(warehouse_db):
    outcomes = reconciliation_outcomes(warehouse_db)
    assert [o for o in outcomes if not o.success] == []
    assert {o.suite for o in outcomes} == {"reconciliation"}
    grades = outcome(outcomes, "expect_grade_counts_to_sum_to_year_total", "grade")
    assert grades.observed_value == "2021: 1+1+1=3; 2022: 1+0+0=1"
    fractions = {o.column for o in outcomes if o.expectation == "expect_kpi_numerator_at_most_denominator"}
    assert {"incoming_inspection_pass_rate", "final_inspection_pass_rate", "incoming_inspection_ppm",
            "airtightness_first_pass_rate", "complaint_handling_rate", "warranty_fulfilment_rate",
            "market_share_national", "capa_on_time_rate"} <= fractions


def test_unknown_suppliers_and_items_are_warnings(warehouse_db):
    warehouse_db.executemany(INSPECTION_SQL, [
        ("I4", "IQC", datetime.date(2021, 4, 1), "M-999", "S77", 10, 5, 0, "pass", None, None),
        ("I5", "IQC", datetime.date(2021, 4, 2), "M-100", "S77", 10, 5, 0, "pass", None, None),
        ("I6", "IQC", datetime.date(2021, 4, 3), "M-100", "S78", 10, 5, 0, "pass", None, None),
    ])
    outcomes = reconciliation_outcomes(warehouse_db)
    supplier = outcome(outcomes, "expect_inspection_supplier_to_exist_in_supplier_table", "supplier")
    item = outcome(outcomes, "expect_inspection_item_to_exist_in_item_table", "item")
    assert (supplier.severity, supplier.success, supplier.unexpected_count) == ("warning", False, 3)
    assert supplier.observed_value == "2 unknown: S77, S78"
    assert (item.severity, item.success, item.unexpected_count, item.observed_value) == (
        "warning", False, 1, "1 unknown: M-999")
    assert [o for o in outcomes if not o.success and o.severity == "error"] == []


def test_numerator_above_denominator_is_an_error(warehouse_db):
    warehouse_db.execute(INSPECTION_SQL, ["I7", "IQC", datetime.date(2021, 6, 1), "M-100", "S01", 10, 5, 200, "fail",
                                       None, None])
    warehouse_db.execute("INSERT INTO market_share (year, scope, company_sales, market_size) VALUES (?, ?, ?, ?)",
                      [2022, "provincial", 500.0, 400.0])
    failed = [o for o in reconciliation_outcomes(warehouse_db) if not o.success]
    assert [(o.column, o.severity, o.observed_value, o.unexpected_count) for o in failed] == [
        ("incoming_inspection_ppm", "error", "2021-06: 200 > 5", 1),   # I7 is the only June lot
        ("market_share_provincial", "error", "2022: 500 > 400", 1),
    ]


def test_grade_counts_not_adding_up_is_an_error():
    con = duckdb.connect()
    apply_migrations(con)
    con.execute("DROP TABLE supplier_grade")                           # a table without the grade CHECK
    con.execute("CREATE TABLE supplier_grade (supplier VARCHAR, year INTEGER, grade VARCHAR, basis VARCHAR)")
    con.executemany("INSERT INTO supplier_grade (supplier, year, grade) VALUES (?, ?, ?)",
                    [("S01", 2021, "A"), ("S02", 2021, "D"), ("S01", 2022, "B")])
    grades = outcome(reconciliation_outcomes(con), "expect_grade_counts_to_sum_to_year_total", "grade")
    assert (grades.success, grades.severity, grades.observed_value, grades.unexpected_count) == (
        False, "error", "2021: 1+0+0≠2", 1)
