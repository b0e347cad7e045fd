-- Login attempts older than the rate-limit window no longer matter (audit_log keeps the history).
DELETE FROM login_attempt
WHERE attempted_at <= $since;
