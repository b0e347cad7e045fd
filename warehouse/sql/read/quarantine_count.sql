-- Quarantined rows: still held back, and released by a fixed file later.
SELECT count(*) FILTER (WHERE released_at IS NULL) AS held, count(*) FILTER (WHERE released_at IS NOT NULL) AS released
FROM quarantine;
