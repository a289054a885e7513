"""The code field on a Chinese laptop: a scanner's keys must not go through the pinyin input method."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodQueryEvent
from PySide6.QtWidgets import QApplication

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
