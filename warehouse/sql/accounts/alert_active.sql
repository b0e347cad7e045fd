-- The active alerts (not cleared), oldest first.
SELECT id, key, kind, family, page, facts, since, cleared_at
FROM alert
WHERE cleared_at IS NULL
ORDER BY since, id;
