#!/usr/bin/env bash
# Installs everything (with the test tools), then runs the whole test suite offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
# The server's PostgreSQL path is tested against a real cluster the test starts itself.
if command -v apt-get >/dev/null 2>&1 && ! dpkg -s postgresql >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
bash scripts/setup.sh dev,postgres
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
