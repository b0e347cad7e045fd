-- The warehouse's tables, by name.
SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name;
