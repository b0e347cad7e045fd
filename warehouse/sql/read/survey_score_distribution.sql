-- Responses per overall-score band of $band points (band = its lower bound; 100 falls in the top band) in
-- $year and the year before. Responses from survey uploads that were undone do not count (the view
-- counted_survey_response).
SELECT least(floor(overall_score / $band) * $band, 100 - $band) AS band, survey_year AS year,
       count(*) AS responses
FROM counted_survey_response
WHERE survey_year IN ($year, $year - 1) AND overall_score IS NOT NULL
GROUP BY ALL
ORDER BY band, year;
