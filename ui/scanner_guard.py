"""A reason box is answered by the photographer, never by a handheld scanner. A keyboard-wedge scanner types into
whatever has the keyboard: the next student scanning their code (or any code: a payment code, a web address) while the
"not the same person" box was open filled it and its Enter answered it, saving the photo "for a reason" nobody gave."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit

from station.i18n import Text
from station.identify.wedge import WedgeDetector
from ui.key_time import pressed_ms

# said in every reason box, a list to pick from or a plain field (the payment's): "type", not "pick or type"
SCANNED_INTO_THE_BOX = Text("扫码枪的输入不能作为原因，已清除，请填写原因",
                           "What the scanner typed cannot be a reason and was cleared: type the reason")


class ScannerGuard(QObject):
    """On a reason box's editable list (its keys reach its text field through it) or a reason's own field (the
    payment's): an Enter that ends a scanner's burst of keys (station.identify.wedge) does not answer the box; the
    burst's characters are taken out of the text again and `scanned` is called to say so."""

    def __init__(self, box: QComboBox | QLineEdit, scanned: Callable[[], None]) -> None:
        super().__init__(box)
        self._field = box.lineEdit() if isinstance(box, QComboBox) else box
        self._scanned = scanned
        self._wedge = WedgeDetector()
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        now_ms = pressed_ms(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            burst = self._wedge.burst(now_ms)
            if not burst:
                return False  # typed, or picked from the list: the box is answered
            text = self._field.text()
            if text.endswith(burst):
                self._field.setText(text[:len(text) - len(burst)])
            self._scanned()
            return True
        if event.text() and event.text().isprintable():
            self._wedge.key(event.text(), now_ms)
        return False
