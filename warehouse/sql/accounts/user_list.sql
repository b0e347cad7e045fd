-- Every user, by name.
SELECT name, role, created_at, created_by, password_changed_at
FROM app_user
ORDER BY name;
