-- Failed validation checks, newest run first (at most $limit): file, suite, expectation, column, severity,
-- observed value and how many values were unexpected.
SELECT run_id, file_name, suite, expectation, column_name, severity, observed_value, unexpected_count
FROM validation_result
WHERE NOT success
ORDER BY run_id DESC, file_name, suite, expectation
LIMIT $limit;
