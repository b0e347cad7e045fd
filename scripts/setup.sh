#!/usr/bin/env bash
# Install what the dashboard needs (and with --test, what the test suite needs) on a Debian machine
# with Python 3.11: system packages through apt when missing, Python packages from requirements.lock
# into .venv, and this project itself in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

packages=()
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
# Chinese fonts: the app's PDF exports embed them, and the browser must draw Chinese.
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || packages+=(fonts-noto-cjk)
if [ "$want_tests" = 1 ]; then
  command -v chromium >/dev/null || packages+=(chromium)       # browser tests (Playwright drives it)
  command -v pdftotext >/dev/null || packages+=(poppler-utils) # PDF tests read text and pages back
fi
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends fontconfig "${packages[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
