-- How many users there are, and how many of them are admins.
SELECT count(*), count(*) FILTER (role = 'admin')
FROM app_user;
