#!/usr/bin/env bash
# Installs everything (with the test tools), builds the frozen one-folder program, then runs the whole test suite
# offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
# What only the tests need: a real PostgreSQL cluster for the server's PostgreSQL path (the test starts it),
# Xvfb for the first-run test that opens the demo on a real X display (the xcb platform, not offscreen),
# openbox for the same under a kiosk window manager, and Chromium for the registrar page rendered in a real browser
# (setup.sh installs them with the station's own packages, by the same check).
STATION_EXTRA_PACKAGES="postgresql xvfb openbox chromium|chromium-browser" bash scripts/setup.sh dev,postgres
# The frozen one-folder build (the Windows laptops' program, built here for Linux): a build that fails stops the
# run; tests/packaging then runs the folder's commands and opens its demo window.
bash scripts/build_installer.sh
export QT_QPA_PLATFORM=offscreen
# One test worker per core (pytest-xdist), each taking whole files so a file's servers and windows are set up once:
# most tests wait on a sub-process, a server or a window more than they compute, so one worker left a core idle.
# STATION_TEST_WORKERS=0 runs them in this one process (as `pytest -s` needs). A worker that crashes (a segmentation
# fault) ends the run at once, naming the test: pytest-xdist 3.8's replacement worker waits forever under loadfile
# (pytest-xdist issues 784, 1327), so a fresh-clone run hung until it was stopped (s34).
exec .venv/bin/python -m pytest -n "${STATION_TEST_WORKERS:-auto}" --dist loadfile --max-worker-restart 0 "$@"
