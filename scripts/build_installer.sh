#!/usr/bin/env bash
# Builds the station as one folder that runs with no Python installed: dist/photo-station/ (its program
# dist/photo-station/photo-station), from packaging/photo_station.spec with PyInstaller (the dev extra).
# Prints the build time and the folder's size. The Windows folder is built on Windows: scripts/build_installer.ps1.
# Usage: scripts/build_installer.sh   (after scripts/setup.sh dev; scripts/test.sh runs it before the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# build/pyinstaller keeps PyInstaller's analysis between runs; dist/photo-station is replaced whole.
# PyInstaller's chatter goes to a log (shown whole when the build fails): on Linux it warns about every Windows and
# macOS library the wheels' ctypes code names (user32, ntdll, CoreFoundation...), which reads like a fault.
mkdir -p build
log=build/pyinstaller.log
echo "building dist/photo-station/ (a few minutes; details in $log)"
if ! .venv/bin/python -m PyInstaller --noconfirm --log-level WARN --workpath build/pyinstaller --distpath dist \
     packaging/photo_station.spec >"$log" 2>&1; then
  cat "$log" >&2
  echo "the build failed: the messages above (also in $log) say why" >&2
  exit 1
fi
[ -x dist/photo-station/photo-station ] || { echo "the build made no dist/photo-station/photo-station" >&2; exit 1; }
echo "built dist/photo-station/ in $(( $(date +%s) - started )) s: $(du -sm dist/photo-station | cut -f1) MB"
