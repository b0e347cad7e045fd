-- The user of a session, with the session's last-seen time; no row for an unknown token or a removed user.
SELECT u.name, u.role, u.created_at, u.created_by, u.password_changed_at, s.last_seen_at
FROM user_session s
JOIN app_user u ON u.name = s.user_name
WHERE s.token_hash = $token_hash;
