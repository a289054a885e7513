"""The keyboard back to the station window when a dialog or side window closes, and never taken by the menu bar.

On a kiosk's bare X session there is no window manager to give the keyboard focus back when a dialog closes:
it went to nobody, so F1, the menus' Alt keys and a handheld scanner (a keyboard to the computer) typed into
nothing until someone clicked the window. With a window manager this changes nothing: it has already given
the focus back, and the station window is active again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenuBar, QProxyStyle, QStyle, QStyleHintReturn, QStyleOption, QWidget

from ui.theme import MenuRoom


class FocusReturn(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) and watched.isWindow()
                and watched is not self._window and watched.windowType() != Qt.WindowType.Popup):
            QTimer.singleShot(0, self, self._give_back)  # not after the window is gone (a language switch)
        return False

    def _give_back(self) -> None:
        if (self._window.isVisible() and QApplication.activeWindow() is None
                and QApplication.activeModalWidget() is None and QApplication.activePopupWidget() is None):
            self._window.activateWindow()


class NoMenuBarKeyboardMode(QProxyStyle):
    """A menu bar that never takes the keyboard for itself: a lone Alt, and an Esc closing one of its menus (opened
    with Alt+letter or the mouse), put it in keyboard mode, where it held the keyboard with no visible sign: scanned
    codes vanished, Space, Enter and F2 did nothing, and a scanner's Enter opened 名单, the next one 导入名单…
    (first-run walk, F17). Alt+letter, the letters in an open menu and the menus' keys (F1, Ctrl+P…) still work."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,  # noqa: N802 - Qt's name
                  widget: QWidget | None = None, returned: QStyleHintReturn | None = None) -> int:
        if hint == QStyle.StyleHint.SH_MenuBar_AltKeyNavigation:
            return 0
        return super().styleHint(hint, option, widget, returned)


def keep_the_keyboard(bar: QMenuBar) -> None:
    """`bar` leaves the keyboard where it is (the code field) whatever Alt and Esc do. Its style passes to its menus,
    so it is built on the theme's (MenuRoom): on the platform's, each entry was cut again (键盘操…K)…)."""
    style = NoMenuBarKeyboardMode(MenuRoom())
    style.setParent(bar)  # kept as long as the bar: a widget does not own the style it is given
    bar.setStyle(style)
