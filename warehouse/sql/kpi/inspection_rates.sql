-- Inspection KPIs per month: for each step (incoming = IQC, process = IPQC, final = FQC and OQC)
-- the pass rate by lot (lots passed / lots inspected) and its unit-based PPM companion
-- (defects / sampled units, rows with both counts), and the airtightness first-pass rate
-- (airtightness tests passed at the first attempt / airtightness tests with a first-pass flag).
-- $by breaks the figures down: NULL for none, else 'family' (the item's product family), 'item' or 'supplier';
-- the key of a row without one is ''.
-- Output: kpi, year, month, numerator, denominator, key. Parameters: $start, $end (exclusive), $by.
WITH monthly AS MATERIALIZED (
    SELECT
        year(i.inspected_on) AS year,
        month(i.inspected_on) AS month,
        CASE $by::VARCHAR
            WHEN 'family' THEN coalesce(it.family, '')
            WHEN 'item' THEN coalesce(i.item, '')
            WHEN 'supplier' THEN coalesce(i.supplier, '')
        END AS key,
        CASE i.stage WHEN 'IQC' THEN 'incoming' WHEN 'IPQC' THEN 'process' ELSE 'final' END AS step,
        count(*) AS lots,
        count(*) FILTER (WHERE i.result = 'pass') AS lots_passed,
        coalesce(sum(i.defects) FILTER (WHERE i.sample_qty IS NOT NULL), 0) AS defects,
        coalesce(sum(i.sample_qty) FILTER (WHERE i.defects IS NOT NULL), 0) AS sampled,
        count(*) FILTER (WHERE i.test_kind = 'airtightness' AND i.first_pass) AS first_passes,
        count(*) FILTER (WHERE i.test_kind = 'airtightness' AND i.first_pass IS NOT NULL) AS airtightness_tests
    FROM inspection AS i
    LEFT JOIN item AS it ON $by::VARCHAR = 'family' AND it.code = i.item
    WHERE i.inspected_on >= $start::DATE AND i.inspected_on < $end::DATE
    GROUP BY ALL
)
SELECT step || '_inspection_pass_rate' AS kpi, year, month, lots_passed AS numerator, lots AS denominator, key
FROM monthly
UNION ALL
SELECT step || '_inspection_ppm', year, month, defects, sampled, key
FROM monthly
UNION ALL
SELECT 'airtightness_first_pass_rate', year, month, sum(first_passes), sum(airtightness_tests), key
FROM monthly
GROUP BY year, month, key
