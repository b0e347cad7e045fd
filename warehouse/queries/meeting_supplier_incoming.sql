-- Incoming inspection (IQC) per supplier over [$start, $end) and over the prior-year span
-- [$prior_start, $prior_end): lots, lots passed and lot pass rate (%) in each, with the supplier's name and its
-- grade for $year. Suppliers with no lots in either span are left out.
WITH lots AS (
    SELECT supplier, inspected_on >= $start::DATE AS current, result = 'pass' AS passed
    FROM inspection
    WHERE stage = 'IQC' AND supplier IS NOT NULL
      AND ((inspected_on >= $start::DATE AND inspected_on < $end::DATE)
           OR (inspected_on >= $prior_start::DATE AND inspected_on < $prior_end::DATE))
),
counted AS (
    SELECT
        supplier,
        count(*) FILTER (WHERE current) AS lots,
        count(*) FILTER (WHERE current AND passed) AS lots_passed,
        count(*) FILTER (WHERE NOT current) AS prior_lots,
        count(*) FILTER (WHERE NOT current AND passed) AS prior_lots_passed
    FROM lots
    GROUP BY supplier
)
SELECT
    c.supplier,
    s.name,
    g.grade,
    c.lots,
    c.lots_passed,
    100.0 * c.lots_passed / nullif(c.lots, 0) AS pass_rate,
    c.prior_lots,
    c.prior_lots_passed,
    100.0 * c.prior_lots_passed / nullif(c.prior_lots, 0) AS prior_pass_rate
FROM counted AS c
LEFT JOIN supplier AS s ON s.code = c.supplier
LEFT JOIN supplier_grade AS g ON g.supplier = c.supplier AND g.year = $year
ORDER BY c.supplier;
