"""Text reports of the warehouse's state for the CLI: rows per table, runs, files, quarantine."""
from __future__ import annotations

from pathlib import Path

from warehouse import sql
from warehouse.db import read_connection

BOOKKEEPING = {"etl_run", "source_file", "validation_result", "quarantine", "upload_batch", "schema_migration"}


def _table(rows: list[tuple], headers: list[str]) -> str:
    """Rows as a plain aligned text table."""
    cells = [headers] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) for i in range(len(headers))).rstrip() for c in cells)


def table_row_counts(con) -> list[tuple[str, int]]:
    """Each warehouse table with its row count."""
    names = [r[0] for r in sql.rows(con, "read/table_names")]
    return [(n, sql.row_count(con, n)) for n in names]


def status_text(warehouse: Path, limit: int = 10) -> str:
    """Rows per table, the recent runs and the files seen, as text."""
    with read_connection(warehouse) as con:
        counts = table_row_counts(con)
        runs = [(r["id"], r["command"], r["started_at"], r["finished_at"], r["status"], r["summary"])
                for r in sql.records(con, "read/etl_runs", limit=limit)]
        files = [(f["name"], f["kind"], f["status"], f["rows"], f["rows_loaded"], f["rows_quarantined"],
                  f["rows_inserted"], f["rows_updated"], f["rows_unchanged"], f["rows_deleted"], f["loaded_at"],
                  f["hash"][:12], f["message"])
                 for f in sql.records(con, "read/source_files", status=None, limit=limit * 3)]
    data = [c for c in counts if c[0] not in BOOKKEEPING]
    books = [c for c in counts if c[0] in BOOKKEEPING]
    return "\n\n".join([
        f"warehouse {warehouse}",
        "tables 数据表\n" + _table(data, ["table", "rows"]),
        "bookkeeping 记录表\n" + _table(books, ["table", "rows"]),
        "recent runs 最近运行\n" + _table(runs, ["run", "command", "started", "finished", "status", "summary"]),
        "files seen 已见文件\n" + _table(files, ["file", "kind", "status", "rows", "loaded", "quarantined", "inserted",
                                                  "updated", "unchanged", "deleted", "at", "hash", "message"]),
    ])


def quarantine_text(warehouse: Path, include_released: bool = False, lang: str = "zh") -> str:
    """The quarantined rows with file, row, column, value and reason, as text."""
    with read_connection(warehouse) as con:
        rows = sql.records(con, "read/quarantined_rows", include_released=include_released, lang=lang, limit=None)
    if not rows:
        return "no quarantined rows 没有隔离的数据行"
    shown = [(q["file_name"], q["source_row"], q["kind"], q["column_name"], q["value"], q["reason"], q["released_at"] or "")
             for q in rows]
    return _table(shown, ["file", "row", "kind", "column", "value", "reason", "released"])
