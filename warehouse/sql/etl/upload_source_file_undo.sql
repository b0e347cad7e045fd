-- The file no longer counts as loaded, so the same file can be uploaded again.
UPDATE source_file
SET status = 'undone'
WHERE hash = $hash;
