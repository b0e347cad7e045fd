-- The ledger entries (and, for quality_cost_rate, the sales months) behind a cost-of-quality figure ($kpi) of
-- [$start, $end), as warehouse/sql/kpi/quality_cost.sql counts them: quality_cost_total each entry's amount; a
-- category's share each entry's amount over the total, its own category's in the numerator; quality_cost_rate the
-- entries of the whole months with a sales figure in the numerator and those months' sales in the denominator.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row. Parameters: $kpi, $start, $end,
-- $today.
WITH entries AS (
    SELECT q.*, make_date(year(q.booked_on), month(q.booked_on), 1) AS first_day
    FROM quality_cost AS q
    WHERE q.booked_on >= $start::DATE AND q.booked_on < $end::DATE AND q.booked_on <= $today::DATE
),
rated AS (
    SELECT s.*
    FROM sales AS s
    WHERE s.month >= date_trunc('month', $start::DATE) AND s.month < $end::DATE AND s.month <= $today::DATE
      AND last_day(s.month) < $end::DATE
)
SELECT CASE WHEN voucher IS NULL THEN account ELSE voucher || ' ' || account END AS item, booked_on AS day,
       CASE WHEN $kpi::VARCHAR IN ('quality_cost_total', 'quality_cost_rate') THEN amount
            WHEN $kpi::VARCHAR = category || '_cost_share' THEN amount ELSE 0 END AS numerator,
       CASE WHEN $kpi::VARCHAR LIKE '%\_cost\_share' ESCAPE '\' THEN amount END AS denominator,
       NULL::INTEGER AS in_progress, source_file, source_row
FROM entries
WHERE $kpi::VARCHAR <> 'quality_cost_rate' OR first_day IN (SELECT month FROM rated)
UNION ALL
SELECT strftime(month, '%Y-%m') AS item, last_day(month) AS day, NULL AS numerator, amount AS denominator,
       NULL::INTEGER AS in_progress, source_file, source_row
FROM rated
WHERE $kpi::VARCHAR = 'quality_cost_rate'
ORDER BY day, item
