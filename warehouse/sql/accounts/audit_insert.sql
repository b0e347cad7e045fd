-- One entry of the audit log: who did what, when.
INSERT INTO audit_log (logged_at, actor, action, detail)
VALUES ($now, $actor, $action, $detail);
