"""Opening the station once Qt is up: the data folder, the sign-in dialog, the capture session and the window
(station.adapters.startup holds the rules of each). Importing this module loads the station's models' libraries
(OpenCV, mediapipe, onnxruntime): ui.app shows its notice first."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from station.adapters.startup import Opened, SignIn, open_station, start_session
from station.capture.session import SessionListener
from station.chosen_language import start_lang
from station.errors import StationError
from station.i18n import Text
from station.logs import log_file
from ui import file_dialogs, tasks
from ui.error_report import report_program_errors
from ui.i18n import language, t
from ui.main_window import MainWindow
from ui.start_dialog import StartDialog
from ui.starting_notice import LOADING, STARTING, say_starting
from ui.window_language import use_language

CANNOT_START = Text("工作站无法启动", "The station cannot start")
log = logging.getLogger("station.app")


def sign_in(opened: Opened, operator: str | None, before_dialog: Callable[[], None] = lambda: None) -> SignIn | None:
    """Ask for the photographer's name and, when the station key needs it, the passphrase, until both are
    good. None when the photographer cancels. `before_dialog` runs before a dialog shows (none may be needed)."""
    signing = SignIn(opened, operator)
    while not signing.done:
        before_dialog()
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
    freezing the preview for as long at random moments, a shutter press among them. They live until the station
    stops; what comes after is collected as before, the window among it: one replaced at a language switch is let
    go (frozen, the first was kept for the day). The window and its session add 0.6-1.0 ms to a full collection."""
    gc.collect()
    gc.freeze()


@contextmanager
def stopped_by_the_system(app: QApplication) -> Iterator[None]:
    """On POSIX, a logout, a shutdown or `kill` (SIGTERM; SIGHUP when its terminal closes) ends the window's day as
    Ctrl+Q does (Windows' logout and shutdown: `closing_once` at aboutToQuit), so the session closes (camera, uploader, database) and the log says the station stopped; Python's
    default ended the process where it stood. Nothing is asked: the system is not waiting for an answer. The
    handlers run between the window's Python slots (a frame or the preview's timer comes every 250 ms at most)."""
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def stop(signum: int, _frame: object) -> None:
        log.info("%s received: the station stops", signal.Signals(signum).name)
        app.exit(0)

    before = {name: signal.signal(getattr(signal, name), stop) for name in names}
    try:
        yield
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


def closing_once(*closes: Callable[[], None]) -> Callable[[], None]:
    """A call of each of `closes` the first time the result is called, none after: the window's day ends once,
    whether at Qt's aboutToQuit or when its event loop returns. On Windows a logout or a shutdown ends the window
    with no signal (stopped_by_the_system's SIGTERM is POSIX's): Qt emits aboutToQuit and the system kills the
    process soon after, before app.exec() returns, where the day used to be closed."""
    closed: list[bool] = []

    def close() -> None:
        if not closed:
            closed.append(True)
            for each in closes:
                each()
            log.info("the day closed: camera, card reader, uploader and database")
    return close


def speak_as_chosen(app: QApplication, given: str | None, opened: Opened, notice: QLabel) -> None:
    """The language last chosen in the window's menu for this data folder, unless --lang (`given`) names one for
    this run, for the window, its reports and print sheets: ui.app read the same before its notice, so the window's
    language changes here only where it could not read the data folder then."""
    lang = start_lang(opened.station.home, given)
    if lang is not None and lang != language():
        use_language(app, lang)
        say_starting(notice, LOADING)
    opened.station.lang = language()  # the reports and print sheets too


def open_window(app: QApplication, args: argparse.Namespace, notice: QLabel) -> int:
    """The station, the sign-in, the session and the window, from a QApplication already made (`notice` on screen
    says the station is starting); the exit code."""
    try:
        opened = open_station(args)
    except StationError as exc:  # already running, a data folder or database that cannot be used
        notice.close()
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        return exc.exit_code
    speak_as_chosen(app, args.lang, opened, notice)
    report_program_errors(log_file(opened.station.home))
    signed = sign_in(opened, args.operator, notice.hide)  # the notice is not left over the dialog
    if signed is None:
        notice.close()
        opened.close()
        return 1
    say_starting(notice, STARTING)
    try:
        session = start_session(opened, signed, SessionListener(), tasks.to_main)
    except StationError as exc:  # the school's policy file in the data folder is broken: said, nothing started
        notice.close()
        QMessageBox.critical(None, t(CANNOT_START), t(exc.text))
        opened.close()
        return exc.exit_code
    file_dialogs.keep_places_in(opened.station.home)
    freeze_startup_objects()  # before the window: one a language switch replaces must be collectable
    holder = MainWindow(session, demo=opened.demo).holder  # the window is held there alone: a switch replaces it
    holder.window.show_with_queue()
    notice.close()
    close_day = closing_once(session.close, opened.close)
    app.aboutToQuit.connect(close_day)  # Windows' logout or shutdown: the process is killed once it has been emitted
    try:
        with stopped_by_the_system(app):
            code = app.exec()
        log.info("station stopped (exit code %d)", code)
        return code
    finally:
        app.aboutToQuit.disconnect(close_day)
        close_day()
