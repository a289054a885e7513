#!/usr/bin/env bash
# Installs everything (with the test tools), builds the frozen one-folder program, then runs the whole test suite
# offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
# What only the tests need: a real PostgreSQL cluster for the server's PostgreSQL path (the test starts it),
# Xvfb for the first-run test that opens the demo on a real X display (the xcb platform, not offscreen),
# openbox for the same under a kiosk window manager, and Chromium for the registrar page rendered in a real browser.
TEST_PACKAGES="postgresql xvfb openbox chromium"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $TEST_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi
bash scripts/setup.sh dev,postgres
# The frozen one-folder build (the Windows laptops' program, built here for Linux): a build that fails stops the
# run; tests/packaging then runs the folder's commands and opens its demo window.
bash scripts/build_installer.sh
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
