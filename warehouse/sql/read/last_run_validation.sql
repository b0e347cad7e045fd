-- The newest ETL run with its validation outcome: checks run, checks failed (errors and warnings),
-- files refused and rows it quarantined that are still held back.
SELECT
    r.id,
    r.command,
    r.started_at,
    r.finished_at,
    r.status,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = r.id) AS checks,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = r.id AND NOT v.success AND v.severity = 'error') AS errors,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = r.id AND NOT v.success AND v.severity <> 'error') AS warnings,
    (SELECT count(*) FROM source_file AS f WHERE f.run_id = r.id AND f.status = 'refused') AS files_refused,
    (SELECT count(*) FROM quarantine AS q WHERE q.run_id = r.id AND q.released_at IS NULL) AS rows_quarantined
FROM etl_run AS r
ORDER BY r.id DESC
LIMIT 1;
