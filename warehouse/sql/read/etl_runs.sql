-- The newest $limit ETL runs with their validation outcome (checks, failed checks), quarantined rows and the
-- summary the run wrote (JSON counts).
SELECT
    r.id,
    r.command,
    r.actor,
    r.started_at,
    r.finished_at,
    r.status,
    (SELECT count(*) FROM source_file AS f WHERE f.run_id = r.id) AS files,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = r.id) AS checks,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = r.id AND NOT v.success) AS checks_failed,
    (SELECT count(*) FROM quarantine AS q WHERE q.run_id = r.id) AS rows_quarantined,
    r.summary
FROM etl_run AS r
ORDER BY r.id DESC
LIMIT $limit;
