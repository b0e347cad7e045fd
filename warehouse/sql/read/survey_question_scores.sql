-- Average score and number of answers per survey question in $year and the year before. Answers from
-- survey uploads that were undone do not count (the view counted_survey_response).
SELECT a.question, a.survey_year AS year, avg(a.score) AS score, count(a.score) AS answers
FROM survey_answer AS a
JOIN counted_survey_response AS r ON r.survey_year = a.survey_year AND r.response_id = a.response_id
WHERE a.survey_year IN ($year, $year - 1)
GROUP BY ALL
ORDER BY a.question, year;
