"""F1's key list on a screen the station fills (a laptop, or a window maximised) has no room beside it. It stood
against the screen's right edge, over the code field, the student card and the messages (first-run walk s24, finding
10); it now stands over the live picture, beside the student's crop frame, and covers nothing of the side panel nor
of the queue's row under the picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMargins, QPoint, QRect, Qt

from tests.ui.test_side_panel_fits import SIZES
from ui.help_window import SIZE, beside

OPENBOX = QMargins(1, 20, 1, 5)  # a window manager's frame: title bar and bottom handle


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


LAPTOPS = ((1400, 860), *SIZES, (1366, 768), (1280, 720))


def test_the_key_list_covers_nothing_of_the_side_panel(qtbot, themed: str, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.move(0, 0)
    side = (window.code_input, window.card, window.pay_button, window.message_area, window.check_board,
            window.shutter_button, window.slot_label, window.next_label, window.absent_button)
    for width, height in LAPTOPS:
        window.resize(width, height)
        qtbot.wait(50)
        laptop = window.frameGeometry()  # the station fills the screen: no room beside it
        picture = on_screen(window.preview)
        for crop in (None, picture.adjusted(picture.width() * 2 // 5, 40, -picture.width() * 2 // 5, -40)):
            frame = beside(laptop, laptop, SIZE, OPENBOX, picture, crop)
            assert picture.contains(frame), (width, height, frame)
            for widget in side:
                assert not frame.intersects(on_screen(widget)), (widget.objectName(), width, height, frame)
            # the student's face, in the middle of the picture, stays in sight
            assert frame.right() < picture.center().x() - 80, (width, height, frame)


def test_the_key_list_stands_beside_the_crop_frame(qtbot) -> None:
    """Left of the crop frame the student is framed by, never over it; right of it when a student standing to the
    left leaves too little room there; with no frame drawn, in a centred student's room."""
    picture = QRect(10, 36, 836, 526)  # a 1280x680 window's picture
    left = beside(QRect(0, 0, 1280, 680), QRect(0, 0, 1280, 680), SIZE, OPENBOX, picture, QRect(283, 88, 288, 372))
    assert left.left() == picture.left() and left.right() < 283 - 4 and left.height() == picture.height()
    far_left = QRect(120, 88, 288, 372)
    right = beside(QRect(0, 0, 1280, 680), QRect(0, 0, 1280, 680), SIZE, OPENBOX, picture, far_left)
    assert right.left() > far_left.right() and right.right() == picture.right()
    nobody = beside(QRect(0, 0, 1280, 680), QRect(0, 0, 1280, 680), SIZE, OPENBOX, picture)
    assert nobody.left() == picture.left() and nobody.width() <= picture.width() * 0.3


def test_the_keys_are_read_whole_beside_the_students_crop_frame(qtbot, themed: str, make_window,
                                                                 frames: Path) -> None:
    """Shown for real (offscreen, the test screen is narrower than the window: no room beside it), the list stands
    over the picture, F1 again hides it. It reached 20-35 px into the crop frame at 1280x680 and scrolled in English
    at 1366x768 and 1280x720 (new photographer's walk s25): now it stands beside the frame, whole, nothing to scroll,
    in both languages."""
    window = make_window(frames, live_checks=True)
    window.identify("DEMO0001")
    window.move(0, 0)
    for width, height in LAPTOPS:
        window.resize(width, height)
        qtbot.waitUntil(lambda: window.preview.crop_frame() is not None, timeout=20_000)
        qtbot.wait(100)  # the picture drawn at the window's new size
        crop = window.preview.crop_frame()
        qtbot.keyClick(window.code_input, Qt.Key_F1)
        shown = window.help_window
        qtbot.waitUntil(shown.isVisible)
        qtbot.wait(50)
        assert on_screen(window.preview).contains(shown.frameGeometry()), shown.frameGeometry()
        assert not shown.frameGeometry().intersects(crop), (width, height, shown.frameGeometry(), crop)
        table = shown.table
        needed, room = table.verticalHeader().length(), table.viewport().height()
        assert needed <= room and not table.verticalScrollBar().isVisible(), (width, height, needed, room)
        qtbot.keyClick(window.code_input, Qt.Key_F1)  # F1 again hides it
        assert not shown.isVisible()
