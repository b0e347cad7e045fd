-- A new user.
INSERT INTO app_user (name, role, password_hash, created_at, created_by, password_changed_at)
VALUES ($name, $role, $password_hash, $now, $actor, $now);
