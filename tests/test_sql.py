"""SQL in one place and one way: every file under warehouse/sql prepares against a fresh warehouse, names are unique,
every file is used, only warehouse/sql.py reads SQL files, and the loader binds exactly the $names a file uses."""
import ast
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from warehouse import sql
from warehouse.db import ACCOUNTS_MIGRATIONS_PACKAGE, MIGRATIONS_PACKAGE, apply_migrations
from warehouse.kpis import CLOCK, REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = ROOT / "warehouse" / "sql"
SOURCE_DIRS = ["app", "etl", "warehouse", "expectations", "presentation", "demo", "scripts"]
FILES = sorted(f"{p.parent.name}/{p.stem}" for p in SQL_DIR.glob("*/*.sql"))
# Tables a load or an upload registers on its connection before it runs these files (polars frames, temp tables),
# with the columns the files read from them.
SCRATCH = {
    "staged": "supplier VARCHAR, customer VARCHAR, region VARCHAR, segment VARCHAR, item VARCHAR, item_name VARCHAR, "
              "stage VARCHAR, product VARCHAR, instrument VARCHAR, instrument_name VARCHAR, measures VARCHAR, "
              "origin VARCHAR, level VARCHAR, survey_year INTEGER, response_id VARCHAR, source_row INTEGER",
    "staged_keys": "row_key VARCHAR",
    "upload_keys": "survey_year INTEGER, response_id VARCHAR",
}


def source_files() -> list[Path]:
    """The project's Python files (tests apart)."""
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))


def string_constants(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _is_create(con, name: str) -> bool:
    return con.extract_statements(sql.sql_text(name))[0].type == duckdb.StatementType.CREATE


@pytest.fixture(scope="module")
def databases():
    """A fresh warehouse and a fresh accounts file (in memory) with every migration, and the scratch tables."""
    warehouse, accounts = duckdb.connect(), duckdb.connect()
    apply_migrations(warehouse, MIGRATIONS_PACKAGE)
    apply_migrations(accounts, ACCOUNTS_MIGRATIONS_PACKAGE)
    for table, columns in SCRATCH.items():
        warehouse.execute(f"CREATE TEMP TABLE {sql.quoted(table)} ({columns})")
    for name in FILES:  # the temp views the load defines over them (staged_items, staged_customers)
        if name.startswith("etl/") and _is_create(warehouse, name):
            warehouse.execute(sql.sql_text(name), {p: None for p in sql.parameters(name)})
    yield {"warehouse": warehouse, "accounts": accounts}
    warehouse.close()
    accounts.close()


def test_every_file_lies_in_a_role_folder():
    assert FILES
    assert not list(SQL_DIR.glob("*.sql")), "a SQL file belongs in a role folder"
    assert {p.name for p in SQL_DIR.iterdir() if p.is_dir()} <= set(sql.ROLES)


@pytest.mark.parametrize("name", FILES)
def test_every_file_prepares_against_a_fresh_warehouse(databases, name):
    con = databases["accounts" if name.startswith("accounts/") else "warehouse"]
    text = sql.sql_text(name)
    statements = con.extract_statements(text)
    assert len(statements) == 1, f"{name}: one statement a file"
    if statements[0].type == duckdb.StatementType.CREATE:  # not preparable: the fixture ran it
        return
    con.execute(f"PREPARE checked AS {text.strip().rstrip(';')}")
    con.execute("DEALLOCATE checked")


@pytest.mark.parametrize("name", [n for n in FILES if n.startswith("kpi/")])
def test_every_kpi_formula_returns_kpi_year_month_numerator_denominator(databases, name):
    values = {"start": dt.date(2021, 1, 1), "end": dt.date(2022, 1, 1), "today": dt.date(2022, 6, 30), "by": None,
              "handling_days": 30.0, "warranty_days": 30.0}
    columns = [d[0] for d in sql.run(databases["warehouse"], name, **values).description]
    assert columns[:5] == ["kpi", "year", "month", "numerator", "denominator"]


@pytest.mark.parametrize("name", [n for n in FILES if n.startswith("explain/")])
def test_every_explanation_returns_the_rows_behind_a_figure(databases, name):
    values = {"start": dt.date(2021, 1, 1), "end": dt.date(2022, 1, 1), "today": dt.date(2022, 6, 30),
              "kpi": "x", "handling_days": 30.0, "warranty_days": 30.0}
    columns = [d[0] for d in sql.run(databases["warehouse"], name, **values).description]
    assert columns == ["item", "day", "numerator", "denominator", "in_progress", "source_file", "source_row"]


def test_no_two_sql_files_share_a_name():
    found: dict[str, list[str]] = {}
    for path in ROOT.rglob("*.sql"):
        if not any(part.startswith(".") for part in path.relative_to(ROOT).parts):
            found.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in found.items() if len(paths) > 1} == {}


