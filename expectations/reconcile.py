"""Reconciliation after a merge: checks over the whole warehouse, aggregated in DuckDB (plain SQL, no GE).

GE's SQL path is broken in 1.24, and these checks must stay fast at 10 M inspection rows, so each is
one SQL file (warehouse/sql/checks/, or the KPI formula it checks) that DuckDB aggregates; Python only judges the
few rows it returns.
"""
from __future__ import annotations

import datetime

import duckdb

from expectations.rules import ERROR, WARNING
from expectations.validate import ExpectationOutcome
from warehouse import sql

SUITE = "reconciliation"
EXAMPLES = 5
GRADES = {"suppliers_grade_a": "a", "suppliers_grade_b": "b", "suppliers_grade_c": "c", "suppliers_total": "total"}


def number(value) -> str:
    """A count or amount as text, without a needless .0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def grade_count_outcome(con: duckdb.DuckDBPyConnection) -> ExpectationOutcome:
    """Per year, the A, B and C supplier counts of the grade KPIs add up to the year's graded suppliers."""
    counts: dict[int, dict[str, int]] = {}
    for kpi, year, _, numerator, _ in sql.rows(con, "kpi/supplier_grade_counts", start=datetime.date(1, 1, 1),
                                               end=datetime.date(9999, 12, 31)):
        if kpi in GRADES:
            counts.setdefault(year, {})[GRADES[kpi]] = numerator
    rows = [(year, c["a"], c["b"], c["c"], c["total"]) for year, c in sorted(counts.items())]
    bad = [f"{year}: {a}+{b}+{c}≠{total}" for year, a, b, c, total in rows if a + b + c != total]
    observed = "; ".join(bad) or "; ".join(f"{year}: {a}+{b}+{c}={total}" for year, a, b, c, total in rows)
    return ExpectationOutcome(SUITE, "expect_grade_counts_to_sum_to_year_total", "grade", ERROR, not bad,
                              observed or None, len(bad))


def known_code_outcome(con: duckdb.DuckDBPyConnection, column: str) -> ExpectationOutcome:
    """Every inspection's code in column (supplier, item) exists in its master table (a warning: the ETL registers
    unknown ones)."""
    codes, rows, examples = sql.rows(con, "checks/unknown_inspection_codes", column=column, examples=EXAMPLES)[0]
    observed = f"{codes} unknown: {', '.join(examples)}{' …' if codes > len(examples) else ''}" if codes else None
    return ExpectationOutcome(SUITE, f"expect_inspection_{column}_to_exist_in_{column}_table", column, WARNING,
                              codes == 0, observed, rows)


def fraction_outcomes(con: duckdb.DuckDBPyConnection) -> list[ExpectationOutcome]:
    """One outcome per rate and PPM KPI of the registry: its numerator never exceeds its denominator in any month."""
    from warehouse.kpis import REGISTRY, kpi_rows

    rates = [k for k in REGISTRY.values() if k.unit in ("%", "ppm")]
    rows = kpi_rows(con, rates, datetime.date(2000, 1, 1), datetime.date.today() + datetime.timedelta(days=400))
    outcomes = []
    for kpi in rates:
        bad = [f"{year}{f'-{month:02d}' if month else ''}: {number(n)} > {number(d)}" for year, month, n, d, _ in rows[kpi.code]
               if n is not None and d is not None and n > d]
        outcomes.append(ExpectationOutcome(SUITE, "expect_kpi_numerator_at_most_denominator", kpi.code, ERROR,
                                           not bad, "; ".join(bad) or None, len(bad)))
    return outcomes


def reconciliation_outcomes(con: duckdb.DuckDBPyConnection) -> list[ExpectationOutcome]:
    """Warehouse-wide checks after a merge: grade counts, known suppliers and items, KPI fractions."""
    return [grade_count_outcome(con),
            known_code_outcome(con, "supplier"),
            known_code_outcome(con, "item"),
            *fraction_outcomes(con)]
