"""Logins: accounts and roles, argon2id password hashes, rate-limited login attempts, idle sessions, the audit log.

All of it lives in the accounts file (Settings.accounts_path), a small DuckDB file beside the warehouse that is
written through the same snapshot swap as the warehouse. Writes are kept few: one per login attempt (attempt,
audit entry, session, purge of expired sessions and old attempts together), one per user change, and a session's
last-seen time at most once per Settings.session_touch_seconds; checking a session is otherwise read-only, and
reads the file once per version of it (every write swaps in a new file), not on every run of every page.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warehouse import sql
from warehouse.errors import BilingualError
from warehouse.db import ACCOUNTS_MIGRATIONS_PACKAGE, read_connection, snapshot_id
from warehouse.settings import Settings
from warehouse.snapshot import ensure_warehouse, write_snapshot

ROLES = ("viewer", "analyst", "admin")
ACTIONS = ("view", "refresh", "upload", "quarantine", "rollback", "users", "audit")
ROLE_ACTIONS = {
    "viewer": {"view"},
    "analyst": {"view", "refresh", "upload", "quarantine", "rollback"},
    "admin": set(ACTIONS),
}
FIRST_ADMIN = "admin"
ACCOUNTS_SNAPSHOTS_KEPT = 1  # the accounts file is never rolled back; one copy is kept for a look after a mistake
_NAME = re.compile(r"[\w.@-]{1,64}")


class UserError(BilingualError):
    """A user change that cannot be made; str() is English, .reason_zh is Chinese."""


class _Unchanged(Exception):
    """Raised inside a write to discard it: nothing needed changing after all."""


@dataclass(frozen=True)
class User:
    """An account (never its password hash)."""

    name: str
    role: str
    created_at: dt.datetime
    created_by: str | None
    password_changed_at: dt.datetime


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login: the user and a session token, or why not."""

    status: str                          # ok, failed (wrong name or password), locked
    user: User | None = None
    token: str | None = None             # keep it in a cookie or query parameter; pass it to session_user
    locked_until: dt.datetime | None = None

    @property
    def message_zh(self) -> str:
        """What to tell the person, in Chinese."""
        if self.status == "ok":
            return f"欢迎，{self.user.name}"
        if self.status == "locked":
            return f"登录失败次数过多，账号已暂时锁定，请于 {self.locked_until:%H:%M} 后再试"
        return "用户名或密码错误"

    @property
    def message_en(self) -> str:
        """What to tell the person, in English."""
        if self.status == "ok":
            return f"Welcome, {self.user.name}"
        if self.status == "locked":
            return f"Too many failed logins: locked, try again after {self.locked_until:%H:%M}"
        return "Wrong user name or password"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    logged_at: dt.datetime
    actor: str | None
    action: str
    detail: str | None


# Roles ---------------------------------------------------------------------------------------------------


