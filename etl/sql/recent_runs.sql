SELECT id, command, started_at, finished_at, status, summary
FROM etl_run
ORDER BY id DESC
LIMIT $limit;
