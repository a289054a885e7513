"""A logout, a shutdown or `kill` (SIGTERM) ends the station as Ctrl+Q does: the window's day closes (camera,
uploader, database) and the log says the station stopped. Python's default ended the process where it stood
(exit 143, no line in the log: the fresh-eyes walk, s24). Sent here to the test's own process, with run_app's
handlers in place, which are taken back afterwards."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from station.adapters.cli import parse_args
from station.adapters.demo import DEMO_DIR
from station.logs import log_file
from tests.ui.conftest import on_next_dialog
from ui.app import run_app
from ui.main_window import MainWindow
from ui.start_dialog import StartDialog


def _a_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of camera frames (a student on the backdrop), and the station key's passphrase for the start."""
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")
    return frames


def _station_run_until(stop: Callable[[], None], home: Path, frames: Path) -> int:
    """run_app's exit code for a station on `frames`, `stop` called once its window is up."""
    def once_up() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, once_up)
            return
        stop()

    QTimer.singleShot(50, once_up)
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)  # a sign-in dialog fails the test, never hangs
    return run_app(parse_args(["--home", str(home), "--operator", "王老师", "--camera", str(frames)]))


def test_sigterm_stops_the_station_as_its_window_would(
        app_as_started, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    before = signal.getsignal(signal.SIGTERM)
    up: list[int] = []

    def terminate() -> None:
        up.append(1)
        os.kill(os.getpid(), signal.SIGTERM)

    code = _station_run_until(terminate, home, _a_camera(tmp_path, monkeypatch))
    assert (code, up) == (0, [1])
    log = log_file(home).read_text(encoding="utf-8")
    assert "SIGTERM received: the station stops" in log and "station stopped (exit code 0)" in log
    assert signal.getsignal(signal.SIGTERM) is before


def test_windows_end_of_session_closes_the_day_before_the_process_is_killed(
        app_as_started, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A Windows logout or shutdown sends no SIGTERM: Qt emits aboutToQuit and the system kills the process soon
    after, before app.exec() returns, where the day was closed (s34 Windows review): the camera, the uploader and the
    database were left as they stood and the log never said the station stopped. Here aboutToQuit is emitted as
    Windows' end of session makes Qt emit it, and what the log holds is read at once, as a killed process leaves it;
    the loop's own end later closes nothing twice."""
    at_the_kill: list[str] = []

    def end_the_session() -> None:
        QApplication.instance().aboutToQuit.emit()
        at_the_kill.append(log_file(home).read_text(encoding="utf-8"))
        QApplication.instance().exit(0)

    code = _station_run_until(end_the_session, home, _a_camera(tmp_path, monkeypatch))
    assert code == 0 and len(at_the_kill) == 1
    assert "the day closed" in at_the_kill[0]
    assert log_file(home).read_text(encoding="utf-8").count("the day closed") == 1
