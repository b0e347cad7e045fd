-- Per alert activation and target: the last attempt, whether it succeeded, and the last successful one.
SELECT
    alert_id,
    target,
    arg_max(target_shown, attempted_at) AS target_shown,
    max(attempted_at) AS last_attempt_at,
    arg_max(ok, attempted_at) AS last_ok,
    arg_max(error, attempted_at) AS last_error,
    max(attempted_at) FILTER (WHERE ok) AS last_sent_at
FROM alert_delivery
GROUP BY alert_id, target;
