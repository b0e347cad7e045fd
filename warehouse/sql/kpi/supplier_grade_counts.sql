-- Supplier grade mix per year (yearly: month is NULL): suppliers graded A, B, C and in total, each over the
-- total; suppliers_grade_a_share is the A count over the total, computed from the counts (never the printed share).
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive): the years they touch.
WITH yearly AS (
    SELECT
        year,
        count(*) AS total,
        count(*) FILTER (WHERE grade = 'A') AS grade_a,
        count(*) FILTER (WHERE grade = 'B') AS grade_b,
        count(*) FILTER (WHERE grade = 'C') AS grade_c
    FROM supplier_grade
    WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
    GROUP BY year
)
SELECT 'suppliers_grade_a' AS kpi, year, NULL::INTEGER AS month, grade_a AS numerator, total AS denominator FROM yearly
UNION ALL SELECT 'suppliers_grade_b', year, NULL, grade_b, total FROM yearly
UNION ALL SELECT 'suppliers_grade_c', year, NULL, grade_c, total FROM yearly
UNION ALL SELECT 'suppliers_total', year, NULL, total, total FROM yearly
UNION ALL SELECT 'suppliers_grade_a_share', year, NULL, grade_a, total FROM yearly
