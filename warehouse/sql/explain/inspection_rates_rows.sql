-- The lots behind an inspection KPI ($kpi) over [$start, $end), one row each, as kpi/inspection_rates counts them:
-- a pass rate counts every lot of its step (numerator: passed), a PPM the lots with defects and sampled units,
-- the airtightness first-pass rate the airtightness tests with a first-pass flag.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $kpi, $start, $end (exclusive).
WITH lots AS (
    SELECT id, inspected_on, result, defects, sample_qty, test_kind, first_pass, source_file, source_row,
           CASE stage WHEN 'IQC' THEN 'incoming' WHEN 'IPQC' THEN 'process' ELSE 'final' END AS step
    FROM inspection
    WHERE inspected_on >= $start::DATE AND inspected_on < $end::DATE
),
behind AS (
    SELECT step || '_inspection_pass_rate' AS kpi, id, inspected_on, coalesce((result = 'pass')::INTEGER, 0) AS numerator,
           1 AS denominator, source_file, source_row
    FROM lots
    UNION ALL
    SELECT step || '_inspection_ppm', id, inspected_on, defects, sample_qty, source_file, source_row
    FROM lots WHERE defects IS NOT NULL AND sample_qty IS NOT NULL
    UNION ALL
    SELECT 'airtightness_first_pass_rate', id, inspected_on, first_pass::INTEGER, 1, source_file, source_row
    FROM lots WHERE test_kind = 'airtightness' AND first_pass IS NOT NULL
)
SELECT id AS item, inspected_on AS day, numerator, denominator, NULL::INTEGER AS in_progress, source_file, source_row
FROM behind
WHERE kpi = $kpi
ORDER BY day, item
