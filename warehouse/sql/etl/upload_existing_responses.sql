-- How many of the uploaded responses (the registered table upload_keys) the warehouse holds already.
SELECT count(*)
FROM survey_response r
JOIN upload_keys k ON k.survey_year = r.survey_year AND k.response_id = r.response_id;
