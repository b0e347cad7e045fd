"""Benchmark the phone view over a throttled mobile link and under many sessions at once.

    .venv/bin/python scripts/benchmark_phone.py [--warehouse PATH] [--repeat 3] [--sessions 10 20] [--plain]

Starts the dashboard the way the README does (`streamlit run app/serve.py`) on a warehouse (the demo, built into a
temporary folder when none is given), and beside it a bare Streamlit app (one line of text, plain
`streamlit run`): the baseline, measured the same way in the same run. Headless Chromium, driven through Playwright,
throttles its network through the DevTools protocol (Network.emulateNetworkConditions: 1.6 Mbit/s down,
750 kbit/s up, 150 ms round trip) and times, from navigation, until the first KPI row is visible (the baseline:
until its line of text is):
  - a first visit with an empty browser cache, already signed in (the session cookie is set; nothing cached);
  - a later visit in the same browser, with the assets cached.
Each --repeat times, the median printed with the ratio to the baseline. Then it opens N signed-in phone sessions at
once (each its own browser context, empty cache, unthrottled, and its own login: N session tokens, as N phones hold)
for each N of --sessions and reads from /proc, through psutil, the
server process's processor time (user + system) used until every session shows its first row, and its memory
(RSS) with all N open. Also prints what a first visit downloads (bytes on the wire, by kind).
Targets: first visit ≤ 6 s, later visit ≤ 2 s, server CPU ≤ 0.1 s per phone session, memory ≤ 1.5 GB with 20.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.auth import SESSION_COOKIE  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from warehouse.settings import load_settings  # noqa: E402
from warehouse.users import login  # noqa: E402

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
PHONE = {"width": 390, "height": 844}
MOBILE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
PASSWORD = "benchmark-admin-pw"
BARE_APP = 'import streamlit as st\nst.markdown("<p class=\'bare\'>ok</p>", unsafe_allow_html=True)\n'


def throttled(page) -> None:
    """The page's network as a mobile link (DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", MOBILE)


