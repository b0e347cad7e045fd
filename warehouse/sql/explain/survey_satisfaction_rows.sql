-- The survey scores behind customer_satisfaction or supplier_satisfaction ($kpi) of the years [$start, $end)
-- touches, one row per counted response with a score (numerator: the score, denominator 1).
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row. Parameters: $kpi, $start, $end.
SELECT * FROM (
    SELECT response_id AS item, make_date(survey_year, 12, 31) AS day, overall_score AS numerator, 1 AS denominator,
           NULL::INTEGER AS in_progress, source_file, source_row
    FROM counted_survey_response
    WHERE $kpi::VARCHAR = 'customer_satisfaction' AND overall_score IS NOT NULL
      AND survey_year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
    UNION ALL
    SELECT supplier, make_date(year, 12, 31), satisfaction, 1, NULL, source_file, source_row
    FROM supplier_survey
    WHERE $kpi::VARCHAR = 'supplier_satisfaction'
      AND year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
)
ORDER BY day, item