def can(user: User | None, action: str) -> bool:
    """Whether the user's role allows the action (nobody logged in may do nothing)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    return user is not None and action in ROLE_ACTIONS[user.role]


# Passwords -----------------------------------------------------------------------------------------------


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def password_hash(password: str) -> str:
    """The argon2id hash of a password (PHC string, salted)."""
    return _hasher().hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _checked_password(password: str, settings: Settings) -> str:
    if len(password) < settings.password_min_length:
        raise UserError(f"the password needs at least {settings.password_min_length} characters",
                        f"密码至少需要 {settings.password_min_length} 个字符")
    return password


def _checked_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise UserError("a user name is 1-64 letters, digits, or . _ - @", "用户名须为 1–64 个字母、数字或 . _ - @")
    return name


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; roles: {', '.join(ROLES)}", f"没有角色“{role}”；可用角色：{'、'.join(ROLES)}")
    return role


# The accounts file ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def accounts_connection(settings: Settings):
    """A short read-only connection to the accounts file (which is created, with its schema, when missing)."""
    if not settings.accounts_path.exists():
        ensure_warehouse(settings.accounts_path, keep=ACCOUNTS_SNAPSHOTS_KEPT, migrations=ACCOUNTS_MIGRATIONS_PACKAGE)
    with read_connection(settings.accounts_path) as con:
        yield con


@contextlib.contextmanager
def accounts_write(settings: Settings):
    """A connection to a fresh copy of the accounts file, swapped in when the block succeeds."""
    with write_snapshot(settings.accounts_path, keep=ACCOUNTS_SNAPSHOTS_KEPT, migrations=ACCOUNTS_MIGRATIONS_PACKAGE) as con:
        yield con


def _user(row) -> User:
    return User(*row[:5])


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now()


# The audit log -------------------------------------------------------------------------------------------


def audit(where: Settings | duckdb.DuckDBPyConnection, actor: str | None, action: str, detail=None,
          now: dt.datetime | None = None) -> None:
    """Log who did what: into the accounts file of these settings, or on a connection already writing it."""
    if isinstance(where, Settings):
        with accounts_write(where) as con:
            audit(con, actor, action, detail, now)
        return
    text = detail if detail is None or isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)
    sql.run(where, "accounts/audit_insert", now=_now(now), actor=actor, action=action, detail=text)


def audit_entries(con: duckdb.DuckDBPyConnection, limit: int = 200, since: dt.datetime | None = None) -> list[AuditEntry]:
    """The newest audit entries (since a time when given), newest first, on a connection to the accounts file."""
    return [AuditEntry(*r) for r in sql.rows(con, "accounts/audit_entries", limit=limit, since=since)]


# Users ---------------------------------------------------------------------------------------------------


def user_list(con: duckdb.DuckDBPyConnection) -> list[User]:
    """Every user, by name, on a connection to the accounts file."""
    return [_user(r) for r in sql.rows(con, "accounts/user_list")]


def _existing(con, name: str) -> tuple:
    rows = sql.rows(con, "accounts/user_by_name", name=name)
    if not rows:
        raise UserError(f"no user named {name!r}", f"没有名为“{name}”的用户")
    return rows[0]


def _keep_an_admin(con, name: str, role_after: str | None) -> None:
    """Refuse a change that would leave no admin."""
    _, admins = sql.rows(con, "accounts/user_count")[0]
    if _existing(con, name)[1] == "admin" and role_after != "admin" and admins <= 1:
        raise UserError("the last admin cannot be removed or demoted", "不能删除或降级最后一个管理员")


def add_user(settings: Settings, name: str, role: str, password: str, actor: str | None,
             now: dt.datetime | None = None) -> User:
    """Create a user with a role and password; refused when the name is taken."""
    name, role = _checked_name(name), _checked_role(role)
    hashed = password_hash(_checked_password(password, settings))
    now = _now(now)
    with accounts_write(settings) as con:
        if sql.rows(con, "accounts/user_by_name", name=name):
            raise UserError(f"a user named {name!r} exists already", f"用户“{name}”已存在")
        sql.run(con, "accounts/user_insert", name=name, role=role, password_hash=hashed, now=now, actor=actor)
        audit(con, actor, "user_add", {"user": name, "role": role}, now)
        return _user(sql.rows(con, "accounts/user_by_name", name=name)[0])


def remove_user(settings: Settings, name: str, actor: str | None, now: dt.datetime | None = None) -> None:
    """Remove a user and end its sessions; the last admin cannot be removed."""
    now = _now(now)
    with accounts_write(settings) as con:
        _keep_an_admin(con, name, None)
        sql.run(con, "accounts/user_sessions_delete", name=name)
        sql.run(con, "accounts/user_delete", name=name)
        audit(con, actor, "user_remove", {"user": name}, now)


def set_password(settings: Settings, name: str, password: str, actor: str | None, now: dt.datetime | None = None) -> None:
    """Give a user a new password and end its sessions."""
    hashed = password_hash(_checked_password(password, settings))
    now = _now(now)
    with accounts_write(settings) as con:
        _existing(con, name)
        sql.run(con, "accounts/user_password_update", name=name, password_hash=hashed, now=now)
        sql.run(con, "accounts/user_sessions_delete", name=name)
        audit(con, actor, "user_password", {"user": name}, now)


def set_role(settings: Settings, name: str, role: str, actor: str | None, now: dt.datetime | None = None) -> User:
    """Give a user another role; the last admin cannot be demoted."""
    role = _checked_role(role)
    now = _now(now)
    with accounts_write(settings) as con:
        _keep_an_admin(con, name, role)
        sql.run(con, "accounts/user_role_update", name=name, role=role)
        audit(con, actor, "user_role", {"user": name, "role": role}, now)
        return _user(_existing(con, name))


def ensure_first_admin(settings: Settings, now: dt.datetime | None = None) -> str | None:
    """With no users yet, create `admin`; return its password when it was generated (else None) to show it once."""
    with accounts_connection(settings) as con:
        if sql.rows(con, "accounts/user_count")[0][0]:
            return None
    password = settings.admin_password or secrets.token_urlsafe(12)
    hashed = password_hash(_checked_password(password, settings))
    now = _now(now)
    try:
        with accounts_write(settings) as con:
            if sql.rows(con, "accounts/user_count")[0][0]:
                raise _Unchanged  # another process created the first user meanwhile
            sql.run(con, "accounts/user_insert", name=FIRST_ADMIN, role="admin", password_hash=hashed, now=now, actor="system")
            source = "environment" if settings.admin_password else "generated"
            audit(con, "system", "user_add", {"user": FIRST_ADMIN, "role": "admin", "password": source}, now)
    except _Unchanged:
        return None
    return None if settings.admin_password else password


def first_admin_message(password: str) -> str:
    """What the console shows once when the first admin's password was generated: the password and how to log in."""
    return ("\n" + "=" * 78 + "\n"
            f"质量 KPI 看板：已创建管理员账号 admin，初始密码（只显示这一次）：{password}\n"
            f"Quality KPI dashboard: created the account 'admin'; its password (shown only this once): {password}\n"
            "登录：在浏览器中打开看板，用户名 admin，输入上面的密码；然后在“用户”页添加其他用户并修改此密码。\n"
            "Log in: open the dashboard in a browser, user name admin, the password above; then add users and change\n"
            "this password on the Users page (or: python -m etl users add NAME --role viewer|analyst|admin).\n"
            + "=" * 78 + "\n")


