-- The columns of the warehouse table $name, in order; none when the file has no such table (a warehouse the next
-- write migrates may lack the newer ones).
SELECT c.column_name
FROM duckdb_columns() AS c
JOIN duckdb_tables() AS t ON t.table_oid = c.table_oid
WHERE t.table_name = $name AND NOT t.temporary
ORDER BY c.column_index;