def visit_seconds(page, url: str, selector: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - start


def signed_in_state(browser, url: str) -> dict:
    """The cookies of a signed-in admin (logging in once, unthrottled)."""
    context = browser.new_context(viewport=PHONE, user_agent=IPHONE)
    page = context.new_page()
    page.goto(url)
    page.get_by_label("用户名").wait_for(timeout=120_000)
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator(".ph-row").first.wait_for(timeout=120_000)
    state = context.storage_state()
    context.close()
    return state


def own_logins(state: dict, warehouse: Path, n: int) -> list[dict]:
    """n copies of a signed-in browser state, each with a session token of its own (n logins of the admin)."""
    if not any(c["name"] == SESSION_COOKIE for c in state["cookies"]):
        raise RuntimeError(f"the signed-in browser holds no {SESSION_COOKIE} cookie")
    settings = load_settings(warehouse=warehouse)
    states = []
    for _ in range(n):
        result = login(settings, "admin", PASSWORD)
        if result.status != "ok":
            raise RuntimeError(f"the benchmark's login failed: {result.status}")
        cookies = [{**c, "value": result.token} if c["name"] == SESSION_COOKIE else c for c in state["cookies"]]
        states.append({**state, "cookies": cookies})
    return states


def visits(browser, url: str, selector: str, state: dict | None, repeat: int) -> tuple[list[float], list[float], dict]:
    """(first visits, later visits, bytes of the first visit by resource type)."""
    first, later, sizes = [], [], {}
    for i in range(repeat):
        context = browser.new_context(viewport=PHONE, user_agent=IPHONE, storage_state=state)
        page = context.new_page()
        throttled(page)
        if i == 0:
            session = page.context.new_cdp_session(page)
            session.send("Network.enable")
            kinds = {}
            session.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
            session.on("Network.loadingFinished", lambda e: sizes.__setitem__(
                kinds.get(e["requestId"], "Other"), sizes.get(kinds.get(e["requestId"], "Other"), 0)
                + e["encodedDataLength"]))
        first.append(visit_seconds(page, url, selector))
        page.wait_for_timeout(1500)
        later.append(visit_seconds(page, url, selector))
        context.close()
    return first, later, sizes


def server_process(port: int) -> psutil.Process:
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "streamlit" in cmd and f"--server.port {port}" in cmd.replace("=", " "):
            return proc
    raise RuntimeError(f"no server on port {port}")


def cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def sessions_at_once(browser, url: str, states: list[dict], proc: psutil.Process) -> tuple[float, float, float]:
    """(server CPU seconds per session, server RSS in MB with all open, seconds until all show a row): one session
    for each signed-in state, opened at once."""
    n = len(states)
    contexts = [browser.new_context(viewport=PHONE, user_agent=IPHONE, storage_state=state) for state in states]
    pages = [c.new_page() for c in contexts]
    before, start = cpu_seconds(proc), time.perf_counter()
    for page in pages:
        page.goto(url, wait_until="commit")
    for page in pages:
        page.locator(".ph-row").first.wait_for(state="visible", timeout=600_000)
    elapsed = time.perf_counter() - start
    time.sleep(1.0)                                        # the runs' last messages
    used, rss = cpu_seconds(proc) - before, proc.memory_info().rss / 2**20
    for c in contexts:
        c.close()
    return used / n, rss, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sessions", type=int, nargs="*", default=[10, 20])
    parser.add_argument("--plain", action="store_true",
                        help="serve app/main.py with plain `streamlit run` (no compressed front end), to compare")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        warehouse = args.warehouse
        if warehouse is None:
            warehouse = Path(tmp) / "quality.duckdb"
            print("building the demo warehouse …", flush=True)
            subprocess.run([sys.executable, "-m", "etl", "demo", "--warehouse", str(warehouse)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, env={**os.environ, "QUALITY_ADMIN_PASSWORD": PASSWORD})
        bare = Path(tmp) / "bare" / "bare.py"
        bare.parent.mkdir()
        bare.write_text(BARE_APP)
        env = {"QUALITY_ADMIN_PASSWORD": PASSWORD}
        url = stack.enter_context(streamlit_server(warehouse, env, script=ROOT / "app" / "main.py" if args.plain else None))
        bare_url = stack.enter_context(streamlit_server(warehouse, env, script=bare))
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        state = signed_in_state(browser, url)
        base_first, base_later, base_sizes = visits(browser, bare_url, ".bare", None, args.repeat)
        first, later, sizes = visits(browser, url, ".ph-row", state, args.repeat)
        rows = [("first visit, empty cache", first, base_first, 6.0), ("later visit, cached", later, base_later, 2.0)]
        print(f"\nmobile link: {MOBILE['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down, "
              f"{MOBILE['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up, {MOBILE['latency']} ms; median of {args.repeat}")
        print(f"{'':28}{'phone view':>12}{'bare app':>12}{'ratio':>8}{'target':>10}")
        for name, ours, base, target in rows:
            ours_m, base_m = statistics.median(ours), statistics.median(base)
            print(f"{name:28}{ours_m:>10.2f} s{base_m:>10.2f} s{ours_m / base_m:>7.1f}×{f'≤ {target:.0f} s':>10}")
        print("first visit downloads (kB on the wire): phone view "
              + ", ".join(f"{k} {v / 1e3:,.0f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]))
              + f"; total {sum(sizes.values()) / 1e3:,.0f} (bare app {sum(base_sizes.values()) / 1e3:,.0f})")
        proc = server_process(int(url.rsplit(":", 1)[1]))
        for n in args.sessions:
            per_session, rss, elapsed = sessions_at_once(browser, url, own_logins(state, warehouse, n), proc)
            print(f"{n:>3} phone sessions at once: server CPU {per_session:.3f} s per session (≤ 0.1), "
                  f"server memory {rss:,.0f} MB (≤ 1,536), all shown after {elapsed:.1f} s")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
