-- The responses that carry the batch; returns how many.
DELETE FROM survey_response
WHERE upload_batch = $batch
RETURNING response_id;
