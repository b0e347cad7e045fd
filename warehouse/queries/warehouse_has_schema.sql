-- Whether the warehouse file holds the schema (its bookkeeping table etl_run exists).
SELECT count(*) > 0 AS has_schema
FROM duckdb_tables()
WHERE table_name = 'etl_run';
