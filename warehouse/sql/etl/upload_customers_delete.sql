-- Customers first registered by the file that nothing refers to any more (run after upload_responses_delete).
DELETE FROM customer
WHERE registered_by_etl AND source_file = $hash
  AND code NOT IN (SELECT customer FROM survey_response WHERE customer IS NOT NULL)
  AND code NOT IN (SELECT customer FROM complaint WHERE customer IS NOT NULL);
