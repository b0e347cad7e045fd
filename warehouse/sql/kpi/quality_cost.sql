-- Cost of quality (质量成本, GB/T 13339) per month: quality_cost_total (yuan: the ledger's entries, corrections
-- netted; the denominator is 1 for each month up to $today when the ledger holds anything, else 0, so "no cost"
-- and "no data" stay apart), the share of each category in the total (prevention_cost_share, appraisal_cost_share,
-- internal_failure_cost_share, external_failure_cost_share: category / total × 100) and quality_cost_rate
-- (quality cost / sales × 100), which counts only the whole months of the span that have a sales figure: a month
-- still running, or one whose sales are not loaded yet, is in neither its numerator nor its denominator.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
WITH logged AS (
    SELECT (EXISTS (SELECT 1 FROM quality_cost)
            OR EXISTS (SELECT 1 FROM source_file WHERE kind = 'quality_cost' AND status = 'loaded'))::INTEGER AS logged
),
categories (kpi, category) AS (
    VALUES ('prevention_cost_share', 'prevention'),
           ('appraisal_cost_share', 'appraisal'),
           ('internal_failure_cost_share', 'internal_failure'),
           ('external_failure_cost_share', 'external_failure')
),
booked AS (
    SELECT year(booked_on) AS year, month(booked_on) AS month, category, sum(amount) AS amount
    FROM quality_cost
    WHERE booked_on >= $start::DATE AND booked_on < $end::DATE
    GROUP BY ALL
),
months AS (
    SELECT m.year, m.month, l.logged, coalesce(sum(b.amount), 0) AS total,
           make_date(m.year, m.month, 1) AS first_day
    FROM kpi_months($start, $end, $today) AS m
    CROSS JOIN logged AS l
    LEFT JOIN booked AS b ON b.year = m.year AND b.month = m.month
    GROUP BY ALL
),
rated AS (  -- the whole months of the span with a sales figure
    SELECT m.year, m.month, m.total, s.amount AS sales
    FROM months AS m
    JOIN sales AS s ON s.month = m.first_day
    WHERE last_day(m.first_day) < $end::DATE
)
SELECT 'quality_cost_total' AS kpi, year, month, total AS numerator, logged AS denominator FROM months
UNION ALL
SELECT c.kpi, m.year, m.month, coalesce(b.amount, 0) AS numerator, m.total AS denominator
FROM months AS m
CROSS JOIN categories AS c
LEFT JOIN booked AS b ON b.year = m.year AND b.month = m.month AND b.category = c.category
UNION ALL
SELECT 'quality_cost_rate' AS kpi, m.year, m.month, coalesce(r.total, 0) AS numerator,
       coalesce(r.sales, 0) AS denominator
FROM months AS m
LEFT JOIN rated AS r ON r.year = m.year AND r.month = m.month
