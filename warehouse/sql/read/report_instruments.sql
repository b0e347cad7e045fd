-- Inspection and measuring equipment (表 5) with its calibration status on $as_of: the latest calibration on or
-- before that day (the view latest_calibration, as the calibration_overdue KPI reads it), when it is due again
-- and its result, and its status (calibration_status). Instruments without a calibration by then have NULLs.
WITH latest AS (
    SELECT instrument, calibrated_on, next_due_on AS next_due, result
    FROM latest_calibration
    WHERE calibrated_on <= $as_of::DATE AND (latest_until IS NULL OR latest_until > $as_of::DATE)
)
SELECT i.code, i.name, i.measures, i.origin, i.level, l.calibrated_on, l.next_due, l.result,
       calibration_status(l.calibrated_on, l.next_due, l.result, $as_of, 0) AS status
FROM instrument AS i
LEFT JOIN latest AS l ON l.instrument = i.code
ORDER BY i.code;