# Logins and sessions -------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _locked_until(con, name: str, settings: Settings, now: dt.datetime) -> dt.datetime | None:
    """When the name's lock ends: it has max failures in the window since its last success; None if not locked."""
    window = dt.timedelta(minutes=settings.login_window_minutes)
    failures = [r[0] for r in sql.rows(con, "accounts/user_login_failures", name=name, since=now - window)]
    if len(failures) < settings.login_max_failures:
        return None
    return failures[settings.login_max_failures - 1] + window


def login(settings: Settings, name: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a name and password (rate-limited per name); on success start a session. One write per attempt."""
    name, now = name.strip(), _now(now)
    window = dt.timedelta(minutes=settings.login_window_minutes)
    with accounts_write(settings) as con:
        locked_until = _locked_until(con, name, settings, now)
        if locked_until is not None:
            result, attempt = LoginResult("locked", locked_until=locked_until), "locked"
        else:
            rows = sql.rows(con, "accounts/user_by_name", name=name)
            stored = rows[0][5] if rows else _dummy_hash()  # unknown names cost the same work: no timing hint
            if password_matches(stored, password) and rows:
                token = secrets.token_urlsafe(32)
                sql.run(con, "accounts/user_session_insert", token_hash=_token_hash(token), name=name, now=now)
                if _hasher().check_needs_rehash(stored):
                    sql.run(con, "accounts/user_password_rehash", name=name, password_hash=password_hash(password))
                result, attempt = LoginResult("ok", user=_user(rows[0]), token=token), "success"
            else:
                result, attempt = LoginResult("failed"), "failure"
        sql.run(con, "accounts/user_login_attempt_insert", name=name, now=now, result=attempt)
        if attempt == "failure" and (locked_until := _locked_until(con, name, settings, now)):
            result = LoginResult("locked", locked_until=locked_until)  # this failure was the last one allowed
        audit(con, name, {"success": "login", "failure": "login_failed", "locked": "login_locked"}[attempt], None, now)
        sql.run(con, "accounts/user_login_attempts_old_delete", since=now - window)
        sql.run(con, "accounts/user_sessions_expired_delete", idle_since=now - dt.timedelta(minutes=settings.idle_minutes))
    return result


def session_user(settings: Settings, token: str | None, now: dt.datetime | None = None) -> User | None:
    """The user of a session token until idle for settings.idle_minutes; touched once per session_touch_seconds."""
    if not token or not settings.accounts_path.exists():
        return None
    now, digest = _now(now), _token_hash(token)
    row = _session_row(settings.accounts_path, digest)
    if row is None:
        return None
    last_seen = row[5]
    if now - last_seen > dt.timedelta(minutes=settings.idle_minutes):
        return None
    if now - last_seen >= dt.timedelta(seconds=settings.session_touch_seconds):
        with accounts_write(settings) as con:
            sql.run(con, "accounts/user_session_touch", token_hash=digest, now=now)
    return _user(row)


_SESSIONS: list = []          # [(a version of the accounts file, {token hash: its session row})]: the last one read
_SESSIONS_LOCK = threading.Lock()


def _session_row(path, digest: str) -> tuple | None:
    """The session row of a token hash (None for none), from the accounts file's sessions as this version of the file
    holds them. A write never changes the file in place (it swaps in a new one, with its own inode), so what one
    version holds stays true until the next swap: read once per version, the many runs of every open page (and the
    first run of every new one) check their session without opening the file."""
    version = snapshot_id(path)
    with _SESSIONS_LOCK:
        if _SESSIONS and _SESSIONS[0][0] == version:
            return _SESSIONS[0][1].get(digest)
    with read_connection(path) as con:
        sessions = {r[0]: r[1:] for r in sql.rows(con, "accounts/user_sessions_users")}
    if version is not None and snapshot_id(path) == version:       # not swapped while it was read
        with _SESSIONS_LOCK:
            _SESSIONS[:] = [(version, sessions)]
    return sessions.get(digest)


def logout(settings: Settings, token: str | None, now: dt.datetime | None = None) -> None:
    """End a session (nothing happens for an unknown token)."""
    if not token or not settings.accounts_path.exists():
        return
    digest = _token_hash(token)
    row = _session_row(settings.accounts_path, digest)
    if row is None:
        return
    with accounts_write(settings) as con:
        sql.run(con, "accounts/user_session_delete", token_hash=digest)
        audit(con, row[0], "logout", None, _now(now))
