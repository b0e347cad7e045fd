"""Opening the warehouse: migrations on write, short read-only connections for readers."""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse.sql import ACCOUNTS_MIGRATIONS_PACKAGE, MIGRATIONS_PACKAGE, migration_files


def apply_migrations(con: duckdb.DuckDBPyConnection, package: str = MIGRATIONS_PACKAGE) -> list[str]:
    """Apply the migrations this database has not seen yet; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migration").fetchall()}
    applied = []
    for version, name, sql in migration_files(package):
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migration VALUES (?, ?, current_localtimestamp())", [version, name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def pending_migrations(con: duckdb.DuckDBPyConnection, package: str = MIGRATIONS_PACKAGE) -> list[str]:
    """Names of migrations not yet applied to this database."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "schema_migration" not in tables:
        return [name for _, name, _ in migration_files(package)]
    done = {row[0] for row in con.execute("SELECT version FROM schema_migration").fetchall()}
    return [name for version, name, _ in migration_files(package) if version not in done]


@dataclass(frozen=True)
class SnapshotId:
    """Identity of the live warehouse file: changes whenever a write swaps a new snapshot in."""

    path: str
    inode: int
    mtime_ns: int
    size: int


def snapshot_id(path: Path) -> SnapshotId | None:
    """The live file's identity, or None when there is no warehouse yet."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return SnapshotId(str(path), st.st_ino, st.st_mtime_ns, st.st_size)


@contextlib.contextmanager
def read_connection(path: Path):
    """A short-lived READ_ONLY connection to the live warehouse (never blocks a writer's swap)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


class _ArrowStream:
    """A polars frame seen only through the Arrow C stream interface.

    DuckDB scans such an object directly, without pyarrow (whose import and conversion cost more than the
    scan); it asks for a new stream for every scan, so a registered frame can be read by several statements.
    """

    def __init__(self, frame):
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema=None):
        return self.frame.__arrow_c_stream__(requested_schema)


def register_frame(con: duckdb.DuckDBPyConnection, name: str, frame) -> None:
    """Make a polars frame readable as the view `name` on this connection (until con.unregister(name)).

    Columns of polars' Null type (all values missing) are passed as text: DuckDB refuses Arrow null arrays
    that come through the C stream without a validity bitmap.
    """
    nulls = [c for c, dtype in frame.schema.items() if dtype == pl.Null]
    con.register(name, _ArrowStream(frame.with_columns(frame[nulls].cast(pl.String)) if nulls else frame))
