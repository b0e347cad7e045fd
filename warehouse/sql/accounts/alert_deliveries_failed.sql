-- Active alerts whose last delivery to a target failed (the next run tries again): newest attempt first.
WITH last AS (
    SELECT alert_id, target,
           arg_max(target_shown, attempted_at) AS target_shown,
           max(attempted_at) AS attempted_at,
           arg_max(ok, attempted_at) AS ok,
           arg_max(error, attempted_at) AS error,
           count(*) FILTER (WHERE NOT ok) AS failures
    FROM alert_delivery
    GROUP BY alert_id, target
)
SELECT a.id, a.key, a.kind, a.family, a.page, a.facts, a.since, a.cleared_at,
       l.target_shown, l.attempted_at, l.error, l.failures
FROM last AS l
JOIN alert AS a ON a.id = l.alert_id
WHERE NOT l.ok AND a.cleared_at IS NULL
ORDER BY l.attempted_at DESC
LIMIT $limit;
