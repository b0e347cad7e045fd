-- Sessions idle since before $idle_since are over; purged on the next login instead of by a write of their own.
DELETE FROM user_session
WHERE last_seen_at < $idle_since;
