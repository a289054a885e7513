"""The code field keeps the keyboard through the menu bar's keys (first-run walk F17): a tapped Alt, or a menu opened
with Alt+letter or the mouse and closed with one Esc, put the menu bar in keyboard mode with no visible sign; scanned
codes vanished and a scanner's Enter opened 名单, the next one 导入名单…. Keys go to the window as a keyboard sends
them (Qt hands them to whatever has the keyboard), in the station's own look, as run_app sets it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import on_next_dialog, station_look
from ui.main_window import MainWindow
from ui.student_picker import StudentPicker


def press(window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.NoModifier) -> None:
    QTest.keyClick(window.windowHandle(), key, modifier)


def scan(window: MainWindow, code: str) -> None:
    """A handheld scanner: the code's keys at once, then Enter."""
    for char in code:
        QTest.keyClick(window.windowHandle(), char)
    press(window, Qt.Key_Return)


def ready(qtbot, make_window, frames: Path) -> MainWindow:
    window = make_window(frames)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.code_input)
    return window


def test_a_tapped_alt_leaves_the_scanner_typing_into_the_code_field(qtbot, make_window, frames: Path) -> None:
    with station_look():
        window = ready(qtbot, make_window, frames)
        press(window, Qt.Key_Alt)
        scan(window, "DEMO0002")
        assert QApplication.activePopupWidget() is None  # its Enter opened 名单
        assert window.card.name.text() == "陈浩然"
        press(window, Qt.Key_Alt)
        asked: list[bool] = []  # her open mouth fails a check: the shutter asks whether to take it anyway
        on_next_dialog(lambda dialog: (asked.append(True), dialog.reject()))
        press(window, Qt.Key_Space)  # the shutter, as all day
        qtbot.waitUntil(lambda: bool(asked) and not window.session.pressing, timeout=30_000)


def test_a_menu_closed_with_esc_gives_the_keyboard_back(qtbot, make_window, frames: Path) -> None:
    with station_look():
        window = ready(qtbot, make_window, frames)
        press(window, Qt.Key_S, Qt.AltModifier)  # 工作站(&S)
        assert QApplication.activePopupWidget() is not None
        QTest.keyClick(QApplication.activePopupWidget(), Qt.Key_Escape)
        scan(window, "DEMO0002")
        assert QApplication.activePopupWidget() is None and window.card.name.text() == "陈浩然"
        bar = window.menuBar()
        roster = bar.actions()[0]  # 名单(&R), opened with the mouse this time
        QTest.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(roster).center())
        assert QApplication.activePopupWidget() is roster.menu()
        QTest.keyClick(roster.menu(), Qt.Key_Escape)
        scan(window, "DEMO0003")
        assert QApplication.activePopupWidget() is None and window.card.name.text() == "王思远"


def test_alt_letters_still_open_the_menus_and_their_entries(qtbot, make_window, frames: Path) -> None:
    with station_look():
        window = ready(qtbot, make_window, frames)
        picked: list[bool] = []
        on_next_dialog(lambda dialog: (picked.append(True), dialog.reject()), kind=StudentPicker)
        press(window, Qt.Key_R, Qt.AltModifier)  # 名单(&R), then 选择学生(&P)…
        QTest.keyClick(QApplication.activePopupWidget(), Qt.Key_P)
        assert picked == [True]
        scan(window, "DEMO0002")
        assert window.card.name.text() == "陈浩然"  # the menus' keys (F1, Ctrl+Q): tests/ui/test_menus_and_help.py
