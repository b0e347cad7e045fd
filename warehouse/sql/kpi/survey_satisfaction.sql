-- Customer and supplier satisfaction per survey year (yearly: month is NULL), an average of 0-100 scores:
-- numerator = sum of the scores, denominator = number of scores. Survey uploads that were undone do not count
-- (the view counted_survey_response).
-- $by = 'segment' breaks customer satisfaction down by customer segment ('' when unknown); otherwise key is NULL.
-- Output: kpi, year, month, numerator, denominator, key. Parameters: $start, $end (exclusive): the years they
-- touch; $by.
SELECT 'customer_satisfaction' AS kpi, survey_year AS year, NULL::INTEGER AS month,
       sum(overall_score) AS numerator, count(overall_score) AS denominator,
       CASE WHEN $by::VARCHAR = 'segment' THEN coalesce(segment, '') END AS key
FROM counted_survey_response
WHERE survey_year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
GROUP BY ALL
UNION ALL
SELECT 'supplier_satisfaction', year, NULL::INTEGER, sum(satisfaction), count(satisfaction), NULL::VARCHAR
FROM supplier_survey
WHERE year BETWEEN year($start::DATE) AND year($end::DATE - INTERVAL 1 DAY)
GROUP BY year
