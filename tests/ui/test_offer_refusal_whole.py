"""The shutter pressed while another student's code asks to switch (F4): the refusal says what to do whichever
student is at the camera, under the question that names the code's student. At 1280x680 it was cut after its second
line, at 请按 F4 切换后, and what to do if the student on the card is at the camera was below the fold (s30 review,
/tmp/s30screens/zh_1280/offer_refused_zh.png): it no longer repeats the question's name and number, and is read whole
beside the question on a laptop's window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.reading import read
from tests.ui.test_shutter_while_offered import HELD_UP
from tests.ui.test_side_panel_fits import SIZES, in_sight


def test_the_refusal_beside_the_question_is_read_whole_on_a_laptop(qtbot, themed: str, make_window,
                                                                   frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0003")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    qtbot.keyClick(window.code_input, Qt.Key_Space)
    said = read(window.message.text())
    assert "F4" in said and "王思远" in said and window.session.workflow.shot is None
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        assert window.size().toTuple() == (width, height)
        for label in (window.offer, window.message):
            assert in_sight(label), (themed, width, height, read(label.text()))
        # whole too where something said below them makes the area scroll, its scroll bar taking its width (seen in
        # the review's screenshots: "first" on a third line, under the fold)
        area = window.message_area
        narrower = area.viewport().width() - area.verticalScrollBar().sizeHint().width()
        needed = sum(label.heightForWidth(narrower) for label in (window.offer, window.message))
        assert needed + area.widget().layout().spacing() <= area.viewport().height(), (themed, width, height)
