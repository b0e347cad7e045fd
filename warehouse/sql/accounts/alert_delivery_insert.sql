-- One attempt to deliver an alert's message to a target.
INSERT INTO alert_delivery (alert_id, target, target_shown, attempted_at, ok, error)
VALUES ($alert_id, $target, $target_shown, $attempted_at, $ok, $error);
