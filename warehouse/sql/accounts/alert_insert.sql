-- A new activation of an alert; returns its id.
INSERT INTO alert (id, key, kind, family, page, facts, since, cleared_at)
VALUES (nextval('alert_id'), $key, $kind, $family, $page, $facts, $now, NULL)
RETURNING id;
