-- Measuring instruments overdue for calibration at the end of each month (at $today in the current month):
-- those whose latest calibration on or before that day was due again before it (calibration_status 'overdue').
-- A level, not a flow: numerator = overdue instruments, denominator = instruments with a calibration on record
-- by then. Months after $today have no row.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
SELECT 'calibration_overdue' AS kpi, m.year, m.month,
       count(*) FILTER (WHERE calibration_status(l.calibrated_on, l.next_due_on, l.result, m.as_of, 0) = 'overdue')
           AS numerator, count(*) AS denominator
FROM kpi_months($start, $end, $today) AS m
JOIN latest_calibration AS l ON l.calibrated_on <= m.as_of AND (l.latest_until IS NULL OR l.latest_until > m.as_of)
GROUP BY m.year, m.month
