-- End one session (logout).
DELETE FROM user_session
WHERE token_hash = $token_hash;
