-- Complaint KPIs per month of receipt, as of $today (the end of that day):
--   complaints_received       complaints received (a count; the denominator is 1 for each month up to
--                             $today when the complaint log holds anything - rows, or a loaded complaint
--                             file, even an empty one - and 0 otherwise, so an unloaded log is "no data")
--   complaint_handling_rate   complaints closed / complaints closed or open past their handling deadline
--                             ($handling_days after receipt); open ones inside it are in progress
--   warranty_fulfilment_rate  三包 repairs, replacements, refunds done / those done or promised and not done
--                             $warranty_days after receipt; promised ones inside that time are in progress
-- Output: kpi, year, month, numerator, denominator, in_progress.
-- Parameters: $start, $end (exclusive), $today, $handling_days, $warranty_days.
WITH logged AS (
    SELECT (EXISTS (SELECT 1 FROM complaint)
            OR EXISTS (SELECT 1 FROM source_file WHERE kind = 'complaint' AND status = 'loaded'))::INTEGER AS logged
),
judged AS (
    SELECT
        year(received_at) AS year,
        month(received_at) AS month,
        closed_at < $today::DATE + 1 AS closed,
        received_at + to_milliseconds(CAST($handling_days::DOUBLE * 86400000 AS BIGINT)) < $today::DATE + 1 AS handling_due,
        resolution IN ('repair', 'replace', 'refund') AS promised,
        resolution_done_at < $today::DATE + 1 AS fulfilled,
        received_at + to_milliseconds(CAST($warranty_days::DOUBLE * 86400000 AS BIGINT)) < $today::DATE + 1 AS warranty_due
    FROM complaint
    WHERE received_at >= $start::DATE AND received_at < $end::DATE
),
monthly AS (
    SELECT
        year, month,
        count(*) AS received,
        count(*) FILTER (WHERE closed) AS closed,
        count(*) FILTER (WHERE closed OR handling_due) AS handling_judged,
        count(*) FILTER (WHERE NOT coalesce(closed, false) AND NOT handling_due) AS handling_open,
        count(*) FILTER (WHERE promised AND fulfilled) AS fulfilled,
        count(*) FILTER (WHERE promised AND (fulfilled OR warranty_due)) AS warranty_judged,
        count(*) FILTER (WHERE promised AND NOT coalesce(fulfilled, false) AND NOT warranty_due) AS warranty_open
    FROM judged
    GROUP BY ALL
)
SELECT 'complaints_received' AS kpi, m.year, m.month, coalesce(c.received, 0) AS numerator, l.logged AS denominator,
       NULL::BIGINT AS in_progress
FROM kpi_months($start, $end, $today) AS m
CROSS JOIN logged AS l
LEFT JOIN monthly AS c ON c.year = m.year AND c.month = m.month
UNION ALL
SELECT 'complaint_handling_rate', year, month, closed, handling_judged, handling_open
FROM monthly
UNION ALL
SELECT 'warranty_fulfilment_rate', year, month, fulfilled, warranty_judged, warranty_open
FROM monthly
