"""Starting the window: language, fonts, Qt's environment, then the station (the demo's own), the sign-in
dialog and the capture session (station.adapters.startup holds the rules of each)."""

from __future__ import annotations

import argparse
import gc
import logging
import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from station.capture.session import SessionListener
from station.adapters.startup import Opened, SignIn, open_station, start_session
from station.errors import StationError
from station.i18n import Text
from station.logs import log_file
from ui import tasks
from ui.error_report import report_program_errors
from ui.i18n import install_qt_translations, set_language, t
from ui.main_window import MainWindow
from ui.qt_env import drop_opencv_qt_paths, xcb_plugin_problem
from ui.start_dialog import StartDialog
from ui.theme import apply_theme

CANNOT_START = Text("工作站无法启动", "The station cannot start")
NO_XCB = Text(
    "无法打开工作站窗口：Qt 的 xcb 显示插件缺少系统库（{problem}）。\n请运行 bash scripts/setup.sh 安装所需的系统库后重试。",
    "The station window cannot open: Qt's xcb display plugin is missing a system library ({problem}).\n"
    "Run bash scripts/setup.sh to install the system libraries it needs, then try again.",
)
log = logging.getLogger("station.app")


def sign_in(opened: Opened, operator: str | None) -> SignIn | None:
    """Ask for the photographer's name and, when the station key needs it, the passphrase, until both are
    good. None when the photographer cancels."""
    signing = SignIn(opened, operator)
    while not signing.done:
        dialog = StartDialog(signing.suggested_operator, signing.need, t(signing.problem) if signing.problem else "")
        if dialog.exec() != QDialog.Accepted:
            return None
        signing.answer(dialog.operator.text(), dialog.passphrase.text())
    if signing.operator:
        opened.station.remember_operator(signing.operator)
    return signing


def freeze_startup_objects() -> None:
    """Move what start-up made (about 136,000 objects of Qt, numpy, OpenCV and mediapipe's modules) out of the
    cyclic garbage collector's reach: each full collection walked them all with the interpreter held (55-83 ms),
    freezing the preview for as long at random moments, a shutter press among them. They live until the window
    closes; what the day allocates later is collected as before."""
    gc.collect()
    gc.freeze()


def run_app(args: argparse.Namespace) -> int:
    set_language(args.lang)
    drop_opencv_qt_paths()
    problem = xcb_plugin_problem()
    if problem is not None:  # QApplication() would abort the process with a misleading message
        print(t(NO_XCB.format(problem=problem)), file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tasks.install()
    install_qt_translations(app)
    apply_theme(app)
    try:
        opened = open_station(args)
    except StationError as exc:  # already running, a data folder or database that cannot be used
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        return exc.exit_code
    report_program_errors(log_file(opened.station.home))
    signed = sign_in(opened, args.operator)
    if signed is None:
        opened.close()
        return 1
    try:
        session = start_session(opened, signed, SessionListener(), tasks.to_main)
    except StationError as exc:  # the school's policy file in the data folder is broken: said, nothing started
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        opened.close()
        return exc.exit_code
    window = MainWindow(session, demo=opened.demo)
    window.show_with_queue()
    freeze_startup_objects()
    try:
        code = app.exec()
        log.info("station stopped (exit code %d)", code)
        return code
    finally:
        session.close()
        opened.close()