def test_every_file_is_used_and_every_name_used_is_a_file():
    constants = set().union(*map(string_constants, source_files()))
    named = {c for c in constants if re.fullmatch(rf"({'|'.join(sql.ROLES)})/\w+", c)}
    formulas = {name for k in REGISTRY.values() if k.query != CLOCK for name in (f"kpi/{k.query}", f"explain/{k.query}_rows")}
    assert sorted(set(FILES) - named - formulas) == [], "SQL files no code runs"
    assert sorted((named | formulas) - set(FILES)) == [], "names of SQL files that do not exist"


def test_only_warehouse_sql_reads_sql_files():
    """No other file names a .sql file or opens a folder of them (sql, queries, kpi, the migrations)."""
    folders = {"sql", "queries", "kpi", "migrations", "accounts_migrations"}

    def sql_place(node) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            node.value in folders or node.value.endswith((".migrations", ".accounts_migrations")))

    readers = []
    for path in source_files():
        if path == ROOT / "warehouse" / "sql.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".sql"):
                readers.append(f"{where} {node.value!r}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "files", "joinpath") and any(map(sql_place, node.args)):
                readers.append(f"{where} {ast.unparse(node)}")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and sql_place(node.right):
                readers.append(f"{where} {ast.unparse(node)}")
    assert readers == []


def test_run_binds_exactly_the_names_the_file_uses(databases):
    con = databases["warehouse"]
    assert sql.parameters("read/incidents_in_period") == {"start", "end", "newest_first"}
    found = sql.rows(con, "read/incidents_in_period", start=dt.date(2021, 1, 1), end=dt.date(2022, 1, 1),
                     newest_first=True, limit=5, lang="zh")  # names the file does not use are left out
    assert found == []
    with pytest.raises(TypeError, match=r"'read/incidents_in_period' needs \$newest_first"):
        sql.rows(con, "read/incidents_in_period", start=dt.date(2021, 1, 1), end=dt.date(2022, 1, 1))
    with pytest.raises(ValueError, match="ROLE/NAME"):
        sql.sql_text("incidents_in_period")
    with pytest.raises(FileNotFoundError, match="read/no_such_query"):
        sql.sql_text("read/no_such_query")


def test_a_dollar_name_in_a_comment_is_not_a_parameter():
    assert sql.placeholders("-- uses $old no more\nSELECT $new::INTEGER AS n") == {"new"}
    assert sql.execute(duckdb.connect(), "SELECT $new::INTEGER AS n -- not $old", new=3, old=4).fetchall() == [(3,)]


def test_quoted_doubles_quotes_so_any_name_is_one_identifier():
    con = duckdb.connect()
    name = 'odd "name"; DROP TABLE x'
    assert sql.quoted(name) == '"odd ""name""; DROP TABLE x"'
    con.execute(f"CREATE TABLE {sql.quoted(name)} ({sql.quoted('a b')} INTEGER)")
    con.execute(f"INSERT INTO {sql.quoted(name)} VALUES (1), (2)")
    assert sql.row_count(con, name) == 2
