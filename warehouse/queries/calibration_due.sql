-- Measuring instruments whose latest calibration on or before $as_of is due again within $horizon_days days of
-- $as_of, already overdue, or has no due date (next_due_on, else calibrated_on + interval_months, as the
-- calibration_overdue KPI reads it); days_left < 0: overdue. Most overdue first.
WITH latest AS (
    SELECT
        instrument,
        max(calibrated_on) AS calibrated_on,
        arg_max(coalesce(next_due_on, (calibrated_on + to_months(interval_months))::DATE), calibrated_on) AS next_due_on,
        arg_max(result, calibrated_on) AS result
    FROM instrument_calibration
    WHERE calibrated_on <= $as_of::DATE
    GROUP BY instrument
)
SELECT
    l.instrument,
    i.name,
    i.measures,
    l.calibrated_on,
    l.result,
    l.next_due_on,
    datediff('day', $as_of::DATE, l.next_due_on) AS days_left
FROM latest AS l
LEFT JOIN instrument AS i ON i.code = l.instrument
WHERE l.next_due_on IS NULL OR l.next_due_on <= $as_of::DATE + to_days($horizon_days::INTEGER)
ORDER BY days_left NULLS FIRST, l.instrument;
