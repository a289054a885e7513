"""OpenCV's Qt 5 folders never reach PySide6; a missing xcb library is named, not an abort."""

from __future__ import annotations

from pathlib import Path

import cv2

from ui.qt_env import drop_opencv_qt_paths, xcb_plugin_problem

OPENCV = Path(cv2.__file__).resolve().parent


def test_opencv_sets_its_qt_folders_and_they_are_dropped() -> None:
    environ = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(OPENCV / "qt" / "plugins"),
               "QT_QPA_FONTDIR": str(OPENCV / "qt" / "fonts"), "QT_QPA_PLATFORM": "xcb"}
    assert sorted(drop_opencv_qt_paths(environ)) == ["QT_QPA_FONTDIR", "QT_QPA_PLATFORM_PLUGIN_PATH"]
    assert environ == {"QT_QPA_PLATFORM": "xcb"}


def test_a_users_own_qt_folders_stay(tmp_path: Path) -> None:
    environ = {"QT_QPA_FONTDIR": str(tmp_path)}
    assert drop_opencv_qt_paths(environ) == []
    assert environ == {"QT_QPA_FONTDIR": str(tmp_path)}


def test_the_xcb_plugin_loads_here_and_other_platforms_are_not_probed() -> None:
    assert xcb_plugin_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert xcb_plugin_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}) is None  # setup.sh installed its libraries
