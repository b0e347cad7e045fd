-- Customer and supplier satisfaction per survey year (yearly: month is NULL), an average of 0-100 scores:
-- numerator = sum of the scores, denominator = number of scores. Survey uploads that were undone do not count.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive): the years they touch.
SELECT 'customer_satisfaction' AS kpi, survey_year AS year, NULL::INTEGER AS month,
       sum(overall_score) AS numerator, count(overall_score) AS denominator
FROM survey_response
WHERE survey_year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
  AND (upload_batch IS NULL OR upload_batch NOT IN (SELECT id FROM upload_batch WHERE undone_at IS NOT NULL))
GROUP BY survey_year
UNION ALL
SELECT 'supplier_satisfaction', year, NULL::INTEGER, sum(satisfaction), count(satisfaction)
FROM supplier_survey
WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
GROUP BY year
