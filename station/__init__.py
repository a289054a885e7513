"""Domain logic of the graduation photo capture station. Never imports Qt."""

from pathlib import Path

# Frozen (packaging/photo_station.spec), PyInstaller sets each module's __file__ under its bundle folder, where the
# spec lays out assets/, calibration/ and models/ as here: the same rule finds them.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_ROOT / "assets"
CALIBRATION_DIR = PROJECT_ROOT / "calibration"
