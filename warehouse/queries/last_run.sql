-- The newest ETL run: when it finished and how it ended.
SELECT finished_at, status FROM etl_run ORDER BY id DESC LIMIT 1;
