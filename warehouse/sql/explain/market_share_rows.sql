-- The market figures behind a market share ($kpi) of the years [$start, $end) touches: company sales over market size.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row. Parameters: $kpi, $start, $end.
SELECT scope AS item, make_date(year, 12, 31) AS day, company_sales AS numerator, market_size AS denominator,
       NULL::INTEGER AS in_progress, source_file, source_row
FROM market_share
WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY) AND 'market_share_' || scope = $kpi
ORDER BY day
