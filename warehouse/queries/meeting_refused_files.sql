-- The $limit files refused last, newest first: when, file name, kind and why (English and Chinese message).
SELECT loaded_at, name, kind, message, message_zh
FROM source_file
WHERE status = 'refused'
ORDER BY loaded_at DESC, name
LIMIT $limit;
