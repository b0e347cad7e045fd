"""Logins on a real accounts file: the users CLI, password hashes, rate limit, idle sessions, roles, first admin,
the audit log, and that none of it touches the warehouse's rollback snapshots."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys

import duckdb
import pytest

from etl.cli import main
from etl.load import load_paths
from tests.conftest import file_digest, query, write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from warehouse.settings import load_settings
from warehouse.snapshot import snapshot_files
from warehouse.users import (ACTIONS, User, UserError, accounts_connection, add_user, audit, audit_entries, can,
                             ensure_first_admin, login, logout, remove_user, session_user, set_password, set_role,
                             user_list)

T0 = dt.datetime(2030, 3, 4, 9, 0)
PASSWORD = "月光-microscope-7"


@pytest.fixture
def settings(warehouse):
    return load_settings(env={}, warehouse=warehouse)


def actions(settings) -> list[tuple]:
    with accounts_connection(settings) as con:
        return [(e.actor, e.action) for e in reversed(audit_entries(con))]


def cli(warehouse, *args) -> int:
    return main(["users", *args, "--warehouse", str(warehouse)])


def test_users_cli_with_password_stdin_adds_lists_resets_and_removes(warehouse, settings, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli(warehouse, "add", "li.lei", "--role", "analyst", "--password-stdin") == 0
    stored = query(settings.accounts_path, "SELECT password_hash FROM app_user WHERE name = 'li.lei'")[0][0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert login(settings, "li.lei", PASSWORD).status == "ok"

    capsys.readouterr()
    assert cli(warehouse, "list") == 0
    out = capsys.readouterr().out
    assert "li.lei" in out and "analyst" in out and "1 users" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("新的密码-new-pass\n"))
    assert cli(warehouse, "reset-password", "li.lei", "--password-stdin") == 0
    assert login(settings, "li.lei", PASSWORD).status == "failed"
    assert login(settings, "li.lei", "新的密码-new-pass").status == "ok"

    assert cli(warehouse, "remove", "li.lei") == 0
    assert login(settings, "li.lei", "新的密码-new-pass").status == "failed"
    with accounts_connection(settings) as con:
        assert user_list(con) == []
    assert [a for _, a in actions(settings) if a.startswith("user_")] == ["user_add", "user_password", "user_remove"]
    assert all(actor.startswith("cli:") for actor, a in actions(settings) if a.startswith("user_"))
    assert not warehouse.exists()  # accounts live in their own file


def test_users_cli_asks_twice_with_getpass_and_refuses_a_mismatch(warehouse, settings, monkeypatch, capsys):
    answers = iter(["first-password", "other-password", PASSWORD, PASSWORD])
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or next(answers))
    assert cli(warehouse, "add", "wang", "--role", "viewer") == 2
    assert "differ" in capsys.readouterr().err
    assert cli(warehouse, "add", "wang", "--role", "viewer") == 0
    assert len(prompts) == 4
    assert login(settings, "wang", PASSWORD).user.role == "viewer"


def test_users_cli_never_falls_back_to_an_echoing_prompt(warehouse, settings, monkeypatch, capsys):
    import getpass
    import warnings

    def echoing(prompt=""):
        warnings.warn("Can not control echo on the terminal.", getpass.GetPassWarning)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", echoing)
    assert cli(warehouse, "add", "wang", "--role", "viewer") == 2
    assert "--password-stdin" in capsys.readouterr().err
    with accounts_connection(settings) as con:
        assert user_list(con) == []


def test_users_cli_refuses_a_taken_name_a_short_password_and_removing_the_last_admin(warehouse, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli(warehouse, "add", "boss", "--role", "admin", "--password-stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli(warehouse, "add", "boss", "--role", "viewer", "--password-stdin") == 1
    assert "exists already" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli(warehouse, "add", "zhao", "--role", "viewer", "--password-stdin") == 1
    assert "at least 8 characters" in capsys.readouterr().err
    assert cli(warehouse, "remove", "boss") == 1
    assert "last admin" in capsys.readouterr().err
    assert cli(warehouse, "remove", "nobody") == 1


def test_wrong_password_and_unknown_name_are_refused_alike_and_logged(settings):
    add_user(settings, "chen", "analyst", PASSWORD, "admin", now=T0)
    wrong = login(settings, "chen", PASSWORD + "x", now=T0)
    unknown = login(settings, "nobody", PASSWORD, now=T0)
    assert (wrong.status, wrong.token, wrong.user) == ("failed", None, None)
    assert unknown.status == "failed" and unknown.message_en == wrong.message_en == "Wrong user name or password"
    assert actions(settings)[-2:] == [("chen", "login_failed"), ("nobody", "login_failed")]


def test_rate_limit_locks_after_five_failures_and_unlocks_when_the_window_has_passed(settings):
    add_user(settings, "chen", "analyst", PASSWORD, "admin", now=T0)
    minute = dt.timedelta(minutes=1)
    for i in range(4):
        assert login(settings, "chen", "wrong", now=T0 + i * minute).status == "failed"
    fifth = login(settings, "chen", "wrong", now=T0 + 4 * minute)
    unlock = T0 + dt.timedelta(minutes=15)  # the first of the five failures leaves the 15-minute window
    assert (fifth.status, fifth.locked_until) == ("locked", unlock)
    right_but_locked = login(settings, "chen", PASSWORD, now=unlock - dt.timedelta(seconds=1))
    assert (right_but_locked.status, right_but_locked.token) == ("locked", None)
    assert "09:15" in right_but_locked.message_zh
    assert login(settings, "chen", PASSWORD, now=unlock + dt.timedelta(seconds=1)).status == "ok"
    assert [a for _, a in actions(settings)][-3:] == ["login_failed", "login_locked", "login"]


def test_a_success_clears_earlier_failures_and_other_names_are_counted_apart(settings):
    add_user(settings, "chen", "analyst", PASSWORD, "admin", now=T0)
    minute = dt.timedelta(minutes=1)
    for i in range(4):
        login(settings, "chen", "wrong", now=T0 + i * minute)
        login(settings, "someone-else", "guess", now=T0 + i * minute)
    assert login(settings, "chen", PASSWORD, now=T0 + 5 * minute).status == "ok"
    assert login(settings, "chen", "wrong", now=T0 + 6 * minute).status == "failed"  # 1 failure since the success
    assert login(settings, "someone-else", "guess", now=T0 + 6 * minute).status == "locked"  # 5 in the window


def test_session_survives_a_reload_touches_at_most_once_a_minute_and_expires_when_idle(settings):
    add_user(settings, "gm", "viewer", PASSWORD, "admin", now=T0)
    token = login(settings, "gm", PASSWORD, now=T0).token
    assert len(token) >= 40
    assert query(settings.accounts_path, "SELECT count(*) FROM user_session WHERE token_hash = ?", [token]) == [(0,)]
    before = file_digest(settings.accounts_path)
    assert session_user(settings, token, now=T0 + dt.timedelta(seconds=30)).name == "gm"
    assert file_digest(settings.accounts_path) == before  # seen 30 s after the last touch: no write
    seen = T0 + dt.timedelta(minutes=50)
    assert session_user(settings, token, now=seen).name == "gm"
    assert query(settings.accounts_path, "SELECT last_seen_at FROM user_session") == [(seen,)]
    idle = dt.timedelta(minutes=60)
    assert session_user(settings, token, now=seen + idle).name == "gm"
    assert session_user(settings, token, now=seen + idle + idle + dt.timedelta(seconds=1)) is None
    assert session_user(settings, "not-a-token", now=seen) is None and session_user(settings, None) is None


def test_a_session_is_checked_from_memory_until_a_write_swaps_in_a_new_accounts_file(settings):
    """Every run of every open page checks its session: the accounts file is read once per version of it. Another
    process holding the file open for writing locks readers out, so a check that opened it would fail."""
    add_user(settings, "gm", "viewer", PASSWORD, "admin", now=T0)
    token = login(settings, "gm", PASSWORD, now=T0).token
    assert session_user(settings, token, now=T0).name == "gm"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(settings.accounts_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException):               # the lock is real: opening the file fails now
            with accounts_connection(settings) as con:
                con.execute("SELECT 1")
        assert session_user(settings, token, now=T0 + dt.timedelta(seconds=30)).name == "gm"
        logout(settings, token, now=T0)                      # a write: a new file is swapped in
        assert session_user(settings, token, now=T0) is None
    finally:
        holder.communicate("")


def test_logout_password_reset_and_removal_end_sessions(settings):
    add_user(settings, "admin", "admin", PASSWORD, None, now=T0)
    add_user(settings, "gm", "viewer", PASSWORD, "admin", now=T0)
    first, second = (login(settings, "gm", PASSWORD, now=T0).token for _ in range(2))
    logout(settings, first, now=T0)
    assert session_user(settings, first, now=T0) is None and session_user(settings, second, now=T0).name == "gm"
    set_password(settings, "gm", "another-password", "admin", now=T0)
    assert session_user(settings, second, now=T0) is None
    third = login(settings, "gm", "another-password", now=T0).token
    remove_user(settings, "gm", "admin", now=T0)
    assert session_user(settings, third, now=T0) is None
    assert ("gm", "logout") in actions(settings)


def test_roles_allow_their_actions():
    def person(role):
        return User("x", role, T0, None, T0)

    allowed = {role: [a for a in ACTIONS if can(person(role), a)] for role in ("viewer", "analyst", "admin")}
    assert allowed == {"viewer": ["view"],
                       "analyst": ["view", "refresh", "upload", "quarantine", "rollback"],
                       "admin": ["view", "refresh", "upload", "quarantine", "rollback", "users", "audit"]}
    assert not can(None, "view")
    with pytest.raises(ValueError):
        can(person("admin"), "delete_everything")


def test_role_change_keeps_an_admin(settings):
    add_user(settings, "admin", "admin", PASSWORD, None, now=T0)
    add_user(settings, "li", "viewer", PASSWORD, "admin", now=T0)
    assert set_role(settings, "li", "analyst", "admin", now=T0).role == "analyst"
    with pytest.raises(UserError, match="last admin"):
        set_role(settings, "admin", "viewer", "admin", now=T0)
    with pytest.raises(UserError):
        add_user(settings, "bad name", "viewer", PASSWORD, "admin")
    with pytest.raises(UserError):
        add_user(settings, "zhou", "superuser", PASSWORD, "admin")


def test_first_admin_takes_the_password_from_the_environment(warehouse):
    settings = load_settings(env={"QUALITY_ADMIN_PASSWORD": PASSWORD}, warehouse=warehouse)
    assert ensure_first_admin(settings, now=T0) is None
    assert login(settings, "admin", PASSWORD, now=T0).user.role == "admin"
    assert ensure_first_admin(settings, now=T0) is None
    with accounts_connection(settings) as con:
        assert [u.name for u in user_list(con)] == ["admin"]


def test_first_admin_gets_a_random_password_returned_once(settings):
    password = ensure_first_admin(settings, now=T0)
    assert password and len(password) >= 16
    assert login(settings, "admin", password, now=T0).status == "ok"
    assert ensure_first_admin(settings, now=T0) is None
    assert actions(settings)[0] == ("system", "user_add")


def test_audit_log_records_loads_and_rollbacks_and_filters_by_time(tmp_path, warehouse, settings):
    for month in (3, 4):
        f = write_csv(tmp_path / f"iqc-{month}.csv", IQC_HEADER, iqc_rows(month, 3))
        load_paths([f], settings, actor="li", command="refresh")
    assert main(["rollback", "--warehouse", str(warehouse)]) == 0
    audit(settings, "li", "note", {"text": "手工记录"}, now=T0)
    got = actions(settings)
    assert got[:2] == [("li", "refresh"), ("li", "refresh")]
    assert got[2][0].startswith("cli:") and got[2][1] == "rollback"
    with accounts_connection(settings) as con:
        newest = audit_entries(con, limit=1)
        assert [(e.action, e.detail) for e in newest] == [("note", '{"text": "手工记录"}')]
        assert [e.action for e in audit_entries(con, since=T0)] == ["note"]
        first = audit_entries(con, limit=10)[-1]
    assert '"rows_loaded": 3' in first.detail


def test_logins_never_touch_the_warehouse_or_its_rollback_snapshots(tmp_path, warehouse, settings):
    for month in (3, 4):
        f = write_csv(tmp_path / f"iqc-{month}.csv", IQC_HEADER, iqc_rows(month, 3))
        load_paths([f], settings)
    snapshots, live = snapshot_files(warehouse), file_digest(warehouse)
    add_user(settings, "gm", "viewer", PASSWORD, None)
    for _ in range(3):
        token = login(settings, "gm", PASSWORD).token
        session_user(settings, token)
        logout(settings, token)
    assert snapshot_files(warehouse) == snapshots and file_digest(warehouse) == live
    assert main(["rollback", "--warehouse", str(warehouse)]) == 0
    assert query(warehouse, "SELECT count(*) FROM inspection") == [(3,)]  # the March file only
    assert login(settings, "gm", PASSWORD).status == "ok"  # a rollback does not undo user changes


def test_accounts_and_warehouse_keep_separate_schemas(tmp_path, warehouse, settings):
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 2))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    add_user(settings, "li", "viewer", "long enough pw", actor="admin")
    tables = "SELECT table_name FROM duckdb_tables() ORDER BY 1"
    accounts = {r[0] for r in query(settings.accounts_path, tables)}
    assert accounts == {"app_user", "user_session", "login_attempt", "audit_log", "alert", "alert_delivery",
                        "schema_migration"}
    assert not {"app_user", "audit_log", "alert", "alert_delivery"} & {r[0] for r in query(warehouse, tables)}


def test_demo_prints_the_first_admins_password_before_the_dashboard_starts(warehouse, settings, monkeypatch, capsys):
    monkeypatch.delenv("QUALITY_ADMIN_PASSWORD")
    assert main(["load", str(write_csv(warehouse.parent.parent / "iqc.csv", IQC_HEADER, iqc_rows(3, 4))),
                 "--warehouse", str(warehouse)]) == 0
    capsys.readouterr()
    assert main(["demo", "--if-missing", "--warehouse", str(warehouse)]) == 0   # the warehouse is kept
    printed = capsys.readouterr().out
    password = re.search(r"shown only this once\): (\S+)", printed).group(1)
    assert "demo not rebuilt" in printed and login(settings, "admin", password).user.name == "admin"
    assert main(["demo", "--if-missing", "--warehouse", str(warehouse)]) == 0
    assert "shown only this once" not in capsys.readouterr().out                   # once: the admin exists now
