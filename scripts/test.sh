#!/usr/bin/env bash
# Installs everything (with the test tools), then runs the whole test suite offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
