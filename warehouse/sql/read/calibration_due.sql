-- Measuring instruments whose latest calibration on or before $as_of (the view latest_calibration, as the
-- calibration_overdue KPI reads it) is overdue, due again within $horizon_days days of $as_of, or has no due
-- date (calibration_status); days_left < 0: overdue. Most overdue first.
WITH latest AS (
    SELECT instrument, calibrated_on, next_due_on, result
    FROM latest_calibration
    WHERE calibrated_on <= $as_of::DATE AND (latest_until IS NULL OR latest_until > $as_of::DATE)
)
SELECT
    l.instrument,
    i.name,
    i.measures,
    l.calibrated_on,
    l.result,
    l.next_due_on,
    datediff('day', $as_of::DATE, l.next_due_on) AS days_left,
    calibration_status(l.calibrated_on, l.next_due_on, l.result, $as_of, $horizon_days) AS calibration_status
FROM latest AS l
LEFT JOIN instrument AS i ON i.code = l.instrument
WHERE calibration_status(l.calibrated_on, l.next_due_on, l.result, $as_of, $horizon_days) IN ('overdue', 'no_due_date', 'due')
ORDER BY days_left NULLS FIRST, l.instrument;
