"""Logins in the app under AppTest, on real accounts files: the login form, wrong passwords and the lock, idle expiry,
logout, the first admin's password printed once, roles hiding pages (also when a page is asked for by its address),
and single sign-on where it can be tested without an identity provider."""
from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import auth
from tests.conftest import ADMIN_PASSWORD, add_account, log_in, shown
from tests.test_app import APP, texts
from warehouse.settings import Settings, load_settings
from warehouse.users import accounts_connection, audit_entries, login, session_user, set_role

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ["upload", "refresh", "report", "users", "audit"]
TITLES = {"overview": "总览", "upload": "上传", "refresh": "刷新", "report": "报告", "users": "用户", "audit": "审计"}
SSO_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
                        "client_id": "quality", "client_secret": "x",
                        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


def started(warehouse: Path, monkeypatch, **env) -> AppTest:
    """The entry file's first run on the warehouse (QUALITY_* variables from env): the login page."""
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def on_login_page(at: AppTest) -> bool:
    """Whether the login form is what the session shows."""
    return [x.value for x in at.title] == ["登录质量 KPI 看板"] and "user" not in at.session_state


def nav_pages(at: AppTest) -> set[str]:
    """The url paths st.navigation lists for this session (the default page's is empty: the overview)."""
    return {info.get("url_pathname") or "overview" for info in at._registered_pages.values()}


def cookie_scripts(at: AppTest) -> list[str]:
    """The bodies of the st.html elements (the session cookie's script)."""
    return [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]


def test_nobody_sees_a_figure_before_logging_in_and_the_login_opens_the_dashboard(demo_warehouse, monkeypatch):
    at = started(demo_warehouse, monkeypatch)
    assert on_login_page(at)
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart") and not at.selectbox
    log_in(at)
    assert at.title[0].value == "总览" and len(at.metric) > 10
    assert any("已登录：admin（管理员）" in c.value for c in at.sidebar.caption)
    token = at.session_state[auth.TOKEN_KEY]
    [script] = cookie_scripts(at)                   # the token goes into a cookie, once, never into the address
    assert token in script and "quality_session=" in script and "SameSite=Strict" in script
    assert "max-age=0" not in script and token not in " ".join(at.query_params.values())
    assert session_user(load_settings(warehouse=demo_warehouse), token).name == "admin"
    at.run()
    assert not cookie_scripts(at) and at.title[0].value == "总览"


def test_a_wrong_password_is_refused_in_the_users_language(warehouse, monkeypatch):
    at = started(warehouse, monkeypatch)
    log_in(at, "admin", "not-the-password", expect=False)
    assert on_login_page(at) and shown(at.error) == ["用户名或密码错误"]
    assert at.text_input(key="login_password").value == ""          # the typed password is not kept
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Log in to the quality KPI dashboard"
    log_in(at, "nobody", "whatever-it-is", expect=False)
    assert shown(at.error) == ["Wrong user name or password"]
    log_in(at, "admin", "", expect=False)
    assert shown(at.warning) == ["Type your user name and password."]


def test_a_name_locks_after_the_allowed_failures_even_for_the_right_password(warehouse, monkeypatch):
    at = started(warehouse, monkeypatch, QUALITY_LOGIN_MAX_FAILURES=3)
    for _ in range(2):
        log_in(at, "admin", "wrong-password", expect=False)
        assert shown(at.error) == ["用户名或密码错误"]
    log_in(at, "admin", "wrong-password", expect=False)
    assert "登录失败次数过多" in shown(at.error)[0] and re.search(r"\d\d:\d\d", shown(at.error)[0])
    log_in(at, "admin", ADMIN_PASSWORD, expect=False)
    assert on_login_page(at) and "登录失败次数过多" in at.error[0].value
    with accounts_connection(load_settings(warehouse=warehouse)) as con:
        actions = [e.action for e in audit_entries(con)]
    assert actions[0] == "login_locked" and actions.count("login_failed") == 3


def test_a_login_ends_after_the_idle_time(warehouse, monkeypatch):
    at = started(warehouse, monkeypatch, QUALITY_IDLE_MINUTES=0.05)     # 3 seconds
    log_in(at)
    assert at.title[0].value == "总览"
    time.sleep(3.5)
    at.run()
    assert on_login_page(at) and any("登录已失效" in i for i in shown(at.info))
    assert any("max-age=0" in s for s in cookie_scripts(at))         # the stale cookie is deleted


