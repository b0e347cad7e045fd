-- Complaint KPIs per month of receipt, as of $today (the end of that day; judged_complaints):
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
monthly AS (
    SELECT
        year(received_at) AS year, month(received_at) AS month,
        count(*) AS received,
        count(*) FILTER (WHERE handled) AS handled,
        count(*) FILTER (WHERE handling_judged) AS handling_judged,
        count(*) FILTER (WHERE handling_open) AS handling_open,
        count(*) FILTER (WHERE fulfilled) AS fulfilled,
        count(*) FILTER (WHERE warranty_judged) AS warranty_judged,
        count(*) FILTER (WHERE warranty_open) AS warranty_open
    FROM judged_complaints($start, $end, $today, $handling_days, $warranty_days)
    GROUP BY ALL
)
SELECT 'complaints_received' AS kpi, m.year, m.month, coalesce(c.received, 0) AS numerator, l.logged AS denominator,
       NULL::BIGINT AS in_progress
FROM kpi_months($start, $end, $today) AS m
CROSS JOIN logged AS l
LEFT JOIN monthly AS c ON c.year = m.year AND c.month = m.month
UNION ALL
SELECT 'complaint_handling_rate', year, month, handled, handling_judged, handling_open
FROM monthly
UNION ALL
SELECT 'warranty_fulfilment_rate', year, month, fulfilled, warranty_judged, warranty_open
FROM monthly
