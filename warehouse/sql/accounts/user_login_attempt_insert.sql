-- One login attempt: success, failure (wrong name or password) or locked (refused unchecked by the rate limit).
INSERT INTO login_attempt (user_name, attempted_at, result)
VALUES ($name, $now, $result);
