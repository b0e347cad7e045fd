"""The DuckDB warehouse: schema migrations, snapshot-swap writes, read-only access, KPI definitions."""
