-- Inspected lots by product family, by item and by supplier for the stages in $stages: lots, lots passed,
-- defects and sampled units over [$start, $end) and over the prior-year span [$prior_start, $prior_end).
-- One row per dimension ('family', 'item', 'supplier') and key; an unknown key is ''.
WITH lots AS (
    SELECT
        i.inspected_on >= $start::DATE AS current,
        coalesce(it.family, '') AS family,
        coalesce(i.item, '') AS item,
        coalesce(i.supplier, '') AS supplier,
        i.result = 'pass' AS passed,
        CASE WHEN i.sample_qty IS NOT NULL THEN i.defects END AS defects,
        CASE WHEN i.defects IS NOT NULL THEN i.sample_qty END AS sampled
    FROM inspection AS i
    LEFT JOIN item AS it ON it.code = i.item
    WHERE list_contains($stages::VARCHAR[], i.stage)
      AND ((i.inspected_on >= $start::DATE AND i.inspected_on < $end::DATE)
           OR (i.inspected_on >= $prior_start::DATE AND i.inspected_on < $prior_end::DATE))
),
grouped AS (
    SELECT
        CASE WHEN grouping(family) = 0 THEN 'family' WHEN grouping(item) = 0 THEN 'item' ELSE 'supplier' END AS dimension,
        coalesce(family, item, supplier) AS key,
        count(*) FILTER (WHERE current) AS lots,
        count(*) FILTER (WHERE current AND passed) AS lots_passed,
        coalesce(sum(defects) FILTER (WHERE current), 0) AS defects,
        coalesce(sum(sampled) FILTER (WHERE current), 0) AS sampled,
        count(*) FILTER (WHERE NOT current) AS prior_lots,
        count(*) FILTER (WHERE NOT current AND passed) AS prior_lots_passed
    FROM lots
    GROUP BY GROUPING SETS ((family), (item), (supplier))
)
SELECT
    g.dimension,
    g.key,
    CASE g.dimension WHEN 'item' THEN it.name WHEN 'supplier' THEN s.name END AS name,
    g.lots,
    g.lots_passed,
    100.0 * g.lots_passed / nullif(g.lots, 0) AS pass_rate,
    1e6 * g.defects / nullif(g.sampled, 0) AS ppm,
    g.prior_lots,
    100.0 * g.prior_lots_passed / nullif(g.prior_lots, 0) AS prior_pass_rate
FROM grouped AS g
LEFT JOIN item AS it ON g.dimension = 'item' AND it.code = g.key
LEFT JOIN supplier AS s ON g.dimension = 'supplier' AND s.code = g.key
ORDER BY g.dimension, g.lots DESC, g.key;
