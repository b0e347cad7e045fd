-- Quality cost per month and category (GB/T 13339) over [$start, $end), corrections netted: the stacked bars of the
-- cost-of-quality page and the meeting, and prevention + appraisal against failure cost over time.
-- Output: year, month, category, amount (yuan). Parameters: $start, $end (exclusive).
SELECT year(booked_on) AS year, month(booked_on) AS month, category, sum(amount) AS amount
FROM quality_cost
WHERE booked_on >= $start::DATE AND booked_on < $end::DATE
GROUP BY ALL
ORDER BY year, month, category
