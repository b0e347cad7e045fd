-- Inspection and measuring equipment (表 5) with its calibration status on $as_of: the latest calibration on or
-- before that day, when it is due again (next_due_on, else calibrated_on + interval_months, as the
-- calibration_overdue KPI reads it) and its result. Instruments without a calibration by then have NULLs.
WITH latest AS (
    SELECT instrument,
           max(calibrated_on) AS calibrated_on,
           arg_max(coalesce(next_due_on, (calibrated_on + to_months(interval_months))::DATE), calibrated_on) AS next_due,
           arg_max(result, calibrated_on) AS result
    FROM instrument_calibration
    WHERE calibrated_on <= $as_of::DATE
    GROUP BY instrument
)
SELECT i.code, i.name, i.measures, i.origin, i.level, l.calibrated_on, l.next_due, l.result,
       CASE WHEN l.calibrated_on IS NULL THEN 'none'
            WHEN l.next_due < $as_of::DATE THEN 'overdue'
            WHEN l.result = 'fail' THEN 'failed'
            WHEN l.result = 'limited' THEN 'limited'
            ELSE 'valid' END AS status
FROM instrument AS i
LEFT JOIN latest AS l ON l.instrument = i.code
ORDER BY i.code;
