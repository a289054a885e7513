"""The Qt binding the station runs on keeps Python's reference counts: a leak of references to None kills the
interpreter after some thousands of calls (PySide6 6.12.0 on CPython 3.11: the window died within minutes)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_that_return_nothing_keep_the_references_to_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")  # first calls may fill caches that hold None once
    before = sys.getrefcount(None)
    for _ in range(200):  # few enough to survive a binding with the bug, many enough to see it
        label.setText("林晓雯")
        label.update()
    assert sys.getrefcount(None) - before > -50
