-- The $limit files loaded or refused last (NULL: all), newest first; only those of status $status when it is given
-- (loaded, refused, undone). Per file: kind, format, encoding, rows read, loaded and quarantined, rows of its kind
-- inserted, updated, left unchanged and deleted, status, the message of a refusal (English and Chinese), the run
-- and the content hash.
SELECT loaded_at, name, kind, format, encoding, rows, rows_loaded, rows_quarantined, status, message, run_id, hash,
       rows_inserted, rows_updated, rows_unchanged, rows_deleted, message_zh
FROM source_file
WHERE $status::VARCHAR IS NULL OR status = $status::VARCHAR
ORDER BY loaded_at DESC, name
LIMIT $limit;
