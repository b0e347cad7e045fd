-- Responses per overall-score band of $band points (band = its lower bound; 100 falls in the top band) in
-- $year and the year before. Responses from survey uploads that were undone do not count.
SELECT least(floor(overall_score / $band) * $band, 100 - $band) AS band, survey_year AS year,
       count(*) AS responses
FROM survey_response
WHERE survey_year IN ($year, $year - 1) AND overall_score IS NOT NULL
  AND (upload_batch IS NULL OR upload_batch NOT IN (SELECT id FROM upload_batch WHERE undone_at IS NOT NULL))
GROUP BY ALL
ORDER BY band, year;
