"""F1's key list on a screen the station fills (a laptop, or a window maximised) has no room beside it. It stood
against the screen's right edge, over the code field, the student card and the messages (first-run walk s24, finding
10); it now stands over the live picture's lower left corner, narrow, and covers nothing of the side panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMargins, QPoint, QRect, Qt

from tests.ui.test_side_panel_fits import SIZES
from ui.help_window import SIZE, beside

OPENBOX = QMargins(1, 20, 1, 5)  # a window manager's frame: title bar and bottom handle


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_the_key_list_covers_nothing_of_the_side_panel(qtbot, themed: str, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.move(0, 0)
    side = (window.code_input, window.card, window.pay_button, window.message_area, window.check_board,
            window.shutter_button)
    for width, height in ((1400, 860), *SIZES):
        window.resize(width, height)
        qtbot.wait(50)
        laptop = window.frameGeometry()  # the station fills the screen: no room beside it
        frame = beside(laptop, laptop, SIZE, OPENBOX, on_screen(window.pages))
        assert on_screen(window.pages).contains(frame), (width, height, frame)
        for widget in side:
            assert not frame.intersects(on_screen(widget)), (widget.objectName(), width, height, frame)
        # the student's face, in the middle of the picture, stays in sight
        assert frame.right() < on_screen(window.pages).center().x() - 80, (width, height, frame)


def test_over_the_picture_the_keys_are_read_whole_in_chinese(qtbot, themed: str, make_window, frames: Path) -> None:
    """Shown for real (offscreen, the test screen is narrower than the window: no room beside it), the list stands
    over the picture, F1 again hides it. In Chinese it is whole, nothing to scroll; in English at 1280x680 and
    1366x700 it is longer than the picture is tall and scrolls, the first keys (the shutter, accept, Esc, F2) in
    sight."""
    window = make_window(frames)
    window.move(0, 0)
    for width, height in ((1400, 860), *SIZES):
        window.resize(width, height)
        qtbot.wait(50)
        qtbot.keyClick(window.code_input, Qt.Key_F1)
        shown = window.help_window
        qtbot.waitUntil(shown.isVisible)
        qtbot.wait(50)
        assert on_screen(window.pages).contains(shown.frameGeometry()), shown.frameGeometry()
        table = shown.table
        needed, room = table.verticalHeader().length(), table.viewport().height()
        if themed == "zh":
            assert needed <= room and not table.verticalScrollBar().isVisible(), (width, height, needed, room)
        else:
            assert table.rowViewportPosition(5) + table.rowHeight(5) <= room, (width, height, needed, room)
        qtbot.keyClick(window.code_input, Qt.Key_F1)  # F1 again hides it
        assert not shown.isVisible()
