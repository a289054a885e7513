"""Every menu entry is read whole. Seen on the walk (Xvfb, the station's font): 帮助 → 键盘操作(K)… F1 was drawn
键盘操…K)…, and 导入名单(I)… alone in a menu 导入名…I)…: Qt measures an entry without the "&" of its keyboard letter
but cuts it to fit counting the "&". The theme's style gives each such entry that much more room."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QStyleOptionMenuItem

from tests.ui.conftest import station_look
from tests.ui.test_identity_at_review import station_theme  # noqa: F401
from ui.i18n import language, set_language


def ink_width(image: QImage) -> int:
    """From the first to the last column with a dark pixel (text) in it."""
    columns = [x for x in range(image.width())
               if any(QColor(image.pixel(x, y)).lightness() < 128 for y in range(image.height()))]
    return columns[-1] - columns[0] + 1 if columns else 0


def drawn_whole(menu: QMenu, text: str) -> int:
    """The ink width of `text` drawn plainly, in the menu's font, with its keyboard letter underlined."""
    width = menu.fontMetrics().horizontalAdvance(text) + 40
    image = QImage(width, 60, QImage.Format_RGB32)
    image.fill(Qt.white)
    painter = QPainter(image)
    painter.setFont(menu.font())
    painter.setPen(Qt.black)
    painter.drawText(image.rect(), Qt.AlignCenter | Qt.TextShowMnemonic, text)
    painter.end()
    return ink_width(image)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_menu_entry_is_drawn_whole(qtbot, station_theme, make_window, frames: Path,  # noqa: F811
                                          lang: str) -> None:
    before = language()
    set_language(lang)
    try:
        window = make_window(frames)
        entries = [action.text() for top in window.menuBar().actions() if top.menu()
                   for action in top.menu().actions() if action.text()]
        assert "键盘操作(&K)…" in entries or "&Keyboard…" in entries
        for text in entries:
            menu = QMenu(window)  # the entry alone, as 帮助's one entry is: no longer neighbour widens it
            menu.addAction(text)
            menu.popup(window.mapToGlobal(window.rect().center()))
            qtbot.waitUntil(menu.isVisible)
            shown = ink_width(menu.grab().toImage())
            assert shown >= drawn_whole(menu, text) - 1, (text, shown, drawn_whole(menu, text))
            menu.hide()
            menu.deleteLater()
    finally:
        set_language(before)


def test_the_station_look_is_taken_off_after_a_test(qtbot) -> None:
    """The theme's style stays only as long as a test asks for the station's look: a later test measures its widgets
    in the test run's own style, as it expects (the fixtures restored the fonts and style sheet but left MenuRoom)."""
    app = QApplication.instance()

    def entry_width() -> int:  # a menu entry with a keyboard letter, as the application's style measures it
        option = QStyleOptionMenuItem()
        option.text, option.fontMetrics = "键盘操作(&K)…", QFontMetrics(QFont("Noto Sans CJK SC", 11))
        return app.style().sizeFromContents(QStyle.ContentsType.CT_MenuItem, option, QSize(100, 20), None).width()

    plain = entry_width()
    with station_look():
        assert entry_width() > plain  # MenuRoom: the room of its "&"
    assert entry_width() == plain
