-- End every session of a user (removed, or its password changed).
DELETE FROM user_session
WHERE user_name = $name;
