-- Inspection and measuring equipment (表 5) with its calibration status on $as_of: the latest calibration on or
-- before that day (the view latest_calibration, as the calibration_overdue KPI reads it), when it is due again
-- and its result. Instruments without a calibration by then have NULLs.
WITH latest AS (
    SELECT instrument, calibrated_on, next_due_on AS next_due, result
    FROM latest_calibration
    WHERE calibrated_on <= $as_of::DATE AND (latest_until IS NULL OR latest_until > $as_of::DATE)
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
