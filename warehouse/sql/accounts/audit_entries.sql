-- The newest $limit audit entries, since $since when given.
SELECT logged_at, actor, action, detail
FROM audit_log
WHERE $since IS NULL OR logged_at >= $since
ORDER BY logged_at DESC, rowid DESC
LIMIT $limit;