def test_logout_ends_the_session_on_the_server_and_deletes_the_cookie(warehouse, monkeypatch):
    at = log_in(started(warehouse, monkeypatch))
    token = at.session_state[auth.TOKEN_KEY]
    at.sidebar.button(key="logout").click().run()
    assert on_login_page(at) and shown(at.info) == ["已退出登录。"]
    assert any("max-age=0" in s and token not in s for s in cookie_scripts(at))
    assert session_user(load_settings(warehouse=warehouse), token) is None


def test_the_first_admins_generated_password_is_printed_once_with_how_to_log_in(warehouse, monkeypatch, capsys):
    monkeypatch.delenv("QUALITY_ADMIN_PASSWORD")
    at = started(warehouse, monkeypatch)
    printed = capsys.readouterr().out
    password = re.search(r"shown only this once\): (\S+)", printed).group(1)
    assert "用户名 admin" in printed and "Users page" in printed and len(password) >= 12
    assert any("控制台" in c.value for c in at.caption)            # the login page says where to look
    started(warehouse, monkeypatch)
    assert capsys.readouterr().out == ""                           # once per process
    log_in(at, "admin", password)
    assert at.title[0].value == "总览"


@pytest.mark.parametrize("role, pages", [
    ("viewer", set()), ("analyst", {"upload", "refresh", "report"}), ("admin", set(TOOLS))])
def test_roles_list_only_the_pages_they_may_see(warehouse, monkeypatch, role, pages):
    add_account(warehouse, f"{role}1", role, "password-1234")
    at = log_in(started(warehouse, monkeypatch), f"{role}1", "password-1234")
    listed = nav_pages(at)
    assert {"overview", "inspections", "data_quality"} <= listed and listed & set(TOOLS) == pages
    for page in TOOLS:
        if page in pages:
            at.switch_page(f"views/{page}.py").run()
            assert not at.exception and at.title[0].value == TITLES[page]
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"views/{page}.py")


@pytest.mark.parametrize("page", TOOLS)
def test_a_viewer_asking_for_a_tool_pages_address_gets_the_overview_instead(warehouse, monkeypatch, page):
    role = "admin" if page in ("users", "audit") else "analyst"
    add_account(warehouse, "someone", role, "password-1234")
    at = log_in(started(warehouse, monkeypatch), "someone", "password-1234")
    at.switch_page(f"views/{page}.py").run()
    assert at.title[0].value == TITLES[page]
    set_role(load_settings(warehouse=warehouse), "someone", "viewer", actor="admin")
    at.run()                                   # the same session asks for the same page address again, as a viewer
    assert not at.exception and at.title[0].value == "总览"
    assert not at.file_uploader and not at.get("download_button") and page not in nav_pages(at)
    assert any("查看者" in c.value for c in at.sidebar.caption)


def test_sso_button_shows_only_when_secrets_configure_it(warehouse, monkeypatch):
    at = started(warehouse, monkeypatch)
    assert not [b for b in at.button if b.key == "login_sso"]
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets.update(SSO_SECRETS)
    at.run()
    assert [b.label for b in at.button if b.key == "login_sso"] == ["使用企业账号登录（单点登录）"]
    assert at.text_input(key="login_name")                         # the password form stays
    assert on_login_page(at)


def test_an_sso_login_maps_the_email_to_an_account_or_a_viewer(warehouse, monkeypatch):
    add_account(warehouse, "wang.li@example.com", "analyst", "password-1234")
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    for claims, name, role in [({"email": "Wang.Li@Example.com"}, "wang.li@example.com", "analyst"),
                               ({"email": "guest@example.com"}, "guest@example.com", "viewer"),
                               ({"email": "wang.li@example.com", "email_verified": False}, "wang.li@example.com",
                                "viewer"),
                               ({"name": "admin", "sub": "42"}, "sso:42", "viewer")]:
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets.update(SSO_SECRETS)
        at.user = {"is_logged_in": True, **claims}
        at.run()
        assert not at.exception and at.title[0].value == "总览", claims
        user = at.session_state["user"]
        assert (user.name, user.role) == (name, role), claims
        assert ("upload" in nav_pages(at)) == (role == "analyst")
        assert any("单点登录" in c.value for c in at.sidebar.caption)
    with accounts_connection(load_settings(warehouse=warehouse)) as con:
        assert [(e.actor, e.action) for e in audit_entries(con)][0] == ("sso:42", "login_sso")


