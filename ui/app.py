"""Starting the window: language, fonts, data home (the demo's own), camera."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication

from station.camera import open_camera
from station.context import Station
from station.demo import DEMO_FRAMES, demo_home, prepare_demo
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.theme import apply_theme


def open_station(args: argparse.Namespace) -> tuple[Station, str]:
    """The station and the camera choice: the demo uses its own home and the bundled frames."""
    if args.demo:
        station = Station.open(demo_home(args.home), args.lang)
        prepare_demo(station)
        return station, args.camera or str(DEMO_FRAMES)
    return Station.from_args(args), args.camera or "0"


def run_app(args: argparse.Namespace) -> int:
    set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    station, camera = open_station(args)
    source = open_camera(camera).start()
    window = MainWindow(station, source, demo=args.demo)
    window.resize(1400, 820)
    window.show()
    try:
        return app.exec()
    finally:
        source.stop()
        station.close()
