"""Who is using the app: the first admin, password logins kept across page reloads, single sign-on, roles per page.

Password logins (warehouse.users.login) give a session token. The token is kept in this browser session's
st.session_state and in a cookie, so that a page reload (a new Streamlit session) finds it again in
st.context.cookies. Streamlit 1.67 can read cookies (st.context.cookies) but has no call that sets one, so the
cookie is written once by a line of JavaScript (st.html with unsafe_allow_javascript, our own fixed script and a
token of URL-safe characters, never user input): path=/, SameSite=Strict, Secure on https, no expiry date (it
ends with the browser). A query parameter would also survive a reload, but it would travel in every link a
manager copies into a chat, in the browser history and in proxy logs; a cookie does not. The server keeps only
the token's sha256 and ends the session after Settings.idle_minutes without use, at logout, or when the password
is reset, whatever the cookie still holds.

Single sign-on: when .streamlit/secrets.toml has an [auth] section (st.login, OIDC), the login page offers the
company login. An identity-provider user is matched to the account whose name equals their email address
(case-insensitive; create it with `etl users add wang.li@example.com --role analyst`); anyone else the provider
vouches for is a viewer named by their email. The display name is never used to match: people can often change
it. Idle expiry of an SSO login follows Streamlit's own login cookie, not QUALITY_IDLE_MINUTES.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os

import streamlit as st

from app.data import app_settings
from app.i18n import t
from warehouse.settings import Settings
from warehouse.users import (User, accounts_connection, audit, can, ensure_first_admin, first_admin_message, login,
                             logout, session_user, user_list)

SESSION_COOKIE = "quality_session"
TOKEN_KEY = "auth_token"
# The page (url path) -> the action (warehouse.users.ACTIONS) a role needs to see it; pages not named: "view".
# The report page writes the narrative, sign-off and acknowledgements into the warehouse: the analyst's write right.
PAGE_ACTIONS = {"upload": "upload", "refresh": "refresh", "report": "refresh", "users": "users", "audit": "audit"}
# The alerts page: everyone sees the active alerts and their history; the rules of the alerts file, who may read
# the audit log (admins).
PAGE_ACTIONS["alerts"] = "view"
ALERT_RULES_ACTION = "audit"
SSO_ROLE = "viewer"
_log = logging.getLogger(__name__)


# The first admin ---------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def first_admin_printed(accounts_path: str, _settings: Settings) -> bool:
    """Once per process and accounts file: create `admin` when there are no users; True when its password was printed."""
    password = ensure_first_admin(_settings)
    if password:
        print(first_admin_message(password), flush=True)
    return password is not None


# Who is logged in --------------------------------------------------------------------------------------------


_SSO_ANSWER: list = []   # [(the st.secrets object asked, its files' versions, the answer)]: the last answer


def _file_version(path: str) -> tuple | None:
    try:
        st_ = os.stat(path)
    except OSError:
        return None
    return st_.st_ino, st_.st_mtime_ns, st_.st_size


def sso_configured() -> bool:
    """Whether .streamlit/secrets.toml configures single sign-on (an [auth] section for st.login). Asked again only
    when the secrets (a file of them, or the object) change: without any secrets file, Streamlit would look for the
    files and parse them again on every run of every session."""
    versions = tuple(_file_version(path) for path in st.get_option("secrets.files"))
    secrets = st.secrets
    if _SSO_ANSWER and _SSO_ANSWER[0][0] is secrets and _SSO_ANSWER[0][1] == versions:
        return _SSO_ANSWER[0][2]
    try:
        answer = "auth" in secrets
    except Exception:  # no secrets file at all
        answer = False
    _SSO_ANSWER[:] = [(secrets, versions, answer)]
    return answer


def sso_user(settings: Settings, claims: dict) -> User:
    """The user an identity-provider login stands for: the account named by the email, else a viewer named by it."""
    email = str(claims.get("email") or "").strip()
    verified = claims.get("email_verified", True) not in (False, "false")
    if email and verified:
        with accounts_connection(settings) as con:
            accounts = {u.name.lower(): u for u in user_list(con)}
        if email.lower() in accounts:
            return accounts[email.lower()]
    name = email or f"sso:{claims.get('sub') or 'unknown'}"
    now = dt.datetime.now()
    return User(name, SSO_ROLE, now, "sso", now)


def _cookie_token() -> str | None:
    """The session token the browser sent with this Streamlit session (None after a logout in this session)."""
    token = st.context.cookies.get(SESSION_COOKIE)
    if not isinstance(token, str) or not token or token == st.session_state.get("auth_dropped_cookie"):
        return None  # (AppTest's stand-in browser answers with a mock object, not a string)
    return token


def signed_in_user(settings: Settings) -> User | None:
    """The logged-in user of this browser session: by single sign-on, or by the password login's session token."""
    if sso_configured() and st.user.get("is_logged_in"):
        user = sso_user(settings, st.user.to_dict())
        if st.session_state.get("auth_sso_audited") != user.name:
            audit(settings, user.name, "login_sso", {"role": user.role})
            st.session_state["auth_sso_audited"] = user.name
        st.session_state["auth_via_sso"] = True
        return user
    st.session_state["auth_via_sso"] = False
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    if not token:
        return None
    user = session_user(settings, token)
    if user is None:  # idle too long, logged out elsewhere, password reset, user removed
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state["auth_dropped_cookie"] = token
        st.session_state["auth_cookie"] = "clear"
        st.session_state["auth_notice"] = "expired"
        return None
    st.session_state[TOKEN_KEY] = token
    return user


