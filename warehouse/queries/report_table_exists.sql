-- Whether the warehouse has table $name (a warehouse not migrated to 003 yet has no report tables).
SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = $name AND NOT temporary;
