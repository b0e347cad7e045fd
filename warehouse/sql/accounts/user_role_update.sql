-- A user's new role.
UPDATE app_user
SET role = $role
WHERE name = $name;
