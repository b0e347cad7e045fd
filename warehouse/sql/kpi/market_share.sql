-- National and provincial market share per year (yearly: month is NULL): company sales / market size.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive): the years they touch.
SELECT 'market_share_' || scope AS kpi, year, NULL::INTEGER AS month,
       company_sales AS numerator, market_size AS denominator
FROM market_share
WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
