"""Starting the window: language, fonts, data home (the demo's own), keys, camera, uploader."""

from __future__ import annotations

import argparse
import logging
import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from station.camera import open_camera
from station.capture.workflow import CaptureWorkflow
from station.captures import CaptureStore
from station.context import Station
from station.demo import DEMO_FRAMES, DemoServer, demo_home, prepare_demo
from station.errors import StationError
from station.i18n import Text
from station.logs import log_file, log_to_file
from station.storage.station_key import PassphraseNeed, StationKey, passphrase_need, unlock_station_key
from station.upload.uploader import Uploader
from ui.error_report import report_program_errors
from ui.i18n import install_qt_translations, set_language, t
from ui.main_window import MainWindow
from ui.qt_env import drop_opencv_qt_paths, xcb_plugin_problem
from ui.start_dialog import StartDialog
from ui.theme import apply_theme

DEMO_OPERATOR = "演示摄影师"
CANNOT_START = Text("工作站无法启动", "The station cannot start")
NO_XCB = Text(
    "无法打开工作站窗口：Qt 的 xcb 显示插件缺少系统库（{problem}）。\n请运行 bash scripts/setup.sh 安装所需的系统库后重试。",
    "The station window cannot open: Qt's xcb display plugin is missing a system library ({problem}).\n"
    "Run bash scripts/setup.sh to install the system libraries it needs, then try again.",
)
log = logging.getLogger("station.app")


def open_station(args: argparse.Namespace) -> tuple[Station, str, StationKey | None]:
    """The station (this process its only window), the camera choice and (demo only) the station key."""
    station = Station.open(demo_home(args.home), args.lang) if args.demo else Station.from_args(args)
    try:
        station.claim()
        log_to_file(station.home)
        log.info("station starting: home %s, demo %s", station.home, bool(args.demo))
        if args.demo:
            return station, args.camera or str(DEMO_FRAMES), prepare_demo(station)
        return station, args.camera or "0", None
    except BaseException:
        station.close()
        raise


def sign_in(station: Station, operator: str | None, key: StationKey | None) -> tuple[str, StationKey] | None:
    """Ask for the photographer's name and, when neither the OS keyring nor $PHOTO_STATION_PASSPHRASE
    opens the station key, for the passphrase. None when the photographer cancels."""
    problem = ""
    if key is None:
        try:
            key = unlock_station_key(station.home)
        except StationError as exc:  # needing a passphrase is the dialog's ordinary question, not an error
            if passphrase_need(station.home) is PassphraseNeed.NONE:
                problem = t(exc.text)
    while True:
        if operator and key is not None:
            station.remember_operator(operator)
            return operator, key
        need = PassphraseNeed.NONE if key is not None else passphrase_need(station.home)
        dialog = StartDialog(operator or station.last_operator, need, problem)
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
    drop_opencv_qt_paths()
    problem = xcb_plugin_problem()
    if problem is not None:  # QApplication() would abort the process with a misleading message
        print(t(NO_XCB.format(problem=problem)), file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    apply_theme(app)
    try:
        station, camera, key = open_station(args)
    except StationError as exc:  # already running, a data folder or database that cannot be used
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        return exc.exit_code
    report_program_errors(log_file(station.home))
    signed = sign_in(station, args.operator or (DEMO_OPERATOR if args.demo else None), key)
    if signed is None:
        station.close()
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
    window.show_with_queue()
    try:
        code = app.exec()
        log.info("station stopped (exit code %d)", code)
        return code
    finally:
        source.stop()
        uploader.stop()
        if server is not None:
            server.stop()
        workflow.close()
        station.close()
