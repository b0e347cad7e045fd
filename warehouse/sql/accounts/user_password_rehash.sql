-- The same password hashed again with today's parameters (at login); the change time stays.
UPDATE app_user
SET password_hash = $password_hash
WHERE name = $name;
