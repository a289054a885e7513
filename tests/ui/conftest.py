"""A demo station with a real capture workflow, shared models, and helpers to answer real dialogs."""

from __future__ import annotations

import logging
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox

from station.camera import open_camera
from station.camera.source import CameraState
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow
from station.context import Station
from station.storage.captures import CaptureStore
from station.storage.station_key import unlock_station_key
from station.adapters.demo import DEMO_DIR
from ui import file_dialogs, tasks
from ui.i18n import language, set_language
from ui.main_window import MainWindow
from ui.theme import apply_theme


@pytest.fixture(autouse=True)
def fresh_file_dialogs():
    """Each test's file dialogs start in the home folder, not where an earlier test chose (ui.file_dialogs remembers
    the last folder for the rest of the run, as a photographer's day needs)."""
    file_dialogs._last.clear()  # noqa: SLF001
    yield
    file_dialogs._last.clear()  # noqa: SLF001


@pytest.fixture
def app_as_started(qapp: QApplication):
    """run_app themes and translates the whole application (in the language chosen for its data folder) and logs to
    a file: undone afterwards. A station stopped by the system (SIGTERM: app.exit) returns with its window still
    shown, as a process about to end may: hidden and deleted here, or a later test's look for the window on screen
    found it (tests/ui/test_window_language.py's switches went to it, and one run_app after it hung)."""
    font, style, handlers, lang = qapp.font(), qapp.styleSheet(), list(logging.getLogger().handlers), language()
    hooks = sys.excepthook, threading.excepthook
    yield qapp
    for window in [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]:
        window.queue_window.hide()
        window.hide()  # not closed: its session is closed already, and a close would ask about the day
        window.queue_window.deleteLater()
        window.deleteLater()
    for handler in set(logging.getLogger().handlers) - set(handlers):
        logging.getLogger().removeHandler(handler)
        handler.close()
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
    qapp.setFont(font)
    qapp.setStyleSheet(style)
    sys.excepthook, threading.excepthook = hooks
    set_language(lang)


@pytest.fixture
def station(demo_station):
    return demo_station


@pytest.fixture
def frames(tmp_path: Path) -> Path:
    """A camera folder showing a student in front of the backdrop."""
    folder = tmp_path / "camera"
    folder.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", folder)
    return folder


@pytest.fixture
def make_window(qtbot, station, engine, pipeline):
    holders = []  # not the windows: one taken over by another (a language switch) is let go

    def make(frames: Path, store: CaptureStore | None = None, live_checks: bool = False,
             live_identity: bool = False) -> MainWindow:
        tasks.install()
        # a camera counts as frozen after 3 s without a frame: at 0.5 s a loaded CI machine's pause of the file camera
        # disabled the shutter (NO_LIVE_PICTURE) just as a test asserted it enabled (seen once in a fresh-clone run)
        source = open_camera(str(frames), fps=20, frozen_after=3.0, backoff_start=0.1, backoff_max=0.3).start()
        store = store or CaptureStore(station, key=station.demo_key)
        workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
        session = CaptureSession(station, store, "测试摄影师", source, post=tasks.to_main, live_checks=live_checks,
                                 live_identity=live_identity, workflow=workflow)
        window = MainWindow(session)
        window.show()
        holders.append(window.holder)
        # a photographer starts once the picture is on screen and the camera is live
        qtbot.waitUntil(lambda: window.preview.shown_frame is not None and session.source.state is CameraState.LIVE,
                        timeout=10_000)
        return window

    yield make
    windows = [holder.window for holder in holders]
    for window in windows:
        close_anyway(window)
        window.session.stop_watching()  # the engine and pipeline are shared by the whole test run
        window.session.source.stop()
    if windows:
        # Deleted, not just closed: a closed window lives on (its signals hold it), and the run's 80 of them, each
        # refreshing its queue every 5 s, made a restyle of the application take 13 s by the end of tests/ui.
        # First every call already posted to them (the camera's, the worker's last task) runs.
        drained: list[None] = []
        tasks.run_task(lambda: None, drained.append)
        qtbot.waitUntil(lambda: bool(drained), timeout=30_000)
        for window in windows:
            window.queue_window.deleteLater()
            window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@contextmanager
def look_restored() -> Iterator[None]:
    """The test run's own fonts, style and style sheet back after the block, whatever it applied."""
    app = QApplication.instance()
    before = (app.style().name(), app.styleSheet(), QApplication.font())
    try:
        yield
    finally:
        app.setStyle(before[0])  # by name: the application deleted the style object when the theme's replaced it
        app.setStyleSheet(before[1])
        app.setFont(before[2])


