-- Quality cost per cost item (成本科目) over [$start, $end), largest first, with its category and the cumulative
-- share of the period's quality cost (a Pareto). An item booked under two categories is listed under each.
-- Output: account, category, entries, amount (yuan), cumulative_share (%). Parameters: $start, $end (exclusive).
WITH items AS (
    SELECT account, category, count(*) AS entries, sum(amount) AS amount
    FROM quality_cost
    WHERE booked_on >= $start::DATE AND booked_on < $end::DATE
    GROUP BY ALL
)
SELECT account, category, entries, amount,
       100.0 * sum(amount) OVER (ORDER BY amount DESC, account, category ROWS UNBOUNDED PRECEDING)
           / nullif(sum(amount) OVER (), 0) AS cumulative_share
FROM items
ORDER BY amount DESC, account, category
