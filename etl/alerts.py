"""Sending alerts: evaluate (warehouse.alerts), keep their state in the accounts file, deliver through apprise.

`python -m etl alerts` runs run_alerts (the scheduled rules, and every active alert due again or not delivered yet);
a load runs alerts_after_load (the data-quality rules of that load). The words of a message come from the caller
(presentation's alert_message through etl.commands or the app), so this module stays below presentation.

Secrets: a target's URL names them as ${NAME}; they are put in from the environment only for the call to apprise,
and masked in every text this module returns (errors, the target as shown). Apprise's own logger is kept at
WARNING, whose messages carry no URL.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from warehouse.alerts import (AlertConfig, AlertConfigError, AlertRecord, Target, apply_plan, expanded_url, plan,
                              read_alert_config, record_delivery, load_alerts, scheduled_alerts)
from warehouse.db import read_connection
from warehouse.settings import Settings
from warehouse.snapshot import writer_lock
from warehouse.users import accounts_connection, accounts_write

Render = Callable[[AlertRecord, Settings], tuple[str, str]]   # (title, body) of an alert's message
MASK = "****"
ERROR_CHARS = 300


@dataclass
class Message:
    """One alert's message to one target: what was (or, in a dry run, would be) sent, and how it went."""

    record: AlertRecord
    target: str                    # the target as shown: secrets masked
    title: str
    body: str
    ok: bool | None = None         # None: not sent (dry run)
    error: str | None = None


@dataclass
class AlertRun:
    """The outcome of one evaluation of alerts."""

    now: dt.datetime
    dry_run: bool
    configured: bool                                     # an alerts file is configured (QUALITY_ALERTS)
    targets: int = 0
    opened: int = 0
    cleared: int = 0
    active: list[AlertRecord] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def failed(self) -> list[Message]:
        """The deliveries that failed (tried again by the next run)."""
        return [m for m in self.messages if m.ok is False]

    @property
    def sent(self) -> list[Message]:
        """The deliveries that succeeded."""
        return [m for m in self.messages if m.ok]


def masked(text: str, secrets: list[str]) -> str:
    """The text with every secret value replaced by ****."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


def target_shown(target: Target) -> str:
    """The target as pages and messages show it: its URL as the alerts file writes it, ${NAME} left as it is, a
    password written into the URL itself masked."""
    import urllib.parse

    parts = urllib.parse.urlsplit(target.url)
    if parts.password and not parts.password.startswith("${"):
        netloc = parts.netloc.replace(":" + parts.password + "@", f":{MASK}@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return target.url


def deliver(target: Target, title: str, body: str, env: dict | None = None) -> tuple[bool, str | None]:
    """Send one message to one target through apprise: (delivered, why not, with secrets masked)."""
    try:
        url, secrets = expanded_url(target, os.environ if env is None else env)
    except AlertConfigError as exc:
        return False, str(exc)
    import apprise

    logging.getLogger("apprise").setLevel(logging.WARNING)   # apprise's DEBUG lines carry URLs and keys
    asset = apprise.AppriseAsset(app_id="QualityKPI", app_desc="Quality KPI dashboard",
                                 storage_mode=apprise.PersistentStoreMode.MEMORY)
    notifier = apprise.Apprise(asset=asset)
    if not notifier.add(url):
        return False, masked(f"{target.where}.url is not an address apprise can send to", secrets)
    try:
        result = notifier.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
    except Exception as exc:  # a plugin's unexpected error: a failed delivery, tried again next run
        return False, masked(f"{type(exc).__name__}: {exc}", secrets)[:ERROR_CHARS]
    if result:
        return True, None
    said = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
    reason = "; ".join(dict.fromkeys(said)) or f"delivery failed ({getattr(result.status, 'name', result.status)})"
    return False, masked(reason, secrets)[:ERROR_CHARS]


@contextlib.contextmanager
def _one_run_at_a_time(settings: Settings):
    """Runs of alerts one after another (a cron run and a load at once would both send the same alert)."""
    with writer_lock(Path(str(settings.accounts_path) + ".alerts")):
        yield


def _with_id(record: AlertRecord, ids: dict[str, int]) -> AlertRecord:
    return record if record.id is not None else dataclasses.replace(record, id=ids[record.key])


def dispatch(settings: Settings, config: AlertConfig, found, families: set[str], send_families: set[str],
             render: Render, now: dt.datetime, dry_run: bool = False, env: dict | None = None) -> AlertRun:
    """Record what the runs of these families found (new alerts, cleared ones) in the accounts file and deliver
    the messages due (dry run: nothing recorded, nothing sent; the messages that would go are returned)."""
    run = AlertRun(now, dry_run, configured=config.path is not None, targets=len(config.targets))
    with _one_run_at_a_time(settings):
        with accounts_connection(settings) as con:
            changes = plan(con, found, families, send_families, config.targets, now, config.repeat_hours)
        run.opened, run.cleared = len(changes.opened), len(changes.cleared)
        if not dry_run and (changes.opened or changes.updated or changes.cleared):
            with accounts_write(settings) as con:
                ids = apply_plan(con, changes, now)
            changes.active = [_with_id(r, ids) for r in changes.active]
            changes.due = [(_with_id(r, ids), t) for r, t in changes.due]
        run.active = changes.active
        for record, target in changes.due:
            title, body = render(record, settings)
            run.messages.append(Message(record, target_shown(target), title, body))
        if dry_run or not changes.due:
            return run
        attempts = []
        for message, (record, target) in zip(run.messages, changes.due):
            message.ok, message.error = deliver(target, message.title, message.body, env)
            attempts.append((record.id, target, message.target, now, message.ok, message.error))
        with accounts_write(settings) as con:
            for alert_id, target, shown, at, ok, error in attempts:
                record_delivery(con, alert_id, target, shown, at, ok, error)
    return run


def run_alerts(settings: Settings, render: Render, now: dt.datetime | None = None, dry_run: bool = False,
               env: dict | None = None) -> AlertRun:
    """The scheduled run: evaluate the rules on the warehouse as of now (the plant's time by default), record,
    and deliver every active alert due (those of loads too: a failed delivery is tried again). AlertConfigError for
    a bad alerts file; without one (QUALITY_ALERTS unset) nothing is evaluated."""
    config = read_alert_config(settings.alerts_file)
    now = now or settings.plant_now()
    if config.path is None:
        return AlertRun(now, dry_run, configured=False)
    with read_connection(settings.warehouse) as con:
        found = scheduled_alerts(con, config, settings, now)
    return dispatch(settings, config, found, {"scheduled"}, {"scheduled", "load"}, render, now, dry_run, env)


def alerts_after_load(summary, settings: Settings, render: Render, now: dt.datetime | None = None,
                      env: dict | None = None) -> AlertRun | None:
    """The data-quality alerts of a load (etl.load.LoadSummary): a file refused, rows quarantined; those of an
    earlier load that this one does not repeat clear. None for a dry run or without an alerts file."""
    if settings.alerts_file is None or summary.dry_run:
        return None
    config = read_alert_config(settings.alerts_file)
    files = [{"name": f.name, "hash": f.hash, "status": f.status, "kind": f.kind, "rows": f.rows,
              "quarantined": f.quarantined, "reason_zh": f.reason_zh, "reason_en": f.reason_en} for f in summary.files]
    found = load_alerts(files, config)
    return dispatch(settings, config, found, {"load"}, {"load"}, render, now or settings.plant_now(), False, env)
