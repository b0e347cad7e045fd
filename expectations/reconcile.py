"""Reconciliation after a merge: checks over the whole warehouse, aggregated in DuckDB (plain SQL, no GE).

GE's SQL path is broken in 1.24, and these checks must stay fast at 10 M inspection rows, so each is
one SQL file under expectations/sql/ that DuckDB aggregates; Python only judges the few rows it returns.
"""
from __future__ import annotations

import datetime
from pathlib import Path

import duckdb

from expectations.rules import ERROR, WARNING
from expectations.validate import ExpectationOutcome

SQL_DIR = Path(__file__).parent / "sql"
SUITE = "reconciliation"
EXAMPLES = 5


def sql(name: str) -> str:
    """The text of expectations/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def number(value) -> str:
    """A count or amount as text, without a needless .0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def grade_count_outcome(con: duckdb.DuckDBPyConnection) -> ExpectationOutcome:
    """Per year, the A, B and C supplier counts add up to the year's graded suppliers."""
    rows = con.execute(sql("supplier_grade_counts")).fetchall()
    bad = [f"{year}: {a}+{b}+{c}≠{total}" for year, a, b, c, total in rows if a + b + c != total]
    observed = "; ".join(bad) or "; ".join(f"{year}: {a}+{b}+{c}={total}" for year, a, b, c, total in rows)
    return ExpectationOutcome(SUITE, "expect_grade_counts_to_sum_to_year_total", "grade", ERROR, not bad,
                              observed or None, len(bad))


def known_code_outcome(con: duckdb.DuckDBPyConnection, column: str, query: str) -> ExpectationOutcome:
    """Every inspection's code in column exists in its master table (a warning: the ETL registers unknown ones)."""
    codes, rows, examples = con.execute(sql(query), {"examples": EXAMPLES}).fetchall()[0]
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
        bad = [f"{year}{f'-{month:02d}' if month else ''}: {number(n)} > {number(d)}" for year, month, n, d in rows[kpi.code]
               if n is not None and d is not None and n > d]
        outcomes.append(ExpectationOutcome(SUITE, "expect_kpi_numerator_at_most_denominator", kpi.code, ERROR,
                                           not bad, "; ".join(bad) or None, len(bad)))
    return outcomes


def reconciliation_outcomes(con: duckdb.DuckDBPyConnection) -> list[ExpectationOutcome]:
    """Warehouse-wide checks after a merge: grade counts, known suppliers and items, KPI fractions."""
    return [grade_count_outcome(con),
            known_code_outcome(con, "supplier", "unknown_inspection_suppliers"),
            known_code_outcome(con, "item", "unknown_inspection_items"),
            *fraction_outcomes(con)]
