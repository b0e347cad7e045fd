-- Measuring instruments due for calibration within $horizon_days days of $as_of or already overdue, judged on
-- their latest calibration on or before $as_of (due again: next_due_on, else calibrated_on + interval_months,
-- as the calibration_overdue KPI reads it). days_left < 0: overdue. Most overdue first.
WITH latest AS (
    SELECT
        instrument,
        max(calibrated_on) AS calibrated_on,
        arg_max(coalesce(next_due_on, (calibrated_on + to_months(interval_months))::DATE), calibrated_on) AS next_due
    FROM instrument_calibration
    WHERE calibrated_on <= $as_of::DATE
    GROUP BY instrument
)
SELECT
    l.instrument,
    i.name,
    i.measures,
    l.calibrated_on,
    l.next_due,
    datediff('day', $as_of::DATE, l.next_due) AS days_left
FROM latest AS l
LEFT JOIN instrument AS i ON i.code = l.instrument
WHERE l.next_due <= $as_of::DATE + to_days($horizon_days::INTEGER)
ORDER BY days_left, l.instrument;
