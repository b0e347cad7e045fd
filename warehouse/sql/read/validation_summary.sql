-- Validation results per suite over all runs: checks run, passed, failed errors and failed warnings.
SELECT
    suite,
    count(*) AS checks,
    count(*) FILTER (WHERE success) AS passed,
    count(*) FILTER (WHERE NOT success AND severity = 'error') AS errors,
    count(*) FILTER (WHERE NOT success AND severity <> 'error') AS warnings,
    max(run_id) AS last_run
FROM validation_result
GROUP BY suite
ORDER BY errors + warnings DESC, suite;
