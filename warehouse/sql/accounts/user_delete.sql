-- Remove a user (its sessions are removed by user_sessions_delete).
DELETE FROM app_user
WHERE name = $name;
