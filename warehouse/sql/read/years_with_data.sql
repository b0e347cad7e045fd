-- Years that hold inspections, complaints, survey responses or quality-cost entries, newest first.
SELECT DISTINCT y FROM (
    SELECT year(inspected_on) AS y FROM inspection
    UNION SELECT year(received_at) FROM complaint
    UNION SELECT survey_year FROM survey_response
    UNION SELECT year(booked_on) FROM quality_cost
) ORDER BY y DESC;
