-- The instruments behind calibration_overdue over [$start, $end): those with a calibration on record at the span's
-- last month end (at $today in the current month), as kpi/calibration_overdue counts them; numerator 1 for the
-- overdue ones. Source: the latest calibration's row.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $start, $end (exclusive), $today.
WITH last_month AS (
    SELECT as_of FROM kpi_months($start, $end, $today) ORDER BY year DESC, month DESC LIMIT 1
)
SELECT l.instrument AS item, l.calibrated_on AS day,
       (calibration_status(l.calibrated_on, l.next_due_on, l.result, m.as_of, 0) = 'overdue')::INTEGER AS numerator,
       1 AS denominator, NULL::INTEGER AS in_progress, c.source_file, c.source_row
FROM last_month AS m
JOIN latest_calibration AS l ON l.calibrated_on <= m.as_of AND (l.latest_until IS NULL OR l.latest_until > m.as_of)
JOIN instrument_calibration AS c ON c.instrument = l.instrument AND c.calibrated_on = l.calibrated_on
ORDER BY numerator DESC, item
