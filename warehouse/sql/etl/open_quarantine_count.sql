SELECT count(*) FROM quarantine WHERE kind = $kind AND released_at IS NULL;
