-- The rows the file had quarantined: moot once the upload is undone.
DELETE FROM quarantine
WHERE file_hash = $hash;
