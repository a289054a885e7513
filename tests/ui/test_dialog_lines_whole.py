"""A dialog's wrapped lines read whole in both languages: Qt sizes a window by its layout's guess of each wrapped
label's width, and English, longer, wraps onto a line more than guessed (the camera dialog's "No USB camera found…"
was cut at its top and bottom in English, whole in Chinese)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from station.camera.backends import UsbSettings
from station.camera.discovery import CameraInfo
from ui.camera_dialog import CameraDialog


def cut_lines(window: QWidget) -> list[str]:
    """The visible wrapped labels shorter than their text at their width."""
    return [label.text() for label in window.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.height() < label.heightForWidth(label.width())]


def test_the_camera_dialog_says_no_camera_whole(qtbot, themed) -> None:
    cameras: list[CameraInfo] = []
    for in_use in (None, 0):  # the demo's pictures from files; a USB camera unplugged
        dialog = CameraDialog(lambda: cameras, UsbSettings(), in_use)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.none_found.isVisible() and not cut_lines(dialog), (themed, in_use)
    cameras.append(CameraInfo(0, "HD Pro Webcam C920"))
    dialog.look_again()  # plugged in: the line goes
    cameras.clear()
    dialog.look_again()  # and unplugged again: it comes back whole
    assert dialog.none_found.isVisible() and not cut_lines(dialog)
