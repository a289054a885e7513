"""F1's key list over the live picture stands in MIN_OVER_PX beside the student's crop frame when that is all the
room there is. At 1280x680 it was whole there in Chinese only: the English list scrolled below 215 px (its rows
wrapped inside the window's own 11 px margins). Over the picture its margins are narrow and, where a font of
12 px still leaves rows out of sight, the line above the keys gives way to them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect

from tests.ui.test_key_list_beside_the_side_panel import SHOTS, on_screen, over_the_window, read_whole_beside
from tests.ui.test_side_panel_fits import SIZES
from ui.help_window import GAP_PX, MIN_OVER_PX


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_keys_are_whole_in_the_narrowest_room_beside_the_crop_frame(qtbot, themed: str, make_window,
                                                                         frames: Path, side: str) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.move(0, 0)
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        picture = on_screen(window.preview).intersected(window.screen().availableGeometry())  # as far as seen
        # a wide frame (a tilted student's): MIN_OVER_PX beside it on one side, a pixel less on the other
        room = {side: MIN_OVER_PX + GAP_PX, "left" if side == "right" else "right": MIN_OVER_PX + GAP_PX - 1}
        crop = QRect(QPoint(picture.left() + room["left"], picture.top() + 40),
                     QPoint(picture.right() - room["right"], picture.bottom() - 40))
        window.help_window.show_beside(window, window.preview, crop)
        qtbot.waitUntil(window.help_window.isVisible)
        frame = window.help_window.frameGeometry()
        assert frame.width() == MIN_OVER_PX and (frame.left() < crop.left()) == (side == "left"), (width, height, frame)
        over_the_window(window, window.help_window).save(str(SHOTS / f"narrowest_{themed}_{side}_{width}.png"))
        read_whole_beside(window, crop)
        window.help_window.close()
