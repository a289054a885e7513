"""Program errors in the window: written to the log with their traceback, shown to the photographer
once, and never the end of the station (Qt carries on after a failed slot; the photos are on disk)."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station.errors import StationError
from station.i18n import Text
from ui.i18n import t
from ui.modal import ask

TITLE = Text("程序错误", "Program error")
PROGRAM_ERROR = Text(
    "工作站出现了一个程序错误，详情已写入日志文件：\n{log}\n\n已保存的照片不受影响，可以继续拍摄。"
    "如果反复出现，请重启工作站，并把日志文件发给技术支持。",
    "The station hit a program error; the details are in the log file:\n{log}\n\nPhotos already saved are "
    "not affected and you can go on. If it happens again, restart the station and send the log file to support.",
)

log = logging.getLogger("station.ui")


class ErrorReporter:
    """sys.excepthook for the window. Each distinct error is shown once (one failing every frame would
    otherwise bury the photographer in boxes); every occurrence is logged."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.shown: set[tuple[type, str]] = set()
        self.box: QMessageBox | None = None

    def __call__(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("program error", exc_info=(kind, value, tb))
        seen = (kind, str(value))
        if seen in self.shown or QApplication.instance() is None:
            return
        self.shown.add(seen)
        message = t(value.text) if isinstance(value, StationError) else t(PROGRAM_ERROR.format(log=self.log_path))
        details = "".join(traceback.format_exception(kind, value, tb))
        QTimer.singleShot(0, lambda: self._show(message, details))  # not inside the paint or slot that failed

    def _show(self, message: str, details: str) -> None:
        if self.box is not None:  # one box at a time; a second error waits in the log
            return
        self.box = QMessageBox(QMessageBox.Icon.Warning, t(TITLE), message, parent=QApplication.activeWindow())
        self.box.setDetailedText(details)
        try:
            ask(self.box)
        finally:
            self.box = None


def report_program_errors(log_path: Path) -> ErrorReporter:
    """Route uncaught errors of the window (and, to the log only, of worker threads) through a reporter."""
    reporter = ErrorReporter(log_path)
    sys.excepthook = reporter
    threading.excepthook = lambda args: log.error(
        "program error in thread %s", args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    return reporter
