-- Failed validation checks of ETL run $run_id, errors first, then by how many values failed (at most $limit):
-- file, suite, expectation, column, severity, unexpected values.
SELECT file_name, suite, expectation, column_name, severity, unexpected_count
FROM validation_result
WHERE run_id = $run_id AND NOT success
ORDER BY severity = 'error' DESC, unexpected_count DESC NULLS LAST, file_name, expectation
LIMIT $limit;
