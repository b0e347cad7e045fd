-- The newest $limit activations of alerts, active or cleared, newest first, with their deliveries: attempts, the
-- successful ones, the last one and whether the last attempt to some target failed.
SELECT
    a.id, a.key, a.kind, a.family, a.page, a.facts, a.since, a.cleared_at,
    count(d.alert_id) AS attempts,
    count(d.alert_id) FILTER (WHERE d.ok) AS delivered,
    max(d.attempted_at) FILTER (WHERE d.ok) AS last_sent_at
FROM alert AS a
LEFT JOIN alert_delivery AS d ON d.alert_id = a.id
GROUP BY ALL
ORDER BY a.since DESC, a.id DESC
LIMIT $limit;
