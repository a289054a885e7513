"""A logout, a shutdown or `kill` (SIGTERM) ends the station as Ctrl+Q does: the window's day closes (camera,
uploader, database) and the log says the station stopped. Python's default ended the process where it stood
(exit 143, no line in the log: the fresh-eyes walk, s24). Sent here to the test's own process, with run_app's
handlers in place, which are taken back afterwards."""

from __future__ import annotations

import os
import shutil
import signal
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


def test_sigterm_stops_the_station_as_its_window_would(
        app_as_started, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")
    before = signal.getsignal(signal.SIGTERM)
    up: list[int] = []

    def terminate_once_up() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, terminate_once_up)
            return
        up.append(1)
        os.kill(os.getpid(), signal.SIGTERM)

    QTimer.singleShot(50, terminate_once_up)
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)  # a sign-in dialog fails the test, never hangs
    code = run_app(parse_args(["--home", str(home), "--operator", "王老师", "--camera", str(frames)]))
    assert (code, up) == (0, [1])
    log = log_file(home).read_text(encoding="utf-8")
    assert "SIGTERM received: the station stops" in log and "station stopped (exit code 0)" in log
    assert signal.getsignal(signal.SIGTERM) is before
