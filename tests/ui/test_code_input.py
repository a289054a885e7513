"""The code field on a Chinese laptop: a scanner's keys must not go through the pinyin input method, and are told from
a person's by when they were pressed, as in the reason boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodQueryEvent
from PySide6.QtWidgets import QApplication

from tests.ui.test_reason_box_keys import keys_pressed_at
from ui.code_input import CodeInput


def test_the_code_field_refuses_input_methods_so_a_scanner_is_not_read_as_pinyin(qtbot) -> None:
    field = CodeInput()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    # what the platform's input context (Windows IMM, ibus, fcitx) asks the focus widget before composing
    query = QInputMethodQueryEvent(Qt.InputMethodQuery.ImEnabled)
    QApplication.sendEvent(field, query)
    assert query.value(Qt.InputMethodQuery.ImEnabled) is False
    submitted: list[tuple[str, bool]] = []
    field.submitted.connect(lambda text, scanned: submitted.append((text, scanned)))
    qtbot.keyClicks(field, "DEMO0001")  # keys still arrive as keys
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert submitted and submitted[0][0] == "DEMO0001"


def test_the_code_field_times_keys_by_their_stamps_as_the_reason_boxes_do(qtbot) -> None:
    """The code field read the clock when it got a key, the reason boxes the window system's stamp (ui/key_time.py):
    a number a person typed while the UI thread was busy came out of the queue together and was taken as scanned. Now
    both read the stamp; a key without one (0) is read by the clock."""
    field = CodeInput()
    qtbot.addWidget(field)
    field.show()
    submitted: list[tuple[str, bool]] = []
    field.submitted.connect(lambda text, scanned: submitted.append((text, scanned)))
    keys_pressed_at(field, "2021010101\n", 1_000, 120)  # a person's pace, handed over at once
    keys_pressed_at(field, "DEMO0003\n", 9_000, 5)  # a scanner's
    qtbot.keyClicks(field, "DEMO0004")  # no stamps: the clock, at a scanner's pace
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClicks(field, "2021", delay=120)  # and at a person's
    qtbot.keyClick(field, Qt.Key.Key_Return, delay=120)
    assert submitted == [("2021010101", False), ("DEMO0003", True), ("DEMO0004", True), ("2021", False)]
