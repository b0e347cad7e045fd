SELECT name, kind, status, rows, rows_loaded, rows_quarantined, rows_inserted, rows_updated, rows_unchanged,
       rows_deleted, loaded_at, left(hash, 12) AS hash, message
FROM source_file
ORDER BY loaded_at DESC, name
LIMIT $limit;
