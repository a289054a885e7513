"""Keys that do nothing say so, on the window's message line (first-run walk, findings 3 and 21): F4 a moment after the
code it asked about had gone, F2 on a student with nothing to retake, a retake box closed without a reason. Each was
silent, and the key seemed unheard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from station.capture.workflow import REVIEW_AT_LEAST
from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.reading import read
from ui.i18n import language, set_language


@pytest.fixture(params=["zh", "en"])
def lang(request):
    before = language()
    set_language(request.param)
    yield request.param
    set_language(before)


SAID = {
    "zh": ("没有待切换的学生：镜头里或阅读器上出现另一名学生的采集码或身份证、并询问是否切换时，才能按 F4 切换",
           "请先扫描采集码或输入学号",
           "林晓雯还没有拍过照片，无需重拍：请直接按空格或回车拍照",
           "没有填写重拍原因，重拍没有开始：要重拍请再按 F2 并填写原因",
           "林晓雯的重拍已经开始：请按空格或回车拍照",
           "林晓雯还没有拍过照片，无需重拍：请直接按空格键拍照"),
    "en": ("No student to switch to: F4 works while another student's code or ID card, seen by the camera or on the "
           "reader, asks to switch",
           "Identify the student first (scan the code or type the number)",
           "林晓雯 has no photo yet, so there is nothing to retake: press Space or Enter to shoot",
           "No retake reason given, so the retake has not begun: press F2 again and give one",
           "林晓雯's retake has begun: press Space or Enter to shoot",
           "林晓雯 has no photo yet, so there is nothing to retake: press Space to shoot"),
}


def said_after(qtbot, window, key: Qt.Key) -> tuple[str, str]:
    window.message.clear()
    qtbot.keyClick(window.code_input, key)
    return read(window.message.text()), window.message.property("level")


def test_f4_and_f2_with_nothing_to_do_say_why(qtbot, make_window, frames: Path, lang: str) -> None:
    no_offer, nobody, not_photographed, _, _, _ = SAID[lang]
    window = make_window(frames)
    assert said_after(qtbot, window, Qt.Key_F2) == (nobody, "info")
    window.identify("DEMO0001")  # 林晓雯, not photographed yet
    assert said_after(qtbot, window, Qt.Key_F4) == (no_offer, "info")  # no code held up: nothing to switch to
    assert said_after(qtbot, window, Qt.Key_F2) == (not_photographed, "info")
    assert window.card.name.text() == "林晓雯" and window.session.workflow.retake_reason == ""


def test_f6_with_nobody_on_the_card_says_who_comes_first(qtbot, make_window, frames: Path, lang: str) -> None:
    """F6 with nobody identified (its button greyed) did nothing at all, where F2 and F4 say why."""
    window = make_window(frames)
    assert not window.pay_button.isEnabled()
    first = {"zh": "请先扫描采集码或输入学号，再登记缴费", "en": "Identify the student first, then record the payment"}
    assert said_after(qtbot, window, Qt.Key_F6) == (first[lang], "info")


def test_a_retake_box_closed_empty_says_the_retake_has_not_begun(qtbot, make_window, frames: Path, station) -> None:
    _, _, _, not_begun, begun, _ = SAID["zh"]
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog("测试")  # her open mouth: taken with a reason
    shoot(qtbot, window)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    qtbot.keyClick(window.code_input, Qt.Key_Return)  # saved
    window.identify("DEMO0001")  # again: only a retake goes on
    assert window.retake_button.isVisible()
    answer_next_dialog("")  # Enter in the box with no reason
    assert said_after(qtbot, window, Qt.Key_F2) == (not_begun, "info")
    assert window.retake_button.isVisible() and window.session.workflow.retake_reason == ""
    answer_next_dialog("学生要求重拍")
    qtbot.keyClick(window.code_input, Qt.Key_F2)
    assert window.shutter_button.isVisible() and "重拍模式" in window.message.text()
    assert said_after(qtbot, window, Qt.Key_F2) == (begun, "info")  # pressed again: it has begun


def test_f2_while_a_refused_codes_enter_is_held_names_space_alone(qtbot, make_window, frames: Path, lang: str) -> None:
    """After a refused code Enter is no shutter (it says the refusal again): F2's way on said "Space or Enter" there
    (s25 ui-leftovers); it names Enter again once Enter shoots again."""
    _, _, not_photographed, _, _, space_alone = SAID[lang]
    window = make_window(frames)
    window.identify("DEMO0001")
    qtbot.keyClicks(window.code_input, "DEMO0099")
    qtbot.keyClick(window.code_input, Qt.Key_Return)  # refused: 林晓雯 stays on the card, Enter held
    assert not window.session.enter_shoots
    assert said_after(qtbot, window, Qt.Key_F2) == (space_alone, "info")
    window.identify("DEMO0001")  # identified again: Enter is her shutter again
    assert said_after(qtbot, window, Qt.Key_F2) == (not_photographed, "info")
