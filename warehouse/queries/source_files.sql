-- The $limit files loaded or refused last, newest first: kind, format, encoding, rows read, loaded and
-- quarantined, status and the message of a refusal.
SELECT loaded_at, name, kind, format, encoding, rows, rows_loaded, rows_quarantined, status, message, run_id, hash
FROM source_file
ORDER BY loaded_at DESC, name
LIMIT $limit;
