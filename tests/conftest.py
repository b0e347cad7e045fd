"""Shared test helpers: writing export files and looking at a real warehouse file."""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
# Every app the tests start (AppTest or a real server) creates its first admin with this password.
ADMIN_PASSWORD = "test-admin-pw-2026"
os.environ["QUALITY_ADMIN_PASSWORD"] = ADMIN_PASSWORD

# The 2021 report's tables as printed (tests/reference/README.md says where each figure comes from).
REFERENCE_DIR = Path(os.environ.get("QUALITY_REFERENCE_DIR", Path(__file__).resolve().parent / "reference"))


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", title: str | None = None) -> Path:
    """Write an export file the way an ERP would: optional title line, header, rows, in the given encoding."""
    buffer = io.StringIO()
    if title:
        buffer.write(title + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (to prove a warehouse did not change)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """Rows of a query on a read-only connection to the warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def log_in(at, name: str = "admin", password: str = ADMIN_PASSWORD, expect: bool = True):
    """Fill and submit the login form of an AppTest showing it (a real login); by default assert that it worked."""
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    if expect:
        assert "user" in at.session_state, [e.value for e in (*at.error, *at.warning, *at.info)]
    return at


def displayed(table):
    """A table element of an AppTest as the reader sees it: the text of every cell (a table drawn with units shows
    its figures as the formatter writes them, "1,548 ppm"; the element's .value keeps the numbers)."""
    import pyarrow as pa

    raw = table.proto.arrow_data.styler.display_values
    if not raw:
        return table.value.astype(str)
    shown = pa.ipc.open_stream(raw).read_pandas()
    shown.columns = table.value.columns
    return shown


def unescaped(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes (app.ui.plain) removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def shown(elements) -> list[str]:
    """The texts of message or Markdown elements as the reader sees them."""
    return [unescaped(e.value) for e in elements]


def add_account(warehouse: Path, name: str, role: str, password: str = "password-" + "x" * 4) -> str:
    """Create an account in the accounts file beside the warehouse (its first admin too); returns the password."""
    from warehouse.settings import load_settings
    from warehouse.users import add_user, ensure_first_admin

    settings = load_settings(warehouse=warehouse)
    ensure_first_admin(settings)
    add_user(settings, name, role, password, actor="test")
    return password


def signed_in_app(warehouse: Path, name: str, role: str, page: str | None = None, password: str = "password-1234"):
    """An AppTest of the app on the warehouse, signed in as a new account of the role (on the page's view, if
    given, without an exception)."""
    from streamlit.testing.v1 import AppTest

    add_account(warehouse, name, role, password)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app" / "main.py"), default_timeout=120)
    at.run()
    log_in(at, name, password)
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
    return at


def browser_log_in(page, url: str, name: str = "admin", password: str = ADMIN_PASSWORD, path: str = "") -> None:
    """Open the app at url/path in the browser page and log in through the form."""
    page.goto(f"{url}/{path}")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30_000)


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """Path of a warehouse file in a temporary folder (not created yet)."""
    return tmp_path / "wh" / "quality.duckdb"


@pytest.fixture
def con():
    """An in-memory DuckDB warehouse with every migration applied."""
    from warehouse.db import apply_migrations

    connection = duckdb.connect()
    apply_migrations(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo warehouse, built once per test process through `python -m etl demo` (the real load path)."""
    from etl.cli import main

    path = tmp_path_factory.mktemp("demo") / "quality.duckdb"
    assert main(["demo", "--warehouse", str(path)]) == 0
    return path


# --- a real Streamlit server and a real headless Chromium, for what only a browser shows ---------------------

CHROMIUM = os.environ.get("QUALITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOT_DIR = Path(os.environ.get("QUALITY_SCREENSHOTS", tempfile.gettempdir())) / "quality-test-screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(warehouse: Path, extra_env: dict | None = None, script: Path | None = None):
    """A real `streamlit run app/serve.py` (as the README starts it; or another script) on a free loopback port,
    reading the given warehouse; yields its URL."""
    port = _free_port()
    env = {**os.environ, "QUALITY_WAREHOUSE": str(warehouse), **(extra_env or {})}
    root = Path(__file__).resolve().parents[1]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script or root / "app" / "serve.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError("streamlit did not start:\n" + log.read().decode(errors="replace"))
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item, so the page fixture can keep a screenshot of failures."""
    outcome = yield
    setattr(item, f"rep_{call.when}", outcome.get_result())


@pytest.fixture
def browser_page(request, chromium):
    """A fresh page; when the test fails, a full-page screenshot is written to SCREENSHOT_DIR."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOT_DIR / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()
