"""A photographer's first look at the menus: a way to quit (Ctrl+Q, with the usual close warnings), and the
keyboard's keys in a window that can stay open beside the station (F1)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMargins, QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics

from tests.ui.conftest import answer_next_dialog, shoot, station_look
from tests.ui.menus import menu_action
from ui.help_window import SIZE, HelpWindow, beside, frame_margins
from ui.i18n import language, set_language
from ui.menu_text import accelerated


def test_f1_shows_the_keys_beside_the_station_and_keeps_the_keyboard_there(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    assert "帮助(&H)" in [a.text() for a in window.menuBar().actions()]
    qtbot.keyClick(window.code_input, Qt.Key_F1)
    help_window = window.help_window
    assert help_window.isVisible() and help_window.windowTitle() == "键盘操作"
    screen = window.screen().availableGeometry()  # wholly on the screen, wherever the station's window stands
    assert screen.contains(help_window.frameGeometry()), (screen, help_window.frameGeometry())
    keys = [help_window.table.item(row, 0).text() for row in range(help_window.table.rowCount())]
    for key in ("空格 / 回车", "Esc", "F2", "F3", "Shift+F3", "PageDown / F12"):
        assert key in keys
    shortcuts = {a.shortcut().toString() for menu_action in window.menuBar().actions() if menu_action.menu()
                 for a in menu_action.menu().actions() if not a.shortcut().isEmpty()}
    assert shortcuts >= {"Ctrl+P", "Ctrl+Q", "F1"} and shortcuts <= set(keys)  # every menu key is in the list
    qtbot.keyClicks(window.code_input, "2021")  # a scanner still types into the code field
    assert window.code_input.text() == "2021"
    qtbot.keyClick(window.code_input, Qt.Key_F1)  # F1 again hides it: an Esc would reach the station, not the list
    assert not help_window.isVisible() and window.code_input.hasFocus()


def test_the_key_list_says_what_esc_does_in_review(qtbot, make_window, frames: Path, station) -> None:
    """Esc in review drops the photo and goes back to the live picture; it does not shoot (the list said 放弃这张，立即
    再拍一张 / "shoot again at once", first-run walk finding 8)."""
    window = make_window(frames)
    window.identify("DEMO0003")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    qtbot.keyClick(window.code_input, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.live and not window.session.pressing  # nothing shot
    assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
    table = window.help_window.table
    said = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert said["Esc"] == "放弃这张（不保存），回到实时画面"


def test_ctrl_q_quits_through_the_close_warnings(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    quit_action = menu_action(window, "退出")
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    qtbot.keyClick(window.code_input, Qt.Key_Q, Qt.ControlModifier)
    assert not window.isVisible()  # nothing in review or unsent: nothing to warn about


def test_every_key_is_read_whole_in_english_too(qtbot) -> None:
    """No line of the key list ends in "…": a long one (English, in the station's own font size) wraps onto a
    taller row."""
    before = language()
    set_language("en")
    with station_look():
        try:
            help_window = HelpWindow()
            qtbot.addWidget(help_window)
            help_window.show()
            qtbot.waitExposed(help_window)
            table = help_window.table
            metrics = QFontMetrics(table.font())
            cut = []
            for row in range(table.rowCount()):
                text = table.item(row, 1).text()
                room = QRect(0, 0, table.columnWidth(1) - 8, 10_000)  # the cell's text margins
                if metrics.boundingRect(room, Qt.TextWordWrap, text).height() > table.rowHeight(row):
                    cut.append(text)
        finally:
            set_language(before)
    assert table.item(2, 1).text().startswith("Accept it (0.8 s") and not cut


def test_the_key_list_is_placed_by_its_frame_title_bar_included(qtbot) -> None:
    """Under a window manager the list's frame, title bar included, is wholly on the screen (openbox on a 1366x768
    laptop: a 20 px title bar, 1 px sides, a 5 px bottom handle; the list was placed by its inside and its title bar
    stood above the screen's top, with its close button)."""
    openbox = QMargins(1, 20, 1, 5)
    laptop = QRect(0, 0, 1366, 768)
    frame = beside(laptop, laptop, SIZE, openbox)  # beside a maximised station: against the screen's right edge
    assert laptop.contains(frame) and frame.top() == 0 and frame.right() == laptop.right()
    assert frame.marginsRemoved(openbox).size() == SIZE  # the inside whole, the title bar above it on the screen
    assert beside(QRect(9, 20, 702, 525), laptop, SIZE, openbox).topLeft() == QPoint(711, 20)  # room to the right
    short = QRect(0, 30, 1366, 560)  # a short screen below a top panel: the frame shrinks to it, the inside more
    frame = beside(laptop, short, SIZE, openbox)
    assert frame == short.adjusted(1366 - 602, 0, 0, 0) and frame.marginsRemoved(openbox).height() == 560 - 25
    # the real window (offscreen: Qt's own 2 px frame, the station's the same): where it was asked to be
    anchor = HelpWindow()  # any window will do as the station's
    qtbot.addWidget(anchor)
    anchor.setGeometry(0, 0, 1000, 700)
    anchor.show()
    shown = HelpWindow()
    qtbot.addWidget(shown)
    shown.show_beside(anchor)
    screen = anchor.screen().availableGeometry()
    assert shown.isVisible() and screen.contains(shown.frameGeometry())
    assert shown.frameGeometry() == beside(anchor.frameGeometry(), screen, SIZE, frame_margins(shown))


def _letters(window) -> dict[str, list[str]]:
    """Each menu's entries' keyboard letters (Qt's mnemonic: the character after a single "&")."""
    return {menu.text(): [re.findall(r"&(\w)", a.text()) for a in menu.menu().actions() if not a.isSeparator()]
            for menu in window.menuBar().actions() if menu.menu()}


def test_every_menu_entry_has_its_own_keyboard_letter_in_both_languages(make_window, frames: Path) -> None:
    """Alt, the menu's letter, then the entry's: 名单's seven entries were reached with the arrow keys only."""
    before = language()
    try:
        for lang in ("zh", "en"):
            set_language(lang)
            menus = _letters(make_window(frames))
            assert len(menus) == 5
            for menu, letters in menus.items():
                assert all(len(found) == 1 for found in letters), (lang, menu, letters)
                firsts = [found[0].upper() for found in letters]
                assert len(set(firsts)) == len(firsts), (lang, menu, firsts)
    finally:
        set_language(before)
    assert accelerated("导入名单…", "I") == "导入名单(&I)…" and accelerated("Import roster…", "I") == "&Import roster…"
    assert accelerated("Quit", "X") == "Quit(&X)"
    assert accelerated("Output profile: 2-inch 35×49 mm…", "O") == "&Output profile: 2-inch 35×49 mm…"  # not (&O)
    # a name's own "&" (a school's output profile) is written, not taken for a second letter
    assert accelerated("Output profile: R&D…", "O") == "&Output profile: R&&D…"
    assert accelerated("输出规格：研发&招生…", "O") == "输出规格：研发&&招生(&O)…"


def test_keys_that_reach_the_queue_window_are_the_stations(qtbot, make_window, frames: Path) -> None:
    """F9 brings the queue in front (on one screen it stands behind the station); if a click gives it the keyboard,
    a scanned code typed there still reaches the code field, and the queue goes back behind."""
    window = make_window(frames)
    queue = window.queue_window
    queue.close()  # closed with its title bar's button: F9 brings it back
    qtbot.keyClick(window.code_input, Qt.Key_F9)
    assert queue.isVisible() and queue._in_front
    assert queue.geometry() == window.geometry()  # over the whole station window, not where it stood behind
    qtbot.keyClicks(queue, "2021")
    assert window.code_input.text() == "2021" and not queue._in_front
    qtbot.keyClick(queue, Qt.Key_F1)  # a menu's key does what it does in the station window
    assert window.help_window.isVisible()
    qtbot.keyClick(queue, Qt.Key_F1)
    assert not window.help_window.isVisible()
    qtbot.keyClick(window.code_input, Qt.Key_F9)
    assert queue._in_front
    qtbot.keyClick(queue, Qt.Key_F9)  # F9 where the queue has the keyboard puts it back, as in the station window
    assert not queue._in_front
    qtbot.keyClick(window.code_input, Qt.Key_F9)
    assert queue._in_front
    qtbot.mouseClick(queue.table.viewport(), Qt.LeftButton)
    assert not queue._in_front
    queue.showMinimized()  # out of the way with its title bar's button: F9 brings it back all the same
    qtbot.keyClick(window.code_input, Qt.Key_F9)
    assert queue._in_front and queue.isVisible() and not queue.isMinimized()
