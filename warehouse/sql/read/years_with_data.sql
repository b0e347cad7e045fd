-- Years that hold inspections, complaints or survey responses, newest first.
SELECT DISTINCT y FROM (
    SELECT year(inspected_on) AS y FROM inspection
    UNION SELECT year(received_at) FROM complaint
    UNION SELECT survey_year FROM survey_response
) ORDER BY y DESC;
