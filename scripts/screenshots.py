"""Renders the station's windows offscreen with the demo and saves PNGs (for the README and for review).

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from station.cli import build_parser  # noqa: E402
from ui.app import open_station  # noqa: E402
from ui.i18n import set_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from station.camera import open_camera  # noqa: E402


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="assets/screenshots", type=Path)
    parser.add_argument("--lang", default="zh")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    set_language(options.lang)
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    with tempfile.TemporaryDirectory() as home:
        args = build_parser().parse_args(["--demo", "--home", home, "--lang", options.lang])
        station, camera = open_station(args)
        source = open_camera(camera).start()
        window = MainWindow(station, source, demo=True)
        window.resize(1400, 820)
        window.show()
        pump(app, 1.5)
        window.identify("DEMO0001")
        pump(app, 0.5)
        window.grab().save(str(options.out / f"main_{options.lang}.png"))
        window.close()
        source.stop()
        station.close()
    print(f"screenshots written to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
