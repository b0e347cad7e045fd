-- Rows quarantined earlier are released when a file brings a good version of the same natural key.
UPDATE quarantine
SET released_at = current_localtimestamp(), released_by_file = $file
WHERE kind = $kind AND released_at IS NULL
  AND row_key IN (SELECT row_key FROM staged_keys);
