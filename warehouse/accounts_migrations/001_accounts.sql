-- The accounts file beside the warehouse (Settings.accounts_path, warehouse/users.py): users, sessions, login
-- attempts and the audit log. It has its own migrations and snapshot swaps, so logins and session touches never
-- push a load's snapshot out of the rollback window, and a warehouse rollback never undoes a user change or
-- erases audit entries.

CREATE TABLE app_user (
    name                VARCHAR PRIMARY KEY,
    role                VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash       VARCHAR NOT NULL,        -- argon2id, PHC string; the password itself is never stored
    created_at          TIMESTAMP NOT NULL,
    created_by          VARCHAR,
    password_changed_at TIMESTAMP NOT NULL
);

-- A login's session: the token lives in the browser (cookie or query parameter), only its sha256 here.
CREATE TABLE user_session (
    token_hash   VARCHAR PRIMARY KEY,
    user_name    VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL                  -- written at most once per Settings.session_touch_seconds
);

-- Every login attempt by the name typed (known or not), for the rate limit; older than the window are purged.
CREATE TABLE login_attempt (
    user_name    VARCHAR NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    result       VARCHAR NOT NULL CHECK (result IN ('success', 'failure', 'locked'))
);

-- Who did what and when: logins (success and failure), uploads, refreshes, undos, rollbacks, user changes.
CREATE TABLE audit_log (
    logged_at TIMESTAMP NOT NULL,
    actor     VARCHAR,
    action    VARCHAR NOT NULL,
    detail    VARCHAR
);
