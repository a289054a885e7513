"""While the station loads its models and opens the camera after the sign-in (2 s on this 2-core machine, more on a
slow laptop), the screen says so: it stayed empty after the sign-in dialog closed (seen on Xvfb, 1.5-2 s of nothing
under load), as if the click had been lost. The notice is gone once the window is up."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from station.adapters.cli import parse_args
from station.adapters.demo import DEMO_DIR
from station.chosen_language import LANG_FILE
from tests.ui.conftest import on_next_dialog
from ui import opening
from ui.app import run_app
from ui.main_window import MainWindow
from ui.start_dialog import StartDialog


def shown_notices() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QLabel) and w.isVisible()]


@pytest.mark.parametrize("chosen, first, loading", [
    (None, "正在启动工作站…", "正在启动工作站：加载相机和检测模型…"),
    # English chosen in the window's menu: said from the first word (it said its first seconds in Chinese)
    ("en", "Starting the station…", "Starting the station: opening the camera and loading the checks…"),
])
def test_the_screen_says_the_station_is_starting_until_the_window_is_up(app_as_started, home: Path,  # noqa: F811
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        chosen: str | None, first: str,
                                                                        loading: str) -> None:
    if chosen is not None:
        (home / LANG_FILE).write_text(chosen, "utf-8")
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")  # a laptop without a keyring, unattended
    during, after = [], []
    real_start = opening.start_session

    def start_session(*args, **kwargs):  # the real start, and what the screen shows while it runs
        during.extend(shown_notices())
        return real_start(*args, **kwargs)

    monkeypatch.setattr(opening, "start_session", start_session)
    opening_station = []
    real_open = opening.open_station

    def open_station(*args, **kwargs):  # the first thing the station does, once its modules are imported
        opening_station.extend(shown_notices())
        return real_open(*args, **kwargs)

    monkeypatch.setattr(opening, "open_station", open_station)

    def close_once_up() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, close_once_up)
            return
        after.extend(shown_notices())
        window.close()

    QTimer.singleShot(50, close_once_up)
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)  # a sign-in dialog fails the test, never hangs
    code = run_app(parse_args(["--home", str(home), "--operator", "王老师", "--camera", str(frames)]))
    assert code == 0
    assert opening_station == [first]  # said from the start
    assert during == [loading]
    assert after == []


def test_the_notice_comes_before_the_station_modules_load() -> None:
    """The station's modules (OpenCV, mediapipe, onnxruntime) take 1-1.4 s to import here and seconds from a laptop's
    cold disk: ui.app, which shows the notice, must not import them itself (nothing showed for 2.6 s at load 7)."""
    heavy = ("cv2", "mediapipe", "onnxruntime", "station.capture.session", "ui.main_window")
    probe = f"import sys, ui.app; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
