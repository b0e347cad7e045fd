"""SQL in one place and one way: every statement the project runs from a file is warehouse/sql/<role>/<name>.sql.

    sql_text("read/failed_lots") -> str        the file's text
    parameters("read/failed_lots") -> set      the $names the file uses
    run(con, "read/failed_lots", **params)     runs it, binding exactly those names (a missing one is an error,
                                               others are left out); returns the connection, to fetch from
    rows(...) -> list[tuple], records(...) -> list[dict], frame(...) -> pandas.DataFrame: run and fetch
    execute(con, text, **params)               the same binding for a statement built in Python
    quoted("table") -> '"table"'               a table or column name for SQL text (values are always bound)
    row_count(con, "table") -> int             how many rows a table holds
    migration_files(package)                   the ordered migrations of warehouse/migrations or accounts_migrations

The roles: kpi/ (the KPI formulas of warehouse.kpis, each returning kpi, year, month, numerator, denominator),
read/ (what pages, reports, the meeting and the CLI read), write/ (what the app and the report write), accounts/
(users, sessions, the audit log: run on the accounts file), etl/ (what loads and uploads run: registering codes,
recording files, quarantine, upload batches) and checks/ (the reconciliation checks of expectations).
"""
from __future__ import annotations

import functools
import threading
from importlib import resources

import duckdb

ROLES = ("kpi", "explain", "read", "write", "accounts", "etl", "checks")
MIGRATIONS_PACKAGE = "warehouse.migrations"
ACCOUNTS_MIGRATIONS_PACKAGE = "warehouse.accounts_migrations"

_parser: duckdb.DuckDBPyConnection | None = None
_parser_lock = threading.Lock()


def _path(name: str):
    role, _, stem = name.partition("/")
    if role not in ROLES or not stem or "/" in stem or stem.endswith(".sql"):
        raise ValueError(f"a SQL file is named ROLE/NAME (ROLE one of {', '.join(ROLES)}, no .sql), not {name!r}")
    return resources.files("warehouse").joinpath("sql", role, f"{stem}.sql")


@functools.lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    """The text of warehouse/sql/<name>.sql, name being role/name (e.g. "read/failed_lots")."""
    path = _path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"no SQL file {name!r} (warehouse/sql/{name}.sql)") from None


def placeholders(text: str) -> frozenset[str]:
    """The $names a statement text uses, as DuckDB's parser finds them (a $name in a comment does not count)."""
    global _parser
    with _parser_lock:  # one private parsing connection, shared by threads one at a time
        if _parser is None:
            _parser = duckdb.connect(":memory:")
        statements = _parser.extract_statements(text)
    return frozenset(p for statement in statements for p in statement.named_parameters)


@functools.lru_cache(maxsize=None)
def parameters(name: str) -> frozenset[str]:
    """The $names the file uses."""
    return placeholders(sql_text(name))


def _bound(used: frozenset[str], params: dict, what: str) -> dict:
    missing = used - params.keys()
    if missing:
        names = ", ".join(f"${p}" for p in sorted(missing))
        raise TypeError(f"{what} needs {names}: pass {'it' if len(missing) == 1 else 'them'} (None for NULL)")
    return {k: params[k] for k in used}


def run(con, name: str, /, **params):
    """Run the file on the connection, binding the $names it uses from params (the others are left out)."""
    return con.execute(sql_text(name), _bound(parameters(name), params, f"SQL file {name!r}"))


def execute(con, text: str, /, **params):
    """Run a statement text built in Python, binding the $names it uses from params, as run() does for a file."""
    return con.execute(text, _bound(placeholders(text), params, "the statement"))


def rows(con, name: str, /, **params) -> list[tuple]:
    """The file's result rows."""
    return run(con, name, **params).fetchall()


def records(con, name: str, /, **params) -> list[dict]:
    """The file's result rows as dicts by column name."""
    cursor = run(con, name, **params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def frame(con, name: str, /, **params):
    """The file's result as a pandas frame."""
    return run(con, name, **params).df()


def quoted(name: str) -> str:
    """A table or column name as a quoted SQL identifier ("a""b" for a"b): how every name goes into SQL text."""
    return '"' + name.replace('"', '""') + '"'


def row_count(con, table: str) -> int:
    """How many rows the table holds."""
    return con.execute(f"SELECT count(*) FROM {quoted(table)}").fetchall()[0][0]


def migration_files(package: str = MIGRATIONS_PACKAGE) -> list[tuple[int, str, str]]:
    """The ordered migrations of a package (the warehouse's, or the accounts file's) as (version, name, sql)."""
    found = []
    for entry in resources.files(package).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)
