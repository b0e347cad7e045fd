-- The supplier grades behind a grade KPI ($kpi) of the years [$start, $end) touches, one row per supplier and year:
-- numerator 1 for a grade the KPI counts (every grade for suppliers_total), denominator 1.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row. Parameters: $kpi, $start, $end.
SELECT supplier AS item, make_date(year, 12, 31) AS day,
       CASE $kpi::VARCHAR WHEN 'suppliers_total' THEN 1
                          WHEN 'suppliers_grade_b' THEN (grade = 'B')::INTEGER
                          WHEN 'suppliers_grade_c' THEN (grade = 'C')::INTEGER
                          ELSE (grade = 'A')::INTEGER END AS numerator,
       1 AS denominator, NULL::INTEGER AS in_progress, source_file, source_row
FROM supplier_grade
WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
ORDER BY day, numerator DESC, item
