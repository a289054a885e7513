"""OpenCV's Qt 5 folders never reach PySide6; a missing xcb library is named, not an abort."""

from __future__ import annotations

from pathlib import Path

import cv2

from ui.qt_env import drop_opencv_qt_paths, prefer_x11, xcb_plugin_problem

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


def test_an_x_display_gets_qts_xcb_platform_with_wayland_behind_it_unless_the_user_chose() -> None:
    """Ubuntu's GNOME runs on Wayland with XWayland: Qt 6 would pick its Wayland platform (no title bar on GNOME, no
    raising the queue window); the station is tested on X."""
    cases = [({"DISPLAY": ":0"}, "xcb"),
             ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "xcb;wayland"),
             ({"WAYLAND_DISPLAY": "wayland-0"}, None),  # no XWayland: Qt's own choice
             ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "wayland"),  # the user's choice stays
             ({}, None)]
    for environ, chosen in cases:
        prefer_x11(environ)
        assert environ.get("QT_QPA_PLATFORM") == chosen, environ

