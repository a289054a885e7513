"""The keyboard back to the station window when a dialog or side window closes.

On a kiosk's bare X session there is no window manager to give the keyboard focus back when a dialog closes:
it went to nobody, so F1, the menus' Alt keys and a handheld scanner (a keyboard to the computer) typed into
nothing until someone clicked the window. With a window manager this changes nothing: it has already given
the focus back, and the station window is active again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FocusReturn(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) and watched.isWindow()
                and watched is not self._window and watched.windowType() != Qt.WindowType.Popup):
            QTimer.singleShot(0, self._give_back)
        return False

    def _give_back(self) -> None:
        if (self._window.isVisible() and QApplication.activeWindow() is None
                and QApplication.activeModalWidget() is None and QApplication.activePopupWidget() is None):
            self._window.activateWindow()
