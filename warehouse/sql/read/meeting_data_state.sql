-- The warehouse's data state, one row (none before the first run): the newest ETL run (id, command, when it
-- finished, status), whether any run built the demo, files it read and refused, files refused in all runs,
-- rows still quarantined (all runs), and that run's validation checks: run, failed errors, failed warnings.
WITH last AS (
    SELECT id, command, finished_at, status FROM etl_run ORDER BY id DESC LIMIT 1
)
SELECT
    l.id AS run_id,
    l.command,
    l.finished_at,
    l.status,
    (SELECT coalesce(bool_or(command = 'demo'), false) FROM etl_run) AS demo,
    (SELECT count(*) FROM source_file AS f WHERE f.run_id = l.id) AS files,
    (SELECT count(*) FROM source_file AS f WHERE f.run_id = l.id AND f.status = 'refused') AS files_refused,
    (SELECT count(*) FROM source_file AS f WHERE f.status = 'refused') AS files_refused_all,
    (SELECT count(*) FROM quarantine AS q WHERE q.released_at IS NULL) AS rows_quarantined,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = l.id) AS checks,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = l.id AND NOT v.success AND v.severity = 'error') AS errors,
    (SELECT count(*) FROM validation_result AS v WHERE v.run_id = l.id AND NOT v.success AND v.severity <> 'error') AS warnings
FROM last AS l;
