"""The window keeps the size it was given through a capture day's turns. Seen in the s30 review (1280x680, the
station's look): a retake begun showed the shutter while 已拍过：重拍… (F2) still stood under it, both at once for a
moment; the window's minimum grew by a button's height and the window with it, to 688, and a window grown to its
minimum never shrinks back: the status bar's bottom fell under a 1280x720 laptop's taskbar for the rest of the day."""

from __future__ import annotations

from pathlib import Path

from station.capture.reasons import RETAKE_REASONS
from station.capture.workflow import REVIEW_AT_LEAST
from tests.ui.conftest import answer_next_dialog, shoot, station_look
from tests.ui.test_identity_at_review import OVERRIDE


def test_a_retake_begun_leaves_a_laptop_window_its_size(qtbot, make_window, frames: Path) -> None:
    with station_look():
        window = make_window(frames)
        window.resize(1280, 680)
        qtbot.wait(50)
        window.identify("DEMO0001")
        answer_next_dialog(OVERRIDE)  # the demo frame fails her smile
        shoot(qtbot, window)
        qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
        window.flow.accept()
        window.identify("DEMO0001")  # photographed: only a retake can follow, F2 in the shutter's place
        assert window.retake_button.isVisible() and not window.shutter_button.isVisible()
        answer_next_dialog(RETAKE_REASONS[0].zh)
        window.flow.ask_retake()
        assert window.shutter_button.isVisible() and not window.retake_button.isVisible()
        qtbot.wait(50)
        assert window.size().toTuple() == (1280, 680)
