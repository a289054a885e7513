"""Where the frozen one-folder build is (scripts/build_installer.sh writes it), for the tests that run it."""

from __future__ import annotations

import sys

import pytest

from station import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "dist" / "photo-station"
PROGRAM = FOLDER / ("photo-station.exe" if sys.platform == "win32" else "photo-station")
BUNDLE = FOLDER / "_internal"  # PyInstaller's sys._MEIPASS in a one-folder build: the frozen PROJECT_ROOT

needs_frozen_build = pytest.mark.skipif(
    not PROGRAM.is_file(),
    reason=f"no frozen build at {FOLDER}: run bash scripts/build_installer.sh (needs the dev extra's pyinstaller)")
