"""Domain logic of the graduation photo capture station. Never imports Qt."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_ROOT / "assets"
CALIBRATION_DIR = PROJECT_ROOT / "calibration"
