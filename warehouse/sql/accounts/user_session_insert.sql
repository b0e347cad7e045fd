-- A new session; only the token's sha256 is stored.
INSERT INTO user_session (token_hash, user_name, created_at, last_seen_at)
VALUES ($token_hash, $name, $now, $now);
