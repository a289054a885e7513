"""Starting the window: language, fonts, Qt's environment, then the station (the demo's own), the sign-in
dialog and the capture session (station.adapters.startup holds the rules of each)."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

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
STARTING = Text("正在启动工作站：加载相机和检测模型…", "Starting the station: opening the camera and loading the checks…")
SHOW_WAIT_S = 0.3
log = logging.getLogger("station.app")


def starting_notice() -> QLabel:
    """Said on screen while the station loads its models and opens the camera (0.7-2.1 s on the 2-core build machine
    at load 1-7, more on a slow laptop): the screen stayed empty after the sign-in closed, as if the click was lost."""
    notice = QLabel(t(STARTING))
    notice.setWindowFlags(Qt.SplashScreen | Qt.FramelessWindowHint)
    notice.setAlignment(Qt.AlignCenter)
    notice.setStyleSheet("font-size: 20px; padding: 24px 36px; background: white; border: 1px solid #9e9e9e")
    return notice


def say_starting(notice: QLabel) -> None:
    """Shown and drawn now, before the work that holds the event loop: a window system maps a new window only after
    a round trip (a window manager's too), so events are handled until it is exposed, for at most SHOW_WAIT_S."""
    notice.show()
    notice.raise_()
    deadline = time.monotonic() + SHOW_WAIT_S
    while time.monotonic() < deadline and not (notice.windowHandle() and notice.windowHandle().isExposed()):
        QApplication.processEvents(QEventLoop.AllEvents, 20)
    notice.repaint()


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
    notice = starting_notice()
    say_starting(notice)
    try:
        session = start_session(opened, signed, SessionListener(), tasks.to_main)
    except StationError as exc:  # the school's policy file in the data folder is broken: said, nothing started
        notice.close()
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        opened.close()
        return exc.exit_code
    window = MainWindow(session, demo=opened.demo)
    window.show_with_queue()
    notice.close()
    freeze_startup_objects()
    try:
        code = app.exec()
        log.info("station stopped (exit code %d)", code)
        return code
    finally:
        session.close()
        opened.close()
