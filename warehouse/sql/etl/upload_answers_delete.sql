-- The answers of the responses that still carry the batch (run before upload_responses_delete).
DELETE FROM survey_answer a
USING survey_response r
WHERE r.upload_batch = $batch AND a.survey_year = r.survey_year AND a.response_id = r.response_id;
