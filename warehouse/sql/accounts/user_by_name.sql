-- One user with the hash of its password (for login); no row when there is no such user.
SELECT name, role, created_at, created_by, password_changed_at, password_hash
FROM app_user
WHERE name = $name;
