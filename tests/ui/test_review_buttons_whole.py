"""The review's two buttons read whole on a laptop's window. Seen on the walk (1280x680, Xvfb, the station's fonts):
确认保存（回车） filled its button edge to edge, its first and last strokes cut, beside 再拍一张（Esc） with room to
spare: the green button's own style left it no padding, so the layout gave it no more than its words."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_identity_at_review import her_overridden_photo_in_review
from tests.ui.test_side_panel_fits import SIZES

ROOM = 6  # px each side of the words at least (the platform's own button, 再拍一张, keeps 7-8)


def test_the_review_buttons_words_have_room(qtbot, themed: str, make_window, frames: Path, station,
                                            tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        for button in (window.review.accept_button, window.review.retake_button):
            words = button.fontMetrics().horizontalAdvance(button.text())
            assert button.width() >= words + 2 * ROOM, (button.text(), button.width(), words, width, height)