def test_the_sso_user_is_the_account_named_by_a_verified_email(warehouse):
    settings = load_settings(env={}, warehouse=warehouse, admin_password="admin-password-1")
    add_account(warehouse, "li.ming@example.com", "admin", "password-1234")
    assert auth.sso_user(settings, {"email": "LI.MING@example.com", "email_verified": True}).role == "admin"
    assert auth.sso_user(settings, {"email": "li.ming@example.com", "email_verified": "false"}).role == "viewer"
    assert auth.sso_user(settings, {"name": "li.ming@example.com"}).name == "sso:unknown"


def test_config_hides_error_details_and_caps_uploads_at_the_default_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == Settings().upload_max_mb == 20


def test_an_unreadable_warehouse_message_does_not_show_its_path(warehouse, monkeypatch):
    warehouse.parent.mkdir(parents=True)
    warehouse.write_bytes(b"not a database")
    at = log_in(started(warehouse, monkeypatch))
    shown = " ".join(texts(at))
    assert "无法读取" in shown and str(warehouse.parent) not in shown and "quality.duckdb" not in shown.replace("\\", "")


def test_admin_adds_changes_resets_and_removes_a_user_and_sees_it_in_the_audit_log(warehouse, monkeypatch):
    settings = load_settings(warehouse=warehouse)
    at = log_in(started(warehouse, monkeypatch))
    at.switch_page("views/users.py").run()
    assert list(at.dataframe[0].value["名称"]) == ["admin"] and shown(at.info) == ["没有其他用户。"]
    at.text_input(key="new_user_name").input("li.na")
    at.selectbox(key="new_user_role").set_value("analyst")
    at.text_input(key="new_user_password").input("password-1234")
    at.text_input(key="new_user_password_again").input("password-1234")
    at.button(key="user_add_submit").click().run()
    assert shown(at.success) == ["已添加用户 li.na。"]
    assert at.dataframe[0].value.set_index("名称").loc["li.na", "角色"] == "分析员"
    at.text_input(key="new_user_name").input("x")                  # too short a password: the reason, no trace
    at.text_input(key="new_user_password").input("short")
    at.text_input(key="new_user_password_again").input("short")
    at.button(key="user_add_submit").click().run()
    assert shown(at.error) == ["密码至少需要 8 个字符"] and not at.exception

    at.selectbox(key="user_role_li.na").set_value("viewer")
    at.button(key="user_role_submit").click().run()
    assert shown(at.success) == ["li.na 的角色已改为查看者。"]
    token = login(settings, "li.na", "password-1234").token
    at.text_input(key="reset_password").input("new-password-5678")
    at.text_input(key="reset_password_again").input("new-password-5678")
    at.button(key="reset_password_submit").click().run()
    assert shown(at.success) == ["已重设 li.na 的密码，其登录已全部结束。"] and session_user(settings, token) is None
    at.button(key="user_remove").click().run()
    assert list(at.dataframe[0].value["名称"]) == ["admin", "li.na"]  # nothing before the confirmation
    at.button(key="user_remove_confirm").click().run()
    assert shown(at.success) == ["已删除用户 li.na。"] and list(at.dataframe[0].value["名称"]) == ["admin"]

    at.switch_page("views/audit.py").run()
    log = at.dataframe[0].value
    assert list(log["操作"])[:5] == ["删除用户", "重设密码", "登录", "修改角色", "添加用户"]
    details = list(log["详情"])                                       # each entry as a sentence, never its JSON
    assert details[0] == "删除用户 li.na" and details[1] == "重设用户 li.na 的密码" and details[2] == "登录看板"
    assert not any("{" in d or '"' in d for d in details), details
    assert set(log["操作人"]) >= {"admin", "li.na"}
    assert [b.label for b in at.download_button] == ["下载 CSV", "下载 Excel"]
