-- Every upload batch, newest first.
SELECT id, kind, file_hash, file_name, uploaded_by, uploaded_at, rows, undone_at, undone_by
FROM upload_batch
ORDER BY uploaded_at DESC, id DESC;
