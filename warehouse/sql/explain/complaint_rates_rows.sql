-- The complaints behind a complaint KPI ($kpi) received in [$start, $end), as of $today, one row each, as
-- kpi/complaint_rates counts them: complaints_received every complaint; complaint_handling_rate closed (numerator)
-- of closed or past $handling_days (denominator), open inside them in progress; warranty_fulfilment_rate the same
-- for the promised 三包 repairs, replacements and refunds and $warranty_days.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $kpi, $start, $end (exclusive), $today, $handling_days, $warranty_days.
WITH judged AS (
    SELECT id, received_at, source_file, source_row,
           coalesce(closed_at < $today::DATE + 1, false) AS closed,
           received_at + to_milliseconds(CAST($handling_days::DOUBLE * 86400000 AS BIGINT)) < $today::DATE + 1
               AS handling_due,
           resolution IN ('repair', 'replace', 'refund') AS promised,
           coalesce(resolution_done_at < $today::DATE + 1, false) AS fulfilled,
           received_at + to_milliseconds(CAST($warranty_days::DOUBLE * 86400000 AS BIGINT)) < $today::DATE + 1
               AS warranty_due
    FROM complaint
    WHERE received_at >= $start::DATE AND received_at < $end::DATE
),
behind AS (
    SELECT 'complaints_received' AS kpi, id, received_at, 1 AS numerator, NULL::INTEGER AS denominator,
           NULL::INTEGER AS in_progress, source_file, source_row
    FROM judged
    UNION ALL
    SELECT 'complaint_handling_rate', id, received_at, closed::INTEGER, (closed OR handling_due)::INTEGER,
           (NOT closed AND NOT handling_due)::INTEGER, source_file, source_row
    FROM judged
    UNION ALL
    SELECT 'warranty_fulfilment_rate', id, received_at, fulfilled::INTEGER, (fulfilled OR warranty_due)::INTEGER,
           (NOT fulfilled AND NOT warranty_due)::INTEGER, source_file, source_row
    FROM judged WHERE promised
)
SELECT id AS item, received_at AS day, numerator, denominator, in_progress, source_file, source_row
FROM behind
WHERE kpi = $kpi
ORDER BY day, item
