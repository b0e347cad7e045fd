"""One typed settings object: the only place that reads the environment."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_float(env: dict, name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name}={raw!r} is not a number") from exc


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the ETL, the warehouse and the app."""

    warehouse: Path = PROJECT_ROOT / "warehouse" / "quality.duckdb"
    mapping_file: Path | None = None
    import_dir: Path | None = None
    snapshots_kept: int = 5
    bad_row_share: float = 0.20
    foreign_reply_hours: float = 48.0
    upload_max_mb: float = 20.0
    idle_minutes: float = 60.0
    admin_password: str | None = field(default=None, repr=False)
    language: str = "zh"
    accounts_file: Path | None = None        # users, sessions, login attempts, audit log; default beside the warehouse
    login_max_failures: int = 5               # failed logins per user name within the window before it locks
    login_window_minutes: float = 15.0
    session_touch_seconds: float = 60.0       # a session's last-seen time is written at most this often
    password_min_length: int = 8
    plant_timezone: str = "Asia/Shanghai"     # the plant's clock: "today" and "now" of every figure
    complaint_handling_days: float = 30.0     # a complaint open this many days after receipt counts as not handled
    warranty_days: float = 30.0               # a 三包 repair, replacement or refund not done by then counts as not done
    cause_confirm_working_days: float = 3.0   # our fault: the cause is to be confirmed within these working days
    full_month_min_days: int = 7              # before this day of a month the pages open on the last full month
    alerts_file: Path | None = None           # the alert rules and targets (TOML, warehouse/alerts.py)
    app_url: str | None = None                # the dashboard's address, for the page an alert message links to

    def plant_now(self, instant: dt.datetime | None = None) -> dt.datetime:
        """Now (or the aware instant given) at the plant, as a naive local time (as the warehouse keeps times)."""
        return (instant or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(self.plant_timezone)).replace(tzinfo=None)

    def plant_today(self, instant: dt.datetime | None = None) -> dt.date:
        """Today (or the day of the aware instant given) at the plant."""
        return self.plant_now(instant).date()

    @property
    def snapshot_dir(self) -> Path:
        """Folder beside the warehouse that keeps the previous snapshots."""
        return self.warehouse.parent / "snapshots"

    @property
    def accounts_path(self) -> Path:
        """The accounts file: its own small DuckDB file, so logins never fill the warehouse's rollback snapshots."""
        return self.accounts_file or self.warehouse.with_name(f"{self.warehouse.stem}_accounts.duckdb")


def load_settings(env: dict | None = None, **overrides) -> Settings:
    """Settings from the environment (QUALITY_*), with explicit overrides winning."""
    env = os.environ if env is None else env
    values: dict = {}
    if env.get("QUALITY_WAREHOUSE"):
        values["warehouse"] = Path(env["QUALITY_WAREHOUSE"])
    if env.get("QUALITY_MAPPING"):
        values["mapping_file"] = Path(env["QUALITY_MAPPING"])
    if env.get("QUALITY_IMPORT_DIR"):
        values["import_dir"] = Path(env["QUALITY_IMPORT_DIR"])
    if env.get("QUALITY_SNAPSHOTS_KEPT"):
        values["snapshots_kept"] = int(_env_float(env, "QUALITY_SNAPSHOTS_KEPT", 5))
    values["bad_row_share"] = _env_float(env, "QUALITY_BAD_ROW_SHARE", 0.20)
    values["foreign_reply_hours"] = _env_float(env, "QUALITY_FOREIGN_REPLY_HOURS", 48.0)
    values["upload_max_mb"] = _env_float(env, "QUALITY_UPLOAD_MAX_MB", 20.0)
    values["idle_minutes"] = _env_float(env, "QUALITY_IDLE_MINUTES", 60.0)
    if env.get("QUALITY_ADMIN_PASSWORD"):
        values["admin_password"] = env["QUALITY_ADMIN_PASSWORD"]
    if env.get("QUALITY_ACCOUNTS"):
        values["accounts_file"] = Path(env["QUALITY_ACCOUNTS"])
    values["login_max_failures"] = int(_env_float(env, "QUALITY_LOGIN_MAX_FAILURES", 5))
    values["login_window_minutes"] = _env_float(env, "QUALITY_LOGIN_WINDOW_MINUTES", 15.0)
    values["session_touch_seconds"] = _env_float(env, "QUALITY_SESSION_TOUCH_SECONDS", 60.0)
    values["password_min_length"] = int(_env_float(env, "QUALITY_PASSWORD_MIN_LENGTH", 8))
    if env.get("QUALITY_PLANT_TIMEZONE"):
        values["plant_timezone"] = env["QUALITY_PLANT_TIMEZONE"]
    values["complaint_handling_days"] = _env_float(env, "QUALITY_COMPLAINT_HANDLING_DAYS", 30.0)
    values["warranty_days"] = _env_float(env, "QUALITY_WARRANTY_DAYS", 30.0)
    values["cause_confirm_working_days"] = _env_float(env, "QUALITY_CAUSE_CONFIRM_WORKING_DAYS", 3.0)
    values["full_month_min_days"] = int(_env_float(env, "QUALITY_FULL_MONTH_MIN_DAYS", 7))
    if env.get("QUALITY_ALERTS"):
        values["alerts_file"] = Path(env["QUALITY_ALERTS"])
    if env.get("QUALITY_APP_URL"):
        values["app_url"] = env["QUALITY_APP_URL"]
    if env.get("QUALITY_LANG") in ("zh", "en"):
        values["language"] = env["QUALITY_LANG"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        ZoneInfo(values.get("plant_timezone", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"QUALITY_PLANT_TIMEZONE={values['plant_timezone']!r} is not a time zone name "
                         "(for example Asia/Shanghai)") from exc
    for name in ("warehouse", "accounts_file", "alerts_file"):
        if isinstance(values.get(name), str):
            values[name] = Path(values[name])
    return Settings(**values)
