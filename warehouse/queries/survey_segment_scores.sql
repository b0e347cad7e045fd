-- Average overall score and number of responses per customer segment ('' when unknown) in $year and the year
-- before. Responses from survey uploads that were undone do not count.
SELECT coalesce(segment, '') AS segment, survey_year AS year, avg(overall_score) AS score,
       count(overall_score) AS responses
FROM survey_response
WHERE survey_year IN ($year, $year - 1)
  AND (upload_batch IS NULL OR upload_batch NOT IN (SELECT id FROM upload_batch WHERE undone_at IS NOT NULL))
GROUP BY ALL
ORDER BY segment, year;
