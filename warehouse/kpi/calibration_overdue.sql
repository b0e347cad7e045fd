-- Measuring instruments overdue for calibration at the end of each month (at $today in the current month):
-- those whose latest calibration on or before that day was due again before it (next_due_on, else
-- calibrated_on + interval_months). A level, not a flow: numerator = overdue instruments, denominator =
-- instruments with a calibration on record by then. Months after $today have no row.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
WITH months AS (
    SELECT year(m) AS year, month(m) AS month, least(last_day(m), $today::DATE) AS as_of
    FROM range(date_trunc('month', $start::DATE), $end::DATE, INTERVAL 1 MONTH) AS t(m)
    WHERE m <= $today::DATE
),
latest AS (
    SELECT m.year, m.month, m.as_of, c.instrument,
           arg_max(coalesce(c.next_due_on, (c.calibrated_on + to_months(c.interval_months))::DATE),
                   c.calibrated_on) AS next_due
    FROM months AS m
    JOIN instrument_calibration AS c ON c.calibrated_on <= m.as_of
    GROUP BY ALL
)
SELECT 'calibration_overdue' AS kpi, year, month,
       count(*) FILTER (WHERE next_due < as_of) AS numerator, count(*) AS denominator
FROM latest
GROUP BY year, month
