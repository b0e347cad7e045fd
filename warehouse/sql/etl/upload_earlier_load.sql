-- The load of a file with this content that still counts (not refused, not undone): its upload batch when it
-- was uploaded, else the file as the ETL loaded it.
SELECT b.id, coalesce(b.file_name, f.name), coalesce(b.uploaded_at, f.loaded_at), b.uploaded_by
FROM source_file f
LEFT JOIN upload_batch b ON b.file_hash = f.hash AND b.undone_at IS NULL
WHERE f.hash = $hash AND f.status = 'loaded'
ORDER BY b.uploaded_at DESC NULLS LAST
LIMIT 1;
