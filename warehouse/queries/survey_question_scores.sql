-- Average score and number of answers per survey question in $year and the year before. Answers from
-- survey uploads that were undone do not count.
SELECT a.question, a.survey_year AS year, avg(a.score) AS score, count(a.score) AS answers
FROM survey_answer AS a
JOIN survey_response AS r ON r.survey_year = a.survey_year AND r.response_id = a.response_id
WHERE a.survey_year IN ($year, $year - 1)
  AND (r.upload_batch IS NULL OR r.upload_batch NOT IN (SELECT id FROM upload_batch WHERE undone_at IS NOT NULL))
GROUP BY ALL
ORDER BY a.question, year;
