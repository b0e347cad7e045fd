-- Complaint KPIs per month of receipt:
--   complaints_received       complaints received (a count; the denominator is 1 for each month up to
--                             $today when the complaint log holds anything - rows, or a loaded complaint
--                             file, even an empty one - and 0 otherwise, so an unloaded log is "no data")
--   complaint_handling_rate   complaints closed / complaints received
--   warranty_fulfilment_rate  三包 repairs, replacements, refunds done / promised
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
WITH logged AS (
    SELECT (EXISTS (SELECT 1 FROM complaint)
            OR EXISTS (SELECT 1 FROM source_file WHERE kind = 'complaint' AND status = 'loaded'))::INTEGER AS logged
),
monthly AS (
    SELECT
        year(received_at) AS year,
        month(received_at) AS month,
        count(*) AS received,
        count(closed_at) AS closed,
        count(*) FILTER (WHERE resolution IN ('repair', 'replace', 'refund')) AS promised,
        count(*) FILTER (WHERE resolution IN ('repair', 'replace', 'refund') AND resolution_done_at IS NOT NULL) AS fulfilled
    FROM complaint
    WHERE received_at >= $start::DATE AND received_at < $end::DATE
    GROUP BY ALL
)
SELECT 'complaints_received' AS kpi, m.year, m.month, coalesce(c.received, 0) AS numerator, l.logged AS denominator
FROM kpi_months($start, $end, $today) AS m
CROSS JOIN logged AS l
LEFT JOIN monthly AS c ON c.year = m.year AND c.month = m.month
UNION ALL
SELECT 'complaint_handling_rate', year, month, closed, received
FROM monthly
UNION ALL
SELECT 'warranty_fulfilment_rate', year, month, fulfilled, promised
FROM monthly
