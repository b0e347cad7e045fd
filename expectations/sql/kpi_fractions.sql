-- Numerator and denominator of every ratio KPI, per KPI and year (docs/kpi-definitions.md).
-- A numerator above its denominator means a definition or the data is wrong. One scan of inspection.
WITH inspected AS (
    SELECT stage,
           year(inspected_on) AS year,
           count(*) AS lots,
           count(*) FILTER (WHERE result = 'pass') AS passed,
           sum(defects) FILTER (WHERE defects IS NOT NULL AND sample_qty IS NOT NULL) AS defects,
           sum(sample_qty) FILTER (WHERE defects IS NOT NULL AND sample_qty IS NOT NULL) AS sampled,
           count(*) FILTER (WHERE test_kind = 'airtightness' AND first_pass) AS airtight_first,
           count(*) FILTER (WHERE test_kind = 'airtightness' AND first_pass IS NOT NULL) AS airtight_tested
    FROM inspection
    GROUP BY ALL
)
SELECT 'lots_passed_' || stage AS fraction, year, passed AS numerator, lots AS denominator FROM inspected
UNION ALL
SELECT 'defects_per_sampled_unit_' || stage, year, defects, sampled FROM inspected WHERE sampled IS NOT NULL
UNION ALL
SELECT 'airtightness_first_pass', year, sum(airtight_first), sum(airtight_tested) FROM inspected GROUP BY year
UNION ALL
SELECT 'complaints_closed', year(received_at), count(closed_at), count(*) FROM complaint GROUP BY ALL
UNION ALL
SELECT 'warranty_fulfilled', year(received_at), count(resolution_done_at), count(*)
FROM complaint WHERE resolution IN ('repair', 'replace', 'refund') GROUP BY ALL
UNION ALL
SELECT 'market_share_' || scope, year, company_sales, market_size FROM market_share
UNION ALL
SELECT 'capa_implemented_on_time', year(due_on), count(*) FILTER (WHERE implemented_on <= due_on), count(*)
FROM corrective_action WHERE due_on IS NOT NULL GROUP BY ALL
ORDER BY fraction, year
