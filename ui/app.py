"""Starting the window: language, fonts, data home (the demo's own), keys, camera, uploader."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from station.camera import open_camera
from station.capture.workflow import CaptureWorkflow
from station.captures import CaptureStore
from station.context import Station
from station.demo import DEMO_FRAMES, DemoServer, demo_home, prepare_demo
from station.errors import StationError
from station.storage.station_key import PassphraseNeed, StationKey, passphrase_need, unlock_station_key
from station.upload.uploader import Uploader
from ui.i18n import install_qt_translations, set_language, t
from ui.main_window import MainWindow
from ui.start_dialog import StartDialog
from ui.theme import apply_theme

DEMO_OPERATOR = "演示摄影师"


def open_station(args: argparse.Namespace) -> tuple[Station, str, StationKey | None]:
    """The station, the camera choice and (demo only) the station key."""
    if args.demo:
        station = Station.open(demo_home(args.home), args.lang)
        key = prepare_demo(station)
        return station, args.camera or str(DEMO_FRAMES), key
    return Station.from_args(args), args.camera or "0", None


def sign_in(station: Station, operator: str | None, key: StationKey | None) -> tuple[str, StationKey] | None:
    """Ask for the photographer's name and, when neither the OS keyring nor $PHOTO_STATION_PASSPHRASE
    opens the station key, for the passphrase. None when the photographer cancels."""
    settings = QSettings("PhotoStation", "station")
    problem = ""
    if key is None:
        try:
            key = unlock_station_key(station.home)
        except StationError as exc:  # needing a passphrase is the dialog's ordinary question, not an error
            if passphrase_need(station.home) is PassphraseNeed.NONE:
                problem = t(exc.text)
    while True:
        if operator and key is not None:
            settings.setValue("operator", operator)
            return operator, key
        need = PassphraseNeed.NONE if key is not None else passphrase_need(station.home)
        dialog = StartDialog(operator or str(settings.value("operator", "")), need, problem)
        if dialog.exec() != QDialog.Accepted:
            return None
        operator = dialog.operator.text().strip()
        if key is None:
            try:
                key = unlock_station_key(station.home, dialog.passphrase.text() or None)
                problem = ""
            except StationError as exc:
                problem = t(exc.text)


def run_app(args: argparse.Namespace) -> int:
    set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    apply_theme(app)
    station, camera, key = open_station(args)
    signed = sign_in(station, args.operator or (DEMO_OPERATOR if args.demo else None), key)
    if signed is None:
        return 1
    operator, key = signed
    store = CaptureStore(station, key=key)
    store.recover()
    server = DemoServer(station).start() if args.demo else None
    uploader = Uploader(station.home, key)
    uploader.start()
    source = open_camera(camera).start()
    workflow = CaptureWorkflow(station, store, operator)
    window = MainWindow(workflow, source, uploader, demo=args.demo)
    window.resize(1400, 860)
    window.show()
    window.queue_window.show_on_second_screen()
    try:
        return app.exec()
    finally:
        source.stop()
        uploader.stop()
        if server is not None:
            server.stop()
        workflow.close()
        station.close()
