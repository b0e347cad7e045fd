-- Alerts (warehouse/alerts.py): each time an alert becomes active, and each delivery of its message to a target.
-- They live in the accounts file, not in the warehouse, so a warehouse rollback never makes an alert look new and
-- sends it again.

CREATE SEQUENCE alert_id START 1;

-- One row per activation: an alert is active from `since` until the run that no longer finds it (cleared_at).
-- The same key becoming active again after it cleared is a new row (and is sent again).
CREATE TABLE alert (
    id         INTEGER PRIMARY KEY,
    key        VARCHAR NOT NULL,            -- what the alert is about: rule kind, KPI or item, period
    kind       VARCHAR NOT NULL,            -- target, threshold, yoy_drop, control_chart, load_refused, ...
    family     VARCHAR NOT NULL CHECK (family IN ('scheduled', 'load')),  -- who evaluates and clears it
    page       VARCHAR NOT NULL,            -- the url path of the page to open
    facts      VARCHAR NOT NULL,            -- JSON: the figures the message is worded from (latest seen)
    since      TIMESTAMP NOT NULL,
    cleared_at TIMESTAMP
);

-- Every attempt to deliver an alert's message to a target. The target is known by the sha256 of its URL as the
-- alerts file writes it (secrets come from the environment and are never stored) and shown with secrets masked.
CREATE TABLE alert_delivery (
    alert_id     INTEGER NOT NULL,
    target       VARCHAR NOT NULL,
    target_shown VARCHAR NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    ok           BOOLEAN NOT NULL,
    error        VARCHAR
);
