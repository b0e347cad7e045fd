-- The failed logins of a name since $since (the start of the rate-limit window) and since its last success,
-- newest first.
SELECT attempted_at
FROM login_attempt
WHERE user_name = $name
  AND result = 'failure'
  AND attempted_at > $since
  AND attempted_at > coalesce(
      (SELECT max(attempted_at) FROM login_attempt WHERE user_name = $name AND result = 'success'), $since)
ORDER BY attempted_at DESC;
