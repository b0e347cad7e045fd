-- A user's new password hash.
UPDATE app_user
SET password_hash = $password_hash, password_changed_at = $now
WHERE name = $name;