def allowed(user: User | None, page: str) -> bool:
    """Whether the user's role may see the page (url path)."""
    return can(user, PAGE_ACTIONS.get(page, "view"))


def current_user() -> User:
    """The logged-in user (the entry file lets no page run without one)."""
    return st.session_state["user"]


# Logging in and out (callbacks of the login form and the logout button) --------------------------------------


def sign_in() -> None:
    """Login form callback: check the typed name and password; keep the token, or the reason the login failed."""
    name = st.session_state.get("login_name", "")
    password = st.session_state.get("login_password", "")
    st.session_state["login_password"] = ""
    if not name.strip() or not password:
        st.session_state["auth_notice"] = "empty"
        return
    try:
        result = login(app_settings(), name, password)
    except Exception:
        _log.exception("login failed with an error")
        st.session_state["auth_notice"] = "error"
        return
    if result.status == "ok":
        st.session_state[TOKEN_KEY] = result.token
        st.session_state["auth_cookie"] = "set"
        st.session_state.pop("auth_notice", None)
    else:
        st.session_state["auth_notice"] = ("refused", result.message_zh, result.message_en)


def sign_out() -> None:
    """Logout button callback: end the session on the server and forget the token here and in the cookie."""
    token = st.session_state.pop(TOKEN_KEY, None)
    try:
        logout(app_settings(), token)
    except Exception:
        _log.exception("logout failed with an error")
    st.session_state["auth_dropped_cookie"] = token or _cookie_token()
    st.session_state["auth_cookie"] = "clear"
    st.session_state["auth_notice"] = "logged_out"
    st.session_state.pop("user", None)


def start_sso() -> bool:
    """Send the browser to the identity provider (st.login); False when single sign-on cannot start."""
    try:
        st.login()
    except st.errors.StreamlitAPIException:
        _log.exception("single sign-on could not start")
        return False
    return True


def end_sso() -> None:
    """Log out of single sign-on (st.logout)."""
    st.session_state.pop("auth_sso_audited", None)
    st.logout()


def login_notice(language: str) -> tuple[str, str] | None:
    """(kind, text) to show above the login form, if any: why the last attempt failed, or that a login ended."""
    notice = st.session_state.get("auth_notice")
    if notice is None:
        return None
    if isinstance(notice, tuple):
        return "error", notice[1] if language == "zh" else notice[2]
    if notice == "expired":
        return "info", t("login_expired", language).format(minutes=app_settings().idle_minutes)
    if notice == "logged_out":
        return "info", t("logged_out", language)
    if notice == "error":
        return "error", t("write_failed", language)
    return "warning", t("login_empty", language)


# The cookie --------------------------------------------------------------------------------------------------


def cookie_script(token: str | None) -> str:
    """JavaScript that keeps the session token in this site's cookie, or deletes the cookie when token is None."""
    value = json.dumps(token or "")
    expiry = "" if token else " + '; max-age=0'"
    return ("<script>document.cookie = " + json.dumps(SESSION_COOKIE + "=") + " + " + value
            + " + '; path=/; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '')" + expiry
            + ";</script>")


def write_cookie() -> None:
    """Set or clear the session cookie when a login or logout asked for it (once: a line of JavaScript)."""
    action = st.session_state.pop("auth_cookie", None)
    if action is None:
        return
    token = st.session_state.get(TOKEN_KEY) if action == "set" else None
    if action == "set" and not token:
        return
    st.sidebar.html(cookie_script(token), unsafe_allow_javascript=True, width="content")
