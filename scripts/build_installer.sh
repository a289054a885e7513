#!/usr/bin/env bash
# Builds the station as one folder that runs with no Python installed: dist/photo-station/ (its program
# dist/photo-station/photo-station), from packaging/photo_station.spec with PyInstaller (the dev extra).
# Prints the build time and the folder's size. The Windows folder is built on Windows: scripts/build_installer.ps1.
# Usage: scripts/build_installer.sh   (after scripts/setup.sh dev; scripts/test.sh runs it before the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# build/pyinstaller keeps PyInstaller's analysis between runs; dist/photo-station is replaced whole.
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN --workpath build/pyinstaller --distpath dist \
  packaging/photo_station.spec
[ -x dist/photo-station/photo-station ] || { echo "the build made no dist/photo-station/photo-station" >&2; exit 1; }
echo "built dist/photo-station/ in $(( $(date +%s) - started )) s: $(du -sm dist/photo-station | cut -f1) MB"
