-- Mark an upload batch undone.
UPDATE upload_batch
SET undone_at = $now, undone_by = $actor
WHERE id = $id;
