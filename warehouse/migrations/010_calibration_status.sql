-- An instrument's calibration status on as_of, from its latest calibration on or before that day (the view
-- latest_calibration): the one rule the overdue KPI, the improvement page, the meeting and the report table ask.
--   none         no calibration on record by then
--   overdue      due again before as_of
--   failed       the latest calibration failed;  limited: it allows limited use only
--   no_due_date  neither a due date nor an interval is recorded: it cannot be called valid, nor overdue
--   due          due again within horizon_days of as_of
--   valid        otherwise
CREATE MACRO calibration_status(calibrated_on, next_due_on, result, as_of, horizon_days) AS
    CASE WHEN calibrated_on IS NULL THEN 'none'
         WHEN next_due_on < as_of::DATE THEN 'overdue'
         WHEN result = 'fail' THEN 'failed'
         WHEN result = 'limited' THEN 'limited'
         WHEN next_due_on IS NULL THEN 'no_due_date'
         WHEN next_due_on <= as_of::DATE + to_days(horizon_days::INTEGER) THEN 'due'
         ELSE 'valid' END;
