"""Text reports of the warehouse's state for the CLI: rows per table, runs, files, quarantine."""
from __future__ import annotations

from pathlib import Path

from etl.load import sql_text
from warehouse.db import read_connection

BOOKKEEPING = {"etl_run", "source_file", "validation_result", "quarantine", "upload_batch", "schema_migration"}


def _table(rows: list[tuple], headers: list[str]) -> str:
    """Rows as a plain aligned text table."""
    cells = [headers] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) for i in range(len(headers))).rstrip() for c in cells)


def table_row_counts(con) -> list[tuple[str, int]]:
    """Each warehouse table with its row count."""
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
    return [(n, con.execute(f'SELECT count(*) FROM "{n}"').fetchall()[0][0]) for n in names]


def status_text(warehouse: Path, limit: int = 10) -> str:
    """Rows per table, the recent runs and the files seen, as text."""
    with read_connection(warehouse) as con:
        counts = table_row_counts(con)
        runs = con.execute(sql_text("recent_runs"), {"limit": limit}).fetchall()
        files = con.execute(sql_text("files_seen"), {"limit": limit * 3}).fetchall()
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
        rows = con.execute(sql_text("quarantined_rows"), {"include_released": include_released}).fetchall()
    if not rows:
        return "no quarantined rows 没有隔离的数据行"
    shown = [(f, r, k, c, v, zh if lang == "zh" else en, rel or "") for f, r, k, c, v, zh, en, _, rel in rows]
    return _table(shown, ["file", "row", "kind", "column", "value", "reason", "released"])
