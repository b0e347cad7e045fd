-- Inspection KPIs per month: for each step (incoming = IQC, process = IPQC, final = FQC and OQC)
-- the pass rate by lot (lots passed / lots inspected) and its unit-based PPM companion
-- (defects / sampled units, rows with both counts), and the airtightness first-pass rate
-- (airtightness tests passed at the first attempt / airtightness tests with a first-pass flag).
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive).
WITH monthly AS MATERIALIZED (
    SELECT
        year(inspected_on) AS year,
        month(inspected_on) AS month,
        CASE stage WHEN 'IQC' THEN 'incoming' WHEN 'IPQC' THEN 'process' ELSE 'final' END AS step,
        count(*) AS lots,
        count(*) FILTER (WHERE result = 'pass') AS lots_passed,
        coalesce(sum(defects) FILTER (WHERE sample_qty IS NOT NULL), 0) AS defects,
        coalesce(sum(sample_qty) FILTER (WHERE defects IS NOT NULL), 0) AS sampled,
        count(*) FILTER (WHERE test_kind = 'airtightness' AND first_pass) AS first_passes,
        count(*) FILTER (WHERE test_kind = 'airtightness' AND first_pass IS NOT NULL) AS airtightness_tests
    FROM inspection
    WHERE inspected_on >= $start::DATE AND inspected_on < $end::DATE
    GROUP BY ALL
)
SELECT step || '_inspection_pass_rate' AS kpi, year, month, lots_passed AS numerator, lots AS denominator
FROM monthly
UNION ALL
SELECT step || '_inspection_ppm', year, month, defects, sampled
FROM monthly
UNION ALL
SELECT 'airtightness_first_pass_rate', year, month, sum(first_passes), sum(airtightness_tests)
FROM monthly
GROUP BY year, month
