"""Starting the window and living with program errors: a second start on one data home, a data folder
that cannot be used, and an error inside the window each say so, and nothing already saved is lost."""

from __future__ import annotations

import gc
import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from station.adapters.cli import parse_args
from station.adapters.demo import DEMO_DIR
from station.context import Station
from station.logs import log_file, log_to_file
from tests.ui.conftest import on_next_dialog
from ui.app import run_app
from ui.error_report import report_program_errors
from ui.main_window import MainWindow
from ui.start_dialog import StartDialog

HOLD = ("import sys, time; from pathlib import Path; from station.instance import hold_station; "
        "lock = hold_station(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)")


def refusal_of(args: list[str]) -> tuple[int, list[str]]:
    """run_app's exit code and the text of the first dialog it showed. Any dialog is closed, so that a
    station that wrongly starts (and asks for a passphrase) fails the test instead of waiting forever."""
    seen: list[str] = []

    def close(dialog: QDialog) -> None:
        seen.append(dialog.text() if isinstance(dialog, QMessageBox) else type(dialog).__name__)
        dialog.reject()

    on_next_dialog(close, kind=QDialog)
    return run_app(parse_args(args)), seen


def test_a_second_start_on_one_data_home_is_refused_and_a_killed_station_leaves_no_lock(
        app_as_started, home: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(home)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code, seen = refusal_of(["--home", str(home), "--operator", "王老师"])
    finally:
        holder.kill()
        holder.wait()
    assert code == 3 and len(seen) == 1
    assert "工作站已经在运行" in seen[0] and str(home) in seen[0]
    station = Station.open(home)  # the operating system dropped the killed station's lock with it
    station.claim()
    station.close()


def test_a_data_folder_that_cannot_be_made_is_a_message(app_as_started, tmp_path: Path) -> None:
    blocker = tmp_path / "usb"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    code, seen = refusal_of(["--home", str(blocker / "PhotoStation"), "--operator", "王老师"])
    assert code == 2 and len(seen) == 1 and "无法使用数据目录" in seen[0]


@pytest.mark.qt_no_exception_capture
def test_an_error_inside_the_window_is_logged_shown_once_and_the_window_goes_on(app_as_started, home: Path,
                                                                              qtbot) -> None:
    path = log_to_file(home)
    reporter = report_program_errors(path)
    shown: list[tuple[str, str]] = []

    def fail(message: str) -> None:
        raise ValueError(message)

    def one_round(message: str) -> None:  # the error on three frames in a row; any box shown is noted, closed
        on_next_dialog(lambda box: (shown.append((box.text(), box.detailedText())), box.accept()), wait_ms=600,
                       kind=QMessageBox)
        for _ in range(3):
            QTimer.singleShot(0, lambda: fail(message))
        qtbot.wait(800)

    one_round("a frame the overlay could not draw")
    one_round("a frame the overlay could not draw")  # again later: already shown, only logged
    assert len(shown) == 1 and reporter.box is None
    one_round("another error")
    assert len(shown) == 2
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))  # the event loop still runs
    qtbot.waitUntil(lambda: bool(ticks), timeout=1000)
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_file(home).read_text(encoding="utf-8")
    assert str(path) in shown[0][0] and "照片不受影响" in shown[0][0]
    assert "a frame the overlay could not draw" in shown[0][1] and "another error" in shown[1][1]
    assert logged.count("ValueError: a frame the overlay could not draw") == 6 and "in fail" in logged


def test_the_real_start_up_moves_what_it_made_out_of_the_garbage_collectors_reach(
        app_as_started, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_app itself freezes start-up's objects (tests/ui/test_gc_freeze.py tests what freezing does): a start-up
    that stops calling it brings back the preview's 55-83 ms stalls at every full collection."""
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")  # a laptop without a keyring, unattended
    up: list[int] = []

    def close_once_up() -> None:  # the window as the photographer sees it, then closed as at the end of the day
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, close_once_up)
            return
        up.append(1)
        window.close()

    gc.unfreeze()
    QTimer.singleShot(50, close_once_up)
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)  # a sign-in dialog fails the test, never hangs
    try:
        code = run_app(parse_args(["--home", str(home), "--operator", "王老师", "--camera", str(frames)]))
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert (code, up) == (0, [1])
    assert frozen > 50_000


def test_a_broken_school_policy_in_the_data_folder_is_a_message_not_a_crash(
        app_as_started, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")
    (home / "policy.toml").write_text("[glasses]\nenforce = false\n", encoding="utf-8")  # a typo: refused
    before = set(threading.enumerate())
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)
    code, seen = refusal_of(["--home", str(home), "--operator", "王老师", "--camera", str(frames)])
    assert code != 0 and len(seen) == 1
    assert "检查规则文件有误" in seen[0] and "enforce" in seen[0] and str(home) in seen[0]

    def left_running() -> list[str]:  # the camera and the uploader, started before the policy was read
        return sorted(t.name for t in set(threading.enumerate()) - before if t.is_alive())

    deadline = time.monotonic() + 10
    while left_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left_running() == []  # they ran on for the rest of the test run, a camera among later tests' cameras