@pytest.fixture(autouse=True)
def _each_test_ends_in_the_runs_own_look(qapp) -> Iterator[None]:
    """run_app applies the station's theme (tests/ui/test_app_start, test_starting_notice): a later test measured its
    widgets in it unawares (a clean CI run failed test_the_station_look_is_taken_off_after_a_test that way)."""
    with look_restored():
        yield


@contextmanager
def station_look() -> Iterator[None]:
    """The station's own fonts, style (ui.theme.MenuRoom) and style sheet, as run_app sets them; the test run's own
    after, so a later test does not measure its widgets in them unawares."""
    with look_restored():
        apply_theme(QApplication.instance())
        yield


@pytest.fixture
def english() -> Iterator[None]:
    """The window in English with the station's own look (station_look); the test run's language and look after."""
    before = language()
    set_language("en")
    try:
        with station_look():
            yield
    finally:
        set_language(before)


@pytest.fixture(params=["zh", "en"])
def themed(request) -> Iterator[str]:
    """The station's own look (station_look) in each language; the test run's own after."""
    before = language()
    set_language(request.param)
    with station_look():
        yield request.param
    set_language(before)


@pytest.fixture
def fresh_window(qtbot, home: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """The window of a station on its first day: no roster imported yet (its station: window.session.station)."""
    tasks.install()
    fresh = Station.open(home, "zh")
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    session = CaptureSession(fresh, CaptureStore(fresh, unlock_station_key(home, "kiosk-pass-1")), "测试",
                             open_camera(str(frames)).start(), post=tasks.to_main, live_checks=False, scan_codes=False)
    window = MainWindow(session)
    window.show()
    yield window
    window.close()
    session.close()
    fresh.close()


def shoot(qtbot, window: MainWindow, wait_live: bool = True) -> None:
    """The shutter, as a photographer presses it; returns once its work is done (review, a refusal, or a reason
    box answered by a dialog helper set up before). Like a photographer, it presses once the picture on screen is
    live: on a loaded machine the file camera can pause long enough to count as frozen, and then the shutter is
    rightly refused (`wait_live=False`: press at once, e.g. to see the refusal)."""
    if wait_live:
        qtbot.waitUntil(lambda: window.session.source.state is CameraState.LIVE and window.preview.shown_frame is not None,
                        timeout=30_000)
    window.flow.shutter()
    qtbot.waitUntil(lambda: not window.session.pressing, timeout=30_000)


def close_anyway(window: MainWindow) -> None:
    """Close the window as a photographer ending the day would: past its warnings, when it has any."""
    if window.isVisible() and window.session.closing_warnings():
        on_next_dialog(lambda box: next(b for b in box.buttons()
                                        if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click(),
                       kind=QMessageBox)
    window.close()


_test_run = [0]  # which test a dialog helper belongs to: one left waiting never answers the next test's dialogs


@pytest.fixture(autouse=True)
def _dialog_helpers_end_with_their_test():
    yield
    _test_run[0] += 1


def on_next_dialog(act: Callable[[QDialog], None], wait_ms: int = 20_000, kind: type[QDialog] = QInputDialog) -> None:
    """Do `act` to the next modal dialog of this kind when it opens, as a person would. Waits up to wait_ms (the
    shutter's work runs off the UI thread first, slowly on a loaded machine) and never past the end of its test."""
    tries, run = [wait_ms // 20], _test_run[0]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            tries[0] -= 1
            if tries[0] > 0 and _test_run[0] == run:
                QTimer.singleShot(20, answer)
            return
        act(dialog)

    QTimer.singleShot(20, answer)


def answer_next_dialog(text: str | None, wait_ms: int = 20_000) -> None:
    """Fill in and accept (or, with None, cancel) the next modal input dialog."""
    def act(dialog: QInputDialog) -> None:
        if text is None:
            dialog.reject()
        else:
            dialog.setTextValue(text)
            dialog.accept()

    on_next_dialog(act, wait_ms)


def accept_next_dialog_untouched(seen: list[tuple[list[str], str]]) -> None:
    """Accept the next input dialog as it opened (a key pressed twice), noting its offered items and its text."""
    def act(dialog: QInputDialog) -> None:
        seen.append((dialog.comboBoxItems(), dialog.textValue()))
        dialog.accept()

    on_next_dialog(act)
