-- A new upload batch.
INSERT INTO upload_batch (id, kind, file_hash, file_name, uploaded_by, uploaded_at, rows)
VALUES ($id, $kind, $file_hash, $file_name, $uploaded_by, $uploaded_at, $rows);
