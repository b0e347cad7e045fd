-- Every session's token hash with its user and last-seen time; a removed user's sessions have no row.
SELECT s.token_hash, u.name, u.role, u.created_at, u.created_by, u.password_changed_at, s.last_seen_at
FROM user_session s
JOIN app_user u ON u.name = s.user_name;
