"""A retake under way stays said on the live picture. 重拍模式：… was said once, at F2, in the side panel's one message
line: a press refused while another student's phone asked to switch (F4) wrote its refusal over it, and when the phone
went the refusal went too, leaving no word of the retake and the shutter reading as for a first photo (s28 walk on
Xvfb, /tmp/xv/w_montage.png); 这张照片已放弃 after Esc in review took it away the same way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.capture.workflow import Step
from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.reading import read
from tests.ui.test_shutter_while_offered import HELD_UP
from ui.i18n import t
from ui.shutter_flow import OFFER_PRESS_GONE

REASON = "学生要求重拍"


def her_retake_begun(qtbot, make_window, frames: Path):
    """林晓雯 photographed (her smile overridden), then her retake begun with a reason."""
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    qtbot.waitUntil(window.session.review_settled, timeout=5_000)
    window.flow.accept()
    window.identify("DEMO0001")
    answer_next_dialog(REASON)
    window.flow.ask_retake()
    assert read(window.message.text()) == f"重拍模式：{REASON}"
    return window


def test_the_retake_is_said_again_when_a_refusal_over_it_goes(qtbot, make_window, frames: Path) -> None:
    window = her_retake_begun(qtbot, make_window, frames)
    window.session.camera_code(HELD_UP)  # 陈浩然's phone held up: it asks, and the press is refused
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    qtbot.keyClick(window.code_input, Qt.Key_Space)
    assert "没有拍照" in read(window.message.text())
    window.session.code_gone(HELD_UP.text)  # the phone put away: the refusal no longer holds, the retake still does
    assert window.offer.text() == ""
    said = read(window.message.text()).split("\n")  # the press that took nothing, naming nobody, then the retake
    assert said == [t(OFFER_PRESS_GONE), f"重拍模式：{REASON}"] and window.message.isVisible()
    assert window.session.workflow.retake_reason == REASON


def test_a_photo_dropped_in_a_retake_says_the_retake_goes_on(qtbot, make_window, frames: Path) -> None:
    window = her_retake_begun(qtbot, make_window, frames)
    answer_next_dialog("测试")
    shoot(qtbot, window)
    assert window.session.step is Step.REVIEW
    window.flow.escape()
    said = read(window.message.text())
    assert "这张照片已放弃" in said and f"重拍模式：{REASON}" in said


def test_no_retake_line_outside_a_retake(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    qtbot.keyClick(window.code_input, Qt.Key_Space)
    window.session.code_gone(HELD_UP.text)
    assert window.message.text() == t(OFFER_PRESS_GONE)  # the press that took nothing, and no retake to speak of
