-- One upload batch.
SELECT id, kind, file_hash, file_name, uploaded_by, uploaded_at, rows, undone_at, undone_by
FROM upload_batch
WHERE id = $id;
