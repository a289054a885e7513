"""The code field: typing and a keyboard-wedge scanner both land here; Enter submits."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from station.i18n import Text
from station.identify.wedge import WedgeDetector
from ui.i18n import t
from ui.key_time import pressed_ms

PLACEHOLDER = Text("扫码，或输入学号后回车", "Scan, or type a number + Enter")


SHUTTER_KEYS = (Qt.Key_Space, Qt.Key_PageDown, Qt.Key_F12)  # foot pedals and presenters send PageDown/F12
# keys that act, not type: held down, each is one press (held F3 marked the next students absent, one per repeat)
HELD_ONCE = (Qt.Key_Return, Qt.Key_Enter, *SHUTTER_KEYS, Qt.Key_Escape, Qt.Key_F2, Qt.Key_F3, Qt.Key_F4, Qt.Key_F6)


class CodeInput(QLineEdit):
    """Keeps the focus all day: codes are typed or scanned into it, and with it empty,
    Enter/Space/pedal release the shutter, Enter accepts in review, Esc retakes, F2 and F3
    press the retake and absent buttons, Shift+F3 takes back the last absent mark, F4 switches to the student whose
    code the camera saw held up, F6 records the student's payment; each once however long it is held."""

    submitted = Signal(str, bool)  # text, came from a scanner
    enter = Signal()  # Enter on an empty field: the shutter, or accept in review
    shutter = Signal()  # Space or a pedal: the shutter only
    escape = Signal()
    retake = Signal()  # F2
    absent = Signal()  # F3
    undo_absent = Signal()  # Shift+F3
    switch = Signal()  # F4: switch to the student whose code the camera saw held up
    pay = Signal()  # F6: record the student's payment

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("codeInput")
        self.setPlaceholderText(t(PLACEHOLDER))
        self._wedge = WedgeDetector()
        self._released: dict[int, int] = {}  # a held-once key: the window system's stamp on its last release
        # Codes are digits and Latin letters. With a Chinese input method on (the usual state of a Chinese
        # Windows laptop), a scanner's keystrokes would be taken as pinyin and its digits would pick
        # candidates: the field refuses input methods, so keys arrive as keys.
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText)

    def inputMethodQuery(self, query: Qt.InputMethodQuery) -> object:
        # QLineEdit answers ImEnabled from its own state, ignoring the attribute; the platform's input
        # context asks exactly this before it composes.
        if query == Qt.InputMethodQuery.ImEnabled:
            return False
        return super().inputMethodQuery(query)

    def _held(self, event: QKeyEvent) -> bool:
        """An auto-repeat. X sends one as a release and a press with the same stamp, and Qt calls some of those pairs
        a new press (held F3 marked two students absent on a walk); no person presses a key again in that ms."""
        return event.isAutoRepeat() or bool(event.timestamp()) and self._released.get(event.key()) == event.timestamp()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in HELD_ONCE:
            self._released[event.key()] = event.timestamp()
        super().keyReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        now_ms = pressed_ms(event)  # as the reason boxes read it: a person's keys handed over late are still typed
        if event.key() in HELD_ONCE and self._held(event):
            return  # a key held down is one press: held Enter's repeats accepted the photo it took once it was shown
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            entry = self._wedge.enter(now_ms)
            text = self.text().strip()
            self.clear()
            if text:
                self.submitted.emit(text, bool(entry and entry.scanned and entry.text == text))
            else:
                self.enter.emit()
            return
        if event.key() in SHUTTER_KEYS:
            self.shutter.emit()
            return
        if event.key() == Qt.Key_F2:
            self.retake.emit()
            return
        if event.key() == Qt.Key_F4:
            self.switch.emit()
            return
        if event.key() == Qt.Key_F6:
            self.pay.emit()
            return
        if event.key() == Qt.Key_F3:
            (self.undo_absent if event.modifiers() & Qt.ShiftModifier else self.absent).emit()
            return
        if event.key() == Qt.Key_Escape:
            self.clear()
            self.escape.emit()
            return
        super().keyPressEvent(event)
        if event.text() and event.text().isprintable():
            self._wedge.key(event.text(), now_ms)
