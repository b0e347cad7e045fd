"""Alerts end to end: `python -m etl alerts` and loads send through apprise to a real local SMTP server (aiosmtpd) and
a real local HTTP receiver standing in for the WeCom webhook (apprise's wecombot:// always posts to
qyapi.weixin.qq.com, with no host of one's own, so a json:// target on 127.0.0.1 takes its place); what they
receive is read back. Dedupe, clearing, a day later, failed deliveries retried, dry runs, a warehouse rollback, the
alerts file's errors, and the rule that a running month's figure alerts only once its miss is decided."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import json
import socket
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from tests.conftest import write_csv
from tests.test_load import IQC_HEADER, iqc_rows
from warehouse import alerts
from warehouse.kpis import REGISTRY, KpiValue, set_kpi_target
from warehouse.settings import load_settings
from warehouse.snapshot import write_snapshot
from warehouse.users import accounts_connection

KPI = "incoming_inspection_pass_rate"
TOKEN = "s3cr3t-hook-token-0042"
APP_URL = "https://quality.example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpInbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives, parsed."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                inbox.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=alerts@example.com&to=qa@example.com&mode=insecure"

    def texts(self) -> list[tuple[str, str]]:
        """(subject, plain-text body) of each message."""
        return [(str(m["subject"]), m.get_body(preferencelist=("plain",)).get_content()) for m in self.messages]


class HookReceiver:
    """A real HTTP server on 127.0.0.1 that keeps every JSON post (path, payload); it can be stopped and started
    again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.posts: list[tuple[str, dict]] = []
        self.server = None
        self.start()

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((self.path, json.loads(data)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/wecom/${{QUALITY_TEST_HOOK_TOKEN}}"


@pytest.fixture
def inbox():
    server = SmtpInbox()
    yield server
    server.controller.stop()


@pytest.fixture
def hook():
    server = HookReceiver()
    yield server
    server.stop()


def set_target(warehouse: Path, value: float, kpi: str = KPI, year: int = 2021) -> None:
    with write_snapshot(warehouse) as con:
        set_kpi_target(con, kpi, year, value)


@pytest.fixture
def missed(tmp_path, warehouse):
    """A warehouse whose March 2021 IQC lots (20, every 5th failed: 16 of 20 passed, 80 %) miss a target of 98 %."""
    f = write_csv(tmp_path / "iqc.csv", IQC_HEADER, iqc_rows(3, 20))
    assert main(["load", str(f), "--warehouse", str(warehouse)]) == 0
    set_target(warehouse, 98)
    return warehouse


@pytest.fixture
def configured(tmp_path, monkeypatch, inbox, hook):
    """An alerts file with the SMTP inbox and the webhook (its token from the environment) as targets."""
    path = tmp_path / "alerts.toml"
    path.write_text(f'[[target]]\nurl = "{inbox.url}"\n\n[[target]]\nurl = "{hook.url}"\n', encoding="utf-8")
    monkeypatch.setenv("QUALITY_ALERTS", str(path))
    monkeypatch.setenv("QUALITY_APP_URL", APP_URL)
    monkeypatch.setenv("QUALITY_TEST_HOOK_TOKEN", TOKEN)
    return path


def alerts_cli(warehouse: Path, day: str = "2021-04-10", *more: str) -> int:
    return main(["alerts", "--warehouse", str(warehouse), "--as-of", day, *more])


def accounts_rows(warehouse: Path, query: str) -> list[tuple]:
    with accounts_connection(load_settings(warehouse=warehouse)) as con:
        return con.execute(query).fetchall()


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_missed_target_reaches_mail_and_the_webhook_with_value_target_gap_and_page_in_both_languages(
        missed, configured, inbox, hook, capsys):
    assert alerts_cli(missed) == 0
    wait_for(lambda: inbox.messages)
    [(subject, body)] = inbox.texts()
    [(path, payload)] = hook.posts
    assert path == f"/wecom/{TOKEN}"                                   # the secret came from the environment
    label = REGISTRY[KPI]
    for text in (subject, payload["title"]):
        assert label.label_zh in text and label.label_en in text
    for text in (body, payload["message"]):
        assert f"{100 * 16 / 20:.1f}%" in text and "≥ 98.0%" in text    # the value and the target
        assert f"{98 - 100 * 16 / 20:.1f} 个百分点" in text and f"{98 - 80:.1f} pp" in text   # by how much
        assert "16/20" in text and "16 of 20 lots" in text
        assert "2021年3月" in text and "Mar 2021" in text
        assert f"{APP_URL}/inspections" in text
        assert text.index(label.label_zh) < text.index(label.label_en)  # Chinese first, the English below
        assert "开始于 2021-04-10" in text and "Since 2021-04-10" in text
    out = capsys.readouterr().out
    assert "1 active 未解除, 1 new 新增" in out and "2 sent 已发送" in out
    assert TOKEN not in out and "${QUALITY_TEST_HOOK_TOKEN}" in out
    settings = load_settings(warehouse=missed)
    assert TOKEN.encode() not in settings.accounts_path.read_bytes()


def test_the_same_alert_is_not_sent_again_until_a_day_has_passed(missed, configured, inbox, hook):
    assert alerts_cli(missed) == 0
    wait_for(lambda: inbox.messages)
    assert alerts_cli(missed) == 0                     # the same day: nothing new
    assert len(inbox.messages) == 1 and len(hook.posts) == 1
    assert alerts_cli(missed, "2021-04-11") == 0       # a day later, still missed: sent again
    wait_for(lambda: len(inbox.messages) == 2)
    assert len(inbox.messages) == 2 and len(hook.posts) == 2
    assert accounts_rows(missed, "SELECT count(*), count(cleared_at) FROM alert") == [(1, 0)]


def test_an_alert_that_cleared_is_sent_again_when_it_comes_back(missed, configured, inbox, hook):
    assert alerts_cli(missed) == 0
    set_target(missed, 70)                             # 80 % meets 70 %: the alert clears
    assert alerts_cli(missed) == 0
    assert accounts_rows(missed, "SELECT count(*), count(cleared_at) FROM alert") == [(1, 1)]
    set_target(missed, 98)                             # missed again, the same day
    assert alerts_cli(missed) == 0
    wait_for(lambda: len(inbox.messages) == 2)
    assert len(inbox.messages) == 2 and len(hook.posts) == 2
    assert accounts_rows(missed, "SELECT count(*), count(cleared_at) FROM alert") == [(2, 1)]


def test_a_failed_delivery_is_recorded_shown_and_delivered_on_the_next_run(missed, configured, inbox, hook, capsys):
    hook.stop()
    assert alerts_cli(missed) == 1                     # the webhook is down
    out = capsys.readouterr().out
    assert "1 failed 发送失败" in out and TOKEN not in out
    wait_for(lambda: inbox.messages)
    assert len(inbox.messages) == 1 and hook.posts == []
    with accounts_connection(load_settings(warehouse=missed)) as con:
        [(record, failure)] = alerts.failed_deliveries(con)
    assert record.key == f"target:{KPI}:2021-03" and failure["failures"] == 1
    assert failure["target_shown"] == configured.read_text().split('"')[3] and TOKEN not in (failure["error"] or "")
    hook.start()
    assert alerts_cli(missed) == 0                     # the next run: the webhook gets it, the mail is not sent twice
    assert len(hook.posts) == 1 and len(inbox.messages) == 1
    with accounts_connection(load_settings(warehouse=missed)) as con:
        assert alerts.failed_deliveries(con) == []


def test_a_dry_run_prints_the_messages_and_sends_and_records_nothing(missed, configured, inbox, hook, capsys):
    assert alerts_cli(missed, "2021-04-10", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.count("would send 将发送") == 2 and "80.0%" in out and "nothing sent or recorded" in out
    time.sleep(0.3)
    assert inbox.messages == [] and hook.posts == []
    assert accounts_rows(missed, "SELECT count(*) FROM alert") == [(0,)]
    assert accounts_rows(missed, "SELECT count(*) FROM alert_delivery") == [(0,)]
    assert alerts_cli(missed) == 0                     # the real run afterwards still sends it
    wait_for(lambda: inbox.messages)
    assert len(inbox.messages) == 1 and len(hook.posts) == 1


def test_a_warehouse_rollback_does_not_send_an_alert_again(tmp_path, missed, configured, inbox, hook):
    april = write_csv(tmp_path / "april.csv", IQC_HEADER, iqc_rows(4, 10, prefix="APR"))
    assert main(["load", str(april), "--warehouse", str(missed)]) == 0
    assert alerts_cli(missed) == 0
    wait_for(lambda: inbox.messages)
    assert main(["rollback", "--warehouse", str(missed)]) == 0   # back to before the April load (and the alert)
    assert alerts_cli(missed) == 0
    assert len(inbox.messages) == 1 and len(hook.posts) == 1


def test_a_load_alerts_on_a_refused_file_and_quarantined_rows_and_a_clean_load_clears_them(
        tmp_path, warehouse, configured, inbox, hook, capsys):
    rows = iqc_rows(3, 10)
    rows[4][2] = "2021-13-01"                          # one row quarantined
    bad = write_csv(tmp_path / "iqc.csv", IQC_HEADER, rows)
    odd = write_csv(tmp_path / "odd.csv", ["甲", "乙"], [["1", "2"]])   # refused: no kind has these headers
    assert main(["load", str(bad), str(odd), "--warehouse", str(warehouse)]) == 1
    assert "2 new 新增" in capsys.readouterr().out
    wait_for(lambda: len(inbox.messages) == 2)
    subjects = sorted(s for s, _ in inbox.texts())
    assert any("odd.csv" in s and "文件被拒收" in s and "File refused" in s for s in subjects)
    [body] = [b for s, b in inbox.texts() if "iqc.csv" in s]
    assert "1 行（共 10 行）" in body and "1 of the 10 rows" in body and f"{APP_URL}/data_quality" in body
    assert len(hook.posts) == 2
    good = write_csv(tmp_path / "may.csv", IQC_HEADER, iqc_rows(5, 5, prefix="MAY"))
    assert main(["load", str(good), "--warehouse", str(warehouse)]) == 0
    assert "2 cleared 已解除" in capsys.readouterr().out
    assert len(inbox.messages) == 2
    assert main(["load", str(good), "--warehouse", str(warehouse), "--dry-run"]) == 0
    assert "alerts 预警" not in capsys.readouterr().out


def test_instruments_coming_due_and_complaint_milestones_due_within_hours_alert(tmp_path, warehouse, configured,
                                                                                  inbox, hook):
    configured.write_text(configured.read_text() + "\n[alerts]\ncalibration_due_days = 10\ncomplaint_due_hours = 6\n",
                          encoding="utf-8")
    set_target(warehouse, 98)                          # creates the warehouse
    now = dt.datetime(2021, 4, 10, 9, 0)
    with write_snapshot(warehouse) as con:
        con.execute("INSERT INTO instrument (code, name) VALUES ('JL-1', '千分尺'), ('JL-2', '卡尺'), ('JL-3', '量块')")
        con.execute("INSERT INTO instrument_calibration (instrument, calibrated_on, next_due_on, result) VALUES "
                    "('JL-1', DATE '2020-04-17', DATE '2021-04-17', 'pass'), "     # due in 7 days: alerts
                    "('JL-2', DATE '2020-05-01', DATE '2021-05-01', 'pass'), "     # in 21 days: not yet
                    "('JL-3', DATE '2020-04-01', DATE '2021-04-05', 'pass')")      # 5 days overdue
        con.execute("INSERT INTO complaint (id, region, received_at) VALUES "
                    "('KS-1', 'in_province', TIMESTAMP '2021-04-10 07:30:00'), "  # first response due 11:30
                    "('KS-2', 'in_province', TIMESTAMP '2021-04-09 07:30:00')")   # due 04-09 11:30: overdue, not done
    settings = load_settings(warehouse=warehouse)
    from etl.alerts import run_alerts
    from presentation import alert_message

    run = run_alerts(settings, alert_message, now=now)
    keys = sorted(r.key for r in run.active)
    assert "calibration_due:JL-1:2021-04-17" in keys and "calibration_due:JL-3:2021-04-05" in keys
    assert not any("JL-2" in k for k in keys)
    assert "complaint_due:KS-1:first_response" in keys          # 07:30 + 4 h = 11:30, within 6 h of 09:00
    assert "complaint_due:KS-1:reply" not in keys               # 07:30 + 24 h: beyond 6 h
    assert "complaint_due:KS-2:first_response:overdue" in keys  # 21.5 h past its deadline and still not done
    wait_for(lambda: len(inbox.messages) == len(keys))
    bodies = {s: b for s, b in inbox.texts()}
    [due] = [b for s, b in bodies.items() if "JL-1" in s]
    assert f"还有 {(dt.date(2021, 4, 17) - now.date()).days} 天" in due and "in 7 days" in due
    [overdue] = [b for s, b in bodies.items() if "JL-3" in s]
    assert f"已逾期 {(now.date() - dt.date(2021, 4, 5)).days} 天" in overdue
    [late] = [b for s, b in inbox.texts() if "KS-2" in s and "首次回应" in b]
    assert "已逾期 21.5 小时，仍未完成" in late and "21.5 h overdue" in late
    [complaint] = [b for s, b in bodies.items() if "KS-1" in s]
    left = (dt.datetime(2021, 4, 10, 11, 30) - now).total_seconds() / 3600
    assert f"还剩 {left:.1f} 小时" in complaint and "首次回应" in complaint and "first response" in complaint
    assert f"{APP_URL}/complaints" in complaint


@pytest.mark.parametrize("text, key", [
    ('[[rule]]\nkpi = "incoming_inspection_pass_rate"\nthreshold = "abc"\n', "rule[1].threshold"),
    ('[[rule]]\nkpi = "no_such_kpi"\nthreshold = 97\n', "rule[1].kpi"),
    ('[[rule]]\nkpi = "incoming_inspection_pass_rate"\ntreshold = 97\n', "rule[1].treshold"),
    ('[[rule]]\nkpi = "incoming_inspection_pass_rate"\nthreshold = 97\nyoy_drop = 2\n', "rule[1]"),
    ('[[rule]]\nkpi = "incoming_inspection_pass_rate"\nthreshold = 97\n\n[[rule]]\nkpi = "airtightness_first_pass_rate"'
     '\ncontrol_chart = true\n', "rule[2].kpi"),
    ('[[target]]\nurl = "not a url"\n', "target[1].url"),
    ('[[target]]\nurl = "wecombot://$QUALITY_KEY"\n', "target[1].url"),
    ('[alerts]\nrepeat_hours = -1\n', "alerts.repeat_hours"),
    ('[alerts]\ncalibration_due_days = 7.5\n', "alerts.calibration_due_days"),
    ('[alert]\nrepeat_hours = 1\n', "(top level).alert"),
    ('[[rule]\nkpi = 1\n', "not valid TOML"),
])
def test_bad_entries_of_the_alerts_file_are_refused_naming_the_file_and_the_key(tmp_path, missed, monkeypatch,
                                                                                capsys, text, key):
    path = tmp_path / "site-alerts.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("QUALITY_ALERTS", str(path))
    assert alerts_cli(missed) == 2
    err = capsys.readouterr().err
    assert f"{path}: {key}" in err or (key == "not valid TOML" and f"{path}: not valid TOML" in err), err
    assert "：" in err                                   # the Chinese reason too
    with pytest.raises(alerts.AlertConfigError, match=key.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")
                       .replace("(", r"\(").replace(")", r"\)")):
        alerts.read_alert_config(path)


def test_without_an_alerts_file_the_command_says_how_to_configure_one(missed, monkeypatch, capsys):
    monkeypatch.delenv("QUALITY_ALERTS", raising=False)
    assert alerts_cli(missed) == 2
    assert "QUALITY_ALERTS" in capsys.readouterr().err


def test_a_secret_missing_from_the_environment_is_a_failed_delivery_naming_the_variable(missed, configured, inbox,
                                                                                        monkeypatch, capsys):
    monkeypatch.delenv("QUALITY_TEST_HOOK_TOKEN")
    assert alerts_cli(missed) == 1
    assert "QUALITY_TEST_HOOK_TOKEN is not set" in capsys.readouterr().out
    wait_for(lambda: inbox.messages)
    assert len(inbox.messages) == 1


# The rule: a running month's figure and work in progress ---------------------------------------------------------


def value(code: str, v: float | None, num=None, den=None, partial=False, in_progress=None) -> KpiValue:
    return KpiValue(code, code, v, num, den, REGISTRY[code].unit, None, None, "", None, None, in_progress, partial,
                    dt.date(2021, 4, 10))


@pytest.mark.parametrize("code, figure, comparator, goal, decided", [
    # a running month's 97 % against >= 98 %: more lots this month could still lift it
    ("incoming_inspection_pass_rate", value(KPI, 97.0, 97, 100, partial=True), ">=", 98, False),
    # the same figure for a whole month: missed
    ("incoming_inspection_pass_rate", value(KPI, 97.0, 97, 100), ">=", 98, True),
    # a target of 100 %: one failed lot decides the running month
    ("final_inspection_pass_rate", value("final_inspection_pass_rate", 95.0, 19, 20, partial=True), ">=", 100, True),
    # a count of incidents above 0 in a running month only grows
    ("minor_injuries", value("minor_injuries", 1.0, 1, None, partial=True), "<=", 0, True),
    # 7 of 10 complaints handled (70 %), 3 in progress: all three handled would make 10 of 13 = 76.9 % >= 75 %
    ("complaint_handling_rate", value("complaint_handling_rate", 70.0, 7, 10, in_progress=3), ">=", 75, False),
    # the same against >= 80 %: 76.9 % at best still misses: decided
    ("complaint_handling_rate", value("complaint_handling_rate", 70.0, 7, 10, in_progress=3), ">=", 80, True),
    # 8 of 10, 1 in progress, target 100 %: even with it handled 9 of 11 < 100 %: decided
    ("complaint_handling_rate", value("complaint_handling_rate", 80.0, 8, 10, in_progress=1), ">=", 100, True),
    # a PPM in a running month can still be diluted by good units
    ("incoming_inspection_ppm", value("incoming_inspection_ppm", 900.0, 9, 10000, partial=True), "<=", 500, False),
    # met: nothing to decide
    ("incoming_inspection_pass_rate", value(KPI, 99.0, 99, 100), ">=", 98, False),
])
def test_a_miss_alerts_only_once_it_is_decided(code, figure, comparator, goal, decided):
    assert alerts.miss_decided(REGISTRY[code], figure, comparator, goal) is decided


def test_the_best_case_counts_every_item_in_progress_as_met():
    figure = value("complaint_handling_rate", 79.0, 79, 100, in_progress=3)
    assert alerts.best_case(REGISTRY["complaint_handling_rate"], figure) == pytest.approx(100 * 82 / 103)


def test_a_running_months_undecided_miss_does_not_alert_and_last_months_whole_one_does(tmp_path, warehouse):
    march = write_csv(tmp_path / "march.csv", IQC_HEADER, iqc_rows(3, 20))           # 16 of 20
    april = write_csv(tmp_path / "april.csv", IQC_HEADER, iqc_rows(4, 10, prefix="APR"))  # lot i on 2021-04-(i+1)
    assert main(["load", str(march), str(april), "--warehouse", str(warehouse)]) == 0
    set_target(warehouse, 98)
    config = alerts.AlertConfig(Path("alerts.toml"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = alerts.scheduled_alerts(con, config, load_settings(warehouse=warehouse), dt.datetime(2021, 4, 10, 9))
    assert [a.key for a in found] == [f"target:{KPI}:2021-03"]
    set_target(warehouse, 100)                          # now one failed lot decides April too
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = alerts.scheduled_alerts(con, config, load_settings(warehouse=warehouse), dt.datetime(2021, 4, 10, 9))
    assert sorted(a.key for a in found) == [f"target:{KPI}:2021-03", f"target:{KPI}:2021-04"]
    [running] = [a for a in found if a.key.endswith("2021-04")]
    so_far = [i for i in range(1, 11) if i + 1 <= 10]                       # lots inspected by 10 April
    assert running.facts["partial"] and running.facts["denominator"] == len(so_far)
    assert running.facts["numerator"] == len([i for i in so_far if i % 5])   # every 5th lot failed


def test_threshold_and_yoy_rules_of_the_file(tmp_path, warehouse):
    prior = write_csv(tmp_path / "2020.csv", IQC_HEADER,
                      [[c.replace("2021/", "2020/") if isinstance(c, str) else c for c in r]
                       for r in iqc_rows(3, 20, fail_every=10, prefix="P")])   # March 2020: 18 of 20, 90 %
    march = write_csv(tmp_path / "march.csv", IQC_HEADER, iqc_rows(3, 20))      # March 2021: 16 of 20, 80 %
    assert main(["load", str(prior), str(march), "--warehouse", str(warehouse)]) == 0
    path = tmp_path / "alerts.toml"
    path.write_text(f'[alerts]\nkpi_targets = false\n\n[[rule]]\nkpi = "{KPI}"\nthreshold = 85\n\n'
                    f'[[rule]]\nkpi = "{KPI}"\nyoy_drop = 10\n\n[[rule]]\nkpi = "{KPI}"\nyoy_drop = 10.5\n',
                    encoding="utf-8")
    config = alerts.read_alert_config(path)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = alerts.scheduled_alerts(con, config, load_settings(warehouse=warehouse), dt.datetime(2021, 4, 10, 9))
    assert sorted(a.key for a in found) == [f"threshold:{KPI}:>=85:2021-03", f"yoy_drop:{KPI}:10:2021-03"]
    from presentation import alert_message
    [yoy] = [a for a in found if a.kind == "yoy_drop"]
    record = alerts.AlertRecord(1, yoy.key, yoy.kind, yoy.family, yoy.page, yoy.facts, dt.datetime(2021, 4, 10, 9))
    title, body = alert_message(record, load_settings(warehouse=warehouse))
    assert f"上年同期 {100 * 18 / 20:.1f}%" in body and f"变差 {90 - 80:.1f} 个百分点" in body
    assert "同比变差" in title and "worse than a year earlier" in title


# The pages ----------------------------------------------------------------------------------------------------


def page_texts(at) -> str:
    from tests.conftest import unescaped

    return "\n".join([*(unescaped(e.value) for kind in ("title", "subheader", "markdown", "caption", "info", "code")
                        for e in getattr(at, kind)),
                      *(d.value.to_csv() for d in at.dataframe)])


def test_the_alerts_page_shows_the_active_alerts_and_history_to_everyone_and_the_rules_to_admins(
        missed, configured, inbox, hook, monkeypatch):
    from tests.conftest import signed_in_app

    monkeypatch.setenv("QUALITY_WAREHOUSE", str(missed))
    assert alerts_cli(missed) == 0
    at = signed_in_app(missed, "wang", "viewer", "alerts")
    text = page_texts(at)
    active = at.dataframe[0].value
    assert list(active.columns) == ["预警", "说明", "开始时间", "页面"]
    assert active["预警"].tolist() == [f"{REGISTRY[KPI].label_zh}未达标"]
    assert "80.0%" in active["说明"][0] and "≥ 98.0%" in active["说明"][0] and active["页面"][0] == "检验"
    history = at.dataframe[1].value
    assert history["状态"].tolist() == ["未解除"] and history["已送达次数"].tolist() == [2]
    assert "预警规则（管理员）" not in text and TOKEN not in text
    admin = signed_in_app(missed, "boss", "admin", "alerts")
    text = page_texts(admin)
    assert "预警规则（管理员）" in text and configured.name in text
    assert "${QUALITY_TEST_HOOK_TOKEN}" in text and TOKEN not in text
    assert "每个设有目标的指标未达标时预警" in text
    admin.sidebar.radio(key="lang").set_value("en").run()
    assert admin.dataframe[0].value["Alert"].tolist() == [f"{REGISTRY[KPI].label_en} missed its target"]


def test_the_data_quality_page_shows_a_failed_delivery(missed, configured, inbox, hook, monkeypatch):
    from tests.conftest import signed_in_app

    monkeypatch.setenv("QUALITY_WAREHOUSE", str(missed))
    hook.stop()
    assert alerts_cli(missed) == 1
    at = signed_in_app(missed, "li", "viewer", "data_quality")
    assert "预警发送失败" in [s.value for s in at.subheader]
    [failed] = [d.value for d in at.dataframe if "发送目标" in d.value.columns]
    assert failed["发送目标"].tolist() == [hook.url] and failed["失败次数"].tolist() == [1]
    assert TOKEN not in failed.to_csv()


# The control-chart rule (warehouse.spc) ---------------------------------------------------------------------------


@pytest.fixture
def out_of_control(tmp_path, warehouse):
    """IQC from May 2020 to March 2021, 20 lots a month: 1 failed each month, 10 failed in March 2021."""
    files = []
    for year, month in [(2020, m) for m in range(5, 13)] + [(2021, m) for m in (1, 2, 3)]:
        rows = iqc_rows(month, 20, fail_every=2 if (year, month) == (2021, 3) else 20, prefix=f"P{year}")
        rows = [[c.replace("2021/", f"{year}/") for c in r] for r in rows]
        files.append(write_csv(tmp_path / f"iqc-{year}-{month:02d}.csv", IQC_HEADER, rows))
    assert main(["load", *map(str, files), "--warehouse", str(warehouse)]) == 0
    return warehouse


def test_a_control_chart_signal_alerts_with_the_rule_it_broke(tmp_path, out_of_control):
    # the p-chart's centre over the eleven months and March's upper 3σ limit for its 20 lots
    centre = (10 * 1 + 10) / (11 * 20)
    ucl = centre + 3 * (centre * (1 - centre) / 20) ** 0.5
    assert 10 / 20 > ucl                                  # March lies beyond it: rule 1
    path = tmp_path / "alerts.toml"
    path.write_text(f'[alerts]\nkpi_targets = false\n\n[[rule]]\nkpi = "{KPI}"\ncontrol_chart = true\n',
                    encoding="utf-8")
    config = alerts.read_alert_config(path)
    settings = load_settings(warehouse=out_of_control)
    with duckdb.connect(str(out_of_control), read_only=True) as con:
        found = alerts.scheduled_alerts(con, config, settings, dt.datetime(2021, 4, 10, 9))
        later = alerts.scheduled_alerts(con, config, settings, dt.datetime(2021, 5, 10, 9))
    [signal] = found
    assert signal.key == f"control_chart:{KPI}:IQC::2021-03" and "beyond_3sigma" in signal.facts["rules"]
    assert later == []                                    # two months on, March is no longer news
    from presentation import alert_message

    record = alerts.AlertRecord(1, signal.key, signal.kind, signal.family, signal.page, signal.facts,
                                dt.datetime(2021, 4, 10, 9))
    title, body = alert_message(record, settings)
    assert "控制图判异" in title and "control-chart signal" in title
    assert "超出3σ控制限 (规则1)" in body and "beyond the 3σ limits (rule 1)" in body and "2021年3月" in body
    path.write_text(path.read_text() + 'supplier = "无此供应商"\n', encoding="utf-8")
    with duckdb.connect(str(out_of_control), read_only=True) as con, \
            pytest.raises(alerts.AlertConfigError, match=r"rule\[1\]\.supplier"):
        alerts.scheduled_alerts(con, alerts.read_alert_config(path), settings, dt.datetime(2021, 4, 10, 9))


def test_a_load_from_the_refresh_page_sends_its_data_quality_alerts_and_a_bad_file_is_said(
        tmp_path, warehouse, configured, inbox, hook):
    from app.actions import load_alerts
    from etl import load_paths

    odd = write_csv(tmp_path / "odd.csv", ["甲", "乙"], [["1", "2"]])
    settings = load_settings(warehouse=warehouse)
    summary = load_paths([odd], settings, actor="admin", command="refresh")
    run = load_alerts(settings, summary)
    assert run.opened == 1 and len(run.sent) == 2
    wait_for(lambda: inbox.messages)
    assert "odd.csv" in inbox.texts()[0][0]
    configured.write_text('[[rule]]\nkpi = "nope"\nthreshold = 1\n', encoding="utf-8")
    error = load_alerts(settings, load_paths([odd], settings, actor="admin", command="refresh"))
    assert isinstance(error, alerts.AlertConfigError) and "rule[1].kpi" in str(error) and "rule[1].kpi" in error.reason_zh
