"""Shared test helpers: writing export files and looking at a real warehouse file."""
from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

REFERENCE_DIR = Path(os.environ.get("QUALITY_REFERENCE_DIR", Path(__file__).resolve().parents[2] / "shared" / "reference"))


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", title: str | None = None) -> Path:
    """Write an export file the way an ERP would: optional title line, header, rows, in the given encoding."""
    buffer = io.StringIO()
    if title:
        buffer.write(title + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (to prove a warehouse did not change)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """Rows of a query on a read-only connection to the warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """Path of a warehouse file in a temporary folder (not created yet)."""
    return tmp_path / "wh" / "quality.duckdb"


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo warehouse, built once per test process through `python -m etl demo` (the real load path)."""
    from etl.cli import main

    path = tmp_path_factory.mktemp("demo") / "quality.duckdb"
    assert main(["demo", "--warehouse", str(path)]) == 0
    return path
